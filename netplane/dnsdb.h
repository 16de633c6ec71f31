/* The embedded DNS server's reads of the state database, one per query
 * (names follow jails as they come and go), and the aliases a jail's
 * endpoint carries (net_aliases, written at create). */
#pragma once
#include <sqlite3.h>
#include "dnsname.h"
#include "../common/err.h"

/* The jail asking: the one holding the query's source address on the
 * network ("" id when none: the host itself, say). */
struct dnsdb_asker {
	char id[65];
	char project[256]; /* its Compose project, or "" */
	char **dns;        /* its --dns servers, NULL-terminated; NULL: none */
	char **add_hosts;  /* its --add-host values, likewise */
	char gateway[64];  /* the network's gateway (host-gateway) */
};
int dnsdb_asker(sqlite3 *db, const char *net_id, const char *addr, struct dnsdb_asker *out);
void dnsdb_asker_free(struct dnsdb_asker *a);

/* The live (running or paused) jails on net_id, and on the other user
 * networks the asker (id, may be "") is on, as Docker answers a container
 * on several networks: one row per address, net_id's first. */
struct dnsdb_jails {
	struct dns_jail *v;
	int n;
	char **strs; /* what v points into */
	int nstrs;
};
int dnsdb_jails(sqlite3 *db, const char *net_id, const char *asker, struct dnsdb_jails *out);
void dnsdb_jails_free(struct dnsdb_jails *j);

/* Replaces the jail's aliases on net_id (NULL-terminated, may be NULL). */
int dnsdb_set_aliases(sqlite3 *db, const char *jail, const char *net_id, char *const *aliases, struct lerr *e);
/* Forgets every alias of the jail. */
void dnsdb_drop_aliases(sqlite3 *db, const char *jail);
