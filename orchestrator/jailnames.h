/* The name files of a jail: ROOT/jails/ID/hosts and resolv.conf, bound
 * read-only over the jail's /etc/hosts and /etc/resolv.conf. */
#pragma once
#include "cli.h"
#include "../translator/jail/jail.h"

/* Writes both from the jail's config (its endpoints, hostname and name)
 * and the host's resolvers. */
int jailnames_write(struct cli *c, const char *id, const struct jail_config *cfg, struct lerr *e);
