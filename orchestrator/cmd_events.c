/* events: the recorded events (jail create/start/kill/oom/die/stop/
 * destroy/exec_*, image pull/tag/untag/delete/import/load/save, volume
 * and network ones, ...), then, without --until, the new ones as they
 * are recorded (the table is polled: lochs has no daemon to push them). */
#include "cli.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* A --since/--until value as the table's text time: Unix seconds, a
 * duration before now ("10m", "2h", "30s"), or an RFC 3339 date/time. */
static int parse_when(const char *v, char out[40])
{
	char *end;
	double d = strtod(v, &end);
	if (end != v && (!*end || (strchr("smh", *end) && !end[1]))) {
		struct timespec now;
		clock_gettime(CLOCK_REALTIME, &now);
		double at = *end ? (double)now.tv_sec + now.tv_nsec / 1e9 - d * (*end == 'h' ? 3600 : *end == 'm' ? 60 : 1) : d;
		time_t t = (time_t)at;
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(out, 40, "%Y-%m-%dT%H:%M:%S", &tm);
		snprintf(out + strlen(out), 20, ".%03dZ", (int)((at - (double)t) * 1000));
		return 0;
	}
	struct tm tm = { 0 };
	const char *rest = strptime(v, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!rest)
		rest = strptime(v, "%Y-%m-%d", &tm);
	if (rest && (!*rest || !strcmp(rest, "Z"))) { /* the table's own format, so text order is time order */
		strftime(out, 40, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
		return 0;
	}
	return -1;
}

struct filter {
	const char *type, *action, *id;
};

static void print_event(sqlite3_stmt *st, int json)
{
	const char *time = (const char *)sqlite3_column_text(st, 1), *type = (const char *)sqlite3_column_text(st, 2);
	const char *action = (const char *)sqlite3_column_text(st, 3), *id = (const char *)sqlite3_column_text(st, 4);
	const char *name = (const char *)sqlite3_column_text(st, 6);
	json_t *attrs = json_loads((const char *)sqlite3_column_text(st, 5), 0, NULL);
	if (!json_is_object(attrs)) {
		json_decref(attrs);
		attrs = json_object();
	}
	if (name && !json_object_get(attrs, "name"))
		json_object_set_new(attrs, "name", json_string(name));
	if (json) {
		json_t *o = json_pack("{s:s, s:s, s:s, s:{s:s, s:O}, s:s}", "Type", type, "Action", action, "time", time,
				      "Actor", "ID", id, "Attributes", attrs, "id", id);
		char *t = json_dumps(o, JSON_COMPACT);
		printf("%s\n", t);
		free(t);
		json_decref(o);
	} else {
		printf("%s %s %s %s", time, type, action, id);
		const char *k;
		json_t *v;
		int first = 1;
		json_object_foreach(attrs, k, v) {
			char *t = json_is_string(v) ? NULL : json_dumps(v, JSON_ENCODE_ANY);
			printf("%s%s=%s", first ? " (" : ", ", k, t ? t : json_string_value(v));
			free(t);
			first = 0;
		}
		printf("%s\n", first ? "" : ")");
	}
	json_decref(attrs);
	fflush(stdout);
}

/* Prints the events after *seq up to until; *seq gets the last one. */
static int print_range(sqlite3 *db, long long *seq, const char *since, const char *until, const struct filter *f,
		       int json, struct lerr *e)
{
	sqlite3_stmt *st;
	const char *sql = "SELECT e.seq, e.time, e.type, e.action, e.id, e.attrs,"
			  " coalesce((SELECT name FROM jails j WHERE j.id = e.id), (SELECT json_extract(x.attrs, '$.name') FROM events x"
			  "  WHERE x.id = e.id AND x.type = e.type AND json_extract(x.attrs, '$.name') IS NOT NULL"
			  "  ORDER BY x.seq DESC LIMIT 1))"
			  " FROM events e WHERE e.seq > ?1 AND (?2 IS NULL OR e.time >= ?2) AND (?3 IS NULL OR e.time <= ?3)"
			  " AND (?4 IS NULL OR e.type = ?4) AND (?5 IS NULL OR e.action = ?5 OR substr(e.action, 1, length(?5) + 1) = ?5 || ':')"
			  " AND (?6 IS NULL OR substr(e.id, 1, length(?6)) = ?6 OR json_extract(e.attrs, '$.name') = ?6"
			  "      OR e.id IN (SELECT id FROM jails WHERE name = ?6)) ORDER BY e.seq";
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return lerr_set(e, LX_LOCHS, "state database: %s", sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, *seq);
	const char *v[] = { since, until, f->type, f->action, f->id };
	for (int i = 0; i < 5; i++)
		if (v[i])
			sqlite3_bind_text(st, i + 2, v[i], -1, SQLITE_TRANSIENT);
	while (sqlite3_step(st) == SQLITE_ROW) {
		*seq = sqlite3_column_int64(st, 0);
		print_event(st, json);
	}
	sqlite3_finalize(st);
	return 0;
}

static int cmd_events(struct cli *c, int argc, char **argv, struct lerr *e)
{
	char since_s[40], until_s[40];
	const char *since = NULL, *until = NULL;
	struct filter f = { 0 };
	int json = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v)
			return lerr_usage(e, "events", "unknown flag or missing value: %s", a);
		i++;
		if (!strcmp(a, "--since")) {
			if (parse_when(v, since_s) < 0)
				return lerr_usage(e, "events", "invalid time '%s'", v);
			since = since_s;
		} else if (!strcmp(a, "--until")) {
			if (parse_when(v, until_s) < 0)
				return lerr_usage(e, "events", "invalid time '%s'", v);
			until = until_s;
		} else if (!strcmp(a, "--filter") || !strcmp(a, "-f")) {
			if (!strncmp(v, "type=", 5))
				f.type = !strcmp(v + 5, "container") ? "jail" : v + 5;
			else if (!strncmp(v, "event=", 6))
				f.action = v + 6;
			else if (!strncmp(v, "jail=", 5) || !strncmp(v, "container=", 10) || !strncmp(v, "volume=", 7) ||
				 !strncmp(v, "image=", 6) || !strncmp(v, "network=", 8))
				f.id = strchr(v, '=') + 1;
			else
				return lerr_usage(e, "events", "invalid filter '%s' (type=, event=, jail=, image=, volume=, network=)", v);
		} else if (!strcmp(a, "--format") && (!strcmp(v, "json") || !strcmp(v, "table"))) {
			json = !strcmp(v, "json");
		} else
			return lerr_usage(e, "events", "unknown flag %s", a);
	}
	sqlite3 *db = cli_db(c, e);
	long long seq = 0;
	if (!db || print_range(db, &seq, since, until, &f, json, e) < 0)
		return -1;
	while (!until) { /* follow, as docker events does without --until */
		usleep(200000);
		if (print_range(db, &seq, since, NULL, &f, json, e) < 0)
			return -1;
	}
	return 0;
}
LOCHS_COMMAND(events, "events", cmd_events,
	      "events [--since TIME] [--until TIME] [--filter type=jail|image|volume|network] [--filter event=ACTION]"
	      " [--filter jail=|image=|volume=|network=NAME] [--format json]",
	      "Show events (follows new ones unless --until is given)");
