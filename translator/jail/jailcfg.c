/* config.json -> struct jail_config. A tiny JSON reader of its own keeps
 * the monitor free of jansson (its RSS budget is a few MiB). */
#include "jail.h"
#include "../../common/fsutil.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jv {
	int type;
	double num;
	char *str;         /* J_STR */
	struct jv *kids;   /* J_ARR, J_OBJ */
	char **keys;       /* J_OBJ */
	int n;
};

struct rd {
	const char *p;
	int err;
};

static void ws(struct rd *r)
{
	while (isspace((unsigned char)*r->p))
		r->p++;
}

static int hexval(int c)
{
	return isdigit(c) ? c - '0' : (tolower(c) >= 'a' && tolower(c) <= 'f') ? tolower(c) - 'a' + 10 : -1;
}

/* Appends code point u as UTF-8. */
static char *put_utf8(char *o, unsigned u)
{
	if (u < 0x80)
		*o++ = (char)u;
	else if (u < 0x800)
		*o++ = (char)(0xc0 | u >> 6), *o++ = (char)(0x80 | (u & 0x3f));
	else if (u < 0x10000)
		*o++ = (char)(0xe0 | u >> 12), *o++ = (char)(0x80 | (u >> 6 & 0x3f)), *o++ = (char)(0x80 | (u & 0x3f));
	else
		*o++ = (char)(0xf0 | u >> 18), *o++ = (char)(0x80 | (u >> 12 & 0x3f)),
		*o++ = (char)(0x80 | (u >> 6 & 0x3f)), *o++ = (char)(0x80 | (u & 0x3f));
	return o;
}

static unsigned hex4(struct rd *r)
{
	unsigned u = 0;
	for (int i = 0; i < 4; i++) {
		int h = hexval((unsigned char)*r->p);
		if (h < 0) {
			r->err = 1;
			return 0;
		}
		u = u << 4 | (unsigned)h;
		r->p++;
	}
	return u;
}

static char *str(struct rd *r)
{
	r->p++; /* opening quote */
	const char *end = r->p;
	while (*end && *end != '"')
		end += *end == '\\' && end[1] ? 2 : 1;
	char *s = malloc((size_t)(end - r->p) + 1), *o = s;
	while (*r->p && *r->p != '"') {
		char c = *r->p++;
		if (c != '\\') {
			*o++ = c;
			continue;
		}
		c = *r->p++;
		switch (c) {
		case 'n': *o++ = '\n'; break;
		case 't': *o++ = '\t'; break;
		case 'r': *o++ = '\r'; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'u': {
			unsigned u = hex4(r);
			if (u >= 0xd800 && u < 0xdc00 && r->p[0] == '\\' && r->p[1] == 'u') {
				r->p += 2;
				u = 0x10000 + ((u - 0xd800) << 10) + (hex4(r) - 0xdc00);
			}
			o = put_utf8(o, u);
			break;
		}
		case 0: r->err = 1; r->p--; break;
		default: *o++ = c;
		}
	}
	*o = 0;
	if (*r->p != '"')
		r->err = 1;
	else
		r->p++;
	return s;
}

static void value(struct rd *r, struct jv *v, int depth)
{
	memset(v, 0, sizeof *v);
	ws(r);
	if (depth > 32) {
		r->err = 1;
		return;
	}
	char c = *r->p;
	if (c == '"') {
		v->type = J_STR;
		v->str = str(r);
	} else if (c == '[' || c == '{') {
		v->type = c == '[' ? J_ARR : J_OBJ;
		char close = c == '[' ? ']' : '}';
		r->p++;
		ws(r);
		if (*r->p == close) {
			r->p++;
			return;
		}
		for (;;) {
			v->kids = realloc(v->kids, sizeof *v->kids * (size_t)(v->n + 1));
			if (v->type == J_OBJ) {
				v->keys = realloc(v->keys, sizeof *v->keys * (size_t)(v->n + 1));
				ws(r);
				if (*r->p != '"') {
					r->err = 1;
					return;
				}
				v->keys[v->n] = str(r);
				ws(r);
				if (*r->p++ != ':') {
					r->err = 1;
					memset(&v->kids[v->n++], 0, sizeof *v->kids);
					return;
				}
			}
			value(r, &v->kids[v->n++], depth + 1);
			if (r->err)
				return;
			ws(r);
			if (*r->p == ',') {
				r->p++;
				continue;
			}
			if (*r->p++ != close)
				r->err = 1;
			return;
		}
	} else if (strncmp(r->p, "true", 4) == 0 || strncmp(r->p, "false", 5) == 0) {
		v->type = J_BOOL;
		v->num = c == 't';
		r->p += c == 't' ? 4 : 5;
	} else if (strncmp(r->p, "null", 4) == 0) {
		r->p += 4;
	} else {
		char *end;
		v->type = J_NUM;
		v->num = strtod(r->p, &end);
		if (end == r->p)
			r->err = 1;
		r->p = end;
	}
}

static void jv_free(struct jv *v)
{
	for (int i = 0; i < v->n; i++) {
		jv_free(&v->kids[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->kids);
	free(v->keys);
	free(v->str);
}

static struct jv *get(struct jv *o, const char *key)
{
	for (int i = 0; o->type == J_OBJ && i < o->n; i++)
		if (strcmp(o->keys[i], key) == 0)
			return &o->kids[i];
	return NULL;
}

/* Typed getters: a wrong type is an error, a missing key the default. */
static int get_str(struct jv *o, const char *key, char **out, const char *def, struct lerr *e)
{
	struct jv *v = get(o, key);
	if (v && v->type != J_STR && v->type != J_NULL)
		return lerr_set(e, LX_LOCHS, "config.json: \"%s\" must be a string", key);
	*out = v && v->type == J_STR ? strdup(v->str) : def ? strdup(def) : NULL;
	return 0;
}

static int get_num(struct jv *o, const char *key, double *out, struct lerr *e)
{
	struct jv *v = get(o, key);
	if (v && v->type != J_NUM && v->type != J_BOOL && v->type != J_NULL)
		return lerr_set(e, LX_LOCHS, "config.json: \"%s\" must be a number", key);
	*out = v ? v->num : 0;
	return 0;
}

static int get_strv(struct jv *o, const char *key, char ***out, struct lerr *e)
{
	struct jv *v = get(o, key);
	int n = v && v->type == J_ARR ? v->n : 0;
	if (v && v->type != J_ARR && v->type != J_NULL)
		return lerr_set(e, LX_LOCHS, "config.json: \"%s\" must be an array of strings", key);
	*out = calloc((size_t)n + 1, sizeof **out);
	for (int i = 0; i < n; i++) {
		if (v->kids[i].type != J_STR)
			return lerr_set(e, LX_LOCHS, "config.json: \"%s\" must be an array of strings", key);
		(*out)[i] = strdup(v->kids[i].str);
	}
	return 0;
}

static int load_mounts(struct jv *o, struct jail_config *c, struct lerr *e)
{
	struct jv *v = get(o, "mounts");
	if (!v || v->type == J_NULL)
		return 0;
	if (v->type != J_ARR)
		return lerr_set(e, LX_LOCHS, "config.json: \"mounts\" must be an array");
	c->mounts = calloc((size_t)v->n + 1, sizeof *c->mounts);
	for (int i = 0; i < v->n; i++) {
		struct jv *m = &v->kids[i];
		struct jail_mount *jm = &c->mounts[c->nmounts++];
		double ro;
		if (m->type != J_OBJ)
			return lerr_set(e, LX_LOCHS, "config.json: mounts[%d] must be an object", i);
		if (get_str(m, "type", &jm->type, "bind", e) < 0 || get_str(m, "source", &jm->source, "", e) < 0 ||
		    get_str(m, "target", &jm->target, NULL, e) < 0 || get_str(m, "options", &jm->options, "", e) < 0 ||
		    get_num(m, "readonly", &ro, e) < 0)
			return -1;
		jm->readonly = ro != 0;
		if (!jm->target || jm->target[0] != '/')
			return lerr_set(e, LX_LOCHS, "config.json: mounts[%d]: target must be an absolute path", i);
		if (strcmp(jm->type, "bind") != 0 && strcmp(jm->type, "tmpfs") != 0)
			return lerr_set(e, LX_LOCHS, "config.json: mounts[%d]: unknown type \"%s\"", i, jm->type);
		if (strcmp(jm->type, "bind") == 0 && jm->source[0] != '/')
			return lerr_set(e, LX_LOCHS, "config.json: mounts[%d]: bind source must be an absolute path", i);
	}
	return 0;
}

static int load_health(struct jv *h, struct jail_config *c, struct lerr *e)
{
	double iv, to, st, re;
	if (!h)
		return 0;
	if (get_strv(h, "argv", &c->health_argv, e) < 0 || get_num(h, "interval_ms", &iv, e) < 0 ||
	    get_num(h, "timeout_ms", &to, e) < 0 || get_num(h, "start_ms", &st, e) < 0 || get_num(h, "retries", &re, e) < 0)
		return -1;
	c->health_interval_ms = (long long)iv, c->health_timeout_ms = (long long)to, c->health_start_ms = (long long)st;
	c->health_retries = (int)re;
	return 0;
}

static int load_nets(struct jv *o, struct jail_config *c, struct lerr *e)
{
	struct jv *v = get(o, "networks");
	if (!v || v->type == J_NULL)
		return 0;
	if (v->type != J_ARR)
		return lerr_set(e, LX_LOCHS, "config.json: \"networks\" must be an array");
	c->nets = calloc((size_t)v->n + 1, sizeof *c->nets);
	double internal;
	for (int i = 0; i < v->n; i++) {
		struct jv *m = &v->kids[i];
		struct jail_net *n = &c->nets[c->nnets++];
		if (m->type != J_OBJ)
			return lerr_set(e, LX_LOCHS, "config.json: networks[%d] must be an object", i);
		if (get_str(m, "network", &n->network, "", e) < 0 || get_str(m, "bridge", &n->bridge, NULL, e) < 0 ||
		    get_str(m, "address", &n->address, NULL, e) < 0 || get_str(m, "gateway", &n->gateway, "", e) < 0 ||
		    get_str(m, "mac", &n->mac, "", e) < 0 || get_str(m, "ifname", &n->ifname, "", e) < 0 ||
		    get_str(m, "address6", &n->address6, "", e) < 0 || get_str(m, "gateway6", &n->gateway6, "", e) < 0 ||
		    get_num(m, "internal", &internal, e) < 0)
			return -1;
		n->internal = internal != 0;
		if (!*n->ifname) {
			free(n->ifname);
			if (!(n->ifname = malloc(16)))
				return lerr_set(e, LX_LOCHS, "out of memory");
			snprintf(n->ifname, 16, "eth%d", i);
		}
		if (!n->bridge || !n->address || !strchr(n->address, '/'))
			return lerr_set(e, LX_LOCHS, "config.json: networks[%d]: bridge and address/prefix are required", i);
	}
	return 0;
}

static int fill(struct jv *o, struct jail_config *c, struct lerr *e)
{
	double ro, mem, cpus, shares, pids, tty, priv, ipc, rmax, arm, in, aw, pub;
	char *user = NULL;
	if (o->type != J_OBJ)
		return lerr_set(e, LX_LOCHS, "config.json: not a JSON object");
	if (get_str(o, "id", &c->id, NULL, e) < 0 || get_str(o, "name", &c->name, "", e) < 0 ||
	    get_str(o, "hostname", &c->hostname, "", e) < 0 || get_strv(o, "lowerdirs", &c->lowerdirs, e) < 0 ||
	    get_str(o, "upperdir", &c->upperdir, NULL, e) < 0 || get_str(o, "workdir", &c->workdir, NULL, e) < 0 ||
	    get_num(o, "read_only", &ro, e) < 0 || get_strv(o, "argv", &c->argv, e) < 0 ||
	    get_strv(o, "env", &c->env, e) < 0 || get_str(o, "cwd", &c->cwd, "/", e) < 0 ||
	    get_str(o, "user", &user, "0:0", e) < 0 || load_mounts(o, c, e) < 0 ||
	    get_num(o, "memory", &mem, e) < 0 || get_num(o, "cpus", &cpus, e) < 0 ||
	    get_num(o, "cpu_shares", &shares, e) < 0 || get_num(o, "pids_limit", &pids, e) < 0 ||
	    get_num(o, "tty", &tty, e) < 0 || get_num(o, "privileged", &priv, e) < 0 ||
	    get_num(o, "sysvipc", &ipc, e) < 0 || get_strv(o, "cap_add", &c->cap_add, e) < 0 ||
	    get_strv(o, "cap_drop", &c->cap_drop, e) < 0 || get_str(o, "bsdulator", &c->bsdulator, NULL, e) < 0 ||
	    get_str(o, "restart", &c->restart, "no", e) < 0 || get_num(o, "restart_max", &rmax, e) < 0 ||
	    get_num(o, "auto_remove", &arm, e) < 0 || get_num(o, "stdin", &in, e) < 0 ||
	    get_num(o, "attach_wait", &aw, e) < 0 || get_num(o, "published", &pub, e) < 0 || load_nets(o, c, e) < 0 ||
	    get_str(o, "netns", &c->netns, "", e) < 0 || load_health(get(o, "healthcheck"), c, e) < 0) {
		free(user);
		return -1;
	}
	c->read_only = ro != 0, c->memory = (long long)mem, c->cpus = cpus;
	c->cpu_shares = (int)shares, c->pids_limit = (int)pids, c->tty = tty != 0;
	c->privileged = priv != 0, c->sysvipc = ipc != 0;
	c->restart_max = (int)rmax, c->auto_remove = arm != 0, c->open_stdin = in != 0, c->attach_wait = aw != 0;
	c->published = pub != 0;
	char *colon = strchr(user, ':'), *end;
	c->uid = (unsigned)strtoul(user, &end, 10);
	int bad = end == user || (*end && *end != ':');
	c->gid = colon ? (unsigned)strtoul(colon + 1, &end, 10) : c->uid;
	bad |= colon && (end == colon + 1 || *end);
	free(user);
	if (bad)
		return lerr_set(e, LX_LOCHS, "config.json: \"user\" must be numeric uid:gid");
	if (!c->id || !c->argv[0] || !c->upperdir || !c->workdir || !c->lowerdirs[0] || !c->bsdulator)
		return lerr_set(e, LX_LOCHS, "config.json: id, argv, lowerdirs, upperdir, workdir and bsdulator are required");
	if (strcmp(c->restart, "no") != 0 && strcmp(c->restart, "always") != 0 &&
	    strcmp(c->restart, "on-failure") != 0 && strcmp(c->restart, "unless-stopped") != 0)
		return lerr_set(e, LX_LOCHS, "config.json: unknown restart policy \"%s\"", c->restart);
	return 0;
}

int jail_config_load(const char *path, struct jail_config *c, struct lerr *e)
{
	size_t len;
	memset(c, 0, sizeof *c);
	char *text = read_file(path, &len);
	if (!text)
		return lerr_sys(e, "%s", path);
	struct rd r = { text, 0 };
	struct jv root;
	value(&r, &root, 0);
	ws(&r);
	int rc;
	if (r.err || *r.p)
		rc = lerr_set(e, LX_LOCHS, "%s: malformed JSON at byte %ld", path, (long)(r.p - text));
	else
		rc = fill(&root, c, e);
	jv_free(&root);
	free(text);
	if (rc < 0)
		jail_config_free(c);
	return rc;
}

static void strv_free(char **v)
{
	for (char **p = v; p && *p; p++)
		free(*p);
	free(v);
}

void jail_config_free(struct jail_config *c)
{
	free(c->id), free(c->name), free(c->hostname), strv_free(c->lowerdirs);
	free(c->upperdir), free(c->workdir), strv_free(c->argv), strv_free(c->env);
	free(c->cwd);
	for (int i = 0; i < c->nmounts; i++)
		free(c->mounts[i].type), free(c->mounts[i].source), free(c->mounts[i].target), free(c->mounts[i].options);
	free(c->mounts), strv_free(c->cap_add), strv_free(c->cap_drop), free(c->bsdulator), free(c->restart);
	free(c->netns);
	strv_free(c->health_argv);
	for (int i = 0; i < c->nnets; i++)
		free(c->nets[i].network), free(c->nets[i].bridge), free(c->nets[i].address), free(c->nets[i].gateway),
			free(c->nets[i].mac), free(c->nets[i].ifname),
			free(c->nets[i].address6), free(c->nets[i].gateway6);
	free(c->nets);
	memset(c, 0, sizeof *c);
}
