/* See imperative.h. */
#include "imperative.h"
#include "jailops.h"
#include "../volumes/volume.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int op_create(void *ctx, const struct svc_spec *s, const char *hash, char id[65], struct lerr *e)
{
	return jailop_create(((struct imp_ctx *)ctx)->c, s, hash, id, e);
}

static int op_start(void *ctx, const char *id, struct lerr *e)
{
	struct imp_ctx *x = ctx;
	return x->attach ? jailop_start_attached(x->c, id, e) : jailop_start(x->c, id, e);
}

static int op_stop(void *ctx, const char *id, struct lerr *e)
{
	struct imp_ctx *x = ctx;
	return jailop_stop(x->c, id, 0, x->timeout, e);
}

static int op_signal(void *ctx, const char *id, struct lerr *e)
{
	struct imp_ctx *x = ctx;
	return jailop_signal(x->c, id, x->signal, e);
}

static int op_remove(void *ctx, const char *id, struct lerr *e)
{
	struct imp_ctx *x = ctx;
	if (jailop_remove(x->c, id, x->force, e) < 0)
		return -1;
	return x->volumes ? volume_remove_anonymous(x->c, id, e) : 0; /* named volumes stay, as in Docker */
}

/* Observe, plan, execute for want (whose spec names the jail, or is the
 * new one's); id gets the jail. have is observed unless given. */
static int reconcile_one(struct imp_ctx *x, enum plan_mode mode, struct desired *want,
			 const struct observed_jail *have, int nhave, char id[65], struct lerr *e)
{
	struct action plan[8];
	int n = reconcile_plan(mode, want, 1, have, nhave, plan, 8, e);
	struct exec_ops ops = { x, op_create, op_start, op_remove, op_stop, op_signal };
	char ids[1][65] = { "" };
	int rc = n < 0 ? -1 : reconcile_execute(plan, n, want, have, &ops, ids, e);
	snprintf(id, 65, "%s", ids[0]);
	return rc;
}

static int observe(struct imp_ctx *x, struct observed_jail **have, int *nhave, struct lerr *e)
{
	sqlite3 *db = cli_db(x->c, e);
	return db ? observe_jails(db, NULL, have, nhave, e) : -1;
}

int imperative_new(struct imp_ctx *x, const struct svc_spec *s, enum want_state state, char id[65], struct lerr *e)
{
	struct observed_jail *have = NULL;
	int nhave = 0;
	if (observe(x, &have, &nhave, e) < 0)
		return -1;
	struct desired want = { .spec = s, .state = state };
	svc_config_hash(s, want.hash);
	int rc = reconcile_one(x, PLAN_IMPERATIVE, &want, have, nhave, id, e);
	free(have);
	return rc;
}

int imperative_existing(struct imp_ctx *x, const char *id, enum want_state state, int again, int signal,
			struct lerr *e)
{
	struct observed_jail *have = NULL;
	int nhave = 0, h = 0;
	if (observe(x, &have, &nhave, e) < 0)
		return -1;
	while (h < nhave && strcmp(have[h].id, id))
		h++;
	if (h == nhave) { /* removed since it was looked up */
		free(have);
		return lerr_set(e, LX_LOCHS, "no such jail: %.12s", id);
	}
	struct svc_spec s = { .name = have[h].name };
	struct desired want = { .spec = &s, .state = state, .again = again, .signal = signal };
	char got[65];
	int rc = reconcile_one(x, PLAN_EXISTING, &want, have, nhave, got, e);
	free(have);
	return rc;
}
