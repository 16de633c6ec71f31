/* FreeBSD netlink sockets (AF_NETLINK 38) as Linux netlink sockets of the
 * same protocol (NETLINK_ROUTE, NETLINK_GENERIC): a write is rewritten
 * into Linux requests (fnlmsg.c) with the caller's sequence numbers, a
 * read takes one Linux datagram and hands back FreeBSD's version of it.
 * Multicast groups (bind's nl_groups, NETLINK_ADD_MEMBERSHIP) have the
 * same numbers on both, so notifications arrive on the descriptor itself
 * and poll, kqueue and blocking reads wait on the kernel. */
#include "../trap/dispatch.h"
#include "../rt/rt.h"
#include "sock.h"
#include "sockstate.h"
#include "fnetlink.h"
#include <asm-generic/errno.h>
#include <linux/netlink.h>

#define L_SO_PROTOCOL 38
#define LMSG_PEEK 0x2
#define MAXREQ 65536
#define SLACK 4096 /* a rewrite never grows a datagram by more */

long fnl_open(int ftype, int proto)
{
	int t = ftype & ~(FSOCK_CLOEXEC | FSOCK_NONBLOCK);
	if (t != 3 /* SOCK_RAW */ && t != 2 /* SOCK_DGRAM */)
		return -EPROTOTYPE;
	if (proto != NETLINK_ROUTE && proto != NETLINK_GENERIC)
		return -EPROTONOSUPPORT;
	if (ftype & FSOCK_CLOEXEC)
		t |= LSOCK_CLOEXEC;
	if (ftype & FSOCK_NONBLOCK)
		t |= LSOCK_NONBLOCK;
	long fd = lsys3(__NR_socket, 16 /* AF_NETLINK */, t, proto);
	if (fd < 0)
		return fd;
	sock_fd_reset((int)fd);
	sock_set_flag((int)fd, SF_FNETLINK, 1);
	return fd;
}

static int proto_of(int fd)
{
	int p = 0, l = sizeof p;
	lsys5(__NR_getsockopt, fd, LSOL_SOCKET, L_SO_PROTOCOL, &p, &l);
	return p;
}

long fnl_send(int fd, const struct rs_iov *iov, int iovcnt, int lflags)
{
	size_t len = 0;
	for (int i = 0; i < iovcnt; i++)
		len += iov[i].len;
	if (len > MAXREQ)
		return -EMSGSIZE;
	uint8_t *in = rt_malloc(len + 1), *out = rt_malloc(len + SLACK);
	long r = -ENOMEM;
	if (in && out) {
		size_t off = 0;
		for (int i = 0; i < iovcnt; i++) {
			memcpy(in + off, iov[i].base, iov[i].len);
			off += iov[i].len;
		}
		r = fnl_req_f2l(proto_of(fd), in, len, out, len + SLACK);
		if (r >= 0)
			r = bsys(__NR_sendto, fd, (long)out, r, lflags, 0, 0);
	}
	rt_free(in);
	rt_free(out);
	return r < 0 ? r : (long)len;
}

/* FreeBSD's sockaddr_nl: nl_len, nl_family, nl_pad, nl_pid, nl_groups. */
static void name_out(const struct sockaddr_nl *from, void *name, uint32_t *namelen)
{
	uint8_t f[12] = { 12, FAF_NETLINK };
	memcpy(f + 4, &from->nl_pid, 4);
	memcpy(f + 8, &from->nl_groups, 4);
	uint32_t n = *namelen < sizeof f ? *namelen : sizeof f;
	memcpy(name, f, n);
	*namelen = n;
}

long fnl_recv(int fd, const struct rs_iov *iov, int iovcnt, int lflags, void *name,
	      uint32_t *namelen, int *fflags)
{
	int full_len = lflags & LMSG_TRUNC; /* MSG_TRUNC asked: the datagram's length */
	lflags &= ~LMSG_TRUNC;
	int proto = proto_of(fd);
	size_t cap = 0;
	for (int i = 0; i < iovcnt; i++)
		cap += iov[i].len;
	for (;;) {
		/* The size of the next datagram, left in place. */
		uint8_t none;
		long sz = bsys(__NR_recvfrom, fd, (long)&none, 0, lflags | LMSG_PEEK | LMSG_TRUNC, 0, 0);
		if (sz < 0)
			return sz;
		uint8_t *in = rt_malloc((size_t)sz + 1), *out = rt_malloc((size_t)sz + SLACK);
		if (!in || !out) {
			rt_free(in);
			rt_free(out);
			return -ENOMEM;
		}
		struct sockaddr_nl from;
		int flen = sizeof from;
		memset(&from, 0, sizeof from);
		long got = bsys(__NR_recvfrom, fd, (long)in, sz, lflags, (long)&from, (long)&flen);
		size_t n = got < 0 ? 0
				   : fnl_rep_l2f(proto, in, (size_t)got, out, (size_t)sz + SLACK,
						 from.nl_groups != 0);
		if (got >= 0 && n == 0) {
			/* Nothing FreeBSD would send: drop it and wait for the next. */
			if (lflags & LMSG_PEEK)
				lsys6(__NR_recvfrom, fd, (long)in, sz, LMSG_DONTWAIT, 0, 0);
			rt_free(in);
			rt_free(out);
			continue;
		}
		if (got >= 0) {
			size_t off = 0;
			for (int i = 0; i < iovcnt && off < n; i++) {
				size_t k = n - off < iov[i].len ? n - off : iov[i].len;
				memcpy(iov[i].base, out + off, k);
				off += k;
			}
			if (fflags)
				*fflags = n > cap ? FMSG_TRUNC : 0;
			if (name && namelen)
				name_out(&from, name, namelen);
			got = full_len ? (long)n : (long)(n < cap ? n : cap);
		}
		rt_free(in);
		rt_free(out);
		return got;
	}
}

/* Linux delivers group messages only to a bound socket; FreeBSD's join
 * works on a fresh one, so join binds it (kernel-chosen port) first. */
static void autobind(int fd)
{
	struct sockaddr_nl sa;
	int l = sizeof sa;
	memset(&sa, 0, sizeof sa);
	if (lsys3(__NR_getsockname, fd, &sa, &l) == 0 && sa.nl_pid == 0) {
		sa.nl_family = 16;
		lsys3(__NR_bind, fd, &sa, sizeof sa);
	}
}

long fnl_setsockopt(int fd, int name, const void *val, int len)
{
	switch (name) {
	case NETLINK_ADD_MEMBERSHIP:
		autobind(fd);
		return lsys5(__NR_setsockopt, fd, FSOL_NETLINK, name, val, len);
	case NETLINK_DROP_MEMBERSHIP:
	case NETLINK_NO_ENOBUFS:
	case NETLINK_CAP_ACK:
	case NETLINK_EXT_ACK:
		return lsys5(__NR_setsockopt, fd, FSOL_NETLINK, name, val, len);
	case NETLINK_GET_STRICT_CHK: /* requests are rewritten, so never strict */
	case FNETLINK_MSG_INFO:      /* no originator cmsg is given */
		return !val || len < 4 ? -EINVAL : 0;
	default:
		return -ENOPROTOOPT;
	}
}

long fnl_getsockopt(int fd, int name, void *val, uint32_t *len)
{
	if (name == NETLINK_GET_STRICT_CHK || name == FNETLINK_MSG_INFO) {
		int v = 0;
		uint32_t n = *len < 4 ? *len : 4;
		memcpy(val, &v, n);
		*len = n;
		return 0;
	}
	int l = (int)*len;
	long r = lsys5(__NR_getsockopt, fd, FSOL_NETLINK, name, val, &l);
	if (r == 0)
		*len = (uint32_t)l;
	return r;
}
