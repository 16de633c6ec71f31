/* IPv4 address management in the state database's ip_allocations table
 * (network id, address, owner; UNIQUE(network, address)). Each allocation
 * is one BEGIN IMMEDIATE transaction: concurrent lochs processes are
 * serialized by SQLite's write lock and never get the same address. The
 * gateway holds its address as owner NP_OWNER_GATEWAY. */
#pragma once
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include "../common/err.h"

#define NP_OWNER_GATEWAY ":gateway"

/* Pure: the lowest address in [lo, hi] not in taken[0..n) (sorted
 * ascending); -1 when all are taken. */
int ipam_first_free(uint32_t lo, uint32_t hi, const uint32_t *taken, size_t n, uint32_t *out);
/* Pure: the dynamic range of a network: the hosts of subnet (not its
 * network or broadcast address), narrowed to ip_range when not empty. */
int ipam_range(const char *subnet, const char *ip_range, uint32_t *lo, uint32_t *hi, struct lerr *e);

/* An address on network net_id for owner. want NULL: the lowest free one
 * of the dynamic range (an owner already holding one gets it again); want
 * an address: that one, refused when outside the subnet or held by another
 * owner. The address goes to out. Opens its own transaction. */
int ipam_alloc(sqlite3 *db, const char *net_id, const char *owner, const char *want, char *out, size_t size,
	       struct lerr *e);
/* ipam6.c: the same for the network's IPv6 subnet (want: an IPv6
 * address or NULL); refused on a network without one. */
int ipam_alloc6(sqlite3 *db, const char *net_id, const char *owner, const char *want, char *out, size_t size,
		struct lerr *e);
/* ipam6.c: the IPv6 gateway (--gateway, else the subnet's first host)
 * and --ip-range ("" = the whole subnet) of network net_id, whose IPv6
 * subnet is subnet6. */
int ipam6_config(sqlite3 *db, const char *net_id, const char *subnet6, char gw[64], char range[64], struct lerr *e);
/* Gives back every address owner holds on net_id. */
int ipam_release(sqlite3 *db, const char *net_id, const char *owner, struct lerr *e);
/* Gives back addresses and DNS aliases whose jail no longer exists (a
 * crash between the allocation and the jail's record, or a monitor gone
 * before its --rm cleanup); the count of addresses freed. */
int ipam_sweep(sqlite3 *db);
/* Addresses held on net_id by owners other than the gateway. */
int ipam_in_use(sqlite3 *db, const char *net_id);
