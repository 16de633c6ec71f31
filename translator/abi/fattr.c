/* File attributes: modes, owners, timestamps, chflags(2) flags, pathconf. */
#include "../trap/dispatch.h"
#include "../rt/rt.h"
#include "xlate.h"
#include "fs.h"
#include <asm-generic/errno.h>
#include <linux/fcntl.h>

#ifndef __NR_fchmodat2
#define __NR_fchmodat2 452
#endif

#define ATTR_FLAGS (FAT_SYMLINK_NOFOLLOW | FAT_RESOLVE_BENEATH | FAT_EMPTY_PATH)

/* Runs the *at() attribute call `op` on (dirfd, path) with FreeBSD flags:
 * flag translation, descriptor guard and AT_RESOLVE_BENEATH in one place. */
enum attr_op { OP_CHMOD, OP_CHOWN, OP_UTIMENS, OP_FLAGS };

static long attr_at(enum attr_op op, int dirfd, const char *path, int fflag, long a1, long a2)
{
	DIRFD_GUARD(dirfd);
	if (!path)
		return -EFAULT; /* Linux would act on dirfd itself */
	int beneath;
	long lf = atflags_f2l((uint32_t)fflag, ATTR_FLAGS, &beneath);
	if (lf < 0)
		return -EINVAL;
	struct atpath a;
	long r = at_begin(&a, dirfd, path, beneath, 1, !(fflag & FAT_SYMLINK_NOFOLLOW));
	if (lerr(r))
		return r;
	if (a.tmpfd >= 0)
		lf |= AT_EMPTY_PATH;
	switch (op) {
	case OP_CHMOD:
		r = lsys4(__NR_fchmodat2, a.dirfd, a.path, a1 & 07777, lf);
		if (r == -ENOSYS && !lf)
			r = lsys3(__NR_fchmodat, a.dirfd, a.path, a1 & 07777);
		if (r == -EOPNOTSUPP && (lf & AT_SYMLINK_NOFOLLOW)) {
			/* lchmod of a symlink: Linux symlinks have no mode of
			 * their own (always 0777) and FreeBSD never checks a
			 * symlink's mode, so succeed as FreeBSD does (tar xf) */
			struct lstatx x;
			if (!lerr(fs_statx(a.dirfd, a.path, (int)lf, &x)) && (x.stx_mode & 0170000) == 0120000)
				r = 0;
		}
		break;
	case OP_CHOWN:
		r = lsys5(__NR_fchownat, a.dirfd, a.path, (int)a1, (int)a2, lf);
		break;
	case OP_UTIMENS:
		r = lsys4(__NR_utimensat, a.dirfd, a.path, a1, lf);
		break;
	case OP_FLAGS: {
		/* chflags(2): no file flags on Linux; clearing them is a no-op. */
		struct lstatx x;
		r = fs_statx(a.dirfd, a.path, (int)lf, &x);
		if (!lerr(r) && a1)
			r = -EOPNOTSUPP;
		break;
	}
	}
	at_done(&a);
	return r;
}

/* ---- modes ---- */

long sys_chmod(struct sysctx *c)
{
	return attr_at(OP_CHMOD, FAT_FDCWD, ARG_PTR(c, 0), 0, ARG_INT(c, 1), 0);
}

long sys_lchmod(struct sysctx *c)
{
	return attr_at(OP_CHMOD, FAT_FDCWD, ARG_PTR(c, 0), FAT_SYMLINK_NOFOLLOW, ARG_INT(c, 1), 0);
}

long sys_fchmodat(struct sysctx *c)
{
	return attr_at(OP_CHMOD, ARG_INT(c, 0), ARG_PTR(c, 1), ARG_INT(c, 3), ARG_INT(c, 2), 0);
}

long sys_fchmod(struct sysctx *c)
{
	FD_GUARD(ARG_INT(c, 0));
	return lsys2(__NR_fchmod, ARG_INT(c, 0), ARG_INT(c, 1) & 07777);
}

/* ---- owners ---- */

long sys_chown(struct sysctx *c)
{
	return attr_at(OP_CHOWN, FAT_FDCWD, ARG_PTR(c, 0), 0, ARG_INT(c, 1), ARG_INT(c, 2));
}

long sys_lchown(struct sysctx *c)
{
	return attr_at(OP_CHOWN, FAT_FDCWD, ARG_PTR(c, 0), FAT_SYMLINK_NOFOLLOW, ARG_INT(c, 1), ARG_INT(c, 2));
}

long sys_fchownat(struct sysctx *c)
{
	return attr_at(OP_CHOWN, ARG_INT(c, 0), ARG_PTR(c, 1), ARG_INT(c, 4), ARG_INT(c, 2), ARG_INT(c, 3));
}

long sys_fchown(struct sysctx *c)
{
	FD_GUARD(ARG_INT(c, 0));
	return lsys3(__NR_fchown, ARG_INT(c, 0), ARG_INT(c, 1), ARG_INT(c, 2));
}

/* ---- timestamps ---- */

/* Reads timeval[2] (NULL = now) into ts; returns the Linux pointer to use. */
static long tv_arg(const struct ftimeval *tv, struct ltimespec ts[2], struct ltimespec **out)
{
	*out = NULL;
	if (!tv)
		return 0;
	UADDR_GUARD(tv, 2 * sizeof *tv);
	if (utimes_f2l(tv, ts))
		return -EINVAL;
	*out = ts;
	return 0;
}

static long ts_arg(const struct ftimespec *t, struct ltimespec ts[2], struct ltimespec **out)
{
	*out = NULL;
	if (!t)
		return 0;
	UADDR_GUARD(t, 2 * sizeof *t);
	utimens_f2l(t, ts);
	*out = ts;
	return 0;
}

static long utimes_at(int dirfd, const char *path, const struct ftimeval *tv, int fflag)
{
	struct ltimespec ts[2], *p;
	long r = tv_arg(tv, ts, &p);
	if (lerr(r))
		return r;
	return attr_at(OP_UTIMENS, dirfd, path, fflag, (long)p, 0);
}

long sys_utimes(struct sysctx *c)
{
	return utimes_at(FAT_FDCWD, ARG_PTR(c, 0), ARG_PTR(c, 1), 0);
}

long sys_lutimes(struct sysctx *c)
{
	return utimes_at(FAT_FDCWD, ARG_PTR(c, 0), ARG_PTR(c, 1), FAT_SYMLINK_NOFOLLOW);
}

long sys_futimesat(struct sysctx *c)
{
	if (!ARG_PTR(c, 1))
		return -EFAULT;
	return utimes_at(ARG_INT(c, 0), ARG_PTR(c, 1), ARG_PTR(c, 2), 0);
}

long sys_futimes(struct sysctx *c)
{
	int fd = ARG_INT(c, 0);
	FD_GUARD(fd);
	struct ltimespec ts[2], *p;
	long r = tv_arg(ARG_PTR(c, 1), ts, &p);
	if (lerr(r))
		return r;
	return lsys4(__NR_utimensat, fd, NULL, p, 0);
}

long sys_utimensat(struct sysctx *c)
{
	struct ltimespec ts[2], *p;
	long r = ts_arg(ARG_PTR(c, 2), ts, &p);
	if (lerr(r))
		return r;
	return attr_at(OP_UTIMENS, ARG_INT(c, 0), ARG_PTR(c, 1), ARG_INT(c, 3), (long)p, 0);
}

long sys_futimens(struct sysctx *c)
{
	int fd = ARG_INT(c, 0);
	FD_GUARD(fd);
	struct ltimespec ts[2], *p;
	long r = ts_arg(ARG_PTR(c, 1), ts, &p);
	if (lerr(r))
		return r;
	return lsys4(__NR_utimensat, fd, NULL, p, 0);
}

/* ---- chflags ---- */

long sys_chflags(struct sysctx *c)
{
	return attr_at(OP_FLAGS, FAT_FDCWD, ARG_PTR(c, 0), 0, (long)c->a[1], 0);
}

long sys_lchflags(struct sysctx *c)
{
	return attr_at(OP_FLAGS, FAT_FDCWD, ARG_PTR(c, 0), FAT_SYMLINK_NOFOLLOW, (long)c->a[1], 0);
}

long sys_chflagsat(struct sysctx *c)
{
	return attr_at(OP_FLAGS, ARG_INT(c, 0), ARG_PTR(c, 1), ARG_INT(c, 3), (long)c->a[2], 0);
}

long sys_fchflags(struct sysctx *c)
{
	int fd = ARG_INT(c, 0);
	FD_GUARD(fd);
	if (fd < 0)
		return -EBADF;
	return attr_at(OP_FLAGS, fd, "", FAT_EMPTY_PATH, (long)c->a[1], 0);
}

/* ---- pathconf ---- */

static long pathconf_fd(int fd, int name, long *v)
{
	struct lstatx x;
	struct lstatfs sf;
	long r = fs_statx(fd, "", AT_EMPTY_PATH, &x);
	if (!lerr(r))
		r = fs_fstatfs(fd, &sf);
	if (lerr(r))
		return r;
	if (!(x.stx_mode & 0170000))
		return -EOPNOTSUPP; /* neither vnode, pipe nor socket */
	if (pathconf_value(name, x.stx_mode, &sf, v))
		return -EINVAL;
	return 0;
}

/* A pathconf value of -1 ("no limit") is a success: set the registers here,
 * since -1 from a handler would read as -EPERM. */
static long pathconf_ret(struct sysctx *c, long r, long v)
{
	if (lerr(r))
		return r;
	if (v >= 0)
		return v;
	c->uc->uc_mcontext.rax = (uint64_t)v;
	c->uc->uc_mcontext.eflags &= ~1UL;
	c->justreturn = 1;
	return 0;
}

static long pathconf_path(struct sysctx *c, int follow)
{
	long v = 0;
	PATH_GUARD(ARG_PTR(c, 0));
	long fd = lsys4(__NR_openat, AT_FDCWD, c->a[0], O_PATH | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW), 0);
	if (lerr(fd))
		return fd;
	long r = pathconf_fd((int)fd, ARG_INT(c, 1), &v);
	lsys1(__NR_close, fd);
	return pathconf_ret(c, r, v);
}

long sys_pathconf(struct sysctx *c)
{
	return pathconf_path(c, 1);
}

long sys_lpathconf(struct sysctx *c)
{
	return pathconf_path(c, 0);
}

long sys_fpathconf(struct sysctx *c)
{
	FD_GUARD(ARG_INT(c, 0));
	long v = 0;
	long r = pathconf_fd(ARG_INT(c, 0), ARG_INT(c, 1), &v);
	return pathconf_ret(c, r, v);
}

/* extattr_*(2): no extended attributes here; EOPNOTSUPP is what FreeBSD
 * says for a file system without them, which tar and cp accept quietly. */
long sys_extattr_none(struct sysctx *c)
{
	(void)c;
	return -EOPNOTSUPP;
}
