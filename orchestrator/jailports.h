/* A jail's published ports on the executor's side: reserved right after
 * its address (netplane/ports.h) and written into the firewall
 * (netplane/firewall.h) before anything else of the jail exists; given
 * back with its addresses. */
#pragma once
#include "cli.h"
#include "../specs/service.h"
#include <jansson.h>

struct np_network;
/* -p values and, with -P, the image's ExposedPorts and --expose, for the
 * jail at addr (and addr6, "" without IPv6) on n. No ports on an internal
 * network (-P publishes none there). On failure nothing stays reserved. */
int jailports_reserve(struct cli *c, const char *id, const struct svc_spec *s, const struct np_network *n,
		      const char *addr, const char *addr6, struct lerr *e);
/* Drops the jail's rows; rewrites the firewall when there were some. */
void jailports_release(sqlite3 *db, const char *id);
/* Docker's NetworkSettings.Ports: {"8080/tcp": [{"HostIp", "HostPort"}]}. */
json_t *jailports_json(sqlite3 *db, const char *id);
