/* The jail's root, built in the child's own mount namespace (so the
 * kernel takes every mount away when the jail dies): overlayfs over the
 * image layers, the configured bind and tmpfs mounts, /dev, optionally
 * read-only, then pivot_root. Mount targets are resolved inside the root
 * (openat2 RESOLVE_IN_ROOT): an image's symlink cannot aim a mount at the
 * host. Mounts are built detached (open_tree/fsmount) and attached by fd. */
#include "jail_int.h"
#include "../../common/fsutil.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static int openat2_(int dirfd, const char *path, int flags)
{
	struct open_how how = { .flags = (unsigned)flags | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
	return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof how);
}

int open_in_root(int rootfd, const char *path, int create, int file, struct lerr *e)
{
	int fd = openat2_(rootfd, path, O_PATH);
	if (fd >= 0 || errno != ENOENT || !create) {
		if (fd < 0)
			lerr_sys(e, "%s", path);
		return fd;
	}
	/* Create component by component, each resolved in the root. */
	char buf[4096];
	snprintf(buf, sizeof buf, "%s", path);
	size_t len = strlen(buf);
	while (len > 1 && buf[len - 1] == '/')
		buf[--len] = 0;
	for (char *s = buf + 1;; s++) {
		if (*s != '/' && *s)
			continue;
		char c = *s;
		*s = 0;
		int last = !c;
		if ((fd = openat2_(rootfd, buf, O_PATH)) < 0) {
			char *slash = strrchr(buf, '/');
			*slash = 0;
			int dfd = openat2_(rootfd, *buf ? buf : "/", O_PATH | O_DIRECTORY);
			*slash = '/';
			if (dfd < 0)
				return lerr_sys(e, "%s", buf);
			int r = last && file ? mknodat(dfd, slash + 1, S_IFREG | 0644, 0) : mkdirat(dfd, slash + 1, 0755);
			close(dfd);
			if (r < 0 && errno != EEXIST)
				return lerr_sys(e, "creating %s", buf);
			if ((fd = openat2_(rootfd, buf, O_PATH)) < 0)
				return lerr_sys(e, "%s", buf);
		}
		if (last)
			return fd;
		close(fd);
		*s = c;
	}
}

int mount_at(int rootfd, const char *path, int mntfd, struct lerr *e)
{
	struct stat st;
	int file = fstat(mntfd, &st) == 0 && !S_ISDIR(st.st_mode);
	int tfd = open_in_root(rootfd, path, 1, file, e);
	if (tfd < 0)
		return -1;
	int r = move_mount(mntfd, "", tfd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
	close(tfd);
	return r < 0 ? lerr_sys(e, "mounting on %s", path) : 0;
}

/* "size=64m,mode=1777" applied to an fsopen context. */
static int fs_options(int fs, const char *opts, struct lerr *e)
{
	char buf[1024];
	snprintf(buf, sizeof buf, "%s", opts ? opts : "");
	for (char *save, *o = strtok_r(buf, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		char *v = strchr(o, '=');
		if (v)
			*v++ = 0;
		if (strcmp(o, "ro") == 0 || strcmp(o, "rw") == 0)
			continue; /* a mount attribute, not a tmpfs option */
		if (fsconfig(fs, v ? FSCONFIG_SET_STRING : FSCONFIG_SET_FLAG, o, v, 0) < 0)
			return lerr_sys(e, "option %s%s%s", o, v ? "=" : "", v ? v : "");
	}
	return 0;
}

int fs_new(const char *type, const char *opts, unsigned attrs, struct lerr *e)
{
	int fs = fsopen(type, FSOPEN_CLOEXEC);
	if (fs < 0)
		return lerr_sys(e, "%s", type);
	int m = -1;
	if (fs_options(fs, opts, e) == 0) {
		if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0 || (m = fsmount(fs, FSMOUNT_CLOEXEC, attrs)) < 0)
			lerr_sys(e, "%s", type);
	}
	close(fs);
	return m;
}

static int add_mount(int rootfd, const struct jail_mount *m, struct lerr *e)
{
	int mfd;
	int ro = m->readonly || (m->options && (strcmp(m->options, "ro") == 0 || strncmp(m->options, "ro,", 3) == 0 ||
						strstr(m->options, ",ro,") || (strlen(m->options) > 3 &&
						strcmp(m->options + strlen(m->options) - 3, ",ro") == 0)));
	if (strcmp(m->type, "tmpfs") == 0) {
		mfd = fs_new("tmpfs", m->options, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | (ro ? MOUNT_ATTR_RDONLY : 0), e);
	} else {
		mfd = open_tree(AT_FDCWD, m->source, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
		if (mfd < 0)
			lerr_sys(e, "%s", m->source);
		struct mount_attr a = { .attr_set = ro ? MOUNT_ATTR_RDONLY : 0 };
		if (mfd >= 0 && ro && mount_setattr(mfd, "", AT_EMPTY_PATH | AT_RECURSIVE, &a, sizeof a) < 0) {
			lerr_sys(e, "%s: read-only", m->source);
			close(mfd);
			mfd = -1;
		}
	}
	if (mfd < 0)
		return lerr_wrap(e, "mount %s", m->target);
	int r = mount_at(rootfd, m->target, mfd, e);
	close(mfd);
	return r;
}

/* ROOT/jails/ID/rootfs next to the upper layer: a mount point seen only
 * in the jail's namespace. */
static int overlay(const struct jail_config *c, char *mnt, size_t size, struct lerr *e)
{
	char opts[4096];
	int n = snprintf(opts, sizeof opts, "lowerdir=");
	for (int i = 0; c->lowerdirs[i]; i++)
		n += snprintf(opts + n, n < (int)sizeof opts ? sizeof opts - (size_t)n : 0, "%s%s", i ? ":" : "", c->lowerdirs[i]);
	n += snprintf(opts + n, n < (int)sizeof opts ? sizeof opts - (size_t)n : 0, ",upperdir=%s,workdir=%s", c->upperdir, c->workdir);
	/* The mount data is one page; more layers need fsconfig lowerdir+
	 * (Linux 6.8) — not needed yet. */
	if (n >= (int)sizeof opts)
		return lerr_set(e, LX_LOCHS, "overlay: too many layers for one mount (%d bytes of options)", n);
	snprintf(mnt, size, "%s", c->upperdir);
	char *slash = strrchr(mnt, '/');
	snprintf(slash ? slash + 1 : mnt, size - (size_t)(slash ? slash + 1 - mnt : 0), "rootfs");
	if ((mkdir(c->upperdir, 0755) < 0 && errno != EEXIST) || (mkdir(c->workdir, 0700) < 0 && errno != EEXIST))
		return lerr_sys(e, "creating %s", c->upperdir);
	if (mkdir(mnt, 0755) < 0 && errno != EEXIST)
		return lerr_sys(e, "creating %s", mnt);
	if (mount("overlay", mnt, "overlay", MS_NOSUID, opts) < 0)
		return lerr_sys(e, "overlay root on %s", mnt);
	return 0;
}

int rootfs_prepare(const struct jail_config *c, struct lerr *e)
{
	char mnt[4096];
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return lerr_sys(e, "making mounts private");
	if (overlay(c, mnt, sizeof mnt, e) < 0)
		return -1;
	int rootfd = open(mnt, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return lerr_sys(e, "%s", mnt);
	if (dev_setup(rootfd, e) < 0)
		goto fail;
	for (int i = 0; i < c->nmounts; i++)
		if (add_mount(rootfd, &c->mounts[i], e) < 0)
			goto fail;
	/* Only the overlay itself: the mounts on it keep their own mode. */
	struct mount_attr a = { .attr_set = MOUNT_ATTR_RDONLY };
	if (c->read_only && mount_setattr(rootfd, "", AT_EMPTY_PATH, &a, sizeof a) < 0) {
		lerr_sys(e, "read-only root");
		goto fail;
	}
	return rootfd;
fail:
	close(rootfd);
	return -1;
}

int rootfs_enter(int rootfd, struct lerr *e)
{
	if (fchdir(rootfd) < 0 || syscall(SYS_pivot_root, ".", ".") < 0)
		return lerr_sys(e, "pivot_root");
	/* The old root is stacked under the new one at "."; detach it. */
	if (umount2(".", MNT_DETACH) < 0 || chdir("/") < 0)
		return lerr_sys(e, "detaching the host root");
	return 0;
}
