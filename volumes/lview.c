/* The merged read view of overlayfs layers; see lview.h. */
#include "lview.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

int lview_openat(int rootfd, const char *rel, int flags)
{
	struct open_how how = { .flags = (unsigned)flags | O_CLOEXEC | O_NOFOLLOW,
				.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS };
	return (int)syscall(SYS_openat2, rootfd, *rel ? rel : ".", &how, sizeof how);
}

int lview_is_whiteout(const struct stat *st)
{
	return S_ISCHR(st->st_mode) && st->st_rdev == makedev(0, 0);
}

int lview_is_opaque(int rootfd, const char *rel)
{
	int fd = lview_openat(rootfd, rel, O_RDONLY | O_DIRECTORY);
	char val[4] = "";
	ssize_t n = fd < 0 ? -1 : fgetxattr(fd, "trusted.overlay.opaque", val, sizeof val);
	if (fd >= 0)
		close(fd);
	return n == 1 && val[0] == 'y';
}

int lview_open(struct lview *v, const char *const *dirs, int n, struct lerr *e)
{
	v->n = 0;
	for (int i = 0; i < n; i++) {
		if (!dirs[i])
			continue;
		if (v->n == LV_MAX) {
			lview_close(v);
			return lerr_set(e, LX_LOCHS, "too many layers");
		}
		int fd = open(dirs[i], O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0) {
			lerr_sys(e, "layer %s", dirs[i]);
			lview_close(v);
			return -1;
		}
		v->fd[v->n++] = fd;
	}
	return 0;
}

void lview_close(struct lview *v)
{
	for (int i = 0; i < v->n; i++)
		close(v->fd[i]);
	v->n = 0;
}

/* lstat of rel in one layer: 0, or -1 when absent (or not reachable). */
static int layer_stat(int rootfd, const char *rel, struct stat *st)
{
	int fd = lview_openat(rootfd, rel, O_PATH);
	if (fd < 0)
		return -1;
	int rc = fstat(fd, st);
	close(fd);
	return rc;
}

/* Finds name in the layers [0, bottom] that hold the directory above it. */
static int lookup_in(const struct lview *v, const char *rel, int bottom, struct lent *ent)
{
	int found = 0;
	for (int i = 0; i <= bottom; i++) {
		struct stat st;
		if (layer_stat(v->fd[i], rel, &st) < 0)
			continue;
		if (lview_is_whiteout(&st) || (found && !S_ISDIR(st.st_mode)))
			break; /* hides everything below */
		if (!found) {
			found = 1;
			ent->layer = ent->bottom = i;
			ent->st = st;
			if (!S_ISDIR(st.st_mode))
				break;
		}
		ent->bottom = i;
		if (lview_is_opaque(v->fd[i], rel))
			break;
	}
	if (!found)
		errno = ENOENT;
	return found ? 0 : -1;
}

int lview_lookup(const struct lview *v, const char *rel, struct lent *ent)
{
	if (v->n == 0 || lookup_in(v, "", v->n - 1, ent) < 0 || !S_ISDIR(ent->st.st_mode)) {
		errno = ENOENT;
		return -1;
	}
	char path[PATH_MAX];
	size_t len = 0;
	for (const char *p = rel; *p;) {
		size_t k = strcspn(p, "/");
		if (k == 0) {
			p++;
			continue;
		}
		if (!S_ISDIR(ent->st.st_mode)) {
			errno = ENOTDIR;
			return -1;
		}
		if (len + k + 2 > sizeof path) {
			errno = ENAMETOOLONG;
			return -1;
		}
		if (len)
			path[len++] = '/';
		memcpy(path + len, p, k);
		path[len += k] = 0;
		if (lookup_in(v, path, ent->bottom, ent) < 0)
			return -1;
		p += k;
	}
	return 0;
}

/* Drops the last component of a clean relative path. */
static void up(char *cur)
{
	char *s = strrchr(cur, '/');
	if (s)
		*s = 0;
	else
		cur[0] = 0;
}

int lview_resolve(const struct lview *v, const char *path, int follow, char *out, size_t size)
{
	char rest[2 * PATH_MAX], cur[PATH_MAX] = "", cand[PATH_MAX];
	int links = 0;
	if (snprintf(rest, sizeof rest, "%s", path) >= (int)sizeof rest) {
		errno = ENAMETOOLONG;
		return -1;
	}
	out[0] = 0;
	char *p = rest;
	while (*p) {
		size_t k = strcspn(p, "/");
		char comp[NAME_MAX + 1];
		if (k > NAME_MAX) {
			errno = ENAMETOOLONG;
			return -1;
		}
		memcpy(comp, p, k);
		comp[k] = 0;
		p += k;
		p += strspn(p, "/");
		if (!k || !strcmp(comp, "."))
			continue;
		if (!strcmp(comp, "..")) {
			up(cur);
			continue;
		}
		if (snprintf(cand, sizeof cand, "%s%s%s", cur, *cur ? "/" : "", comp) >= (int)sizeof cand) {
			errno = ENAMETOOLONG;
			return -1;
		}
		struct lent ent;
		if (lview_lookup(v, cand, &ent) < 0) {
			if (errno == ENOENT && !*p)
				snprintf(out, size, "%s", cand);
			return -1;
		}
		if (S_ISLNK(ent.st.st_mode) && (*p || follow)) {
			char target[PATH_MAX], next[2 * PATH_MAX];
			int fd = lview_openat(v->fd[ent.layer], cand, O_PATH);
			ssize_t n = fd < 0 ? -1 : readlinkat(fd, "", target, sizeof target - 1);
			if (fd >= 0)
				close(fd);
			if (n < 0)
				return -1;
			target[n] = 0;
			if (++links > 40) {
				errno = ELOOP;
				return -1;
			}
			if (target[0] == '/')
				cur[0] = 0; /* absolute: from the view's root, never the host's */
			snprintf(next, sizeof next, "%s/%s", target, p);
			memcpy(rest, next, sizeof rest);
			p = rest;
			continue;
		}
		if (*p && !S_ISDIR(ent.st.st_mode)) {
			errno = ENOTDIR;
			return -1;
		}
		memcpy(cur, cand, sizeof cur);
	}
	if (snprintf(out, size, "%s", cur) >= (int)size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

struct name_at {
	char *name;
	int layer, whiteout;
};

static int by_name_layer(const void *a, const void *b)
{
	const struct name_at *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : x->layer - y->layer;
}

int lview_list(const struct lview *v, const char *rel, const struct lent *dir, char ***names, int *n)
{
	struct name_at *all = NULL;
	size_t cnt = 0, cap = 0;
	for (int i = dir->layer; i <= dir->bottom; i++) {
		int fd = lview_openat(v->fd[i], rel, O_RDONLY | O_DIRECTORY);
		DIR *d = fd < 0 ? NULL : fdopendir(fd);
		if (!d) {
			if (fd >= 0)
				close(fd);
			continue;
		}
		struct dirent *de;
		while ((de = readdir(d))) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			if (cnt == cap) {
				cap = cap ? 2 * cap : 64;
				struct name_at *m = realloc(all, cap * sizeof *m);
				if (!m)
					break;
				all = m;
			}
			struct stat st;
			int wh = de->d_type == DT_CHR && fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
				 lview_is_whiteout(&st);
			all[cnt++] = (struct name_at){ strdup(de->d_name), i, wh };
		}
		closedir(d);
	}
	qsort(all, cnt, sizeof *all, by_name_layer);
	*names = calloc(cnt + 1, sizeof **names);
	*n = 0;
	for (size_t i = 0; i < cnt; i++) {
		int first = i == 0 || strcmp(all[i].name, all[i - 1].name) != 0;
		if (first && !all[i].whiteout && *names)
			(*names)[(*n)++] = all[i].name;
		else
			free(all[i].name);
	}
	free(all);
	return *names ? 0 : -1;
}
