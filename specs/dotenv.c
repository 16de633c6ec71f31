/* The .env parser: one statement (a KEY=VALUE, possibly over several
 * lines when quoted) at a time, plus a whole-file reader. */
#include "dotenv.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLANKS " \t\r\v\f"

struct parser {
	const char *p; /* start of the next statement */
	int line;      /* its 1-based line number */
	char *why;
	size_t size;
};

static void vsay(char *why, size_t size, const char *fmt, va_list ap)
{
	if (why && size)
		vsnprintf(why, size, fmt, ap);
}

__attribute__((format(printf, 3, 4))) static void say(char *why, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay(why, size, fmt, ap);
	va_end(ap);
}

/* A syntax error at ps->line. */
__attribute__((format(printf, 2, 3))) static int invalid(struct parser *ps, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay(ps->why, ps->size, fmt, ap);
	va_end(ap);
	errno = EINVAL;
	return -1;
}

static int oom(struct parser *ps)
{
	say(ps->why, ps->size, "out of memory");
	errno = ENOMEM;
	return -1;
}

static const char *blanks(const char *s)
{
	return s + strspn(s, BLANKS);
}

/* Where the blanks ending s[0..e) begin. */
static const char *trim_end(const char *s, const char *e)
{
	while (e > s && strchr(BLANKS, e[-1]))
		e--;
	return e;
}

/* Moves past the line ending at eol ('\n' or the text's end). */
static void next_line(struct parser *ps, const char *eol)
{
	ps->p = eol;
	if (*eol == '\n') {
		ps->p++;
		ps->line++;
	}
}

/* Takes key and val; later keys override earlier ones in place. */
static int set(struct dotenv *d, char *key, char *val)
{
	for (int i = 0; i < d->n; i++)
		if (!strcmp(d->keys[i], key)) {
			free(key);
			free(d->values[i]);
			d->values[i] = val;
			return 0;
		}
	char **k = realloc(d->keys, (d->n + 1) * sizeof *k);
	if (k)
		d->keys = k;
	char **v = k ? realloc(d->values, (d->n + 1) * sizeof *v) : NULL;
	if (!v) {
		free(key);
		free(val);
		return -1;
	}
	d->values = v;
	d->keys[d->n] = key;
	d->values[d->n++] = val;
	return 0;
}

/* The value from v to its line's end eol, cut at an inline comment (a '#'
 * after a blank, as Compose does) and trimmed. */
static char *unquoted(const char *v, const char *eol)
{
	const char *e = v;
	while (e < eol && !(*e == '#' && e > v && strchr(" \t", e[-1])))
		e++;
	e = trim_end(v, e);
	return strndup(v, e - v);
}

static char unescape(char c)
{
	switch (c) {
	case 'n':
		return '\n';
	case 't':
		return '\t';
	case 'r':
		return '\r';
	default: /* \\ and \" give the character itself */
		return c;
	}
}

/* The quoted value opening at q into *val; returns its closing quote, or
 * NULL with *val NULL when it never closes (or on ENOMEM, *val too). */
static const char *quoted(const char *q, char **val, int *newlines)
{
	int dq = *q == '"';
	const char *e = q + 1;
	*val = NULL;
	*newlines = 0;
	for (; *e && *e != *q; e++) {
		if (dq && *e == '\\' && e[1])
			e++;
		*newlines += *e == '\n';
	}
	if (!*e)
		return NULL;
	char *o = *val = malloc(e - q);
	if (!o)
		return e;
	for (const char *s = q + 1; s < e; s++) {
		int esc = dq && *s == '\\' && strchr("nrt\\\"", s[1]);
		*o++ = esc ? unescape(*++s) : *s;
	}
	*o = '\0';
	return e;
}

/* The value at v (past '=' and blanks) into *val; moves ps to the next
 * statement. */
static int value(struct parser *ps, const char *v, char **val)
{
	const char *eol = v + strcspn(v, "\n");
	if (*v != '"' && *v != '\'') {
		if (!(*val = unquoted(v, eol)))
			return oom(ps);
		next_line(ps, eol);
		return 0;
	}
	int newlines;
	const char *e = quoted(v, val, &newlines);
	if (!e)
		return invalid(ps, "unterminated quoted value");
	if (!*val)
		return oom(ps);
	ps->line += newlines;
	const char *rest = blanks(e + 1);
	if (*rest && *rest != '\n' && *rest != '#') {
		free(*val);
		return invalid(ps, "unexpected text after the quoted value: \"%.*s\"", (int)strcspn(rest, "\n"), rest);
	}
	next_line(ps, rest + strcspn(rest, "\n"));
	return 0;
}

/* One statement, or a blank or comment line, from ps->p on. */
static int statement(struct parser *ps, struct dotenv *d)
{
	const char *s = blanks(ps->p), *eol = s + strcspn(s, "\n");
	if (s == eol || *s == '#') {
		next_line(ps, eol);
		return 0;
	}
	/* "export KEY=..." as in a shell script; "export=1" sets export. */
	size_t word = strcspn(s, "\n" BLANKS);
	const char *after = blanks(s + word);
	if (word == 6 && !strncmp(s, "export", 6) && after > s + word && after < eol)
		s = after;
	const char *eq = memchr(s, '=', eol - s);
	int len = trim_end(s, eol) - s;
	if (!eq)
		return invalid(ps, "no '=' in \"%.*s\"", len, s);
	const char *kend = trim_end(s, eq);
	if (kend == s)
		return invalid(ps, "no variable name before '=' in \"%.*s\"", len, s);
	if (strcspn(s, BLANKS) < (size_t)(kend - s))
		return invalid(ps, "invalid variable name \"%.*s\"", (int)(kend - s), s);
	char *key = strndup(s, kend - s), *val;
	if (!key)
		return oom(ps);
	if (value(ps, blanks(eq + 1), &val) < 0) {
		free(key);
		return -1;
	}
	return set(d, key, val) < 0 ? oom(ps) : 0;
}

int dotenv_parse(const char *text, struct dotenv *out, int *line, char *why, size_t size)
{
	struct parser ps = { .p = text, .line = 1, .why = why, .size = size };
	*out = (struct dotenv){ 0 };
	while (*ps.p)
		if (statement(&ps, out) < 0) {
			int err = errno;
			dotenv_free(out);
			if (line)
				*line = ps.line;
			errno = err;
			return -1;
		}
	if (line)
		*line = 0;
	return 0;
}

/* All of f as a string; NULL with errno on failure. */
static char *slurp(FILE *f)
{
	size_t len = 0, cap = 4096;
	char *s = malloc(cap);
	while (s) {
		len += fread(s + len, 1, cap - len - 1, f);
		if (len < cap - 1)
			break;
		char *t = realloc(s, cap *= 2);
		if (!t)
			free(s);
		s = t;
	}
	if (!s) {
		errno = ENOMEM;
		return NULL;
	}
	if (ferror(f)) {
		int err = errno;
		free(s);
		errno = err;
		return NULL;
	}
	s[len] = '\0';
	return s;
}

int dotenv_read(const char *path, struct dotenv *out, int *line, char *why, size_t size)
{
	*out = (struct dotenv){ 0 };
	if (line)
		*line = 0;
	FILE *f = fopen(path, "r");
	char *text = f ? slurp(f) : NULL;
	int err = errno;
	if (f)
		fclose(f);
	if (!text) {
		say(why, size, "%s: %s", path, strerror(err));
		errno = err;
		return -1;
	}
	int r = dotenv_parse(text, out, line, why, size);
	err = errno;
	free(text);
	errno = err;
	return r;
}

const char *dotenv_get(const struct dotenv *d, const char *key)
{
	for (int i = 0; i < d->n; i++)
		if (!strcmp(d->keys[i], key))
			return d->values[i];
	return NULL;
}

void dotenv_free(struct dotenv *d)
{
	for (int i = 0; i < d->n; i++) {
		free(d->keys[i]);
		free(d->values[i]);
	}
	free(d->keys);
	free(d->values);
	*d = (struct dotenv){ 0 };
}
