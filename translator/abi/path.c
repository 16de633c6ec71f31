/* Name-space system calls: access, unlink, mkdir, rename, link, symlink,
 * readlink, chdir, getcwd, realpath, mknod, mkfifo; AT_RESOLVE_BENEATH. */
#include "../trap/dispatch.h"
#include "../rt/rt.h"
#include "xlate.h"
#include "fs.h"
#include <asm-generic/errno.h>
#include <linux/fcntl.h>
#include <linux/openat2.h>

#define FE_NOTCAPABLE 93
#define FPATH_MAX 1024

static long beneath_open(int dirfd, const char *path, uint64_t flags)
{
	struct open_how how = { .flags = flags | O_PATH | O_CLOEXEC, .resolve = RESOLVE_BENEATH };
	long fd = lsys4(__NR_openat2, dirfd, path, &how, sizeof how);
	return fd == -EXDEV ? FERR(FE_NOTCAPABLE) : fd;
}

long at_begin(struct atpath *a, int dirfd, const char *path, int beneath, int whole, int follow)
{
	a->dirfd = dirfd;
	a->path = path;
	a->tmpfd = -1;
	PATH_GUARD(path);
	if (!beneath)
		return 0;
	UADDR_GUARD(path, 1);
	size_t len = strnlen(path, FPATH_MAX);
	if (len >= FPATH_MAX)
		return -ENAMETOOLONG;
	if (whole) {
		long fd = beneath_open(dirfd, path, follow ? 0 : O_NOFOLLOW);
		if (lerr(fd))
			return fd;
		a->dirfd = a->tmpfd = (int)fd;
		a->path = "";
		return 0;
	}
	/* Parent directory resolved beneath dirfd, last component kept. */
	size_t end = len;
	while (end > 1 && path[end - 1] == '/')
		end--;
	size_t slash = end;
	while (slash > 0 && path[slash - 1] != '/')
		slash--;
	size_t lastlen = len - slash;
	if (lastlen >= sizeof a->last)
		return -ENAMETOOLONG;
	memcpy(a->last, path + slash, lastlen);
	a->last[lastlen] = 0;
	if (!strncmp(a->last, "..", 2) && (a->last[2] == 0 || a->last[2] == '/'))
		return FERR(FE_NOTCAPABLE);
	char parent[FPATH_MAX];
	if (slash == 0) {
		parent[0] = '.';
		parent[1] = 0;
	} else {
		memcpy(parent, path, slash);
		parent[slash] = 0;
	}
	long fd = beneath_open(dirfd, parent, O_DIRECTORY);
	if (lerr(fd))
		return fd;
	a->dirfd = a->tmpfd = (int)fd;
	a->path = a->last;
	return 0;
}

void at_done(struct atpath *a)
{
	if (a->tmpfd >= 0)
		lsys1(__NR_close, a->tmpfd);
	a->tmpfd = -1;
}

/* ---- access ---- */

static long do_faccessat(int dirfd, const char *path, int mode, int fflag)
{
	DIRFD_GUARD(dirfd);
	int beneath;
	long lf = atflags_f2l((uint32_t)fflag, FAT_EACCESS | FAT_RESOLVE_BENEATH | FAT_EMPTY_PATH, &beneath);
	if (lf < 0 || (mode & ~7))
		return -EINVAL;
	struct atpath a;
	long r = at_begin(&a, dirfd, path, beneath, 1, 1);
	if (lerr(r))
		return r;
	r = lsys4(__NR_faccessat2, a.dirfd, a.path, mode, lf | (a.tmpfd >= 0 ? AT_EMPTY_PATH : 0));
	at_done(&a);
	return r;
}

long sys_access(struct sysctx *c)
{
	return do_faccessat(FAT_FDCWD, ARG_PTR(c, 0), ARG_INT(c, 1), 0);
}

long sys_eaccess(struct sysctx *c)
{
	return do_faccessat(FAT_FDCWD, ARG_PTR(c, 0), ARG_INT(c, 1), FAT_EACCESS);
}

long sys_faccessat(struct sysctx *c)
{
	return do_faccessat(ARG_INT(c, 0), ARG_PTR(c, 1), ARG_INT(c, 2), ARG_INT(c, 3));
}

/* ---- unlink, rmdir, mkdir ---- */

static long do_unlinkat(int dirfd, const char *path, int fflag)
{
	DIRFD_GUARD(dirfd);
	int beneath;
	long lf = atflags_f2l((uint32_t)fflag, FAT_REMOVEDIR | FAT_RESOLVE_BENEATH, &beneath);
	if (lf < 0)
		return -EINVAL;
	struct atpath a;
	long r = at_begin(&a, dirfd, path, beneath, 0, 0);
	if (lerr(r))
		return r;
	r = lsys3(__NR_unlinkat, a.dirfd, a.path, lf);
	at_done(&a);
	if (r == -EISDIR && !(lf & AT_REMOVEDIR))
		r = -EPERM; /* FreeBSD unlink(2) of a directory */
	return r;
}

long sys_unlink(struct sysctx *c)
{
	return do_unlinkat(FAT_FDCWD, ARG_PTR(c, 0), 0);
}

long sys_unlinkat(struct sysctx *c)
{
	return do_unlinkat(ARG_INT(c, 0), ARG_PTR(c, 1), ARG_INT(c, 2));
}

long sys_rmdir(struct sysctx *c)
{
	return do_unlinkat(FAT_FDCWD, ARG_PTR(c, 0), FAT_REMOVEDIR);
}

#define FD_NONE (-200)

/* funlinkat: unlink only if the name still refers to the file open as fd. */
long sys_funlinkat(struct sysctx *c)
{
	int dirfd = ARG_INT(c, 0), fd = ARG_INT(c, 2), flag = ARG_INT(c, 3);
	const char *path = ARG_PTR(c, 1);
	if (fd != FD_NONE) {
		FD_GUARD(fd);
		DIRFD_GUARD(dirfd);
		struct lstatx a, b;
		long r = fs_statx(fd, "", AT_EMPTY_PATH, &a);
		if (lerr(r))
			return r;
		r = fs_statx(dirfd, path, AT_SYMLINK_NOFOLLOW, &b);
		if (lerr(r))
			return r;
		if (a.stx_ino != b.stx_ino || a.stx_dev_major != b.stx_dev_major ||
		    a.stx_dev_minor != b.stx_dev_minor)
			return -EDEADLK;
	}
	return do_unlinkat(dirfd, path, flag);
}

static long do_mkdirat(int dirfd, const char *path, int mode)
{
	DIRFD_GUARD(dirfd);
	PATH_GUARD(path);
	return lsys3(__NR_mkdirat, dirfd, path, mode & 0777); /* ACCESSPERMS */
}

long sys_mkdir(struct sysctx *c)
{
	return do_mkdirat(FAT_FDCWD, ARG_PTR(c, 0), ARG_INT(c, 1));
}

long sys_mkdirat(struct sysctx *c)
{
	return do_mkdirat(ARG_INT(c, 0), ARG_PTR(c, 1), ARG_INT(c, 2));
}

/* ---- rename, link, symlink, readlink ---- */

static long do_renameat(int ofd, const char *old, int nfd, const char *new)
{
	DIRFD_GUARD(ofd);
	DIRFD_GUARD(nfd);
	PATH_GUARD(old);
	PATH_GUARD(new);
	return lsys4(__NR_renameat, ofd, old, nfd, new);
}

long sys_rename(struct sysctx *c)
{
	return do_renameat(FAT_FDCWD, ARG_PTR(c, 0), FAT_FDCWD, ARG_PTR(c, 1));
}

long sys_renameat(struct sysctx *c)
{
	return do_renameat(ARG_INT(c, 0), ARG_PTR(c, 1), ARG_INT(c, 2), ARG_PTR(c, 3));
}

static long do_linkat(int fd1, const char *p1, int fd2, const char *p2, int fflag)
{
	DIRFD_GUARD(fd1);
	DIRFD_GUARD(fd2);
	int beneath;
	long lf = atflags_f2l((uint32_t)fflag, FAT_SYMLINK_FOLLOW | FAT_RESOLVE_BENEATH | FAT_EMPTY_PATH,
			      &beneath);
	if (lf < 0)
		return -EINVAL;
	struct atpath a, b;
	long r = at_begin(&a, fd1, p1, beneath, 1, !!(lf & AT_SYMLINK_FOLLOW));
	if (lerr(r))
		return r;
	r = at_begin(&b, fd2, p2, beneath, 0, 0);
	if (!lerr(r)) {
		r = lsys5(__NR_linkat, a.dirfd, a.path, b.dirfd, b.path,
			  lf | (a.tmpfd >= 0 ? AT_EMPTY_PATH : 0));
		at_done(&b);
	}
	at_done(&a);
	return r;
}

/* link(2) follows a symbolic link in its first argument on FreeBSD. */
long sys_link(struct sysctx *c)
{
	return do_linkat(FAT_FDCWD, ARG_PTR(c, 0), FAT_FDCWD, ARG_PTR(c, 1), FAT_SYMLINK_FOLLOW);
}

long sys_linkat(struct sysctx *c)
{
	return do_linkat(ARG_INT(c, 0), ARG_PTR(c, 1), ARG_INT(c, 2), ARG_PTR(c, 3), ARG_INT(c, 4));
}

static long do_symlinkat(const char *target, int dirfd, const char *path)
{
	DIRFD_GUARD(dirfd);
	PATH_GUARD(target);
	PATH_GUARD(path);
	return lsys3(__NR_symlinkat, target, dirfd, path);
}

long sys_symlink(struct sysctx *c)
{
	return do_symlinkat(ARG_PTR(c, 0), AT_FDCWD, ARG_PTR(c, 1));
}

long sys_symlinkat(struct sysctx *c)
{
	return do_symlinkat(ARG_PTR(c, 0), ARG_INT(c, 1), ARG_PTR(c, 2));
}

static long do_readlinkat(int dirfd, const char *path, char *buf, uint64_t size)
{
	DIRFD_GUARD(dirfd);
	PATH_GUARD(path);
	if (size > INT64_MAX)
		return -EINVAL;
	if (size > 0x7fffffff)
		size = 0x7fffffff;
	long r = lsys4(__NR_readlinkat, dirfd, path, buf, size);
	if (r == -ENOENT && path && !path[0])
		r = -EINVAL; /* "" names dirfd itself, which is no symbolic link */
	return r;
}

long sys_readlink(struct sysctx *c)
{
	return do_readlinkat(FAT_FDCWD, ARG_PTR(c, 0), ARG_PTR(c, 1), c->a[2]);
}

long sys_readlinkat(struct sysctx *c)
{
	return do_readlinkat(ARG_INT(c, 0), ARG_PTR(c, 1), ARG_PTR(c, 2), c->a[3]);
}

/* ---- working directory, realpath ---- */

long sys_chdir(struct sysctx *c)
{
	PATH_GUARD(ARG_PTR(c, 0));
	return lsys1(__NR_chdir, c->a[0]);
}

long sys_chroot(struct sysctx *c)
{
	PATH_GUARD(ARG_PTR(c, 0));
	return lsys1(__NR_chroot, c->a[0]);
}

long sys_fchdir(struct sysctx *c)
{
	FD_GUARD(ARG_INT(c, 0));
	return lsys1(__NR_fchdir, ARG_INT(c, 0));
}

/* __getcwd returns 0, not the length. */
long sys___getcwd(struct sysctx *c)
{
	char *buf = ARG_PTR(c, 0);
	uint64_t size = c->a[1];
	if (size < 2)
		return -EINVAL;
	if (size > FPATH_MAX)
		size = FPATH_MAX;
	long r = lsys2(__NR_getcwd, buf, size);
	if (lerr(r))
		return r;
	if (buf[0] != '/')
		return -ENOENT; /* "(unreachable)": outside our root */
	return 0;
}

/* __realpathat(fd, path, buf, size, flags): the kernel's name for the file,
 * taken from /proc/self/fd of an O_PATH descriptor. libc falls back to a
 * user-space walk when this fails. */
long sys___realpathat(struct sysctx *c)
{
	int dirfd = ARG_INT(c, 0);
	const char *path = ARG_PTR(c, 1);
	char *buf = ARG_PTR(c, 2);
	uint64_t size = c->a[3];
	if (ARG_INT(c, 4))
		return -EINVAL;
	DIRFD_GUARD(dirfd);
	PATH_GUARD(path);
	if (size > FPATH_MAX)
		size = FPATH_MAX;
	long fd = lsys4(__NR_openat, dirfd, path, O_PATH | O_CLOEXEC, 0);
	if (lerr(fd))
		return fd;
	char p[32], out[FPATH_MAX + 16];
	rt_snprintf(p, sizeof p, "/proc/self/fd/%ld", fd);
	long n = lsys4(__NR_readlinkat, AT_FDCWD, p, out, sizeof out - 1);
	lsys1(__NR_close, fd);
	if (lerr(n))
		return n;
	if (n == 0 || out[0] != '/')
		return -ENOENT;
	if ((uint64_t)n + 1 > size)
		return -ENOMEM; /* vn_fullpath: buffer too small */
	UADDR_GUARD(buf, (uint64_t)n + 1);
	memcpy(buf, out, (size_t)n);
	buf[n] = 0;
	return 0;
}

/* ---- special files ---- */

#define FS_IFMT 0170000
#define FS_IFIFO 0010000
#define FS_IFCHR 0020000
#define FS_IFBLK 0060000
#define FS_IFWHT 0160000

/* kern_mknodat: devices and whiteouts; a fifo when dev is 0; else EINVAL. */
static long do_mknodat(int dirfd, const char *path, int mode, uint64_t fdev)
{
	DIRFD_GUARD(dirfd);
	PATH_GUARD(path);
	switch (mode & FS_IFMT) {
	case FS_IFCHR:
	case FS_IFBLK:
		break;
	case FS_IFWHT:
		return -EOPNOTSUPP;
	case FS_IFIFO:
		if (fdev == 0)
			break;
		return -EINVAL;
	default:
		return -EINVAL;
	}
	uint32_t ldev = ldev_encode(fdev_major(fdev), fdev_minor(fdev));
	return lsys4(__NR_mknodat, dirfd, path, mode & (FS_IFMT | 07777), ldev);
}

long sys_mknodat(struct sysctx *c)
{
	return do_mknodat(ARG_INT(c, 0), ARG_PTR(c, 1), ARG_INT(c, 2), c->a[3]);
}

/* FreeBSD 11 dev_t was 32 bits wide with the same major/minor encoding. */
long sys_freebsd11_mknodat(struct sysctx *c)
{
	return do_mknodat(ARG_INT(c, 0), ARG_PTR(c, 1), ARG_INT(c, 2), (uint32_t)c->a[3]);
}

long sys_freebsd11_mknod(struct sysctx *c)
{
	return do_mknodat(FAT_FDCWD, ARG_PTR(c, 0), ARG_INT(c, 1), (uint32_t)c->a[2]);
}

/* undelete(2): Linux file systems keep no whiteouts to remove. */
long sys_undelete(struct sysctx *c)
{
	PATH_GUARD(ARG_PTR(c, 0));
	struct lstatx x;
	long r = fs_statx(AT_FDCWD, ARG_PTR(c, 0), AT_SYMLINK_NOFOLLOW, &x);
	return lerr(r) ? r : -EEXIST;
}

/* revoke(2): only character devices; access is not actually revoked. */
long sys_revoke(struct sysctx *c)
{
	PATH_GUARD(ARG_PTR(c, 0));
	struct lstatx x;
	long r = fs_statx(AT_FDCWD, ARG_PTR(c, 0), 0, &x);
	if (lerr(r))
		return r;
	if ((x.stx_mode & FS_IFMT) != FS_IFCHR)
		return -EINVAL;
	long uid = lsys0(__NR_geteuid);
	if (uid != 0 && (uint32_t)uid != x.stx_uid)
		return -EPERM;
	return 0;
}

long sys_mkfifo(struct sysctx *c)
{
	PATH_GUARD(ARG_PTR(c, 0));
	return lsys4(__NR_mknodat, AT_FDCWD, c->a[0], FS_IFIFO | (ARG_INT(c, 1) & 07777), 0);
}

long sys_mkfifoat(struct sysctx *c)
{
	DIRFD_GUARD(ARG_INT(c, 0));
	PATH_GUARD(ARG_PTR(c, 1));
	return lsys4(__NR_mknodat, ARG_INT(c, 0), c->a[1], FS_IFIFO | (ARG_INT(c, 2) & 07777), 0);
}
