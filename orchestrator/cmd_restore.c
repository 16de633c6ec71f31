/* lochs system restore: what a host boot runs (examples/systemd/). It
 * observes (records whose monitor is gone are repaired to exited), then
 * starts, through the reconciler's plan and execute, every jail whose
 * restart policy says it should run (reconciler/restore.c), and removes
 * the --rm jails a reboot cut short, as their monitors would have. */
#include "cli.h"
#include "jailops.h"
#include "state.h"
#include "../netplane/firewall.h"
#include "../netplane/sweep.h"
#include "../reconciler/reconciler.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The spec and the end of one jail record; 0, or -1 (skip it). */
static int jail_record(sqlite3 *db, const char *id, struct svc_spec *s, struct jail_end *end, struct lerr *e)
{
	sqlite3_stmt *st;
	int rc = -1;
	if (sqlite3_prepare_v2(db, "SELECT spec, coalesce(exit_code, -1), stopped_by_user, restart_count"
				   " FROM jails WHERE id = ?", -1, &st, NULL) != SQLITE_OK)
		return lerr_set(e, LX_LOCHS, "state database: %s", sqlite3_errmsg(db));
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW) {
		json_error_t je;
		json_t *j = json_loads((const char *)sqlite3_column_text(st, 0), 0, &je);
		end->exit_code = sqlite3_column_int(st, 1);
		end->stopped_by_user = sqlite3_column_int(st, 2);
		end->restart_count = sqlite3_column_int(st, 3);
		rc = j ? svc_from_json(j, s, e) : lerr_set(e, LX_LOCHS, "jail %.12s: spec: %s", id, je.text);
		json_decref(j);
	} else {
		lerr_set(e, LX_LOCHS, "no such jail: %.12s", id);
	}
	sqlite3_finalize(st);
	return rc;
}

static int op_start(void *ctx, const char *id, struct lerr *e)
{
	return jailop_start(ctx, id, e);
}

/* Restore never creates or removes through the plan: the spec is the
 * jail's own and its stored hash is given, so the plan can only start. */
static int op_refuse_create(void *ctx, const struct svc_spec *s, const char *hash, char id[65], struct lerr *e)
{
	return lerr_set(e, LX_LOCHS, "restore: unexpected create of %s", s->name ? s->name : "?");
}

static int op_refuse_remove(void *ctx, const char *id, struct lerr *e)
{
	return lerr_set(e, LX_LOCHS, "restore: unexpected removal of %.12s", id);
}

/* Plans and executes "jail h should run"; 1 when it was started. */
static int bring_back(struct cli *c, const struct svc_spec *s, const struct observed_jail *have, int nhave, int h,
		      struct lerr *e)
{
	struct desired want = { .spec = s, .state = WANT_RUNNING };
	snprintf(want.hash, sizeof want.hash, "%s", have[h].config_hash);
	struct action plan[4];
	int n = reconcile_plan(PLAN_DECLARATIVE, &want, 1, have, nhave, plan, 4, e);
	struct exec_ops ops = { c, op_refuse_create, op_start, op_refuse_remove, NULL, NULL };
	char ids[1][65] = { "" };
	if (n < 0 || reconcile_execute(plan, n, &want, have, &ops, ids, e) < 0)
		return -1;
	return n > 0;
}

static int cmd_restore(struct cli *c, int argc, char **argv, struct lerr *e)
{
	if (argc > 1)
		return lerr_usage(e, "system restore", "no arguments expected");
	sqlite3 *db = cli_db(c, e);
	struct observed_jail *have = NULL;
	int nhave = 0, failed = 0;
	if (!db || observe_jails(db, NULL, &have, &nhave, e) < 0)
		return -1;
	for (int h = 0; h < nhave; h++) {
		/* only jails that ran and whose monitor is gone */
		if (have[h].monitor_alive || strcmp(have[h].state, "exited") != 0)
			continue;
		struct svc_spec s;
		struct jail_end end;
		struct lerr one = { 0 };
		int rc = 0;
		if (jail_record(db, have[h].id, &s, &end, &one) < 0) {
			fprintf(stderr, "lochs: restore %s: %s\n", have[h].name, one.msg);
			failed = 1;
			continue;
		}
		/* the name in the spec is the jail's (a rename updates the record) */
		free(s.name);
		s.name = strdup(have[h].name);
		if (s.auto_remove) {
			rc = jailop_remove(c, have[h].id, 1, &one);
			if (rc == 0)
				printf("removed %s (--rm)\n", have[h].name);
		} else if (restore_wanted(s.restart, s.restart_max, &end)) {
			rc = bring_back(c, &s, have, nhave, h, &one);
			if (rc > 0)
				printf("started %s\n", have[h].name);
		}
		if (rc < 0) {
			fprintf(stderr, "lochs: restore %s: %s\n", have[h].name, one.msg);
			failed = 1;
		}
		svc_free(&s);
	}
	free(have);
	/* After a boot the table is gone; after a crash it may hold rules of
	 * jails that are gone: either way it is written again. */
	struct lerr fw = { 0 };
	if (netplane_sweep(db, c->root, &fw) < 0) {
		fprintf(stderr, "lochs: restore: %s\n", fw.msg);
		failed = 1;
	}
	if (failed)
		return lerr_set(e, LX_LOCHS, "system restore: some jails could not be restored");
	return 0;
}
LOCHS_COMMAND(system_restore, "system restore", cmd_restore, "system restore",
	      "Start the jails whose restart policy says they run (at boot, after observing)");
