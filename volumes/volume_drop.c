/* See volume_drop.h. */
#include "volume_drop.h"
#include "../common/fsutil.h"
#include "../orchestrator/state.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int volume_drop(sqlite3 *db, const char *root, const char *name, struct lerr *e)
{
	char dir[4096];
	const char *p[] = { name };
	if (state_exec(db, e, "DELETE FROM volumes WHERE name = ?", 1, p) < 0 ||
	    state_exec(db, e, "DELETE FROM volume_refs WHERE volume = ?", 1, p) < 0)
		return -1;
	snprintf(dir, sizeof dir, "%s/volumes/%s", root, name);
	if (rm_rf(dir) < 0 && errno != ENOENT)
		return lerr_sys(e, "removing %s", dir);
	state_event(db, "volume", "destroy", name, NULL);
	return 0;
}

int volume_drop_anonymous(sqlite3 *db, const char *root, const char *jail, struct lerr *e)
{
	sqlite3_stmt *st;
	/* Names first: dropping one deletes rows the query walks. */
	if (sqlite3_prepare_v2(db, "SELECT r.volume FROM volume_refs r WHERE r.jail = ?1 AND r.anonymous = 1"
				   " AND NOT EXISTS (SELECT 1 FROM volume_refs o JOIN jails j ON j.id = o.jail"
				   " WHERE o.volume = r.volume)", -1, &st, NULL) != SQLITE_OK)
		return 0; /* no volume_refs table: no volume was ever used */
	sqlite3_bind_text(st, 1, jail, -1, SQLITE_TRANSIENT);
	char **names = NULL;
	int n = 0, rc = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		char **m = realloc(names, (size_t)(n + 1) * sizeof *names);
		if (!m)
			break;
		names = m;
		names[n++] = strdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	for (int i = 0; i < n; i++) {
		if (names[i] && volume_drop(db, root, names[i], e) < 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}
