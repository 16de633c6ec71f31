/* The diff: desired services × observed jails → actions. Pure. */
#include "reconciler.h"
#include <stdio.h>
#include <string.h>

const char *act_name(enum act_kind k)
{
	static const char *const n[] = { "create", "start", "remove" };
	return n[k];
}

static int find_by_name(const struct observed_jail *have, int nhave, const char *name)
{
	for (int i = 0; name && i < nhave; i++)
		if (strcmp(have[i].name, name) == 0)
			return i;
	return -1;
}

static int push(struct action *out, int max, int *n, enum act_kind k, int want, int have, const char *why)
{
	if (*n >= max)
		return -1;
	out[*n].kind = k;
	out[*n].want = want;
	out[*n].have = have;
	snprintf(out[*n].why, sizeof out[*n].why, "%.159s", why);
	(*n)++;
	return 0;
}

int reconcile_plan(enum plan_mode mode, const struct desired *want, int nwant,
		   const struct observed_jail *have, int nhave, struct action *out, int max, struct lerr *e)
{
	struct action rm[64], mk[64], go[64];
	int nrm = 0, nmk = 0, ngo = 0;
	for (int w = 0; w < nwant; w++) {
		const struct svc_spec *s = want[w].spec;
		int h = find_by_name(have, nhave, s->name);
		int start = want[w].state == WANT_RUNNING;
		if (h < 0) {
			if (push(mk, 64, &nmk, ACT_CREATE, w, -1, "not present") < 0 ||
			    (start && push(go, 64, &ngo, ACT_START, w, -1, "new") < 0))
				return lerr_set(e, LX_LOCHS, "plan: too many actions");
			continue;
		}
		if (mode == PLAN_IMPERATIVE)
			return lerr_set(e, LX_LOCHS, "the jail name \"%s\" is already in use by jail %.12s; remove or rename it first",
					s->name, have[h].id);
		if (strcmp(have[h].config_hash, want[w].hash) != 0) {
			if (push(rm, 64, &nrm, ACT_REMOVE, w, h, "configuration changed") < 0 ||
			    push(mk, 64, &nmk, ACT_CREATE, w, -1, "configuration changed") < 0 ||
			    (start && push(go, 64, &ngo, ACT_START, w, -1, "recreated") < 0))
				return lerr_set(e, LX_LOCHS, "plan: too many actions");
		} else if (start && strcmp(have[h].state, "running") && strcmp(have[h].state, "paused")) {
			if (push(go, 64, &ngo, ACT_START, w, h, "not running") < 0)
				return lerr_set(e, LX_LOCHS, "plan: too many actions");
		}
	}
	int n = 0;
	for (int i = 0; i < nrm; i++)
		if (push(out, max, &n, rm[i].kind, rm[i].want, rm[i].have, rm[i].why) < 0)
			return lerr_set(e, LX_LOCHS, "plan: too many actions");
	for (int i = 0; i < nmk; i++)
		if (push(out, max, &n, mk[i].kind, mk[i].want, mk[i].have, mk[i].why) < 0)
			return lerr_set(e, LX_LOCHS, "plan: too many actions");
	for (int i = 0; i < ngo; i++)
		if (push(out, max, &n, go[i].kind, go[i].want, go[i].have, go[i].why) < 0)
			return lerr_set(e, LX_LOCHS, "plan: too many actions");
	return n;
}
