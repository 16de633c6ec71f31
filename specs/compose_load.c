/* A project from its files: the -f files merged in order (yamlmerge.h),
 * the .env beside the first, the top level read, include:d files loaded
 * as projects of their own and added, profiles applied, then the checks
 * across everything and the secrets and configs mounted. */
#include "compose_parse.h"
#include "yamlmerge.h"
#include <errno.h>
#include <libgen.h>
#include <unistd.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int compose_opt_arg(struct compose_opts *o, int argc, char **argv, int *i, struct lerr *e)
{
	static const struct {
		const char *flag, *alt;
	} flags[] = { { "-f", "--file" }, { "-p", "--project-name" }, { "--profile", NULL } };
	const char *a = argv[*i], *val = NULL;
	size_t k = 0, n;
	for (; k < sizeof flags / sizeof *flags; k++) {
		const char *f = flags[k].alt ? flags[k].alt : flags[k].flag;
		n = strlen(f);
		if (!strcmp(a, flags[k].flag) || !strcmp(a, f))
			break;
		if (!strncmp(a, f, n) && a[n] == '=') {
			val = a + n + 1;
			break;
		}
	}
	if (k == sizeof flags / sizeof *flags)
		return 0;
	if (!val && *i + 1 >= argc)
		return lerr_set(e, LX_USAGE, "%s needs a value", a);
	if (!val)
		val = argv[++*i];
	if (k == 1) {
		o->project = val;
		return 1;
	}
	return strv_push(k == 0 ? &o->files : &o->profiles, val) < 0 ? lerr_set(e, LX_LOCHS, "out of memory") : 1;
}

void compose_opts_free(struct compose_opts *o)
{
	strv_free(o->files), strv_free(o->profiles), strv_free(o->named);
	o->files = o->profiles = o->named = NULL;
}

static int listed(char *const *v, const char *s)
{
	for (; v && *v; v++)
		if (!strcmp(*v, s))
			return 1;
	return 0;
}

/* The -f files as one tree. */
static int load_tree(char **files, struct ytree *t, struct lerr *e)
{
	if (ytree_load(files[0], t, e) < 0)
		return -1;
	for (char **f = files + 1; *f; f++) {
		struct ytree more;
		if (ytree_load(*f, &more, e) < 0 || ytree_merge(t, &more, e) < 0) {
			ytree_free(&more);
			ytree_free(t);
			return -1;
		}
		ytree_free(&more);
	}
	return 0;
}

/* The env files (include's env_file) or DIR/.env, later keys winning. */
static int read_env(const struct compose_opts *o, const char *dir, struct dotenv *out, struct lerr *e)
{
	char def[PATH_MAX + 8], why[256];
	snprintf(def, sizeof def, "%s/.env", dir);
	char *defv[] = { def, NULL }, **files = o->env_files ? o->env_files : defv;
	for (char **f = files; *f; f++) {
		struct dotenv d = { 0 };
		int line;
		if (dotenv_read(*f, &d, &line, why, sizeof why) < 0) {
			if (line > 0 || o->env_files)
				return line > 0 ? lerr_set(e, LX_LOCHS, "%s:%d: %s", *f, line, why)
						: lerr_set(e, LX_LOCHS, "%s: cannot be read", *f);
			continue;
		}
		for (int i = 0; i < d.n; i++) {
			int k = 0;
			while (k < out->n && strcmp(out->keys[k], d.keys[i]))
				k++;
			if (k == out->n) {
				char **ks = realloc(out->keys, sizeof *ks * (size_t)(k + 1)), **vs;
				if (ks)
					out->keys = ks;
				if (!ks || !(vs = realloc(out->values, sizeof *vs * (size_t)(k + 1))))
					return lerr_set(e, LX_LOCHS, "out of memory");
				out->values = vs, vs[k] = NULL, ks[k] = d.keys[i], d.keys[i] = NULL, out->n++;
			}
			free(out->values[k]);
			out->values[k] = d.values[i], d.values[i] = NULL;
		}
		dotenv_free(&d);
	}
	return 0;
}

static const struct compose_net *net_named(const struct compose_project *p, const char *name)
{
	for (int i = 0; i < p->nnets; i++)
		if (!strcmp(p->nets[i].name, name))
			return &p->nets[i];
	return NULL;
}

static int same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* The included project q's services, networks, volumes, secrets and
 * configs moved into p; a service of the same name, or a network, volume,
 * secret or config declared differently, is a conflict. */
static int take(struct cparse *c, const yaml_node_t *at, struct compose_project *q)
{
	struct compose_project *p = c->p;
	for (int i = 0; i < q->nsvcs; i++) {
		struct compose_service *s = compose_service(p, q->svcs[i].name);
		if (s)
			return ytree_err(c->t, at, c->e, "include: service %s is defined in both %s and %s", s->name,
					 s->file ? s->file : c->t->file, q->file);
	}
	for (int i = 0; i < q->nnets; i++) {
		const struct compose_net *a = net_named(p, q->nets[i].name), *b = &q->nets[i];
		if (a && (a->internal != b->internal || a->ipv6 != b->ipv6 || a->external != b->external ||
			  !same_str(a->subnet, b->subnet) || !same_str(a->subnet6, b->subnet6)))
			return ytree_err(c->t, at, c->e, "include: network %s is declared differently in %s and %s", a->name,
					 c->t->file, q->file);
	}
	for (int i = 0; i < q->nsvcs; i++) {
		struct compose_service *s = cp_grow(&p->svcs, &p->nsvcs, sizeof *s);
		if (!s)
			return lerr_set(c->e, LX_LOCHS, "out of memory");
		*s = q->svcs[i];
		if (!s->file)
			s->file = strdup(q->file);
	}
	q->nsvcs = 0;
	for (int i = 0; i < q->nnets; i++) {
		if (net_named(p, q->nets[i].name))
			continue;
		struct compose_net *n = cp_grow(&p->nets, &p->nnets, sizeof *n);
		if (!n)
			return lerr_set(c->e, LX_LOCHS, "out of memory");
		*n = q->nets[i];
		memset(&q->nets[i], 0, sizeof q->nets[i]);
	}
	int vi = 0;
	for (int i = 0; i < q->nvols; i++) {
		for (vi = 0; vi < p->nvols && strcmp(p->vols[vi].name, q->vols[i].name); vi++)
			;
		if (vi < p->nvols)
			continue;
		struct compose_volume *v = cp_grow(&p->vols, &p->nvols, sizeof *v);
		if (!v)
			return lerr_set(c->e, LX_LOCHS, "out of memory");
		*v = q->vols[i];
		memset(&q->vols[i], 0, sizeof q->vols[i]);
	}
	struct {
		struct compose_fileobj **to, *from;
		int *nto, nfrom;
	} objs[] = { { &p->secrets, q->secrets, &p->nsecrets, q->nsecrets }, { &p->configs, q->configs, &p->nconfigs, q->nconfigs } };
	for (int k = 0; k < 2; k++)
		for (int i = 0; i < objs[k].nfrom; i++) {
			struct compose_fileobj *f = &objs[k].from[i];
			int j = 0;
			while (j < *objs[k].nto && strcmp((*objs[k].to)[j].name, f->name))
				j++;
			if (j < *objs[k].nto && !same_str((*objs[k].to)[j].file, f->file))
				return ytree_err(c->t, at, c->e, "include: %s %s is declared differently in %s and %s",
						 k ? "config" : "secret", f->name, c->t->file, q->file);
			if (j < *objs[k].nto)
				continue;
			struct compose_fileobj *g = cp_grow(objs[k].to, objs[k].nto, sizeof *g);
			if (!g)
				return lerr_set(c->e, LX_LOCHS, "out of memory");
			*g = *f;
			memset(f, 0, sizeof *f);
		}
	for (char **f = q->files; f && *f; f++)
		if (strv_push(&p->files, *f) < 0)
			return lerr_set(c->e, LX_LOCHS, "out of memory");
	return 0;
}

/* A path of an include entry, beside the including file. */
static char *beside(struct cparse *c, const char *path)
{
	char full[PATH_MAX * 2];
	if (path[0] == '/')
		return strdup(path);
	snprintf(full, sizeof full, "%s/%s", c->p->dir, path[0] == '.' && path[1] == '/' ? path + 2 : path);
	return strdup(full);
}

static char **paths(struct cparse *c, const yaml_node_t *n, const char *key)
{
	char **v = n ? cp_strv(c, n, key, 1) : NULL, **out = NULL;
	for (char **p = v; p && *p; p++) {
		char *full = beside(c, *p);
		if (!full || strv_push(&out, full) < 0) {
			free(full);
			strv_free(v);
			strv_free(out);
			return NULL;
		}
		free(full);
	}
	strv_free(v);
	return out;
}

static int one_include(struct cparse *c, const yaml_node_t *it)
{
	static const char *const known[] = { "path", "project_directory", "env_file", NULL };
	struct compose_opts sub = { .project = c->p->name, .env = c->o->env, .depth = c->o->depth + 1, .all_profiles = 1 };
	char *pdir = NULL;
	int rc = -1;
	if (c->o->depth >= 8)
		return ytree_err(c->t, it, c->e, "include: nested too deep (does a file include itself?)");
	if (ytree_scalar(it)) {
		sub.files = paths(c, it, "include");
	} else if (cp_keys(c, it, "include", known, NULL) == 0) {
		yaml_node_t *pd = ytree_get(c->t, it, "project_directory");
		sub.files = paths(c, ytree_get(c->t, it, "path"), "include.path");
		sub.env_files = paths(c, ytree_get(c->t, it, "env_file"), "include.env_file");
		if (pd && ytree_scalar(pd))
			sub.project_dir = pdir = beside(c, ytree_scalar(pd));
	} else {
		return -1;
	}
	struct compose_project q;
	int missing = 0;
	for (char **f = sub.files; f && *f && !missing; f++)
		if (access(*f, R_OK) < 0)
			missing = ytree_err(c->t, it, c->e, "include: %s: %s", *f, strerror(errno));
	if (missing || (!sub.files && (ytree_scalar(it) || ytree_get(c->t, it, "path"))))
		rc = -1; /* said why */
	else if (!sub.files)
		rc = ytree_err(c->t, it, c->e, "include: path is required");
	else if (compose_load_opts(&sub, &q, c->e) == 0) {
		rc = take(c, it, &q);
		compose_free(&q);
	}
	free(pdir);
	strv_free(sub.files);
	strv_free(sub.env_files);
	return rc;
}

static int includes(struct cparse *c)
{
	yaml_node_t *n = ytree_get(c->t, ytree_root(c->t), "include");
	if (n && n->type != YAML_SEQUENCE_NODE)
		return ytree_err(c->t, n, c->e, "include: a list expected");
	for (int i = 0; i < cp_items(n); i++)
		if (one_include(c, cp_item(c, n, i)) < 0)
			return -1;
	return 0;
}

/* A service is active with no profiles, when named on the command line,
 * or when one of its profiles is enabled (--profile, COMPOSE_PROFILES;
 * "*" enables all). */
static int active(const struct compose_service *s, char *const *on)
{
	if (!s->profiles || listed(on, "*"))
		return 1;
	for (char **p = s->profiles; *p; p++)
		if (listed(on, *p))
			return 1;
	return 0;
}

static int profiles(struct cparse *c)
{
	struct compose_project *p = c->p;
	char **on = NULL, *buf = NULL;
	const char *env = cp_getenv(c, "COMPOSE_PROFILES");
	int rc = 0, *keep = calloc((size_t)p->nsvcs + 1, sizeof *keep);
	for (char **v = c->o->profiles; v && *v && rc == 0; v++)
		rc = strv_push(&on, *v);
	if (env && rc == 0 && (buf = strdup(env)))
		for (char *save, *t = strtok_r(buf, ",", &save); t && rc == 0; t = strtok_r(NULL, ",", &save))
			rc = strv_push(&on, t);
	if (rc < 0 || !keep || (env && !buf))
		rc = lerr_set(c->e, LX_LOCHS, "out of memory");
	for (int i = 0; rc == 0 && i < p->nsvcs; i++)
		keep[i] = active(&p->svcs[i], on) || listed(c->o->named, p->svcs[i].name);
	/* A kept service may not need a left-out one. */
	for (int i = 0; rc == 0 && i < p->nsvcs; i++)
		for (int d = 0; keep[i] && d < p->svcs[i].ndeps && rc == 0; d++) {
			struct compose_service *t = compose_service(p, p->svcs[i].deps[d].service);
			if (t && !keep[t - p->svcs] && p->svcs[i].deps[d].required)
				rc = cp_ref_err(c, &p->svcs[i], "depends_on", t->name,
						"service %s is not enabled (profiles: %s; use --profile %s)", t->name,
						t->profiles[0], t->profiles[0]);
		}
	int n = 0;
	for (int i = 0; rc == 0 && i < p->nsvcs; i++) {
		if (keep[i])
			p->svcs[n++] = p->svcs[i];
		else
			cp_service_free(&p->svcs[i]);
	}
	if (rc == 0)
		p->nsvcs = n;
	strv_free(on);
	free(buf);
	free(keep);
	return rc;
}

int compose_load_opts(const struct compose_opts *o, struct compose_project *p, struct lerr *e)
{
	memset(p, 0, sizeof *p);
	char *dflt[] = { "lochs.yml", NULL }, **files = o->files && o->files[0] ? o->files : dflt;
	struct ytree t;
	if (load_tree(files, &t, e) < 0)
		return -1;
	char dir[PATH_MAX];
	char *copy = strdup(o->project_dir ? o->project_dir : files[0]);
	const char *d = copy && o->project_dir ? copy : copy ? dirname(copy) : ".";
	if (!realpath(d, dir))
		snprintf(dir, sizeof dir, "%s", d);
	free(copy);
	struct dotenv dot = { 0 };
	struct cparse c = { &t, p, e, o->env, &dot, o };
	int rc = -1;
	p->file = strdup(files[0]);
	p->dir = strdup(dir);
	for (char **f = files; *f; f++)
		if (strv_push(&p->files, *f) < 0)
			goto out;
	if (read_env(o, dir, &dot, e) < 0 || cp_project(&c, o->project) < 0 || includes(&c) < 0 ||
	    (!o->all_profiles && profiles(&c) < 0) || compose_check(&c) < 0 || cp_filemounts(&c) < 0)
		goto out;
	rc = 0;
out:
	dotenv_free(&dot);
	ytree_free(&t);
	if (rc < 0)
		compose_free(p);
	return rc;
}

int compose_load(const char *file, const char *project, char *const *env, struct compose_project *p, struct lerr *e)
{
	char *files[] = { (char *)file, NULL };
	struct compose_opts o = { .files = files, .project = project, .env = env };
	return compose_load_opts(&o, p, e);
}
