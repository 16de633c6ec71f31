/* FreeBSD routing-socket sysctl messages (net.route: NET_RT_IFLIST,
 * NET_RT_IFLISTL, NET_RT_IFMALIST) built from host interface facts.
 * rtmsg.c is pure; netroute.c gathers the facts (netlink, /proc). */
#pragma once
#include <stddef.h>
#include <stdint.h>

#define NET_RT_IFLIST 3
#define NET_RT_IFMALIST 4
#define NET_RT_IFLISTL 5

struct nr_link {
	int index;
	char name[16];
	uint32_t lflags;     /* Linux IFF_* */
	uint16_t arphrd;     /* Linux ARPHRD_* */
	uint32_t mtu;
	uint8_t hwlen;
	uint8_t hw[16];
	uint64_t stats[8];   /* rx/tx packets, bytes, errors, drops (IFLA_STATS64 order) */
};

struct nr_addr {
	int index;
	int family;          /* FreeBSD AF_INET 2 / AF_INET6 28 */
	int prefixlen;       /* -1 for multicast group entries */
	uint8_t addr[16];
	uint8_t brd[16];
	int has_brd;
};

/* IFF_* Linux -> FreeBSD (MULTICAST 0x1000 -> 0x8000, the rest agree
 * up to ALLMULTI). */
uint32_t ifflags_l2f(uint32_t lflags);
/* Encodes the messages for one request into out (at most cap bytes) and
 * returns the full length. af: 0 or a FreeBSD family; ifindex: 0 = all. */
size_t rt_encode(int type, int af, int ifindex, const struct nr_link *links, int nlinks,
		 const struct nr_addr *addrs, int naddrs, uint8_t *out, size_t cap);

struct sysctl_req;
/* net.route sysctl (netroute.c); -ENOSYS when mib is not CTL_NET.PF_ROUTE.
 * Needs a call next to sysctl_proc() in sysctl.c's sys___sysctl. */
long sysctl_net(struct sysctl_req *r, const int *mib, unsigned len);
