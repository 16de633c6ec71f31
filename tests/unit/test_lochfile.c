/* The Lochfile parser (specs/lochfile.c): directives, comments,
 * continuations, every instruction's forms and flags, variable
 * substitution, and the one-line errors with file and line. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "specs/lochfile.h"
#include "orchestrator/build_int.h"

static struct lochfile lf;

static void parse_ok(const char *text)
{
	struct lerr e = { 0 };
	int rc = lochfile_parse("Lochfile", text, &lf, &e);
	if (rc)
		fprintf(stderr, "unexpected error: %s\n", e.msg);
	assert_int_equal(rc, 0);
}

/* The error message of text (which must fail). */
static const char *parse_err(const char *text)
{
	static struct lerr e;
	memset(&e, 0, sizeof e);
	assert_int_equal(lochfile_parse("Lochfile", text, &lf, &e), -1);
	assert_int_equal(e.code, LX_LOCHS);
	return e.msg;
}

static void teardown_lf(void)
{
	lochfile_free(&lf);
}

static void basic_forms(void **state)
{
	(void)state;
	parse_ok("# a comment\n"
		 "ARG BASE=freebsd:14.3\n"
		 "from --platform=freebsd/amd64 ${BASE} AS Builder\n"
		 "RUN echo one | tr a-z A-Z > /out \\\n"
		 "    # a comment inside\n"
		 "\n"
		 "  && echo two\n"
		 "RUN [\"/bin/echo\", \"exec form\"]\n"
		 "CMD [\"/bin/sh\"\n"
		 "ENV A=1 B=\"two words\"\n"
		 "ENV OLD the rest of the line\n"
		 "COPY --from=builder --chown=1:2 --chmod=0644 a b /dst/\n"
		 "HEALTHCHECK --interval=5s --retries=2 CMD test -f /out\n"
		 "HEALTHCHECK NONE\n"
		 "ONBUILD RUN echo later\n"
		 "SHELL [\"/bin/sh\", \"-ec\"]\n"
		 "VOLUME /data /logs\n");
	assert_int_equal(lf.n, 13);
	assert_int_equal(lf.inst[0].kind, LF_ARG);
	assert_string_equal(lf.inst[0].args[0], "BASE=freebsd:14.3");
	struct lf_inst *f = &lf.inst[1];
	assert_int_equal(f->kind, LF_FROM);
	assert_int_equal(f->line, 3);
	assert_string_equal(lf_flag(f, "platform"), "freebsd/amd64");
	assert_string_equal(f->args[0], "${BASE}");
	assert_string_equal(f->as, "builder"); /* stage names are lower case */
	struct lf_inst *r = &lf.inst[2];
	assert_int_equal(r->line, 4);
	assert_false(r->json);
	/* Joined without the escape, the comment and the blank line. */
	assert_string_equal(r->shell, "echo one | tr a-z A-Z > /out && echo two");
	assert_true(lf.inst[3].json);
	assert_string_equal(lf.inst[3].args[1], "exec form");
	/* Not valid JSON: the shell form, as Docker reads it. */
	assert_false(lf.inst[4].json);
	assert_string_equal(lf.inst[4].shell, "[\"/bin/sh\"");
	assert_string_equal(lf.inst[5].args[1], "B=\"two words\"");
	assert_string_equal(lf.inst[6].args[0], "OLD");
	assert_string_equal(lf.inst[6].text, "OLD the rest of the line");
	struct lf_inst *c = &lf.inst[7];
	assert_string_equal(lf_flag(c, "from"), "builder");
	assert_string_equal(lf_flag(c, "chown"), "1:2");
	assert_string_equal(lf_flag(c, "chmod"), "0644");
	assert_null(lf_flag(c, "link"));
	assert_null(c->args[3]);
	assert_string_equal(c->args[2], "/dst/");
	assert_string_equal(lf_flag(&lf.inst[8], "interval"), "5s");
	assert_string_equal(lf.inst[8].shell, "test -f /out");
	assert_true(lf.inst[9].none);
	assert_string_equal(lf.inst[10].args[0], "RUN echo later");
	assert_string_equal(lf.inst[11].args[1], "-ec");
	assert_string_equal(lf.inst[12].args[1], "/logs");
	teardown_lf();
}

static void directives(void **state)
{
	(void)state;
	parse_ok("# syntax=docker/dockerfile:1\n"
		 "# escape=`\n"
		 "FROM scratch\n"
		 "RUN dir c:\\ `\n"
		 "  && echo done\n");
	assert_int_equal(lf.escape, '`');
	assert_string_equal(lf.syntax, "docker/dockerfile:1");
	assert_string_equal(lf.inst[1].shell, "dir c:\\ && echo done");
	teardown_lf();
	/* After the first other line a directive is a comment. */
	parse_ok("FROM scratch\n# escape=`\nRUN a \\\n b\n");
	assert_int_equal(lf.escape, '\\');
	assert_string_equal(lf.inst[1].shell, "a b");
	teardown_lf();
	/* CRLF line ends. */
	parse_ok("FROM scratch\r\nUSER 1000\r\n");
	assert_string_equal(lf.inst[1].args[0], "1000");
	teardown_lf();
}

static void errors(void **state)
{
	(void)state;
	assert_string_equal(parse_err("FROM scratch\n\nFROB x\n"), "Lochfile:3: FROB: unknown instruction");
	assert_string_equal(parse_err("RUN true\nFROM scratch\n"),
			    "Lochfile:1: RUN: no FROM before it (only ARG may come before the first FROM)");
	assert_string_equal(parse_err("# just a comment\n"), "Lochfile: no FROM instruction");
	assert_string_equal(parse_err("FROM scratch\nCOPY --frm=x a b\n"), "Lochfile:2: COPY: unknown flag --frm=x");
	assert_string_equal(parse_err("FROM scratch\nCOPY onlyone\n"),
			    "Lochfile:2: COPY: requires at least two arguments: SOURCE... DEST");
	assert_string_equal(parse_err("FROM a AS x\nFROM b AS X\n"), "Lochfile:2: FROM: duplicate stage name \"x\"");
	assert_string_equal(parse_err("FROM a AS 1x\n"),
			    "Lochfile:1: FROM: invalid stage name \"1x\": use a-z, 0-9, -, _ and . starting with a letter");
	assert_string_equal(parse_err("FROM a b\n"), "Lochfile:1: FROM: expected FROM [--platform=P] IMAGE [AS NAME]");
	assert_string_equal(parse_err("FROM a\nENV ONLY\n"),
			    "Lochfile:2: ENV: ONLY has no value (ENV NAME=VALUE or ENV NAME VALUE)");
	assert_string_equal(parse_err("FROM a\nENV A=1 B\n"), "Lochfile:2: ENV: B: expected NAME=VALUE");
	assert_string_equal(parse_err("FROM a\nLABEL =x\n"), "Lochfile:2: LABEL: =x: expected KEY=VALUE");
	assert_string_equal(parse_err("FROM a\nARG\n"), "Lochfile:2: ARG: requires exactly one argument: NAME[=DEFAULT]");
	assert_string_equal(parse_err("FROM a\nRUN\n"), "Lochfile:2: RUN: requires a command");
	assert_string_equal(parse_err("FROM a\nSHELL /bin/sh -c\n"),
			    "Lochfile:2: SHELL: requires the JSON form: SHELL [\"executable\", \"parameters\"]");
	assert_string_equal(parse_err("FROM a\nHEALTHCHECK --interval=1s NONE\n"),
			    "Lochfile:2: HEALTHCHECK: NONE takes no options or arguments");
	assert_string_equal(parse_err("FROM a\nHEALTHCHECK RUN x\n"), "Lochfile:2: HEALTHCHECK: expected CMD or NONE");
	assert_string_equal(parse_err("FROM a\nONBUILD ONBUILD RUN x\n"), "Lochfile:2: ONBUILD: ONBUILD ONBUILD is not allowed");
	assert_string_equal(parse_err("FROM a\nONBUILD FROM x\n"), "Lochfile:2: ONBUILD: FROM is not allowed as an ONBUILD trigger");
	/* A bad trigger is named with the ONBUILD's line. */
	assert_string_equal(parse_err("FROM a\n\nONBUILD COPY x\n"),
			    "Lochfile:3: COPY: requires at least two arguments: SOURCE... DEST");
	assert_string_equal(parse_err("# escape=x\nFROM a\n"), "Lochfile:1: escape: must be \\ or `");
	assert_string_equal(parse_err("FROM a\nUSER a b\n"), "Lochfile:2: USER: requires exactly one argument");
	/* A continuation that runs to the end of the file still counts. */
	parse_ok("FROM a\nRUN echo \\\n");
	assert_string_equal(lf.inst[1].shell, "echo");
	teardown_lf();
}

static void heredocs(void **state)
{
	(void)state;
	parse_ok("FROM a\n"
		 "RUN <<EOF\n"
		 "echo one\n"
		 "  echo two\n"
		 "EOF\n"
		 "RUN cat > /f <<-'X' && echo done\n"
		 "\tline $HOME\n"
		 "\tX\n"
		 "COPY <<CONF /etc/app.conf\n"
		 "key=1\n"
		 "CONF\n"
		 "USER nobody\n");
	assert_int_equal(lf.n, 5);
	/* A lone heredoc is the script itself. */
	assert_string_equal(lf.inst[1].shell, "echo one\n  echo two\n");
	assert_string_equal(lf.inst[1].text, "<<EOF\necho one\n  echo two\nEOF");
	/* Else a here-document for the shell, tabs stripped for <<-. */
	assert_int_equal(lf.inst[2].line, 6);
	assert_string_equal(lf.inst[2].shell, "cat > /f <<-'X' && echo done\nline $HOME\nX");
	assert_string_equal(lf.inst[3].args[0], "<<CONF");
	assert_string_equal(lf.inst[3].hd_names[0], "CONF");
	assert_string_equal(lf.inst[3].hd_bodies[0], "key=1\n");
	assert_int_equal(lf.inst[4].kind, LF_USER);
	assert_int_equal(lf.inst[4].line, 12);
	teardown_lf();
	parse_ok("FROM a\nCOPY <<'Q' <<R /d/\nq\nQ\nr\nR\n");
	assert_string_equal(lf.inst[1].hd_names[0], "'Q"); /* quoted: no substitution */
	assert_string_equal(lf.inst[1].hd_names[1], "R");
	assert_string_equal(lf.inst[1].hd_bodies[1], "r\n");
	teardown_lf();
	/* A here-string and a "<<" in quotes are the shell's own. */
	parse_ok("FROM a\nRUN cat <<< hi && echo \"a <<EOF in quotes\"\nUSER x\n");
	assert_int_equal(lf.n, 3);
	teardown_lf();
	assert_string_equal(parse_err("FROM a\nRUN <<EOF\necho\n"), "Lochfile:2: RUN: heredoc <<EOF has no closing EOF line");
	assert_string_equal(parse_err("FROM a\nADD <<EOF /x\nhi\nEOF\n"), "Lochfile:2: ADD: heredocs (<<EOF) are for RUN and COPY");
	assert_string_equal(parse_err("FROM a\nONBUILD RUN <<EOF\nhi\nEOF\n"),
			    "Lochfile:2: RUN: heredocs (<<EOF) are not supported in ONBUILD");
}

/* E is set but empty; everything not listed is unset. */
static const char *const vars[] = { "A", "a", "B", "two words", "E", "", NULL };

static const char *look(const char *name, void *arg)
{
	const char *const *v = arg;
	for (; *v; v += 2)
		if (!strcmp(v[0], name))
			return v[1];
	return NULL;
}

static const char *X(const char *word)
{
	static char res[256];
	char why[128] = "";
	char *s = lf_expand(word, '\\', look, (void *)vars, why, sizeof why);
	snprintf(res, sizeof res, "%s%s", s ? "" : "!", s ? s : why);
	free(s);
	return res;
}

static void expansion(void **state)
{
	(void)state;
	assert_string_equal(X("plain"), "plain");
	assert_string_equal(X("$A/${A}x"), "a/ax");
	assert_string_equal(X("[$NOPE]"), "[]");
	assert_string_equal(X("${NOPE:-dflt}"), "dflt");
	assert_string_equal(X("${E:-dflt}"), "dflt");
	assert_string_equal(X("${E-dflt}"), "");
	assert_string_equal(X("${NOPE-d}"), "d");
	assert_string_equal(X("${A:+alt}"), "alt");
	assert_string_equal(X("${E:+alt}"), "");
	assert_string_equal(X("${E+alt}"), "alt");
	assert_string_equal(X("${NOPE:-$A-${B}}"), "a-two words");
	assert_string_equal(X("'$A' \"$A\""), "$A a");
	assert_string_equal(X("\\$A"), "$A");
	assert_string_equal(X("\"a\\\"b\\n\""), "a\"b\\n");
	assert_string_equal(X("cost$"), "cost$");
	assert_string_equal(X("${A"), "!bad substitution: missing } after ${A");
	assert_string_equal(X("${}"), "!bad substitution: missing variable name after ${");
	assert_string_equal(X("${A:?need A}"), "a");
	assert_string_equal(X("${E?need E}"), "");
	assert_string_equal(X("${E:?need $A}"), "!E: need a");
	assert_string_equal(X("${NOPE?}"), "!NOPE: parameter not set");
	assert_string_equal(X("${NOPE:?}"), "!NOPE: parameter null or not set");
	assert_string_equal(X("x${NOPE:?gone"), "!bad substitution: missing } after ${NOPE");
	assert_string_equal(X("${A#x}"), "!bad substitution: unsupported modifier in ${A#x");
	assert_string_equal(X("'open"), "!unmatched ' quote");
}

static void substitution_only(void **state)
{
	(void)state;
	char why[128] = "";
	char *r = lf_subst("k=$A '${B}' \\$A \"${NOPE:-d}\"", look, (void *)vars, why, sizeof why);
	assert_string_equal(r, "k=a 'two words' \\a \"d\"");
	free(r);
	assert_null(lf_subst("${A", look, (void *)vars, why, sizeof why));
	assert_string_equal(why, "bad substitution: missing } after ${A");
}

static void words(void **state)
{
	(void)state;
	char **w;
	assert_int_equal(lf_words("  a \"b c\" 'd e'  f\\ g ", '\\', &w), 0);
	assert_string_equal(w[0], "a");
	assert_string_equal(w[1], "\"b c\"");
	assert_string_equal(w[2], "'d e'");
	assert_string_equal(w[3], "f\\ g");
	assert_null(w[4]);
	for (char **p = w; *p; p++)
		free(*p);
	free(w);
}

/* .lochignore: Docker's pattern rules (orchestrator/build_ignore.c). */
static void ignore_rules(void **state)
{
	(void)state;
	char *p[] = { "*.log", "tmp", "docs/**/*.md", "!docs/keep/README.md", "secret?", NULL };
	assert_true(build_ignored(p, "x.log"));
	assert_false(build_ignored(p, "sub/x.log")); /* no implicit ** in front */
	assert_true(build_ignored(p, "tmp"));
	assert_true(build_ignored(p, "tmp/deep/file")); /* under an ignored directory */
	assert_false(build_ignored(p, "tmpfile"));
	assert_true(build_ignored(p, "docs/a.md"));
	assert_true(build_ignored(p, "docs/x/y/a.md"));
	assert_false(build_ignored(p, "docs/keep/README.md")); /* the later exception wins */
	assert_true(build_ignored(p, "docs/keep/other.md"));
	assert_true(build_ignored(p, "secret1"));
	assert_false(build_ignored(p, "secret12"));
	assert_false(build_ignored(NULL, "anything"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(basic_forms), cmocka_unit_test(directives), cmocka_unit_test(errors),
		cmocka_unit_test(expansion),   cmocka_unit_test(words),      cmocka_unit_test(ignore_rules),
		cmocka_unit_test(heredocs),    cmocka_unit_test(substitution_only),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
