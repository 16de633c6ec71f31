/* Hand-written rtnetlink requests (nlreq.c): what the FreeBSD interface
 * ioctls and net.route sysctls change or read beyond links and addresses. */
#pragma once
#include <stdint.h>

struct nr_route {
	int family;          /* Linux AF_INET 2 / AF_INET6 10 */
	int dplen;           /* destination prefix length */
	int oif;             /* output interface index, 0 if none */
	int has_gw;
	int is_static;       /* set by an administrator, not the kernel */
	uint8_t dst[16];
	uint8_t gw[16];
};

/* RTM_NEWADDR (add: create or replace) or RTM_DELADDR of an IPv4 address;
 * brd may be NULL. Returns 0 or -errno from the kernel's ack. */
long nl_addr4(int add, int ifindex, const uint8_t addr[4], int plen, const uint8_t *brd);
/* Main-table unicast routes and prefixes on loopback of one family (2 or 10) into out (at most
 * cap); returns how many, or -errno. */
long nl_routes(int family, struct nr_route *out, int cap);
/* RTM_NEWROUTE (exclusive create, static) or RTM_DELROUTE of an IPv4 main-table route; gw
 * NULL for an on-link route through oif (0 = any). Returns 0 or -errno (EEXIST, ESRCH). */
long nl_route4(int add, const uint8_t dst[4], int plen, const uint8_t *gw, int oif);
