/* A jail's network endpoints on the executor's side: addresses from the
 * IPAM (owner = the jail id) at create, written into config.json's
 * "networks" (translator/jail/jail.h), given back at removal; the jail's
 * /etc/hosts and /etc/resolv.conf. */
#pragma once
#include "cli.h"
#include "../specs/service.h"
#include <jansson.h>

/* Allocates the jail's address on s->network (NULL: the default network,
 * created on demand; "none": nothing) and appends its endpoint to nets;
 * appends the read-only hosts and resolv.conf binds to mounts. On failure
 * nothing stays allocated. */
int jailnet_config(struct cli *c, const char *id, const struct svc_spec *s, json_t *nets, json_t *mounts,
		   struct lerr *e);
/* One config.json "networks" entry: the jail end is ifname (ethINDEX) with
 * address cidr and, when cidr6 is not empty, cidr6 with gateway gw6;
 * internal networks give the jail no default route. */
struct np_network;
json_t *jailnet_endpoint(const struct np_network *n, const char *cidr, const char *cidr6, const char *gw6,
			 const char *mac, int index);
/* jailaddr6.c: on a network with an IPv6 subnet, the jail's IPv6 address
 * (want, or the next free) as cidr6 and the gateway as gw6; both "" on
 * one without (where want is refused). */
int jailnet_addr6(sqlite3 *db, const struct np_network *n, const char *id, const char *want, char cidr6[80],
		  char gw6[64], struct lerr *e);
/* The endpoint's MAC from its IPv4 address addr (netplane's np_mac_of):
 * unique on the network because the address is, stable while the jail
 * holds the address. */
void jailnet_mac(const char *addr, char out[18]);
/* jailnetmode.c: --network host or container:NAME: 1 with *netns the
 * config's "netns" value ("host", "container:ID"; free it) and the name
 * files bound into mounts; 0 for a network or none (jailnet_config's);
 * -1 for a conflicting flag or an unknown jail. */
int jailnet_mode(struct cli *c, const char *id, const struct svc_spec *s, json_t *mounts, char **netns,
		 struct lerr *e);
/* Gives back every address the jail holds (any network). */
void jailnet_release(sqlite3 *db, const char *id);
/* Writes ROOT/jails/ID/hosts and resolv.conf from its config.json (before
 * each start: a rename shows), and rebuilds a missing bridge. */
int jailnet_files(struct cli *c, const char *id, struct lerr *e);
/* Adds inspect's NetworkSettings from config.json. */
void jailnet_inspect(struct cli *c, const char *id, json_t *o);
/* network inspect's "Containers": every jail holding an endpoint on n
 * (created, running or stopped: its address is its own until removal),
 * keyed by jail id. */
json_t *jailnet_containers(struct cli *c, sqlite3 *db, const struct np_network *n);
