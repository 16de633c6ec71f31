/* The monitor's state database writes. Each runs in a short-lived child:
 * the resident monitor never pages SQLite in, which keeps an idle
 * monitor's RSS near libc's (the budget is a few MiB with its jail).
 * Writes are rare (start, exit, restart), a fork costs about a ms. */
#include "monitor.h"
#include "../state.h"
#include "../../volumes/volume_drop.h"
#include <errno.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

/* The child's exit status (0..254), or -1 (255: it failed). */
static int wait_child(pid_t pid)
{
	int st;
	if (pid < 0)
		return -1;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) && WEXITSTATUS(st) != 255 ? WEXITSTATUS(st) : -1;
}

/* Runs sql (n text parameters, the jail id appended as the last) and
 * records event (NULL: none); with query, the child's exit status is the
 * first column of its first row (0..255). Returns that or -1. */
static int db_child(struct mon *m, const char *sql, int n, const char *const *params, const char *event,
		    const char *attrs, int query)
{
	pid_t pid = fork();
	if (pid == 0) {
		struct lerr e;
		sqlite3 *db = state_open(m->root, &e);
		int rc = 0;
		if (!db) {
			fprintf(stderr, "lochs-monitor: %s\n", e.msg);
			_exit(255);
		}
		const char *p[8];
		for (int i = 0; i < n && i < 7; i++)
			p[i] = params[i];
		p[n] = m->id;
		if (sql && query) {
			sqlite3_stmt *st;
			if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
				for (int i = 0; i <= n; i++)
					sqlite3_bind_text(st, i + 1, p[i], -1, SQLITE_STATIC);
				if (sqlite3_step(st) == SQLITE_ROW)
					rc = sqlite3_column_int(st, 0) & 0xff;
				sqlite3_finalize(st);
			}
		} else if (sql && state_exec(db, &e, sql, n + 1, p) < 0) {
			fprintf(stderr, "lochs-monitor: %s\n", e.msg);
			rc = 1;
		}
		if (event)
			state_event(db, "jail", event, m->id, attrs);
		state_close(db);
		_exit(rc);
	}
	return wait_child(pid);
}

int mdb_exec(struct mon *m, const char *sql, int n, const char *const *params, const char *event, const char *attrs)
{
	return db_child(m, sql, n, params, event, attrs, 0);
}

int mdb_query_int(struct mon *m, const char *sql)
{
	return db_child(m, sql, 0, NULL, NULL, NULL, 1);
}

/* run --rm: the jail's row, addresses and ports go in one child and one
 * transaction (the client waits for this: one fork, not four), then its
 * anonymous volumes. */
int mdb_remove(struct mon *m, const char *die_attrs)
{
	pid_t pid = fork();
	if (pid == 0) {
		struct lerr e;
		sqlite3 *db = state_open(m->root, &e);
		if (!db)
			_exit(255);
		const char *p[1] = { m->id };
		int ports = 0;
		sqlite3_stmt *st;
		state_exec(db, &e, "BEGIN IMMEDIATE", 0, NULL);
		if (sqlite3_prepare_v2(db, "SELECT count(*) > 0 FROM port_bindings WHERE jail = ?", -1, &st, NULL) == SQLITE_OK) {
			sqlite3_bind_text(st, 1, m->id, -1, SQLITE_STATIC);
			ports = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
			sqlite3_finalize(st);
		}
		int rc = state_exec(db, &e, "DELETE FROM jails WHERE id = ?", 1, p) < 0 ||
			 state_exec(db, &e, "DELETE FROM ip_allocations WHERE owner = ?", 1, p) < 0 ||
			 state_exec(db, &e, "DELETE FROM port_bindings WHERE jail = ?", 1, p) < 0;
		if (!rc) {
			state_event(db, "jail", "die", m->id, die_attrs);
			state_event(db, "jail", "destroy", m->id, NULL);
		}
		state_exec(db, &e, rc ? "ROLLBACK" : "COMMIT", 0, NULL);
		/* Its anonymous volumes go too, as with Docker's --rm (after the
		 * commit: data is never deleted under a record that stays). */
		if (!rc)
			volume_drop_anonymous(db, m->root, m->id, &e);
		state_close(db);
		_exit(rc ? 255 : ports);
	}
	return wait_child(pid);
}
