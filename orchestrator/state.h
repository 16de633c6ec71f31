/* The state store: one SQLite database (WAL) at ROOT/lochs.db holding the
 * jails, volumes and events. Several lochs processes may use it at once:
 * every change is one transaction, writers wait (busy timeout) instead of
 * failing. Image tags live in the OCI layout's index.json (imagestore.h). */
#pragma once
#include <sqlite3.h>
#include "../common/err.h"

/* Opens (creating and migrating) ROOT/lochs.db. */
sqlite3 *state_open(const char *root, struct lerr *e);
void state_close(sqlite3 *db);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK. */
int state_begin(sqlite3 *db, struct lerr *e);
int state_commit(sqlite3 *db, struct lerr *e);
void state_rollback(sqlite3 *db);

/* Runs one statement with text parameters (NULL = SQL NULL); 0 or -1. */
int state_exec(sqlite3 *db, struct lerr *e, const char *sql, int nparams, const char *const *params);

/* Records an event (lochs events): type "jail"/"image"/"volume", action
 * "create"/"start"/"die"/..., the object's id and a JSON attrs text. */
void state_event(sqlite3 *db, const char *type, const char *action, const char *id, const char *attrs);
