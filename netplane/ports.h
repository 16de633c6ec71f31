/* Published ports in the state database's port_bindings table: one row per
 * host port, reserved for a jail at create in one BEGIN IMMEDIATE
 * transaction (concurrent creates are serialized by SQLite's write lock),
 * released at removal. A port is refused when another row holds it (same
 * protocol and port, same host address or either one the wildcard) or a
 * host process has it bound (a test bind(), what Docker reports as "port
 * is already allocated"); the wildcards "" and "::" each cover their own
 * family. Free host ports come from the kernel's ephemeral
 * range (net.ipv4.ip_local_port_range), or LOCHS_PORT_RANGE=LO-HI. */
#pragma once
#include <sqlite3.h>
#include "portspec.h"

/* Reserves every port of specs (-p values) and, with publish_all, of
 * exposed (--expose values and the image's ExposedPorts keys) for jail at
 * jail_ip (and jail_ip6, "" or NULL without IPv6). All or nothing. IPv6
 * host addresses ([ADDR]:H:J) need jail_ip6, except [::1] (proxied to
 * jail_ip6, else jail_ip: netplane/proxy.h); with jail_ip6, a binding
 * without a host address is reserved on "" (IPv4) and "::". */
int ports_reserve(sqlite3 *db, const char *jail, const char *jail_ip, const char *jail_ip6, char *const *specs,
		  int publish_all, char *const *exposed, struct lerr *e);
/* Gives back every port of jail; how many rows went. */
int ports_release(sqlite3 *db, const char *jail);
/* The jail's rows by jail port; free *out. */
int ports_list(sqlite3 *db, const char *jail, struct np_binding **out, int *n, struct lerr *e);
