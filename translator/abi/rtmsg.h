/* FreeBSD routing-socket sysctl messages (net.route: NET_RT_IFLIST,
 * NET_RT_IFLISTL, NET_RT_IFMALIST) built from host interface facts.
 * rtmsg.c is pure; netroute.c gathers the facts (netlink, /proc). */
#pragma once
#include <stddef.h>
#include <stdint.h>

#define NET_RT_DUMP 1
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

#define MAXLINKS 128
#define MAXADDRS 512

/* One netlink view of the namespace's interfaces (netroute.c). */
struct ifsnap {
	struct nr_link links[MAXLINKS];
	struct nr_addr addrs[MAXADDRS];
	int nlinks, naddrs;
};
/* Fills s (links and addresses, or links and multicast groups); 0 or -errno. */
long nr_snapshot(struct ifsnap *s, int groups);
const struct nr_link *nr_link_byname(const struct ifsnap *s, const char *fname);
struct nlmsghdr;
/* One RTM_NEWLINK / RTM_NEWADDR (or DEL) message into *l / *a; 1 if usable. */
int nr_parse_link(const struct nlmsghdr *h, struct nr_link *l);
int nr_parse_addr(const struct nlmsghdr *h, struct nr_addr *a);
/* One link by index (RTM_GETLINK); 0 or -errno (ENXIO: gone). */
long nr_get_link(int index, struct nr_link *l);
/* FreeBSD's broadcast address for an IPv4 address on broadcast link l. */
void nr_fill_brd(struct nr_addr *a, const struct nr_link *l);

/* Interface names as FreeBSD sees them: Linux "lo" is "lo0" (both ways),
 * every other name is unchanged (ifname.c). */
void ifname_l2f(const char *lname, char out[16]);
void ifname_f2l(const char *fname, char out[16]);

/* IFF_* Linux -> FreeBSD (MULTICAST 0x1000 -> 0x8000, the rest agree
 * up to ALLMULTI). */
uint32_t ifflags_l2f(uint32_t lflags);
uint32_t ifflags_f2l(uint32_t fflags);
/* Encodes the messages for one request into out (at most cap bytes) and
 * returns the full length. af: 0 or a FreeBSD family; ifindex: 0 = all. */
size_t rt_encode(int type, int af, int ifindex, const struct nr_link *links, int nlinks,
		 const struct nr_addr *addrs, int naddrs, uint8_t *out, size_t cap);

/* The prefix length of an n-byte netmask (its leading one bits). */
int rt_mask_plen(const uint8_t *m, unsigned n);
/* sockaddr_dl of a link (name and link address); returns its padded size (<= 64). */
size_t rt_sdl(const struct nr_link *l, uint8_t *b);
/* Routing-socket notifications, same contract as rt_encode: RTM_IFINFO (if_msghdr, no
 * sockaddrs), RTM_NEWADDR/RTM_DELADDR (type; l NULL leaves out RTA_IFP) and
 * RTM_IFANNOUNCE (what: 0 arrival, 1 departure). */
size_t rt_msg_ifinfo(const struct nr_link *l, uint8_t *out, size_t cap);
size_t rt_msg_ifa(int type, const struct nr_link *l, const struct nr_addr *a, uint8_t *out,
		  size_t cap);
size_t rt_msg_announce(int index, const char *fname, int what, uint8_t *out, size_t cap);

/* rtdump.c: sockaddr_in/in6 of a Linux family (2 or 10) address, and a
 * sockaddr_dl naming only an interface index (netstat's link#N); padded sizes. */
size_t rt_sa(int lfamily, const uint8_t *a, uint8_t *b);
size_t rt_sdl_index(int index, uint8_t *b);

struct nr_route;
/* NET_RT_DUMP messages (rtdump.c), same contract as rt_encode. */
size_t rt_encode_routes(int seq, const struct nr_route *rts, int n, uint8_t *out, size_t cap);

/* ioctl group 'i' on a socket (ifioctl.c); -ENOTTY for the rest. */
long if_ioctl(int fd, uint32_t com, void *data);

struct sysctl_req;
/* net.route sysctl (netroute.c); -ENOSYS when mib is not CTL_NET.PF_ROUTE.
 * Needs a call next to sysctl_proc() in sysctl.c's sys___sysctl. */
long sysctl_net(struct sysctl_req *r, const int *mib, unsigned len);
