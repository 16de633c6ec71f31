/* Endpoints added to and taken from an existing jail, live when it runs
 * (`lochs network connect` / `disconnect`). */
#pragma once
#include "cli.h"

/* Connects the jail to the network: an address (ip, or the next free
 * one; ip6 likewise on a network with an IPv6 subnet), its aliases for the network's DNS, the endpoint in config.json,
 * and when it runs the veth pair set up inside it (a default route only
 * when it had none). Refused for jails on another's or the host's stack,
 * on --network none, or already connected; nothing is left on failure. */
int jail_connect(struct cli *c, const char *net_ref, const char *jail_ref, const char *ip, const char *ip6,
		 char **aliases, struct lerr *e);
/* Takes the endpoint away: the live veth, then config and address. */
int jail_disconnect(struct cli *c, const char *net_ref, const char *jail_ref, struct lerr *e);
