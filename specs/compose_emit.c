/* See compose_emit.h. libyaml's emitter quotes what needs quoting. */
#include "compose_emit.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

struct em {
	yaml_emitter_t e;
	int bad;
};

static void ev(struct em *m, yaml_event_t *event)
{
	if (!m->bad && !yaml_emitter_emit(&m->e, event))
		m->bad = 1;
}

static void scalar(struct em *m, const char *s, int plain)
{
	yaml_event_t e;
	yaml_scalar_event_initialize(&e, NULL, NULL, (yaml_char_t *)s, -1, plain, 1,
				     plain ? YAML_ANY_SCALAR_STYLE : YAML_DOUBLE_QUOTED_SCALAR_STYLE);
	ev(m, &e);
}

/* A string a YAML reader would take for a number, boolean or null. */
static int looks_typed(const char *s)
{
	static const char *const words[] = { "true", "false", "yes", "no", "on", "off", "null", "~", NULL };
	char *end;
	if (!*s)
		return 1;
	for (int i = 0; words[i]; i++)
		if (!strcasecmp(s, words[i]))
			return 1;
	strtod(s, &end);
	return !*end;
}

/* Strings stay strings when read again. */
static void str(struct em *m, const char *s)
{
	scalar(m, s ? s : "", s && !looks_typed(s));
}

static void num(struct em *m, long long v)
{
	char b[32];
	snprintf(b, sizeof b, "%lld", v);
	scalar(m, b, 1);
}

/* Durations as Compose writes them ("1500ms" reads back exactly). */
static void ms(struct em *m, const char *key, long long v)
{
	char b[32];
	snprintf(b, sizeof b, "%lldms", v);
	str(m, key);
	scalar(m, b, 1);
}

static void flag(struct em *m, const char *key, int v)
{
	str(m, key);
	scalar(m, v ? "true" : "false", 1);
}

static void map_begin(struct em *m)
{
	yaml_event_t e;
	yaml_mapping_start_event_initialize(&e, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
	ev(m, &e);
}

static void map_end(struct em *m)
{
	yaml_event_t e;
	yaml_mapping_end_event_initialize(&e);
	ev(m, &e);
}

/* "outer: {inner: [" ... nested_end's "]}": a list under a key of its own. */
static void nested_begin(struct em *m, const char *outer, const char *inner)
{
	yaml_event_t e;
	str(m, outer);
	map_begin(m);
	str(m, inner);
	yaml_sequence_start_event_initialize(&e, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE);
	ev(m, &e);
}

static void nested_end(struct em *m)
{
	yaml_event_t e;
	yaml_sequence_end_event_initialize(&e);
	ev(m, &e);
	map_end(m);
}

static void seq(struct em *m, const char *key, char *const *v)
{
	if (!v)
		return;
	yaml_event_t e;
	str(m, key);
	yaml_sequence_start_event_initialize(&e, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE);
	ev(m, &e);
	for (; *v; v++)
		str(m, *v);
	yaml_sequence_end_event_initialize(&e);
	ev(m, &e);
}

static void kv(struct em *m, const char *key, const char *v)
{
	if (v) {
		str(m, key);
		str(m, v);
	}
}

/* KEY=VALUE lists as mappings, as Compose prints them. */
static void env_map(struct em *m, const char *key, char *const *v)
{
	if (!v || !*v)
		return;
	str(m, key);
	map_begin(m);
	for (; *v; v++) {
		char k[1024];
		const char *eq = strchr(*v, '=');
		snprintf(k, sizeof k, "%.*s", eq ? (int)(eq - *v) : (int)strlen(*v), *v);
		str(m, k);
		str(m, eq ? eq + 1 : "");
	}
	map_end(m);
}

/* Named volumes by the name the file gives them (the model holds the
 * project's PROJECT_NAME). */
static void mounts(struct em *m, const struct svc_spec *s, int n, const char *project)
{
	size_t pn = strlen(project);
	if (!n)
		return;
	yaml_event_t e;
	str(m, "volumes");
	yaml_sequence_start_event_initialize(&e, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE);
	ev(m, &e);
	for (int i = 0; i < n; i++) {
		map_begin(m);
		kv(m, "type", s->mounts[i].type);
		const char *src = s->mounts[i].source;
		if (src && !strcmp(s->mounts[i].type, "volume") && !strncmp(src, project, pn) && src[pn] == '_')
			src += pn + 1;
		kv(m, "source", src);
		kv(m, "target", s->mounts[i].target);
		if (s->mounts[i].readonly)
			flag(m, "read_only", 1);
		/* tmpfs options are "size=N" (compose_svcfs.c) */
		if (s->mounts[i].options && !strncmp(s->mounts[i].options, "size=", 5)) {
			str(m, "tmpfs");
			map_begin(m);
			kv(m, "size", s->mounts[i].options + 5);
			map_end(m);
		}
		map_end(m);
	}
	yaml_sequence_end_event_initialize(&e);
	ev(m, &e);
}

static void deps(struct em *m, const struct compose_service *s)
{
	static const char *const cond[] = { "service_started", "service_healthy", "service_completed_successfully" };
	if (!s->ndeps)
		return;
	str(m, "depends_on");
	map_begin(m);
	for (int i = 0; i < s->ndeps; i++) {
		str(m, s->deps[i].service);
		map_begin(m);
		kv(m, "condition", cond[s->deps[i].condition]);
		flag(m, "restart", s->deps[i].restart);
		flag(m, "required", s->deps[i].required);
		map_end(m);
	}
	map_end(m);
}

static void health(struct em *m, const struct compose_health *h)
{
	if (!h->set)
		return;
	str(m, "healthcheck");
	map_begin(m);
	if (h->disable)
		flag(m, "disable", 1);
	seq(m, "test", h->test);
	ms(m, "interval", h->interval_ms);
	ms(m, "timeout", h->timeout_ms);
	str(m, "retries"), num(m, h->retries);
	ms(m, "start_period", h->start_period_ms);
	map_end(m);
}

/* networks: name: {aliases, ipv4_address, ipv6_address}. */
static void nets(struct em *m, const struct compose_service *s)
{
	if (!s->networks)
		return;
	str(m, "networks");
	map_begin(m);
	for (char **n = s->networks; *n; n++) {
		str(m, *n);
		map_begin(m);
		const struct compose_svcnet *o = &s->net_opts[n - s->networks];
		int first = n == s->networks;
		seq(m, "aliases", first ? s->spec.aliases : o->aliases);
		kv(m, "ipv4_address", first ? s->spec.ip : o->ip);
		kv(m, "ipv6_address", first ? s->spec.ip6 : o->ip6);
		map_end(m);
	}
	map_end(m);
}

/* A service's secrets or configs, in the long syntax. */
static void mrefs(struct em *m, const char *key, const struct compose_mref *r, int n)
{
	yaml_event_t e;
	if (!n)
		return;
	str(m, key);
	yaml_sequence_start_event_initialize(&e, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE);
	ev(m, &e);
	for (int i = 0; i < n; i++) {
		map_begin(m);
		kv(m, "source", r[i].source);
		kv(m, "target", r[i].target);
		kv(m, "uid", r[i].uid);
		kv(m, "gid", r[i].gid);
		if (r[i].mode >= 0) {
			char mode[16];
			snprintf(mode, sizeof mode, "0%o", (unsigned)r[i].mode);
			str(m, "mode");
			scalar(m, mode, 1);
		}
		map_end(m);
	}
	yaml_sequence_end_event_initialize(&e);
	ev(m, &e);
}

/* Top-level secrets or configs: where each one's content comes from. */
static void objs(struct em *m, const char *key, const struct compose_fileobj *o, int n)
{
	if (!n)
		return;
	str(m, key);
	map_begin(m);
	for (int i = 0; i < n; i++) {
		str(m, o[i].name);
		map_begin(m);
		kv(m, "file", o[i].file);
		kv(m, "environment", o[i].environment);
		kv(m, "content", o[i].content);
		flag(m, "external", o[i].external);
		map_end(m);
	}
	map_end(m);
}

/* develop.watch, so that the printed file reads back the same. */
static void develop(struct em *m, const struct compose_service *s)
{
	if (!s->nwatch)
		return;
	nested_begin(m, "develop", "watch");
	for (int i = 0; i < s->nwatch; i++) {
		map_begin(m);
		kv(m, "path", s->watch[i].path);
		kv(m, "action", s->watch[i].action);
		kv(m, "target", s->watch[i].target);
		seq(m, "ignore", s->watch[i].ignore);
		map_end(m);
	}
	nested_end(m);
}

static void service(struct em *m, const struct compose_service *s)
{
	static const char *const restart[] = { "no", "always", "on-failure", "unless-stopped" };
	const struct svc_spec *sp = &s->spec;
	str(m, s->name);
	map_begin(m);
	kv(m, "image", sp->image);
	if (s->build_context) {
		str(m, "build");
		map_begin(m);
		kv(m, "context", s->build_context);
		kv(m, "dockerfile", s->build_dockerfile);
		kv(m, "target", s->build_target);
		env_map(m, "args", s->build_args);
		map_end(m);
	}
	kv(m, "container_name", sp->name);
	seq(m, "entrypoint", sp->entrypoint);
	seq(m, "command", sp->command);
	env_map(m, "environment", sp->env);
	kv(m, "hostname", sp->hostname);
	kv(m, "user", sp->user);
	kv(m, "working_dir", sp->workdir);
	nets(m, s);
	kv(m, "network_mode", sp->network && !s->networks ? sp->network : NULL);
	seq(m, "ports", sp->ports);
	seq(m, "expose", sp->expose);
	seq(m, "extra_hosts", sp->add_hosts);
	seq(m, "dns", sp->dns);
	/* The last nfilemounts are its secrets and configs, shown as such. */
	mounts(m, sp, sp->nmounts - s->nfilemounts, sp->project ? sp->project : "");
	deps(m, s);
	health(m, &s->health);
	str(m, "scale"), num(m, s->replicas);
	if (sp->restart != RESTART_NO || sp->restart_max) {
		char r[48];
		snprintf(r, sizeof r, sp->restart_max ? "%s:%d" : "%s", restart[sp->restart], sp->restart_max);
		kv(m, "restart", r);
	}
	if (sp->memory)
		str(m, "mem_limit"), num(m, sp->memory);
	if (sp->cpus > 0) {
		char c[32];
		snprintf(c, sizeof c, "%g", sp->cpus);
		str(m, "cpus");
		scalar(m, c, 1);
	}
	if (sp->pids_limit)
		str(m, "pids_limit"), num(m, sp->pids_limit);
	if (sp->cpu_shares)
		str(m, "cpu_shares"), num(m, sp->cpu_shares);
	if (sp->tty)
		flag(m, "tty", 1);
	if (sp->interactive)
		flag(m, "stdin_open", 1);
	if (sp->read_only)
		flag(m, "read_only", 1);
	if (sp->privileged)
		flag(m, "privileged", 1);
	seq(m, "cap_add", sp->cap_add);
	seq(m, "cap_drop", sp->cap_drop);
	env_map(m, "labels", sp->labels);
	seq(m, "profiles", s->profiles);
	mrefs(m, "secrets", s->secrets, s->nsecrets);
	mrefs(m, "configs", s->configs, s->nconfigs);
	kv(m, "stop_signal", s->stop_signal);
	if (s->stop_grace_ms >= 0)
		ms(m, "stop_grace_period", s->stop_grace_ms);
	if (s->init)
		flag(m, "init", 1);
	develop(m, s);
	map_end(m);
}

static void top(struct em *m, const struct compose_project *p)
{
	str(m, "name"), str(m, p->name);
	str(m, "services");
	map_begin(m);
	for (int i = 0; i < p->nsvcs; i++)
		service(m, &p->svcs[i]);
	map_end(m);
	if (p->nnets) {
		str(m, "networks");
		map_begin(m);
		for (int i = 0; i < p->nnets; i++) {
			const struct compose_net *n = &p->nets[i];
			str(m, n->name);
			map_begin(m);
			flag(m, "internal", n->internal);
			flag(m, "enable_ipv6", n->ipv6);
			flag(m, "external", n->external);
			if (n->subnet || n->subnet6) {
				nested_begin(m, "ipam", "config");
				const char *subs[] = { n->subnet, n->subnet6 };
				for (int k = 0; k < 2; k++)
					if (subs[k]) {
						map_begin(m);
						kv(m, "subnet", subs[k]);
						map_end(m);
					}
				nested_end(m);
			}
			env_map(m, "labels", n->labels);
			map_end(m);
		}
		map_end(m);
	}
	if (p->nvols) {
		str(m, "volumes");
		map_begin(m);
		for (int i = 0; i < p->nvols; i++) {
			str(m, p->vols[i].name);
			map_begin(m);
			flag(m, "external", p->vols[i].external);
			env_map(m, "labels", p->vols[i].labels);
			map_end(m);
		}
		map_end(m);
	}
	objs(m, "secrets", p->secrets, p->nsecrets);
	objs(m, "configs", p->configs, p->nconfigs);
}

int compose_emit(const struct compose_project *p, FILE *out)
{
	struct em m = { .bad = 0 };
	yaml_event_t e;
	if (!yaml_emitter_initialize(&m.e))
		return -1;
	yaml_emitter_set_output_file(&m.e, out);
	yaml_emitter_set_unicode(&m.e, 1);
	yaml_stream_start_event_initialize(&e, YAML_UTF8_ENCODING);
	ev(&m, &e);
	yaml_document_start_event_initialize(&e, NULL, NULL, NULL, 1);
	ev(&m, &e);
	map_begin(&m);
	top(&m, p);
	map_end(&m);
	yaml_document_end_event_initialize(&e, 1);
	ev(&m, &e);
	yaml_stream_end_event_initialize(&e);
	ev(&m, &e);
	yaml_emitter_delete(&m.e);
	return m.bad ? -1 : 0;
}
