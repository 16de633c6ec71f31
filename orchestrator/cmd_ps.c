/* ps and inspect: the jail records, observed (dead monitors repaired). */
#include "cli.h"
#include "jailops.h"
#include "jailnet.h"
#include "compose_jails.h"
#include "../netplane/ports.h"
#include "../reconciler/reconciler.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* State.Health {Status, FailingStreak} while the jail has a health check. */
static void health_json(sqlite3 *db, const char *id, json_t *state)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT status, failing FROM health WHERE jail = ?", -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW)
		json_object_set_new(state, "Health", json_pack("{s:s, s:i}", "Status", (const char *)sqlite3_column_text(st, 0),
								"FailingStreak", sqlite3_column_int(st, 1)));
	sqlite3_finalize(st);
}

/* One jail record as JSON (Docker inspect's main fields). */
static json_t *jail_json(sqlite3 *db, const char *id)
{
	sqlite3_stmt *st;
	sqlite3_prepare_v2(db, "SELECT id, name, image, image_ref, spec, config_hash, state, pid, monitor_pid,"
			       " exit_code, oom, restart_count, created, started, finished, project, service"
			       " FROM jails WHERE id = ?", -1, &st, NULL);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	json_t *o = NULL;
	if (sqlite3_step(st) == SQLITE_ROW) {
#define T(i) ((const char *)sqlite3_column_text(st, i) ? (const char *)sqlite3_column_text(st, i) : "")
		json_t *spec = json_loads(T(4), 0, NULL);
		const char *state = T(6);
		o = json_pack("{s:s, s:s, s:s, s:{s:s, s:b, s:i, s:o, s:b, s:s, s:s, s:i}, s:s, s:s, s:o,"
			      " s:{s:s, s:s}, s:i}",
			      "Id", T(0), "Name", T(1), "Image", T(2),
			      "State", "Status", state, "Running", !strcmp(state, "running") || !strcmp(state, "paused"),
			      "Pid", sqlite3_column_int(st, 7),
			      "ExitCode", sqlite3_column_type(st, 9) == SQLITE_NULL ? json_null() : json_integer(sqlite3_column_int(st, 9)),
			      "OOMKilled", sqlite3_column_int(st, 10), "StartedAt", T(13), "FinishedAt", T(14),
			      "MonitorPid", sqlite3_column_int(st, 8),
			      "Created", T(12), "ConfigHash", T(5), "Config", spec ? spec : json_object(),
			      "Labels", "com.lochs.project", T(15), "com.lochs.service", T(16),
			      "RestartCount", sqlite3_column_int(st, 11));
		json_object_set_new(o, "ImageRef", json_string(T(3)));
		json_object_set_new(json_object_get(o, "State"), "Paused", json_boolean(!strcmp(state, "paused")));
		health_json(db, id, json_object_get(o, "State"));
#undef T
	}
	sqlite3_finalize(st);
	return o;
}

static int cmd_inspect(struct cli *c, int argc, char **argv, struct lerr *e)
{
	if (argc < 2)
		return lerr_usage(e, "inspect", "at least one jail is required");
	sqlite3 *db = cli_db(c, e);
	struct observed_jail *have;
	int n;
	if (!db || observe_jails(db, NULL, &have, &n, e) < 0)
		return -1;
	free(have);
	json_t *all = json_array();
	int rc = 0;
	for (int i = 1; i < argc; i++) {
		char id[65];
		struct lerr one = { 0 };
		json_t *o = jail_lookup(c, argv[i], id, &one) < 0 ? NULL : jail_json(db, id);
		if (o) {
			jailnet_inspect(c, id, o);
			jail_mounts_inspect(c, id, o);
		}
		if (!o) {
			if (!one.msg[0])
				lerr_set(&one, LX_LOCHS, "no such jail: %s", argv[i]);
			cli_each_error(e, &one, &rc);
			continue;
		}
		json_array_append_new(all, o);
	}
	char *text = json_dumps(all, JSON_INDENT(4));
	printf("%s\n", text);
	free(text);
	json_decref(all);
	return rc ? -1 : 0;
}
LOCHS_COMMAND(inspect, "inspect", cmd_inspect, "inspect JAIL...", "Show jails' low-level information as JSON");

/* Docker's PORTS column: "0.0.0.0:18080->8080/tcp, ...". */
void ports_text(sqlite3 *db, const char *id, char *out, size_t size)
{
	struct np_binding *b;
	int n;
	struct lerr ignored;
	*out = 0;
	if (ports_list(db, id, &b, &n, &ignored) < 0)
		return;
	for (int i = 0; i < n; i++) {
		size_t len = strlen(out);
		const char *ip = *b[i].host_ip ? b[i].host_ip : "0.0.0.0";
		int v6 = strchr(ip, ':') != NULL;
		snprintf(out + len, size - len, "%s%s%s%s:%d->%d/%s", i ? ", " : "", v6 ? "[" : "", ip, v6 ? "]" : "",
			 b[i].host_port, b[i].jail_port, b[i].proto);
	}
	free(b);
}

/* "Up 3 seconds" / "Exited (0) 2 minutes ago" / "Created". */
static void status_text(const json_t *o, char *out, size_t size)
{
	json_t *s = json_object_get(o, "State");
	const char *st = json_string_value(json_object_get(s, "Status"));
	const char *health = json_string_value(json_object_get(json_object_get(s, "Health"), "Status"));
	if (!strcmp(st, "running") || !strcmp(st, "paused"))
		snprintf(out, size, "Up %s%s%s%ssince %s", !strcmp(st, "paused") ? "(Paused) " : "", health ? "(" : "",
			 health ? health : "", health ? ") " : "", json_string_value(json_object_get(s, "StartedAt")));
	else if (!strcmp(st, "exited"))
		snprintf(out, size, "Exited (%lld)%s", (long long)json_integer_value(json_object_get(s, "ExitCode")),
			 json_is_true(json_object_get(s, "OOMKilled")) ? " OOM" : "");
	else
		snprintf(out, size, "Created");
}

static int cmd_ps(struct cli *c, int argc, char **argv, struct lerr *e)
{
	int all = 0, quiet = 0, json = 0;
	for (int i = 1; i < argc; i++) {
		int f = cli_format_flag("ps", argc, argv, &i, &json, e);
		if (f < 0)
			return -1;
		if (f)
			continue;
		if (!strcmp(argv[i], "-a") || !strcmp(argv[i], "--all"))
			all = 1;
		else if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet"))
			quiet = 1;
		else if (!strcmp(argv[i], "-aq") || !strcmp(argv[i], "-qa"))
			all = quiet = 1;
		else
			return lerr_usage(e, "ps", "unknown flag %s", argv[i]);
	}
	sqlite3 *db = cli_db(c, e);
	struct observed_jail *have;
	int n;
	if (!db || observe_jails(db, NULL, &have, &n, e) < 0)
		return -1;
	if (!quiet && !json)
		printf("%-12s  %-20s  %-24s  %-28s  %-24s  %s\n", "JAIL ID", "IMAGE", "COMMAND", "STATUS", "PORTS", "NAMES");
	for (int i = 0; i < n; i++) {
		if (!all && strcmp(have[i].state, "running") && strcmp(have[i].state, "paused"))
			continue;
		if (quiet) {
			printf("%.12s\n", have[i].id);
			continue;
		}
		json_t *o = jail_json(db, have[i].id);
		if (!o)
			continue;
		char ports[2048];
		ports_text(db, have[i].id, ports, sizeof ports);
		if (json) {
			json_object_set_new(o, "Ports", json_string(ports));
			char *t = json_dumps(o, JSON_COMPACT);
			printf("%s\n", t);
			free(t);
		} else {
			char status[128], cmd[256] = "";
			status_text(o, status, sizeof status);
			json_t *argvj = json_object_get(json_object_get(o, "Config"), "command");
			size_t k;
			json_t *a;
			json_array_foreach(argvj, k, a)
				snprintf(cmd + strlen(cmd), sizeof cmd - strlen(cmd), "%s%s", k ? " " : "", json_string_value(a));
			printf("%.12s  %-20.20s  \"%-.22s\"  %-28.28s  %-24s  %s\n", have[i].id,
			       json_string_value(json_object_get(o, "ImageRef")), cmd, status, ports, have[i].name);
		}
		json_decref(o);
	}
	free(have);
	return 0;
}
LOCHS_COMMAND(ps, "ps", cmd_ps, "ps [-a] [-q] [--format json|table]", "List jails");
