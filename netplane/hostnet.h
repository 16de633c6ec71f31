/* The host's own prefixes: every route destination and every interface
 * address (with its prefix) in the init network namespace, read over
 * rtnetlink, so a picked subnet never shadows a LAN or VPN route. Default
 * routes (prefix 0) are left out: they overlap everything. */
#pragma once
#include <stddef.h>
#include "cidr.h"

/* Appends to *out (realloc'd; *n counts). */
int hostnet_prefixes(struct np_cidr **out, size_t *n, struct lerr *e);
