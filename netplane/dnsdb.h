/* The embedded DNS server's reads of the state database, one per query
 * (names follow jails as they come and go), and the aliases a jail's
 * endpoint carries (net_aliases, written at create). */
#pragma once
#include <sqlite3.h>
#include "dnsname.h"
#include "../common/err.h"

/* The live (running or paused) jails on a network, one row per address. */
struct dnsdb_jails {
	struct dns_jail *v;
	int n;
	char **strs; /* what v points into */
	int nstrs;
};
int dnsdb_jails(sqlite3 *db, const char *net_id, struct dnsdb_jails *out);
void dnsdb_jails_free(struct dnsdb_jails *j);

/* The jail holding addr on net_id: its Compose project (or "") and its
 * --dns servers (NULL-terminated, NULL when none; free with dnsdb_strv_free).
 * -1 when no jail holds it. */
int dnsdb_asker(sqlite3 *db, const char *net_id, const char *addr, char project[256], char ***dns);
void dnsdb_strv_free(char **v);

/* Replaces the jail's aliases on net_id (NULL-terminated, may be NULL). */
int dnsdb_set_aliases(sqlite3 *db, const char *jail, const char *net_id, char *const *aliases, struct lerr *e);
/* Forgets every alias of the jail. */
void dnsdb_drop_aliases(sqlite3 *db, const char *jail);
