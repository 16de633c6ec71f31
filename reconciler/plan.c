/* The diff: desired services × observed jails → actions. Pure. */
#include "reconciler.h"
#include <stdio.h>
#include <stdlib.h>
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

/* The three kinds of action, each in its own list, then joined in order. */
struct lists {
	struct action *rm, *mk, *go;
	int nrm, nmk, ngo, cap;
};

static int add(struct lists *l, struct action *v, int *n, enum act_kind k, int want, int have, const char *why)
{
	return push(v, l->cap, n, k, want, have, why);
}

static int plan_one(enum plan_mode mode, const struct desired *want, int w, const struct observed_jail *have,
		    int nhave, struct lists *l, struct lerr *e)
{
	const struct svc_spec *s = want[w].spec;
	int h = find_by_name(have, nhave, s->name);
	int start = want[w].state == WANT_RUNNING;
	if (h < 0)
		return add(l, l->mk, &l->nmk, ACT_CREATE, w, -1, "not present") < 0 ||
		       (start && add(l, l->go, &l->ngo, ACT_START, w, -1, "new") < 0);
	if (mode == PLAN_IMPERATIVE || strcmp(have[h].project, s->project ? s->project : ""))
		return lerr_set(e, LX_LOCHS, "the jail name \"%s\" is already in use by jail %.12s%s; remove or rename it first",
				s->name, have[h].id, mode == PLAN_IMPERATIVE ? "" : ", not of this project");
	if (strcmp(have[h].config_hash, want[w].hash) != 0)
		return add(l, l->rm, &l->nrm, ACT_REMOVE, w, h, "configuration changed") < 0 ||
		       add(l, l->mk, &l->nmk, ACT_CREATE, w, -1, "configuration changed") < 0 ||
		       (start && add(l, l->go, &l->ngo, ACT_START, w, -1, "recreated") < 0);
	if (start && strcmp(have[h].state, "running") && strcmp(have[h].state, "paused"))
		return add(l, l->go, &l->ngo, ACT_START, w, h, "not running");
	return 0;
}

int reconcile_plan(enum plan_mode mode, const struct desired *want, int nwant,
		   const struct observed_jail *have, int nhave, struct action *out, int max, struct lerr *e)
{
	struct lists l = { 0 };
	l.cap = nwant + 1;
	l.rm = calloc((size_t)l.cap, sizeof *l.rm), l.mk = calloc((size_t)l.cap, sizeof *l.mk);
	l.go = calloc((size_t)l.cap, sizeof *l.go);
	int n = 0, rc = l.rm && l.mk && l.go ? 0 : lerr_set(e, LX_LOCHS, "out of memory");
	for (int w = 0; rc == 0 && w < nwant; w++) {
		rc = plan_one(mode, want, w, have, nhave, &l, e);
		if (rc > 0)
			rc = lerr_set(e, LX_LOCHS, "plan: too many actions");
	}
	const struct { struct action *v; int n; } parts[] = { { l.rm, l.nrm }, { l.mk, l.nmk }, { l.go, l.ngo } };
	for (int p = 0; rc == 0 && p < 3; p++)
		for (int i = 0; rc == 0 && i < parts[p].n; i++)
			if (push(out, max, &n, parts[p].v[i].kind, parts[p].v[i].want, parts[p].v[i].have, parts[p].v[i].why) < 0)
				rc = lerr_set(e, LX_LOCHS, "plan: too many actions");
	free(l.rm), free(l.mk), free(l.go);
	return rc < 0 ? -1 : n;
}
