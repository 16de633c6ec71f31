/* net.route NET_RT_DUMP: one FreeBSD rt_msghdr (net/route.h, amd64: 152
 * bytes, same since FreeBSD 10) per route, followed by RTA_DST,
 * RTA_GATEWAY and, for network routes, RTA_NETMASK. A connected route's
 * gateway is the interface's sockaddr_dl, which netstat prints as link#N.
 * Pure: no system calls. */
#include "rtmsg.h"
#include "nlreq.h"
#include <string.h>

#define RTM_VERSION 5
#define RTM_GET 0x4
#define RTA_DST 0x1
#define RTA_GATEWAY 0x2
#define RTA_NETMASK 0x4
#define RTF_UP 0x1
#define RTF_GATEWAY 0x2
#define RTF_HOST 0x4
#define RTF_STATIC 0x800

struct rt_msghdr {
	uint16_t rtm_msglen;
	uint8_t rtm_version, rtm_type;
	uint16_t rtm_index, spare1;
	int32_t rtm_flags, rtm_addrs, rtm_pid, rtm_seq, rtm_errno, rtm_fmask;
	uint64_t rtm_inits;
	uint64_t rmx[14]; /* struct rt_metrics: locks, mtu, hopcount, ... */
};
_Static_assert(sizeof(struct rt_msghdr) == 152, "rt_msghdr");

/* sockaddr_in / sockaddr_in6 (Linux family in), padded to 8. */
size_t rt_sa(int lfamily, const uint8_t *a, uint8_t *b)
{
	size_t len = lfamily == 2 ? 16 : 32;
	memset(b, 0, len);
	if (lfamily == 2) {
		b[0] = 16;
		b[1] = 2;
		memcpy(b + 4, a, 4);
	} else {
		b[0] = 28;
		b[1] = 28;
		memcpy(b + 8, a, 16);
	}
	return len;
}

size_t rt_sdl_index(int index, uint8_t *b)
{
	memset(b, 0, 56);
	b[0] = 54; /* sizeof(struct sockaddr_dl), no name or address */
	b[1] = 18; /* AF_LINK */
	b[2] = (uint8_t)index;
	b[3] = (uint8_t)(index >> 8);
	return 56;
}

size_t rt_encode_routes(int seq, const struct nr_route *rts, int n, uint8_t *out, size_t cap)
{
	size_t len = 0;
	for (int i = 0; i < n; i++) {
		const struct nr_route *r = &rts[i];
		uint8_t body[128], m[16] = { 0 };
		int full = r->family == 2 ? 32 : 128;
		struct rt_msghdr h;
		memset(&h, 0, sizeof h);
		size_t bl = rt_sa(r->family, r->dst, body);
		bl += r->has_gw ? rt_sa(r->family, r->gw, body + bl) : rt_sdl_index(r->oif, body + bl);
		h.rtm_addrs = RTA_DST | RTA_GATEWAY;
		h.rtm_flags = RTF_UP;
		if (r->has_gw)
			h.rtm_flags |= RTF_GATEWAY;
		if (r->is_static)
			h.rtm_flags |= RTF_STATIC;
		if (r->dplen >= full) {
			h.rtm_flags |= RTF_HOST;
		} else {
			for (int k = 0, p = r->dplen; p > 0; k++, p -= 8)
				m[k] = p >= 8 ? 0xff : (uint8_t)(0xff << (8 - p));
			bl += rt_sa(r->family, m, body + bl);
			h.rtm_addrs |= RTA_NETMASK;
		}
		h.rtm_msglen = (uint16_t)(sizeof h + bl);
		h.rtm_version = RTM_VERSION;
		h.rtm_type = RTM_GET;
		h.rtm_index = (uint16_t)r->oif;
		h.rtm_seq = seq;
		if (len + h.rtm_msglen <= cap) {
			memcpy(out + len, &h, sizeof h);
			memcpy(out + len + sizeof h, body, bl);
		}
		len += h.rtm_msglen;
	}
	return len;
}
