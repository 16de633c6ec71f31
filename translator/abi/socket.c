/* Socket system calls: creation, addresses, connections, plain send/recv.
 * Addresses go through sockaddr.c; sendmsg/recvmsg are in sockmsg.c and
 * options in sockoptsys.c. Calls that can wait use bsys(). */
#include "../trap/dispatch.h"
#include "../rt/rt.h"
#include "sock.h"
#include "sockstate.h"
#include "kqhook.h"
#include "xlate.h"
#include "fnetlink.h"
#include <asm-generic/errno.h>
#include <linux/fcntl.h>

#include "fdguard.h"

/* Per-descriptor socket facts the kernel cannot keep for us. */
#define SOCKSTATE_MAX (1 << 20)
static uint8_t sockflags[SOCKSTATE_MAX];

void sock_set_flag(int fd, int flag, int on)
{
	if (fd < 0 || fd >= SOCKSTATE_MAX)
		return;
	if (on)
		__atomic_fetch_or(&sockflags[fd], (uint8_t)flag, __ATOMIC_RELAXED);
	else
		__atomic_fetch_and(&sockflags[fd], (uint8_t)~flag, __ATOMIC_RELAXED);
}

int sock_flags(int fd)
{
	if (fd < 0 || fd >= SOCKSTATE_MAX)
		return 0;
	return __atomic_load_n(&sockflags[fd], __ATOMIC_RELAXED);
}

void sock_set_nosigpipe(int fd, int on)
{
	sock_set_flag(fd, SF_NOSIGPIPE, on);
}

int sock_nosigpipe(int fd)
{
	return sock_flags(fd) & SF_NOSIGPIPE;
}

void sock_fd_reset(int fd)
{
	if (fd >= 0 && fd < SOCKSTATE_MAX)
		__atomic_store_n(&sockflags[fd], 0, __ATOMIC_RELAXED);
}

/* FreeBSD SOCK_* type with flags -> Linux, or -1. */
static int socktype_f2l(int t)
{
	int l = t & ~(FSOCK_CLOEXEC | FSOCK_NONBLOCK);
	if (l < 1 || l > 5)
		return -1;
	if (t & FSOCK_CLOEXEC)
		l |= LSOCK_CLOEXEC;
	if (t & FSOCK_NONBLOCK)
		l |= LSOCK_NONBLOCK;
	return l;
}

static int domain_f2l(int d)
{
	switch (d) {
	case FAF_UNIX: case FAF_INET: case FAF_INET6:
		return family_f2l(d);
	default:
		return -1;
	}
}

long sys_socket(struct sysctx *c)
{
	if (ARG_INT(c, 0) == 17 /* PF_ROUTE */)
		return routesock_open(ARG_INT(c, 1), ARG_INT(c, 2));
	if (ARG_INT(c, 0) == FAF_NETLINK)
		return fnl_open(ARG_INT(c, 1), ARG_INT(c, 2));
	int dom = domain_f2l(ARG_INT(c, 0));
	int type = socktype_f2l(ARG_INT(c, 1));
	if (dom < 0)
		return -EAFNOSUPPORT;
	if (type < 0)
		return -EPROTOTYPE;
	long fd = lsys3(__NR_socket, dom, type, ARG_INT(c, 2));
	if (fd < 0)
		return fd;
	sock_fd_reset((int)fd);
	/* FreeBSD's net.inet6.ip6.v6only defaults to 1, Linux's bindv6only to 0. */
	if (dom == LAF_INET6) {
		int one = 1;
		lsys5(__NR_setsockopt, fd, 41, 26, &one, 4);
	}
	return fd;
}

long sys_socketpair(struct sysctx *c)
{
	int dom = domain_f2l(ARG_INT(c, 0));
	int type = socktype_f2l(ARG_INT(c, 1));
	int *rsv = ARG_PTR(c, 3);
	if (dom < 0)
		return -EAFNOSUPPORT;
	if (type < 0)
		return -EPROTOTYPE;
	int sv[2];
	long r = lsys4(__NR_socketpair, dom, type, ARG_INT(c, 2), sv);
	if (r < 0)
		return r;
	sock_fd_reset(sv[0]);
	sock_fd_reset(sv[1]);
	rsv[0] = sv[0];
	rsv[1] = sv[1];
	return 0;
}

long sys_bind(struct sysctx *c)
{
	FD_GUARD(ARG_INT(c, 0));
	struct lsockaddr_buf la;
	uint32_t llen;
	int r = sa_f2l(ARG_PTR(c, 1), (uint32_t)ARG_INT(c, 2), &la, &llen);
	if (r)
		return r;
	long e = lsys3(__NR_bind, ARG_INT(c, 0), &la, llen);
	if (e == 0 && la.family == FAF_UNIX)
		sock_unix_bound(ARG_INT(c, 0), (uint32_t)ARG_INT(c, 2));
	return e;
}

/* A non-blocking connect(2) never sleeps, and callers read its EINTR as
 * "in progress" (Go's netFD.connect then waits for EVFILT_WRITE): it must
 * not take bsys's early EINTR for an already pending signal, which skips
 * the call and leaves an unconnected socket that never becomes ready. */
static long do_connect(int s, const void *la, uint32_t llen)
{
	long fl = lsys2(__NR_fcntl, s, F_GETFL);
	if (fl >= 0 && (fl & O_NONBLOCK))
		return lsys3(__NR_connect, s, la, llen);
	return bsys(__NR_connect, s, la, llen, 0, 0, 0);
}

long sys_connect(struct sysctx *c)
{
	FD_GUARD(ARG_INT(c, 0));
	struct lsockaddr_buf la;
	uint32_t llen;
	int r = sa_f2l(ARG_PTR(c, 1), (uint32_t)ARG_INT(c, 2), &la, &llen);
	if (r)
		return r;
	c->norestart = 1; /* FreeBSD turns ERESTART into EINTR for connect */
	return do_connect(ARG_INT(c, 0), &la, llen);
}

/* bindat/connectat (FreeBSD 10+): a relative unix path is looked up from
 * the directory fd; Linux has no such calls, so the path goes through
 * /proc/self/fd/<fd>/. Other families support only AT_FDCWD. */
static long do_at(struct sysctx *c, int nr)
{
	int dirfd = ARG_INT(c, 0), s = ARG_INT(c, 1);
	FD_GUARD(s);
	struct lsockaddr_buf la;
	uint32_t llen;
	int r = sa_f2l(ARG_PTR(c, 2), (uint32_t)ARG_INT(c, 3), &la, &llen);
	if (r)
		return r;
	if (dirfd != -100 /* AT_FDCWD */) {
		if (la.family != FAF_UNIX)
			return -EOPNOTSUPP;
		if (fd_reserved(dirfd))
			return -EBADF;
		if (la.data[0] != '/') {
			char path[sizeof la.data];
			int n = rt_snprintf(path, sizeof path, "/proc/self/fd/%d/%s", dirfd, la.data);
			if (n < 0 || n >= LSOCKADDR_UN_PATH)
				return -ENAMETOOLONG;
			memcpy(la.data, path, (size_t)n + 1);
			llen = 2 + (uint32_t)n + 1;
		}
	}
	if (nr == __NR_connect) {
		c->norestart = 1;
		return do_connect(s, &la, llen);
	}
	long e = lsys3(__NR_bind, s, &la, llen);
	if (e == 0 && la.family == FAF_UNIX)
		sock_unix_bound(s, (uint32_t)ARG_INT(c, 3));
	return e;
}

long sys_bindat(struct sysctx *c)
{
	return do_at(c, __NR_bind);
}

long sys_connectat(struct sysctx *c)
{
	return do_at(c, __NR_connect);
}

long sys_listen(struct sysctx *c)
{
	FD_GUARD(ARG_INT(c, 0));
	return lsys2(__NR_listen, ARG_INT(c, 0), ARG_INT(c, 1));
}

long sys_shutdown(struct sysctx *c)
{
	FD_GUARD(ARG_INT(c, 0));
	int how = ARG_INT(c, 1);
	if (how < 0 || how > 2)
		return -EINVAL;
	if (sock_flags(ARG_INT(c, 0)) & SF_ROUTE)
		return routesock_shutdown(ARG_INT(c, 0), how);
	return lsys2(__NR_shutdown, ARG_INT(c, 0), how);
}

/* Copies a Linux address back into a guest (name, *namelen) pair the way
 * FreeBSD does: at most *namelen bytes, and *namelen becomes that count. */
void sock_name_out(const struct lsockaddr_buf *la, uint32_t llen, void *name, uint32_t *namelen)
{
	if (!name || !namelen)
		return;
	uint32_t cap = *namelen;
	uint32_t full = sa_l2f(la, llen, name, cap);
	*namelen = full < cap ? full : cap;
}

static long do_accept(struct sysctx *c, int flags, int inherit)
{
	int s = ARG_INT(c, 0);
	void *name = ARG_PTR(c, 1);
	uint32_t *namelen = ARG_PTR(c, 2);
	FD_GUARD(s);
	if (name && !namelen)
		return -EFAULT;
	if (name && (int32_t)*namelen < 0)
		return -EINVAL;
	int lflags = 0;
	if (flags & ~(FSOCK_CLOEXEC | FSOCK_NONBLOCK))
		return -EINVAL;
	if (flags & FSOCK_CLOEXEC)
		lflags |= LSOCK_CLOEXEC;
	if (flags & FSOCK_NONBLOCK)
		lflags |= LSOCK_NONBLOCK;
	if (inherit) {
		/* accept(2) copies O_NONBLOCK from the listening socket. */
		long fl = lsys2(__NR_fcntl, s, F_GETFL);
		if (fl >= 0 && (fl & O_NONBLOCK))
			lflags |= LSOCK_NONBLOCK;
	}
	struct lsockaddr_buf la;
	int llen = sizeof la;
	long fd = bsys(__NR_accept4, s, &la, &llen, lflags, 0, 0);
	if (fd < 0)
		return fd;
	sock_fd_reset((int)fd);
	sock_unix_dup(s, (int)fd); /* unp_connect: the listener's address */
	int cf = sock_flags(s) & (SF_CREDS | SF_CREDS2);
	if (cf) { /* FreeBSD's accepted socket inherits LOCAL_CREDS* */
		int on = 1;
		lsys5(__NR_setsockopt, fd, LSOL_SOCKET, 16 /* SO_PASSCRED */, &on, 4);
		sock_set_flag((int)fd, cf, 1);
	}
	if (name)
		sock_name_out(&la, (uint32_t)llen, name, namelen);
	return fd;
}

long sys_accept(struct sysctx *c)
{
	return do_accept(c, 0, 1);
}

long sys_accept4(struct sysctx *c)
{
	return do_accept(c, ARG_INT(c, 3), 0);
}

static long do_name(struct sysctx *c, int nr)
{
	int s = ARG_INT(c, 0);
	void *name = ARG_PTR(c, 1);
	uint32_t *namelen = ARG_PTR(c, 2);
	FD_GUARD(s);
	if (!namelen)
		return -EFAULT;
	if ((int32_t)*namelen < 0)
		return -EINVAL;
	struct lsockaddr_buf la;
	int llen = sizeof la;
	long r = lsys3(nr, s, &la, &llen);
	if (r < 0)
		return r;
	if (nr == __NR_getsockname && sock_unix_name_out(s, &la, (uint32_t)llen, name, namelen))
		return 0;
	sock_name_out(&la, (uint32_t)llen, name, namelen);
	return 0;
}

long sys_getsockname(struct sysctx *c)
{
	return do_name(c, __NR_getsockname);
}

long sys_getpeername(struct sysctx *c)
{
	return do_name(c, __NR_getpeername);
}

/* Send/receive flags with the per-socket SO_NOSIGPIPE applied. */
int sock_send_flags(int s, int fflags)
{
	int bad;
	int l = msgflags_f2l(fflags, &bad);
	if (sock_nosigpipe(s))
		l |= LMSG_NOSIGNAL;
	return l;
}

long sys_sendto(struct sysctx *c)
{
	int s = ARG_INT(c, 0);
	int fflags = ARG_INT(c, 3);
	const void *to = ARG_PTR(c, 4);
	FD_GUARD(s);
	if (sock_flags(s) & SF_ROUTE)
		return routesock_write(s, ARG_PTR(c, 1), c->a[2]);
	if (sock_flags(s) & SF_FNETLINK) {
		struct rs_iov v = { ARG_PTR(c, 1), c->a[2] };
		return fnl_send(s, &v, 1, sock_send_flags(s, fflags));
	}
	struct lsockaddr_buf la;
	uint32_t llen = 0;
	if (to) {
		int r = sa_f2l(to, (uint32_t)ARG_INT(c, 5), &la, &llen);
		if (r)
			return r;
	}
	long r = bsys(__NR_sendto, s, c->a[1], c->a[2], sock_send_flags(s, fflags),
		      to ? &la : NULL, llen);
	if (r >= 0 && (fflags & FMSG_EOF))
		lsys2(__NR_shutdown, s, 1);
	return r;
}

long sys_recvfrom(struct sysctx *c)
{
	int s = ARG_INT(c, 0);
	void *from = ARG_PTR(c, 4);
	uint32_t *fromlen = ARG_PTR(c, 5);
	FD_GUARD(s);
	long serr = sock_error_recv(s, ARG_INT(c, 3) & FMSG_PEEK);
	if (serr)
		return serr;
	int bad;
	int lflags = msgflags_f2l(ARG_INT(c, 3), &bad);
	struct lsockaddr_buf la;
	int llen = sizeof la;
	if (from && !fromlen)
		return -EFAULT;
	if (sock_flags(s) & SF_ROUTE) {
		if (fromlen)
			*fromlen = 0;
		struct rs_iov v = { ARG_PTR(c, 1), c->a[2] };
		return routesock_recv(s, &v, 1, lflags, NULL);
	}
	if (sock_flags(s) & SF_FNETLINK) {
		struct rs_iov v = { ARG_PTR(c, 1), c->a[2] };
		return fnl_recv(s, &v, 1, lflags, from, fromlen, NULL);
	}
	long r = bsys(__NR_recvfrom, s, c->a[1], c->a[2], lflags, from ? &la : NULL,
		      from ? &llen : NULL);
	if (r < 0)
		return r;
	if (from) {
		if (llen == 0)
			*fromlen = 0;
		else
			sock_name_out(&la, (uint32_t)llen, from, fromlen);
	}
	return r;
}

void net_fd_closed(int fd)
{
	sock_fd_reset(fd);
	kq_fd_closed(fd);
}

/* dup/dup2/F_DUPFD: the per-socket options follow the socket. A dup2 over
 * an open descriptor must call net_fd_closed(newfd) first. */
void net_fd_dup(int oldfd, int newfd)
{
	if (newfd >= 0 && newfd < SOCKSTATE_MAX) {
		sock_error_dup(oldfd, newfd);
		sock_unix_dup(oldfd, newfd);
		__atomic_store_n(&sockflags[newfd], (uint8_t)sock_flags(oldfd), __ATOMIC_RELAXED);
	}
	kq_fd_dup(oldfd, newfd);
}
