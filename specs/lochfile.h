/* The Lochfile (Dockerfile) parser: pure, text in, instructions out.
 * Parser directives (# syntax=, # escape=), comments, line continuations,
 * flags (--from=...), the exec (JSON) and shell forms are handled here;
 * variable substitution is left to the builder, which knows the values
 * at each step (lf_expand). Every error is one line:
 * "FILE:LINE: INSTRUCTION: cause". */
#pragma once
#include <stddef.h>
#include "../common/err.h"

enum lf_kind {
	LF_FROM, LF_RUN, LF_COPY, LF_ADD, LF_ENV, LF_ARG, LF_LABEL, LF_EXPOSE, LF_WORKDIR, LF_USER, LF_CMD,
	LF_ENTRYPOINT, LF_HEALTHCHECK, LF_SHELL, LF_VOLUME, LF_STOPSIGNAL, LF_ONBUILD, LF_MAINTAINER
};

struct lf_inst {
	enum lf_kind kind;
	int line;     /* where the instruction starts */
	char *text;   /* everything after the keyword, continuations joined */
	char **flags; /* "--name=value" as written (value not yet expanded) */
	int json;     /* exec form: args are the decoded JSON strings */
	char **args;  /* else the words, raw (quotes kept, expanded later) */
	char *shell;  /* shell form of RUN, CMD, ENTRYPOINT, HEALTHCHECK CMD */
	char *as;     /* FROM ... AS name (lower case), or NULL */
	int none;     /* HEALTHCHECK NONE */
	char **hd_names, **hd_bodies; /* COPY <<WORD: each heredoc's WORD ("'WORD"
					 when quoted: no substitution) and text */
};

struct lochfile {
	char escape;          /* '\\' or '`' */
	char *syntax;         /* "# syntax=" value, or NULL */
	struct lf_inst *inst; /* in order; ARGs before the first FROM come first */
	int n;
};

const char *lf_kind_name(enum lf_kind k);

/* file names the text in errors. 0, or -1 with e set (LX_LOCHS). */
int lochfile_parse(const char *file, const char *text, struct lochfile *lf, struct lerr *e);
void lochfile_free(struct lochfile *lf);

/* The value of flag `name` ("from") of an instruction: the text after
 * "--from=", "" for a bare "--link", NULL when absent. */
const char *lf_flag(const struct lf_inst *in, const char *name);

/* Looks a variable up: its value, or NULL when unset. */
typedef const char *(*lf_lookup)(const char *name, void *arg);

/* One raw word as Docker's shell-like lexer reads it: quotes removed
 * ('...' literal, "..." with substitution), the escape character quoting
 * the next one, and $VAR, ${VAR}, ${VAR:-word}, ${VAR-word}, ${VAR:+word},
 * ${VAR+word} substituted (an unset variable is ""); ${VAR:?message} and
 * ${VAR?message} fail with "VAR: message" when VAR is unset (or, with the
 * colon, empty). Returns a malloc'd string, or NULL with a short cause in
 * why. */
char *lf_expand(const char *word, char esc, lf_lookup look, void *arg, char *why, size_t wsize);

/* Substitution alone ($VAR, ${VAR:-word}, ...), quotes and escapes kept as
 * text: an unquoted COPY heredoc's content. */
char *lf_subst(const char *text, lf_lookup look, void *arg, char *why, size_t wsize);

/* Splits text into words at unquoted white space, quotes kept. */
int lf_words(const char *text, char esc, char ***out);
