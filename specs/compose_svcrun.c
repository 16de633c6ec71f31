/* lochs.yml service keys about how a service runs among the others:
 * depends_on, healthcheck, deploy, build, develop (secrets and configs:
 * compose_secrets.c). */
#include "compose_keys.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int dep_add(struct key_ctx *k, const yaml_node_t *at, const char *name, const yaml_node_t *o)
{
	struct compose_service *s = k->s;
	struct compose_dep *d = realloc(s->deps, (size_t)(s->ndeps + 1) * sizeof *d);
	if (!d)
		return cp_err(k->c, at, k->path, "out of memory");
	s->deps = d;
	d = &d[s->ndeps++];
	*d = (struct compose_dep){ strdup(name), DEP_STARTED, 0, 1 };
	if (!o)
		return 0;
	static const char *const known[] = { "condition", "restart", "required", NULL };
	if (cp_keys(k->c, o, k->path, known, NULL) < 0)
		return -1;
	yaml_node_t *cn = ytree_get(k->c->t, o, "condition"), *r = ytree_get(k->c->t, o, "restart"),
		    *q = ytree_get(k->c->t, o, "required");
	const char *cond = ytree_scalar(cn);
	if (cond && !strcmp(cond, "service_healthy"))
		d->condition = DEP_HEALTHY;
	else if (cond && !strcmp(cond, "service_completed_successfully"))
		d->condition = DEP_COMPLETED;
	else if (cn && (!cond || strcmp(cond, "service_started")))
		return cp_err(k->c, cn, k->path,
			      "condition: service_started, service_healthy or service_completed_successfully expected");
	if ((r && cp_bool(k->c, r, k->path, &d->restart) < 0) || (q && cp_bool(k->c, q, k->path, &d->required) < 0))
		return -1;
	return 0;
}

int k_depends_on(struct key_ctx *k, const yaml_node_t *v)
{
	return k_named(k, v, "service", dep_add);
}

int k_healthcheck(struct key_ctx *k, const yaml_node_t *v)
{
	static const char *const known[] = { "test", "interval", "timeout", "retries", "start_period", "start_interval",
					     "disable", NULL };
	struct compose_health *h = &k->s->health;
	if (cp_keys(k->c, v, k->path, known, NULL) < 0)
		return -1;
	h->set = 1, h->retries = 3, h->interval_ms = h->timeout_ms = 30000;
	yaml_node_t *t = ytree_get(k->c->t, v, "test"), *n;
	if ((n = ytree_get(k->c->t, v, "disable")) && cp_bool(k->c, n, k->path, &h->disable) < 0)
		return -1;
	if (t && ytree_scalar(t)) { /* a string runs through the jail's shell */
		if (strv_push(&h->test, "CMD-SHELL") < 0 || strv_push(&h->test, ytree_scalar(t)) < 0)
			return cp_err(k->c, t, k->path, "out of memory");
	} else if (t && !(h->test = cp_strv(k->c, t, k->path, 0))) {
		return -1;
	}
	if (h->test && h->test[0] && !strcmp(h->test[0], "NONE"))
		h->disable = 1;
	else if (h->test && (!h->test[0] || (strcmp(h->test[0], "CMD") && strcmp(h->test[0], "CMD-SHELL"))))
		return cp_err(k->c, t, k->path, "test: a string, or a list starting with CMD, CMD-SHELL or NONE");
	long long r;
	if (((n = ytree_get(k->c->t, v, "interval")) && cp_duration(k->c, n, k->path, &h->interval_ms) < 0) ||
	    ((n = ytree_get(k->c->t, v, "timeout")) && cp_duration(k->c, n, k->path, &h->timeout_ms) < 0) ||
	    ((n = ytree_get(k->c->t, v, "start_period")) && cp_duration(k->c, n, k->path, &h->start_period_ms) < 0) ||
	    ((n = ytree_get(k->c->t, v, "start_interval")) && cp_duration(k->c, n, k->path, &h->start_interval_ms) < 0) ||
	    ((n = ytree_get(k->c->t, v, "retries")) && cp_int(k->c, n, k->path, &r) < 0))
		return -1;
	if (n && ytree_get(k->c->t, v, "retries"))
		h->retries = (int)r;
	if (!h->test && !h->disable)
		return cp_err(k->c, v, k->path, "test is required (or disable: true)");
	/* What the jail's monitor runs (svc_health): NONE when disabled. */
	struct svc_health *sh = &k->s->spec.health;
	if (h->disable)
		return strv_push(&sh->test, "NONE") < 0 ? cp_err(k->c, v, k->path, "out of memory") : 0;
	for (char **t = h->test; *t; t++)
		if (strv_push(&sh->test, *t) < 0)
			return cp_err(k->c, v, k->path, "out of memory");
	sh->interval_ms = h->interval_ms, sh->timeout_ms = h->timeout_ms, sh->start_ms = h->start_period_ms;
	sh->retries = h->retries;
	return 0;
}

/* deploy: replicas, resources.limits and restart_policy (others are
 * Swarm's and named as unsupported). */
int k_deploy(struct key_ctx *k, const yaml_node_t *v)
{
	static const char *const known[] = { "replicas", "resources", "restart_policy", "labels", "mode", NULL };
	static const char *const swarm[] = { "placement", "update_config", "rollback_config", "endpoint_mode", NULL };
	if (cp_keys(k->c, v, k->path, known, swarm) < 0)
		return -1;
	yaml_node_t *n = ytree_get(k->c->t, v, "replicas");
	if (n && k_scale(k, n) < 0)
		return -1;
	const char *mode = ytree_scalar(ytree_get(k->c->t, v, "mode"));
	if (mode && strcmp(mode, "replicated"))
		return cp_err(k->c, ytree_get(k->c->t, v, "mode"), k->path, "only mode: replicated");
	yaml_node_t *res = ytree_get(k->c->t, v, "resources"), *lim = ytree_get(k->c->t, res, "limits");
	static const char *const rkeys[] = { "limits", "reservations", NULL }, *const lkeys[] = { "cpus", "memory", "pids", NULL };
	if (res && (cp_keys(k->c, res, k->path, rkeys, NULL) < 0 || (lim && cp_keys(k->c, lim, k->path, lkeys, NULL) < 0)))
		return -1;
	if (((n = ytree_get(k->c->t, lim, "cpus")) && k_cpus(k, n) < 0) ||
	    ((n = ytree_get(k->c->t, lim, "memory")) && k_memory(k, n) < 0) ||
	    ((n = ytree_get(k->c->t, lim, "pids")) && k_pids(k, n) < 0))
		return -1;
	yaml_node_t *rp = ytree_get(k->c->t, v, "restart_policy");
	static const char *const pkeys[] = { "condition", "max_attempts", "delay", "window", NULL };
	if (!rp)
		return 0;
	if (cp_keys(k->c, rp, k->path, pkeys, NULL) < 0)
		return -1;
	const char *cond = ytree_scalar(ytree_get(k->c->t, rp, "condition"));
	long long max = 0;
	if ((n = ytree_get(k->c->t, rp, "max_attempts")) && cp_int(k->c, n, k->path, &max) < 0)
		return -1;
	k->s->spec.restart = !cond || !strcmp(cond, "any") ? RESTART_ALWAYS : !strcmp(cond, "on-failure") ? RESTART_ON_FAILURE : RESTART_NO;
	if (cond && strcmp(cond, "any") && strcmp(cond, "on-failure") && strcmp(cond, "none"))
		return cp_err(k->c, ytree_get(k->c->t, rp, "condition"), k->path, "none, on-failure or any expected");
	k->s->spec.restart_max = (int)max;
	return 0;
}

/* build: a context path, or {context, dockerfile, args, target}. */
int k_build(struct key_ctx *k, const yaml_node_t *v)
{
	if (ytree_scalar(v))
		return (k->s->build_context = strdup(ytree_scalar(v))) ? 0 : cp_err(k->c, v, k->path, "out of memory");
	static const char *const known[] = { "context", "dockerfile", "args", "target", "labels", "cache_from", "network",
					     "platforms", NULL };
	if (cp_keys(k->c, v, k->path, known, NULL) < 0)
		return -1;
	yaml_node_t *n;
	if (((n = ytree_get(k->c->t, v, "context")) && !(k->s->build_context = cp_str(k->c, n, k->path))) ||
	    ((n = ytree_get(k->c->t, v, "dockerfile")) && !(k->s->build_dockerfile = cp_str(k->c, n, k->path))) ||
	    ((n = ytree_get(k->c->t, v, "target")) && !(k->s->build_target = cp_str(k->c, n, k->path))) ||
	    ((n = ytree_get(k->c->t, v, "args")) && !(k->s->build_args = cp_kv(k->c, n, k->path))))
		return -1;
	if (!k->s->build_context)
		k->s->build_context = strdup(".");
	return 0;
}

/* develop.watch: [{path, action, target, ignore}]; sync actions need a
 * target (where path goes in the jail); rebuild needs build: (checked by
 * watch mode, as build: may come after develop:). */
int k_develop(struct key_ctx *k, const yaml_node_t *v)
{
	static const char *const known[] = { "watch", NULL }, *const wkeys[] = { "path", "action", "target", "ignore", NULL },
				 *const later[] = { "include", "exec", "initial_sync", NULL };
	if (cp_keys(k->c, v, k->path, known, NULL) < 0)
		return -1;
	yaml_node_t *w = ytree_get(k->c->t, v, "watch");
	if (!w)
		return 0;
	if (w->type != YAML_SEQUENCE_NODE)
		return cp_err(k->c, w, k->path, "watch: a list expected");
	for (int i = 0; i < cp_items(w); i++) {
		yaml_node_t *it = cp_item(k->c, w, i), *ig, *an;
		if (cp_keys(k->c, it, k->path, wkeys, later) < 0)
			return -1;
		an = ytree_get(k->c->t, it, "action");
		const char *path = ytree_scalar(ytree_get(k->c->t, it, "path")), *act = ytree_scalar(an);
		const char *target = ytree_scalar(ytree_get(k->c->t, it, "target"));
		if (!path || !act || (strcmp(act, "sync") && strcmp(act, "rebuild") && strcmp(act, "restart") &&
				      strcmp(act, "sync+restart") && strcmp(act, "sync+exec")))
			return cp_err(k->c, it, k->path, "watch: path and action (sync, rebuild, restart, sync+restart) required");
		if (!strcmp(act, "sync+exec"))
			return cp_err(k->c, an, k->path, "watch: action sync+exec is not supported yet");
		if (!strncmp(act, "sync", 4) && (!target || target[0] != '/'))
			return cp_err(k->c, it, k->path, "watch: action %s needs an absolute target", act);
		struct compose_watch *nw = realloc(k->s->watch, (size_t)(k->s->nwatch + 1) * sizeof *nw);
		if (!nw)
			return cp_err(k->c, it, k->path, "out of memory");
		k->s->watch = nw;
		nw[k->s->nwatch++] = (struct compose_watch){ strdup(path), strdup(act), target ? strdup(target) : NULL, NULL };
		if ((ig = ytree_get(k->c->t, it, "ignore")) && !(nw[k->s->nwatch - 1].ignore = cp_strv(k->c, ig, k->path, 1)))
			return -1;
	}
	return 0;
}
