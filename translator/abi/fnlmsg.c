/* FreeBSD netlink messages <-> Linux ones. The framing (nlmsghdr, nlattr,
 * ifinfomsg, ifaddrmsg, rtmsg, ndmsg, genlmsghdr) is the same; what
 * differs is rewritten here: AF_INET6 (28 vs 10), interface names (lo0),
 * IFF_* flags and link types (IFT_*), the IFLA_* numbers past 58 (FreeBSD
 * has no IFLA_TSO_MAX_SIZE), FreeBSD-only route attributes (NL_RTA_KNH_ID
 * 10, NL_RTA_WEIGHT 13, NL_RTA_RTFLAGS 14), routing table 0 = Linux main,
 * struct rtvia (a one-byte family), and errors (positive FreeBSD errno in
 * NLMSG_ERROR/NLMSG_DONE). Messages are rebuilt attribute by attribute
 * with only what FreeBSD's kernel sends (route/interface.h, ifaddrs.h,
 * route.h). No system calls here, except asking for a link's flags
 * (broadcast addresses) and the route filter shared with nlreq.c. */
#include "../rt/rt.h"
#include "fnetlink.h"
#include "rtmsg.h"
#include "nlreq.h"
#include "xlate.h"
#include <asm-generic/errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/genetlink.h>
#include <linux/neighbour.h>

#define F_AF_INET6 28
#define F_IFF_LOWER_UP 0x1000000 /* IFF_NETLINK_1 */
#define L_IFF_LOWER_UP 0x10000
#define F_IFT_ETHER 6
#define F_IFT_LOOP 24
#define F_IFT_OTHER 1
#define F_RTA_KNH_ID 10
#define F_RTA_WEIGHT 13
#define F_RTA_RTFLAGS 14
#define F_RTF_UP 0x1
#define F_RTF_GATEWAY 0x2
#define F_RTF_HOST 0x4
#define F_RTF_REJECT 0x8
#define F_RTF_STATIC 0x800
#define F_RTF_BLACKHOLE 0x1000
#define F_IFLA_LAST_SHARED 58 /* IFLA_GRO_MAX_SIZE: numbering agrees up to here */
#define F_STATS64_LEN 192     /* FreeBSD's rtnl_link_stats64: 24 counters */
/* The only generic family both kernels have; any other name a FreeBSD
 * program asks for ("nlsysevent", "nlpf", ...) is looked up under a name
 * Linux has none of, so Linux answers ENOENT in its NLMSG_ERROR. */
#define NO_FAMILY "lochs-nofamily" /* under GENL_NAMSIZ (16) */

struct out {
	uint8_t *b;
	size_t cap, len;
	int full;
};

static void *reserve(struct out *o, size_t n)
{
	size_t a = NLMSG_ALIGN(n);
	if (o->full || o->len + a > o->cap) {
		o->full = 1;
		return 0;
	}
	void *p = o->b + o->len;
	memset(p, 0, a);
	o->len += a;
	return p;
}

static void put_attr(struct out *o, int type, const void *d, size_t n)
{
	struct nlattr *a = reserve(o, NLA_HDRLEN + n);
	if (!a)
		return;
	a->nla_len = (uint16_t)(NLA_HDRLEN + n);
	a->nla_type = (uint16_t)type;
	memcpy(a + 1, d, n);
}

static void put_u32(struct out *o, int type, uint32_t v)
{
	put_attr(o, type, &v, 4);
}

/* Attributes after a message's fixed header. */
struct ait {
	const uint8_t *p, *end;
};

static void ait_msg(struct ait *it, const struct nlmsghdr *h, size_t fixed)
{
	it->p = (const uint8_t *)h + NLMSG_HDRLEN + NLMSG_ALIGN(fixed);
	it->end = (const uint8_t *)h + h->nlmsg_len;
}

static const struct nlattr *ait_next(struct ait *it)
{
	if (it->p + NLA_HDRLEN > it->end)
		return 0;
	const struct nlattr *a = (const void *)it->p;
	if (a->nla_len < NLA_HDRLEN || it->p + a->nla_len > it->end)
		return 0;
	it->p += NLA_ALIGN(a->nla_len);
	return a;
}

#define ADATA(a) ((const uint8_t *)(a) + NLA_HDRLEN)
#define ALEN(a) ((size_t)(a)->nla_len - NLA_HDRLEN)
#define ATYPE(a) ((a)->nla_type & NLA_TYPE_MASK)

static void copy_attr(struct out *o, const struct nlattr *a)
{
	put_attr(o, a->nla_type, ADATA(a), ALEN(a));
}

/* An interface name attribute, renamed (lo <-> lo0). */
static void put_name(struct out *o, int type, const struct nlattr *a, int to_linux)
{
	char in[16], n[16];
	size_t l = ALEN(a) < 15 ? ALEN(a) : 15;
	memcpy(in, ADATA(a), l);
	in[l] = 0;
	if (to_linux)
		ifname_f2l(in, n);
	else
		ifname_l2f(in, n);
	put_attr(o, type, n, strlen(n) + 1);
}

static int fam_f2l(int f)
{
	return f == F_AF_INET6 ? 10 : f;
}

static int fam_l2f(int l)
{
	return l == 10 ? F_AF_INET6 : l;
}

/* The fixed header after nlmsghdr (as FreeBSD copies it) and the rest. */
static void *fixed(struct out *o, const struct nlmsghdr *h, size_t n)
{
	uint8_t *p = reserve(o, n);
	if (p)
		memcpy(p, NLMSG_DATA(h), n);
	return p;
}

static void body_raw(struct out *o, const struct nlmsghdr *h)
{
	fixed(o, h, h->nlmsg_len - NLMSG_HDRLEN);
}

/* ---- requests, FreeBSD -> Linux ---- */

static void req_link(struct out *o, const struct nlmsghdr *h)
{
	struct ifinfomsg *li = fixed(o, h, sizeof *li);
	if (!li)
		return;
	li->ifi_family = (unsigned char)fam_f2l(li->ifi_family);
	li->ifi_type = 0; /* an IFT_* value; Linux does not filter on it */
	/* FreeBSD changes only the bits in ifi_change; Linux reads a zero
	 * change mask as "all bits", so zero stays "nothing". */
	uint32_t chg = ifflags_f2l(li->ifi_change);
	li->ifi_flags = chg ? ifflags_f2l(li->ifi_flags) & chg : 0;
	li->ifi_change = chg;
	struct ait it;
	ait_msg(&it, h, sizeof *li);
	for (const struct nlattr *a; (a = ait_next(&it));) {
		if (ATYPE(a) == IFLA_IFNAME)
			put_name(o, IFLA_IFNAME, a, 1);
		else if (ATYPE(a) <= F_IFLA_LAST_SHARED)
			copy_attr(o, a);
	}
}

/* Address messages both ways: families, label names, the attributes the
 * other side knows. Linux names an IPv4 interface address by IFA_LOCAL;
 * FreeBSD always sends the interface's own address as IFA_LOCAL, which
 * Linux leaves out for IPv6, and an IPv4 address on a broadcast link
 * always has a broadcast address (computed from the prefix when Linux has
 * none, as NET_RT_IFLIST does: this asks the kernel for the link). */
static void addr_msg(struct out *o, const struct nlmsghdr *h, int to_linux)
{
	struct ifaddrmsg *ia = fixed(o, h, sizeof *ia);
	if (!ia)
		return;
	ia->ifa_family = (unsigned char)(to_linux ? fam_f2l(ia->ifa_family) : fam_l2f(ia->ifa_family));
	const struct nlattr *addr = 0, *own = 0;
	int local = 0, brd = 0;
	struct ait it;
	ait_msg(&it, h, sizeof *ia);
	for (const struct nlattr *a; (a = ait_next(&it));) {
		int t = ATYPE(a);
		if (t == IFA_LOCAL || (t == IFA_ADDRESS && !own))
			own = a;
		brd |= t == IFA_BROADCAST;
		if (t == IFA_LABEL)
			put_name(o, IFA_LABEL, a, to_linux);
		else if (to_linux ? t <= IFA_TARGET_NETNSID /* IFA_FREEBSD (11) is FreeBSD's */
				  : t == IFA_ADDRESS || t == IFA_LOCAL || t == IFA_BROADCAST)
			copy_attr(o, a);
		if (t == IFA_ADDRESS)
			addr = a;
		local |= t == IFA_LOCAL;
	}
	if (addr && !local && (!to_linux || ia->ifa_family == 2))
		put_attr(o, IFA_LOCAL, ADATA(addr), ALEN(addr));
	struct nr_link l;
	struct nr_addr na = { .index = (int)ia->ifa_index, .family = 2,
			      .prefixlen = ia->ifa_prefixlen };
	if (!to_linux && ia->ifa_family == 2 && !brd && own && ALEN(own) == 4 &&
	    nr_get_link((int)ia->ifa_index, &l) == 0) {
		memcpy(na.addr, ADATA(own), 4);
		nr_fill_brd(&na, &l);
		if (na.has_brd)
			put_attr(o, IFA_BROADCAST, na.brd, 4);
	}
}

static void req_route(struct out *o, const struct nlmsghdr *h)
{
	struct rtmsg *rm = fixed(o, h, sizeof *rm);
	if (!rm)
		return;
	int type = h->nlmsg_type, fam = rm->rtm_family;
	rm->rtm_family = (unsigned char)fam_f2l(fam);
	if (type == RTM_GETROUTE) {
		rm->rtm_table = 0; /* dumps: every table, filtered on the way back */
		/* route get: the route, not a resolved path. RTM_F_PREFIX (exact
		 * prefix) has another meaning on Linux; longest match is used. */
		rm->rtm_flags &= ~(unsigned)RTM_F_PREFIX;
		if (!(h->nlmsg_flags & NLM_F_DUMP))
			rm->rtm_flags |= RTM_F_FIB_MATCH;
	} else {
		rm->rtm_table = RT_TABLE_MAIN; /* FreeBSD's fib 0 */
	}
	if (type == RTM_DELROUTE) { /* FreeBSD deletes by prefix (and gateway) */
		rm->rtm_scope = RT_SCOPE_NOWHERE;
		rm->rtm_protocol = 0;
		rm->rtm_type = 0;
	}
	int gw = 0;
	struct ait it;
	ait_msg(&it, h, sizeof *rm);
	for (const struct nlattr *a; (a = ait_next(&it));) {
		int t = ATYPE(a);
		if (t == RTA_VIA && ALEN(a) >= 1) {
			const uint8_t *v = ADATA(a);
			gw = 1;
			if (v[0] == fam) {
				put_attr(o, RTA_GATEWAY, v + 1, ALEN(a) - 1);
			} else { /* Linux's struct rtvia has a two-byte family */
				uint8_t lv[2 + 16] = { (uint8_t)fam_f2l(v[0]) };
				size_t n = ALEN(a) - 1 < 16 ? ALEN(a) - 1 : 16;
				memcpy(lv + 2, v + 1, n);
				put_attr(o, RTA_VIA, lv, 2 + n);
			}
		} else if (t == F_RTA_RTFLAGS && ALEN(a) == 4 && type == RTM_NEWROUTE &&
			   rm->rtm_type <= RTN_UNICAST) {
			uint32_t f;
			memcpy(&f, ADATA(a), 4);
			if (f & F_RTF_BLACKHOLE)
				rm->rtm_type = RTN_BLACKHOLE;
			else if (f & F_RTF_REJECT)
				rm->rtm_type = RTN_UNREACHABLE;
		} else if (t == RTA_TABLE && ALEN(a) == 4) {
			uint32_t v;
			memcpy(&v, ADATA(a), 4);
			if (v != 0 && v != 0xffffffffu) /* fib 0 / all fibs: set above */
				copy_attr(o, a);
		} else if (t == RTA_GATEWAY) {
			gw = 1;
			copy_attr(o, a);
		} else if (t != F_RTA_KNH_ID && t != F_RTA_WEIGHT && t != F_RTA_RTFLAGS &&
			   (t <= RTA_MULTIPATH || t == RTA_NH_ID)) {
			copy_attr(o, a);
		}
	}
	if (type == RTM_NEWROUTE) { /* FreeBSD's route(8) leaves these to the kernel */
		if (!rm->rtm_type)
			rm->rtm_type = RTN_UNICAST;
		if (!rm->rtm_protocol)
			rm->rtm_protocol = RTPROT_STATIC;
		if (!gw && rm->rtm_type == RTN_UNICAST && !rm->rtm_scope)
			rm->rtm_scope = RT_SCOPE_LINK;
	}
}

/* Neighbour (arp/ndp) messages both ways: the family and the attributes
 * FreeBSD's neigh.h shares with Linux (same numbers up to NDA_MASTER). */
static void neigh_msg(struct out *o, const struct nlmsghdr *h, int to_linux)
{
	struct ndmsg *nd = fixed(o, h, sizeof *nd);
	if (!nd)
		return;
	nd->ndm_family = (uint8_t)(to_linux ? fam_f2l(nd->ndm_family) : fam_l2f(nd->ndm_family));
	struct ait it;
	ait_msg(&it, h, sizeof *nd);
	for (const struct nlattr *a; (a = ait_next(&it));) {
		int t = ATYPE(a);
		if (to_linux ? t <= NDA_MASTER
			     : t == NDA_DST || t == NDA_LLADDR || t == NDA_PROBES || t == NDA_IFINDEX)
			copy_attr(o, a);
	}
}

static void req_genl(struct out *o, const struct nlmsghdr *h)
{
	if (h->nlmsg_type != GENL_ID_CTRL) {
		body_raw(o, h);
		return;
	}
	if (!fixed(o, h, GENL_HDRLEN))
		return;
	struct ait it;
	ait_msg(&it, h, GENL_HDRLEN);
	for (const struct nlattr *a; (a = ait_next(&it));) {
		if (ATYPE(a) == CTRL_ATTR_FAMILY_NAME &&
		    strncmp((const char *)ADATA(a), "nlctrl", ALEN(a)) != 0)
			put_attr(o, CTRL_ATTR_FAMILY_NAME, NO_FAMILY, sizeof NO_FAMILY);
		else
			copy_attr(o, a);
	}
}

/* Body size a message type needs for its fixed header, 0 if none known. */
static size_t route_fixed(int type)
{
	switch (type) {
	case RTM_NEWLINK: case RTM_DELLINK: case RTM_GETLINK: case RTM_SETLINK:
		return sizeof(struct ifinfomsg);
	case RTM_NEWADDR: case RTM_DELADDR: case RTM_GETADDR:
		return sizeof(struct ifaddrmsg);
	case RTM_NEWROUTE: case RTM_DELROUTE: case RTM_GETROUTE:
		return sizeof(struct rtmsg);
	case RTM_NEWNEIGH: case RTM_DELNEIGH: case RTM_GETNEIGH:
		return sizeof(struct ndmsg);
	default:
		return 0;
	}
}

long fnl_req_f2l(int proto, const uint8_t *in, size_t len, uint8_t *outb, size_t cap)
{
	struct out o = { outb, cap, 0, 0 };
	size_t off = 0;
	while (off + NLMSG_HDRLEN <= len && !o.full) {
		const struct nlmsghdr *h = (const void *)(in + off);
		if (h->nlmsg_len < NLMSG_HDRLEN || h->nlmsg_len > len - off) {
			/* Malformed: let the kernel judge the bytes as they are. */
			uint8_t *p = reserve(&o, len - off);
			if (p)
				memcpy(p, h, len - off);
			break;
		}
		size_t start = o.len;
		struct nlmsghdr *nh = reserve(&o, NLMSG_HDRLEN);
		if (!nh)
			break;
		*nh = *h;
		size_t body = h->nlmsg_len - NLMSG_HDRLEN;
		size_t need = proto == NETLINK_ROUTE ? route_fixed(h->nlmsg_type) : GENL_HDRLEN;
		int t = h->nlmsg_type;
		if (!need || body < need)
			body_raw(&o, h);
		else if (proto == NETLINK_GENERIC)
			req_genl(&o, h);
		else if (t >= RTM_NEWLINK && t <= RTM_SETLINK)
			req_link(&o, h);
		else if (t >= RTM_NEWADDR && t <= RTM_GETADDR)
			addr_msg(&o, h, 1);
		else if (t >= RTM_NEWROUTE && t <= RTM_GETROUTE)
			req_route(&o, h);
		else
			neigh_msg(&o, h, 1);
		if (!o.full)
			((struct nlmsghdr *)(outb + start))->nlmsg_len = (uint32_t)(o.len - start);
		off += NLMSG_ALIGN(h->nlmsg_len);
	}
	return o.full ? -EMSGSIZE : (long)o.len;
}

/* ---- replies and notifications, Linux -> FreeBSD ---- */

static uint32_t flags_l2f(uint32_t l)
{
	return ifflags_l2f(l) | (l & L_IFF_LOWER_UP ? F_IFF_LOWER_UP : 0);
}

static void rep_link(struct out *o, const struct nlmsghdr *h)
{
	struct ifinfomsg *fi = fixed(o, h, sizeof *fi);
	if (!fi)
		return;
	int loop = fi->ifi_type == 772; /* ARPHRD_LOOPBACK */
	fi->ifi_type = loop ? F_IFT_LOOP : fi->ifi_type == 1 /* ARPHRD_ETHER */ ? F_IFT_ETHER
									   : F_IFT_OTHER;
	fi->ifi_family = 0;
	fi->ifi_flags = flags_l2f(fi->ifi_flags);
	fi->ifi_change = flags_l2f(fi->ifi_change);
	struct ait it;
	ait_msg(&it, h, sizeof *fi);
	for (const struct nlattr *a; (a = ait_next(&it));) {
		switch (ATYPE(a)) {
		case IFLA_ADDRESS:
		case IFLA_BROADCAST:
			if (!loop) /* FreeBSD's lo0 has no link-level address */
				copy_attr(o, a);
			break;
		case IFLA_IFNAME:
			put_name(o, IFLA_IFNAME, a, 0);
			break;
		case IFLA_STATS64:
			put_attr(o, IFLA_STATS64, ADATA(a), ALEN(a) < F_STATS64_LEN ? ALEN(a) : F_STATS64_LEN);
			break;
		case IFLA_MTU: case IFLA_LINK: case IFLA_MASTER: case IFLA_TXQLEN:
		case IFLA_OPERSTATE: case IFLA_IFALIAS: case IFLA_GROUP: case IFLA_PROMISCUITY:
		case IFLA_CARRIER:
			copy_attr(o, a);
			break;
		default:
			break;
		}
	}
}

/* 0: FreeBSD would not list this route (local/broadcast/multicast entries,
 * other tables), so a dump or a notification drops it. */
static int rep_route(struct out *o, const struct nlmsghdr *h, int filter)
{
	struct nr_route r;
	if (!nl_parse_route(h, &r) && filter)
		return 0;
	struct rtmsg *rm = fixed(o, h, sizeof *rm);
	if (!rm)
		return 1;
	int full = rm->rtm_family == 2 ? 32 : 128, gw = 0;
	rm->rtm_family = (unsigned char)fam_l2f(rm->rtm_family);
	rm->rtm_table = 0;
	rm->rtm_flags = 0;
	if (rm->rtm_type == RTN_LOCAL) /* a prefix on lo: FreeBSD lists it as a route */
		rm->rtm_type = RTN_UNICAST;
	struct ait it;
	ait_msg(&it, h, sizeof *rm);
	for (const struct nlattr *a; (a = ait_next(&it));) {
		int t = ATYPE(a);
		if (t == RTA_VIA && ALEN(a) >= 2) { /* FreeBSD's rtvia: a one-byte family */
			uint8_t v[1 + 16] = { (uint8_t)fam_l2f(ADATA(a)[0]) };
			size_t n = ALEN(a) - 2 < 16 ? ALEN(a) - 2 : 16;
			memcpy(v + 1, ADATA(a) + 2, n);
			put_attr(o, RTA_VIA, v, 1 + n);
			gw = 1;
		} else if (t == RTA_DST || t == RTA_OIF || t == RTA_GATEWAY || t == RTA_METRICS ||
			   t == RTA_MULTIPATH) {
			copy_attr(o, a);
			gw |= t == RTA_GATEWAY;
		}
	}
	put_u32(o, RTA_TABLE, 0); /* fib 0 */
	uint32_t fl = F_RTF_UP | (gw ? F_RTF_GATEWAY : 0) | (rm->rtm_dst_len == full ? F_RTF_HOST : 0);
	if (rm->rtm_protocol == RTPROT_STATIC || rm->rtm_protocol == RTPROT_BOOT)
		fl |= F_RTF_STATIC;
	if (rm->rtm_type == RTN_BLACKHOLE)
		fl |= F_RTF_BLACKHOLE;
	if (rm->rtm_type == RTN_UNREACHABLE || rm->rtm_type == RTN_PROHIBIT)
		fl |= F_RTF_REJECT;
	put_u32(o, F_RTA_RTFLAGS, fl);
	return 1;
}

/* NLMSG_ERROR: the positive FreeBSD errno, the request's header only
 * (NLM_F_CAPPED: its body was Linux's rewrite) and the text message. */
static void rep_error(struct out *o, struct nlmsghdr *oh, const struct nlmsghdr *h)
{
	const struct nlmsgerr *e = NLMSG_DATA(h);
	struct nlmsgerr *fe = reserve(o, sizeof *fe);
	if (!fe)
		return;
	int err = -e->error, t = e->msg.nlmsg_type;
	/* FreeBSD's "not in table" for a route to delete or look up. */
	if ((t == RTM_DELROUTE && err == ENOENT) || (t == RTM_GETROUTE && err == ENETUNREACH))
		err = ESRCH;
	fe->error = err > 0 ? errno_l2f(err) : 0;
	fe->msg = e->msg;
	oh->nlmsg_flags = (uint16_t)((h->nlmsg_flags | NLM_F_CAPPED) & ~NLM_F_ACK_TLVS);
	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	size_t skip = h->nlmsg_flags & NLM_F_CAPPED ? sizeof *e
						    : 4 + NLMSG_ALIGN(e->msg.nlmsg_len);
	struct ait it = { (const uint8_t *)NLMSG_DATA(h) + skip,
			  (const uint8_t *)h + h->nlmsg_len };
	for (const struct nlattr *a; (a = ait_next(&it));)
		if (ATYPE(a) == NLMSGERR_ATTR_MSG) {
			copy_attr(o, a);
			oh->nlmsg_flags |= NLM_F_ACK_TLVS;
		}
}

/* A generic-netlink family list: only the families offered (nlctrl). */
static int genl_offered(const struct nlmsghdr *h)
{
	if (h->nlmsg_type != GENL_ID_CTRL || h->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
		return 1;
	struct ait it;
	ait_msg(&it, h, GENL_HDRLEN);
	for (const struct nlattr *a; (a = ait_next(&it));)
		if (ATYPE(a) == CTRL_ATTR_FAMILY_NAME)
			return strncmp((const char *)ADATA(a), "nlctrl", ALEN(a)) == 0;
	return 1;
}

/* One Linux message into o; 0 to drop it. */
static int rep_one(int proto, struct out *o, struct nlmsghdr *oh, const struct nlmsghdr *h,
		   int filter)
{
	size_t body = h->nlmsg_len - NLMSG_HDRLEN;
	int t = h->nlmsg_type;
	if (t == NLMSG_ERROR && body >= sizeof(struct nlmsgerr)) {
		rep_error(o, oh, h);
	} else if (t == NLMSG_DONE && body >= 4) {
		int32_t e;
		memcpy(&e, NLMSG_DATA(h), 4);
		e = e < 0 ? errno_l2f(-e) : e;
		int32_t *fe = reserve(o, 4);
		if (fe)
			memcpy(fe, &e, 4);
		oh->nlmsg_flags &= (uint16_t)~NLM_F_ACK_TLVS;
	} else if (t < NLMSG_MIN_TYPE) {
		body_raw(o, h);
	} else if (proto == NETLINK_GENERIC) {
		if (filter && !genl_offered(h))
			return 0;
		body_raw(o, h);
	} else if (body < route_fixed(t) || !route_fixed(t)) {
		if (filter) /* nothing FreeBSD's kernel would announce */
			return 0;
		body_raw(o, h);
	} else if (t == RTM_NEWLINK || t == RTM_DELLINK) {
		rep_link(o, h);
	} else if (t == RTM_NEWADDR || t == RTM_DELADDR) {
		addr_msg(o, h, 0);
	} else if (t == RTM_NEWROUTE || t == RTM_DELROUTE) {
		return rep_route(o, h, filter);
	} else if (t == RTM_NEWNEIGH || t == RTM_DELNEIGH) {
		neigh_msg(o, h, 0);
	} else {
		body_raw(o, h);
	}
	return 1;
}

size_t fnl_rep_l2f(int proto, const uint8_t *in, size_t len, uint8_t *outb, size_t cap, int mcast)
{
	struct out o = { outb, cap, 0, 0 };
	size_t off = 0, done = 0;
	while (off + NLMSG_HDRLEN <= len) {
		const struct nlmsghdr *h = (const void *)(in + off);
		if (h->nlmsg_len < NLMSG_HDRLEN || h->nlmsg_len > len - off)
			break;
		size_t start = o.len;
		struct nlmsghdr *oh = reserve(&o, NLMSG_HDRLEN);
		if (!oh)
			break;
		*oh = *h;
		/* Dumps and group messages list only what FreeBSD would; a
		 * single answer to a request is always passed on. */
		int filter = mcast || (h->nlmsg_flags & NLM_F_MULTI);
		if (!rep_one(proto, &o, oh, h, filter))
			o.len = start;
		if (o.full)
			break;
		if (o.len > start)
			oh->nlmsg_len = (uint32_t)(o.len - start);
		done = o.len;
		off += NLMSG_ALIGN(h->nlmsg_len);
	}
	return done;
}
