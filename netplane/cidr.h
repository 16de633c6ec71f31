/* IPv4/IPv6 addresses and prefixes, pure (no system calls): parsing,
 * formatting, containment and overlap, the n-th host of a subnet. An
 * address is a cidr with the full prefix (32 or 128). */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include "../common/err.h"

struct np_cidr {
	int family;         /* AF_INET or AF_INET6 */
	unsigned char a[16]; /* network byte order; IPv4 in a[0..3] */
	int prefix;
};

/* "A.B.C.D/N" or "X::/N"; host bits must be zero ("10.0.0.1/24" is
 * refused with the subnet it probably meant). */
int np_cidr_parse(const char *s, struct np_cidr *out, struct lerr *e);
/* A plain address, no prefix. */
int np_addr_parse(const char *s, struct np_cidr *out, struct lerr *e);
/* With "/prefix" (np_cidr_format) or without (np_addr_format). */
void np_cidr_format(const struct np_cidr *c, char *out, size_t size);
void np_addr_format(const struct np_cidr *c, char *out, size_t size);

/* inner (a subnet or an address) lies wholly inside outer. */
int np_cidr_contains(const struct np_cidr *outer, const struct np_cidr *inner);
int np_cidr_overlap(const struct np_cidr *a, const struct np_cidr *b);
/* The subnet's n-th address (0 = the network address) with the subnet's
 * family and a full prefix; -1 past the end. */
int np_cidr_nth(const struct np_cidr *net, uint64_t n, struct np_cidr *out);
/* A usable host of net: inside, not the network address, not the IPv4
 * broadcast address. */
int np_cidr_is_host(const struct np_cidr *net, const struct np_cidr *addr);

/* IPv4 as a host-order integer, and back. */
uint32_t np_v4(const struct np_cidr *c);
void np_v4_set(struct np_cidr *c, uint32_t v, int prefix);

/* An endpoint's MAC from its IPv4 address, as Docker derives one:
 * locally administered unicast 02:6c ("l") and the four address bytes.
 * Distinct addresses give distinct MACs, so the IPAM's UNIQUE(network,
 * address) makes the MACs on a bridge unique in the same transaction. */
void np_mac_of(const struct np_cidr *v4, char out[18]);
