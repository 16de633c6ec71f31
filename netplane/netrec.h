/* Network records in the state database (orchestrator/state.c has the
 * schema): one networks row per network, its bridge's name recorded with
 * it. A bridge is Lochs's only when its name starts with "lochs" and a row
 * names it. */
#pragma once
#include <sqlite3.h>
#include <stddef.h>
#include "../common/err.h"

#define NP_DEFAULT_NET "lochs0" /* the default network and its bridge */

struct np_network {
	char id[65];          /* 64 hex digits */
	char name[256];
	char driver[16];      /* "bridge" */
	char subnet[64];      /* IPv4 CIDR */
	char gateway[64];     /* IPv4 address */
	char ip_range[64];    /* "" or a CIDR inside subnet */
	char ipv6_subnet[64]; /* "" or an IPv6 CIDR */
	int internal;
	char labels[4096];    /* JSON object text */
	char bridge[16];      /* Linux interface name */
	char created[32];
};

/* Inserts n inside the caller's transaction; refuses a duplicate name or a
 * subnet (v4 or v6) overlapping another network's. */
int netrec_insert(sqlite3 *db, const struct np_network *n, struct lerr *e);
/* By exact name, full id, or unique id prefix ("bridge", Docker's name of
 * its default network, is lochs0). 0, or -1 with "network X not found"
 * (LX_LOCHS). */
int netrec_get(sqlite3 *db, const char *ref, struct np_network *out, struct lerr *e);
/* Every network, by name; free *out. */
int netrec_list(sqlite3 *db, struct np_network **out, int *n, struct lerr *e);
int netrec_delete(sqlite3 *db, const char *id, struct lerr *e);
/* Whether a row names this bridge. */
int netrec_owns_bridge(sqlite3 *db, const char *bridge);
/* The IPv4 and IPv6 subnets of every network, for overlap checks; free. */
struct np_cidr;
int netrec_subnets(sqlite3 *db, struct np_cidr **out, size_t *n, struct lerr *e);
