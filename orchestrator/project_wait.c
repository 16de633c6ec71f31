/* See project_wait.h. The monitors write state and health; this reads
 * them every 100 ms. */
#include "project_wait.h"
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* 1 met, 0 not yet, -1 never (e set); the jails of the project's service,
 * or (project NULL) the jail named service. */
static int check(sqlite3 *db, const char *project, const char *service, enum dep_condition cond, long long waited,
		 struct lerr *e)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT j.name, j.state, coalesce(j.exit_code, -1), h.status FROM jails j"
				   " LEFT JOIN health h ON h.jail = j.id WHERE ?1 IS NULL AND j.name = ?2"
				   " OR j.project = ?1 AND j.service = ?2",
			       -1, &st, NULL) != SQLITE_OK)
		return lerr_set(e, LX_LOCHS, "state database: %s", sqlite3_errmsg(db));
	if (project)
		sqlite3_bind_text(st, 1, project, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, service, -1, SQLITE_TRANSIENT);
	int met = 1, rows = 0, rc = 0;
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0), *state = (const char *)sqlite3_column_text(st, 1);
		const char *health = (const char *)sqlite3_column_text(st, 3);
		int code = sqlite3_column_int(st, 2), up = !strcmp(state, "running") || !strcmp(state, "paused");
		rows++;
		if (cond == DEP_COMPLETED) {
			if (!strcmp(state, "exited") && code != 0)
				rc = lerr_set(e, LX_LOCHS, "dependency %s exited with %d", name, code);
			met &= !strcmp(state, "exited") && code == 0;
		} else if (!up && strcmp(state, "created")) {
			rc = lerr_set(e, LX_LOCHS, "dependency %s is %s", name, state);
		} else if (cond == DEP_HEALTHY) {
			if (health && !strcmp(health, "unhealthy"))
				rc = lerr_set(e, LX_LOCHS, "dependency %s is unhealthy", name);
			else if (!health && up && waited > 3000)
				rc = lerr_set(e, LX_LOCHS, "dependency %s has no health check (service_healthy needs one)", name);
			met &= health && !strcmp(health, "healthy");
		} else {
			met &= up;
		}
	}
	sqlite3_finalize(st);
	return rc < 0 ? -1 : rows > 0 && met;
}

int project_wait(struct cli *c, const struct compose_project *p, const char *service, enum dep_condition cond,
		 long long timeout_ms, struct lerr *e)
{
	static const char *const what[] = { "running", "healthy", "completed" };
	sqlite3 *db = cli_db(c, e);
	long long t0 = now_ms();
	if (!db)
		return -1;
	for (;;) {
		int r = check(db, p->name, service, cond, now_ms() - t0, e);
		if (r != 0)
			return r < 0 ? -1 : 0;
		if (now_ms() - t0 > timeout_ms)
			return lerr_set(e, LX_LOCHS, "service %s: not %s after %lld s", service, what[cond], timeout_ms / 1000);
		usleep(100000);
	}
}

int project_jail_met(struct cli *c, const char *jail, enum dep_condition cond, long long waited_ms, struct lerr *e)
{
	sqlite3 *db = cli_db(c, e);
	return db ? check(db, NULL, jail, cond, waited_ms, e) : -1;
}
