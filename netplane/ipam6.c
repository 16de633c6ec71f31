/* IPv6 addresses of jails on a network with an IPv6 subnet; see ipam.h.
 * Same table as IPv4 (an address with ':' is IPv6), same one-transaction
 * rule. Dynamic addresses count up from the start of the network's IPv6
 * --ip-range (else of the subnet), skipping the subnet's own address, the
 * gateway (the subnet's first host unless --gateway named another, kept
 * in network_ipv6) and taken ones. */
#include "ipam.h"
#include "cidr.h"
#include "../orchestrator/state.h"
#include <stdio.h>
#include <sys/socket.h>
#include <string.h>

/* Dynamic addresses looked at before giving up (the table, not the
 * subnet, is the limit: a /64 never runs out). */
#define SCAN_MAX 65536

static int taken(sqlite3 *db, const char *net_id, const char *addr)
{
	sqlite3_stmt *st;
	int t = 1;
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM ip_allocations WHERE network = ? AND address = ?", -1, &st, NULL) !=
	    SQLITE_OK)
		return 1;
	sqlite3_bind_text(st, 1, net_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, addr, -1, SQLITE_STATIC);
	t = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return t;
}

/* The network's IPv6 subnet and the owner's IPv6 address on it ("" if none). */
static int load6(sqlite3 *db, const char *net_id, const char *owner, char subnet[64], char held[64], struct lerr *e)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT ipv6_subnet, (SELECT address FROM ip_allocations WHERE network = ?1"
				   " AND owner = ?2 AND instr(address, ':') > 0 LIMIT 1) FROM networks WHERE id = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return lerr_set(e, LX_LOCHS, "state database: %s", sqlite3_errmsg(db));
	sqlite3_bind_text(st, 1, net_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, owner, -1, SQLITE_STATIC);
	int rc = lerr_set(e, LX_LOCHS, "network %s not found", net_id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(subnet, 64, "%s", (const char *)sqlite3_column_text(st, 0) ?: "");
		snprintf(held, 64, "%s", (const char *)sqlite3_column_text(st, 1) ?: "");
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

int ipam6_config(sqlite3 *db, const char *net_id, const char *subnet6, char gw[64], char range[64], struct lerr *e)
{
	struct np_cidr net, g;
	sqlite3_stmt *st;
	*gw = *range = 0;
	if (sqlite3_prepare_v2(db, "SELECT gateway, ip_range FROM network_ipv6 WHERE network = ?", -1, &st, NULL) != SQLITE_OK)
		return lerr_set(e, LX_LOCHS, "state database: %s", sqlite3_errmsg(db));
	sqlite3_bind_text(st, 1, net_id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(gw, 64, "%s", (const char *)sqlite3_column_text(st, 0) ?: "");
		snprintf(range, 64, "%s", (const char *)sqlite3_column_text(st, 1) ?: "");
	}
	sqlite3_finalize(st);
	if (*gw)
		return 0;
	/* A network made before network_ipv6: the subnet's first host. */
	if (np_cidr_parse(subnet6, &net, e) < 0 || np_cidr_nth(&net, 1, &g) < 0)
		return lerr_set(e, LX_LOCHS, "invalid IPv6 subnet %s", subnet6);
	np_addr_format(&g, gw, 64);
	return 0;
}

/* The first free dynamic address: of the range (else the subnet), a
 * host of the subnet, not the gateway, not taken. */
static int scan6(sqlite3 *db, const char *net_id, const struct np_cidr *net, const char *gw, const char *range,
		 char *out, size_t size, struct lerr *e)
{
	struct np_cidr pool = *net, a;
	if (*range && np_cidr_parse(range, &pool, e) < 0)
		return -1;
	for (uint64_t n = 0; n < SCAN_MAX; n++) {
		if (np_cidr_nth(&pool, n, &a) < 0)
			break;
		if (!np_cidr_is_host(net, &a))
			continue;
		np_addr_format(&a, out, size);
		if (strcmp(out, gw) && !taken(db, net_id, out))
			return 0;
	}
	return lerr_set(e, LX_LOCHS, "no available IPv6 addresses on network %s", net_id);
}

static int choose6(sqlite3 *db, const char *net_id, const char *owner, const char *want, char *out, size_t size,
		   struct lerr *e)
{
	char subnet[64], held[64], gw[64], range[64];
	struct np_cidr net, a;
	if (load6(db, net_id, owner, subnet, held, e) < 0)
		return -1;
	if (!*subnet)
		return lerr_set(e, LX_LOCHS, "network %s has no IPv6 subnet (create it with --ipv6 --subnet)", net_id);
	if (np_cidr_parse(subnet, &net, e) < 0 || ipam6_config(db, net_id, subnet, gw, range, e) < 0)
		return -1;
	if (!want) {
		if (*held) {
			snprintf(out, size, "%s", held);
			return 1;
		}
		return scan6(db, net_id, &net, gw, range, out, size, e);
	}
	if (np_addr_parse(want, &a, e) < 0)
		return -1;
	if (a.family != AF_INET6 || !np_cidr_is_host(&net, &a))
		return lerr_set(e, LX_LOCHS, "invalid address %s: it does not belong to the network's IPv6 subnet %s", want,
				subnet);
	np_addr_format(&a, out, size);
	if (!strcmp(out, gw))
		return lerr_set(e, LX_LOCHS, "address %s is already in use (the network's gateway)", out);
	return *held && !strcmp(held, out) ? 1 : 0;
}

int ipam_alloc6(sqlite3 *db, const char *net_id, const char *owner, const char *want, char *out, size_t size,
		struct lerr *e)
{
	if (state_begin(db, e) < 0)
		return -1;
	int rc = choose6(db, net_id, owner, want, out, size, e);
	if (rc == 0) {
		const char *p[] = { net_id, out, owner };
		struct lerr why = { 0 };
		if (state_exec(db, &why, "INSERT INTO ip_allocations(network, address, owner) VALUES(?, ?, ?)", 3, p) < 0)
			rc = strstr(why.msg, "UNIQUE") ? lerr_set(e, LX_LOCHS, "address %s is already in use", out)
						       : (*e = why, -1);
	}
	if (rc < 0) {
		state_rollback(db);
		return -1;
	}
	return state_commit(db, e);
}
