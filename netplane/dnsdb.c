/* See dnsdb.h. */
#include "dnsdb.h"
#include "../orchestrator/state.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *keep(struct dnsdb_jails *j, const unsigned char *s)
{
	char *c = strdup(s ? (const char *)s : "");
	char **v = realloc(j->strs, sizeof *v * (size_t)(j->nstrs + 1));
	if (!c || !v) {
		free(c);
		if (v)
			j->strs = v;
		return "";
	}
	j->strs = v;
	return j->strs[j->nstrs++] = c;
}

int dnsdb_jails(sqlite3 *db, const char *net_id, const char *asker, struct dnsdb_jails *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st;
	/* The default hostname is the short id, which matches anyway. */
	if (sqlite3_prepare_v2(db,
			       "SELECT j.id, j.name, coalesce(json_extract(j.spec, '$.hostname'), ''), j.project, j.service,"
			       " a.address, coalesce((SELECT group_concat(x.alias, char(10)) FROM net_aliases x"
			       "  WHERE x.jail = j.id AND x.network = a.network), '')"
			       " FROM ip_allocations a JOIN jails j ON j.id = a.owner"
			       " WHERE j.state IN ('running', 'paused') AND (a.network = ?1 OR a.network IN"
			       "  (SELECT m.network FROM ip_allocations m JOIN networks n ON n.id = m.network"
			       "   WHERE m.owner = ?2 AND n.name <> 'lochs0'))"
			       " ORDER BY a.network <> ?1, a.address",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, net_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, asker, -1, SQLITE_TRANSIENT);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct dns_jail *v = realloc(out->v, sizeof *v * (size_t)(out->n + 1));
		if (!v)
			break;
		out->v = v;
		struct dns_jail *r = &out->v[out->n++];
		r->id = keep(out, sqlite3_column_text(st, 0));
		r->name = keep(out, sqlite3_column_text(st, 1));
		r->hostname = keep(out, sqlite3_column_text(st, 2));
		r->project = keep(out, sqlite3_column_text(st, 3));
		r->service = keep(out, sqlite3_column_text(st, 4));
		r->addr = keep(out, sqlite3_column_text(st, 5));
		r->aliases = keep(out, sqlite3_column_text(st, 6));
	}
	sqlite3_finalize(st);
	return 0;
}

void dnsdb_jails_free(struct dnsdb_jails *j)
{
	for (int i = 0; i < j->nstrs; i++)
		free(j->strs[i]);
	free(j->strs);
	free(j->v);
	memset(j, 0, sizeof *j);
}

/* The strings of a JSON array's text, NULL-terminated; NULL when none. */
static char **strv_of(const char *text)
{
	json_t *a = text ? json_loads(text, 0, NULL) : NULL;
	size_t n = json_is_array(a) ? json_array_size(a) : 0;
	char **v = n > 0 ? calloc(n + 1, sizeof *v) : NULL;
	for (size_t i = 0, k = 0; v && i < n; i++)
		if (json_is_string(json_array_get(a, i)))
			v[k++] = strdup(json_string_value(json_array_get(a, i)));
	json_decref(a);
	return v;
}

int dnsdb_asker(sqlite3 *db, const char *net_id, const char *addr, struct dnsdb_asker *out)
{
	sqlite3_stmt *st;
	memset(out, 0, sizeof *out);
	if (sqlite3_prepare_v2(db,
			       "SELECT j.project, json_extract(j.spec, '$.dns'), j.id, json_extract(j.spec, '$.add_hosts'),"
			       " (SELECT gateway FROM networks WHERE id = a.network) FROM ip_allocations a"
			       " JOIN jails j ON j.id = a.owner WHERE a.network = ? AND a.address = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, net_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, addr, -1, SQLITE_TRANSIENT);
	int rc = -1;
	if (sqlite3_step(st) == SQLITE_ROW) {
		rc = 0;
		snprintf(out->project, sizeof out->project, "%s",
			 sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : "");
		snprintf(out->id, sizeof out->id, "%s", sqlite3_column_text(st, 2) ? (const char *)sqlite3_column_text(st, 2) : "");
		out->dns = strv_of((const char *)sqlite3_column_text(st, 1));
		out->add_hosts = strv_of((const char *)sqlite3_column_text(st, 3));
		snprintf(out->gateway, sizeof out->gateway, "%s",
			 sqlite3_column_text(st, 4) ? (const char *)sqlite3_column_text(st, 4) : "");
	}
	sqlite3_finalize(st);
	return rc;
}

static void strv_free(char **v)
{
	for (char **p = v; p && *p; p++)
		free(*p);
	free(v);
}

void dnsdb_asker_free(struct dnsdb_asker *a)
{
	strv_free(a->dns);
	strv_free(a->add_hosts);
	a->dns = a->add_hosts = NULL;
}

int dnsdb_set_aliases(sqlite3 *db, const char *jail, const char *net_id, char *const *aliases, struct lerr *e)
{
	const char *p[] = { jail, net_id, NULL };
	if (state_exec(db, e, "DELETE FROM net_aliases WHERE jail = ? AND network = ?", 2, p) < 0)
		return -1;
	for (char *const *a = aliases; a && *a; a++) {
		p[2] = *a;
		if (state_exec(db, e, "INSERT OR IGNORE INTO net_aliases(jail, network, alias) VALUES(?, ?, lower(?))", 3, p) < 0)
			return -1;
	}
	return 0;
}

void dnsdb_drop_aliases(sqlite3 *db, const char *jail)
{
	const char *p[] = { jail };
	state_exec(db, NULL, "DELETE FROM net_aliases WHERE jail = ?", 1, p);
}
