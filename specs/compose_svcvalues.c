/* lochs.yml service keys with plain values: strings, lists, flags,
 * sizes and numbers, and the environment (env_file, then environment). */
#include "compose_keys.h"
#include "../netplane/portspec.h"
#include "../translator/jail/capname.h"
#include "../translator/jail/signame.h"
#include "dotenv.h"
#include "shellwords.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* command/entrypoint: a list, or a string split as a shell would. */
static int words(struct key_ctx *k, const yaml_node_t *v, char ***out)
{
	if (ytree_scalar(v)) {
		if (!(*out = shell_words(ytree_scalar(v))))
			return cp_err(k->c, v, k->path, "unterminated quote");
		return 0;
	}
	return (*out = cp_strv(k->c, v, k->path, 0)) ? 0 : -1;
}

int k_image(struct key_ctx *k, const yaml_node_t *v) { return (k->s->spec.image = cp_str(k->c, v, k->path)) ? 0 : -1; }
int k_command(struct key_ctx *k, const yaml_node_t *v) { return words(k, v, &k->s->spec.command); }
int k_entrypoint(struct key_ctx *k, const yaml_node_t *v) { return words(k, v, &k->s->spec.entrypoint); }
int k_hostname(struct key_ctx *k, const yaml_node_t *v) { return (k->s->spec.hostname = cp_str(k->c, v, k->path)) ? 0 : -1; }
int k_user(struct key_ctx *k, const yaml_node_t *v) { return (k->s->spec.user = cp_str(k->c, v, k->path)) ? 0 : -1; }
int k_workdir(struct key_ctx *k, const yaml_node_t *v) { return (k->s->spec.workdir = cp_str(k->c, v, k->path)) ? 0 : -1; }
int k_name(struct key_ctx *k, const yaml_node_t *v) { return (k->s->spec.name = cp_str(k->c, v, k->path)) ? 0 : -1; }
int k_ip4(struct key_ctx *k, const yaml_node_t *v) { return (k->s->spec.ip = cp_str(k->c, v, k->path)) ? 0 : -1; }
/* stop_signal, stop_grace_period and init go into the jail's spec (its
 * config hash): stop, compose stop and down use them. */
int k_stopsig(struct key_ctx *k, const yaml_node_t *v)
{
	if (!(k->s->stop_signal = cp_str(k->c, v, k->path)))
		return -1;
	if (signal_by_name(k->s->stop_signal) <= 0)
		return cp_err(k->c, v, k->path, "unknown signal %s", k->s->stop_signal);
	return (k->s->spec.stop_signal = strdup(k->s->stop_signal)) ? 0 : cp_err(k->c, v, k->path, "out of memory");
}

int k_readonly(struct key_ctx *k, const yaml_node_t *v) { return cp_bool(k->c, v, k->path, &k->s->spec.read_only); }
int k_privileged(struct key_ctx *k, const yaml_node_t *v) { return cp_bool(k->c, v, k->path, &k->s->spec.privileged); }
int k_tty(struct key_ctx *k, const yaml_node_t *v) { return cp_bool(k->c, v, k->path, &k->s->spec.tty); }
int k_stdin(struct key_ctx *k, const yaml_node_t *v) { return cp_bool(k->c, v, k->path, &k->s->spec.interactive); }
int k_init(struct key_ctx *k, const yaml_node_t *v)
{
	int rc = cp_bool(k->c, v, k->path, &k->s->init);
	k->s->spec.init = k->s->init;
	return rc;
}

int k_grace(struct key_ctx *k, const yaml_node_t *v)
{
	int rc = cp_duration(k->c, v, k->path, &k->s->stop_grace_ms);
	k->s->spec.stop_grace_ms = k->s->stop_grace_ms;
	return rc;
}
/* cap_add/cap_drop: names the jail knows, checked now rather than at start. */
static int caps(struct key_ctx *k, const yaml_node_t *v, char ***out)
{
	if (!(*out = cp_strv(k->c, v, k->path, 0)))
		return -1;
	for (int i = 0; (*out)[i]; i++)
		if (cap_number((*out)[i]) == -1)
			return cp_err(k->c, cp_item(k->c, v, i), k->path, "unknown capability %s", (*out)[i]);
	return 0;
}

int k_capadd(struct key_ctx *k, const yaml_node_t *v) { return caps(k, v, &k->s->spec.cap_add); }
int k_capdrop(struct key_ctx *k, const yaml_node_t *v) { return caps(k, v, &k->s->spec.cap_drop); }

int k_expose(struct key_ctx *k, const yaml_node_t *v)
{
	if (!(k->s->spec.expose = cp_strv(k->c, v, k->path, 0)))
		return -1;
	for (int i = 0; k->s->spec.expose[i]; i++) {
		struct np_portspec p;
		struct lerr why = { 0 };
		if (portspec_parse_expose(k->s->spec.expose[i], &p, &why) < 0)
			return cp_err(k->c, cp_item(k->c, v, i), k->path, "%s: %s", k->s->spec.expose[i], why.msg);
	}
	return 0;
}
int k_profiles(struct key_ctx *k, const yaml_node_t *v) { return (k->s->profiles = cp_strv(k->c, v, k->path, 0)) ? 0 : -1; }
int k_labels(struct key_ctx *k, const yaml_node_t *v) { return (k->s->spec.labels = cp_kv(k->c, v, k->path)) ? 0 : -1; }

int k_scale(struct key_ctx *k, const yaml_node_t *v)
{
	long long n;
	if (cp_int(k->c, v, k->path, &n) < 0)
		return -1;
	if (n < 0 || n > 1000)
		return cp_err(k->c, v, k->path, "0 to 1000 replicas");
	k->s->replicas = (int)n;
	return 0;
}

int k_restart(struct key_ctx *k, const yaml_node_t *v)
{
	const char *r = ytree_scalar(v);
	if (!r || parse_restart(r, &k->s->spec.restart, &k->s->spec.restart_max) < 0)
		return cp_err(k->c, v, k->path, "no, always, on-failure[:N] or unless-stopped expected");
	return 0;
}

int bytes(struct key_ctx *k, const yaml_node_t *v, long long *out)
{
	const char *s = ytree_scalar(v);
	if (!s || parse_bytes(s, out) < 0)
		return cp_err(k->c, v, k->path, "a size expected (like 512m, 1g)");
	return 0;
}

int k_memory(struct key_ctx *k, const yaml_node_t *v) { return bytes(k, v, &k->s->spec.memory); }

int k_cpus(struct key_ctx *k, const yaml_node_t *v)
{
	const char *s = ytree_scalar(v);
	char *end;
	double d = s ? strtod(s, &end) : 0;
	if (!s || *end || d <= 0)
		return cp_err(k->c, v, k->path, "a number of CPUs expected (like 0.5)");
	k->s->spec.cpus = d;
	return 0;
}

int k_int(struct key_ctx *k, const yaml_node_t *v, int *out, long long lo, long long hi)
{
	long long n;
	if (cp_int(k->c, v, k->path, &n) < 0)
		return -1;
	if (n < lo || n > hi)
		return cp_err(k->c, v, k->path, "%lld to %lld expected", lo, hi);
	*out = (int)n;
	return 0;
}

int k_pids(struct key_ctx *k, const yaml_node_t *v) { return k_int(k, v, &k->s->spec.pids_limit, -1, 1 << 22); }
int k_shares(struct key_ctx *k, const yaml_node_t *v) { return k_int(k, v, &k->s->spec.cpu_shares, 0, 262144); }

int k_platform(struct key_ctx *k, const yaml_node_t *v)
{
	const char *s = ytree_scalar(v);
	if (!s || (strcmp(s, "freebsd") && strcmp(s, "freebsd/amd64")))
		return cp_err(k->c, v, k->path, "only freebsd/amd64 runs here");
	return 0;
}

/* environment: the list or mapping; "KEY" alone takes the variable's value
 * from the environment, and is left out when it is unset (as Compose). */
int k_environment(struct key_ctx *k, const yaml_node_t *v)
{
	char **kv = cp_kv(k->c, v, k->path);
	if (!kv)
		return -1;
	int rc = 0;
	for (char **p = kv; *p && rc == 0; p++) {
		char buf[8192];
		const char *val = strchr(*p, '=') ? NULL : cp_getenv(k->c, *p);
		if (!strchr(*p, '=') && !val)
			continue;
		snprintf(buf, sizeof buf, val ? "%s=%s" : "%s", *p, val ? val : "");
		rc = strv_push(&k->s->spec.env, buf);
	}
	strv_free(kv);
	return rc < 0 ? cp_err(k->c, v, k->path, "out of memory") : 0;
}

/* env_file: paths (beside lochs.yml when relative), or {path, required}. */
static int env_file(struct key_ctx *k, const yaml_node_t *v, const char *path, int required)
{
	char full[4096], why[256];
	struct dotenv d;
	int line;
	snprintf(full, sizeof full, "%s%s%s", path[0] == '/' ? "" : k->c->p->dir, path[0] == '/' ? "" : "/", path);
	if (dotenv_read(full, &d, &line, why, sizeof why) < 0)
		return line == 0 && !required ? 0
		       : line == 0	     ? cp_err(k->c, v, k->path, "%s: cannot be read", path)
					     : ytree_err(k->c->t, v, k->c->e, "%s: %s:%d: %s", k->path, path, line, why);
	int rc = strv_push(&k->s->env_files, full);
	for (int i = 0; i < d.n && rc == 0; i++) {
		char buf[8192];
		snprintf(buf, sizeof buf, "%s=%s", d.keys[i], d.values[i]);
		rc = strv_push(&k->s->spec.env, buf);
	}
	dotenv_free(&d);
	return rc;
}

int k_env_file(struct key_ctx *k, const yaml_node_t *v)
{
	if (ytree_scalar(v))
		return env_file(k, v, ytree_scalar(v), 1);
	if (v->type != YAML_SEQUENCE_NODE)
		return cp_err(k->c, v, k->path, "a path or a list expected");
	for (int i = 0; i < cp_items(v); i++) {
		yaml_node_t *it = cp_item(k->c, v, i), *p = ytree_get(k->c->t, it, "path"), *r = ytree_get(k->c->t, it, "required");
		int required = 1;
		if (!ytree_scalar(it) && (!ytree_scalar(p) || (r && cp_bool(k->c, r, k->path, &required) < 0)))
			return ytree_scalar(p) ? -1 : cp_err(k->c, it, k->path, "a path or {path, required} expected");
		if (env_file(k, it, ytree_scalar(it) ? ytree_scalar(it) : ytree_scalar(p), required) < 0)
			return -1;
	}
	return 0;
}

int k_named(struct key_ctx *k, const yaml_node_t *v, const char *what, named_fn each)
{
	if (v->type == YAML_SEQUENCE_NODE) {
		for (int i = 0; i < cp_items(v); i++) {
			yaml_node_t *it = cp_item(k->c, v, i);
			if (!ytree_scalar(it))
				return cp_err(k->c, it, k->path, "a %s name expected", what);
			if (each(k, it, ytree_scalar(it), NULL) < 0)
				return -1;
		}
		return 0;
	}
	if (v->type != YAML_MAPPING_NODE)
		return cp_err(k->c, v, k->path, "a list or a mapping of %ss expected", what);
	for (int i = 0; i < cp_pairs(v); i++) {
		yaml_node_t *o;
		const char *name = cp_key(k->c, v, i, &o);
		if (each(k, o, name, ytree_is_null(o) ? NULL : o) < 0)
			return -1;
	}
	return 0;
}
