/* Routing-socket sysctl messages, FreeBSD 13 amd64 layouts (net/if.h,
 * net/route.h): if_msghdr(l) + sockaddr_dl per interface, ifa_msghdr(l)
 * per address, ifma_msghdr per multicast group; sockaddrs padded to 8
 * (SA_SIZE). Pure: no system calls. */
#include "rtmsg.h"
#include <string.h>

#define RTM_VERSION 5
#define RTM_NEWADDR 0xc
#define RTM_IFINFO 0xe
#define RTM_IFANNOUNCE 0x11
#define RTM_NEWMADDR 0xf
#define RTA_NETMASK 0x4
#define RTA_IFP 0x10
#define RTA_IFA 0x20
#define RTA_BRD 0x80
#define AF_LINK_F 18
#define IFT_ETHER 0x6
#define IFT_LOOP 0x18
#define IFT_OTHER 0x1
#define IFT_TUNNEL 0x83

struct if_data {
	uint8_t ifi_type, ifi_physical, ifi_addrlen, ifi_hdrlen, ifi_link_state, ifi_vhid;
	uint16_t ifi_datalen;
	uint32_t ifi_mtu, ifi_metric;
	uint64_t ifi_baudrate;
	uint64_t ifi_ipackets, ifi_ierrors, ifi_opackets, ifi_oerrors, ifi_collisions, ifi_ibytes,
		ifi_obytes, ifi_imcasts, ifi_omcasts, ifi_iqdrops, ifi_oqdrops, ifi_noproto,
		ifi_hwassist;
	uint64_t ifi_epoch;
	uint64_t ifi_lastchange[2];
};
_Static_assert(sizeof(struct if_data) == 152, "if_data");

struct if_msghdr {
	uint16_t ifm_msglen;
	uint8_t ifm_version, ifm_type;
	int32_t ifm_addrs, ifm_flags;
	uint16_t ifm_index, spare1;
	struct if_data ifm_data;
};
_Static_assert(sizeof(struct if_msghdr) == 168, "if_msghdr");

struct if_msghdrl {
	uint16_t ifm_msglen;
	uint8_t ifm_version, ifm_type;
	int32_t ifm_addrs, ifm_flags;
	uint16_t ifm_index, spare1;
	uint16_t ifm_len, ifm_data_off;
	int32_t spare2;
	struct if_data ifm_data;
};
_Static_assert(sizeof(struct if_msghdrl) == 176, "if_msghdrl");

struct ifa_msghdr {
	uint16_t ifam_msglen;
	uint8_t ifam_version, ifam_type;
	int32_t ifam_addrs, ifam_flags;
	uint16_t ifam_index, spare1;
	int32_t ifam_metric;
};
_Static_assert(sizeof(struct ifa_msghdr) == 20, "ifa_msghdr");

struct ifa_msghdrl {
	uint16_t ifam_msglen;
	uint8_t ifam_version, ifam_type;
	int32_t ifam_addrs, ifam_flags;
	uint16_t ifam_index, spare1;
	uint16_t ifam_len, ifam_data_off;
	int32_t ifam_metric;
	struct if_data ifam_data;
};
_Static_assert(sizeof(struct ifa_msghdrl) == 176, "ifa_msghdrl");

struct ifma_msghdr {
	uint16_t ifmam_msglen;
	uint8_t ifmam_version, ifmam_type;
	int32_t ifmam_addrs, ifmam_flags;
	uint16_t ifmam_index, spare1;
};
_Static_assert(sizeof(struct ifma_msghdr) == 16, "ifma_msghdr");

#define SA_SIZE(l) (((l) + 7) & ~7u)

uint32_t ifflags_l2f(uint32_t l)
{
	uint32_t f = l & 0x3df; /* UP BROADCAST DEBUG LOOPBACK POINTOPOINT RUNNING NOARP PROMISC ALLMULTI */
	if (l & 0x1000)
		f |= 0x8000; /* MULTICAST */
	return f;
}

uint32_t ifflags_f2l(uint32_t f)
{
	uint32_t l = f & 0x3df;
	if (f & 0x8000)
		l |= 0x1000;
	return l;
}

/* Output cursor: counts everything, stores what fits. */
struct cur {
	uint8_t *out;
	size_t cap, len;
};

static void put(struct cur *c, const void *p, size_t n)
{
	if (c->len < c->cap)
		memcpy(c->out + c->len, p, n < c->cap - c->len ? n : c->cap - c->len);
	c->len += n;
}

size_t rt_sdl(const struct nr_link *l, uint8_t *b)
{
	size_t nlen = strnlen(l->name, sizeof l->name);
	size_t len = 8 + 16 + l->hwlen; /* room for any IFNAMSIZ name, as if_attach */
	if (len < 54)
		len = 54;
	len = SA_SIZE(len);
	memset(b, 0, len);
	b[0] = (uint8_t)len;
	b[1] = AF_LINK_F;
	memcpy(b + 2, &(uint16_t){ (uint16_t)l->index }, 2);
	b[4] = l->arphrd == 772 ? IFT_LOOP : l->arphrd == 1 ? IFT_ETHER : IFT_OTHER;
	b[5] = (uint8_t)nlen;
	b[6] = l->hwlen;
	memcpy(b + 8, l->name, nlen);
	memcpy(b + 8 + nlen, l->hw, l->hwlen);
	return len;
}

static void if_data_fill(const struct nr_link *l, struct if_data *d)
{
	memset(d, 0, sizeof *d);
	d->ifi_type = l->arphrd == 772 ? IFT_LOOP : l->arphrd == 1 ? IFT_ETHER : IFT_OTHER;
	d->ifi_addrlen = l->hwlen;
	d->ifi_hdrlen = l->arphrd == 1 ? 14 : 0;
	d->ifi_link_state = (l->lflags & 0x10000 /* LOWER_UP */) ? 2 : (l->lflags & 1) ? 1 : 0;
	d->ifi_datalen = sizeof *d;
	d->ifi_mtu = l->mtu;
	d->ifi_ipackets = l->stats[0];
	d->ifi_opackets = l->stats[1];
	d->ifi_ibytes = l->stats[2];
	d->ifi_obytes = l->stats[3];
	d->ifi_ierrors = l->stats[4];
	d->ifi_oerrors = l->stats[5];
	d->ifi_iqdrops = l->stats[6];
	d->ifi_oqdrops = l->stats[7];
}

static size_t sa_inet(int family, const uint8_t *a, int scope, uint8_t *b)
{
	if (family == 2) {
		memset(b, 0, 16);
		b[0] = 16;
		b[1] = 2;
		memcpy(b + 4, a, 4);
		return 16;
	}
	memset(b, 0, 32);
	b[0] = 28;
	b[1] = 28;
	memcpy(b + 8, a, 16);
	uint32_t s = (uint32_t)scope;
	memcpy(b + 24, &s, 4);
	return 32; /* SA_SIZE(28) */
}

static void mask_of(int family, int plen, uint8_t *m)
{
	int bytes = family == 2 ? 4 : 16;
	memset(m, 0, 16);
	for (int i = 0; i < bytes && plen > 0; i++, plen -= 8)
		m[i] = plen >= 8 ? 0xff : (uint8_t)(0xff << (8 - plen));
}

int rt_mask_plen(const uint8_t *m, unsigned n)
{
	int p = 0;
	for (unsigned i = 0; i < n; i++)
		for (int b = 7; b >= 0 && (m[i] >> b & 1); b--)
			p++;
	return p;
}

static int scope_of(const struct nr_addr *a)
{
	/* link-local unicast and interface/link-local multicast carry the
	 * interface as sin6_scope_id. */
	if (a->family != 28)
		return 0;
	if ((a->addr[0] == 0xfe && (a->addr[1] & 0xc0) == 0x80) ||
	    (a->addr[0] == 0xff && ((a->addr[1] & 0xf) == 1 || (a->addr[1] & 0xf) == 2)))
		return a->index;
	return 0;
}

static void emit_link(struct cur *c, int type, const struct nr_link *l)
{
	uint8_t sdl[64];
	size_t sl = rt_sdl(l, sdl);
	uint32_t fl = ifflags_l2f(l->lflags);
	if (type == NET_RT_IFLISTL) {
		struct if_msghdrl h;
		memset(&h, 0, sizeof h);
		h.ifm_msglen = (uint16_t)(sizeof h + sl);
		h.ifm_version = RTM_VERSION;
		h.ifm_type = RTM_IFINFO;
		h.ifm_addrs = RTA_IFP;
		h.ifm_flags = (int32_t)fl;
		h.ifm_index = (uint16_t)l->index;
		h.ifm_len = sizeof h;
		h.ifm_data_off = offsetof(struct if_msghdrl, ifm_data);
		if_data_fill(l, &h.ifm_data);
		put(c, &h, sizeof h);
	} else {
		struct if_msghdr h;
		memset(&h, 0, sizeof h);
		h.ifm_msglen = (uint16_t)(sizeof h + sl);
		h.ifm_version = RTM_VERSION;
		h.ifm_type = RTM_IFINFO;
		h.ifm_addrs = RTA_IFP;
		h.ifm_flags = (int32_t)fl;
		h.ifm_index = (uint16_t)l->index;
		if_data_fill(l, &h.ifm_data);
		put(c, &h, sizeof h);
	}
	put(c, sdl, sl);
}

static void emit_addr(struct cur *c, int type, const struct nr_link *l, const struct nr_addr *a)
{
	uint8_t body[96], m[16];
	size_t n = 0;
	int addrs = RTA_NETMASK | RTA_IFA;
	mask_of(a->family, a->prefixlen, m);
	n += sa_inet(a->family, m, 0, body + n);
	n += sa_inet(a->family, a->addr, scope_of(a), body + n);
	if (a->has_brd) {
		n += sa_inet(a->family, a->brd, 0, body + n);
		addrs |= RTA_BRD;
	}
	if (type == NET_RT_IFLISTL) {
		struct ifa_msghdrl h;
		memset(&h, 0, sizeof h);
		h.ifam_msglen = (uint16_t)(sizeof h + n);
		h.ifam_version = RTM_VERSION;
		h.ifam_type = RTM_NEWADDR;
		h.ifam_addrs = addrs;
		h.ifam_index = (uint16_t)a->index;
		h.ifam_len = sizeof h;
		h.ifam_data_off = offsetof(struct ifa_msghdrl, ifam_data);
		if (l)
			if_data_fill(l, &h.ifam_data);
		put(c, &h, sizeof h);
	} else {
		struct ifa_msghdr h;
		memset(&h, 0, sizeof h);
		h.ifam_msglen = (uint16_t)(sizeof h + n);
		h.ifam_version = RTM_VERSION;
		h.ifam_type = RTM_NEWADDR;
		h.ifam_addrs = addrs;
		h.ifam_index = (uint16_t)a->index;
		put(c, &h, sizeof h);
	}
	put(c, body, n);
}

static void emit_maddr(struct cur *c, const struct nr_link *l, const struct nr_addr *a)
{
	uint8_t body[128];
	size_t n = rt_sdl(l, body);
	n += sa_inet(a->family, a->addr, scope_of(a), body + n);
	struct ifma_msghdr h;
	memset(&h, 0, sizeof h);
	h.ifmam_msglen = (uint16_t)(sizeof h + n);
	h.ifmam_version = RTM_VERSION;
	h.ifmam_type = RTM_NEWMADDR;
	h.ifmam_addrs = RTA_IFP | RTA_IFA;
	h.ifmam_index = (uint16_t)a->index;
	put(c, &h, sizeof h);
	put(c, body, n);
}

size_t rt_encode(int type, int af, int ifindex, const struct nr_link *links, int nlinks,
		 const struct nr_addr *addrs, int naddrs, uint8_t *out, size_t cap)
{
	struct cur c = { out, cap, 0 };
	for (int i = 0; i < nlinks; i++) {
		const struct nr_link *l = &links[i];
		if (ifindex && l->index != ifindex)
			continue;
		if (type != NET_RT_IFMALIST)
			emit_link(&c, type, l);
		for (int j = 0; j < naddrs; j++) {
			const struct nr_addr *a = &addrs[j];
			if (a->index != l->index || (af && a->family != af))
				continue;
			int group = a->prefixlen < 0;
			if (type == NET_RT_IFMALIST && group)
				emit_maddr(&c, l, a);
			else if (type != NET_RT_IFMALIST && !group)
				emit_addr(&c, type, l, a);
		}
	}
	return c.len;
}

/* ---- routing-socket notifications (rtnotify.c) ---- */

size_t rt_msg_ifinfo(const struct nr_link *l, uint8_t *out, size_t cap)
{
	/* rt_ifmsg: flags and if_data, no sockaddrs. */
	struct if_msghdr h;
	memset(&h, 0, sizeof h);
	h.ifm_msglen = sizeof h;
	h.ifm_version = RTM_VERSION;
	h.ifm_type = RTM_IFINFO;
	h.ifm_flags = (int32_t)ifflags_l2f(l->lflags);
	h.ifm_index = (uint16_t)l->index;
	if_data_fill(l, &h.ifm_data);
	struct cur c = { out, cap, 0 };
	put(&c, &h, sizeof h);
	return c.len;
}

size_t rt_msg_ifa(int type, const struct nr_link *l, const struct nr_addr *a, uint8_t *out,
		  size_t cap)
{
	/* rt_newaddrmsg: netmask, the interface's sockaddr_dl, the address and
	 * the broadcast (or point-to-point peer) address, in RTAX order. */
	uint8_t body[160], m[16];
	size_t n = 0;
	int addrs = RTA_NETMASK | RTA_IFA;
	mask_of(a->family, a->prefixlen, m);
	n += sa_inet(a->family, m, 0, body + n);
	if (l) {
		n += rt_sdl(l, body + n);
		addrs |= RTA_IFP;
	}
	n += sa_inet(a->family, a->addr, scope_of(a), body + n);
	if (a->has_brd) {
		n += sa_inet(a->family, a->brd, 0, body + n);
		addrs |= RTA_BRD;
	}
	struct ifa_msghdr h;
	memset(&h, 0, sizeof h);
	h.ifam_msglen = (uint16_t)(sizeof h + n);
	h.ifam_version = RTM_VERSION;
	h.ifam_type = (uint8_t)type;
	h.ifam_addrs = addrs;
	h.ifam_index = (uint16_t)a->index;
	struct cur c = { out, cap, 0 };
	put(&c, &h, sizeof h);
	put(&c, body, n);
	return c.len;
}

size_t rt_msg_announce(int index, const char *fname, int what, uint8_t *out, size_t cap)
{
	/* if_announcemsghdr (net/if.h): 24 bytes, the name at 6, ifan_what at 22. */
	uint8_t b[24];
	memset(b, 0, sizeof b);
	b[0] = sizeof b;
	b[2] = RTM_VERSION;
	b[3] = RTM_IFANNOUNCE;
	b[4] = (uint8_t)index;
	b[5] = (uint8_t)(index >> 8);
	memcpy(b + 6, fname, strnlen(fname, 15));
	b[22] = (uint8_t)what;
	struct cur c = { out, cap, 0 };
	put(&c, b, sizeof b);
	return c.len;
}
