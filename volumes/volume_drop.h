/* Deleting volumes with nothing but the state database and the file
 * system, so that the jail monitor (which links neither jansson nor the
 * rest of volumes/) removes a `run --rm` jail's anonymous volumes as the
 * lochs CLI removes them for `rm -v` and `compose down -v`. */
#pragma once
#include <sqlite3.h>
#include "../common/err.h"

/* Deletes the volume's record and usage rows, then ROOT/volumes/NAME, and
 * records its "destroy" event. The caller checked that no jail uses it. */
int volume_drop(sqlite3 *db, const char *root, const char *name, struct lerr *e);
/* Drops the anonymous volumes of jail (removed already) that no existing
 * jail uses; a database without usage rows has none. */
int volume_drop_anonymous(sqlite3 *db, const char *root, const char *jail, struct lerr *e);
