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
void *cp_grow(void *arr, int *n, size_t size)
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
		struct compose_net *net = cp_grow(&c->p->nets, &c->p->nnets, sizeof *net);
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
		struct compose_volume *vol = cp_grow(&c->p->vols, &c->p->nvols, sizeof *vol);
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

/* secrets: and configs: at the top: file (beside lochs.yml), environment
 * (a variable's value), content (configs only) or external. */
static int top_objs(struct cparse *c, const yaml_node_t *n, const char *what, struct compose_fileobj **out, int *nout)
{
	static const char *const known[] = { "file", "environment", "content", "external", "name", NULL };
	for (int i = 0; i < cp_pairs(n); i++) {
		yaml_node_t *o, *v;
		const char *name = cp_key(c, n, i, &o);
		char where[300];
		snprintf(where, sizeof where, "%s.%s", what, name);
		struct compose_fileobj *f = cp_grow(out, nout, sizeof *f);
		if (!f || !(f->name = strdup(name)))
			return cp_err(c, o, where, "out of memory");
		if (ytree_is_null(o) || cp_keys(c, o, where, known, NULL) < 0)
			return ytree_is_null(o) ? cp_err(c, o, where, "file, environment%s or external is required",
							 what[0] == 'c' ? ", content" : "") : -1;
		if ((v = ytree_get(c->t, o, "content")) && what[0] == 's')
			return cp_err(c, v, where, "content is for configs only");
		if (((v = ytree_get(c->t, o, "file")) && !(f->file = cp_str(c, v, where))) ||
		    ((v = ytree_get(c->t, o, "environment")) && !(f->environment = cp_str(c, v, where))) ||
		    ((v = ytree_get(c->t, o, "content")) && !(f->content = cp_str(c, v, where))) ||
		    ((v = ytree_get(c->t, o, "external")) && cp_bool(c, v, where, &f->external) < 0))
			return -1;
		if (!!f->file + !!f->environment + !!f->content + f->external != 1)
			return cp_err(c, o, where, "one of file, environment%s or external is required",
				      what[0] == 'c' ? ", content" : "");
		if (f->file && f->file[0] != '/') { /* beside lochs.yml */
			char full[PATH_MAX + 300];
			snprintf(full, sizeof full, "%s/%s", c->p->dir, f->file[0] == '.' && f->file[1] == '/' ? f->file + 2 : f->file);
			free(f->file);
			f->file = strdup(full);
		}
		const char *val = f->environment ? cp_getenv(c, f->environment) : f->content;
		if (f->environment && !val)
			return cp_err(c, ytree_get(c->t, o, "environment"), where, "variable %s is not set", f->environment);
		if (val && !(f->value = strdup(val)))
			return cp_err(c, o, where, "out of memory");
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
		struct compose_service *s = cp_grow(&c->p->svcs, &c->p->nsvcs, sizeof *s);
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

int cp_project(struct cparse *c, const char *project)
{
	struct ytree *t = c->t;
	struct compose_project *p = c->p;
	yaml_node_t *root = ytree_root(t), *n;
	static const char *const known[] = { "name", "version", "services", "networks", "volumes", "secrets", "configs",
					     "include", NULL };
	static const char *const later[] = { "models", NULL };
	if (interpolate(c) < 0 || cp_keys(c, root, "(top level)", known, later) < 0)
		return -1;
	const char *named = ytree_scalar(ytree_get(t, root, "name"));
	p->name = project_name(project ? project : named ? named : basename(p->dir));
	if (!p->name || !*p->name)
		return ytree_err(t, root, c->e, "the project has no name (use -p NAME or name:)");
	if (((n = ytree_get(t, root, "networks")) && top_nets(c, n) < 0) ||
	    ((n = ytree_get(t, root, "volumes")) && top_vols(c, n) < 0) ||
	    ((n = ytree_get(t, root, "secrets")) && top_objs(c, n, "secrets", &p->secrets, &p->nsecrets) < 0) ||
	    ((n = ytree_get(t, root, "configs")) && top_objs(c, n, "configs", &p->configs, &p->nconfigs) < 0))
		return -1;
	n = ytree_get(t, root, "services");
	/* A file of include: alone may have no services. */
	return !n && ytree_get(t, root, "include") ? 0 : services(c, n);
}
