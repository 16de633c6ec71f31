/* sysctl net.route (CTL_NET, PF_ROUTE, 0, af, NET_RT_*, ifindex): the
 * interface list FreeBSD programs (Go's net.Interfaces, getifaddrs) read,
 * built from Linux rtnetlink (links, addresses) and /proc/net/igmp{,6}
 * (multicast groups); messages encoded by rtmsg.c. */
#include "../trap/dispatch.h"
#include "../rt/rt.h"
#include "rtmsg.h"
#include "nlreq.h"
#include "sysctl.h"
#include <asm-generic/errno.h>
#include <linux/fcntl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/if_link.h>
#include <linux/if_addr.h>

#define NLBUF 32768

/* One rtnetlink dump request; calls fn for every message. */
static long nl_dump(int fd, int type, int family, uint8_t *buf,
		    void (*fn)(struct ifsnap *, const struct nlmsghdr *), struct ifsnap *s)
{
	struct {
		struct nlmsghdr h;
		union {
			struct ifinfomsg ifi;
			struct ifaddrmsg ifa;
		};
	} req;
	memset(&req, 0, sizeof req);
	req.h.nlmsg_len = type == RTM_GETLINK ? NLMSG_LENGTH(sizeof(struct ifinfomsg))
					      : NLMSG_LENGTH(sizeof(struct ifaddrmsg));
	req.h.nlmsg_type = (uint16_t)type;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.h.nlmsg_seq = (uint32_t)type;
	if (type == RTM_GETLINK)
		req.ifi.ifi_family = (unsigned char)family;
	else
		req.ifa.ifa_family = (unsigned char)family;
	long r = lsys6(__NR_sendto, fd, (long)&req, req.h.nlmsg_len, 0, 0, 0);
	if (r < 0)
		return r;
	for (;;) {
		long n = lsys6(__NR_recvfrom, fd, (long)buf, NLBUF, 0, 0, 0);
		if (n < 0)
			return n;
		if (n == 0)
			return -EIO;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (unsigned)n);
		     h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (h->nlmsg_type == NLMSG_ERROR)
				return -EIO;
			fn(s, h);
		}
	}
}

int nr_parse_link(const struct nlmsghdr *h, struct nr_link *l)
{
	const struct ifinfomsg *ifi = NLMSG_DATA(h);
	memset(l, 0, sizeof *l);
	l->index = ifi->ifi_index;
	l->lflags = ifi->ifi_flags;
	l->arphrd = ifi->ifi_type;
	int len = (int)IFLA_PAYLOAD(h);
	for (const struct rtattr *a = IFLA_RTA(ifi); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		const void *d = RTA_DATA(a);
		unsigned dl = RTA_PAYLOAD(a);
		switch (a->rta_type) {
		case IFLA_IFNAME: {
			char n[16];
			rt_strlcpy(n, d, dl + 1 < sizeof n ? dl + 1 : sizeof n);
			ifname_l2f(n, l->name);
			break;
		}
		case IFLA_MTU:
			if (dl >= 4)
				memcpy(&l->mtu, d, 4);
			break;
		case IFLA_ADDRESS:
			if (dl <= sizeof l->hw && l->arphrd != 772) { /* loopback: no address */
				l->hwlen = (uint8_t)dl;
				memcpy(l->hw, d, dl);
			}
			break;
		case IFLA_STATS64:
			if (dl >= sizeof(struct rtnl_link_stats64)) {
				struct rtnl_link_stats64 st;
				memcpy(&st, d, sizeof st);
				uint64_t v[8] = { st.rx_packets, st.tx_packets, st.rx_bytes, st.tx_bytes,
						  st.rx_errors, st.tx_errors, st.rx_dropped, st.tx_dropped };
				memcpy(l->stats, v, sizeof v);
			}
			break;
		}
	}
	return l->name[0] != 0;
}

static void on_link(struct ifsnap *s, const struct nlmsghdr *h)
{
	if (h->nlmsg_type == RTM_NEWLINK && s->nlinks < MAXLINKS &&
	    nr_parse_link(h, &s->links[s->nlinks]))
		s->nlinks++;
}

int nr_parse_addr(const struct nlmsghdr *h, struct nr_addr *a)
{
	const struct ifaddrmsg *ifa = NLMSG_DATA(h);
	if (ifa->ifa_family != 2 && ifa->ifa_family != 10)
		return 0;
	memset(a, 0, sizeof *a);
	a->index = (int)ifa->ifa_index;
	a->family = ifa->ifa_family == 2 ? 2 : 28;
	a->prefixlen = ifa->ifa_prefixlen;
	unsigned alen = ifa->ifa_family == 2 ? 4 : 16;
	const uint8_t *local = NULL, *address = NULL, *brd = NULL;
	int len = (int)IFA_PAYLOAD(h);
	for (const struct rtattr *r = IFA_RTA(ifa); RTA_OK(r, len); r = RTA_NEXT(r, len)) {
		if (RTA_PAYLOAD(r) < alen)
			continue;
		if (r->rta_type == IFA_LOCAL)
			local = RTA_DATA(r);
		else if (r->rta_type == IFA_ADDRESS)
			address = RTA_DATA(r);
		else if (r->rta_type == IFA_BROADCAST)
			brd = RTA_DATA(r);
	}
	if (!local)
		local = address;
	if (!local)
		return 0;
	memcpy(a->addr, local, alen);
	/* Point-to-point: IFA_ADDRESS is the peer, FreeBSD's ifa_dstaddr. */
	if (address && address != local && memcmp(address, local, alen) != 0)
		brd = address;
	if (brd) {
		memcpy(a->brd, brd, alen);
		a->has_brd = 1;
	}
	return 1;
}

static void on_addr(struct ifsnap *s, const struct nlmsghdr *h)
{
	if (h->nlmsg_type == RTM_NEWADDR && s->naddrs < MAXADDRS &&
	    nr_parse_addr(h, &s->addrs[s->naddrs]))
		s->naddrs++;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static long read_file(const char *path, char *buf, size_t cap)
{
	long fd = lsys4(__NR_openat, -100, path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return fd;
	size_t n = 0;
	while (n + 1 < cap) {
		long r = lsys3(__NR_read, fd, buf + n, cap - 1 - n);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	lsys1(__NR_close, fd);
	buf[n] = 0;
	return (long)n;
}

static void add_group(struct ifsnap *s, int index, int family, const uint8_t *g)
{
	if (s->naddrs >= MAXADDRS)
		return;
	struct nr_addr *a = &s->addrs[s->naddrs++];
	memset(a, 0, sizeof *a);
	a->index = index;
	a->family = family;
	a->prefixlen = -1;
	memcpy(a->addr, g, family == 2 ? 4 : 16);
}

/* /proc/net/igmp: "idx dev : count querier" lines, then indented groups
 * as the in-memory (little-endian) hex of the network-order address. */
static void parse_igmp(struct ifsnap *s, const char *p)
{
	int index = 0;
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n && p[0] >= '0' && p[0] <= '9') {
			index = 0;
			for (size_t i = 0; i < n && p[i] >= '0' && p[i] <= '9'; i++)
				index = index * 10 + (p[i] - '0');
		} else if (n && p[0] == '\t' && index) {
			const char *q = p;
			while (*q == '\t')
				q++;
			uint32_t v = 0;
			int k = 0;
			for (; k < 8 && hexval(q[k]) >= 0; k++)
				v = v << 4 | (uint32_t)hexval(q[k]);
			if (k == 8) {
				uint8_t g[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
						 (uint8_t)(v >> 24) };
				add_group(s, index, 2, g);
			}
		}
		if (!e)
			break;
		p = e + 1;
	}
}

/* /proc/net/igmp6: "idx dev group(32 hex) users flags timer". */
static void parse_igmp6(struct ifsnap *s, const char *p)
{
	while (*p) {
		const char *e = strchr(p, '\n');
		int index = 0;
		while (*p >= '0' && *p <= '9')
			index = index * 10 + (*p++ - '0');
		while (*p == ' ')
			p++;
		while (*p && *p != ' ' && *p != '\n')
			p++; /* device name */
		while (*p == ' ')
			p++;
		uint8_t g[16];
		int k = 0;
		for (; k < 32 && hexval(p[k]) >= 0; k++)
			if (k & 1)
				g[k / 2] = (uint8_t)(g[k / 2] << 4 | hexval(p[k]));
			else
				g[k / 2] = (uint8_t)hexval(p[k]);
		if (k == 32 && index)
			add_group(s, index, 28, g);
		if (!e)
			break;
		p = e + 1;
	}
}

/* FreeBSD gives every IPv4 address on a broadcast interface a broadcast
 * address; Linux only when asked (ip addr add ... brd +). */
void nr_fill_brd(struct nr_addr *a, const struct nr_link *l)
{
	if (a->family != 2 || a->has_brd || a->prefixlen < 0 || a->prefixlen > 30 ||
	    l->index != a->index || !(l->lflags & 0x2))
		return;
	uint32_t ip = (uint32_t)a->addr[0] << 24 | (uint32_t)a->addr[1] << 16 |
		      (uint32_t)a->addr[2] << 8 | a->addr[3];
	ip |= 0xffffffffu >> a->prefixlen;
	uint8_t b[4] = { (uint8_t)(ip >> 24), (uint8_t)(ip >> 16), (uint8_t)(ip >> 8), (uint8_t)ip };
	memcpy(a->brd, b, 4);
	a->has_brd = 1;
}

static void fill_brd(struct ifsnap *s)
{
	for (int i = 0; i < s->naddrs; i++)
		for (int j = 0; j < s->nlinks; j++)
			nr_fill_brd(&s->addrs[i], &s->links[j]);
}

long nr_get_link(int index, struct nr_link *l)
{
	struct {
		struct nlmsghdr h;
		struct ifinfomsg ifi;
	} req;
	memset(&req, 0, sizeof req);
	req.h.nlmsg_len = sizeof req;
	req.h.nlmsg_type = RTM_GETLINK;
	req.h.nlmsg_flags = NLM_F_REQUEST;
	req.h.nlmsg_seq = 1;
	req.ifi.ifi_index = index;
	uint8_t *buf = rt_malloc(NLBUF);
	long fd = lsys3(__NR_socket, 16 /* AF_NETLINK */, 3 /* SOCK_RAW */ | O_CLOEXEC, NETLINK_ROUTE);
	long r = !buf ? -ENOMEM : fd;
	if (r >= 0)
		r = lsys6(__NR_sendto, fd, (long)&req, sizeof req, 0, 0, 0);
	long n = r >= 0 ? lsys6(__NR_recvfrom, fd, (long)buf, NLBUF, 0, 0, 0) : r;
	r = n < 0 ? n : -ENXIO;
	for (struct nlmsghdr *h = (struct nlmsghdr *)buf; n > 0 && NLMSG_OK(h, (unsigned)n);
	     h = NLMSG_NEXT(h, n))
		if (h->nlmsg_type == RTM_NEWLINK && nr_parse_link(h, l)) {
			r = 0;
			break;
		}
	if (fd >= 0)
		lsys1(__NR_close, fd);
	rt_free(buf);
	return r;
}

const struct nr_link *nr_link_byname(const struct ifsnap *s, const char *fname)
{
	char n[16];
	size_t len = strnlen(fname, 15);
	memcpy(n, fname, len);
	n[len] = 0;
	for (int i = 0; i < s->nlinks; i++)
		if (strcmp(s->links[i].name, n) == 0)
			return &s->links[i];
	return NULL;
}

long nr_snapshot(struct ifsnap *s, int groups)
{
	uint8_t *buf = rt_malloc(NLBUF);
	if (!buf)
		return -ENOMEM;
	long fd = lsys3(__NR_socket, 16 /* AF_NETLINK */, 3 /* SOCK_RAW */ | O_CLOEXEC, NETLINK_ROUTE);
	long r = fd;
	if (fd >= 0) {
		r = nl_dump((int)fd, RTM_GETLINK, 0, buf, on_link, s);
		if (r == 0 && !groups)
			r = nl_dump((int)fd, RTM_GETADDR, 0, buf, on_addr, s);
		lsys1(__NR_close, fd);
	}
	if (r == 0 && !groups)
		fill_brd(s);
	if (r == 0 && groups) {
		if (read_file("/proc/net/igmp", (char *)buf, NLBUF) >= 0)
			parse_igmp(s, (char *)buf);
		if (read_file("/proc/net/igmp6", (char *)buf, NLBUF) >= 0)
			parse_igmp6(s, (char *)buf);
	}
	rt_free(buf);
	return r;
}

#define MAXROUTES 1024

/* NET_RT_DUMP: the main routing table, IPv4 then IPv6 (af 0 = both). */
static long route_dump(struct sysctl_req *req, int af)
{
	struct nr_route *rts = rt_calloc(MAXROUTES, sizeof *rts);
	if (!rts)
		return -ENOMEM;
	long n = 0, r = 0;
	if (af == 0 || af == 2)
		r = nl_routes(2, rts, MAXROUTES);
	if (r >= 0) {
		n = r;
		if (af == 0 || af == 28)
			r = nl_routes(10, rts + n, MAXROUTES - (int)n);
	}
	if (r >= 0) {
		n += r;
		size_t need = rt_encode_routes(0, rts, (int)n, NULL, 0);
		uint8_t *out = rt_malloc(need ? need : 1);
		if (!out) {
			r = -ENOMEM;
		} else {
			rt_encode_routes(0, rts, (int)n, out, need);
			r = sysctl_out(req, out, need);
			rt_free(out);
		}
	}
	rt_free(rts);
	return r;
}

/* CTL_NET.PF_ROUTE.0.af.type.arg; -ENOSYS when the MIB is not ours. */
long sysctl_net(struct sysctl_req *req, const int *mib, unsigned len)
{
	if (len < 2 || mib[0] != 4 || mib[1] != 17)
		return -ENOSYS;
	if (len < 6 || len > 7 || mib[2] != 0)
		return -EINVAL; /* a 7th component is the FIB (NET_RT_DUMP): only one here */
	int af = mib[3], type = mib[4], arg = mib[5];
	if (af != 0 && af != 2 && af != 28)
		return -EINVAL;
	if (req->new)
		return -EPERM;
	if (type == NET_RT_DUMP)
		return route_dump(req, af);
	if (type != NET_RT_IFLIST && type != NET_RT_IFLISTL && type != NET_RT_IFMALIST)
		return -EOPNOTSUPP; /* NET_RT_FLAGS/NHOP...: not kept here */
	struct ifsnap *s = rt_calloc(1, sizeof *s);
	if (!s)
		return -ENOMEM;
	long r = nr_snapshot(s, type == NET_RT_IFMALIST);
	if (r == 0) {
		size_t need = rt_encode(type, af, arg, s->links, s->nlinks, s->addrs, s->naddrs, NULL, 0);
		uint8_t *out = rt_malloc(need ? need : 1);
		if (!out) {
			r = -ENOMEM;
		} else {
			rt_encode(type, af, arg, s->links, s->nlinks, s->addrs, s->naddrs, out, need);
			r = sysctl_out(req, out, need);
			rt_free(out);
		}
	}
	rt_free(s);
	return r;
}
