/* secrets and configs: a service's references (short: a name; long:
 * source, target, uid, gid, mode) and, once the project is read, the
 * read-only files they become in its jail: secrets at /run/secrets/TARGET,
 * configs at /TARGET (Compose's defaults). A file: source is bound as it
 * is; content and environment ones are written by Lochs when the jail is
 * made (svc_mount.content), with mode, uid and gid. */
#include "compose_keys.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* mode: octal as Compose writes it (0440, 0o440), else decimal. */
static int mode_of(struct key_ctx *k, const yaml_node_t *n, int *out)
{
	const char *s = ytree_scalar(n);
	char *end;
	long v = !s ? -1 : !strncmp(s, "0o", 2) ? strtol(s + 2, &end, 8) : strtol(s, &end, s[0] == '0' ? 8 : 10);
	if (!s || !*s || *end || v < 0 || v > 07777)
		return cp_err(k->c, n, k->path, "mode: a file mode such as 0440 expected");
	*out = (int)v;
	return 0;
}

static int id_of(struct key_ctx *k, const yaml_node_t *n, char **out)
{
	const char *s = ytree_scalar(n);
	char *end;
	long v = s ? strtol(s, &end, 10) : -1;
	if (!s || !*s || *end || v < 0 || v > 0x7fffffff)
		return cp_err(k->c, n, k->path, "uid and gid: a number expected");
	return (*out = strdup(s)) ? 0 : cp_err(k->c, n, k->path, "out of memory");
}

static int refs(struct key_ctx *k, const yaml_node_t *v, struct compose_mref **out, int *nout)
{
	static const char *const known[] = { "source", "target", "uid", "gid", "mode", NULL };
	if (v->type != YAML_SEQUENCE_NODE)
		return cp_err(k->c, v, k->path, "a list expected");
	for (int i = 0; i < cp_items(v); i++) {
		yaml_node_t *it = cp_item(k->c, v, i), *n;
		struct compose_mref *r = cp_grow(out, nout, sizeof *r);
		if (!r)
			return cp_err(k->c, it, k->path, "out of memory");
		r->mode = -1;
		if (ytree_scalar(it)) {
			if (!(r->source = cp_str(k->c, it, k->path)))
				return -1;
			continue;
		}
		if (cp_keys(k->c, it, k->path, known, NULL) < 0)
			return -1;
		if (!(n = ytree_get(k->c->t, it, "source")))
			return cp_err(k->c, it, k->path, "source is required");
		if (!(r->source = cp_str(k->c, n, k->path)) ||
		    ((n = ytree_get(k->c->t, it, "target")) && !(r->target = cp_str(k->c, n, k->path))) ||
		    ((n = ytree_get(k->c->t, it, "uid")) && id_of(k, n, &r->uid) < 0) ||
		    ((n = ytree_get(k->c->t, it, "gid")) && id_of(k, n, &r->gid) < 0) ||
		    ((n = ytree_get(k->c->t, it, "mode")) && mode_of(k, n, &r->mode) < 0))
			return -1;
	}
	return 0;
}

int k_secrets(struct key_ctx *k, const yaml_node_t *v)
{
	return refs(k, v, &k->s->secrets, &k->s->nsecrets);
}

int k_configs(struct key_ctx *k, const yaml_node_t *v)
{
	return refs(k, v, &k->s->configs, &k->s->nconfigs);
}

static const struct compose_fileobj *declared(const struct compose_fileobj *v, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(v[i].name, name))
			return &v[i];
	return NULL;
}

/* The mounts of one service's references; secret: /run/secrets/ else /. */
static int mount_refs(struct cparse *c, struct compose_service *s, const struct compose_mref *r, int n,
		      const struct compose_fileobj *decl, int ndecl, int secret)
{
	const char *what = secret ? "secrets" : "configs";
	for (int i = 0; i < n; i++) {
		const struct compose_fileobj *f = declared(decl, ndecl, r[i].source);
		if (!f) /* compose_check names it */
			continue;
		if (f->external)
			return cp_ref_err(c, s, what, r[i].source, "%s %s is external: not supported by Lochs",
					  secret ? "secret" : "config", r[i].source);
		const char *t = r[i].target ? r[i].target : r[i].source;
		char target[4096];
		snprintf(target, sizeof target, "%s%s", t[0] == '/' ? "" : secret ? "/run/secrets/" : "/", t);
		struct svc_mount *m = cp_grow(&s->spec.mounts, &s->spec.nmounts, sizeof *m);
		if (!m)
			return lerr_set(c->e, LX_LOCHS, "out of memory");
		*m = (struct svc_mount){ strdup("bind"), f->file ? strdup(f->file) : NULL, strdup(target), NULL, 1,
					 f->file ? NULL : strdup(f->value), r[i].mode,
					 r[i].uid ? atoi(r[i].uid) : -1, r[i].gid ? atoi(r[i].gid) : -1 };
		s->nfilemounts++;
		if (!m->type || !m->target || (f->file && !m->source) || (!f->file && !m->content))
			return lerr_set(c->e, LX_LOCHS, "out of memory");
	}
	return 0;
}

int cp_filemounts(struct cparse *c)
{
	struct compose_project *p = c->p;
	for (int i = 0; i < p->nsvcs; i++) {
		struct compose_service *s = &p->svcs[i];
		if (s->file) /* an included service: done by its own load */
			continue;
		if (mount_refs(c, s, s->secrets, s->nsecrets, p->secrets, p->nsecrets, 1) < 0 ||
		    mount_refs(c, s, s->configs, s->nconfigs, p->configs, p->nconfigs, 0) < 0)
			return -1;
	}
	return 0;
}
