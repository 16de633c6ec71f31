/* Instructions that only change the image config, with Docker's rules:
 * the shell form of CMD/ENTRYPOINT/HEALTHCHECK runs through SHELL (default
 * /bin/sh -c), ENTRYPOINT clears an inherited CMD, WORKDIR is relative to
 * the one before, ENV/LABEL/EXPOSE/VOLUME add to what the base had. */
#include "build_int.h"
#include "../specs/service.h"
#include "../specs/strv.h"
#include "../translator/jail/signame.h"
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static json_t *conf(struct bstage *s)
{
	return json_object_get(s->cfg, "config");
}

/* The exec form as is, the shell form as SHELL + [text]. */
json_t *build_argv(struct bstage *s, const struct lf_inst *in)
{
	json_t *a = json_array();
	if (in->json) {
		for (char **p = in->args; *p; p++)
			json_array_append_new(a, json_string(*p));
		return a;
	}
	json_t *sh = json_object_get(conf(s), "Shell");
	if (json_array_size(sh)) {
		json_array_extend(a, sh);
	} else {
		json_array_append_new(a, json_string("/bin/sh"));
		json_array_append_new(a, json_string("-c"));
	}
	json_array_append_new(a, json_string(in->shell));
	return a;
}

/* Env entry KEY=VALUE replacing KEY's earlier value. */
static void set_env(struct bstage *s, const char *key, const char *value)
{
	json_t *env = json_object_get(conf(s), "Env");
	if (!json_is_array(env)) {
		env = json_array();
		json_object_set_new(conf(s), "Env", env);
	}
	size_t n = strlen(key), i;
	json_t *x;
	char *kv = NULL;
	if (asprintf(&kv, "%s=%s", key, value) < 0)
		return;
	json_array_foreach (env, i, x) {
		const char *old = json_string_value(x);
		if (old && !strncmp(old, key, n) && old[n] == '=') {
			json_array_set_new(env, i, json_string(kv));
			free(kv);
			return;
		}
	}
	json_array_append_new(env, json_string(kv));
	free(kv);
}

static json_t *obj(struct bstage *s, const char *key)
{
	json_t *o = json_object_get(conf(s), key);
	if (!json_is_object(o)) {
		o = json_object();
		json_object_set_new(conf(s), key, o);
	}
	return o;
}

/* ENV and LABEL: KEY=VALUE words (ENV also the old "ENV KEY rest"). */
static int pairs(struct bctx *b, struct bstage *s, const struct lf_inst *in, struct lerr *e)
{
	if (in->kind == LF_ENV && !strchr(in->args[0], '=')) {
		const char *rest = in->text + strlen(in->args[0]);
		rest += strspn(rest, " \t");
		char *k = bexpand(b, s, in, in->args[0], e), *v = k ? bexpand(b, s, in, rest, e) : NULL;
		if (v)
			set_env(s, k, v);
		free(k);
		free(v);
		return v ? 0 : -1;
	}
	/* Every value is expanded before any is set: "ENV a=2 b=$a" gives b
	 * the a from before, as Docker does. */
	size_t n = strv_len(in->args);
	char **vals = calloc(n + 1, sizeof *vals);
	int rc = vals ? 0 : lerr_set(e, LX_LOCHS, "out of memory");
	for (size_t i = 0; i < n && rc == 0; i++) {
		char *eq = strchr(in->args[i], '=');
		vals[i] = bexpand(b, s, in, eq + 1, e);
		rc = vals[i] ? 0 : -1;
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		char *key = strndup(in->args[i], strcspn(in->args[i], "="));
		char *k = key ? bexpand(b, s, in, key, e) : NULL;
		free(key);
		if (!k) {
			rc = -1;
			break;
		}
		if (in->kind == LF_ENV)
			set_env(s, k, vals[i]);
		else
			json_object_set_new(obj(s, "Labels"), k, json_string(vals[i]));
		free(k);
	}
	strv_free(vals);
	return rc;
}

/* "80", "53/udp", "8000-8002/tcp" each as Docker's "PORT/PROTO" keys. */
static int expose(struct bctx *b, struct bstage *s, const struct lf_inst *in, struct lerr *e)
{
	for (char **w = in->args; *w; w++) {
		char *p = bexpand(b, s, in, *w, e);
		if (!p)
			return -1;
		char *proto = strchr(p, '/');
		if (proto)
			*proto++ = 0;
		char *end;
		long lo = strtol(p, &end, 10), hi = lo;
		if (*end == '-')
			hi = strtol(end + 1, &end, 10);
		if (*end || lo < 1 || hi > 65535 || hi < lo || (proto && strcmp(proto, "tcp") && strcmp(proto, "udp") &&
								strcmp(proto, "sctp"))) {
			bfail(b, in, e, "invalid port %s", *w);
			free(p);
			return -1;
		}
		for (long port = lo; port <= hi; port++) {
			char key[32];
			snprintf(key, sizeof key, "%ld/%s", port, proto ? proto : "tcp");
			json_object_set_new(obj(s, "ExposedPorts"), key, json_object());
		}
		free(p);
	}
	return 0;
}

void build_clean_abs(const char *in, char *out, size_t size)
{
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s", in);
	size_t n = 0;
	out[0] = 0;
	char *save = NULL;
	for (char *c = strtok_r(tmp, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (!strcmp(c, "."))
			continue;
		if (!strcmp(c, "..")) {
			char *slash = strrchr(out, '/');
			n = slash ? (size_t)(slash - out) : 0;
			out[n] = 0;
			continue;
		}
		n += (size_t)snprintf(out + n, size - n, "/%s", c);
		if (n >= size)
			n = size - 1;
	}
	if (!out[0])
		snprintf(out, size, "/");
}

static int workdir(struct bctx *b, struct bstage *s, const struct lf_inst *in, struct lerr *e)
{
	char *p = bexpand(b, s, in, in->text, e);
	if (!p)
		return -1;
	const char *cur = json_string_value(json_object_get(conf(s), "WorkingDir"));
	char joined[8192], clean[4096];
	if (p[0] == '/')
		snprintf(joined, sizeof joined, "%s", p);
	else
		snprintf(joined, sizeof joined, "%s/%s", cur && *cur ? cur : "/", p);
	build_clean_abs(joined, clean, sizeof clean);
	json_object_set_new(conf(s), "WorkingDir", json_string(clean));
	free(p);
	return 0;
}

/* HEALTHCHECK [--interval=D ...] CMD ... | NONE into Docker's Healthcheck
 * (durations in nanoseconds). */
static int health(struct bctx *b, struct bstage *s, const struct lf_inst *in, struct lerr *e)
{
	if (in->none) {
		json_object_set_new(conf(s), "Healthcheck", json_pack("{s:[s]}", "Test", "NONE"));
		return 0;
	}
	json_t *test = json_array();
	json_array_append_new(test, json_string(in->json ? "CMD" : "CMD-SHELL"));
	if (in->json)
		for (char **p = in->args; *p; p++)
			json_array_append_new(test, json_string(*p));
	else
		json_array_append_new(test, json_string(in->shell));
	json_t *hc = json_pack("{s:o}", "Test", test);
	static const char *const dur[][2] = { { "interval", "Interval" }, { "timeout", "Timeout" },
					      { "start-period", "StartPeriod" }, { "start-interval", "StartInterval" } };
	for (size_t i = 0; i < sizeof dur / sizeof *dur; i++) {
		const char *v = lf_flag(in, dur[i][0]);
		long long ms;
		if (!v)
			continue;
		if (parse_duration(v, &ms) < 0) {
			json_decref(hc);
			return bfail(b, in, e, "--%s=%s: not a duration (30s, 1m30s, 500ms)", dur[i][0], v);
		}
		json_object_set_new(hc, dur[i][1], json_integer(ms * 1000000));
	}
	const char *r = lf_flag(in, "retries");
	if (r) {
		char *end;
		long n = strtol(r, &end, 10);
		if (*end || !*r || n < 0) {
			json_decref(hc);
			return bfail(b, in, e, "--retries=%s: not a number", r);
		}
		json_object_set_new(hc, "Retries", json_integer(n));
	}
	json_object_set_new(conf(s), "Healthcheck", hc);
	return 0;
}

/* VOLUME, STOPSIGNAL, USER: values expanded. */
static int words(struct bctx *b, struct bstage *s, const struct lf_inst *in, struct lerr *e)
{
	for (char **w = in->args; *w; w++) {
		char *v = in->json ? strdup(*w) : bexpand(b, s, in, *w, e);
		if (!v)
			return -1;
		if (in->kind == LF_VOLUME)
			json_object_set_new(obj(s, "Volumes"), v, json_object());
		else if (in->kind == LF_USER)
			json_object_set_new(conf(s), "User", json_string(v));
		else if (signal_by_name(v) <= 0) { /* checked here, not at the first stop */
			bfail(b, in, e, "unknown signal %s", v);
			free(v);
			return -1;
		} else
			json_object_set_new(conf(s), "StopSignal", json_string(v));
		free(v);
	}
	return 0;
}

int build_meta(struct bctx *b, struct bstage *s, const struct lf_inst *in, struct lerr *e)
{
	json_t *c = conf(s);
	switch (in->kind) {
	case LF_ENV:
	case LF_LABEL:
		return pairs(b, s, in, e);
	case LF_EXPOSE:
		return expose(b, s, in, e);
	case LF_WORKDIR:
		return workdir(b, s, in, e);
	case LF_USER:
	case LF_VOLUME:
	case LF_STOPSIGNAL:
		return words(b, s, in, e);
	case LF_CMD:
		json_object_set_new(c, "Cmd", build_argv(s, in));
		s->cmd_set = 1;
		return 0;
	case LF_ENTRYPOINT:
		json_object_set_new(c, "Entrypoint", build_argv(s, in));
		/* Docker: an ENTRYPOINT resets the CMD the base image had. */
		if (!s->cmd_set)
			json_object_del(c, "Cmd");
		return 0;
	case LF_HEALTHCHECK:
		return health(b, s, in, e);
	case LF_SHELL: {
		json_t *a = json_array();
		for (char **p = in->args; *p; p++)
			json_array_append_new(a, json_string(*p));
		json_object_set_new(c, "Shell", a);
		return 0;
	}
	case LF_ONBUILD:
		if (!json_is_array(json_object_get(c, "OnBuild")))
			json_object_set_new(c, "OnBuild", json_array());
		json_array_append_new(json_object_get(c, "OnBuild"), json_string(in->args[0]));
		return 0;
	case LF_MAINTAINER:
		json_object_set_new(s->cfg, "author", json_string(in->text));
		return 0;
	default:
		return bfail(b, in, e, "not a metadata instruction");
	}
}
