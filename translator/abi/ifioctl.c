/* Interface ioctls (group 'i', sys/sockio.h) on a socket: read from the
 * same netlink snapshot as net.route's NET_RT_IFLIST (so names and flags
 * agree: Linux lo is lo0), changed through rtnetlink (addresses) or the
 * Linux interface ioctls (flags, MTU). Layouts are FreeBSD amd64 net/if.h:
 * struct ifreq 32 bytes, ifconf 16, ifaliasreq 68 (64 before FreeBSD 10);
 * netinet6/in6_var.h: in6_aliasreq 136 (128 before FreeBSD 10, command
 * 26), in6_ifreq 288. The IPv6 commands share numbers with IPv4 ones and
 * differ in size. */
#include "../trap/dispatch.h"
#include "../rt/rt.h"
#include "fs.h"
#include "nlreq.h"
#include "rtmsg.h"
#include <asm-generic/errno.h>
#include <linux/fcntl.h>

/* command numbers within group 'i' */
enum {
	C_SIFFLAGS = 16, C_GIFFLAGS = 17, C_GIFMETRIC = 23, C_DIFADDR = 25, C_OAIFADDR = 26,
	C_GIFCAP = 31, C_GIFINDEX = 32, C_GIFADDR = 33, C_GIFBRDADDR = 35, C_GIFCONF = 36,
	C_GIFNETMASK = 37, C_AIFADDR = 43, C_AIFADDR_IN6 = 27, C_GIFMTU = 51, C_SIFMTU = 52,
	C_GIFAFLAG_IN6 = 73, C_GIFALIFETIME_IN6 = 81, C_GDEFIFACE_IN6 = 86, C_GIFINFO_IN6 = 108,
};

#define L_SIOCGIFFLAGS 0x8913
#define L_SIOCSIFFLAGS 0x8914
#define L_SIOCSIFMTU 0x8922

struct fifreq {
	char name[16];
	union {
		uint8_t sa[16];
		int16_t flags[2];
		int32_t val; /* metric, mtu, index, cap */
	};
};
_Static_assert(sizeof(struct fifreq) == 32, "ifreq");

struct fifconf {
	int32_t len, pad;
	uint64_t buf;
};

struct faliasreq {
	char name[16];
	uint8_t addr[16], brd[16], mask[16];
	int32_t vhid; /* absent in the old (26) request */
};

struct lifreq {
	char name[16];
	union {
		int16_t flags;
		int32_t mtu;
		uint8_t pad[24];
	};
};

static void sin_put(uint8_t *sa, const uint8_t *a4)
{
	memset(sa, 0, 16);
	sa[0] = 16;
	sa[1] = 2;
	memcpy(sa + 4, a4, 4);
}

static const struct nr_addr *first_inet(const struct ifsnap *s, int index)
{
	for (int i = 0; i < s->naddrs; i++)
		if (s->addrs[i].index == index && s->addrs[i].family == 2)
			return &s->addrs[i];
	return NULL;
}

/* A Linux interface ioctl on a throwaway AF_INET socket. */
static long lif(unsigned req, struct lifreq *r)
{
	long s = lsys3(__NR_socket, 2, 2 /* SOCK_DGRAM */ | O_CLOEXEC, 0);
	if (s < 0)
		return s;
	long e = lsys3(__NR_ioctl, s, req, r);
	lsys1(__NR_close, s);
	return e;
}

/* SIOCGIFCONF: per interface its AF_LINK address (sockaddr_dl, as
 * FreeBSD's if_addrhead starts), then one entry per IPv4/IPv6 address; an
 * entry longer than struct sockaddr takes 16 + sa_len bytes
 * (_SIZEOF_ADDR_IFREQ). Only whole entries are copied. */
static long ifconf(const struct ifsnap *s, struct fifconf *u)
{
	UADDR_GUARD(u, sizeof *u);
	if (u->len < 0)
		return -EINVAL;
	size_t cap = (size_t)u->len, used = 0;
	uint8_t *out = (uint8_t *)u->buf;
	UADDR_GUARD(out, cap);
	for (int i = 0; i < s->nlinks; i++) {
		const struct nr_link *l = &s->links[i];
		for (int j = -1; j < s->naddrs; j++) {
			const struct nr_addr *a = j >= 0 ? &s->addrs[j] : NULL;
			if (a && (a->index != l->index || a->prefixlen < 0))
				continue;
			uint8_t e[16 + 64];
			memset(e, 0, sizeof e);
			memcpy(e, l->name, 16);
			if (!a) {
				rt_sdl(l, e + 16);
			} else if (a->family == 2) {
				sin_put(e + 16, a->addr);
			} else {
				e[16] = 28;
				e[17] = 28;
				memcpy(e + 24, a->addr, 16);
				if (a->addr[0] == 0xfe && (a->addr[1] & 0xc0) == 0x80)
					memcpy(e + 40, &l->index, 4);
			}
			size_t n = e[16] > 16 ? 16 + (size_t)e[16] : 32;
			if (used + n > cap)
				goto full;
			memcpy(out + used, e, n);
			used += n;
		}
	}
full:
	u->len = (int32_t)used;
	return 0;
}

static long set_flags(const struct nr_link *l, const struct fifreq *r)
{
	struct lifreq q;
	memset(&q, 0, sizeof q);
	ifname_f2l(l->name, q.name);
	long e = lif(L_SIOCGIFFLAGS, &q);
	if (e < 0)
		return e;
	uint32_t f = (uint16_t)r->flags[0] | (uint32_t)(uint16_t)r->flags[1] << 16;
	const uint32_t mask = 0x1 | 0x4 | 0x80 | 0x100 | 0x200 | 0x1000; /* the settable ones */
	q.flags = (int16_t)(((uint16_t)q.flags & ~mask) | (ifflags_f2l(f) & mask));
	return lif(L_SIOCSIFFLAGS, &q);
}

static long aifaddr(const struct nr_link *l, const struct faliasreq *r)
{
	if (r->addr[1] != 2)
		return -EAFNOSUPPORT;
	const uint8_t *a = r->addr + 4;
	int plen;
	if (r->mask[0] >= 8) {
		plen = rt_mask_plen(r->mask + 4, 4);
	} else { /* no mask: the classful default, as in_aifaddr */
		plen = a[0] < 128 ? 8 : a[0] < 192 ? 16 : 24;
	}
	const uint8_t *brd = r->brd[1] == 2 && memcmp(r->brd + 4, "\0\0\0\0", 4) ? r->brd + 4 : NULL;
	return nl_addr(1, 2, l->index, a, plen, brd);
}

/* in6_aliasreq: name, addr @16, dstaddr @44, prefixmask @72 (sockaddr_in6,
 * address 8 bytes in); no mask means a /128 (in6_update_ifa). Lifetimes
 * and flags are left to Linux (forever). */
static long aifaddr6(const struct nr_link *l, const uint8_t *r)
{
	if (r[17] != 28)
		return -EAFNOSUPPORT;
	int plen = r[72] >= 24 ? rt_mask_plen(r + 80, 16) : 128;
	return nl_addr(1, 10, l->index, r + 24, plen, NULL);
}

/* in6_ifreq: the address @16; Linux deletes an IPv6 address only with its
 * prefix length, found in the snapshot. */
static long difaddr6(const struct ifsnap *s, const struct nr_link *l, const uint8_t *r)
{
	if (r[17] != 28)
		return -EAFNOSUPPORT;
	for (int i = 0; i < s->naddrs; i++) {
		const struct nr_addr *a = &s->addrs[i];
		if (a->index == l->index && a->family == 28 && a->prefixlen >= 0 &&
		    !memcmp(a->addr, r + 24, 16))
			return nl_addr(0, 10, l->index, a->addr, a->prefixlen, NULL);
	}
	return -EADDRNOTAVAIL;
}

static long difaddr(const struct ifsnap *s, const struct nr_link *l, const struct fifreq *r)
{
	const uint8_t *a = r->sa + 4;
	if (r->sa[1] != 2 || !memcmp(a, "\0\0\0\0", 4)) { /* no address: the first one */
		const struct nr_addr *f = first_inet(s, l->index);
		if (!f)
			return -EADDRNOTAVAIL;
		a = f->addr;
	}
	return nl_addr(0, 2, l->index, a, 0, NULL);
}

static long get_addr(const struct ifsnap *s, const struct nr_link *l, int cmd, struct fifreq *r)
{
	const struct nr_addr *a = first_inet(s, l->index);
	if (!a)
		return -EADDRNOTAVAIL;
	if (cmd == C_GIFADDR) {
		sin_put(r->sa, a->addr);
	} else if (cmd == C_GIFNETMASK) {
		uint32_t m = a->prefixlen ? 0xffffffffu << (32 - a->prefixlen) : 0;
		uint8_t b[4] = { (uint8_t)(m >> 24), (uint8_t)(m >> 16), (uint8_t)(m >> 8), (uint8_t)m };
		sin_put(r->sa, b);
	} else {
		if (!a->has_brd || (l->lflags & 0x2) == 0)
			return -EINVAL;
		sin_put(r->sa, a->brd);
	}
	return 0;
}

static long ifreq_op(int cmd, uint32_t com, void *data)
{
	size_t size = (com >> 16) & 0x1fff;
	if (size < sizeof(struct fifreq))
		return -ENOTTY;
	UADDR_GUARD(data, size);
	struct fifreq *r = data;
	struct ifsnap *s = rt_calloc(1, sizeof *s);
	if (!s)
		return -ENOMEM;
	long e = nr_snapshot(s, 0);
	const struct nr_link *l = e < 0 ? NULL : nr_link_byname(s, r->name);
	if (e >= 0 && !l)
		e = -ENXIO;
	if (e < 0)
		goto out;
	switch (cmd) {
	case C_GIFFLAGS: {
		uint32_t f = ifflags_l2f(l->lflags);
		r->flags[0] = (int16_t)f;
		r->flags[1] = (int16_t)(f >> 16);
		break;
	}
	case C_SIFFLAGS:
		e = set_flags(l, r);
		break;
	case C_GIFMTU:
		r->val = (int32_t)l->mtu;
		break;
	case C_SIFMTU: {
		struct lifreq q;
		memset(&q, 0, sizeof q);
		ifname_f2l(l->name, q.name);
		q.mtu = r->val;
		e = lif(L_SIOCSIFMTU, &q);
		break;
	}
	case C_GIFINDEX:
		r->val = l->index;
		break;
	case C_GIFMETRIC:
		r->val = 0;
		break;
	case C_GIFCAP: /* ifr_reqcap, ifr_curcap: no offloads to report */
		memset(r->sa, 0, 8);
		break;
	case C_GIFADDR:
	case C_GIFNETMASK:
	case C_GIFBRDADDR:
		e = get_addr(s, l, cmd, r);
		break;
	case C_AIFADDR:
		e = size >= 64 ? aifaddr(l, data) : -ENOTTY;
		break;
	case C_OAIFADDR: /* ifaliasreq (64) or the pre-10 in6_aliasreq (128) */
	case C_AIFADDR_IN6:
		e = size == 128 || size == 136 ? aifaddr6(l, data)
		    : cmd == C_OAIFADDR && size >= 64 ? aifaddr(l, data) : -ENOTTY;
		break;
	case C_DIFADDR: /* ifreq (32) or in6_ifreq (288) */
		e = size == 288 ? difaddr6(s, l, data) : difaddr(s, l, r);
		break;
	default: /* in6 address flags, lifetimes, ND info: nothing set */
		memset((uint8_t *)data + 16, 0, size - 16);
		break;
	}
out:
	rt_free(s);
	return e;
}

long if_ioctl(int fd, uint32_t com, void *data)
{
	struct lstatx x;
	long e = fs_statx(fd, "", AT_EMPTY_PATH, &x);
	if (e < 0)
		return e;
	if ((x.stx_mode & 0170000) != 0140000)
		return -ENOTTY;
	int cmd = (int)(com & 0xff);
	int inout = (com & 0xc0000000) == 0xc0000000;
	switch (cmd) {
	case C_GIFCONF: {
		struct ifsnap *s = rt_calloc(1, sizeof *s);
		if (!s)
			return -ENOMEM;
		e = nr_snapshot(s, 0);
		if (e >= 0)
			e = ifconf(s, data);
		rt_free(s);
		return e;
	}
	case C_GDEFIFACE_IN6: { /* in6_ndifreq: no default IPv6 interface (index 0) */
		size_t size = (com >> 16) & 0x1fff;
		if (!inout || size < 24)
			return -ENOTTY;
		UADDR_GUARD(data, size);
		memset((uint8_t *)data + 16, 0, size - 16);
		return 0;
	}
	case C_GIFAFLAG_IN6: /* shares 73 with the write-only SIOCDIFPHYADDR */
	case C_GIFALIFETIME_IN6:
	case C_GIFINFO_IN6:
		if (!inout)
			return -ENOTTY;
		/* fall through */
	case C_SIFFLAGS: case C_GIFFLAGS: case C_GIFMETRIC: case C_DIFADDR: case C_OAIFADDR:
	case C_GIFCAP: case C_GIFINDEX: case C_GIFADDR: case C_GIFBRDADDR: case C_GIFNETMASK:
	case C_AIFADDR: case C_GIFMTU: case C_SIFMTU: case C_AIFADDR_IN6:
		return ifreq_op(cmd, com, data);
	default:
		return -ENOTTY;
	}
}
