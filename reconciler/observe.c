/* Observed state: the jail records, checked against the kernel. */
#include "reconciler.h"
#include "../orchestrator/monitor_spawn.h"
#include "../orchestrator/state.h"
#include "../netplane/firewall.h"
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void copy(char *dst, size_t size, const unsigned char *src)
{
	snprintf(dst, size, "%s", src ? (const char *)src : "");
}

static int has_ports(sqlite3 *db, const char *id)
{
	sqlite3_stmt *st;
	int n = 0;
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM port_bindings WHERE jail = ?", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
		n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
		sqlite3_finalize(st);
	}
	return n > 0;
}

int observe_jails(sqlite3 *db, const char *project, struct observed_jail **out, int *n, struct lerr *e)
{
	sqlite3_stmt *st;
	const char *sql = "SELECT id, name, config_hash, state, project, service, monitor_pid, pid,"
			  " coalesce(exit_code, -1) FROM jails WHERE ?1 IS NULL OR project = ?1 ORDER BY created";
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return lerr_set(e, LX_LOCHS, "state database: %s", sqlite3_errmsg(db));
	if (project)
		sqlite3_bind_text(st, 1, project, -1, SQLITE_TRANSIENT);
	int cap = 16, cnt = 0;
	struct observed_jail *v = malloc((size_t)cap * sizeof *v);
	while (v && sqlite3_step(st) == SQLITE_ROW) {
		if (cnt == cap) {
			struct observed_jail *nv = realloc(v, (size_t)(cap *= 2) * sizeof *v);
			if (!nv)
				break;
			v = nv;
		}
		struct observed_jail *o = &v[cnt++];
		memset(o, 0, sizeof *o);
		copy(o->id, sizeof o->id, sqlite3_column_text(st, 0));
		copy(o->name, sizeof o->name, sqlite3_column_text(st, 1));
		copy(o->config_hash, sizeof o->config_hash, sqlite3_column_text(st, 2));
		copy(o->state, sizeof o->state, sqlite3_column_text(st, 3));
		copy(o->project, sizeof o->project, sqlite3_column_text(st, 4));
		copy(o->service, sizeof o->service, sqlite3_column_text(st, 5));
		o->monitor_pid = sqlite3_column_int(st, 6);
		o->pid = sqlite3_column_int(st, 7);
		o->exit_code = sqlite3_column_int(st, 8);
		o->monitor_alive = monitor_alive(o->monitor_pid);
	}
	sqlite3_finalize(st);
	if (!v)
		return lerr_set(e, LX_LOCHS, "out of memory");
	/* Repair: a record claiming to run without its monitor. */
	int ports = 0;
	for (int i = 0; i < cnt; i++) {
		if ((strcmp(v[i].state, "running") && strcmp(v[i].state, "paused")) || v[i].monitor_alive)
			continue;
		const char *p[] = { v[i].id };
		state_exec(db, NULL, "UPDATE jails SET state = 'exited', pid = 0, monitor_pid = 0,"
			   " finished = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ? AND state IN ('running', 'paused')", 1, p);
		snprintf(v[i].state, sizeof v[i].state, "exited");
		monitor_remains_clean(v[i].id);
		state_event(db, "jail", "die", v[i].id, "{\"reason\":\"monitor gone\"}");
		ports |= has_ports(db, v[i].id);
	}
	/* A crashed jail's ports are forwarded no more (only running ones are). */
	struct lerr ignored;
	if (ports)
		firewall_sync(db, &ignored);
	*out = v;
	*n = cnt;
	return 0;
}
