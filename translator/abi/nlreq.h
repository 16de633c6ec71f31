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

/* RTM_NEWADDR (add: create or replace) or RTM_DELADDR of an address of
 * family (Linux 2 or 10); brd (IPv4 only) may be NULL. Returns 0 or -errno
 * from the kernel's ack. */
long nl_addr(int add, int family, int ifindex, const uint8_t *addr, int plen, const uint8_t *brd);
/* Main-table unicast routes and prefixes on loopback of one family (2 or 10) into out (at most
 * cap); returns how many, or -errno. */
long nl_routes(int family, struct nr_route *out, int cap);
/* RTM_NEWROUTE (exclusive create, static) or RTM_DELROUTE of a main-table route of family
 * (Linux 2 or 10); gw NULL for an on-link route through oif (0 = any). Returns 0 or -errno
 * (EEXIST, ESRCH). */
long nl_route(int add, int family, const uint8_t *dst, int plen, const uint8_t *gw, int oif);
struct nlmsghdr;
/* One RTM_NEWROUTE/RTM_DELROUTE into o; 1 when FreeBSD would list it (a main-table
 * unicast route or a prefix on lo), else 0. */
int nl_parse_route(const struct nlmsghdr *h, struct nr_route *o);
