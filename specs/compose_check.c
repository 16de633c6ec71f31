/* The checks across a project's services (compose_parse.h), and the
 * model's lookup and release. */
#include "compose_keys.h"
#include <stdarg.h>
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

static int has_obj(const struct compose_fileobj *v, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(v[i].name, name))
			return 1;
	return 0;
}

/* Service s's KEY entry naming name: a mapping's key, a list item that
 * is name, starts with "name:" or has source: name; else KEY's value. */
static yaml_node_t *ref_node(struct cparse *c, const struct compose_service *s, const char *key, const char *name)
{
	yaml_node_t *svc = ytree_get(c->t, ytree_get(c->t, ytree_root(c->t), "services"), s->name);
	yaml_node_t *v = s->file ? NULL : ytree_get(c->t, svc, key);
	size_t n = strlen(name);
	for (int i = 0; v && i < cp_pairs(v); i++) {
		yaml_node_t *k = ytree_at(c->t, v->data.mapping.pairs.start[i].key);
		if (ytree_scalar(k) && !strcmp(ytree_scalar(k), name))
			return k;
	}
	for (int i = 0; v && i < cp_items(v); i++) {
		yaml_node_t *it = cp_item(c, v, i);
		const char *t = ytree_scalar(it) ? ytree_scalar(it) : ytree_scalar(ytree_get(c->t, it, "source"));
		if (t && !strncmp(t, name, n) && (!t[n] || t[n] == ':'))
			return it;
	}
	return v;
}

int cp_ref_err(struct cparse *c, const struct compose_service *s, const char *key, const char *name, const char *fmt, ...)
{
	char msg[700];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	yaml_node_t *at = ref_node(c, s, key, name);
	if (at)
		return ytree_err(c->t, at, c->e, "services.%s.%s: %s", s->name, key, msg);
	return lerr_set(c->e, LX_LOCHS, "%s:%d: services.%s.%s: %s", s->file ? s->file : c->t->file, s->line, s->name,
			key, msg);
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
	for (int i = 0; i < p->nsvcs; i++) {
		struct compose_service *s = &p->svcs[i];
		if (s->file) /* included: checked by its own load */
			continue;
		for (int d = 0; d < s->ndeps; d++)
			if (s->deps[d].required && !compose_service(p, s->deps[d].service))
				return cp_ref_err(c, s, "depends_on", s->deps[d].service, "no service %s", s->deps[d].service);
		for (char **n = s->networks; n && *n; n++)
			if (!has_net(p, *n))
				return cp_ref_err(c, s, "networks", *n, "network %s is not declared under networks:", *n);
		for (int m = 0; m < s->spec.nmounts; m++) {
			const struct svc_mount *mt = &s->spec.mounts[m];
			const char *vol = mt->source ? mt->source + strlen(p->name) + 1 : NULL;
			if (!strcmp(mt->type, "volume") && vol && !has_vol(p, vol))
				return cp_ref_err(c, s, "volumes", vol, "volume %s is not declared under volumes:", vol);
		}
		for (int k = 0; k < s->nsecrets; k++)
			if (!has_obj(p->secrets, p->nsecrets, s->secrets[k].source))
				return cp_ref_err(c, s, "secrets", s->secrets[k].source, "secret %s is not declared under secrets:",
						  s->secrets[k].source);
		for (int k = 0; k < s->nconfigs; k++)
			if (!has_obj(p->configs, p->nconfigs, s->configs[k].source))
				return cp_ref_err(c, s, "configs", s->configs[k].source, "config %s is not declared under configs:",
						  s->configs[k].source);
	}
	int *mark = calloc((size_t)p->nsvcs + 1, sizeof *mark), *path = calloc((size_t)p->nsvcs + 1, sizeof *path);
	char msg[800];
	int rc = mark && path ? 0 : lerr_set(c->e, LX_LOCHS, "out of memory");
	for (int i = 0; rc == 0 && i < p->nsvcs; i++)
		if (!mark[i] && cycle(p, i, mark, path, 0, msg, sizeof msg)) {
			/* msg starts "a -> b": the cycle is shown at a's depends_on b. */
			char first[256], next[256];
			sscanf(msg, "%255s -> %255s", first, next);
			rc = cp_ref_err(c, compose_service(p, first), "depends_on", next, "dependency cycle: %s", msg);
		}
	free(mark);
	free(path);
	return rc;
}

static void refs_free(struct compose_mref *r, int n)
{
	for (int i = 0; i < n; i++)
		free(r[i].source), free(r[i].target), free(r[i].uid), free(r[i].gid);
	free(r);
}

static void objs_free(struct compose_fileobj *o, int n)
{
	for (int i = 0; i < n; i++)
		free(o[i].name), free(o[i].file), free(o[i].environment), free(o[i].content), free(o[i].value);
	free(o);
}

void cp_service_free(struct compose_service *s)
{
	free(s->name);
	svc_free(&s->spec);
	for (int i = 0; i < s->ndeps; i++)
		free(s->deps[i].service);
	free(s->deps);
	strv_free(s->health.test);
	strv_free(s->profiles);
	free(s->stop_signal);
	refs_free(s->secrets, s->nsecrets);
	refs_free(s->configs, s->nconfigs);
	free(s->file);
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
		cp_service_free(&p->svcs[i]);
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
	objs_free(p->secrets, p->nsecrets);
	objs_free(p->configs, p->nconfigs);
	strv_free(p->files);
	free(p->name), free(p->dir), free(p->file);
	memset(p, 0, sizeof *p);
}
