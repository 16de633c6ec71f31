/* Published ports, outbound NAT and network isolation as ONE nftables
 * table per state root, regenerated whole from the state database and
 * replaced atomically (one libnftables transaction) whenever networks or
 * published ports change.
 *
 * The table is "ip lochs" for the default root /var/lib/lochs and
 * "ip lochs_<8 hex>" (FNV-1a of the root's real path) for any other, so
 * test roots running side by side never replace each other's rules; an
 * "ip6" table of the same name does the same for IPv6 networks and
 * bindings (only while there are some).
 *
 * What it holds: nat prerouting/output DNAT of every published port;
 * nat postrouting masquerade of each non-internal network leaving through
 * another interface, and of 127.0.0.0/8 going out a Lochs bridge (the
 * DNAT of 127.0.0.1:PORT); filter forward: internal networks reach only
 * their own bridge, different Lochs bridges never forward to each other,
 * DNAT'ed jail ports and established flows pass. With nothing to hold,
 * the table is deleted. */
#pragma once
#include <sqlite3.h>
#include <stddef.h>
#include "portspec.h"
#include "../common/err.h"

struct fw_net {
	char bridge[16];
	char subnet[64];
	int internal;
	char subnet6[64]; /* "" without IPv6 */
};

struct fw_port {
	struct np_binding b;
	char bridge[16]; /* the jail address's network bridge */
};

struct fw_model {
	char table[32];
	struct fw_net *nets;
	int nnets;
	struct fw_port *ports;
	int nports;
};

/* The table's name for a state root (as given; the caller resolves it). */
void fw_table_name(const char *root, char out[32]);
/* Pure: the nftables script that replaces both tables by the model's
 * ("add table; delete table;" then the table when it holds anything);
 * malloc'd, NULL when out of memory. */
char *fw_script(const struct fw_model *m);

/* The table's name for the root of db (lochs info shows it). */
int firewall_table(sqlite3 *db, char out[32]);
/* Reads the networks and port_bindings of db, writes the table and sets
 * net.ipv4.ip_forward (any non-internal network), IPv6 forwarding (any
 * non-internal IPv6 network, as Docker) and route_localnet on bridges
 * with published ports. Serialized per root by a lock file. */
int firewall_sync(sqlite3 *db, struct lerr *e);
/* firewall_sync after dropping port_bindings rows whose jail is gone (a
 * crash between reservation and record, a monitor killed with -9). */
int firewall_sweep(sqlite3 *db, struct lerr *e);
