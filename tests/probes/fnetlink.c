/* Probe: FreeBSD's own netlink (AF_NETLINK 38), as FreeBSD 14's ifconfig,
 * route and netstat use it through snl(3). Run as root in a fresh network
 * namespace with lo up and a veth pair fnv0/fnv1 up (tests/probes/run.sh).
 * Facts, kept here on purpose rather than taken from the translator:
 *   sys/netlink/netlink.h   AF_NETLINK 38; sockaddr_nl {nl_len, nl_family,
 *                 nl_pad u16, nl_pid, nl_groups} 12 bytes; SOL_NETLINK 270,
 *                 NETLINK_ADD_MEMBERSHIP 1, NETLINK_EXT_ACK 11; NLM_F_REQUEST
 *                 1, MULTI 2, ACK 4, DUMP 0x300, EXCL 0x200, CREATE 0x400;
 *                 NLMSG_ERROR 2 (nlmsgerr: int error, then the request's
 *                 header), NLMSG_DONE 3; NETLINK_ROUTE 0, NETLINK_GENERIC 16;
 *                 the error is FreeBSD's positive errno (nlmsg_ack).
 *   route/common.h RTM_NEWLINK 16, GETLINK 18, NEWADDR 20, DELADDR 21,
 *                 GETADDR 22, NEWROUTE 24, DELROUTE 25, GETROUTE 26;
 *                 RTNLGRP_LINK 1, IPV4_IFADDR 5, IPV4_ROUTE 7, IPV6_IFADDR 9,
 *                 IPV6_ROUTE 11.
 *   route/interface.h ifinfomsg 16 bytes (type @2, index @4, flags @8,
 *                 change @12); IFLA_ADDRESS 1, IFLA_IFNAME 3, IFLA_MTU 4.
 *   net/if.h      IFF_UP 1, IFF_LOOPBACK 8, IFF_RUNNING 0x40; net/if_types.h
 *                 IFT_ETHER 6, IFT_LOOP 0x18.
 *   route/ifaddrs.h ifaddrmsg 8 bytes (family, prefixlen, flags, scope,
 *                 index u32); IFA_ADDRESS 1, IFA_LOCAL 2.
 *   route/route.h rtmsg 12 bytes (family, dst_len, src_len, tos, table,
 *                 protocol, scope, type, flags u32); RT_TABLE_MAIN 0;
 *                 RTN_UNICAST 1; NL_RTA_DST 1, OIF 4, GATEWAY 5, RTFLAGS 14,
 *                 TABLE 15; net/route.h RTF_UP 1, RTF_GATEWAY 2, RTF_STATIC
 *                 0x800.
 *   route/neigh.h ndmsg 12 bytes (family, pads, ifindex @4, state u16 @8,
 *                 flags, type); NDA_DST 1, NDA_LLADDR 2; NUD_PERMANENT 0x80;
 *                 RTM_NEWNEIGH 28, DELNEIGH 29, GETNEIGH 30.
 *   netlink_generic.h GENL_ID_CTRL 16, CTRL_CMD_NEWFAMILY 1, GETFAMILY 3,
 *                 CTRL_ATTR_FAMILY_ID 1, CTRL_ATTR_FAMILY_NAME 2.
 *                 NLM_F_CAPPED 0x100, NLM_F_ACK_TLVS 0x200, NLMSGERR_ATTR_MSG 1
 *                 (after the capped nlmsgerr, with NETLINK_EXT_ACK on).
 *   errno: ENOENT 2, ESRCH 3, EEXIST 17, EPROTONOSUPPORT 43, EADDRNOTAVAIL
 *                 49, ENETUNREACH 51 (Linux 99, 101: numbers translated). */
#include "probe.h"

#define AF_NETLINK 38
#define SOCK_RAW 3
#define SOL_NETLINK 270
#define F_REQ 0x1
#define F_MULTI 0x2
#define F_ACK 0x4
#define F_DUMP 0x300
#define F_EXCL 0x200
#define F_CREATE 0x400
#define NLMSG_ERROR 2
#define NLMSG_DONE 3
#define RTM_NEWLINK 16
#define RTM_GETLINK 18
#define RTM_NEWADDR 20
#define RTM_DELADDR 21
#define RTM_GETADDR 22
#define RTM_NEWROUTE 24
#define RTM_DELROUTE 25
#define RTM_GETROUTE 26
#define ESRCH 3
#define EPROTONOSUPPORT 43
#define EADDRNOTAVAIL 49
#define ENETUNREACH 51



static int i32(const u8 *p) { return p[0] | p[1] << 8 | p[2] << 16 | p[3] << 24; }
static int le16(const u8 *p) { return p[0] | p[1] << 8; }

/* ---- one request being built ---- */
static u8 req[512];
static int rq;

static void put(const void *d, int n)
{
	memcpy(req + rq, d, (unsigned long)n);
	rq += (n + 3) & ~3;
}

static void begin(int type, int flags, int seq)
{
	memset(req, 0, sizeof req);
	req[4] = (u8)type, req[6] = (u8)flags, req[7] = (u8)(flags >> 8);
	req[8] = (u8)seq;
	rq = 16;
}

static void attr(int type, const void *d, int n)
{
	u8 h[4] = {(u8)(4 + n), 0, (u8)type, 0};
	memcpy(req + rq, h, 4);
	rq += 4;
	put(d, n);
}

static void attr32(int type, int v) { attr(type, &v, 4); }

static long sendreq(int fd)
{
	req[0] = (u8)rq, req[1] = (u8)(rq >> 8);
	sysret r = SYS(SYS_sendto, fd, req, rq, 0, 0, 0);
	return r.cf ? -r.val : r.val;
}

/* ---- reading: one datagram at a time, messages out of it ---- */
struct rd {
	int fd, len, off;
	u8 buf[32768];
};
static struct rd rs, ms, gs; /* requests, multicast listener, generic */

/* The next message (its header), waiting up to 3 s; 0 if none. */
static u8 *next(struct rd *r)
{
	if (r->off >= r->len) {
		struct fbsd_pollfd p = {r->fd, POLLIN, 0};
		sysret pr = SYS(SYS_poll, &p, 1, 3000);
		if (pr.cf || pr.val != 1)
			return 0;
		sysret x = SYS(SYS_recvfrom, r->fd, r->buf, sizeof r->buf, 0, 0, 0);
		if (x.cf || x.val < 16)
			return 0;
		r->len = (int)x.val, r->off = 0;
	}
	u8 *h = r->buf + r->off;
	int l = i32(h);
	if (l < 16 || r->off + l > r->len) {
		r->off = r->len;
		return 0;
	}
	r->off += (l + 3) & ~3;
	return h;
}

/* The first message answering seq. */
static u8 *reply(struct rd *r, int seq)
{
	for (int i = 0; i < 1000; i++) {
		u8 *h = next(r);
		if (!h || i32(h + 8) == seq)
			return h;
	}
	return 0;
}

/* The error an NLMSG_ERROR answering seq carries; -1 if none came. */
static int ack(struct rd *r, int seq)
{
	u8 *h = reply(r, seq);
	return h && le16(h + 4) == NLMSG_ERROR ? i32(h + 16) : -1;
}

/* The attribute TYPE of a message whose fixed header is hdr bytes. */
static const u8 *attr_of(const u8 *h, int hdr, int type, int *len)
{
	int end = i32(h);
	for (int o = 16 + hdr; o + 4 <= end;) {
		int al = le16(h + o);
		if (al < 4)
			break;
		if ((le16(h + o + 2) & 0x3fff) == type) {
			if (len)
				*len = al - 4;
			return h + o + 4;
		}
		o += (al + 3) & ~3;
	}
	return 0;
}

/* ---- links ---- */
static int lo_index, veth_index;

static void dump_links(void)
{
	begin(RTM_GETLINK, F_REQ | F_DUMP, 1);
	u8 ifi[16] = {0};
	put(ifi, 16);
	CHECK_EQ("link dump sent", sendreq(rs.fd), rq);
	int saw_lo = 0, saw_linux_lo = 0, lo_ok = 0, veth_ok = 0, done = 0;
	for (u8 *h; (h = reply(&rs, 1));) {
		if (le16(h + 4) == NLMSG_DONE) {
			done = 1;
			break;
		}
		if (le16(h + 4) != RTM_NEWLINK || !(le16(h + 6) & F_MULTI))
			continue;
		const char *name = (const char *)attr_of(h, 16, 3, 0);
		int type = le16(h + 18), index = i32(h + 20), flags = i32(h + 24), alen = -1;
		const u8 *mtu = attr_of(h, 16, 4, 0);
		attr_of(h, 16, 1, &alen);
		if (!name)
			continue;
		if (rt_streq(name, "lo"))
			saw_linux_lo = 1;
		if (rt_streq(name, "lo0")) {
			saw_lo = 1;
			lo_index = index;
			lo_ok = type == 0x18 && (flags & 0x49) == 0x49 && alen == -1 && mtu;
		}
		if (rt_streq(name, "fnv0")) {
			veth_index = index;
			veth_ok = type == 6 && alen == 6 && (flags & 1) && mtu && i32(mtu) == 1500;
		}
	}
	CHECK("link dump ends in NLMSG_DONE", done);
	CHECK("lo0 listed", saw_lo);
	CHECK("no Linux name lo", !saw_linux_lo);
	CHECK("lo0: IFT_LOOP, UP|LOOPBACK|RUNNING, mtu, no link address", lo_ok);
	CHECK("fnv0: IFT_ETHER, UP, 6-byte address, mtu 1500", veth_ok);
}

/* Is lo0 up, asked with a single RTM_GETLINK? -1 if no answer. */
static int lo_up(int seq)
{
	begin(RTM_GETLINK, F_REQ, seq);
	u8 ifi[16] = {0};
	ifi[4] = (u8)lo_index;
	put(ifi, 16);
	sendreq(rs.fd);
	u8 *h = reply(&rs, seq);
	return h && le16(h + 4) == RTM_NEWLINK ? i32(h + 24) & 1 : -1;
}

/* RTM_NEWLINK changing only IFF_UP of lo0; the ack's error. */
static int set_lo(int up, int seq)
{
	begin(RTM_NEWLINK, F_REQ | F_ACK, seq);
	u8 ifi[16] = {0};
	ifi[4] = (u8)lo_index;
	ifi[8] = (u8)up;
	ifi[12] = 1; /* ifi_change: IFF_UP */
	put(ifi, 16);
	sendreq(rs.fd);
	return ack(&rs, seq);
}

/* A link message for lo0 with IFF_UP as wanted among the notifications. */
static int link_note(int up)
{
	for (u8 *h; (h = next(&ms));)
		if (le16(h + 4) == RTM_NEWLINK && i32(h + 20) == lo_index && (i32(h + 24) & 1) == up)
			return 1;
	return 0;
}

/* ---- addresses ---- */
static const u8 v4[4] = {10, 98, 0, 1};
static const u8 v6[16] = {0xfd, 0, 0, 0x98, [15] = 1};
static const u8 lo4[4] = {127, 0, 0, 1};
static const u8 lo6[16] = {[15] = 1};

/* Does an address message hold family/plen/index with IFA_LOCAL = a? */
static int addr_is(const u8 *h, int family, int plen, int index, const u8 *a)
{
	int n = 0;
	const u8 *l = attr_of(h, 8, 2, &n);
	return h[16] == family && h[17] == plen && i32(h + 20) == index && l &&
	       n == (family == 2 ? 4 : 16) && !memcmp(l, a, (unsigned long)n);
}

/* The IFA_BROADCAST (IPv4) of the last address addr_listed() found
 * (copied: the buffer is reused by the rest of the dump). */
static u8 found_brd[4];
static int has_brd;

/* Runs an address dump; 1 if family/plen/index/a is in it. *linux_family
 * counts entries with Linux's AF_INET6 (10). */
static int addr_listed(int seq, int family, int plen, int index, const u8 *a, int *linux_family)
{
	begin(RTM_GETADDR, F_REQ | F_DUMP, seq);
	u8 ifa[8] = {0};
	put(ifa, 8);
	sendreq(rs.fd);
	int found = 0;
	for (u8 *h; (h = reply(&rs, seq)) && le16(h + 4) != NLMSG_DONE;) {
		if (le16(h + 4) != RTM_NEWADDR)
			continue;
		if (addr_is(h, family, plen, index, a)) {
			int n = 0;
			const u8 *b = attr_of(h, 8, 4, &n);
			has_brd = b && n == 4;
			if (has_brd)
				memcpy(found_brd, b, 4);
			found = 1;
		}
		if (linux_family && h[16] == 10)
			++*linux_family;
	}
	return found;
}

static int addr_req(int type, int family, int plen, const u8 *a, int seq)
{
	begin(type, F_REQ | F_ACK | (type == RTM_NEWADDR ? F_CREATE | F_EXCL : 0), seq);
	u8 ifa[8] = {(u8)family, (u8)plen, 0, 0, (u8)veth_index};
	put(ifa, 8);
	int n = family == 2 ? 4 : 16;
	attr(2, a, n); /* IFA_LOCAL */
	attr(1, a, n); /* IFA_ADDRESS */
	sendreq(rs.fd);
	return ack(&rs, seq);
}

static int addr_note(int type, int family, int plen, const u8 *a)
{
	for (u8 *h; (h = next(&ms));)
		if (le16(h + 4) == type && addr_is(h, family, plen, veth_index, a))
			return 1;
	return 0;
}

/* ---- routes: 10.97.0.0/24 via 10.98.0.254, fd00:97::/64 via fd00:98::fe ---- */
static const u8 dst4[4] = {10, 97, 0, 0}, gw4[4] = {10, 98, 0, 254};
static const u8 dst6[16] = {0xfd, 0, 0, 0x97}, gw6[16] = {0xfd, 0, 0, 0x98, [15] = 0xfe};

static int route_req(int type, int family, int seq)
{
	int n = family == 2 ? 4 : 16, plen = family == 2 ? 24 : 64;
	begin(type, F_REQ | F_ACK | (type == RTM_NEWROUTE ? F_CREATE | F_EXCL : 0), seq);
	u8 rtm[12] = {(u8)family, (u8)plen};
	put(rtm, 12);
	attr(1, family == 2 ? dst4 : dst6, n);
	attr(5, family == 2 ? gw4 : gw6, n);
	sendreq(rs.fd);
	return ack(&rs, seq);
}

/* A route message for our prefix: family, length, gateway, fib 0 and the
 * RTF_GATEWAY|RTF_STATIC flags FreeBSD's netstat prints from NL_RTA_RTFLAGS. */
static int route_is(const u8 *h, int family)
{
	int n = 0, plen = family == 2 ? 24 : 64;
	const u8 *d = attr_of(h, 12, 1, 0), *g = attr_of(h, 12, 5, &n), *f = attr_of(h, 12, 14, 0);
	const u8 *t = attr_of(h, 12, 15, 0), *o = attr_of(h, 12, 4, 0);
	return h[16] == family && h[17] == plen && h[20] == 0 && h[23] == 1 && d && g &&
	       !memcmp(d, family == 2 ? dst4 : dst6, family == 2 ? 3 : 4) &&
	       !memcmp(g, family == 2 ? gw4 : gw6, (unsigned long)n) && f &&
	       (i32(f) & 0x803) == 0x803 && t && i32(t) == 0 && o && i32(o) == veth_index;
}

static int route_listed(int family, int seq, int *bad)
{
	begin(RTM_GETROUTE, F_REQ | F_DUMP, seq);
	u8 rtm[12] = {(u8)family};
	put(rtm, 12);
	attr32(15, 0); /* NL_RTA_TABLE: fib 0, as netstat -rn asks */
	sendreq(rs.fd);
	int found = 0;
	for (u8 *h; (h = reply(&rs, seq)) && le16(h + 4) != NLMSG_DONE;) {
		if (le16(h + 4) != RTM_NEWROUTE)
			continue;
		found |= route_is(h, family);
		if (h[16] != family || h[23] != 1 || h[20] != 0)
			++*bad; /* another family, a local/broadcast entry or a table but fib 0 */
	}
	return found;
}

/* netstat -rn with no -f: an AF_UNSPEC dump, both families in it and
 * nothing else; bits 1 (inet) and 2 (inet6) of the result, 4 if another
 * family or a non-unicast entry came. */
static int route_families(int seq)
{
	begin(RTM_GETROUTE, F_REQ | F_DUMP, seq);
	u8 rtm[12] = {0};
	put(rtm, 12);
	attr32(15, 0);
	sendreq(rs.fd);
	int seen = 0;
	for (u8 *h; (h = reply(&rs, seq)) && le16(h + 4) != NLMSG_DONE;)
		if (le16(h + 4) == RTM_NEWROUTE)
			seen |= h[23] != 1 ? 4 : h[16] == 2 ? 1 : h[16] == 28 ? 2 : 4;
	return seen;
}

static int route_note(int type, int family)
{
	for (u8 *h; (h = next(&ms));)
		if (le16(h + 4) == type && route_is(h, family))
			return 1;
	return 0;
}

static void routes(int family, int seq)
{
	const char *v = family == 2 ? "inet" : "inet6";
	CHECK_EQ(rt_tag(v, "RTM_NEWROUTE via gateway: ack 0"), route_req(RTM_NEWROUTE, family, seq), 0);
	CHECK(rt_tag(v, "RTM_NEWROUTE notification"), route_note(RTM_NEWROUTE, family));
	CHECK_EQ(rt_tag(v, "RTM_NEWROUTE again: EEXIST"), route_req(RTM_NEWROUTE, family, seq + 1), EEXIST);
	int bad = 0;
	CHECK(rt_tag(v, "route dump lists it"), route_listed(family, seq + 2, &bad));
	CHECK_EQ(rt_tag(v, "route dump: only unicast fib-0 routes of the family"), bad, 0);
	/* route get: the route carrying an address inside the prefix */
	begin(RTM_GETROUTE, F_REQ, seq + 3);
	u8 rtm[12] = {(u8)family, (u8)(family == 2 ? 32 : 128)};
	put(rtm, 12);
	u8 in[16];
	memcpy(in, family == 2 ? dst4 : dst6, 16);
	in[family == 2 ? 3 : 15] = 5;
	attr(1, in, family == 2 ? 4 : 16);
	sendreq(rs.fd);
	u8 *h = reply(&rs, seq + 3);
	CHECK(rt_tag(v, "RTM_GETROUTE answers with the route"), h && le16(h + 4) == RTM_NEWROUTE && route_is(h, family));
	CHECK_EQ(rt_tag(v, "RTM_DELROUTE: ack 0"), route_req(RTM_DELROUTE, family, seq + 4), 0);
	CHECK(rt_tag(v, "RTM_DELROUTE notification"), route_note(RTM_DELROUTE, family));
	CHECK_EQ(rt_tag(v, "RTM_DELROUTE again: ESRCH"), route_req(RTM_DELROUTE, family, seq + 5), ESRCH);
	/* No default route in the namespace: nothing carries the address. */
	begin(RTM_GETROUTE, F_REQ, seq + 6);
	put(rtm, 12);
	attr(1, in, family == 2 ? 4 : 16);
	sendreq(rs.fd);
	CHECK_EQ(rt_tag(v, "RTM_GETROUTE after delete: ESRCH"), ack(&rs, seq + 6), ESRCH);
}

/* ---- neighbours (arp -s / arp -a / arp -d) ---- */
static int neigh_req(int type, int family, const u8 *a, int seq)
{
	static const u8 mac[6] = {2, 0, 0, 0, 0, 7};
	begin(type, F_REQ | F_ACK | (type == 28 ? F_CREATE : 0), seq);
	u8 nd[12] = {(u8)family, 0, 0, 0, (u8)veth_index, 0, 0, 0, 0x80};
	put(nd, 12);
	attr(1, a, family == 2 ? 4 : 16);
	if (type == 28)
		attr(2, mac, 6);
	sendreq(rs.fd);
	return ack(&rs, seq);
}

/* Does a GETNEIGH dump of family list a permanent entry for a with the MAC? */
static int neigh_listed(int family, const u8 *a, int seq, int *other)
{
	begin(30, F_REQ | F_DUMP, seq);
	u8 nd[12] = {(u8)family};
	put(nd, 12);
	sendreq(rs.fd);
	int found = 0, n = 0, l = 0;
	for (u8 *h; (h = reply(&rs, seq)) && le16(h + 4) != NLMSG_DONE;) {
		if (le16(h + 4) != 28)
			continue;
		if (h[16] != family)
			++*other;
		const u8 *d = attr_of(h, 12, 1, &n), *ll = attr_of(h, 12, 2, &l);
		found |= d && n == (family == 2 ? 4 : 16) && !memcmp(d, a, (unsigned long)n) && ll &&
			 l == 6 && ll[5] == 7 && i32(h + 20) == veth_index && (le16(h + 24) & 0x80);
	}
	return found;
}

static void neighbours(int family, int seq)
{
	const char *v = family == 2 ? "inet" : "inet6";
	static const u8 n4[4] = {10, 98, 0, 7}, n6[16] = {0xfd, 0, 0, 0x98, [15] = 7};
	const u8 *a = family == 2 ? n4 : n6;
	int other = 0;
	CHECK_EQ(rt_tag(v, "RTM_NEWNEIGH permanent: ack 0"), neigh_req(28, family, a, seq), 0);
	CHECK(rt_tag(v, "RTM_GETNEIGH dump lists it with its MAC"), neigh_listed(family, a, seq + 1, &other));
	CHECK_EQ(rt_tag(v, "RTM_GETNEIGH dump: only the family asked"), other, 0);
	CHECK_EQ(rt_tag(v, "RTM_DELNEIGH: ack 0"), neigh_req(29, family, a, seq + 2), 0);
	CHECK(rt_tag(v, "RTM_GETNEIGH dump: gone"), !neigh_listed(family, a, seq + 3, &other));
}

/* ---- generic netlink: family lookup ---- */
static int genl_family(const char *name, int seq, int *id)
{
	begin(16, F_REQ | F_ACK, seq);
	u8 g[4] = {3, 1}; /* CTRL_CMD_GETFAMILY, version 1 */
	put(g, 4);
	attr(2, name, (int)rt_strlen(name) + 1);
	sendreq(gs.fd);
	u8 *h = reply(&gs, seq);
	if (!h)
		return -1;
	if (le16(h + 4) == NLMSG_ERROR)
		return i32(h + 16);
	const u8 *a = attr_of(h, 4, 1, 0);
	*id = a ? le16(a) : -1;
	return le16(h + 4) == 16 && h[16] == 1 ? 0 : -2; /* CTRL_CMD_NEWFAMILY */
}

static int nl_socket(int proto)
{
	sysret r = SYS(SYS_socket, AF_NETLINK, SOCK_RAW, proto);
	return r.cf ? -1 : (int)r.val;
}

int main(int argc, char **argv, char **envp)
{
	CHECK_ERR("socket(AF_NETLINK, SOCK_RAW, 5): EPROTONOSUPPORT", SYS(SYS_socket, AF_NETLINK, SOCK_RAW, 5),
		  EPROTONOSUPPORT);
	rs.fd = nl_socket(0);
	ms.fd = nl_socket(0);
	gs.fd = nl_socket(16);
	CHECK("socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE)", rs.fd >= 0 && ms.fd >= 0);
	CHECK("socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC)", gs.fd >= 0);
	int one = 1, rcvbuf = 0;
	unsigned optlen = 4;
	CHECK_OK("setsockopt NETLINK_EXT_ACK (snl_init)", SYS(SYS_setsockopt, rs.fd, SOL_NETLINK, 11, &one, 4));
	CHECK_OK("getsockopt SO_RCVBUF (snl_init)", SYS(SYS_getsockopt, rs.fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, &optlen));
	CHECK("SO_RCVBUF positive", rcvbuf > 0);
	u8 sa[12] = {12, AF_NETLINK}, name[16];
	CHECK_OK("bind sockaddr_nl", SYS(SYS_bind, rs.fd, sa, 12));
	unsigned nlen = sizeof name;
	CHECK_OK("getsockname", SYS(SYS_getsockname, rs.fd, name, &nlen));
	CHECK("getsockname: 12-byte sockaddr_nl of AF_NETLINK with a port id",
	      nlen == 12 && name[0] == 12 && name[1] == AF_NETLINK && i32(name + 4) != 0);
	static const int groups[] = {1, 5, 7, 9, 11}; /* LINK, IPV4_IFADDR/ROUTE, IPV6_IFADDR/ROUTE */
	static const char *gname[] = {"1", "5", "7", "9", "11"};
	for (int i = 0; i < 5; i++)
		CHECK_OK(rt_tag("NETLINK_ADD_MEMBERSHIP", gname[i]),
			 SYS(SYS_setsockopt, ms.fd, SOL_NETLINK, 1, &groups[i], 4));

	dump_links();
	CHECK("veth index known", veth_index > 0 && lo_index > 0);

	int linux_fam = 0;
	CHECK("address dump: 127.0.0.1/8 on lo0", addr_listed(2, 2, 8, lo_index, lo4, &linux_fam));
	CHECK("... no broadcast address (lo0 is not IFF_BROADCAST)", !has_brd);
	CHECK("address dump: ::1/128 on lo0 as AF_INET6 28", addr_listed(3, 28, 128, lo_index, lo6, &linux_fam));
	CHECK_EQ("address dump: no Linux AF_INET6 (10)", linux_fam, 0);

	/* Addresses come and go, with their notifications. */
	CHECK_EQ("RTM_NEWADDR 10.98.0.1/24: ack 0", addr_req(RTM_NEWADDR, 2, 24, v4, 4), 0);
	CHECK("RTM_NEWADDR notification, inet", addr_note(RTM_NEWADDR, 2, 24, v4));
	CHECK_EQ("RTM_NEWADDR again: EEXIST", addr_req(RTM_NEWADDR, 2, 24, v4, 5), EEXIST);
	CHECK("address dump lists 10.98.0.1/24", addr_listed(6, 2, 24, veth_index, v4, 0));
	static const u8 brd4[4] = {10, 98, 0, 255};
	CHECK("... with broadcast 10.98.0.255 (FreeBSD's on a broadcast link)", has_brd && !memcmp(found_brd, brd4, 4));
	CHECK_EQ("RTM_NEWADDR fd00:98::1/64: ack 0", addr_req(RTM_NEWADDR, 28, 64, v6, 7), 0);
	CHECK("RTM_NEWADDR notification, inet6 (family 28)", addr_note(RTM_NEWADDR, 28, 64, v6));
	CHECK("address dump lists fd00:98::1/64", addr_listed(8, 28, 64, veth_index, v6, 0));

	routes(2, 20);
	/* A gateway no route reaches: FreeBSD's errno and, with NETLINK_EXT_ACK
	 * on, the kernel's text after the capped nlmsgerr. */
	begin(RTM_NEWROUTE, F_REQ | F_ACK | F_CREATE, 28);
	u8 rtm[12] = {2, 24};
	put(rtm, 12);
	static const u8 far[4] = {10, 200, 0, 1};
	attr(1, dst4, 4);
	attr(5, far, 4);
	sendreq(rs.fd);
	u8 *e = reply(&rs, 28);
	int tl = 0;
	CHECK("unreachable gateway: NLMSG_ERROR ENETUNREACH (51)", e && le16(e + 4) == NLMSG_ERROR && i32(e + 16) == ENETUNREACH);
	CHECK("... NLM_F_CAPPED|NLM_F_ACK_TLVS with NLMSGERR_ATTR_MSG text",
	      e && (le16(e + 6) & 0x300) == 0x300 && attr_of(e, 20, 1, &tl) && tl > 1);
	routes(28, 30);
	CHECK_EQ("AF_UNSPEC route dump: inet and inet6 unicast routes only", route_families(90), 3);
	neighbours(2, 80);
	neighbours(28, 85);

	CHECK_EQ("RTM_DELADDR 10.98.0.1/24: ack 0", addr_req(RTM_DELADDR, 2, 24, v4, 40), 0);
	CHECK("RTM_DELADDR notification, inet", addr_note(RTM_DELADDR, 2, 24, v4));
	CHECK_EQ("RTM_DELADDR fd00:98::1/64: ack 0", addr_req(RTM_DELADDR, 28, 64, v6, 41), 0);
	CHECK("RTM_DELADDR notification, inet6", addr_note(RTM_DELADDR, 28, 64, v6));
	CHECK("address dump: 10.98.0.1 gone", !addr_listed(42, 2, 24, veth_index, v4, 0));
	CHECK_EQ("RTM_DELADDR again: EADDRNOTAVAIL (FreeBSD's 49)", addr_req(RTM_DELADDR, 2, 24, v4, 43),
		 EADDRNOTAVAIL);

	/* lo0 down and up again through RTM_NEWLINK's flags. */
	CHECK_EQ("RTM_NEWLINK lo0 down: ack 0", set_lo(0, 50), 0);
	CHECK("link notification: lo0 down", link_note(0));
	CHECK_EQ("RTM_GETLINK lo0: down", lo_up(51), 0);
	CHECK_EQ("RTM_NEWLINK lo0 up: ack 0", set_lo(1, 52), 0);
	CHECK("link notification: lo0 up", link_note(1));
	CHECK_EQ("RTM_GETLINK lo0: up", lo_up(53), 1);

	static const u8 ifi0[16];
	/* Generic netlink: FreeBSD-only families are not there, nlctrl is. */
	int id = 0;
	CHECK_EQ("CTRL_CMD_GETFAMILY nlsysevent: NLMSG_ERROR ENOENT", genl_family("nlsysevent", 60, &id), ENOENT);
	CHECK_EQ("CTRL_CMD_GETFAMILY nlpf: NLMSG_ERROR ENOENT", genl_family("nlpf", 61, &id), ENOENT);
	CHECK_EQ("CTRL_CMD_GETFAMILY nlctrl: CTRL_CMD_NEWFAMILY", genl_family("nlctrl", 62, &id), 0);
	CHECK_EQ("nlctrl is GENL_ID_CTRL 16", id, 16);

	/* if_nametoindex_nl: RTM_GETLINK by IFLA_IFNAME "lo0", through write/read. */
	begin(RTM_GETLINK, F_REQ, 71);
	put(ifi0, 16);
	attr(3, "lo0", 4);
	req[0] = (u8)rq;
	CHECK_EQ("write() a request", SYS(SYS_write, rs.fd, req, rq).val, rq);
	sysret rr = SYS(SYS_read, rs.fd, rs.buf, sizeof rs.buf);
	CHECK("read(): RTM_NEWLINK for lo0 by name", !rr.cf && le16(rs.buf + 4) == RTM_NEWLINK && i32(rs.buf + 8) == 71 &&
	      i32(rs.buf + 20) == lo_index);

	/* recvmsg names the sender as FreeBSD does (the kernel: port 0). */
	begin(RTM_GETLINK, F_REQ, 70);
	u8 ifi[16] = {0};
	ifi[4] = (u8)lo_index;
	put(ifi, 16);
	sendreq(rs.fd);
	struct { void *base; unsigned long len; } iov = {rs.buf, sizeof rs.buf};
	struct { void *name; unsigned namelen, pad; void *iov; int iovlen, pad1; void *ctl; unsigned ctllen; int flags; } m =
		{name, sizeof name, 0, &iov, 1, 0, 0, 0, 0};
	sysret r = SYS(SYS_recvmsg, rs.fd, &m, 0);
	CHECK("recvmsg: the RTM_NEWLINK answer", !r.cf && r.val >= 32 && le16(rs.buf + 4) == RTM_NEWLINK && i32(rs.buf + 8) == 70);
	CHECK("recvmsg: msg_name sockaddr_nl of AF_NETLINK, port 0", m.namelen == 12 && name[1] == AF_NETLINK && i32(name + 4) == 0);
	rs.len = rs.off = 0;
	return rt_done();
}
