/* lochs.yml service keys about the file system: volumes (short and long
 * syntax) and tmpfs. */
#include "compose_keys.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int add_mount(struct key_ctx *k, const yaml_node_t *at, const char *type, const char *src, const char *dst,
		     int ro, const char *opts)
{
	struct svc_spec *s = &k->s->spec;
	struct svc_mount *m = realloc(s->mounts, (size_t)(s->nmounts + 1) * sizeof *m);
	if (!m)
		return cp_err(k->c, at, k->path, "out of memory");
	s->mounts = m;
	char full[4096];
	const char *home = cp_getenv(k->c, "HOME");
	/* Bind sources beside lochs.yml (~ is $HOME, as Compose); named
	 * volumes are the project's. */
	if (!src)
		full[0] = 0;
	else if (!strcmp(type, "bind") && src[0] == '~' && (!src[1] || src[1] == '/') && !home)
		return cp_err(k->c, at, k->path, "%s: HOME is not set", src);
	else if (!strcmp(type, "bind") && src[0] == '~' && (!src[1] || src[1] == '/'))
		snprintf(full, sizeof full, "%s%s", home, src + 1);
	else if (!strcmp(type, "bind") && src[0] != '/')
		snprintf(full, sizeof full, "%s/%s", k->c->p->dir, src[0] == '.' && src[1] == '/' ? src + 2 : src);
	else if (!strcmp(type, "volume"))
		snprintf(full, sizeof full, "%s_%s", k->c->p->name, src);
	else
		snprintf(full, sizeof full, "%s", src);
	m[s->nmounts++] = (struct svc_mount){ strdup(type), src ? strdup(full) : NULL, strdup(dst), opts ? strdup(opts) : NULL, ro,
					      NULL, -1, -1, -1 };
	return dst[0] == '/' ? 0 : cp_err(k->c, at, k->path, "the target %s is not an absolute path", dst);
}

static int short_volume(struct key_ctx *k, const yaml_node_t *it, const char *spec)
{
	char buf[4096], *f[3] = { NULL, NULL, NULL };
	snprintf(buf, sizeof buf, "%s", spec);
	int n = 0;
	for (char *p = buf, *q; n < 3 && p; p = q) {
		q = strchr(p, ':');
		if (q)
			*q++ = 0;
		f[n++] = p;
	}
	if (n == 1) /* an anonymous volume: a tmpfs here (it would not outlive the jail anyway) */
		return add_mount(k, it, "tmpfs", NULL, f[0], 0, NULL);
	int ro = n == 3 && strstr(f[2], "ro") && !strstr(f[2], "rw");
	if (n == 3 && strcmp(f[2], "ro") && strcmp(f[2], "rw") && strcmp(f[2], "z") && strcmp(f[2], "Z"))
		return cp_err(k->c, it, k->path, "mode %s: ro or rw expected", f[2]);
	int bind = f[0][0] == '/' || f[0][0] == '.' || f[0][0] == '~';
	return add_mount(k, it, bind ? "bind" : "volume", f[0], f[1], ro, NULL);
}

int k_volumes(struct key_ctx *k, const yaml_node_t *v)
{
	if (v->type != YAML_SEQUENCE_NODE)
		return cp_err(k->c, v, k->path, "a list expected");
	for (int i = 0; i < cp_items(v); i++) {
		yaml_node_t *it = cp_item(k->c, v, i);
		if (ytree_scalar(it)) {
			if (short_volume(k, it, ytree_scalar(it)) < 0)
				return -1;
			continue;
		}
		static const char *const known[] = { "type", "source", "target", "read_only", "tmpfs", "bind", "volume",
						     "consistency", NULL };
		if (cp_keys(k->c, it, k->path, known, NULL) < 0)
			return -1;
		const char *type = ytree_scalar(ytree_get(k->c->t, it, "type"));
		const char *src = ytree_scalar(ytree_get(k->c->t, it, "source"));
		const char *dst = ytree_scalar(ytree_get(k->c->t, it, "target"));
		const char *size = ytree_scalar(ytree_get(k->c->t, ytree_get(k->c->t, it, "tmpfs"), "size"));
		yaml_node_t *ron = ytree_get(k->c->t, it, "read_only");
		int ro = 0;
		char opts[64] = "";
		if (!type || (strcmp(type, "bind") && strcmp(type, "volume") && strcmp(type, "tmpfs")))
			return cp_err(k->c, it, k->path, "type: bind, volume or tmpfs expected");
		if (!dst || (ron && cp_bool(k->c, ron, k->path, &ro) < 0))
			return dst ? -1 : cp_err(k->c, it, k->path, "target is required");
		if (size)
			snprintf(opts, sizeof opts, "size=%s", size);
		if (add_mount(k, it, type, strcmp(type, "tmpfs") ? src : NULL, dst, ro, size ? opts : NULL) < 0)
			return -1;
	}
	return 0;
}

int k_tmpfs(struct key_ctx *k, const yaml_node_t *v)
{
	char **t = cp_strv(k->c, v, k->path, 1);
	if (!t)
		return -1;
	int rc = 0;
	for (char **p = t; *p && rc == 0; p++) {
		char *colon = strchr(*p, ':');
		if (colon)
			*colon = 0;
		rc = add_mount(k, v, "tmpfs", NULL, *p, 0, colon ? colon + 1 : NULL);
	}
	strv_free(t);
	return rc;
}
