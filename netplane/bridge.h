/* Linux bridges over rtnetlink (libnl-route-3): no `ip` processes. */
#pragma once
#include <stddef.h>
#include "cidr.h"
#include "../common/err.h"

/* Creates bridge name, adds gw (an address with the subnet's prefix) and
 * gw6 (NULL: none), and sets it up; on failure deletes it again. 1 when a
 * link of that name already existed: it is left as it is (the caller
 * knows whether a row makes it ours: a concurrent repair built it). */
int bridge_create(const char *name, const struct np_cidr *gw, const struct np_cidr *gw6, struct lerr *e);
/* Deletes the bridge; a missing one is not an error. */
int bridge_delete(const char *name, struct lerr *e);
/* 1 when a link of that name exists, 0 when not, -1 on error. */
int bridge_exists(const char *name, struct lerr *e);
/* The names of bridges whose names start with "lochs" (ownership is the
 * caller's check against the state database); free each and *out. */
int bridge_list_lochs(char ***out, int *n, struct lerr *e);
