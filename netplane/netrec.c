/* Network rows; see netrec.h. */
#include "netrec.h"
#include "cidr.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int dberr(sqlite3 *db, struct lerr *e, const char *what)
{
	return lerr_set(e, LX_LOCHS, "state database: %s: %s", what, sqlite3_errmsg(db));
}

#define COLS "id, name, driver, subnet, gateway, ip_range, ipv6_subnet, internal, labels, bridge, created"

static void row(sqlite3_stmt *st, struct np_network *n)
{
	char *f[] = { n->id, n->name, n->driver, n->subnet, n->gateway, n->ip_range, n->ipv6_subnet };
	size_t sz[] = { sizeof n->id, sizeof n->name, sizeof n->driver, sizeof n->subnet, sizeof n->gateway,
			sizeof n->ip_range, sizeof n->ipv6_subnet };
	for (int i = 0; i < 7; i++)
		snprintf(f[i], sz[i], "%s", (const char *)sqlite3_column_text(st, i) ?: "");
	n->internal = sqlite3_column_int(st, 7);
	snprintf(n->labels, sizeof n->labels, "%s", (const char *)sqlite3_column_text(st, 8) ?: "{}");
	snprintf(n->bridge, sizeof n->bridge, "%s", (const char *)sqlite3_column_text(st, 9) ?: "");
	snprintf(n->created, sizeof n->created, "%s", (const char *)sqlite3_column_text(st, 10) ?: "");
}

int netrec_subnets(sqlite3 *db, struct np_cidr **out, size_t *n, struct lerr *e)
{
	sqlite3_stmt *st;
	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(db, "SELECT subnet FROM networks UNION ALL SELECT ipv6_subnet FROM networks WHERE ipv6_subnet != ''",
			       -1, &st, NULL) != SQLITE_OK)
		return dberr(db, e, "networks");
	size_t cap = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct np_cidr c;
		if (np_cidr_parse((const char *)sqlite3_column_text(st, 0), &c, NULL) < 0)
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 16;
			struct np_cidr *m = realloc(*out, cap * sizeof **out);
			if (!m)
				break;
			*out = m;
		}
		(*out)[(*n)++] = c;
	}
	sqlite3_finalize(st);
	return 0;
}

/* The name of the network whose subnet overlaps s, if any. */
static int overlapping(sqlite3 *db, const char *s, char *who, size_t size)
{
	struct np_cidr want, c;
	if (!*s || np_cidr_parse(s, &want, NULL) < 0)
		return 0;
	sqlite3_stmt *st;
	int found = 0;
	if (sqlite3_prepare_v2(db, "SELECT name, subnet, ipv6_subnet FROM networks", -1, &st, NULL) != SQLITE_OK)
		return 0;
	while (!found && sqlite3_step(st) == SQLITE_ROW)
		for (int i = 1; i <= 2 && !found; i++)
			if (np_cidr_parse((const char *)sqlite3_column_text(st, i), &c, NULL) == 0 && np_cidr_overlap(&want, &c)) {
				snprintf(who, size, "%s", (const char *)sqlite3_column_text(st, 0));
				found = 1;
			}
	sqlite3_finalize(st);
	return found;
}

int netrec_insert(sqlite3 *db, const struct np_network *n, struct lerr *e)
{
	char who[256];
	if (overlapping(db, n->subnet, who, sizeof who) || overlapping(db, n->ipv6_subnet, who, sizeof who))
		return lerr_set(e, LX_LOCHS, "invalid pool request: pool %s overlaps with network %s",
				overlapping(db, n->subnet, who, sizeof who) ? n->subnet : n->ipv6_subnet, who);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "INSERT INTO networks(" COLS ") VALUES(?,?,?,?,?,?,?,?,?,?,?)", -1, &st, NULL) != SQLITE_OK)
		return dberr(db, e, "networks");
	const char *v[] = { n->id, n->name, n->driver, n->subnet, n->gateway, n->ip_range, n->ipv6_subnet };
	for (int i = 0; i < 7; i++)
		sqlite3_bind_text(st, i + 1, v[i], -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 8, n->internal);
	sqlite3_bind_text(st, 9, n->labels[0] ? n->labels : "{}", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, n->bridge, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 11, n->created, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_CONSTRAINT)
		return lerr_set(e, LX_LOCHS, "network with name %s already exists", n->name);
	return rc == SQLITE_DONE ? 0 : dberr(db, e, "insert network");
}

int netrec_get(sqlite3 *db, const char *ref, struct np_network *out, struct lerr *e)
{
	sqlite3_stmt *st;
	if (!strcmp(ref, "bridge"))
		ref = NP_DEFAULT_NET;
	/* Exact name or id first; an id prefix only when it is unambiguous. */
	if (sqlite3_prepare_v2(db, "SELECT " COLS ", (name = ?1 OR id = ?1) AS exact FROM networks"
				   " WHERE name = ?1 OR id = ?1 OR (length(?1) > 0 AND substr(id, 1, length(?1)) = ?1)"
				   " ORDER BY exact DESC LIMIT 2", -1, &st, NULL) != SQLITE_OK)
		return dberr(db, e, "networks");
	sqlite3_bind_text(st, 1, ref, -1, SQLITE_STATIC);
	int n = 0, exact = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n == 0) {
			row(st, out);
			exact = sqlite3_column_int(st, 11);
		}
		n++;
	}
	sqlite3_finalize(st);
	if (n == 0)
		return lerr_set(e, LX_LOCHS, "network %s not found", ref);
	if (n > 1 && !exact)
		return lerr_set(e, LX_LOCHS, "network %s is ambiguous (%d matches found based on ID prefix)", ref, n);
	return 0;
}

int netrec_list(sqlite3 *db, struct np_network **out, int *n, struct lerr *e)
{
	sqlite3_stmt *st;
	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(db, "SELECT " COLS " FROM networks ORDER BY name", -1, &st, NULL) != SQLITE_OK)
		return dberr(db, e, "networks");
	int cap = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 8;
			struct np_network *m = realloc(*out, (size_t)cap * sizeof **out);
			if (!m) {
				sqlite3_finalize(st);
				return lerr_set(e, LX_LOCHS, "out of memory");
			}
			*out = m;
		}
		row(st, &(*out)[(*n)++]);
	}
	sqlite3_finalize(st);
	return 0;
}

int netrec_delete(sqlite3 *db, const char *id, struct lerr *e)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "DELETE FROM networks WHERE id = ?", -1, &st, NULL) != SQLITE_OK)
		return dberr(db, e, "networks");
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : dberr(db, e, "delete network");
}

int netrec_owns_bridge(sqlite3 *db, const char *bridge)
{
	sqlite3_stmt *st;
	int owned = 0;
	if (strncmp(bridge, "lochs", 5) ||
	    sqlite3_prepare_v2(db, "SELECT 1 FROM networks WHERE bridge = ?", -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, bridge, -1, SQLITE_STATIC);
	owned = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return owned;
}
