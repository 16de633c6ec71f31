/* A read view of stacked overlayfs layers without mounting them: the jail's
 * upper dir over its image layers (cp, diff), or the image layers alone
 * (seeding a new volume). Lookups follow overlayfs: the top-most layer
 * wins, a whiteout (char device 0/0) hides what is below, an opaque
 * directory (trusted.overlay.opaque=y) hides the lower directories.
 * Every open is openat2 RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS under a layer
 * root, so no symlink, even one swapped in by a running jail, leads out. */
#pragma once
#include <stddef.h>
#include <sys/stat.h>
#include "../common/err.h"

#define LV_MAX 130

struct lview {
	int n;
	int fd[LV_MAX]; /* O_PATH directory fds of the layer roots, top first */
};

/* One entry of the merged view: the layer holding it, its stat, and for
 * a directory the lowest layer merged into it. */
struct lent {
	int layer, bottom;
	struct stat st;
};

/* dirs: layer roots, top first (NULL entries are skipped). */
int lview_open(struct lview *v, const char *const *dirs, int n, struct lerr *e);
void lview_close(struct lview *v);

/* Whether a stat is an overlayfs whiteout. */
int lview_is_whiteout(const struct stat *st);
/* Opens a path below a layer root without following any symlink. */
int lview_openat(int rootfd, const char *rel, int flags);
/* Whether the directory rel of layer root rootfd is opaque. */
int lview_is_opaque(int rootfd, const char *rel);

/* The entry at a clean relative path ("" = the root, "a/b"); -1 with
 * errno ENOENT/ENOTDIR when the merged view has none. */
int lview_lookup(const struct lview *v, const char *rel, struct lent *ent);
/* Resolves a path of the view as RESOLVE_IN_ROOT would ("/.." is "/",
 * symlinks point inside the view; the last one is followed only with
 * follow) into a clean relative path. When only the last component is
 * missing, out is still filled and errno is ENOENT. */
int lview_resolve(const struct lview *v, const char *path, int follow, char *out, size_t size);
/* The merged names of directory rel (entry dir), sorted; free each and *names. */
int lview_list(const struct lview *v, const char *rel, const struct lent *dir, char ***names, int *n);

/* Copies the entry rel (modes, owners unless chown_root, then 0:0, times,
 * symlinks as symlinks) to name in directory dstfd: a directory is merged
 * into an existing one, anything else replaces what is there (a replaced
 * whiteout makes a new directory opaque). With name NULL, rel must be a
 * directory and its contents go into dstfd itself. */
int lview_copy(const struct lview *v, const char *rel, int dstfd, const char *name, int chown_root, struct lerr *e);
