/* Copying a subtree of a layer view into a directory (lview_copy): volume
 * seeding, lochs cp in both directions. The destination side uses only
 * *at calls with O_NOFOLLOW below an already opened directory. */
#include "lview.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

struct copy {
	const struct lview *v;
	int chown_root;
	struct lerr *e;
};

static void set_meta(int dstfd, const char *name, const struct stat *st, int chown_root)
{
	int flags = name ? AT_SYMLINK_NOFOLLOW : AT_EMPTY_PATH;
	const char *n = name ? name : "";
	fchownat(dstfd, n, chown_root ? 0 : st->st_uid, chown_root ? 0 : st->st_gid, flags);
	if (!S_ISLNK(st->st_mode))
		fchmodat(dstfd, name ? name : ".", st->st_mode & 07777, 0);
	struct timespec ts[2] = { st->st_atim, st->st_mtim };
	utimensat(dstfd, name ? name : ".", ts, name ? AT_SYMLINK_NOFOLLOW : 0);
}

static int copy_file(struct copy *k, const struct lent *ent, const char *rel, int dstfd, const char *name)
{
	int in = lview_openat(k->v->fd[ent->layer], rel, O_RDONLY);
	if (in < 0)
		return lerr_sys(k->e, "/%s", rel);
	int out = openat(dstfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (out < 0) {
		close(in);
		return lerr_sys(k->e, "creating %s", name);
	}
	int rc = 0;
	for (;;) {
		ssize_t n = sendfile(out, in, NULL, 1 << 20);
		if (n == 0)
			break;
		if (n < 0) {
			rc = lerr_sys(k->e, "copying /%s", rel);
			break;
		}
	}
	close(in);
	close(out);
	return rc;
}

static int copy_entry(struct copy *k, const char *rel, int dstfd, const char *name);

/* The directory rel's merged contents into the open directory fd. */
static int copy_children(struct copy *k, const char *rel, const struct lent *ent, int fd)
{
	char **names;
	int n, rc = 0;
	if (lview_list(k->v, rel, ent, &names, &n) < 0)
		return lerr_sys(k->e, "listing /%s", rel);
	for (int i = 0; i < n; i++) {
		char child[PATH_MAX];
		snprintf(child, sizeof child, "%s%s%s", rel, *rel ? "/" : "", names[i]);
		if (rc == 0 && copy_entry(k, child, fd, names[i]) < 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

/* Makes room for a new entry: what is at name goes, except a directory
 * that a directory merges into; *was_whiteout tells a removed whiteout. */
static int clear_slot(struct copy *k, int dstfd, const char *name, int dir, int *was_whiteout)
{
	struct stat st;
	*was_whiteout = 0;
	if (fstatat(dstfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return 0;
	if (S_ISDIR(st.st_mode)) {
		if (dir)
			return 1;
		errno = EISDIR;
		return lerr_sys(k->e, "cannot overwrite directory %s with a non-directory", name);
	}
	*was_whiteout = lview_is_whiteout(&st);
	if (unlinkat(dstfd, name, 0) < 0)
		return lerr_sys(k->e, "replacing %s", name);
	return 0;
}

static int copy_entry(struct copy *k, const char *rel, int dstfd, const char *name)
{
	struct lent ent;
	if (lview_lookup(k->v, rel, &ent) < 0)
		return lerr_sys(k->e, "/%s", rel);
	const struct stat *st = &ent.st;
	int wh, dir = S_ISDIR(st->st_mode);
	int have = clear_slot(k, dstfd, name, dir, &wh);
	if (have < 0)
		return -1;
	if (dir) {
		if (!have && mkdirat(dstfd, name, 0700) < 0)
			return lerr_sys(k->e, "creating %s", name);
		int fd = openat(dstfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return lerr_sys(k->e, "opening %s", name);
		if (wh) /* the whiteout hid a lower directory: keep it hidden */
			fsetxattr(fd, "trusted.overlay.opaque", "y", 1, 0);
		int rc = copy_children(k, rel, &ent, fd);
		set_meta(fd, NULL, st, k->chown_root);
		close(fd);
		return rc;
	}
	if (S_ISREG(st->st_mode)) {
		if (copy_file(k, &ent, rel, dstfd, name) < 0)
			return -1;
	} else if (S_ISLNK(st->st_mode)) {
		char target[PATH_MAX];
		int fd = lview_openat(k->v->fd[ent.layer], rel, O_PATH);
		ssize_t n = fd < 0 ? -1 : readlinkat(fd, "", target, sizeof target - 1);
		if (fd >= 0)
			close(fd);
		if (n < 0)
			return lerr_sys(k->e, "/%s", rel);
		target[n] = 0;
		if (symlinkat(target, dstfd, name) < 0)
			return lerr_sys(k->e, "creating %s", name);
	} else if (S_ISFIFO(st->st_mode)) {
		if (mknodat(dstfd, name, S_IFIFO | 0600, 0) < 0)
			return lerr_sys(k->e, "creating %s", name);
	} else {
		return 0; /* devices and sockets are not copied */
	}
	set_meta(dstfd, name, st, k->chown_root);
	return 0;
}

int lview_copy(const struct lview *v, const char *rel, int dstfd, const char *name, int chown_root, struct lerr *e)
{
	struct copy k = { v, chown_root, e };
	if (name)
		return copy_entry(&k, rel, dstfd, name);
	struct lent ent;
	if (lview_lookup(v, rel, &ent) < 0)
		return lerr_sys(e, "/%s", rel);
	if (!S_ISDIR(ent.st.st_mode))
		return lerr_set(e, LX_LOCHS, "/%s is not a directory", rel);
	int rc = copy_children(&k, rel, &ent, dstfd);
	set_meta(dstfd, NULL, &ent.st, chown_root);
	return rc;
}
