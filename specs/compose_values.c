/* Typed values out of YAML nodes for the lochs.yml readers (see
 * compose_parse.h). */
#include "compose_parse.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cp_err(struct cparse *c, const yaml_node_t *n, const char *key, const char *fmt, ...)
{
	char msg[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return ytree_err(c->t, n, c->e, "%s: %s", key, msg);
}

int cp_pairs(const yaml_node_t *n)
{
	return n && n->type == YAML_MAPPING_NODE ? (int)(n->data.mapping.pairs.top - n->data.mapping.pairs.start) : 0;
}

const char *cp_key(struct cparse *c, const yaml_node_t *n, int i, yaml_node_t **value)
{
	yaml_node_pair_t *p = n->data.mapping.pairs.start + i;
	*value = ytree_at(c->t, p->value);
	return ytree_scalar(ytree_at(c->t, p->key));
}

int cp_items(const yaml_node_t *n)
{
	return n && n->type == YAML_SEQUENCE_NODE ? (int)(n->data.sequence.items.top - n->data.sequence.items.start) : 0;
}

yaml_node_t *cp_item(struct cparse *c, const yaml_node_t *n, int i)
{
	return ytree_at(c->t, n->data.sequence.items.start[i]);
}

/* Edit distance, for "did you mean". */
static int distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 40 || lb > 40)
		return 99;
	int d[41][41];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			int sub = d[i - 1][j - 1] + (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]));
			int del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;
			d[i][j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
	return d[la][lb];
}

static int listed(const char *const *v, const char *s)
{
	for (; v && *v; v++)
		if (!strcmp(*v, s))
			return 1;
	return 0;
}

int cp_keys(struct cparse *c, const yaml_node_t *n, const char *where, const char *const *known,
	    const char *const *unsupported)
{
	if (!n || n->type != YAML_MAPPING_NODE)
		return cp_err(c, n, where, "a mapping expected");
	for (int i = 0; i < cp_pairs(n); i++) {
		yaml_node_t *v;
		const char *k = cp_key(c, n, i, &v);
		yaml_node_t *kn = ytree_at(c->t, n->data.mapping.pairs.start[i].key);
		if (!k)
			return cp_err(c, kn, where, "keys must be strings");
		if (!strncmp(k, "x-", 2) || listed(known, k))
			continue;
		if (listed(unsupported, k))
			return ytree_err(c->t, kn, c->e, "%s.%s: not supported by Lochs", where, k);
		const char *best = NULL;
		int bd = 99;
		for (const char *const *p = known; p && *p; p++) {
			int d = distance(k, *p);
			if (d < bd)
				bd = d, best = *p;
		}
		if (best && bd <= 1 + (int)strlen(k) / 4)
			return ytree_err(c->t, kn, c->e, "%s: unknown key `%s` (did you mean `%s`?)", where, k, best);
		return ytree_err(c->t, kn, c->e, "%s: unknown key `%s`", where, k);
	}
	return 0;
}

char *cp_str(struct cparse *c, const yaml_node_t *n, const char *key)
{
	const char *s = ytree_scalar(n);
	if (!s) {
		cp_err(c, n, key, "a string expected");
		return NULL;
	}
	char *d = strdup(s);
	if (!d)
		cp_err(c, n, key, "out of memory");
	return d;
}

char **cp_strv(struct cparse *c, const yaml_node_t *n, const char *key, int one_ok)
{
	char **v = NULL;
	if (one_ok && ytree_scalar(n)) {
		if (strv_push(&v, ytree_scalar(n)) < 0)
			cp_err(c, n, key, "out of memory");
		return v;
	}
	if (!n || n->type != YAML_SEQUENCE_NODE) {
		cp_err(c, n, key, one_ok ? "a string or a list expected" : "a list expected");
		return NULL;
	}
	if (!cp_items(n) && strv_push(&v, "") == 0) /* an empty list is a list */
		v[0][0] = 0, free(v[0]), v[0] = NULL;
	for (int i = 0; i < cp_items(n); i++) {
		yaml_node_t *it = cp_item(c, n, i);
		if (!ytree_scalar(it)) {
			char k[300];
			snprintf(k, sizeof k, "%s[%d]", key, i);
			cp_err(c, it, k, "a string expected");
			strv_free(v);
			return NULL;
		}
		if (strv_push(&v, ytree_scalar(it)) < 0) {
			cp_err(c, it, key, "out of memory");
			strv_free(v);
			return NULL;
		}
	}
	return v;
}

char **cp_kv(struct cparse *c, const yaml_node_t *n, const char *key)
{
	if (n && n->type == YAML_SEQUENCE_NODE)
		return cp_strv(c, n, key, 0);
	if (!n || n->type != YAML_MAPPING_NODE) {
		cp_err(c, n, key, "a list of KEY=VALUE or a mapping expected");
		return NULL;
	}
	char **v = NULL;
	if (!cp_pairs(n) && strv_push(&v, "") == 0)
		free(v[0]), v[0] = NULL;
	for (int i = 0; i < cp_pairs(n); i++) {
		yaml_node_t *val;
		const char *k = cp_key(c, n, i, &val);
		char buf[4096];
		if (!k || (!ytree_scalar(val) && !ytree_is_null(val))) {
			cp_err(c, val, key, "values must be strings, numbers or booleans");
			strv_free(v);
			return NULL;
		}
		if (ytree_is_null(val))
			snprintf(buf, sizeof buf, "%s", k);
		else
			snprintf(buf, sizeof buf, "%s=%s", k, ytree_scalar(val));
		if (strv_push(&v, buf) < 0) {
			cp_err(c, val, key, "out of memory");
			strv_free(v);
			return NULL;
		}
	}
	return v;
}

int cp_bool(struct cparse *c, const yaml_node_t *n, const char *key, int *out)
{
	const char *s = ytree_scalar(n);
	if (s && (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE")))
		return *out = 1, 0;
	if (s && (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE")))
		return *out = 0, 0;
	return cp_err(c, n, key, "true or false expected");
}

int cp_int(struct cparse *c, const yaml_node_t *n, const char *key, long long *out)
{
	const char *s = ytree_scalar(n);
	char *end;
	if (!s || !*s)
		return cp_err(c, n, key, "a whole number expected");
	*out = strtoll(s, &end, 10);
	return *end ? cp_err(c, n, key, "a whole number expected, not \"%s\"", s) : 0;
}

int cp_duration(struct cparse *c, const yaml_node_t *n, const char *key, long long *ms)
{
	const char *s = ytree_scalar(n);
	if (!s || !*s)
		return cp_err(c, n, key, "a duration expected (like 30s, 1m30s, 500ms)");
	if (parse_duration(s, ms) < 0)
		return cp_err(c, n, key, "invalid duration \"%s\" (units: h, m, s, ms, us, ns)", s);
	return 0;
}
