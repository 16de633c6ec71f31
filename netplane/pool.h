/* The default address pool for networks created without --subnet: the 512
 * /24 subnets of 172.30.0.0/15 (172.30.0.0/24 .. 172.31.255.0/24), first
 * free first. Docker's pool (172.17-31.0.0/16, then 192.168.0.0/20s) is
 * where Docker, libvirt and VPNs already live; a small corner of 172.16/12
 * with /24s (254 jails a network, like a Compose project's) rarely clashes
 * and leaves room for hundreds of networks. */
#pragma once
#include "cidr.h"

#define NP_POOL "172.30.0.0/15"
#define NP_POOL_PREFIX 24

/* The first pool subnet overlapping none of used[0..n); -1 when the pool
 * is exhausted. */
int np_pool_pick(const struct np_cidr *used, size_t n, struct np_cidr *out);
