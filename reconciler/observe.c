/* Observed state: the jail records, checked against the kernel. */
#include "reconciler.h"
#include "../orchestrator/monitor_spawn.h"
#include "../orchestrator/state.h"
#include "../netplane/firewall.h"
#include "liveness.h"
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

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

/* The state letter and parent pid of pid from /proc/PID/stat; 0 when
 * it cannot be read. */
static int stat_of(int pid, char *state)
{
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	FILE *f = fopen(path, "re");
	size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
	if (f)
		fclose(f);
	buf[n] = 0;
	const char *close = strrchr(buf, ')');
	int ppid = 0;
	*state = 0;
	return close && sscanf(close + 1, " %c %d", state, &ppid) == 2 ? ppid : 0;
}

static int parent_of(int pid)
{
	char st;
	return stat_of(pid, &st);
}

static int stopped(int pid)
{
	char st;
	stat_of(pid, &st);
	return st == 'T' || st == 't';
}

/* Whether /proc/A/what and /proc/B/what are the same object. */
static int same(int a, int b, const char *what)
{
	char pa[64], pb[64];
	struct stat sa, sb;
	snprintf(pa, sizeof pa, "/proc/%d/%s", a, what);
	snprintf(pb, sizeof pb, "/proc/%d/%s", b, what);
	return stat(pa, &sa) == 0 && stat(pb, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Why a running record's jail is not whole in the kernel, or NULL. */
static const char *kernel_check(const struct observed_jail *o, int host_net, char *why, size_t size)
{
	char path[64], text[4096];
	snprintf(path, sizeof path, "/proc/%d/cgroup", o->pid);
	FILE *f = fopen(path, "re");
	size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
	if (f)
		fclose(f);
	text[n] = 0;
	struct jail_facts k = { .pid_alive = proc_running(o->pid), .ppid = parent_of(o->pid), .monitor_pid = o->monitor_pid,
				.cgroups = f ? text : NULL, .id = o->id, .host_network = host_net };
	k.monitor_stopped = (!k.pid_alive || k.ppid != k.monitor_pid) && stopped(o->monitor_pid);
	if (k.pid_alive && k.ppid == k.monitor_pid) {
		k.netns_shared = same(o->pid, o->monitor_pid, "ns/net");
		k.root_shared = same(o->pid, o->monitor_pid, "root/");
	}
	return jail_broken(&k, why, size);
}

/* A verdict a monitor busy with its jail (pid 1 just exited, not yet
 * reaped and recorded) would also get: broken only when the record still
 * names the same pid and monitor after a while, as a monitor records
 * within milliseconds. */
static int still_broken(sqlite3 *db, const struct observed_jail *o, int host_net, char *why, size_t size)
{
	for (int t = 0; t < 15; t++) {
		nanosleep(&(struct timespec){ 0, 20 * 1000 * 1000 }, NULL);
		sqlite3_stmt *st;
		int same_row = 0;
		if (sqlite3_prepare_v2(db, "SELECT 1 FROM jails WHERE id = ? AND state IN ('running', 'paused')"
					   " AND pid = ? AND monitor_pid = ?", -1, &st, NULL) != SQLITE_OK)
			return 0;
		sqlite3_bind_text(st, 1, o->id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(st, 2, o->pid);
		sqlite3_bind_int(st, 3, o->monitor_pid);
		same_row = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_finalize(st);
		if (!same_row || !kernel_check(o, host_net, why, size))
			return 0;
	}
	return 1;
}

/* Ends what is left of a broken jail: its monitor first (so it restarts
 * nothing), then its pid 1 when it still is the monitor's child (the
 * whole PID namespace goes with it), then what is in its cgroups. */
static void end_broken(const struct observed_jail *o)
{
	int child = parent_of(o->pid) == o->monitor_pid && proc_running(o->pid);
	kill(o->monitor_pid, SIGKILL);
	for (int t = 0; t < 100 && monitor_alive(o->monitor_pid); t++)
		nanosleep(&(struct timespec){ 0, 10 * 1000 * 1000 }, NULL);
	if (child)
		kill(o->pid, SIGKILL);
	monitor_remains_clean(o->id);
}

int observe_jails(sqlite3 *db, const char *project, struct observed_jail **out, int *n, struct lerr *e)
{
	sqlite3_stmt *st;
	const char *sql = "SELECT id, name, config_hash, state, project, service, monitor_pid, pid,"
			  " coalesce(exit_code, -1), coalesce(json_extract(spec, '$.network'), '') = 'host', stopped_by_user FROM jails WHERE ?1 IS NULL OR project = ?1 ORDER BY created";
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return lerr_set(e, LX_LOCHS, "state database: %s", sqlite3_errmsg(db));
	if (project)
		sqlite3_bind_text(st, 1, project, -1, SQLITE_TRANSIENT);
	int cap = 16, cnt = 0;
	struct observed_jail *v = malloc((size_t)cap * sizeof *v);
	char *host_net = malloc((size_t)cap);
	while (v && host_net && sqlite3_step(st) == SQLITE_ROW) {
		if (cnt == cap) {
			struct observed_jail *nv = realloc(v, (size_t)(cap * 2) * sizeof *v);
			char *nh = nv ? realloc(host_net, (size_t)(cap * 2)) : NULL;
			if (nv)
				v = nv;
			if (!nh)
				break;
			host_net = nh, cap *= 2;
		}
		host_net[cnt] = (char)sqlite3_column_int(st, 9);
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
		o->stopped_by_user = sqlite3_column_int(st, 10);
		o->monitor_alive = monitor_alive(o->monitor_pid);
	}
	sqlite3_finalize(st);
	if (!v || !host_net) {
		free(v), free(host_net);
		return lerr_set(e, LX_LOCHS, "out of memory");
	}
	/* Repair: a record claiming to run without its monitor, or whose
	 * monitor lives while the kernel shows its jail partly gone. */
	int ports = 0;
	for (int i = 0; i < cnt; i++) {
		char why[160], attrs[300];
		if (strcmp(v[i].state, "running") && strcmp(v[i].state, "paused"))
			continue;
		if (!v[i].monitor_alive)
			snprintf(why, sizeof why, "monitor gone");
		else if (!kernel_check(&v[i], host_net[i], why, sizeof why) || !still_broken(db, &v[i], host_net[i], why, sizeof why))
			continue;
		else
			end_broken(&v[i]);
		v[i].monitor_alive = 0;
		const char *p[] = { v[i].id };
		state_exec(db, NULL, "UPDATE jails SET state = 'exited', pid = 0, monitor_pid = 0,"
			   " finished = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ? AND state IN ('running', 'paused')", 1, p);
		snprintf(v[i].state, sizeof v[i].state, "exited");
		monitor_remains_clean(v[i].id);
		json_t *a = json_pack("{s:s}", "reason", why);
		char *txt = a ? json_dumps(a, JSON_COMPACT) : NULL;
		snprintf(attrs, sizeof attrs, "%s", txt ? txt : "{}");
		free(txt);
		json_decref(a);
		state_event(db, "jail", "die", v[i].id, attrs);
		ports |= has_ports(db, v[i].id);
	}
	/* A crashed jail's ports are forwarded no more (only running ones are). */
	struct lerr ignored;
	if (ports)
		firewall_sync(db, &ignored);
	free(host_net);
	*out = v;
	*n = cnt;
	return 0;
}
