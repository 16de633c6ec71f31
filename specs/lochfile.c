/* Lochfile parsing; see lochfile.h. Lines are joined first (directives,
 * comments, continuations), then each instruction is split into flags and
 * its form, and checked for what can be checked before the build. */
#include "lochfile.h"
#include "strv.h"
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const kinds[] = { "FROM", "RUN", "COPY", "ADD", "ENV", "ARG", "LABEL", "EXPOSE", "WORKDIR",
				     "USER", "CMD", "ENTRYPOINT", "HEALTHCHECK", "SHELL", "VOLUME", "STOPSIGNAL",
				     "ONBUILD", "MAINTAINER" };

/* Flags each instruction accepts ("" = none); the rest are refused. */
static const char *const flags_of[] = {
	[LF_FROM] = " platform ",
	[LF_RUN] = " network ",
	[LF_COPY] = " from chown chmod link ",
	[LF_ADD] = " checksum chown chmod link keep-git-dir ",
	[LF_HEALTHCHECK] = " interval timeout start-period start-interval retries ",
};

const char *lf_kind_name(enum lf_kind k)
{
	return kinds[k];
}

static int kind_of(const char *word)
{
	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
		if (!strcasecmp(word, kinds[i]))
			return (int)i;
	return -1;
}

const char *lf_flag(const struct lf_inst *in, const char *name)
{
	size_t n = strlen(name);
	for (char **f = in->flags; f && *f; f++) {
		if (strncmp(*f + 2, name, n))
			continue;
		if ((*f)[2 + n] == '=')
			return *f + 3 + n;
		if (!(*f)[2 + n])
			return "";
	}
	return NULL;
}

int lf_words(const char *text, char esc, char ***out)
{
	*out = NULL;
	const char *p = text;
	while (*p) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		const char *s = p;
		char q = 0;
		for (; *p && (q || !isspace((unsigned char)*p)); p++) {
			if (*p == esc && q != '\'' && p[1])
				p++;
			else if (q && *p == q)
				q = 0;
			else if (!q && (*p == '"' || *p == '\''))
				q = *p;
		}
		char *w = strndup(s, (size_t)(p - s));
		if (!w || strv_push(out, w) < 0) {
			free(w);
			return -1;
		}
		free(w);
	}
	if (!*out)
		*out = calloc(1, sizeof **out);
	return *out ? 0 : -1;
}

/* A growing string. */
struct buf {
	char *s;
	size_t n, cap;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->s = realloc(b->s, b->cap);
		if (!b->s)
			abort();
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = 0;
}

static int is_name(int c)
{
	return isalnum(c) || c == '_';
}

struct lex {
	const char *p;
	char esc;
	lf_lookup look;
	void *arg;
	char *why;
	size_t wsize;
	int raw; /* substitution only: quotes and escapes are text */
};

static int expand_into(struct lex *x, struct buf *b, const char *stop);

/* After "${": NAME, then "}" or an operator and a word up to the "}". */
static int braces(struct lex *x, struct buf *b)
{
	const char *s = x->p;
	while (is_name((unsigned char)*x->p))
		x->p++;
	size_t n = (size_t)(x->p - s);
	if (!n) {
		snprintf(x->why, x->wsize, "bad substitution: missing variable name after ${");
		return -1;
	}
	char name[256];
	snprintf(name, sizeof name, "%.*s", (int)(n < 255 ? n : 255), s);
	const char *v = x->look(name, x->arg);
	if (*x->p == '}') {
		x->p++;
		if (v)
			put(b, v, strlen(v));
		return 0;
	}
	if (!*x->p) {
		snprintf(x->why, x->wsize, "bad substitution: missing } after ${%s", name);
		return -1;
	}
	int colon = *x->p == ':';
	char op = x->p[colon];
	if (op != '-' && op != '+' && op != '?') {
		snprintf(x->why, x->wsize, "bad substitution: unsupported modifier in ${%s%.2s", name, x->p);
		return -1;
	}
	x->p += colon + 1;
	struct buf word = { 0 };
	put(&word, "", 0);
	if (expand_into(x, &word, "}") < 0) {
		free(word.s);
		return -1;
	}
	if (*x->p != '}') {
		free(word.s);
		snprintf(x->why, x->wsize, "bad substitution: missing } after ${%s", name);
		return -1;
	}
	x->p++;
	int set = v && (!colon || *v);
	if (op == '?' && !set) { /* ${VAR:?message}: the build stops with the message */
		snprintf(x->why, x->wsize, "%s: %s", name,
			 word.n ? word.s : colon ? "parameter null or not set" : "parameter not set");
		free(word.s);
		return -1;
	}
	if (op == '-' || op == '?')
		put(b, set ? v : word.s, strlen(set ? v : word.s));
	else if (set)
		put(b, word.s, word.n);
	free(word.s);
	return 0;
}

/* "$..." at x->p (past the '$'). */
static int dollar(struct lex *x, struct buf *b)
{
	if (*x->p == '{') {
		x->p++;
		return braces(x, b);
	}
	const char *s = x->p;
	while (is_name((unsigned char)*x->p))
		x->p++;
	if (x->p == s) {
		put(b, "$", 1);
		return 0;
	}
	char name[256];
	snprintf(name, sizeof name, "%.*s", (int)(x->p - s < 255 ? x->p - s : 255), s);
	const char *v = x->look(name, x->arg);
	if (v)
		put(b, v, strlen(v));
	return 0;
}

/* Expands up to a character of stop (outside quotes) or the end. */
static int expand_into(struct lex *x, struct buf *b, const char *stop)
{
	char q = 0;
	while (*x->p) {
		char c = *x->p;
		if (!q && strchr(stop, c) && *stop)
			return 0;
		if (x->raw && c != '$') {
			put(b, &c, 1);
			x->p++;
		} else if (x->raw) {
			x->p++;
			if (dollar(x, b) < 0)
				return -1;
		} else if (q == '\'') {
			if (c == '\'')
				q = 0;
			else
				put(b, &c, 1);
			x->p++;
		} else if (c == x->esc && x->p[1]) {
			/* Inside double quotes only the escape of ", $ and the escape itself. */
			char n = x->p[1];
			if (q == '"' && n != '"' && n != '$' && n != x->esc)
				put(b, &c, 1);
			put(b, &n, 1);
			x->p += 2;
		} else if (c == '$') {
			x->p++;
			if (dollar(x, b) < 0)
				return -1;
		} else if (c == '"' && (!q || q == '"')) {
			q = q ? 0 : '"';
			x->p++;
		} else if (c == '\'' && !q) {
			q = '\'';
			x->p++;
		} else {
			put(b, &c, 1);
			x->p++;
		}
	}
	if (q) {
		snprintf(x->why, x->wsize, "unmatched %c quote", q);
		return -1;
	}
	return 0;
}

static char *lex_all(struct lex *x)
{
	struct buf b = { 0 };
	put(&b, "", 0);
	if (expand_into(x, &b, "") < 0) {
		free(b.s);
		return NULL;
	}
	return b.s;
}

char *lf_subst(const char *text, lf_lookup look, void *arg, char *why, size_t wsize)
{
	struct lex x = { text, 0, look, arg, why, wsize, 1 };
	return lex_all(&x);
}

char *lf_expand(const char *word, char esc, lf_lookup look, void *arg, char *why, size_t wsize)
{
	struct lex x = { word, esc, look, arg, why, wsize, 0 };
	return lex_all(&x);
}

/* ---- Lines ------------------------------------------------------------ */

struct ctx {
	const char *file;
	struct lerr *e;
	char esc;
	char **hd; /* the heredoc bodies of the instruction being read */
};

static int fail(struct ctx *c, int line, const char *inst, const char *fmt, const char *arg)
{
	char cause[600];
	snprintf(cause, sizeof cause, fmt, arg ? arg : "");
	return lerr_set(c->e, LX_LOCHS, "%s:%d: %s: %s", c->file, line, inst, cause);
}

/* A directive line "# key=value" at the top: 1 (handled), 0 (not one). */
static int directive(struct lochfile *lf, const char *line, int *seen_escape)
{
	const char *p = line;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p++ != '#')
		return 0;
	while (*p == ' ' || *p == '\t')
		p++;
	const char *k = p;
	while (isalpha((unsigned char)*p))
		p++;
	size_t kn = (size_t)(p - k);
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p++ != '=' || !kn)
		return 0;
	while (*p == ' ' || *p == '\t')
		p++;
	size_t vn = strlen(p);
	while (vn && isspace((unsigned char)p[vn - 1]))
		vn--;
	if (kn == 6 && !strncasecmp(k, "escape", 6) && !*seen_escape) {
		if (vn != 1 || (*p != '\\' && *p != '`'))
			return -1;
		lf->escape = *p;
		*seen_escape = 1;
		return 1;
	}
	if (kn == 6 && !strncasecmp(k, "syntax", 6) && !lf->syntax) {
		lf->syntax = strndup(p, vn);
		return 1;
	}
	return 0;
}

static int parse_inst(struct ctx *c, struct lf_inst *in, const char *kw, const char *rest, int nested);

/* The JSON form: a JSON array of strings, else 0 (then it is the shell form). */
static int json_form(const char *rest, char ***out)
{
	json_error_t je;
	json_t *j = rest[0] == '[' ? json_loads(rest, JSON_DECODE_ANY, &je) : NULL;
	size_t i;
	json_t *x;
	if (!json_is_array(j)) {
		json_decref(j);
		return 0;
	}
	*out = calloc(1, sizeof **out);
	json_array_foreach (j, i, x) {
		if (!json_is_string(x)) {
			strv_free(*out);
			*out = NULL;
			json_decref(j);
			return 0;
		}
		strv_push(out, json_string_value(x));
	}
	json_decref(j);
	return 1;
}

/* Leading --flags into in->flags; *rest moves past them. */
static int take_flags(struct ctx *c, struct lf_inst *in, const char **rest)
{
	const char *p = *rest;
	while (p[0] == '-' && p[1] == '-') {
		const char *s = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		char *f = strndup(s, (size_t)(p - s));
		size_t nl = strcspn(f + 2, "=");
		char key[80];
		snprintf(key, sizeof key, " %.*s ", (int)(nl < 60 ? nl : 60), f + 2);
		const char *ok = flags_of[in->kind];
		if (!nl || !ok || !strstr(ok, key)) {
			fail(c, in->line, kinds[in->kind], "unknown flag %s", f);
			free(f);
			return -1;
		}
		strv_push(&in->flags, f);
		free(f);
		while (isspace((unsigned char)*p))
			p++;
	}
	*rest = p;
	return 0;
}

/* exec or shell form of RUN, CMD, ENTRYPOINT and HEALTHCHECK CMD. */
static void command_form(struct lf_inst *in, const char *rest)
{
	if ((in->json = json_form(rest, &in->args)))
		return;
	in->shell = strdup(rest);
}

static int valid_stage_name(const char *s)
{
	if (!islower((unsigned char)*s))
		return 0;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && !strchr("-_.", *s))
			return 0;
	return 1;
}

static int check_pairs(struct ctx *c, struct lf_inst *in, const char *what)
{
	for (char **w = in->args; *w; w++)
		if (!strchr(*w, '=') || **w == '=')
			return fail(c, in->line, kinds[in->kind], what, *w);
	return 0;
}

/* The arguments and checks of each instruction (rest: after the flags). */
static int shape(struct ctx *c, struct lf_inst *in, const char *rest, int nested)
{
	const char *k = kinds[in->kind];
	size_t n;
	switch (in->kind) {
	case LF_RUN:
	case LF_CMD:
	case LF_ENTRYPOINT:
		command_form(in, rest);
		if (in->kind == LF_RUN && (in->json ? !in->args[0] : !*rest))
			return fail(c, in->line, k, "requires a command%s", NULL);
		return 0;
	case LF_SHELL:
		if (!json_form(rest, &in->args) || !in->args[0])
			return fail(c, in->line, k, "requires the JSON form: SHELL [\"executable\", \"parameters\"]%s", NULL);
		in->json = 1;
		return 0;
	case LF_HEALTHCHECK: {
		const char *p = rest + strcspn(rest, " \t");
		if (!strncasecmp(rest, "NONE", 4) && (!rest[4] || isspace((unsigned char)rest[4]))) {
			while (isspace((unsigned char)*p))
				p++;
			if (*p || in->flags)
				return fail(c, in->line, k, "NONE takes no options or arguments%s", NULL);
			in->none = 1;
			in->args = calloc(1, sizeof *in->args);
			return 0;
		}
		if (strncasecmp(rest, "CMD", 3) || (rest[3] && !isspace((unsigned char)rest[3])))
			return fail(c, in->line, k, "expected CMD or NONE%s", NULL);
		while (isspace((unsigned char)*p))
			p++;
		command_form(in, p);
		if (in->json ? !in->args[0] : !*p)
			return fail(c, in->line, k, "CMD requires a command%s", NULL);
		return 0;
	}
	case LF_ONBUILD: {
		if (nested)
			return fail(c, in->line, k, "ONBUILD ONBUILD is not allowed%s", NULL);
		size_t kn = strcspn(rest, " \t");
		char kw[32];
		snprintf(kw, sizeof kw, "%.*s", (int)(kn < 31 ? kn : 31), rest);
		int kk = kind_of(kw);
		if (kk == LF_FROM || kk == LF_MAINTAINER)
			return fail(c, in->line, k, "%s is not allowed as an ONBUILD trigger", kinds[kk]);
		struct lf_inst sub = { .line = in->line };
		const char *r = rest + kn;
		while (isspace((unsigned char)*r))
			r++;
		int rc = parse_inst(c, &sub, kw, r, 1);
		free(sub.text);
		free(sub.shell);
		free(sub.as);
		strv_free(sub.flags);
		strv_free(sub.args);
		if (rc < 0)
			return -1;
		in->args = calloc(1, sizeof *in->args);
		strv_push(&in->args, rest);
		return 0;
	}
	default:
		break;
	}
	if (in->kind == LF_COPY || in->kind == LF_ADD || in->kind == LF_VOLUME)
		in->json = json_form(rest, &in->args);
	if (!in->json && lf_words(rest, c->esc, &in->args) < 0)
		return lerr_set(c->e, LX_LOCHS, "out of memory");
	n = strv_len(in->args);
	switch (in->kind) {
	case LF_FROM:
		if (n != 1 && !(n == 3 && !strcasecmp(in->args[1], "AS")))
			return fail(c, in->line, k, "expected FROM [--platform=P] IMAGE [AS NAME]%s", NULL);
		if (n == 3) {
			for (char *p = in->args[2]; *p; p++)
				*p = (char)tolower((unsigned char)*p);
			if (!valid_stage_name(in->args[2]))
				return fail(c, in->line, k,
					    "invalid stage name \"%s\": use a-z, 0-9, -, _ and . starting with a letter",
					    in->args[2]);
			in->as = strdup(in->args[2]);
		}
		return 0;
	case LF_COPY:
	case LF_ADD:
		return n < 2 ? fail(c, in->line, k, "requires at least two arguments: SOURCE... DEST%s", NULL) : 0;
	case LF_ENV:
		if (!n)
			return fail(c, in->line, k, "requires at least one argument%s", NULL);
		if (!strchr(in->args[0], '=')) {
			/* The old form: ENV NAME the rest of the line. */
			if (n < 2)
				return fail(c, in->line, k, "%s has no value (ENV NAME=VALUE or ENV NAME VALUE)", in->args[0]);
			return 0;
		}
		return check_pairs(c, in, "%s: expected NAME=VALUE");
	case LF_LABEL:
		if (!n)
			return fail(c, in->line, k, "requires at least one argument%s", NULL);
		return check_pairs(c, in, "%s: expected KEY=VALUE");
	case LF_ARG:
		if (n != 1)
			return fail(c, in->line, k, "requires exactly one argument: NAME[=DEFAULT]%s", NULL);
		if (!is_name((unsigned char)in->args[0][0]))
			return fail(c, in->line, k, "invalid name \"%s\"", in->args[0]);
		return 0;
	case LF_EXPOSE:
	case LF_VOLUME:
	case LF_MAINTAINER:
		return n ? 0 : fail(c, in->line, k, "requires at least one argument%s", NULL);
	case LF_WORKDIR:
		return n ? 0 : fail(c, in->line, k, "requires a path%s", NULL);
	case LF_USER:
	case LF_STOPSIGNAL:
		return n == 1 ? 0 : fail(c, in->line, k, "requires exactly one argument%s", NULL);
	default:
		return 0;
	}
}

/* The heredoc markers of rest, in order: WORD after flags, '-' for <<-WORD
 * (leading tabs stripped), '\'' for a quoted one (no substitution). A here-string "<<<"
 * and a "<<" inside quotes are the shell's own. */
static char **markers(const char *rest, char esc)
{
	char **w, **out = NULL;
	if (rest[0] == '[' || lf_words(rest, esc, &w) < 0)
		return NULL;
	for (char **p = w; *p; p++) {
		const char *x = NULL;
		char q = 0;
		for (const char *c = *p; *c && !x; c++)
			if (q ? *c == q : (*c == '"' || *c == '\''))
				q = q ? 0 : *c;
			else if (!q && c[0] == '<' && c[1] == '<')
				x = c;
		if (!x || x[2] == '<')
			continue;
		int strip = x[2] == '-';
		x += 2 + strip;
		int quoted = *x == '"' || *x == '\'';
		x += quoted;
		size_t n = strspn(x, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
		if (!n || isdigit((unsigned char)*x))
			continue;
		char m[80];
		snprintf(m, sizeof m, "%s%s%.*s", strip ? "-" : "", quoted ? "'" : "", (int)(n < 64 ? n : 64), x);
		strv_push(&out, m);
	}
	strv_free(w);
	return out;
}

static const char *mk_word(const char *m)
{
	return m + strspn(m, "-'");
}

static int mk_strip(const char *m)
{
	return m[0] == '-';
}

/* RUN with heredocs: a lone marker runs its body as the script, else the
 * shell gets the line with the bodies after it, as a here-document. */
static void heredoc_run(struct ctx *c, struct lf_inst *in, const char *rest, char **mk)
{
	const char *dash = mk_strip(mk[0]) ? "-" : "", *word = mk_word(mk[0]);
	char lone[3][80];
	snprintf(lone[0], sizeof lone[0], "<<%s%s", dash, word);
	snprintf(lone[1], sizeof lone[1], "<<%s'%s'", dash, word);
	snprintf(lone[2], sizeof lone[2], "<<%s\"%s\"", dash, word);
	int alone = !mk[1] && (!strcmp(rest, lone[0]) || !strcmp(rest, lone[1]) || !strcmp(rest, lone[2]));
	struct buf b = { 0 };
	if (alone) {
		put(&b, c->hd[0], strlen(c->hd[0]));
	} else {
		put(&b, rest, strlen(rest));
		for (int i = 0; mk[i] && c->hd[i]; i++) {
			const char *w = mk_word(mk[i]);
			put(&b, "\n", 1);
			put(&b, c->hd[i], strlen(c->hd[i]));
			put(&b, w, strlen(w));
		}
	}
	free(in->shell);
	in->shell = b.s;
}

static int parse_inst(struct ctx *c, struct lf_inst *in, const char *kw, const char *rest, int nested)
{
	int k = kind_of(kw);
	if (k < 0)
		return lerr_set(c->e, LX_LOCHS, "%s:%d: %s: unknown instruction", c->file, in->line, kw);
	in->kind = (enum lf_kind)k;
	in->text = strdup(rest);
	if (flags_of[k] && take_flags(c, in, &rest) < 0)
		return -1;
	char **mk = k == LF_RUN || k == LF_COPY || k == LF_ADD ? markers(rest, c->esc) : NULL;
	int rc = 0;
	if (mk && (k == LF_ADD || nested || !c->hd))
		rc = fail(c, in->line, kinds[k], k == LF_ADD ? "heredocs (<<%s) are for RUN and COPY" :
					       "heredocs (<<%s) are not supported in ONBUILD", mk_word(mk[0]));
	if (rc == 0)
		rc = shape(c, in, rest, nested);
	if (rc == 0 && mk) {
		/* The bodies are part of the instruction (its cache key, its history). */
		struct buf t = { 0 };
		put(&t, in->text, strlen(in->text));
		for (int i = 0; mk[i] && c->hd[i]; i++) {
			put(&t, "\n", 1);
			put(&t, c->hd[i], strlen(c->hd[i]));
			put(&t, mk_word(mk[i]), strlen(mk_word(mk[i])));
			if (k == LF_COPY) {
				strv_push(&in->hd_names, mk[i] + mk_strip(mk[i])); /* "'WORD" when quoted */
				strv_push(&in->hd_bodies, c->hd[i]);
			}
		}
		free(in->text);
		in->text = t.s;
		if (k == LF_RUN && !in->json)
			heredoc_run(c, in, rest, mk);
	}
	strv_free(mk);
	return rc;
}

void lochfile_free(struct lochfile *lf)
{
	for (int i = 0; i < lf->n; i++) {
		struct lf_inst *in = &lf->inst[i];
		free(in->text);
		free(in->shell);
		free(in->as);
		strv_free(in->flags);
		strv_free(in->args);
		strv_free(in->hd_names);
		strv_free(in->hd_bodies);
	}
	free(lf->inst);
	free(lf->syntax);
	memset(lf, 0, sizeof *lf);
}

/* A line without its trailing white space ends in the escape character. */
static int continues(const char *line, size_t *len, char esc)
{
	size_t n = *len;
	while (n && isspace((unsigned char)line[n - 1]))
		n--;
	if (n && line[n - 1] == esc) {
		*len = n - 1;
		return 1;
	}
	return 0;
}

static int add_inst(struct ctx *c, struct lochfile *lf, int line, const char *logical)
{
	const char *p = logical;
	while (isspace((unsigned char)*p))
		p++;
	size_t kn = strcspn(p, " \t");
	char kw[32];
	snprintf(kw, sizeof kw, "%.*s", (int)(kn < 31 ? kn : 31), p);
	const char *rest = p + kn;
	while (isspace((unsigned char)*rest))
		rest++;
	char *r = strdup(rest); /* trailing white space is not part of it */
	size_t rn = strlen(r);
	while (rn && isspace((unsigned char)r[rn - 1]))
		r[--rn] = 0;
	struct lf_inst *v = realloc(lf->inst, (size_t)(lf->n + 1) * sizeof *v);
	if (!v) {
		free(r);
		return lerr_set(c->e, LX_LOCHS, "out of memory");
	}
	lf->inst = v;
	struct lf_inst *in = &lf->inst[lf->n++];
	memset(in, 0, sizeof *in);
	in->line = line;
	int rc = parse_inst(c, in, kw, r, 0);
	free(r);
	return rc;
}

/* Reads the bodies of the heredocs the instruction names (the lines after
 * it up to each WORD), then adds the instruction. */
static int with_heredocs(struct ctx *c, struct lochfile *lf, int line, const char *logical, const char **p, int *lineno)
{
	const char *s = logical + strspn(logical, " \t");
	size_t kn = strcspn(s, " \t");
	char kw[32];
	snprintf(kw, sizeof kw, "%.*s", (int)(kn < 31 ? kn : 31), s);
	int k = kind_of(kw);
	char **mk = k == LF_RUN || k == LF_COPY || k == LF_ADD ? markers(s + kn + strspn(s + kn, " \t"), c->esc) : NULL;
	int rc = 0;
	for (int i = 0; mk && mk[i] && k != LF_ADD && rc == 0; i++) {
		int strip = mk_strip(mk[i]);
		const char *word = mk_word(mk[i]);
		struct buf body = { 0 };
		put(&body, "", 0);
		int done = 0;
		while (**p && !done) {
			size_t len = strcspn(*p, "\n");
			const char *l = *p;
			*p += len + ((*p)[len] == '\n');
			(*lineno)++;
			if (len && l[len - 1] == '\r')
				len--;
			if (strip)
				while (len && *l == '\t')
					l++, len--;
			if (len == strlen(word) && !strncmp(l, word, len))
				done = 1;
			else {
				put(&body, l, len);
				put(&body, "\n", 1);
			}
		}
		if (!done)
			rc = lerr_set(c->e, LX_LOCHS, "%s:%d: %s: heredoc <<%s has no closing %s line", c->file, line, kinds[k], word,
				      word);
		else
			strv_push(&c->hd, body.s);
		free(body.s);
	}
	if (rc == 0)
		rc = add_inst(c, lf, line, logical);
	strv_free(c->hd);
	c->hd = NULL;
	strv_free(mk);
	return rc;
}

/* Where the instructions stand: FROM first (after global ARGs). */
static int order(struct ctx *c, struct lochfile *lf)
{
	int from = 0;
	for (int i = 0; i < lf->n; i++) {
		struct lf_inst *in = &lf->inst[i];
		if (in->kind == LF_FROM) {
			from = 1;
			for (int j = 0; j < i && in->as; j++)
				if (lf->inst[j].as && !strcmp(lf->inst[j].as, in->as))
					return fail(c, in->line, "FROM", "duplicate stage name \"%s\"", in->as);
		} else if (!from && in->kind != LF_ARG) {
			return fail(c, in->line, kinds[in->kind], "no FROM before it (only ARG may come before the first FROM)%s",
				    NULL);
		}
	}
	if (!from)
		return lerr_set(c->e, LX_LOCHS, "%s: no FROM instruction", c->file);
	return 0;
}

int lochfile_parse(const char *file, const char *text, struct lochfile *lf, struct lerr *e)
{
	memset(lf, 0, sizeof *lf);
	lf->escape = '\\';
	struct ctx c = { file, e, '\\', NULL };
	struct buf logical = { 0 };
	int lineno = 0, start = 0, top = 1, seen_escape = 0, rc = 0;
	const char *p = text;
	while (*p && rc == 0) {
		size_t len = strcspn(p, "\n");
		char *line = strndup(p, len);
		p += len + (p[len] == '\n');
		lineno++;
		if (len && line[len - 1] == '\r')
			line[--len] = 0;
		if (top) {
			int d = directive(lf, line, &seen_escape);
			if (d < 0) {
				rc = lerr_set(e, LX_LOCHS, "%s:%d: escape: must be \\ or `", file, lineno);
				free(line);
				break;
			}
			if (d > 0) {
				c.esc = lf->escape;
				free(line);
				continue;
			}
			top = 0;
		}
		const char *s = line;
		while (isspace((unsigned char)*s))
			s++;
		if (*s == '#' || (!*s && logical.s)) { /* comments and blank lines, also inside a continuation */
			free(line);
			continue;
		}
		if (!*s) {
			free(line);
			continue;
		}
		if (!logical.s)
			start = lineno;
		size_t n = strlen(s);
		int more = continues(s, &n, c.esc);
		put(&logical, s, n);
		free(line);
		if (more && *p)
			continue;
		rc = with_heredocs(&c, lf, start, logical.s, &p, &lineno);
		free(logical.s);
		logical = (struct buf){ 0 };
	}
	if (rc == 0 && logical.s)
		rc = with_heredocs(&c, lf, start, logical.s, &p, &lineno);
	free(logical.s);
	if (rc == 0)
		rc = order(&c, lf);
	if (rc < 0)
		lochfile_free(lf);
	return rc;
}
