/* Layers and manifests of a build: the tar writer (libarchive, plain tar,
 * so the layer digest is also its diff_id), the stage's layer directories,
 * the manifest of a stage, WORKDIR's directory layer. */
#include "build_int.h"
#include "../common/fsutil.h"
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct ltar {
	struct bctx *b;
	struct archive *a;
	char path[4096];
};

static int tar_err(struct ltar *t, struct lerr *e)
{
	return lerr_set(e, LX_LOCHS, "writing layer %s: %s", t->path, archive_error_string(t->a));
}

struct ltar *ltar_open(struct bctx *b, struct lerr *e)
{
	static int seq;
	struct ltar *t = calloc(1, sizeof *t);
	if (!t) {
		lerr_set(e, LX_LOCHS, "out of memory");
		return NULL;
	}
	char dir[4000];
	store_tmp_dir(b->c->root, dir, sizeof dir);
	snprintf(t->path, sizeof t->path, "%s/build-%d-%d.tar", dir, (int)getpid(), seq++);
	t->b = b;
	t->a = archive_write_new();
	archive_write_set_format_pax_restricted(t->a);
	if (archive_write_open_filename(t->a, t->path) != ARCHIVE_OK) {
		tar_err(t, e);
		ltar_abort(t);
		return NULL;
	}
	return t;
}

void ltar_abort(struct ltar *t)
{
	if (!t)
		return;
	archive_write_free(t->a);
	unlink(t->path);
	free(t);
}

/* Copies the file's bytes into the current entry. */
static int copy_data(struct ltar *t, int fd, struct lerr *e)
{
	char buf[65536];
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		if (archive_write_data(t->a, buf, (size_t)n) < 0)
			return tar_err(t, e);
	return n < 0 ? lerr_sys(e, "reading for layer") : 0;
}

int ltar_add(struct ltar *t, int dirfd, const char *rel, const struct stat *st, const char *dest, struct lerr *e)
{
	while (*dest == '/')
		dest++;
	if (!*dest)
		return 0; /* the root itself: its attributes stay the base's */
	struct archive_entry *en = archive_entry_new();
	archive_entry_copy_stat(en, st);
	archive_entry_unset_atime(en);
	archive_entry_unset_ctime(en);
	archive_entry_set_nlink(en, 1);
	archive_entry_set_pathname(en, dest);
	int fd = -1, rc = 0;
	if (S_ISLNK(st->st_mode)) {
		char target[4096];
		ssize_t n = readlinkat(dirfd, rel, target, sizeof target - 1);
		if (n < 0) {
			archive_entry_free(en);
			return lerr_sys(e, "reading link %s", rel);
		}
		target[n] = 0;
		archive_entry_set_symlink(en, target);
	} else if (S_ISREG(st->st_mode)) {
		fd = lview_openat(dirfd, rel, O_RDONLY);
		if (fd < 0) {
			archive_entry_free(en);
			return lerr_sys(e, "opening %s", rel);
		}
	} else if (!S_ISDIR(st->st_mode)) {
		archive_entry_free(en);
		return 0; /* sockets, fifos and devices are not kept in layers */
	}
	if (archive_write_header(t->a, en) != ARCHIVE_OK)
		rc = tar_err(t, e);
	else if (fd >= 0)
		rc = copy_data(t, fd, e);
	if (fd >= 0)
		close(fd);
	archive_entry_free(en);
	return rc;
}

int ltar_whiteout(struct ltar *t, const char *dest, struct lerr *e)
{
	while (*dest == '/')
		dest++;
	char wh[4200];
	const char *slash = strrchr(dest, '/');
	if (slash)
		snprintf(wh, sizeof wh, "%.*s/.wh.%s", (int)(slash - dest), dest, slash + 1);
	else
		snprintf(wh, sizeof wh, ".wh.%s", dest);
	struct archive_entry *en = archive_entry_new();
	archive_entry_set_pathname(en, wh);
	archive_entry_set_filetype(en, AE_IFREG);
	archive_entry_set_perm(en, 0);
	archive_entry_set_size(en, 0);
	int rc = archive_write_header(t->a, en) == ARCHIVE_OK ? 0 : tar_err(t, e);
	archive_entry_free(en);
	return rc;
}

int ltar_finish(struct ltar *t, struct blayer *layer, struct lerr *e)
{
	int rc = archive_write_close(t->a) == ARCHIVE_OK ? 0 : tar_err(t, e);
	memset(layer, 0, sizeof *layer);
	char dir[4096];
	if (rc == 0 && store_add_blob_file(t->b->c->root, t->path, layer->digest, &layer->size, e) == 0) {
		snprintf(layer->diff_id, sizeof layer->diff_id, "%s", layer->digest);
		snprintf(layer->media, sizeof layer->media, "%s", MT_LAYER_TAR);
		/* Extracted now (and so checked), for the next step's jail. */
		rc = image_layer_dir(t->b->c->root, layer->digest, dir, sizeof dir, e);
	} else {
		rc = -1;
	}
	ltar_abort(t);
	return rc;
}

int build_layer_dirs(struct bctx *b, const struct bstage *s, const char **dirs, char (*buf)[4096], int *n,
		     struct lerr *e)
{
	*n = 0;
	for (int i = s->nlayers - 1; i >= 0 && *n < LV_MAX; i--) {
		if (image_layer_dir(b->c->root, s->layers[i].digest, buf[*n], sizeof buf[*n], e) < 0)
			return -1;
		dirs[*n] = buf[*n];
		(*n)++;
	}
	return 0;
}

int build_commit(struct bctx *b, struct bstage *s, char manifest[72], long long *msize, char id[72], struct lerr *e)
{
	json_t *diffs = json_array(), *descs = json_array();
	for (int i = 0; i < s->nlayers; i++) {
		struct blayer *l = &s->layers[i];
		json_array_append_new(diffs, json_string(l->diff_id));
		json_array_append_new(descs, json_pack("{s:s, s:s, s:I}", "mediaType", l->media, "digest", l->digest, "size",
						       (json_int_t)l->size));
	}
	json_object_set_new(s->cfg, "rootfs", json_pack("{s:s, s:o}", "type", "layers", "diff_ids", diffs));
	char *cs = json_dumps(s->cfg, JSON_COMPACT);
	int rc = -1;
	if (cs && store_add_blob_buf(b->c->root, cs, strlen(cs), id, e) == 0) {
		json_t *man = json_pack("{s:i, s:s, s:{s:s, s:s, s:I}, s:O}", "schemaVersion", 2, "mediaType", MT_MANIFEST,
					"config", "mediaType", MT_CONFIG, "digest", id, "size", (json_int_t)strlen(cs),
					"layers", descs);
		char *ms = json_dumps(man, JSON_COMPACT);
		json_decref(man);
		if (ms && store_add_blob_buf(b->c->root, ms, strlen(ms), manifest, e) == 0) {
			*msize = (long long)strlen(ms);
			rc = 0;
		}
		free(ms);
	}
	free(cs);
	json_decref(descs);
	return rc;
}

int build_workdir(struct bctx *b, struct bstage *s, const struct lf_inst *in, struct blayer *layer, int *empty,
		  struct lerr *e)
{
	const char *wd = json_string_value(json_object_get(json_object_get(s->cfg, "config"), "WorkingDir"));
	const char *dirs[LV_MAX];
	static char buf[LV_MAX][4096];
	int n;
	struct lview v;
	*empty = 1;
	if (!wd || build_layer_dirs(b, s, dirs, buf, &n, e) < 0 || lview_open(&v, dirs, n, e) < 0)
		return wd ? -1 : 0;
	/* path: where the directories are, the stage's symlinks followed
	 * inside its layers (as Docker's mkdir -p in the image's root). */
	char path[4096] = "", cand[4096];
	struct ltar *t = NULL;
	int rc = 0;
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s", wd);
	char *save = NULL;
	for (char *c = strtok_r(tmp, "/", &save); c && rc == 0; c = strtok_r(NULL, "/", &save)) {
		snprintf(cand, sizeof cand, "%s%s%s", path, *path ? "/" : "", c);
		struct lent ent;
		if (t) { /* below a directory this step makes: nothing is there */
			snprintf(path, sizeof path, "%s", cand);
		} else if (lview_resolve(&v, cand, 1, path, sizeof path) == 0 && lview_lookup(&v, path, &ent) == 0) {
			if (!S_ISDIR(ent.st.st_mode))
				rc = bfail(b, in, e, "/%s exists and is not a directory", cand);
			continue;
		} else if (errno != ENOENT || !path[0]) {
			rc = bfail(b, in, e, "/%s: %s", cand, strerror(errno));
			continue;
		}
		if (!t && !(t = ltar_open(b, e))) {
			rc = -1;
			break;
		}
		struct stat st = { .st_mode = S_IFDIR | 0755, .st_mtime = 0 };
		rc = ltar_add(t, -1, NULL, &st, path, e);
	}
	lview_close(&v);
	if (rc < 0 || !t) {
		ltar_abort(t);
		return rc;
	}
	*empty = 0;
	return ltar_finish(t, layer, e);
}
