/* PF_ROUTE sockets. Linux has none, so the guest gets a NETLINK_ROUTE
 * socket in the link, address and route multicast groups of its family
 * (socket(PF_ROUTE, SOCK_RAW, af)): a write is a FreeBSD rt_msghdr request
 * served here over rtnetlink, a read (rsqueue.c) returns the answers and
 * what changed as FreeBSD routing messages, and poll/kevent wait on the
 * descriptor itself. Layouts: FreeBSD net/route.h (rt_msghdr 152 bytes,
 * version 5) and net/if_dl.h. */
#include "../trap/dispatch.h"
#include "../rt/rt.h"
#include "sockstate.h"
#include "rtmsg.h"
#include "nlreq.h"
#include "routesock.h"
#include <linux/netlink.h>
#include <asm-generic/errno.h>

#define RTM_VERSION 5
#define RTM_ADD 0x1
#define RTM_DELETE 0x2
#define RTM_GET 0x4
#define RTA_NETMASK 0x4
#define RTA_IFP 0x10
#define RTA_IFA 0x20
#define RTAX_MAX 8
#define RTF_HOST 0x4
#define RTF_DONE 0x40
#define FAF_LINK 18
#define FAF_INET6 28
#define MAXROUTES 512

struct rt_msghdr {
	uint16_t rtm_msglen;
	uint8_t rtm_version, rtm_type;
	uint16_t rtm_index, spare1;
	int32_t rtm_flags, rtm_addrs, rtm_pid, rtm_seq, rtm_errno, rtm_fmask;
	uint64_t rtm_inits;
	uint64_t rmx[14];
};
_Static_assert(sizeof(struct rt_msghdr) == 152, "rt_msghdr");

long routesock_open(int ftype, int proto)
{
	int t = ftype & ~(FSOCK_CLOEXEC | FSOCK_NONBLOCK);
	if (t != 3 /* SOCK_RAW */)
		return -EPROTOTYPE;
	int lt = 3 /* SOCK_RAW */;
	if (ftype & FSOCK_CLOEXEC)
		lt |= LSOCK_CLOEXEC;
	if (ftype & FSOCK_NONBLOCK)
		lt |= LSOCK_NONBLOCK;
	/* The protocol picks the family, as FreeBSD's raw_input filters. */
	uint32_t groups = 0x1; /* RTMGRP_LINK */
	if (proto == 0 || proto == 2)
		groups |= 0x10 | 0x40; /* RTMGRP_IPV4_IFADDR, _ROUTE */
	if (proto == 0 || proto == 28)
		groups |= 0x100 | 0x400; /* RTMGRP_IPV6_IFADDR, _ROUTE */
	long fd = lsys3(__NR_socket, 16 /* AF_NETLINK */, lt, NETLINK_ROUTE);
	if (fd < 0)
		return fd;
	struct sockaddr_nl sa = { 16 /* AF_NETLINK */, 0, 0, groups };
	long r = lsys3(__NR_bind, fd, &sa, sizeof sa);
	if (r < 0) {
		lsys1(__NR_close, fd);
		return r;
	}
	sock_fd_reset((int)fd);
	sock_set_flag((int)fd, SF_ROUTE, 1);
	rs_attach((int)fd);
	return fd;
}

long routesock_shutdown(int fd, int how)
{
	if (how != 1) /* no more notifications queued for a reader that is gone */
		for (int g = 1; g <= 11; g++) {
			int grp = g;
			lsys5(__NR_setsockopt, fd, 270 /* SOL_NETLINK */, 2 /* NETLINK_DROP_MEMBERSHIP */,
			      &grp, sizeof grp);
		}
	rs_shutdown(fd, how);
	return 0;
}

long routesock_setopt(int fd, const void *val, int len)
{
	if (!val || len < 4)
		return -EINVAL;
	rs_set_loopback(fd, *(const int *)val != 0);
	return 0;
}

/* SA_SIZE: a sockaddr in a routing message takes its length rounded up to
 * a long, and 8 bytes when sa_len is 0. */
static unsigned sa_size(const uint8_t *sa)
{
	return sa[0] ? 1 + ((sa[0] - 1u) | 7u) : 8;
}

static int prefix_eq(const uint8_t *a, const uint8_t *b, int plen)
{
	for (int i = 0; plen > 0; i++, plen -= 8) {
		uint8_t m = plen >= 8 ? 0xff : (uint8_t)(0xff << (8 - plen));
		if ((a[i] & m) != (b[i] & m))
			return 0;
	}
	return 1;
}

struct rtreq {
	int lfamily;         /* of the destination: 2 or 10 */
	uint8_t dst[16], gw[16];
	int has_gw, gw_index, plen; /* plen -1: no netmask given */
};

static long parse(const struct rt_msghdr *h, const uint8_t *end, struct rtreq *q)
{
	memset(q, 0, sizeof *q);
	q->plen = -1;
	const uint8_t *p = (const uint8_t *)(h + 1);
	for (int i = 0; i < RTAX_MAX; i++) {
		if (!(h->rtm_addrs & (1 << i)))
			continue;
		if (p + 2 > end || p + sa_size(p) > end)
			return -EINVAL;
		unsigned len = p[0], fam = p[1];
		if (i == 0) {
			if (fam == 2 && len >= 8) {
				q->lfamily = 2;
				memcpy(q->dst, p + 4, 4);
			} else if (fam == FAF_INET6 && len >= 24) {
				q->lfamily = 10;
				memcpy(q->dst, p + 8, 16);
			} else {
				return -EAFNOSUPPORT;
			}
		} else if (i == 1) {
			if (fam == 2 && len >= 8) {
				q->has_gw = 1;
				memcpy(q->gw, p + 4, 4);
			} else if (fam == FAF_INET6 && len >= 24) {
				q->has_gw = 1;
				memcpy(q->gw, p + 8, 16);
			} else if (fam == FAF_LINK && len >= 4) {
				q->gw_index = p[2] | p[3] << 8;
			}
		} else if (i == 2) {
			/* route(8) trims trailing zero bytes off a mask (default: sa_len 0). */
			unsigned off = q->lfamily == 10 ? 8 : 4;
			q->plen = len > off ? rt_mask_plen(p + off, len - off) : 0;
		}
		p += sa_size(p);
	}
	return q->lfamily ? 0 : -EINVAL;
}

/* FreeBSD's answer to RTM_GET: the route that carries dst (exactly
 * dst/plen when a mask came along), sent back to the socket itself. */
static long get_route(int fd, const struct rt_msghdr *req, const struct rtreq *q)
{
	struct nr_route *rts = rt_malloc(MAXROUTES * sizeof *rts);
	struct ifsnap *s = rt_malloc(sizeof *s);
	long r = -ENOMEM;
	if (!rts || !s)
		goto out;
	long n = nl_routes(q->lfamily, rts, MAXROUTES);
	if ((r = n) < 0)
		goto out;
	const struct nr_route *best = 0;
	for (long i = 0; i < n; i++) {
		const struct nr_route *t = &rts[i];
		if (q->plen >= 0 ? t->dplen == q->plen && prefix_eq(t->dst, q->dst, t->dplen)
				 : prefix_eq(t->dst, q->dst, t->dplen) && (!best || t->dplen > best->dplen))
			best = t;
		if (best && q->plen >= 0)
			break;
	}
	r = -ESRCH; /* FreeBSD: "not in table" */
	if (!best)
		goto out;
	if ((r = nr_snapshot(s, 0)) < 0)
		goto out;
	const struct nr_link *ifp = 0;
	for (int i = 0; i < s->nlinks; i++)
		if (s->links[i].index == best->oif)
			ifp = &s->links[i];
	/* The route as NET_RT_DUMP has it (dst, gateway, netmask), then the
	 * interface (RTA_IFP, RTA_IFA come after RTA_NETMASK). */
	uint8_t msg[RS_MSGMAX] __attribute__((aligned(8)));
	struct rt_msghdr *h = (struct rt_msghdr *)msg;
	uint8_t *b = msg + rt_encode_routes(req->rtm_seq, best, 1, msg, sizeof msg - 2 * 64);
	h->rtm_flags |= RTF_DONE;
	if (ifp) {
		b += rt_sdl(ifp, b);
		h->rtm_addrs |= RTA_IFP;
		/* The interface's first address of the family stands for its source. */
		for (int i = 0; i < s->naddrs; i++) {
			const struct nr_addr *a = &s->addrs[i];
			if (a->index == ifp->index && a->prefixlen >= 0 &&
			    a->family == (q->lfamily == 2 ? 2 : 28)) {
				b += rt_sa(q->lfamily, a->addr, b);
				h->rtm_addrs |= RTA_IFA;
				break;
			}
		}
	}
	h->rtm_msglen = (uint16_t)(b - msg);
	h->rtm_pid = (int32_t)lsys0(__NR_getpid); /* the writer, as FreeBSD's kernel fills it */
	h->rmx[1] = ifp ? ifp->mtu : 0; /* rmx_mtu */
	r = rs_answer(fd, msg, h->rtm_msglen);
out:
	rt_free(rts);
	rt_free(s);
	return r;
}

long routesock_write(int fd, const void *buf, uint64_t len)
{
	const struct rt_msghdr *h = buf;
	if (len < sizeof *h || h->rtm_msglen > len || h->rtm_msglen < sizeof *h)
		return -EINVAL;
	if (h->rtm_version != RTM_VERSION)
		return -EPROTONOSUPPORT;
	struct rtreq q;
	long r = parse(h, (const uint8_t *)buf + h->rtm_msglen, &q);
	if (r)
		return r;
	switch (h->rtm_type) {
	case RTM_GET:
		r = get_route(fd, h, &q);
		break;
	case RTM_ADD:
	case RTM_DELETE: {
		/* No mask means a host route, as in FreeBSD. */
		int full = q.lfamily == 2 ? 32 : 128;
		struct nr_route rt = { .family = q.lfamily };
		rt.dplen = (h->rtm_flags & RTF_HOST) || q.plen < 0 ? full : q.plen;
		if (h->rtm_type == RTM_ADD && !q.has_gw && !q.gw_index)
			return -EINVAL;
		/* Linux wants the destination without host bits, FreeBSD masks it. */
		for (int i = 0, p = rt.dplen; i < full / 8; i++, p -= 8)
			rt.dst[i] = p >= 8 ? q.dst[i] : p > 0 ? (uint8_t)(q.dst[i] & (0xff << (8 - p))) : 0;
		r = nl_route(h->rtm_type == RTM_ADD, q.lfamily, rt.dst, rt.dplen, q.has_gw ? q.gw : 0,
			     q.gw_index);
		if (r == -ENOENT) /* Linux's "no such route" on delete */
			r = -ESRCH;
		if (r == 0)
			rs_expect(fd, h->rtm_type, &rt, (int32_t)lsys0(__NR_getpid), h->rtm_seq);
		break;
	}
	default:
		r = -EOPNOTSUPP;
	}
	return r < 0 ? r : (long)len;
}
