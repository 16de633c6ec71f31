/* The checks across a project's services (compose_parse.h), and the
 * model's lookup and release. */
#include "compose_keys.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct compose_service *compose_service(struct compose_project *p, const char *name)
{
	for (int i = 0; i < p->nsvcs; i++)
		if (!strcmp(p->svcs[i].name, name))
			return &p->svcs[i];
	return NULL;
}

static int has_net(const struct compose_project *p, const char *name)
{
	for (int i = 0; i < p->nnets; i++)
		if (!strcmp(p->nets[i].name, name))
			return 1;
	return !strcmp(name, "default");
}

static int has_vol(const struct compose_project *p, const char *name)
{
	for (int i = 0; i < p->nvols; i++)
		if (!strcmp(p->vols[i].name, name))
			return 1;
	return 0;
}

static int listed(char *const *v, const char *s)
{
	for (; v && *v; v++)
		if (!strcmp(*v, s))
			return 1;
	return 0;
}

/* Depth-first: 0 unvisited, 1 on the path, 2 done. path[] holds the
 * services on the way, for the message. */
static int cycle(struct compose_project *p, int i, int *mark, int *path, int depth, char *msg, size_t size)
{
	mark[i] = 1;
	path[depth] = i;
	for (int d = 0; d < p->svcs[i].ndeps; d++) {
		struct compose_service *t = compose_service(p, p->svcs[i].deps[d].service);
		int j = t ? (int)(t - p->svcs) : -1;
		if (j < 0 || mark[j] == 2)
			continue;
		if (mark[j] == 1) {
			size_t n = 0;
			int from = depth;
			while (from > 0 && path[from] != j)
				from--;
			for (int k = from; k <= depth && n < size; k++)
				n += (size_t)snprintf(msg + n, size - n, "%s -> ", p->svcs[path[k]].name);
			if (n < size)
				snprintf(msg + n, size - n, "%s", p->svcs[j].name);
			return 1;
		}
		if (cycle(p, j, mark, path, depth + 1, msg, size))
			return 1;
	}
	mark[i] = 2;
	return 0;
}

int compose_check(struct cparse *c)
{
	struct compose_project *p = c->p;
	char where[1400];
	for (int i = 0; i < p->nsvcs; i++) {
		struct compose_service *s = &p->svcs[i];
		snprintf(where, sizeof where, "%s:%d: services.%s", c->t->file, s->line, s->name);
		for (int d = 0; d < s->ndeps; d++)
			if (s->deps[d].required && !compose_service(p, s->deps[d].service))
				return lerr_set(c->e, LX_LOCHS, "%s.depends_on: no service %s", where, s->deps[d].service);
		for (char **n = s->networks; n && *n; n++)
			if (!has_net(p, *n))
				return lerr_set(c->e, LX_LOCHS, "%s.networks: network %s is not declared under networks:", where, *n);
		for (int m = 0; m < s->spec.nmounts; m++) {
			const struct svc_mount *mt = &s->spec.mounts[m];
			const char *vol = mt->source ? mt->source + strlen(p->name) + 1 : NULL;
			if (!strcmp(mt->type, "volume") && vol && !has_vol(p, vol))
				return lerr_set(c->e, LX_LOCHS, "%s.volumes: volume %s is not declared under volumes:", where, vol);
		}
		for (char **n = s->secrets; n && *n; n++)
			if (!listed(p->secrets, *n))
				return lerr_set(c->e, LX_LOCHS, "%s.secrets: secret %s is not declared under secrets:", where, *n);
		for (char **n = s->configs; n && *n; n++)
			if (!listed(p->configs, *n))
				return lerr_set(c->e, LX_LOCHS, "%s.configs: config %s is not declared under configs:", where, *n);
	}
	int *mark = calloc((size_t)p->nsvcs + 1, sizeof *mark), *path = calloc((size_t)p->nsvcs + 1, sizeof *path);
	char msg[800];
	int rc = mark && path ? 0 : lerr_set(c->e, LX_LOCHS, "out of memory");
	for (int i = 0; rc == 0 && i < p->nsvcs; i++)
		if (!mark[i] && cycle(p, i, mark, path, 0, msg, sizeof msg))
			rc = lerr_set(c->e, LX_LOCHS, "%s: dependency cycle: %s", c->t->file, msg);
	free(mark);
	free(path);
	return rc;
}

static void service_free(struct compose_service *s)
{
	free(s->name);
	svc_free(&s->spec);
	for (int i = 0; i < s->ndeps; i++)
		free(s->deps[i].service);
	free(s->deps);
	strv_free(s->health.test);
	strv_free(s->profiles);
	free(s->stop_signal);
	strv_free(s->secrets);
	strv_free(s->configs);
	for (int i = 0; i < s->nwatch; i++) {
		free(s->watch[i].path), free(s->watch[i].action), free(s->watch[i].target);
		strv_free(s->watch[i].ignore);
	}
	free(s->watch);
	strv_free(s->env_files);
	free(s->build_context), free(s->build_dockerfile), free(s->build_target);
	strv_free(s->build_args);
	compose_svcnet_free(s);
	strv_free(s->networks);
}

void compose_free(struct compose_project *p)
{
	for (int i = 0; i < p->nsvcs; i++)
		service_free(&p->svcs[i]);
	free(p->svcs);
	for (int i = 0; i < p->nnets; i++) {
		free(p->nets[i].name), free(p->nets[i].subnet), free(p->nets[i].subnet6);
		strv_free(p->nets[i].labels);
	}
	free(p->nets);
	for (int i = 0; i < p->nvols; i++) {
		free(p->vols[i].name);
		strv_free(p->vols[i].labels);
	}
	free(p->vols);
	strv_free(p->secrets);
	strv_free(p->configs);
	free(p->name), free(p->dir), free(p->file);
	memset(p, 0, sizeof *p);
}
