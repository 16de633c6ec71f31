/* lochs.yml's top level: the project's name and folder, interpolation of
 * every value, the services, networks, volumes, secrets and configs, and
 * the checks across them (references declared, no dependency cycle). */
#include "compose_parse.h"
#include "interp.h"
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *cp_getenv(const struct cparse *c, const char *name)
{
	size_t n = strlen(name);
	for (char *const *e = c->env; e && *e; e++)
		if (!strncmp(*e, name, n) && (*e)[n] == '=')
			return *e + n + 1;
	return c->dotenv ? dotenv_get(c->dotenv, name) : NULL;
}

static const char *lookup(const char *name, void *arg)
{
	return cp_getenv(arg, name);
}

/* Interpolates every scalar value (not keys) in place. */
static int interpolate(struct cparse *c)
{
	for (yaml_node_t *n = c->t->doc.nodes.start; n < c->t->doc.nodes.top; n++) {
		if (n->type == YAML_MAPPING_NODE)
			continue;
		if (n->type != YAML_SCALAR_NODE || !strchr((char *)n->data.scalar.value, '$'))
			continue;
		int is_key = 0;
		for (yaml_node_t *m = c->t->doc.nodes.start; m < c->t->doc.nodes.top && !is_key; m++)
			for (int i = 0; m->type == YAML_MAPPING_NODE && i < cp_pairs(m); i++)
				is_key |= ytree_at(c->t, m->data.mapping.pairs.start[i].key) == n;
		if (is_key)
			continue;
		char why[512];
		char *v = interp_string((char *)n->data.scalar.value, lookup, c, why, sizeof why);
		if (!v)
			return ytree_err(c->t, n, c->e, "%s", why);
		free(n->data.scalar.value);
		n->data.scalar.value = (unsigned char *)v;
		n->data.scalar.length = strlen(v);
	}
	return 0;
}

/* Compose project names: lower case letters, digits, '-' and '_'. */
static char *project_name(const char *s)
{
	char *p = strdup(s);
	for (char *q = p; q && *q; q++) {
		*q = (char)(*q >= 'A' && *q <= 'Z' ? *q - 'A' + 'a' : *q);
		if (!((*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') || *q == '-' || *q == '_'))
			*q = '_';
	}
	return p;
}

/* A new zeroed element at the end of *arr (n elements of size bytes). */
static void *grow(void *arr, int *n, size_t size)
{
	void **a = arr;
	char *v = realloc(*a, (size_t)(*n + 1) * size);
	if (!v)
		return NULL;
	*a = v;
	return memset(v + (size_t)(*n)++ * size, 0, size);
}

static int top_nets(struct cparse *c, const yaml_node_t *n)
{
	static const char *const known[] = { "driver", "internal", "enable_ipv6", "ipam", "labels", "external", "name",
					     "attachable", "driver_opts", NULL };
	for (int i = 0; i < cp_pairs(n); i++) {
		yaml_node_t *o, *v;
		const char *name = cp_key(c, n, i, &o);
		struct compose_net *net = grow(&c->p->nets, &c->p->nnets, sizeof *net);
		if (!net || !(net->name = strdup(name)))
			return cp_err(c, o, "networks", "out of memory");
		char where[300];
		snprintf(where, sizeof where, "networks.%s", name);
		if (ytree_is_null(o))
			continue;
		if (cp_keys(c, o, where, known, NULL) < 0)
			return -1;
		const char *drv = ytree_scalar(ytree_get(c->t, o, "driver"));
		if (drv && strcmp(drv, "bridge"))
			return cp_err(c, ytree_get(c->t, o, "driver"), where, "only the bridge driver");
		if (((v = ytree_get(c->t, o, "internal")) && cp_bool(c, v, where, &net->internal) < 0) ||
		    ((v = ytree_get(c->t, o, "enable_ipv6")) && cp_bool(c, v, where, &net->ipv6) < 0) ||
		    ((v = ytree_get(c->t, o, "external")) && cp_bool(c, v, where, &net->external) < 0) ||
		    ((v = ytree_get(c->t, o, "labels")) && !(net->labels = cp_kv(c, v, where))))
			return -1;
		yaml_node_t *cfg = ytree_get(c->t, ytree_get(c->t, o, "ipam"), "config");
		for (int k = 0; k < cp_items(cfg); k++) {
			const char *sub = ytree_scalar(ytree_get(c->t, cp_item(c, cfg, k), "subnet"));
			if (sub && strchr(sub, ':') && !net->subnet6)
				net->subnet6 = strdup(sub);
			else if (sub && !strchr(sub, ':') && !net->subnet)
				net->subnet = strdup(sub);
		}
	}
	return 0;
}

static int top_vols(struct cparse *c, const yaml_node_t *n)
{
	static const char *const known[] = { "driver", "labels", "external", "name", "driver_opts", NULL };
	for (int i = 0; i < cp_pairs(n); i++) {
		yaml_node_t *o, *v;
		const char *name = cp_key(c, n, i, &o);
		struct compose_volume *vol = grow(&c->p->vols, &c->p->nvols, sizeof *vol);
		if (!vol || !(vol->name = strdup(name)))
			return cp_err(c, o, "volumes", "out of memory");
		char where[300];
		snprintf(where, sizeof where, "volumes.%s", name);
		if (ytree_is_null(o))
			continue;
		if (cp_keys(c, o, where, known, NULL) < 0 ||
		    ((v = ytree_get(c->t, o, "external")) && cp_bool(c, v, where, &vol->external) < 0) ||
		    ((v = ytree_get(c->t, o, "labels")) && !(vol->labels = cp_kv(c, v, where))))
			return -1;
	}
	return 0;
}

static int top_names(struct cparse *c, const yaml_node_t *n, const char *what, char ***out)
{
	static const char *const known[] = { "file", "environment", "content", "external", "name", NULL };
	for (int i = 0; i < cp_pairs(n); i++) {
		yaml_node_t *o;
		const char *name = cp_key(c, n, i, &o);
		char where[300];
		snprintf(where, sizeof where, "%s.%s", what, name);
		if ((!ytree_is_null(o) && cp_keys(c, o, where, known, NULL) < 0) || strv_push(out, name) < 0)
			return -1;
	}
	return 0;
}

static int services(struct cparse *c, const yaml_node_t *n)
{
	if (!n || n->type != YAML_MAPPING_NODE)
		return ytree_err(c->t, n ? n : ytree_root(c->t), c->e, "services: a mapping of services is required");
	for (int i = 0; i < cp_pairs(n); i++) {
		yaml_node_t *o;
		const char *name = cp_key(c, n, i, &o);
		struct compose_service *s = grow(&c->p->svcs, &c->p->nsvcs, sizeof *s);
		if (!s || !(s->name = strdup(name)))
			return cp_err(c, o, "services", "out of memory");
		s->line = (int)o->start_mark.line + 1;
		if (cp_service(c, o, s) < 0)
			return -1;
		s->spec.project = strdup(c->p->name);
		s->spec.service = strdup(name);
	}
	return 0;
}

int compose_load(const char *file, const char *project, char *const *env, struct compose_project *p, struct lerr *e)
{
	struct ytree t;
	memset(p, 0, sizeof *p);
	if (ytree_load(file, &t, e) < 0)
		return -1;
	char dir[PATH_MAX], envpath[PATH_MAX + 8], why[256];
	char *copy = strdup(file);
	if (!copy || !realpath(dirname(copy), dir))
		snprintf(dir, sizeof dir, ".");
	free(copy);
	struct dotenv dot = { 0 };
	int line, rc = -1;
	snprintf(envpath, sizeof envpath, "%s/.env", dir);
	if (dotenv_read(envpath, &dot, &line, why, sizeof why) < 0 && line > 0) {
		lerr_set(e, LX_LOCHS, "%s:%d: %s", envpath, line, why);
		goto out;
	}
	struct cparse c = { &t, p, e, env, &dot };
	yaml_node_t *root = ytree_root(&t), *n;
	static const char *const known[] = { "name", "version", "services", "networks", "volumes", "secrets", "configs", NULL };
	static const char *const later[] = { "include", "models", NULL };
	p->file = strdup(file);
	p->dir = strdup(dir);
	if (interpolate(&c) < 0 || cp_keys(&c, root, "(top level)", known, later) < 0)
		goto out;
	const char *named = ytree_scalar(ytree_get(&t, root, "name"));
	p->name = project_name(project ? project : named ? named : basename(dir));
	if (!p->name || !*p->name) {
		ytree_err(&t, root, e, "the project has no name (use -p NAME or name:)");
		goto out;
	}
	if (((n = ytree_get(&t, root, "networks")) && top_nets(&c, n) < 0) ||
	    ((n = ytree_get(&t, root, "volumes")) && top_vols(&c, n) < 0) ||
	    ((n = ytree_get(&t, root, "secrets")) && top_names(&c, n, "secrets", &p->secrets) < 0) ||
	    ((n = ytree_get(&t, root, "configs")) && top_names(&c, n, "configs", &p->configs) < 0) ||
	    services(&c, ytree_get(&t, root, "services")) < 0 || compose_check(&c) < 0)
		goto out;
	rc = 0;
out:
	dotenv_free(&dot);
	ytree_free(&t);
	if (rc < 0)
		compose_free(p);
	return rc;
}
