/* Changes of an upper layer over its lower layers; see diff.h. A whiteout
 * is a deletion; an entry that exists below (and no opaque directory
 * above it hides that) is a change, else an addition; an opaque directory
 * deletes the lower entries it does not repeat. */
#include "diff.h"
#include "lview.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct walk {
	struct lview upper, lower;
	struct change *v;
	int n, cap;
};

static int add(struct walk *w, char kind, const char *rel)
{
	if (w->n == w->cap) {
		int cap = w->cap ? 2 * w->cap : 64;
		struct change *m = realloc(w->v, (size_t)cap * sizeof *m);
		if (!m)
			return -1;
		w->v = m;
		w->cap = cap;
	}
	char *p = malloc(strlen(rel) + 2);
	if (!p)
		return -1;
	sprintf(p, "/%s", rel);
	w->v[w->n++] = (struct change){ kind, p };
	return 0;
}

static int has_name(char **names, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return 1;
	return 0;
}

/* rel is a directory of the upper layer; hidden: an opaque directory at
 * or above rel hides the lower layers. */
static int walk_dir(struct walk *w, const char *rel, int hidden)
{
	struct lent dir;
	char **names;
	int n, rc = 0;
	if (lview_lookup(&w->upper, rel, &dir) < 0 || lview_list(&w->upper, rel, &dir, &names, &n) < 0)
		return -1;
	/* lview_list drops whiteouts: read them separately. */
	int fd = lview_openat(w->upper.fd[0], rel, O_RDONLY | O_DIRECTORY);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		struct stat st;
		char child[PATH_MAX];
		if (de->d_type != DT_CHR || fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !lview_is_whiteout(&st))
			continue;
		snprintf(child, sizeof child, "%s%s%s", rel, *rel ? "/" : "", de->d_name);
		struct lent below;
		if (!hidden && lview_lookup(&w->lower, child, &below) == 0)
			rc |= add(w, 'D', child);
	}
	if (d)
		closedir(d);
	else if (fd >= 0)
		close(fd);
	for (int i = 0; i < n; i++) {
		char child[PATH_MAX];
		snprintf(child, sizeof child, "%s%s%s", rel, *rel ? "/" : "", names[i]);
		struct lent ent, below;
		int exists = !hidden && lview_lookup(&w->lower, child, &below) == 0;
		if (lview_lookup(&w->upper, child, &ent) < 0)
			continue;
		rc |= add(w, exists ? 'C' : 'A', child);
		if (!S_ISDIR(ent.st.st_mode))
			continue;
		int opaque = lview_is_opaque(w->upper.fd[0], child);
		if (opaque && exists && S_ISDIR(below.st.st_mode)) {
			char **low;
			int nl;
			char **mine;
			int nm;
			if (lview_list(&w->lower, child, &below, &low, &nl) == 0) {
				if (lview_list(&w->upper, child, &ent, &mine, &nm) == 0) {
					for (int j = 0; j < nl; j++) {
						char gone[PATH_MAX];
						snprintf(gone, sizeof gone, "%s/%s", child, low[j]);
						if (!has_name(mine, nm, low[j]))
							rc |= add(w, 'D', gone);
					}
					for (int j = 0; j < nm; j++)
						free(mine[j]);
					free(mine);
				}
				for (int j = 0; j < nl; j++)
					free(low[j]);
				free(low);
			}
		}
		rc |= walk_dir(w, child, hidden || opaque || (exists && !S_ISDIR(below.st.st_mode)));
	}
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc ? -1 : 0;
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct change *)a)->path, ((const struct change *)b)->path);
}

int diff_changes(const char *upper, const char *const *lowers, int nlowers, struct change **out, int *n, struct lerr *e)
{
	struct walk w = { 0 };
	*out = NULL;
	*n = 0;
	if (lview_open(&w.upper, &upper, 1, e) < 0)
		return -1;
	if (lview_open(&w.lower, lowers, nlowers, e) < 0) {
		lview_close(&w.upper);
		return -1;
	}
	int rc = walk_dir(&w, "", 0);
	lview_close(&w.upper);
	lview_close(&w.lower);
	if (rc < 0) {
		diff_free(w.v, w.n);
		return lerr_sys(e, "reading %s", upper);
	}
	qsort(w.v, (size_t)w.n, sizeof *w.v, by_path);
	*out = w.v;
	*n = w.n;
	return 0;
}

void diff_free(struct change *v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i].path);
	free(v);
}
