/* What a crash can leave of a jail's networking once its record is gone:
 * addresses, DNS aliases and published-port rows (a crash between taking
 * them and writing the record, a monitor killed before its --rm cleanup),
 * and rules in the firewall table; and of a living jail, an address on a
 * network its config.json has no endpoint on (a killed network connect). Veths need no sweep: they go with the
 * jail's network namespace. */
#pragma once
#include <sqlite3.h>
#include "../common/err.h"

/* Held shared by a create from its address to its record (and a network
 * connect from its address to the jail's config), so a sweep (exclusive)
 * never takes the address of a jail being created or connected. A
 * descriptor to close, or -1 (then no guard: the sweep is rare). */
int netplane_create_lock(const char *root);
/* Gives back what no jail owns and writes the firewall table again. */
int netplane_sweep(sqlite3 *db, const char *root, struct lerr *e);
