/* The diff: desired services × observed jails → actions. Pure. */
#include "reconciler.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *act_name(enum act_kind k)
{
	static const char *const n[] = { "create", "start", "remove", "stop", "network", "volume", "pull", "build", "signal" };
	return n[k];
}

void act_label(const struct action *a, const struct desired *want, const struct observed_jail *have, char *out,
	       size_t size)
{
	const char *what = a->res;
	if (a->kind >= ACT_NETWORK && a->kind <= ACT_BUILD) {
		const char *colon = strchr(a->res, ':');
		what = colon ? colon + 1 : a->res;
	} else if (a->want >= 0) {
		what = want[a->want].spec->name ? want[a->want].spec->name : "(new jail)";
	} else if (a->have >= 0) {
		what = have[a->have].name;
	}
	snprintf(out, size, "%s %s", act_name(a->kind), what);
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
	memset(&out[*n], 0, sizeof out[*n]);
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

/* PLAN_EXISTING: desired w names an existing jail. */
static int plan_existing(const struct desired *x, int w, const struct observed_jail *have, int nhave, struct lists *l,
			 struct lerr *e)
{
	int h = find_by_name(have, nhave, x->spec->name);
	if (h < 0)
		return lerr_set(e, LX_LOCHS, "no such jail: %s", x->spec->name);
	int live = !strcmp(have[h].state, "running") || !strcmp(have[h].state, "paused");
	if (x->signal)
		return add(l, l->rm, &l->nrm, ACT_SIGNAL, w, h, "signal");
	switch (x->state) {
	case WANT_RUNNING:
		if (live && x->again)
			return add(l, l->rm, &l->nrm, ACT_STOP, w, h, "restart") < 0 ||
			       add(l, l->go, &l->ngo, ACT_START, w, h, "restart") < 0;
		return live ? 0 : add(l, l->go, &l->ngo, ACT_START, w, h, "not running");
	case WANT_STOPPED: /* a stopped one too: no restart policy brings it back */
		return live || !have[h].stopped_by_user ? add(l, l->rm, &l->nrm, ACT_STOP, w, h, live ? "running" : "stopped by the user") : 0;
	case WANT_ABSENT:
		return add(l, l->rm, &l->nrm, ACT_REMOVE, w, h, "removed by the user");
	default:
		return 0;
	}
}

static int plan_one(enum plan_mode mode, const struct desired *want, int w, const struct observed_jail *have,
		    int nhave, struct lists *l, struct lerr *e)
{
	const struct svc_spec *s = want[w].spec;
	if (mode == PLAN_EXISTING)
		return plan_existing(&want[w], w, have, nhave, l, e);
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

/* Whether the jails of group are recreated by out[0..n). */
static int recreated(const struct desired *want, int nwant, const struct observed_jail *have, const char *group,
		     const struct action *out, int n)
{
	for (int d = 0; d < nwant; d++) {
		if (!want[d].group || strcmp(want[d].group, group) || !want[d].spec->name)
			continue;
		for (int i = 0; i < n; i++)
			if (out[i].kind == ACT_REMOVE && out[i].have >= 0 && !strcmp(have[out[i].have].name, want[d].spec->name))
				return 1;
	}
	return 0;
}

int plan_restarts(const struct desired *want, int nwant, const struct observed_jail *have, int nhave,
		  struct action *out, int n, int max)
{
	int base = n;
	for (int w = 0; w < nwant; w++) {
		int own = 0, h = find_by_name(have, nhave, want[w].spec->name);
		for (int i = 0; i < base; i++)
			own |= out[i].want == w;
		if (own || h < 0 || strcmp(have[h].state, "running"))
			continue;
		for (int k = 0; k < want[w].ndeps; k++) {
			const struct want_dep *x = &want[w].deps[k];
			if (!x->restart || !recreated(want, nwant, have, x->group, out, base))
				continue;
			char why[160];
			snprintf(why, sizeof why, "its dependency %s is recreated", x->group);
			if (push(out, max, &n, ACT_STOP, w, h, why) < 0 || push(out, max, &n, ACT_START, w, h, why) < 0)
				return -1;
			break;
		}
	}
	return n;
}

/* The DAG: see reconciler.h. */
struct graph {
	struct plan *p;
	int ecap;
	const struct desired *want;
	int nwant;
	const struct observed_jail *have;
};

static int edge(struct graph *g, int from, int to, int cond, int jail)
{
	struct plan *p = g->p;
	if (to < 0 || (from < 0 && cond < 0))
		return 0;
	if (p->nedge == g->ecap) {
		struct plan_edge *v = realloc(p->edge, (size_t)(g->ecap = g->ecap * 2 + 16) * sizeof *v);
		if (!v)
			return -1;
		p->edge = v;
	}
	p->edge[p->nedge++] = (struct plan_edge){ from, to, cond, jail };
	return 0;
}

/* The index of the action of kind on desired w (or observed h), or -1. */
static int find(const struct plan *p, enum act_kind k, int w, int h)
{
	for (int i = 0; i < p->n; i++)
		if (p->a[i].kind == k && (w < 0 || p->a[i].want == w) && (h < 0 || p->a[i].have == h))
			return i;
	return -1;
}

static int find_res(const struct plan *p, const char *key)
{
	for (int i = 0; i < p->n; i++)
		if (p->a[i].kind >= ACT_NETWORK && p->a[i].kind <= ACT_BUILD && !strcmp(p->a[i].res, key))
			return i;
	return -1;
}

static int named(const struct desired *want, int nwant, const char *name)
{
	for (int d = 0; name && d < nwant; d++)
		if (want[d].spec->name && !strcmp(want[d].spec->name, name))
			return d;
	return -1;
}

/* The edges into desired w's create and start. */
static int jail_edges(struct graph *g, int w)
{
	const struct plan *p = g->p;
	const struct desired *x = &g->want[w];
	int mk = find(p, ACT_CREATE, w, -1), go = find(p, ACT_START, w, -1), rc = 0;
	for (char **k = x->needs; mk >= 0 && k && *k && rc == 0; k++)
		rc = edge(g, find_res(p, *k), mk, -1, -1);
	for (int i = 0; mk >= 0 && i < p->n && rc == 0; i++)
		if (p->a[i].kind == ACT_REMOVE && x->spec->name && !strcmp(g->have[p->a[i].have].name, x->spec->name))
			rc = edge(g, i, mk, -1, -1);
	const char *net = x->spec->network;
	int d = net && !strncmp(net, "container:", 10) ? named(g->want, g->nwant, net + 10) : -1;
	if (d >= 0 && mk >= 0 && rc == 0) {
		int before = find(p, ACT_START, d, -1);
		rc = edge(g, before >= 0 ? before : find(p, ACT_CREATE, d, -1), mk, -1, -1);
	}
	if (mk >= 0 && rc == 0)
		rc = edge(g, mk, go, -1, -1);
	/* A restart: its stop after the recreated dependencies' starts, its
	 * start after the stop. */
	int stop = find(p, ACT_STOP, w, -1);
	if (stop >= 0 && find(p, ACT_REMOVE, -1, p->a[stop].have) >= 0)
		stop = -1; /* a recreate's stop: its edges are the removal's */
	for (int k = 0; stop >= 0 && k < x->ndeps && rc == 0; k++)
		for (d = 0; x->deps[k].restart && d < g->nwant && rc == 0; d++)
			if (g->want[d].group && !strcmp(g->want[d].group, x->deps[k].group))
				rc = edge(g, find(p, ACT_START, d, -1), stop, -1, -1);
	if (stop >= 0 && rc == 0)
		rc = edge(g, stop, go, -1, -1);
	for (int k = 0; go >= 0 && k < x->ndeps && rc == 0; k++)
		for (d = 0; d < g->nwant && rc == 0; d++) {
			if (!g->want[d].group || strcmp(g->want[d].group, x->deps[k].group))
				continue;
			int from = find(p, ACT_START, d, -1);
			if (from >= 0 || x->deps[k].cond > 0) /* started and running already: nothing to wait for */
				rc = edge(g, from, go, from >= 0 && x->deps[k].cond == 0 ? -1 : x->deps[k].cond, d);
		}
	return rc;
}

/* Waves by Kahn's algorithm; -1 on a cycle. */
static int waves(struct plan *p)
{
	int *in = calloc((size_t)p->n + 1, sizeof *in), *queue = calloc((size_t)p->n + 1, sizeof *queue);
	int head = 0, tail = 0;
	if (!in || !queue) {
		free(in), free(queue);
		return -1;
	}
	for (int i = 0; i < p->nedge; i++)
		if (p->edge[i].from >= 0)
			in[p->edge[i].to]++;
	for (int i = 0; i < p->n; i++)
		if (!in[i])
			p->a[queue[tail++] = i].wave = 1;
	while (head < tail) {
		int i = queue[head++];
		p->nwaves = p->a[i].wave > p->nwaves ? p->a[i].wave : p->nwaves;
		for (int k = 0; k < p->nedge; k++) {
			if (p->edge[k].from != i)
				continue;
			int t = p->edge[k].to;
			if (p->a[t].wave < p->a[i].wave + 1)
				p->a[t].wave = p->a[i].wave + 1;
			if (--in[t] == 0)
				queue[tail++] = t;
		}
	}
	free(in), free(queue);
	return tail == p->n ? 0 : -1;
}

int reconcile_graph(const struct action *flat, int nflat, const struct desired *want, int nwant,
		    const struct observed_jail *have, int nhave, struct plan *out, struct lerr *e)
{
	(void)nhave;
	memset(out, 0, sizeof *out);
	struct graph g = { out, 0, want, nwant, have };
	int cap = 2 * nflat + 1, rc = 0;
	if (!(out->a = calloc((size_t)cap, sizeof *out->a)))
		return lerr_set(e, LX_LOCHS, "out of memory");
	for (int i = 0; i < nflat; i++) {
		const struct action *x = &flat[i];
		int up = x->kind == ACT_REMOVE && x->have >= 0 &&
			 (!strcmp(have[x->have].state, "running") || !strcmp(have[x->have].state, "paused"));
		if (up && find(out, ACT_STOP, -1, x->have) < 0) {
			out->a[out->n] = *x;
			out->a[out->n++].kind = ACT_STOP;
		}
		out->a[out->n++] = *x;
	}
	for (int i = 0, last = -1; i < out->n && rc == 0; i++) {
		const struct action *x = &out->a[i];
		if (x->kind == ACT_NETWORK)
			rc = edge(&g, last, i, -1, -1), last = i;
		else if (x->kind == ACT_REMOVE)
			rc = edge(&g, find(out, ACT_STOP, -1, x->have), i, -1, -1);
	}
	for (int w = 0; w < nwant && rc == 0; w++)
		rc = jail_edges(&g, w);
	if (rc < 0) {
		plan_free(out);
		return lerr_set(e, LX_LOCHS, "out of memory");
	}
	if (waves(out) < 0) {
		plan_free(out);
		return lerr_set(e, LX_LOCHS, "plan: the actions' dependencies form a cycle");
	}
	return 0;
}

int reconcile_teardown(const struct observed_jail *have, int nhave, const struct svc_dep *deps, int ndeps,
		       struct plan *out, struct lerr *e)
{
	memset(out, 0, sizeof *out);
	struct action *flat = calloc((size_t)nhave + 1, sizeof *flat);
	if (!flat)
		return lerr_set(e, LX_LOCHS, "out of memory");
	for (int h = 0; h < nhave; h++)
		flat[h] = (struct action){ .kind = ACT_REMOVE, .want = -1, .have = h };
	int rc = reconcile_graph(flat, nhave, NULL, 0, have, nhave, out, e);
	free(flat);
	if (rc < 0)
		return -1;
	struct graph g = { out, out->nedge, NULL, 0, have };
	for (int d = 0; d < ndeps && rc == 0; d++)
		for (int h = 0; h < nhave && rc == 0; h++) {
			int from = strcmp(have[h].service, deps[d].service) ? -1 : find(out, ACT_STOP, -1, h);
			for (int k = 0; from >= 0 && k < nhave && rc == 0; k++)
				if (k != h && !strcmp(have[k].service, deps[d].on) && find(out, ACT_STOP, -1, k) >= 0)
					rc = edge(&g, from, find(out, ACT_STOP, -1, k), -1, -1);
		}
	for (int i = 0; i < out->n; i++)
		out->a[i].wave = 0;
	out->nwaves = 0;
	if (rc < 0 || waves(out) < 0) {
		plan_free(out);
		return lerr_set(e, LX_LOCHS, rc < 0 ? "out of memory" : "plan: the services' dependencies form a cycle");
	}
	return 0;
}

void plan_free(struct plan *p)
{
	free(p->a);
	free(p->edge);
	memset(p, 0, sizeof *p);
}
