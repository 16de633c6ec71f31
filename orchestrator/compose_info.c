/* compose ps, top and events: the project's jails as lochs ps, top and
 * events show them, restricted to the project. */
#include "compose_jails.h"
#include "../reconciler/reconciler.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* "running (healthy)", "exited (1)", "created". */
static void status(sqlite3 *db, const struct observed_jail *j, char *out, size_t size)
{
	sqlite3_stmt *st;
	const char *health = NULL;
	if (sqlite3_prepare_v2(db, "SELECT status FROM health WHERE jail = ?", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, j->id, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) == SQLITE_ROW)
			health = (const char *)sqlite3_column_text(st, 0);
		snprintf(out, size, "%s%s%s%s", j->state, health ? " (" : "", health ? health : "", health ? ")" : "");
		sqlite3_finalize(st);
	} else {
		snprintf(out, size, "%s", j->state);
	}
	if (!strcmp(j->state, "exited"))
		snprintf(out, size, "exited (%d)", j->exit_code);
}

/* ps [-q] [-a]: NAME, SERVICE, STATUS (with health), PORTS; every jail of
 * the project (stopped ones too, as Compose's ps -a; -a is accepted). */
int compose_ps(struct cli *c, const struct compose_project *p, int argc, char **argv, struct lerr *e)
{
	int quiet = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet"))
			quiet = 1;
		else if (strcmp(argv[i], "-a") && strcmp(argv[i], "--all"))
			return lerr_usage(e, "compose ps", "unknown argument %s", argv[i]);
	}
	sqlite3 *db = cli_db(c, e);
	struct observed_jail *have = NULL;
	int n = 0;
	if (!db || observe_jails(db, p->name, &have, &n, e) < 0)
		return -1;
	if (!quiet)
		printf("%-32s %-16s %-20s %s\n", "NAME", "SERVICE", "STATUS", "PORTS");
	for (int i = 0; i < n; i++) {
		char st[64], pt[1024];
		if (quiet) {
			printf("%s\n", have[i].id);
			continue;
		}
		status(db, &have[i], st, sizeof st);
		ports_text(db, have[i].id, pt, sizeof pt);
		printf("%-32s %-16s %-20s %s\n", have[i].name, have[i].service, st, pt);
	}
	free(have);
	return 0;
}

/* top [SERVICE...]: each running jail's processes under its name. */
int compose_top(struct cli *c, const struct compose_project *p, int argc, char **argv, struct lerr *e)
{
	sqlite3 *db = cli_db(c, e);
	struct observed_jail *have = NULL;
	int n = 0, rc = 0;
	for (int i = 1; i < argc; i++)
		if (argv[i][0] == '-' || !compose_service((struct compose_project *)p, argv[i]))
			return lerr_set(e, LX_LOCHS, "no such service: %s", argv[i]);
	if (!db || observe_jails(db, p->name, &have, &n, e) < 0)
		return -1;
	for (int i = 0, first = 1; i < n && rc == 0; i++) {
		int want = argc < 2;
		for (int k = 1; k < argc; k++)
			want |= !strcmp(argv[k], have[i].service);
		if (!want || strcmp(have[i].state, "running"))
			continue;
		printf("%s%s\n", first ? "" : "\n", have[i].name);
		fflush(stdout);
		first = 0;
		char *args[] = { "top", have[i].id, NULL };
		rc = cli_run(c, 2, args, e);
	}
	free(have);
	return rc;
}

/* The project's jail events after *seq (its jails now, and removed ones by
 * their PROJECT-SERVICE-N names); *seq gets the last. */
static int events_after(sqlite3 *db, const struct compose_project *p, long long *seq, int json, struct lerr *e)
{
	sqlite3_stmt *st;
	const char *sql =
		"SELECT e.seq, e.time, e.action, e.id, coalesce((SELECT name FROM jails j WHERE j.id = e.id),"
		"  (SELECT json_extract(x.attrs, '$.name') FROM events x WHERE x.id = e.id AND x.type = 'jail'"
		"   AND json_extract(x.attrs, '$.name') IS NOT NULL ORDER BY x.seq DESC LIMIT 1)) AS name"
		" FROM events e WHERE e.seq > ?1 AND e.type = 'jail' AND (e.id IN (SELECT id FROM jails WHERE project = ?2)"
		"  OR name GLOB ?2 || '-*-[0-9]*') ORDER BY e.seq";
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return lerr_set(e, LX_LOCHS, "state database: %s", sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, *seq);
	sqlite3_bind_text(st, 2, p->name, -1, SQLITE_TRANSIENT);
	while (sqlite3_step(st) == SQLITE_ROW) {
		*seq = sqlite3_column_int64(st, 0);
		const char *t = (const char *)sqlite3_column_text(st, 1), *a = (const char *)sqlite3_column_text(st, 2);
		const char *id = (const char *)sqlite3_column_text(st, 3), *name = (const char *)sqlite3_column_text(st, 4);
		if (json)
			printf("{\"time\":\"%s\",\"type\":\"container\",\"action\":\"%s\",\"id\":\"%s\",\"name\":\"%s\"}\n",
			       t, a, id, name ? name : "");
		else
			printf("%s container %s %s (name=%s)\n", t, a, id, name ? name : "");
	}
	sqlite3_finalize(st);
	fflush(stdout);
	return 0;
}

/* events [--json]: the project's jail events so far, then new ones as
 * they come (polled: there is no daemon to push them). */
int compose_events(struct cli *c, const struct compose_project *p, int argc, char **argv, struct lerr *e)
{
	int json = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json"))
			return lerr_usage(e, "compose events", "unknown argument %s", argv[i]);
		json = 1;
	}
	sqlite3 *db = cli_db(c, e);
	long long seq = 0;
	for (;;) {
		if (!db || events_after(db, p, &seq, json, e) < 0)
			return -1;
		usleep(200000);
	}
}
