/* See project.h. */
#include "project.h"
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
	if (!s->spec.image)
		return lerr_set(e, LX_LOCHS, "services.%s: build: needs Lochfile builds (not yet); give an image", s->name);
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
	return out->name && out->network ? 0 : lerr_set(e, LX_LOCHS, "out of memory");
}

int project_desired(const struct compose_project *p, struct project_state *st, struct lerr *e)
{
	memset(st, 0, sizeof *st);
	int total = 0, n = 0, *seen = calloc((size_t)p->nsvcs + 1, sizeof *seen), *ord = calloc((size_t)p->nsvcs + 1, sizeof *ord);
	for (int i = 0; i < p->nsvcs; i++)
		total += p->svcs[i].replicas;
	st->want = calloc((size_t)total + 1, sizeof *st->want);
	st->specs = calloc((size_t)total + 1, sizeof *st->specs);
	st->service = calloc((size_t)total + 1, sizeof *st->service);
	int rc = seen && ord && st->want && st->specs && st->service ? 0 : lerr_set(e, LX_LOCHS, "out of memory");
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
			st->service[w] = ord[k];
			st->nwant++;
		}
	}
	free(seen);
	free(ord);
	if (rc < 0)
		project_state_free(st);
	return rc;
}

void project_state_free(struct project_state *st)
{
	for (int i = 0; i < st->nwant; i++)
		svc_free(&st->specs[i]);
	free(st->specs);
	free(st->want);
	free(st->service);
	memset(st, 0, sizeof *st);
}

static int wanted(const struct project_state *st, const char *name)
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
		if (strcmp(have[h].project, p->name) || wanted(st, have[h].name))
			continue;
		int known = compose_service((struct compose_project *)p, have[h].service) != NULL;
		if (!known && !prune)
			continue;
		if (n >= max)
			return lerr_set(e, LX_LOCHS, "plan: too many actions");
		out[n] = (struct action){ ACT_REMOVE, -1, h, "" };
		snprintf(out[n].why, sizeof out[n].why, known ? "scaled down" : "orphan: service %s is not in the file",
			 have[h].service);
		n++;
	}
	return n;
}
