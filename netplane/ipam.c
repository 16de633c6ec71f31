/* IPAM; see ipam.h. */
#include "ipam.h"
#include "cidr.h"
#include "../orchestrator/state.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

int ipam_first_free(uint32_t lo, uint32_t hi, const uint32_t *taken, size_t n, uint32_t *out)
{
	uint64_t want = lo; /* 64 bits: hi may be 255.255.255.255 */
	for (size_t i = 0; i < n && want <= hi; i++) {
		if (taken[i] < want)
			continue;
		if (taken[i] > want)
			break;
		want++;
	}
	if (want > hi)
		return -1;
	*out = (uint32_t)want;
	return 0;
}

int ipam_range(const char *subnet, const char *ip_range, uint32_t *lo, uint32_t *hi, struct lerr *e)
{
	struct np_cidr net, r;
	if (np_cidr_parse(subnet, &net, e) < 0)
		return -1;
	if (net.family != AF_INET || net.prefix > 30)
		return lerr_set(e, LX_LOCHS, "subnet %s has no room for addresses", subnet);
	uint32_t size = (uint32_t)(0xffffffffull >> net.prefix);
	*lo = np_v4(&net) + 1;
	*hi = np_v4(&net) + size - 1;
	if (ip_range && *ip_range) {
		if (np_cidr_parse(ip_range, &r, e) < 0)
			return -1;
		if (!np_cidr_contains(&net, &r))
			return lerr_set(e, LX_LOCHS, "ip-range %s is not inside subnet %s", ip_range, subnet);
		uint32_t rlo = np_v4(&r), rhi = rlo + (uint32_t)(0xffffffffull >> r.prefix);
		*lo = rlo > *lo ? rlo : *lo;
		*hi = rhi < *hi ? rhi : *hi;
		if (*lo > *hi)
			return lerr_set(e, LX_LOCHS, "ip-range %s has no usable address in subnet %s", ip_range, subnet);
	}
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* Inside the transaction: the network's subnet and range, and the owner's
 * current address if any. */
static int load(sqlite3 *db, const char *net_id, const char *owner, char *subnet, char *range, char *held,
		struct lerr *e)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT subnet, ip_range, (SELECT address FROM ip_allocations"
				   " WHERE network = ?1 AND owner = ?2 AND instr(address, ':') = 0 LIMIT 1) FROM networks WHERE id = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return lerr_set(e, LX_LOCHS, "state database: %s", sqlite3_errmsg(db));
	sqlite3_bind_text(st, 1, net_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, owner, -1, SQLITE_STATIC);
	int rc = -1;
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(subnet, 64, "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(range, 64, "%s", (const char *)sqlite3_column_text(st, 1) ?: "");
		snprintf(held, 64, "%s", (const char *)sqlite3_column_text(st, 2) ?: "");
		rc = 0;
	} else
		lerr_set(e, LX_LOCHS, "network %s not found", net_id);
	sqlite3_finalize(st);
	return rc;
}

static int taken_list(sqlite3 *db, const char *net_id, uint32_t **out, size_t *n)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(db, "SELECT address FROM ip_allocations WHERE network = ?", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, net_id, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct np_cidr a;
		if (np_addr_parse((const char *)sqlite3_column_text(st, 0), &a, NULL) < 0 || a.family != AF_INET)
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 64;
			uint32_t *m = realloc(*out, cap * sizeof **out);
			if (!m) {
				sqlite3_finalize(st);
				return -1;
			}
			*out = m;
		}
		(*out)[(*n)++] = np_v4(&a);
	}
	sqlite3_finalize(st);
	qsort(*out, *n, sizeof **out, cmp_u32);
	return 0;
}

static int choose(sqlite3 *db, const char *net_id, const char *owner, const char *want, char *out, size_t size,
		  struct lerr *e)
{
	char subnet[64], range[64], held[64];
	if (load(db, net_id, owner, subnet, range, held, e) < 0)
		return -1;
	if (!want) {
		if (*held) { /* idempotent: the owner's address stays its own */
			snprintf(out, size, "%s", held);
			return 1;
		}
		uint32_t lo, hi, *taken, a;
		size_t n;
		if (ipam_range(subnet, range, &lo, &hi, e) < 0)
			return -1;
		if (taken_list(db, net_id, &taken, &n) < 0)
			return lerr_set(e, LX_LOCHS, "state database: %s", sqlite3_errmsg(db));
		int rc = ipam_first_free(lo, hi, taken, n, &a);
		free(taken);
		if (rc < 0)
			return lerr_set(e, LX_LOCHS, "no available IPv4 addresses on network %s (range %s)", net_id,
					*range ? range : subnet);
		struct np_cidr c;
		np_v4_set(&c, a, 32);
		np_addr_format(&c, out, size);
		return 0;
	}
	struct np_cidr net, a;
	if (np_addr_parse(want, &a, e) < 0 || np_cidr_parse(subnet, &net, e) < 0)
		return -1;
	if (!np_cidr_is_host(&net, &a))
		return lerr_set(e, LX_LOCHS, "invalid address %s: it does not belong to the network's subnet %s", want, subnet);
	np_addr_format(&a, out, size); /* canonical text, so UNIQUE compares like with like */
	if (*held && !strcmp(held, out))
		return 1;
	return 0;
}

int ipam_alloc(sqlite3 *db, const char *net_id, const char *owner, const char *want, char *out, size_t size,
	       struct lerr *e)
{
	if (state_begin(db, e) < 0)
		return -1;
	int rc = choose(db, net_id, owner, want, out, size, e);
	if (rc == 0) {
		const char *p[] = { net_id, out, owner };
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(db, "INSERT INTO ip_allocations(network, address, owner) VALUES(?, ?, ?)", -1, &st, NULL) !=
		    SQLITE_OK) {
			rc = lerr_set(e, LX_LOCHS, "state database: %s", sqlite3_errmsg(db));
		} else {
			for (int i = 0; i < 3; i++)
				sqlite3_bind_text(st, i + 1, p[i], -1, SQLITE_STATIC);
			int s = sqlite3_step(st);
			sqlite3_finalize(st);
			if (s == SQLITE_CONSTRAINT)
				rc = lerr_set(e, LX_LOCHS, "address %s is already in use", out);
			else if (s != SQLITE_DONE)
				rc = lerr_set(e, LX_LOCHS, "state database: %s", sqlite3_errmsg(db));
		}
	}
	if (rc < 0) {
		state_rollback(db);
		return -1;
	}
	return state_commit(db, e);
}

int ipam_release(sqlite3 *db, const char *net_id, const char *owner, struct lerr *e)
{
	const char *p[] = { net_id, owner };
	return state_exec(db, e, "DELETE FROM ip_allocations WHERE network = ? AND owner = ?", 2, p);
}

int ipam_in_use(sqlite3 *db, const char *net_id)
{
	sqlite3_stmt *st;
	int n = 0;
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM ip_allocations WHERE network = ? AND owner != '" NP_OWNER_GATEWAY "'",
			       -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, net_id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

int ipam_sweep(sqlite3 *db)
{
	if (sqlite3_exec(db, "DELETE FROM ip_allocations WHERE owner <> '" NP_OWNER_GATEWAY "'"
			     " AND owner NOT IN (SELECT id FROM jails)", 0, 0, 0) != SQLITE_OK)
		return -1;
	int n = sqlite3_changes(db);
	sqlite3_exec(db, "DELETE FROM net_aliases WHERE jail NOT IN (SELECT id FROM jails)", 0, 0, 0);
	return n;
}
