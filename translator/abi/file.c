/* Descriptor I/O: open, read, write and friends; the reserved descriptor;
 * dup/pipe/close_range; sync, truncate, allocation hints, sendfile. */
#include "../trap/dispatch.h"
#include "../rt/rt.h"
#include "../loader/process.h"
#include "xlate.h"
#include "kqhook.h"
#include "sockstate.h"
#include "fnetlink.h"
#include "fs.h"
#include "umtx.h"
#include "jail.h"
#include <asm-generic/errno.h>
#include <linux/fcntl.h>
#include <linux/openat2.h>

#define MSG_NOSIGNAL_L 0x4000 /* Linux MSG_NOSIGNAL */

/* The translator's own descriptors (its binary, the kqueue area's eventfds,
 * timerfds...) are invisible to the guest. */
int fd_reserved(int fd)
{
	return fd >= 0 && (fd == proc.exe_fd || fd == proc.proc_fd || fd == jail_table_fd() || kq_fd_internal(fd) || umtx_shm_fd_reserved(fd));
}

/* Frees `fd` for a guest dup2: our binary's descriptor moves elsewhere; the
 * kqueue area's cannot, so that number stays unusable (EBADF). */
long fd_evict(int fd)
{
	if (!fd_reserved(fd))
		return 0;
	if (fd != proc.exe_fd)
		return -EBADF;
	long n = lsys3(__NR_fcntl, fd, F_DUPFD_CLOEXEC, fd + 1);
	if (lerr(n))
		n = lsys3(__NR_fcntl, fd, F_DUPFD_CLOEXEC, 3);
	if (lerr(n))
		return n;
	proc.exe_fd = (int)n;
	lsys1(__NR_close, fd);
	return 0;
}

/* A socket error kevent kept (sockerr.c) fails the next read. */
#define SOCK_ERR_HOOK(fd) \
	do { \
		long e_ = sock_error_recv(fd, 0); \
		if (e_) \
			return e_; \
	} while (0)

long sys_read(struct sysctx *c)
{
	FD_GUARD(ARG_INT(c, 0));
	SOCK_ERR_HOOK(ARG_INT(c, 0));
	if (sock_flags(ARG_INT(c, 0)) & SF_ROUTE) {
		struct rs_iov v = { ARG_PTR(c, 1), c->a[2] };
		return routesock_recv(ARG_INT(c, 0), &v, 1, 0, NULL);
	}
	if (sock_flags(ARG_INT(c, 0)) & SF_FNETLINK) {
		struct rs_iov v = { ARG_PTR(c, 1), c->a[2] };
		return fnl_recv(ARG_INT(c, 0), &v, 1, 0, NULL, NULL, NULL);
	}
	return bsys(__NR_read, ARG_INT(c, 0), c->a[1], c->a[2], 0, 0, 0);
}

/* SO_NOSIGPIPE has no Linux socket option: such sockets are written with
 * MSG_NOSIGNAL instead. */
long sys_write(struct sysctx *c)
{
	int fd = ARG_INT(c, 0);
	FD_GUARD(fd);
	if (sock_flags(fd) & SF_ROUTE)
		return routesock_write(fd, ARG_PTR(c, 1), c->a[2]);
	if (sock_flags(fd) & SF_FNETLINK) {
		struct rs_iov v = { ARG_PTR(c, 1), c->a[2] };
		return fnl_send(fd, &v, 1, 0);
	}
	if (sock_nosigpipe(fd))
		return bsys(__NR_sendto, fd, c->a[1], c->a[2], MSG_NOSIGNAL_L, 0, 0);
	return bsys(__NR_write, fd, c->a[1], c->a[2], 0, 0, 0);
}

long sys_readv(struct sysctx *c)
{
	FD_GUARD(ARG_INT(c, 0));
	SOCK_ERR_HOOK(ARG_INT(c, 0));
	if (sock_flags(ARG_INT(c, 0)) & SF_ROUTE) {
		if ((uint32_t)c->a[2] > 1024)
			return -EINVAL;
		return routesock_recv(ARG_INT(c, 0), ARG_PTR(c, 1), (int)c->a[2], 0, NULL);
	}
	if (sock_flags(ARG_INT(c, 0)) & SF_FNETLINK) {
		if ((uint32_t)c->a[2] > 1024)
			return -EINVAL;
		return fnl_recv(ARG_INT(c, 0), ARG_PTR(c, 1), (int)c->a[2], 0, NULL, NULL, NULL);
	}
	return bsys(__NR_readv, ARG_INT(c, 0), c->a[1], (uint32_t)c->a[2], 0, 0, 0);
}

long sys_writev(struct sysctx *c)
{
	int fd = ARG_INT(c, 0);
	FD_GUARD(fd);
	if (sock_flags(fd) & SF_FNETLINK) {
		if ((uint32_t)c->a[2] > 1024)
			return -EINVAL;
		return fnl_send(fd, ARG_PTR(c, 1), (int)c->a[2], 0);
	}
	if (sock_nosigpipe(fd)) {
		struct { void *name; int namelen, pad; void *iov; uint64_t iovlen; void *ctl;
			 uint64_t ctllen; int flags, pad2; } m = { 0, 0, 0, ARG_PTR(c, 1),
								  (uint32_t)c->a[2], 0, 0, 0, 0 };
		return bsys(__NR_sendmsg, fd, &m, MSG_NOSIGNAL_L, 0, 0, 0);
	}
	return bsys(__NR_writev, fd, c->a[1], (uint32_t)c->a[2], 0, 0, 0);
}

long sys_pread(struct sysctx *c)
{
	FD_GUARD(ARG_INT(c, 0));
	return bsys(__NR_pread64, ARG_INT(c, 0), c->a[1], c->a[2], c->a[3], 0, 0);
}

long sys_pwrite(struct sysctx *c)
{
	FD_GUARD(ARG_INT(c, 0));
	return bsys(__NR_pwrite64, ARG_INT(c, 0), c->a[1], c->a[2], c->a[3], 0, 0);
}

long sys_preadv(struct sysctx *c)
{
	FD_GUARD(ARG_INT(c, 0));
	if ((int64_t)c->a[3] < 0)
		return -EINVAL;
	return bsys(__NR_preadv, ARG_INT(c, 0), c->a[1], (uint32_t)c->a[2], c->a[3], 0, 0);
}

long sys_pwritev(struct sysctx *c)
{
	FD_GUARD(ARG_INT(c, 0));
	if ((int64_t)c->a[3] < 0)
		return -EINVAL;
	return bsys(__NR_pwritev, ARG_INT(c, 0), c->a[1], (uint32_t)c->a[2], c->a[3], 0, 0);
}

long sys_lseek(struct sysctx *c)
{
	FD_GUARD(ARG_INT(c, 0));
	return lsys3(__NR_lseek, ARG_INT(c, 0), c->a[1], ARG_INT(c, 2));
}

/* ---- open ---- */

#define FO_SHLOCK 0x10
#define FO_EXLOCK 0x20
#define FO_NOFOLLOW 0x100
#define FO_EXEC 0x40000
#define FO_RESOLVE_BENEATH 0x800000
#define FO_EMPTY_PATH 0x2000000
#define FO_NONBLOCK 0x4
#define FO_PATH 0x400000
#define FO_ACCMODE 3

static long do_openat(int dirfd, const char *path, uint32_t ff, int mode)
{
	DIRFD_GUARD(dirfd);
	PATH_GUARD(path);
	if (devfd_number(path) >= 0 && !(ff & (FO_PATH | FO_EXEC)))
		return devfd_open(devfd_number(path), ff);
	uint32_t lf = oflags_f2l(ff);
	/* kern_openat: O_PATH ignores the access mode, O_EXEC/O_SEARCH takes
	 * none (a lookup-only descriptor here), O_ACCMODE itself is invalid. */
	if (ff & FO_PATH)
		lf &= ~(uint32_t)(O_ACCMODE | O_CREAT);
	else if (ff & FO_EXEC) {
		if (ff & FO_ACCMODE)
			return -EINVAL;
		lf |= O_PATH;
	} else if ((ff & FO_ACCMODE) == FO_ACCMODE)
		return -EINVAL;
	long fd;
	if (ff & FO_EMPTY_PATH && path && !path[0]) {
		/* Reopen dirfd itself with new flags. */
		char p[32];
		if (dirfd == FAT_FDCWD)
			rt_snprintf(p, sizeof p, "/proc/self/cwd");
		else
			rt_snprintf(p, sizeof p, "/proc/self/fd/%d", dirfd);
		fd = bsys(__NR_openat, AT_FDCWD, p, lf, mode & 06777, 0, 0);
	} else if (ff & FO_RESOLVE_BENEATH) {
		struct open_how how = { .flags = lf, .mode = (lf & (O_CREAT | __O_TMPFILE)) ? (uint64_t)(mode & 06777) : 0,
					.resolve = RESOLVE_BENEATH };
		fd = bsys(__NR_openat2, dirfd, path, &how, sizeof how, 0, 0);
		if (fd == -EXDEV)
			fd = FERR(93); /* ENOTCAPABLE */
	} else {
		/* kern_openat: ALLPERMS without S_ISTXT */
		fd = bsys(__NR_openat, dirfd, path, lf, mode & 06777, 0, 0);
	}
	if (fd == -ELOOP && (ff & FO_NOFOLLOW)) {
		/* FreeBSD: O_NOFOLLOW on a symbolic link is EMLINK. */
		struct lstatx x;
		if (!fs_statx(dirfd, path, AT_SYMLINK_NOFOLLOW, &x) && (x.stx_mode & 0170000) == 0120000)
			return -EMLINK;
	}
	if (fd == -ENXIO) {
		/* vn_open_vnode: a socket file cannot be opened, EOPNOTSUPP. */
		struct lstatx x;
		if (!fs_statx(dirfd, path, 0, &x) && (x.stx_mode & 0170000) == 0140000)
			return -EOPNOTSUPP;
	}
	if (lerr(fd) || !(ff & (FO_SHLOCK | FO_EXLOCK)))
		return fd;
	/* O_SHLOCK/O_EXLOCK: flock(2) the new file atomically with the open. */
	int op = (ff & FO_EXLOCK) ? 2 : 1;
	if (ff & FO_NONBLOCK)
		op |= 4;
	long r = bsys(__NR_flock, fd, op, 0, 0, 0, 0);
	if (lerr(r)) {
		lsys1(__NR_close, fd);
		return r;
	}
	return fd;
}

long sys_openat(struct sysctx *c)
{
	return do_openat(ARG_INT(c, 0), ARG_PTR(c, 1), (uint32_t)c->a[2], ARG_INT(c, 3));
}

long sys_open(struct sysctx *c)
{
	return do_openat(AT_FDCWD, ARG_PTR(c, 0), (uint32_t)c->a[1], ARG_INT(c, 2));
}

long sys_close(struct sysctx *c)
{
	FD_GUARD(ARG_INT(c, 0));
	net_fd_closed(ARG_INT(c, 0));
	return lsys1(__NR_close, ARG_INT(c, 0));
}

/* ---- duplication and closing ---- */

long sys_dup(struct sysctx *c)
{
	int fd = ARG_INT(c, 0);
	FD_GUARD(fd);
	long r = lsys1(__NR_dup, fd);
	if (!lerr(r))
		net_fd_dup(fd, (int)r);
	return r;
}

/* dup2/F_DUP2FD(_CLOEXEC): `new` is freed of our own descriptor first. */
long fd_dup2(int old, int new, int cloexec)
{
	FD_GUARD(old);
	if (new < 0)
		return -EBADF;
	if (old == new) {
		long r = lsys3(__NR_fcntl, old, F_GETFD, 0);
		if (lerr(r))
			return r;
		if (cloexec)
			lsys3(__NR_fcntl, old, F_SETFD, r | FD_CLOEXEC);
		return new;
	}
	long r = lsys3(__NR_fcntl, old, F_GETFD, 0); /* EBADF before touching `new` */
	if (lerr(r))
		return r;
	r = fd_evict(new);
	if (lerr(r))
		return r;
	if (!lerr(lsys3(__NR_fcntl, new, F_GETFD, 0)))
		net_fd_closed(new); /* dup2 closes what `new` named */
	r = lsys3(__NR_dup3, old, new, cloexec ? O_CLOEXEC : 0);
	if (!lerr(r))
		net_fd_dup(old, new);
	return r;
}

long sys_dup2(struct sysctx *c)
{
	return fd_dup2(ARG_INT(c, 0), ARG_INT(c, 1), 0);
}

#define FCLOSE_RANGE_CLOEXEC 4

/* Descriptors of [lo, hi] about to close lose their knotes (see sys_close).
 * The open ones are listed from /proc/self/fd when the range is wide. */
static void closing_range(unsigned lo, unsigned hi)
{
	if (hi - lo < 1024) {
		for (unsigned fd = lo;; fd++) {
			if (!fd_reserved((int)fd) && !lerr(lsys3(__NR_fcntl, fd, F_GETFD, 0)))
				net_fd_closed((int)fd);
			if (fd == hi)
				break;
		}
		return;
	}
	long dfd = lsys4(__NR_openat, AT_FDCWD, "/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	if (lerr(dfd))
		return;
	char buf[4096];
	long n;
	while ((n = lsys3(__NR_getdents64, dfd, buf, sizeof buf)) > 0) {
		for (long off = 0; off < n;) {
			const struct ldirent64 *d = (const void *)(buf + off);
			off += d->d_reclen;
			unsigned fd = 0;
			const char *p = d->d_name;
			if (*p < '0' || *p > '9')
				continue;
			for (; *p >= '0' && *p <= '9'; p++)
				fd = fd * 10 + (unsigned)(*p - '0');
			if (fd >= lo && fd <= hi && fd != (unsigned)dfd && !fd_reserved((int)fd))
				net_fd_closed((int)fd);
		}
	}
	lsys1(__NR_close, dfd);
}

/* close_range over [lo, hi] skipping one descriptor. */
static long close_range_skip(unsigned lo, unsigned hi, unsigned lflags, int ex)
{
	long r = 0;
	if (ex >= 0 && (unsigned)ex >= lo && (unsigned)ex <= hi) {
		if ((unsigned)ex > lo)
			r = lsys3(__NR_close_range, lo, ex - 1, lflags);
		if (!lerr(r) && (unsigned)ex < hi)
			r = lsys3(__NR_close_range, ex + 1, hi, lflags);
		return r;
	}
	return lsys3(__NR_close_range, lo, hi, lflags);
}

/* close_range over [lo, hi] skipping our binary's, /proc's and the jail
 * table's descriptors. */
static long close_range_guarded(unsigned lo, unsigned hi, unsigned lflags)
{
	if (!lflags)
		closing_range(lo, hi);
	int ex[3] = { proc.exe_fd, proc.proc_fd, jail_table_fd() };
	for (int i = 0; i < 3; i++) /* ascending */
		for (int k = i + 1; k < 3; k++)
			if (ex[k] < ex[i]) {
				int t = ex[i];
				ex[i] = ex[k];
				ex[k] = t;
			}
	long r = 0;
	for (int i = 0; i < 3 && !lerr(r); i++) {
		if (ex[i] < 0 || (unsigned)ex[i] < lo)
			continue;
		if ((unsigned)ex[i] > hi)
			break;
		if ((unsigned)ex[i] > lo)
			r = close_range_skip(lo, ex[i] - 1, lflags, -1);
		if ((unsigned)ex[i] == hi)
			return r;
		lo = ex[i] + 1;
	}
	return lerr(r) ? r : close_range_skip(lo, hi, lflags, -1);
}

long sys_close_range(struct sysctx *c)
{
	unsigned lo = (uint32_t)c->a[0], hi = (uint32_t)c->a[1];
	int flags = ARG_INT(c, 2);
	if (lo > hi || (flags & ~FCLOSE_RANGE_CLOEXEC))
		return -EINVAL;
	long r = close_range_guarded(lo, hi, (flags & FCLOSE_RANGE_CLOEXEC) ? 4U /* Linux CLOSE_RANGE_CLOEXEC */ : 0);
	return lerr(r) ? r : 0;
}

/* closefrom(2) of FreeBSD <= 12: never fails. */
long sys_closefrom(struct sysctx *c)
{
	int lo = ARG_INT(c, 0);
	close_range_guarded(lo < 0 ? 0 : (unsigned)lo, ~0U, 0);
	return 0;
}

/* ---- pipes ---- */

/* pipe(2) of FreeBSD <= 10: read end in rax, write end in rdx. */
long sys_pipe(struct sysctx *c)
{
	int fds[2];
	long r = lsys2(__NR_pipe2, fds, 0);
	if (lerr(r))
		return r;
	c->rdx = (uint64_t)fds[1];
	return fds[0];
}

#define FO_CLOEXEC 0x100000

long sys_pipe2(struct sysctx *c)
{
	int flags = ARG_INT(c, 1);
	if (flags & ~(FO_CLOEXEC | FO_NONBLOCK))
		return -EINVAL;
	/* int[2] as on Linux: the kernel fills it (and cleans up on EFAULT). */
	return lsys2(__NR_pipe2, c->a[0], oflags_f2l((uint32_t)flags));
}

/* ---- sync, truncate, allocation ---- */

long sys_fsync(struct sysctx *c)
{
	FD_GUARD(ARG_INT(c, 0));
	return lsys1(__NR_fsync, ARG_INT(c, 0));
}

long sys_fdatasync(struct sysctx *c)
{
	FD_GUARD(ARG_INT(c, 0));
	return lsys1(__NR_fdatasync, ARG_INT(c, 0));
}

long sys_sync(struct sysctx *c)
{
	lsys0(__NR_sync);
	return 0;
}

long sys_ftruncate(struct sysctx *c)
{
	FD_GUARD(ARG_INT(c, 0));
	if ((int64_t)c->a[1] < 0)
		return -EINVAL;
	return lsys2(__NR_ftruncate, ARG_INT(c, 0), c->a[1]);
}

long sys_truncate(struct sysctx *c)
{
	PATH_GUARD(ARG_PTR(c, 0));
	if ((int64_t)c->a[1] < 0)
		return -EINVAL;
	return lsys2(__NR_truncate, c->a[0], c->a[1]);
}

/* posix_fallocate/posix_fadvise return their error as the value. */
static long errval(long r)
{
	return lerr(r) ? errno_l2f((int)-r) : 0;
}

long sys_posix_fallocate(struct sysctx *c)
{
	int fd = ARG_INT(c, 0);
	int64_t off = (int64_t)c->a[1], len = (int64_t)c->a[2];
	if (fd_reserved(fd))
		return FE_BADF;
	if (off < 0 || len <= 0)
		return FE_INVAL;
	if (off > INT64_MAX - len)
		return 27; /* EFBIG */
	long r = lsys4(__NR_fallocate, fd, 0, off, len);
	if (r == -EISDIR)
		r = -ENODEV;
	else if (r == -EOPNOTSUPP)
		r = -EINVAL; /* as ZFS answers */
	return errval(r);
}

long sys_posix_fadvise(struct sysctx *c)
{
	int fd = ARG_INT(c, 0);
	int64_t off = (int64_t)c->a[1], len = (int64_t)c->a[2];
	int advice = ARG_INT(c, 3);
	if (fd_reserved(fd))
		return FE_BADF;
	if (off < 0 || len < 0 || off > INT64_MAX - len || advice < 0 || advice > 5)
		return FE_INVAL;
	return errval(lsys4(__NR_fadvise64, fd, off, len, advice));
}

/* copy_file_range between file systems Linux will not pair (EXDEV):
 * FreeBSD copies anyway, through the buffer cache. A short count is fine. */
static long copy_range_slow(int in, int64_t *inoff, int out, int64_t *outoff, uint64_t len)
{
	enum { CHUNK = 65536 };
	char *buf = rt_malloc(CHUNK);
	if (!buf)
		return -ENOMEM;
	int64_t ip = 0, op = 0;
	if (inoff)
		ip = *inoff;
	if (outoff)
		op = *outoff;
	long total = 0, r = 0;
	while ((uint64_t)total < len && total < (16L << 20)) {
		uint64_t want = len - (uint64_t)total < CHUNK ? len - (uint64_t)total : CHUNK;
		r = inoff ? bsys(__NR_pread64, in, buf, want, ip + total, 0, 0)
			  : bsys(__NR_read, in, buf, want, 0, 0, 0);
		if (lerr(r) || r == 0)
			break;
		long n = r, done = 0;
		while (done < n) {
			r = outoff ? bsys(__NR_pwrite64, out, buf + done, n - done, op + total + done, 0, 0)
				   : bsys(__NR_write, out, buf + done, n - done, 0, 0, 0);
			if (lerr(r))
				break;
			done += r;
		}
		total += done;
		if (lerr(r))
			break;
	}
	rt_free(buf);
	if (inoff)
		*inoff = ip + total;
	if (outoff)
		*outoff = op + total;
	return total ? total : (lerr(r) ? r : 0);
}

long sys_copy_file_range(struct sysctx *c)
{
	int in = ARG_INT(c, 0), out = ARG_INT(c, 2);
	FD_GUARD(in);
	FD_GUARD(out);
	if ((uint32_t)c->a[5])
		return -EINVAL;
	long r = bsys(__NR_copy_file_range, in, c->a[1], out, c->a[3], c->a[4], 0);
	if (r == -EXDEV)
		r = copy_range_slow(in, ARG_PTR(c, 1), out, ARG_PTR(c, 3), c->a[4]);
	return r;
}

#define PIPEFS_MAGIC 0x50495045

/* sys_flock: files and named fifos only (EOPNOTSUPP for pipes, sockets and
 * O_PATH descriptors); LOCK_UN wins over LOCK_EX over LOCK_SH, none is EBADF. */
long sys_flock(struct sysctx *c)
{
	int fd = ARG_INT(c, 0), how = ARG_INT(c, 1);
	FD_GUARD(fd);
	struct lstatx x;
	long r = fs_statx(fd, "", AT_EMPTY_PATH, &x);
	if (lerr(r))
		return r;
	uint32_t t = x.stx_mode & 0170000;
	struct lstatfs sf;
	if (t == 0 || t == 0140000 || (t == 0010000 && !fs_fstatfs(fd, &sf) && sf.f_type == PIPEFS_MAGIC))
		return -EOPNOTSUPP;
	long fl = lsys3(__NR_fcntl, fd, F_GETFL, 0);
	if (lerr(fl))
		return fl;
	if (fl & O_PATH)
		return -EOPNOTSUPP;
	int op = (how & 8) ? 8 /* LOCK_UN */ : (how & 2) ? 2 /* LOCK_EX */ : (how & 1) ? 1 : 0;
	if (!op)
		return -EBADF;
	if (op != 8 && (how & 4))
		op |= 4; /* LOCK_NB */
	return bsys(__NR_flock, fd, op, 0, 0, 0, 0);
}

/* ---- sendfile ---- */

struct fsf_hdtr {
	uint64_t headers;
	int32_t hdr_cnt;
	int32_t pad;
	uint64_t trailers;
	int32_t trl_cnt;
	int32_t pad2;
};
_Static_assert(sizeof(struct fsf_hdtr) == 32, "sf_hdtr");

/* sendfile(fd, s, offset, nbytes, hdtr, sbytes, flags): headers, then
 * nbytes of fd from offset (0 = to end of file), then trailers, to socket s.
 * sbytes receives the bytes sent even when the call fails (EAGAIN, EINTR). */
long sys_sendfile(struct sysctx *c)
{
	int fd = ARG_INT(c, 0), s = ARG_INT(c, 1);
	int64_t off = (int64_t)c->a[2];
	uint64_t nbytes = c->a[3];
	struct fsf_hdtr *h = ARG_PTR(c, 4);
	int64_t *sbytes = ARG_PTR(c, 5);
	FD_GUARD(fd);
	FD_GUARD(s);
	if (off < 0)
		return -EINVAL;
	struct lstatx x;
	long r = fs_statx(s, "", AT_EMPTY_PATH, &x);
	if (lerr(r))
		return r;
	if ((x.stx_mode & 0170000) != 0140000)
		return -ENOTSOCK;
	r = fs_statx(fd, "", AT_EMPTY_PATH, &x);
	if (lerr(r))
		return r;
	if ((x.stx_mode & 0170000) != 0100000)
		return -EINVAL;
	struct fsf_hdtr hd = { 0 };
	if (h) {
		UADDR_GUARD(h, sizeof *h);
		hd = *h;
	}
	int64_t total = 0;
	r = 0;
	if (hd.headers && hd.hdr_cnt > 0) {
		r = bsys(__NR_writev, s, hd.headers, hd.hdr_cnt, 0, 0, 0);
		if (!lerr(r))
			total += r;
	}
	uint64_t sent = 0;
	while (!lerr(r) && (!nbytes || sent < nbytes)) {
		uint64_t want = nbytes ? nbytes - sent : 0x7ffff000;
		if (want > 0x7ffff000)
			want = 0x7ffff000;
		int64_t pos = off + (int64_t)sent;
		r = bsys(__NR_sendfile, s, fd, &pos, want, 0, 0);
		if (lerr(r) || r == 0)
			break;
		sent += (uint64_t)r;
	}
	total += (int64_t)sent;
	if (!lerr(r) && hd.trailers && hd.trl_cnt > 0) {
		r = bsys(__NR_writev, s, hd.trailers, hd.trl_cnt, 0, 0, 0);
		if (!lerr(r))
			total += r;
	}
	if (sbytes && uaddr_ok(sbytes, sizeof *sbytes))
		*sbytes = total;
	return lerr(r) ? r : 0;
}
