/* svc_spec: JSON round trip, config hash, value parsers. */
#include "service.h"
#include "../common/sha256.h"
#include "strv.h"
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *strv_json(char **v)
{
	json_t *a = json_array();
	for (; v && *v; v++)
		json_array_append_new(a, json_string(*v));
	return a;
}

static char **json_strv(json_t *a)
{
	if (!json_is_array(a))
		return NULL;
	size_t n = json_array_size(a);
	char **v = calloc(n + 1, sizeof *v);
	for (size_t i = 0; v && i < n; i++)
		v[i] = strdup(json_string_value(json_array_get(a, i)) ? json_string_value(json_array_get(a, i)) : "");
	return v;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static char *json_str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? strdup(s) : NULL;
}

const char *restart_name(enum restart_policy p)
{
	static const char *const names[] = { "no", "always", "on-failure", "unless-stopped" };
	return names[p];
}

/* Everything that decides what runs; `identity` adds name and owner. */
static json_t *to_json(const struct svc_spec *s, int identity)
{
	json_t *o = json_object();
	if (identity) {
		json_object_set_new(o, "name", str_or_null(s->name));
		json_object_set_new(o, "project", json_string(s->project ? s->project : ""));
		json_object_set_new(o, "service", json_string(s->service ? s->service : ""));
		json_object_set_new(o, "auto_remove", json_boolean(s->auto_remove));
	}
	json_object_set_new(o, "image", json_string(s->image ? s->image : ""));
	json_object_set_new(o, "command", s->command ? strv_json(s->command) : json_null());
	json_object_set_new(o, "entrypoint", s->entrypoint ? strv_json(s->entrypoint) : json_null());
	json_object_set_new(o, "env", strv_json(s->env));
	json_object_set_new(o, "workdir", str_or_null(s->workdir));
	json_object_set_new(o, "user", str_or_null(s->user));
	json_object_set_new(o, "hostname", str_or_null(s->hostname));
	/* Only when set: the config hash of older specs stays the same. */
	if (s->network)
		json_object_set_new(o, "network", json_string(s->network));
	if (s->ip)
		json_object_set_new(o, "ip", json_string(s->ip));
	if (s->ip6)
		json_object_set_new(o, "ip6", json_string(s->ip6));
	if (s->publish_all)
		json_object_set_new(o, "publish_all", json_true());
	static const struct { const char *key; size_t off; } lists[] = {
		{ "aliases", offsetof(struct svc_spec, aliases) },   { "ports", offsetof(struct svc_spec, ports) },
		{ "expose", offsetof(struct svc_spec, expose) },     { "add_hosts", offsetof(struct svc_spec, add_hosts) },
		{ "dns", offsetof(struct svc_spec, dns) },
	};
	for (size_t i = 0; i < sizeof lists / sizeof *lists; i++) {
		char **v = *(char ***)((const char *)s + lists[i].off);
		if (v && *v)
			json_object_set_new(o, lists[i].key, strv_json(v));
	}
	if (s->health.test)
		json_object_set_new(o, "health", json_pack("{s:o, s:I, s:I, s:I, s:i}", "test", strv_json(s->health.test),
							   "interval_ms", (json_int_t)s->health.interval_ms, "timeout_ms",
							   (json_int_t)s->health.timeout_ms, "start_ms",
							   (json_int_t)s->health.start_ms, "retries", s->health.retries));
	json_t *m = json_array();
	for (int i = 0; i < s->nmounts; i++) {
		const struct svc_mount *x = &s->mounts[i];
		json_t *j = json_pack("{s:s, s:o, s:s, s:o, s:b}", "type", x->type, "source", str_or_null(x->source),
				      "target", x->target, "options", str_or_null(x->options), "readonly", x->readonly);
		if (x->content) /* only then: older mounts keep their hash */
			json_object_set_new(j, "file", json_pack("{s:s, s:i, s:i, s:i}", "content", x->content, "mode",
								 x->mode, "uid", x->uid, "gid", x->gid));
		json_array_append_new(m, j);
	}
	json_object_set_new(o, "mounts", m);
	json_object_set_new(o, "memory", json_integer(s->memory));
	json_object_set_new(o, "cpus", json_real(s->cpus));
	json_object_set_new(o, "cpu_shares", json_integer(s->cpu_shares));
	json_object_set_new(o, "pids_limit", json_integer(s->pids_limit));
	json_object_set_new(o, "read_only", json_boolean(s->read_only));
	json_object_set_new(o, "tty", json_boolean(s->tty));
	json_object_set_new(o, "interactive", json_boolean(s->interactive));
	json_object_set_new(o, "privileged", json_boolean(s->privileged));
	json_object_set_new(o, "sysvipc", json_boolean(s->sysvipc));
	json_object_set_new(o, "cap_add", strv_json(s->cap_add));
	json_object_set_new(o, "cap_drop", strv_json(s->cap_drop));
	json_object_set_new(o, "labels", strv_json(s->labels));
	json_object_set_new(o, "restart", json_string(restart_name(s->restart)));
	json_object_set_new(o, "restart_max", json_integer(s->restart_max));
	/* Only when set, as network above. */
	if (s->stop_signal)
		json_object_set_new(o, "stop_signal", json_string(s->stop_signal));
	if (s->stop_grace_ms > 0)
		json_object_set_new(o, "stop_grace_ms", json_integer(s->stop_grace_ms));
	if (s->init)
		json_object_set_new(o, "init", json_true());
	return o;
}

json_t *svc_to_json(const struct svc_spec *s)
{
	return to_json(s, 1);
}

int svc_from_json(json_t *o, struct svc_spec *s, struct lerr *e)
{
	memset(s, 0, sizeof *s);
	if (!json_is_object(o))
		return lerr_set(e, LX_LOCHS, "service spec is not a JSON object");
	s->name = json_str(o, "name");
	s->project = json_str(o, "project");
	s->service = json_str(o, "service");
	s->auto_remove = json_is_true(json_object_get(o, "auto_remove"));
	s->image = json_str(o, "image");
	s->command = json_strv(json_object_get(o, "command"));
	s->entrypoint = json_strv(json_object_get(o, "entrypoint"));
	s->env = json_strv(json_object_get(o, "env"));
	s->workdir = json_str(o, "workdir");
	s->user = json_str(o, "user");
	s->hostname = json_str(o, "hostname");
	s->network = json_str(o, "network");
	s->ip = json_str(o, "ip");
	s->ip6 = json_str(o, "ip6");
	s->publish_all = json_is_true(json_object_get(o, "publish_all"));
	s->aliases = json_strv(json_object_get(o, "aliases"));
	s->ports = json_strv(json_object_get(o, "ports"));
	s->expose = json_strv(json_object_get(o, "expose"));
	s->add_hosts = json_strv(json_object_get(o, "add_hosts"));
	s->dns = json_strv(json_object_get(o, "dns"));
	json_t *h = json_object_get(o, "health");
	if (h) {
		s->health.test = json_strv(json_object_get(h, "test"));
		s->health.interval_ms = json_integer_value(json_object_get(h, "interval_ms"));
		s->health.timeout_ms = json_integer_value(json_object_get(h, "timeout_ms"));
		s->health.start_ms = json_integer_value(json_object_get(h, "start_ms"));
		s->health.retries = (int)json_integer_value(json_object_get(h, "retries"));
	}
	json_t *m = json_object_get(o, "mounts");
	s->nmounts = (int)json_array_size(m);
	s->mounts = calloc((size_t)s->nmounts + 1, sizeof *s->mounts);
	for (int i = 0; s->mounts && i < s->nmounts; i++) {
		json_t *x = json_array_get(m, (size_t)i);
		s->mounts[i].type = json_str(x, "type");
		s->mounts[i].source = json_str(x, "source");
		s->mounts[i].target = json_str(x, "target");
		s->mounts[i].options = json_str(x, "options");
		s->mounts[i].readonly = json_is_true(json_object_get(x, "readonly"));
		json_t *f = json_object_get(x, "file");
		s->mounts[i].content = json_str(f, "content");
		s->mounts[i].mode = f ? (int)json_integer_value(json_object_get(f, "mode")) : -1;
		s->mounts[i].uid = f ? (int)json_integer_value(json_object_get(f, "uid")) : -1;
		s->mounts[i].gid = f ? (int)json_integer_value(json_object_get(f, "gid")) : -1;
	}
	s->memory = json_integer_value(json_object_get(o, "memory"));
	s->cpus = json_number_value(json_object_get(o, "cpus"));
	s->cpu_shares = (int)json_integer_value(json_object_get(o, "cpu_shares"));
	s->pids_limit = (int)json_integer_value(json_object_get(o, "pids_limit"));
	s->read_only = json_is_true(json_object_get(o, "read_only"));
	s->tty = json_is_true(json_object_get(o, "tty"));
	s->interactive = json_is_true(json_object_get(o, "interactive"));
	s->privileged = json_is_true(json_object_get(o, "privileged"));
	s->sysvipc = json_is_true(json_object_get(o, "sysvipc"));
	s->cap_add = json_strv(json_object_get(o, "cap_add"));
	s->cap_drop = json_strv(json_object_get(o, "cap_drop"));
	s->labels = json_strv(json_object_get(o, "labels"));
	const char *r = json_string_value(json_object_get(o, "restart"));
	if (r && parse_restart(r, &s->restart, &s->restart_max) < 0)
		return lerr_set(e, LX_LOCHS, "service spec: bad restart policy %s", r);
	s->restart_max = (int)json_integer_value(json_object_get(o, "restart_max"));
	s->stop_signal = json_str(o, "stop_signal");
	s->stop_grace_ms = json_integer_value(json_object_get(o, "stop_grace_ms"));
	s->init = json_is_true(json_object_get(o, "init"));
	return 0;
}

void svc_config_hash(const struct svc_spec *s, char out[65])
{
	svc_config_hash_pinned(s, NULL, out);
}

void svc_config_hash_pinned(const struct svc_spec *s, const char *image_id, char out[65])
{
	json_t *o = to_json(s, 0);
	/* Only when given: imperative jails' hashes stay as they were. */
	if (image_id)
		json_object_set_new(o, "image_id", json_string(image_id));
	char *text = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT);
	sha256_buf(text, strlen(text), out);
	free(text);
	json_decref(o);
}

void svc_free(struct svc_spec *s)
{
	free(s->name);
	free(s->image);
	strv_free(s->command);
	strv_free(s->entrypoint);
	strv_free(s->env);
	free(s->workdir);
	free(s->user);
	free(s->hostname);
	free(s->network);
	free(s->ip);
	free(s->ip6);
	strv_free(s->aliases);
	strv_free(s->ports);
	strv_free(s->expose);
	strv_free(s->add_hosts);
	strv_free(s->dns);
	strv_free(s->health.test);
	for (int i = 0; i < s->nmounts; i++) {
		free(s->mounts[i].type);
		free(s->mounts[i].source);
		free(s->mounts[i].target);
		free(s->mounts[i].options);
		free(s->mounts[i].content);
	}
	free(s->mounts);
	free(s->stop_signal);
	strv_free(s->cap_add);
	strv_free(s->cap_drop);
	strv_free(s->labels);
	free(s->project);
	free(s->service);
	memset(s, 0, sizeof *s);
}

int parse_bytes(const char *s, long long *out)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s || v < 0)
		return -1;
	long long mult = 1;
	switch (*end) {
	case 'b': case 'B': mult = 1; end++; break;
	case 'k': case 'K': mult = 1LL << 10; end++; break;
	case 'm': case 'M': mult = 1LL << 20; end++; break;
	case 'g': case 'G': mult = 1LL << 30; end++; break;
	case 't': case 'T': mult = 1LL << 40; end++; break;
	}
	if ((*end == 'b' || *end == 'B') && mult > 1)
		end++;
	if (*end)
		return -1;
	*out = (long long)(v * (double)mult);
	return 0;
}

int parse_restart(const char *s, enum restart_policy *p, int *max)
{
	*max = 0;
	if (!strcmp(s, "no"))
		*p = RESTART_NO;
	else if (!strcmp(s, "always"))
		*p = RESTART_ALWAYS;
	else if (!strcmp(s, "unless-stopped"))
		*p = RESTART_UNLESS_STOPPED;
	else if (!strncmp(s, "on-failure", 10) && (s[10] == 0 || s[10] == ':')) {
		*p = RESTART_ON_FAILURE;
		if (s[10] == ':') {
			char *end;
			long n = strtol(s + 11, &end, 10);
			if (*end || end == s + 11 || n < 0 || n > 1000000)
				return -1;
			*max = (int)n;
		}
	} else
		return -1;
	return 0;
}

int parse_duration(const char *s, long long *ms)
{
	static const struct { const char *unit; double ms; } units[] = {
		{ "ms", 1 }, { "us", 0.001 }, { "ns", 0.000001 }, { "h", 3600000 }, { "m", 60000 }, { "s", 1000 },
	};
	char *end;
	double total = 0, bare = s && *s ? strtod(s, &end) : 0;
	if (!s || !*s)
		return -1;
	if (!*end && end != s)
		return *ms = (long long)(bare * 1000), bare < 0 ? -1 : 0; /* seconds */
	for (const char *p = s; *p;) {
		double v = strtod(p, &end);
		size_t i = 0;
		if (end == p || v < 0)
			return -1;
		while (i < sizeof units / sizeof *units && strncmp(end, units[i].unit, strlen(units[i].unit)))
			i++;
		if (i == sizeof units / sizeof *units)
			return -1;
		total += v * units[i].ms;
		p = end + strlen(units[i].unit);
	}
	*ms = (long long)total;
	return 0;
}
