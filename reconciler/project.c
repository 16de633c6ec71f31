/* See project.h. */
#include "project.h"
#include "../specs/strv.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void project_net_name(const struct compose_project *p, const char *name, char *out, size_t size)
{
	snprintf(out, size, "%s_%s", p->name, name);
}

/* Dependencies first: a depth-first walk (no cycles: compose_load). */
static void order(const struct compose_project *p, int i, int *seen, int *out, int *n)
{
	if (seen[i])
		return;
	seen[i] = 1;
	for (int d = 0; d < p->svcs[i].ndeps; d++) {
		for (int j = 0; j < p->nsvcs; j++)
			if (!strcmp(p->svcs[j].name, p->svcs[i].deps[d].service))
				order(p, j, seen, out, n);
	}
	out[(*n)++] = i;
}

static int check(const struct compose_service *s, struct lerr *e)
{
	if (s->replicas > 1 && (s->spec.name || s->spec.ip || s->spec.ip6))
		return lerr_set(e, LX_LOCHS, "services.%s: container_name and static addresses allow one replica only", s->name);
	return 0;
}

/* The jail spec of replica r: the service's, with its name and network. */
static int replica(const struct compose_project *p, const struct compose_service *s, int r, struct svc_spec *out,
		   struct lerr *e)
{
	json_t *j = svc_to_json(&s->spec);
	int rc = svc_from_json(j, out, e);
	json_decref(j);
	if (rc < 0)
		return -1;
	char name[512], net[512];
	if (!s->spec.name) {
		free(out->name);
		snprintf(name, sizeof name, "%s-%s-%d", p->name, s->name, r);
		out->name = strdup(name);
	}
	const char *mode = s->spec.network;
	if (mode && !strncmp(mode, "service:", 8)) {
		snprintf(net, sizeof net, "container:%s-%s-1", p->name, mode + 8);
	} else if (!mode || !strcmp(mode, "bridge")) {
		project_net_name(p, s->networks ? s->networks[0] : "default", net, sizeof net);
	} else {
		snprintf(net, sizeof net, "%s", mode);
	}
	free(out->network);
	out->network = strdup(net);
	if (!out->image || !*out->image) { /* built for the service: Compose's PROJECT-SERVICE */
		free(out->image);
		out->image = project_image_name(p, s);
	}
	return out->name && out->network && out->image ? 0 : lerr_set(e, LX_LOCHS, "out of memory");
}

char *project_image_name(const struct compose_project *p, const struct compose_service *s)
{
	char name[512];
	if (s->spec.image && *s->spec.image)
		return strdup(s->spec.image);
	snprintf(name, sizeof name, "%s-%s", p->name, s->name);
	return strdup(name);
}

/* What replica w needs made before its create. */
static int needs(const struct compose_project *p, const struct compose_service *s, const struct svc_spec *r, char ***out)
{
	char key[600], net[512];
	int rc = 0;
	const char *mode = s->spec.network;
	for (char **n = s->networks; n && *n && (!mode || !strcmp(mode, "bridge")) && rc == 0; n++) {
		project_net_name(p, *n, net, sizeof net);
		snprintf(key, sizeof key, "network:%s", net);
		rc = strv_push(out, key);
	}
	if (!s->networks && r->network && rc == 0 && (!mode || !strcmp(mode, "bridge"))) {
		snprintf(key, sizeof key, "network:%s", r->network);
		rc = strv_push(out, key);
	}
	for (int m = 0; m < r->nmounts && rc == 0; m++)
		if (!strcmp(r->mounts[m].type, "volume") && r->mounts[m].source) {
			snprintf(key, sizeof key, "volume:%s", r->mounts[m].source);
			rc = strv_push(out, key);
		}
	if (s->build_context)
		snprintf(key, sizeof key, "build:%s", s->name);
	else
		snprintf(key, sizeof key, "image:%s", r->image);
	return rc < 0 || strv_push(out, key) < 0 ? -1 : 0;
}

/* want[w]'s dependencies: those of its service that the file has. */
static void deps(const struct compose_project *p, const struct compose_service *s, struct project_state *st, int w,
		int *used)
{
	st->want[w].deps = st->deps + *used;
	for (int d = 0; d < s->ndeps; d++) {
		const struct compose_service *t = compose_service((struct compose_project *)p, s->deps[d].service);
		if (!t)
			continue;
		st->deps[*used].group = t->name;
		st->deps[*used].restart = s->deps[d].restart;
		st->deps[(*used)++].cond = (int)s->deps[d].condition;
		st->want[w].ndeps++;
	}
}

int project_desired(const struct compose_project *p, struct project_state *st, struct lerr *e)
{
	memset(st, 0, sizeof *st);
	int total = 0, n = 0, ndeps = 0, used = 0, *seen = calloc((size_t)p->nsvcs + 1, sizeof *seen), *ord = calloc((size_t)p->nsvcs + 1, sizeof *ord);
	for (int i = 0; i < p->nsvcs; i++)
		total += p->svcs[i].replicas, ndeps += p->svcs[i].replicas * p->svcs[i].ndeps;
	st->deps = calloc((size_t)ndeps + 1, sizeof *st->deps);
	st->selected = calloc((size_t)p->nsvcs + 1, sizeof *st->selected);
	for (int i = 0; st->selected && i < p->nsvcs; i++)
		st->selected[i] = 1;
	st->want = calloc((size_t)total + 1, sizeof *st->want);
	st->specs = calloc((size_t)total + 1, sizeof *st->specs);
	st->service = calloc((size_t)total + 1, sizeof *st->service);
	int rc = seen && ord && st->want && st->specs && st->service && st->deps && st->selected ? 0 : lerr_set(e, LX_LOCHS, "out of memory");
	for (int i = 0; rc == 0 && i < p->nsvcs; i++)
		order(p, i, seen, ord, &n);
	for (int k = 0; rc == 0 && k < n; k++) {
		const struct compose_service *s = &p->svcs[ord[k]];
		rc = check(s, e);
		for (int r = 1; rc == 0 && r <= s->replicas; r++) {
			int w = st->nwant;
			if ((rc = replica(p, s, r, &st->specs[w], e)) < 0)
				break;
			st->want[w].spec = &st->specs[w];
			st->want[w].state = WANT_RUNNING;
			svc_config_hash(&st->specs[w], st->want[w].hash);
			st->want[w].group = s->name;
			st->service[w] = ord[k];
			st->nwant++;
			deps(p, s, st, w, &used);
			if (needs(p, s, &st->specs[w], &st->want[w].needs) < 0)
				rc = lerr_set(e, LX_LOCHS, "out of memory");
		}
	}
	free(seen);
	free(ord);
	if (rc < 0)
		project_state_free(st);
	return rc;
}

int project_oneoff(const struct compose_project *p, const char *service, const char *name, struct project_state *st,
		   struct lerr *e)
{
	const struct compose_service *s = compose_service((struct compose_project *)p, service);
	memset(st, 0, sizeof *st);
	if (!s)
		return lerr_set(e, LX_LOCHS, "no such service: %s", service);
	if (check(s, e) < 0)
		return -1;
	st->want = calloc(1, sizeof *st->want);
	st->specs = calloc(1, sizeof *st->specs);
	st->service = calloc(1, sizeof *st->service);
	int ok = st->want && st->specs && st->service;
	if (!ok || replica(p, s, 1, &st->specs[0], e) < 0) {
		project_state_free(st);
		return ok ? -1 : lerr_set(e, LX_LOCHS, "out of memory");
	}
	st->nwant = 1;
	free(st->specs[0].name);
	st->specs[0].name = strdup(name);
	st->want[0] = (struct desired){ .spec = &st->specs[0], .state = WANT_CREATED, .group = s->name };
	st->service[0] = (int)(s - p->svcs);
	if (!st->specs[0].name || needs(p, s, &st->specs[0], &st->want[0].needs) < 0) {
		project_state_free(st);
		return lerr_set(e, LX_LOCHS, "out of memory");
	}
	svc_config_hash(&st->specs[0], st->want[0].hash);
	return 0;
}

int project_is_oneoff(const char *project, const char *service, const char *name)
{
	size_t lp = strlen(project), ls = strlen(service);
	return !strncmp(name, project, lp) && name[lp] == '-' && !strncmp(name + lp + 1, service, ls) &&
	       !strncmp(name + lp + 1 + ls, "-run-", 5);
}

void project_state_free(struct project_state *st)
{
	for (int i = 0; i < st->nwant; i++) {
		svc_free(&st->specs[i]);
		strv_free(st->want[i].needs);
	}
	free(st->deps);
	free(st->selected);
	free(st->specs);
	free(st->want);
	free(st->service);
	memset(st, 0, sizeof *st);
}

static void select_deps(const struct compose_project *p, int i, int *sel)
{
	if (sel[i])
		return;
	sel[i] = 1;
	for (int d = 0; d < p->svcs[i].ndeps; d++) {
		const struct compose_service *t = compose_service((struct compose_project *)p, p->svcs[i].deps[d].service);
		if (t)
			select_deps(p, (int)(t - p->svcs), sel);
	}
}

int project_only(const struct compose_project *p, struct project_state *st, char *const *services, struct lerr *e)
{
	memset(st->selected, 0, (size_t)p->nsvcs * sizeof *st->selected);
	for (char *const *s = services; *s; s++) {
		const struct compose_service *t = compose_service((struct compose_project *)p, *s);
		if (!t)
			return lerr_set(e, LX_LOCHS, "no such service: %s", *s);
		select_deps(p, (int)(t - p->svcs), st->selected);
	}
	int k = 0;
	for (int i = 0; i < st->nwant; i++) {
		if (!st->selected[st->service[i]]) {
			svc_free(&st->specs[i]);
			strv_free(st->want[i].needs);
			continue;
		}
		st->specs[k] = st->specs[i];
		st->want[k] = st->want[i];
		st->want[k].spec = &st->specs[k];
		st->service[k++] = st->service[i];
	}
	st->nwant = k;
	return 0;
}

int project_wants(const struct project_state *st, const char *name)
{
	for (int i = 0; i < st->nwant; i++)
		if (!strcmp(st->specs[i].name, name))
			return 1;
	return 0;
}

int project_extras(const struct compose_project *p, const struct project_state *st, const struct observed_jail *have,
		   int nhave, int prune, struct action *out, int n, int max, struct lerr *e)
{
	for (int h = 0; h < nhave; h++) {
		if (strcmp(have[h].project, p->name) || project_wants(st, have[h].name) ||
		    project_is_oneoff(p->name, have[h].service, have[h].name))
			continue;
		const struct compose_service *s = compose_service((struct compose_project *)p, have[h].service);
		int known = s != NULL;
		if ((!known && !prune) || (known && !st->selected[s - p->svcs]))
			continue;
		if (n >= max)
			return lerr_set(e, LX_LOCHS, "plan: too many actions");
		out[n] = (struct action){ .kind = ACT_REMOVE, .want = -1, .have = h };
		snprintf(out[n].why, sizeof out[n].why, known ? "scaled down" : "orphan: service %s is not in the file",
			 have[h].service);
		n++;
	}
	return n;
}
