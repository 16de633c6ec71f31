/* run, create, start: one-service desired states through the reconciler. */
#include "attach.h"
#include "cli.h"
#include "jailops.h"
#include "../translator/jail/jail.h"
#include "../reconciler/reconciler.h"
#include "../specs/flagtable.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int op_create(void *ctx, const struct svc_spec *s, const char *hash, char id[65], struct lerr *e)
{
	return jailop_create(ctx, s, hash, id, e);
}

static int op_start(void *ctx, const char *id, struct lerr *e)
{
	return jailop_start(ctx, id, e);
}

static int op_remove(void *ctx, const char *id, struct lerr *e)
{
	return jailop_remove(ctx, id, 1, e);
}

/* Observe, plan, execute for one spec; id gets the jail. */
static int reconcile_one(struct cli *c, const struct svc_spec *s, enum want_state ws, char id[65], struct lerr *e)
{
	sqlite3 *db = cli_db(c, e);
	if (!db)
		return -1;
	struct observed_jail *have = NULL;
	int nhave = 0;
	if (observe_jails(db, NULL, &have, &nhave, e) < 0)
		return -1;
	struct desired want = { .spec = s, .state = ws };
	svc_config_hash(s, want.hash);
	struct action plan[8];
	int n = reconcile_plan(PLAN_IMPERATIVE, &want, 1, have, nhave, plan, 8, e);
	struct exec_ops ops = { c, op_create, op_start, op_remove };
	char ids[1][65] = { "" };
	int rc = n < 0 ? -1 : reconcile_execute(plan, n, &want, have, &ops, ids, e);
	free(have);
	snprintf(id, 65, "%s", ids[0]);
	return rc;
}

static int cmd_run(struct cli *c, int argc, char **argv, struct lerr *e)
{
	struct svc_spec s;
	int detach;
	if (svc_from_args("run", argc, argv, &s, &detach, e) < 0)
		return -1;
	jail_cgroup_prewarm();
	char id[65];
	int rc = reconcile_one(c, &s, WANT_CREATED, id, e);
	if (rc == 0 && detach) {
		rc = jailop_start(c, id, e);
		if (rc == 0)
			printf("%s\n", id);
	} else if (rc == 0) {
		/* Foreground: the monitor waits for this attach before it starts
		 * the jail (attach_wait), so no output is missed. */
		rc = jailop_start_attached(c, id, e);
		if (rc >= 0) {
			int sock = attach_connect(c, id, e);
			rc = sock < 0 ? -1 : attach_relay(sock, s.interactive, s.tty, e);
		}
	}
	svc_free(&s);
	return rc;
}
LOCHS_COMMAND_FLAGS(run, "run", cmd_run, "run [OPTIONS] IMAGE [COMMAND] [ARG...]",
		    "Create and start a jail from an image (foreground unless -d)", svc_run_flags);

static int cmd_create(struct cli *c, int argc, char **argv, struct lerr *e)
{
	struct svc_spec s;
	int detach;
	if (svc_from_args("create", argc, argv, &s, &detach, e) < 0)
		return -1;
	char id[65];
	int rc = reconcile_one(c, &s, WANT_CREATED, id, e);
	if (rc == 0)
		printf("%s\n", id);
	svc_free(&s);
	return rc;
}
LOCHS_COMMAND_FLAGS(create, "create", cmd_create, "create [OPTIONS] IMAGE [COMMAND] [ARG...]",
		    "Create a jail without starting it", svc_run_flags);

static int cmd_start(struct cli *c, int argc, char **argv, struct lerr *e)
{
	int attach = 0, i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-a") || !strcmp(argv[i], "--attach"))
			attach = 1;
		else
			return lerr_usage(e, "start", "unknown flag %s", argv[i]);
	}
	if (i >= argc)
		return lerr_usage(e, "start", "at least one jail is required");
	int rc = 0;
	for (; i < argc; i++) {
		char id[65];
		if (jail_lookup(c, argv[i], id, e) < 0)
			return -1;
		if (attach) {
			if (jailop_start_attached(c, id, e) < 0)
				return -1;
			int sock = attach_connect(c, id, e);
			return sock < 0 ? -1 : attach_relay(sock, 0, 0, e);
		}
		if (jailop_start(c, id, e) < 0)
			return -1;
		printf("%s\n", argv[i]);
	}
	return rc;
}
LOCHS_COMMAND(start, "start", cmd_start, "start [-a] JAIL...", "Start one or more created or stopped jails");
