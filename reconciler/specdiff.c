/* What changed between two jail specs (svc_to_json), for `lochs plan`:
 * each differing field as `PATH OLD -> NEW`, environment and labels per
 * key. Pure. */
#include "specdiff.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Fields that name the jail, not what runs in it. */
static int ignored(const char *key)
{
	return !strcmp(key, "name") || !strcmp(key, "project") || !strcmp(key, "service");
}

/* Compose's names for the spec's fields where they differ. */
static const char *shown(const char *key)
{
	static const char *const names[][2] = { { "env", "environment" }, { "workdir", "working_dir" },
						{ "network", "network_mode" }, { "health", "healthcheck" },
						{ "mounts", "volumes" } };
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (!strcmp(key, names[i][0]))
			return names[i][1];
	return key;
}

struct out {
	char *buf;
	size_t size, len;
	int n;
};

/* A compose secret's or config's content (mounts[].file.content) is not
 * printed: "(N bytes)" stands for it. v is changed in place. */
static json_t *redact(json_t *v)
{
	size_t i;
	const char *k;
	json_t *x;
	json_array_foreach(v, i, x)
		redact(x);
	json_object_foreach(v, k, x) {
		if (!strcmp(k, "content") && json_is_string(x)) {
			char n[48];
			snprintf(n, sizeof n, "(%zu bytes)", json_string_length(x));
			json_object_set_new(v, k, json_string(n));
		} else {
			redact(x);
		}
	}
	return v;
}

static char *shown_text(const json_t *v)
{
	json_t *c = v ? redact(json_deep_copy(v)) : NULL;
	char *t = c ? json_dumps(c, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
	json_decref(c);
	return t;
}

static void say(struct out *o, const char *path, const json_t *a, const json_t *b)
{
	char *x = shown_text(a), *y = shown_text(b);
	if (o->len < o->size) {
		int k = snprintf(o->buf + o->len, o->size - o->len, "%s%s %s -> %s", o->n ? ", " : "", path,
				 x ? x : "(unset)", y ? y : "(unset)");
		o->len += k > 0 ? (size_t)k : 0;
	}
	o->n++;
	free(x), free(y);
}

/* KEY=VALUE lists as maps: environment.FOO "a" -> "b". */
static json_t *as_map(const json_t *list)
{
	json_t *m = json_object();
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v) {
		const char *s = json_string_value(v), *eq = s ? strchr(s, '=') : NULL;
		if (!s)
			continue;
		char *k = eq ? strndup(s, (size_t)(eq - s)) : strdup(s);
		if (k)
			json_object_set_new(m, k, json_string(eq ? eq + 1 : ""));
		free(k);
	}
	return m;
}

static void diff(struct out *o, const char *prefix, const json_t *a, const json_t *b);

static void keys(struct out *o, const char *prefix, const json_t *a, const json_t *b, int top)
{
	const char *k;
	json_t *v;
	char path[300];
	/* a's keys in a's order, then the ones only b has. */
	for (int pass = 0; pass < 2; pass++) {
		json_object_foreach((json_t *)(pass ? b : a), k, v) {
			if ((top && ignored(k)) || (pass && json_object_get(a, k)))
				continue;
			snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "." : "", top ? shown(k) : k);
			const json_t *x = json_object_get(a, k), *y = json_object_get(b, k);
			if (top && (!strcmp(k, "env") || !strcmp(k, "labels")) && json_is_array(x) && json_is_array(y)) {
				json_t *mx = as_map(x), *my = as_map(y);
				keys(o, path, mx, my, 0);
				json_decref(mx), json_decref(my);
			} else {
				diff(o, path, x, y);
			}
		}
	}
}

static void diff(struct out *o, const char *path, const json_t *a, const json_t *b)
{
	if (a && b && json_equal((json_t *)a, (json_t *)b))
		return;
	/* An unset field and its empty value are the same to the user. */
	if ((!a && (json_is_false(b) || (json_is_array(b) && !json_array_size(b)))) ||
	    (!b && (json_is_false(a) || (json_is_array(a) && !json_array_size(a)))))
		return;
	if (json_is_object(a) && json_is_object(b))
		keys(o, path, a, b, 0);
	else
		say(o, path, a, b);
}

int spec_diff(const json_t *old, const json_t *now, char *out, size_t size)
{
	struct out o = { out, size, 0, 0 };
	if (size)
		out[0] = 0;
	keys(&o, "", old, now, 1);
	if (size && o.len >= size && size > 4)
		strcpy(out + size - 4, "...");
	return o.n;
}
