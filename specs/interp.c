/* Compose variable interpolation: one recursive pass over the text that
 * expands $VAR and ${VAR<op>word} into a growing buffer. */
#include "interp.h"
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct interp {
	const char *text; /* the whole input, quoted in syntax errors */
	interp_lookup look;
	void *arg;
	char *out; /* what has been produced so far, NUL-terminated */
	size_t len, cap;
	char *why;
	size_t size;
};

static const char *scan(struct interp *in, const char *p, int inside, int live);

__attribute__((format(printf, 2, 3))) static const char *fail(struct interp *in, const char *fmt, ...)
{
	if (in->why && in->size) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(in->why, in->size, fmt, ap);
		va_end(ap);
	}
	return NULL;
}

static int oom(struct interp *in)
{
	fail(in, "out of memory");
	return -1;
}

static const char *syntax(struct interp *in)
{
	return fail(in, "invalid interpolation format for \"%s\"", in->text);
}

/* Appends s[0..n) when live; a dead pass (an unused default) only parses. */
static int emit(struct interp *in, int live, const char *s, size_t n)
{
	if (!live)
		return 0;
	if (n >= SIZE_MAX / 2 - in->len)
		return oom(in);
	if (in->len + n + 1 > in->cap) {
		size_t cap = in->cap ? in->cap : 64;
		while (cap < in->len + n + 1)
			cap *= 2;
		char *p = realloc(in->out, cap);
		if (!p)
			return oom(in);
		in->out = p;
		in->cap = cap;
	}
	memcpy(in->out + in->len, s, n);
	in->len += n;
	in->out[in->len] = '\0';
	return 0;
}

static int emit_str(struct interp *in, int live, const char *s)
{
	return s ? emit(in, live, s, strlen(s)) : 0;
}

/* Length of the variable name at p ([A-Za-z_][A-Za-z0-9_]*), 0 if none. */
static size_t name_len(const char *p)
{
	static const char first[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_";
	if (!*p || !strchr(first, *p))
		return 0;
	return strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_0123456789");
}

/* The lookup wants a NUL-terminated name; the text has it in place. */
static int lookup(struct interp *in, const char *name, size_t n, const char **val)
{
	char *key = strndup(name, n);
	if (!key)
		return oom(in);
	*val = in->look(key, in->arg);
	free(key);
	return 0;
}

/* ${VAR?msg} failed: the message was just interpolated at out + mark. */
static const char *required(struct interp *in, const char *name, size_t n, size_t mark)
{
	const char *msg = in->len > mark ? in->out + mark : "";
	return fail(in, "required variable %.*s is missing a value%s%s", (int)n, name, *msg ? ": " : "", msg);
}

/* p is just past "${"; returns just past the matching '}'. */
static const char *braced(struct interp *in, const char *p, int live)
{
	const char *name = p, *val = NULL;
	size_t n = name_len(p);
	if (!n)
		return syntax(in);
	if (live && lookup(in, name, n, &val) < 0)
		return NULL;
	p += n;
	if (*p == '}')
		return emit_str(in, live, val) < 0 ? NULL : p + 1;
	int colon = *p == ':';
	char op = p[colon];
	if (!op || !strchr("-?+", op))
		return syntax(in);
	p += colon + 1;
	/* With ':' an empty value counts as unset. */
	int set = val && (!colon || *val);
	int word_live = live && (op == '+' ? set : !set);
	if (op != '+' && set && emit_str(in, live, val) < 0)
		return NULL;
	size_t mark = in->len;
	if (!(p = scan(in, p, 1, word_live)))
		return NULL;
	if (op == '?' && word_live)
		return required(in, name, n, mark);
	return p + 1;
}

/* p is just past a '$'; returns where the text goes on. */
static const char *dollar(struct interp *in, const char *p, int live)
{
	if (*p == '$')
		return emit(in, live, "$", 1) < 0 ? NULL : p + 1;
	if (*p == '{')
		return braced(in, p + 1, live);
	size_t n = name_len(p);
	const char *val = NULL;
	if (!n) /* Compose leaves a lone $ alone */
		return emit(in, live, "$", 1) < 0 ? NULL : p;
	if (live && lookup(in, p, n, &val) < 0)
		return NULL;
	return emit_str(in, live, val) < 0 ? NULL : p + n;
}

/* Expands text up to its end or, inside ${...}, up to the unmatched '}'
 * (returned); NULL on error. */
static const char *scan(struct interp *in, const char *p, int inside, int live)
{
	for (;;) {
		size_t n = strcspn(p, inside ? "$}" : "$");
		if (emit(in, live, p, n) < 0)
			return NULL;
		p += n;
		if (*p != '$')
			break;
		if (!(p = dollar(in, p + 1, live)))
			return NULL;
	}
	if (inside && *p != '}')
		return syntax(in);
	return p;
}

char *interp_string(const char *text, interp_lookup look, void *arg, char *why, size_t size)
{
	struct interp in = { .text = text, .look = look, .arg = arg, .why = why, .size = size };
	/* The empty emit allocates, so "" comes back as a string too. */
	if (emit(&in, 1, "", 0) < 0 || !scan(&in, text, 0, 1)) {
		free(in.out);
		return NULL;
	}
	return in.out;
}
