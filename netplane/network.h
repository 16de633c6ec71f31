/* Networks as the CLI sees them: validation, the row and the bridge
 * together, removal, prune and repair.
 *
 * Crash safety: the row is committed before the bridge exists, and the
 * bridge is deleted before the row. So every Lochs bridge always has its
 * row (a bridge without one is never touched: it is not provably ours),
 * and a crash leaves at worst a row without a bridge. network_repair (run
 * by every `network create`) gives such rows their bridge back; `network
 * prune` removes them like any unused network. A failed create deletes
 * the bridge, then the row: nothing is left. */
#pragma once
#include <sqlite3.h>
#include "netrec.h"

struct network_opts {
	const char *name;
	const char *driver;      /* NULL: "bridge" */
	const char *subnet;      /* NULL: picked from the pool (pool.h) */
	const char *gateway;     /* NULL: the subnet's first host */
	const char *ip_range;
	const char *subnet6;     /* with ipv6 */
	const char *gateway6;    /* NULL: subnet6's first host */
	const char *ip_range6;   /* NULL: all of subnet6 */
	int ipv6, internal;
	const char *labels;      /* JSON object text or NULL */
};

/* Checks every option, then records and builds the network; out gets the
 * row. Bad input is one line in e, and nothing is created. */
int network_create(sqlite3 *db, const struct network_opts *o, struct np_network *out, struct lerr *e);
/* Refuses the default network and one with endpoints. */
int network_remove(sqlite3 *db, const char *ref, struct lerr *e);
/* Removes every network without endpoints except the default; calls
 * removed(name) for each. */
int network_prune(sqlite3 *db, void (*removed)(const char *name), struct lerr *e);
/* Rebuilds the missing bridge of every recorded network. */
int network_repair(sqlite3 *db, struct lerr *e);
/* Creates the default network lochs0 (bridge lochs0) unless it exists. */
int network_ensure_default(sqlite3 *db, struct np_network *out, struct lerr *e);
/* The name is Docker's network name rule: [a-zA-Z0-9][a-zA-Z0-9_.-]*. */
int network_name_valid(const char *name);
