/* rtnetlink requests built by hand (the translator has no libnl): one
 * NETLINK_ROUTE socket per call, attributes appended in place. */
#include "../trap/dispatch.h"
#include "../rt/rt.h"
#include "nlreq.h"
#include <asm-generic/errno.h>
#include <linux/fcntl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/if_addr.h>

#define NLBUF 32768

struct nlreq {
	struct nlmsghdr h;
	union {
		struct ifaddrmsg ifa;
		struct rtmsg rt;
	};
	uint8_t attrs[128];
};

static void add_attr(struct nlreq *q, int type, const void *data, unsigned len)
{
	struct rtattr *a = (struct rtattr *)((uint8_t *)q + NLMSG_ALIGN(q->h.nlmsg_len));
	a->rta_type = (unsigned short)type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	memcpy(RTA_DATA(a), data, len);
	q->h.nlmsg_len = NLMSG_ALIGN(q->h.nlmsg_len) + RTA_ALIGN(a->rta_len);
}

static long nl_open(void)
{
	return lsys3(__NR_socket, 16 /* AF_NETLINK */, 3 /* SOCK_RAW */ | O_CLOEXEC, NETLINK_ROUTE);
}

/* Sends q with NLM_F_ACK and returns the ack's error (0 = done). */
static long nl_call(struct nlreq *q)
{
	long fd = nl_open();
	if (fd < 0)
		return fd;
	q->h.nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	q->h.nlmsg_seq = 1;
	long r = lsys6(__NR_sendto, fd, (long)q, q->h.nlmsg_len, 0, 0, 0);
	if (r >= 0) {
		uint8_t buf[1024];
		r = -EIO;
		long n = lsys6(__NR_recvfrom, fd, (long)buf, sizeof buf, 0, 0, 0);
		if (n < 0)
			r = n;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; n > 0 && NLMSG_OK(h, (unsigned)n);
		     h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_ERROR) {
				r = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
				break;
			}
		}
	}
	lsys1(__NR_close, fd);
	return r;
}

long nl_addr(int add, int family, int ifindex, const uint8_t *addr, int plen, const uint8_t *brd)
{
	unsigned alen = family == 2 ? 4 : 16;
	struct nlreq q;
	memset(&q, 0, sizeof q);
	q.h.nlmsg_len = NLMSG_LENGTH(sizeof q.ifa);
	q.h.nlmsg_type = add ? RTM_NEWADDR : RTM_DELADDR;
	q.h.nlmsg_flags = add ? NLM_F_CREATE | NLM_F_REPLACE : 0;
	q.ifa.ifa_family = (unsigned char)family;
	q.ifa.ifa_prefixlen = (unsigned char)plen;
	q.ifa.ifa_index = (unsigned)ifindex;
	add_attr(&q, IFA_LOCAL, addr, alen);
	if (add) /* deleting by IFA_LOCAL alone matches any prefix length */
		add_attr(&q, IFA_ADDRESS, addr, alen);
	if (brd && family == 2)
		add_attr(&q, IFA_BROADCAST, brd, 4);
	return nl_call(&q);
}

int nl_parse_route(const struct nlmsghdr *h, struct nr_route *o)
{
	const struct rtmsg *rm = NLMSG_DATA(h);
	if (rm->rtm_family != 2 && rm->rtm_family != 10)
		return 0;
	/* A prefix on lo is a local-table RTN_LOCAL route in Linux; FreeBSD
	 * lists it like any connected network. */
	int lo_net = rm->rtm_type == RTN_LOCAL && rm->rtm_dst_len < (rm->rtm_family == 2 ? 32 : 128);
	if (rm->rtm_type != RTN_UNICAST && !lo_net)
		return 0;
	memset(o, 0, sizeof *o);
	unsigned table = rm->rtm_table, alen = rm->rtm_family == 2 ? 4 : 16;
	o->family = rm->rtm_family;
	o->dplen = rm->rtm_dst_len;
	o->is_static = rm->rtm_protocol != RTPROT_KERNEL;
	int len = (int)RTM_PAYLOAD(h);
	for (const struct rtattr *a = RTM_RTA(rm); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		unsigned dl = RTA_PAYLOAD(a);
		if (a->rta_type == RTA_TABLE && dl >= 4)
			memcpy(&table, RTA_DATA(a), 4);
		else if (a->rta_type == RTA_OIF && dl >= 4)
			memcpy(&o->oif, RTA_DATA(a), 4);
		else if (a->rta_type == RTA_DST && dl >= alen)
			memcpy(o->dst, RTA_DATA(a), alen);
		else if (a->rta_type == RTA_GATEWAY && dl >= alen) {
			memcpy(o->gw, RTA_DATA(a), alen);
			o->has_gw = 1;
		}
	}
	return table == RT_TABLE_MAIN || lo_net;
}

long nl_routes(int family, struct nr_route *out, int cap)
{
	long fd = nl_open();
	if (fd < 0)
		return fd;
	uint8_t *buf = rt_malloc(NLBUF);
	struct nlreq q;
	memset(&q, 0, sizeof q);
	q.h.nlmsg_len = NLMSG_LENGTH(sizeof q.rt);
	q.h.nlmsg_type = RTM_GETROUTE;
	q.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	q.h.nlmsg_seq = 2;
	q.rt.rtm_family = (unsigned char)family;
	long n = 0, r = buf ? lsys6(__NR_sendto, fd, (long)&q, q.h.nlmsg_len, 0, 0, 0) : -ENOMEM;
	while (r >= 0) {
		long got = lsys6(__NR_recvfrom, fd, (long)buf, NLBUF, 0, 0, 0);
		if (got <= 0) {
			r = got < 0 ? got : -EIO;
			break;
		}
		int done = 0;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (unsigned)got);
		     h = NLMSG_NEXT(h, got)) {
			if (h->nlmsg_type == NLMSG_DONE)
				done = 1;
			else if (h->nlmsg_type == NLMSG_ERROR)
				r = -EIO;
			else if (h->nlmsg_type == RTM_NEWROUTE && n < cap && nl_parse_route(h, &out[n]))
				n++;
		}
		if (done)
			break;
	}
	rt_free(buf);
	lsys1(__NR_close, fd);
	return r < 0 ? r : n;
}

long nl_route(int add, int family, const uint8_t *dst, int plen, const uint8_t *gw, int oif)
{
	unsigned alen = family == 2 ? 4 : 16;
	struct nlreq q;
	memset(&q, 0, sizeof q);
	q.h.nlmsg_len = NLMSG_LENGTH(sizeof q.rt);
	q.h.nlmsg_type = add ? RTM_NEWROUTE : RTM_DELROUTE;
	/* EXCL: FreeBSD refuses an existing route with EEXIST, never replaces. */
	q.h.nlmsg_flags = add ? NLM_F_CREATE | NLM_F_EXCL : 0;
	q.rt.rtm_family = (unsigned char)family;
	q.rt.rtm_dst_len = (unsigned char)plen;
	q.rt.rtm_table = RT_TABLE_MAIN;
	if (add) {
		q.rt.rtm_protocol = RTPROT_STATIC;
		q.rt.rtm_type = RTN_UNICAST;
		q.rt.rtm_scope = gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	} else {
		q.rt.rtm_scope = RT_SCOPE_NOWHERE; /* delete matches any scope/type/protocol */
	}
	if (plen > 0)
		add_attr(&q, RTA_DST, dst, alen);
	if (gw)
		add_attr(&q, RTA_GATEWAY, gw, alen);
	if (oif > 0)
		add_attr(&q, RTA_OIF, &oif, 4);
	return nl_call(&q);
}
