/* Compose variable interpolation (specs/interp.c) and .env parsing
 * (specs/dotenv.c): every form, every error and its exact message. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "specs/interp.h"
#include "specs/dotenv.h"

/* Looks name up in arg, a NULL-ended list of name, value pairs. */
static const char *look(const char *name, void *arg)
{
	const char *const *v = arg;
	for (; *v; v += 2)
		if (!strcmp(v[0], name))
			return v[1];
	return NULL;
}

/* E is set but empty; everything not listed is unset. */
static const char *const vars[] = { "A", "a", "B", "b", "E", "", "A_1", "x", NULL };

/* The result, or "!" and the error, in res: one string to compare. */
static const char *run(const char *text, char *res, size_t size)
{
	char why[200] = "";
	char *s = interp_string(text, look, (void *)vars, why, sizeof why);
	snprintf(res, size, "%s%s", s ? "" : "!", s ? s : why);
	free(s);
	return res;
}

#define I(text) run(text, r, sizeof r)

static void plain_and_braces(void **state)
{
	(void)state;
	char r[256];
	assert_string_equal(I(""), "");
	assert_string_equal(I("plain text"), "plain text");
	assert_string_equal(I("$A"), "a");
	assert_string_equal(I("x$A.y"), "xa.y");
	assert_string_equal(I("$A_1"), "x");
	assert_string_equal(I("$A-1"), "a-1");
	assert_string_equal(I("${A}"), "a");
	assert_string_equal(I("${A}_1"), "a_1");
	assert_string_equal(I("$A$B${A}"), "aba");
	/* Unset without a default: empty. */
	assert_string_equal(I("[$NOPE]"), "[]");
	assert_string_equal(I("[${NOPE}]"), "[]");
	assert_string_equal(I("[${E}]"), "[]");
}

static void defaults(void **state)
{
	(void)state;
	char r[256];
	/* ":-": unset or empty. */
	assert_string_equal(I("${A:-d}"), "a");
	assert_string_equal(I("${E:-d}"), "d");
	assert_string_equal(I("${NOPE:-d}"), "d");
	assert_string_equal(I("${NOPE:-}"), "");
	/* "-": unset only. */
	assert_string_equal(I("${A-d}"), "a");
	assert_string_equal(I("[${E-d}]"), "[]");
	assert_string_equal(I("${NOPE-d}"), "d");
	/* A default runs to the first unmatched '}'. */
	assert_string_equal(I("${NOPE:-a b:c-d}"), "a b:c-d");
	assert_string_equal(I("${NOPE:-{x}}"), "{x}");
}

static void alternatives(void **state)
{
	(void)state;
	char r[256];
	/* ":+": set and non-empty. */
	assert_string_equal(I("${A:+alt}"), "alt");
	assert_string_equal(I("[${E:+alt}]"), "[]");
	assert_string_equal(I("[${NOPE:+alt}]"), "[]");
	/* "+": set, even empty. */
	assert_string_equal(I("${A+alt}"), "alt");
	assert_string_equal(I("${E+alt}"), "alt");
	assert_string_equal(I("[${NOPE+alt}]"), "[]");
}

static void required(void **state)
{
	(void)state;
	char r[256];
	/* ":?": unset or empty is an error. */
	assert_string_equal(I("${A:?must}"), "a");
	assert_string_equal(I("${E:?set it}"), "!required variable E is missing a value: set it");
	assert_string_equal(I("${DB_PASS:?set it}"), "!required variable DB_PASS is missing a value: set it");
	assert_string_equal(I("${NOPE:?}"), "!required variable NOPE is missing a value");
	/* "?": only unset is. */
	assert_string_equal(I("[${E?must}]"), "[]");
	assert_string_equal(I("${A?must}"), "a");
	assert_string_equal(I("${NOPE?gone}"), "!required variable NOPE is missing a value: gone");
	assert_string_equal(I("${NOPE?}"), "!required variable NOPE is missing a value");
	/* The message is interpolated too. */
	assert_string_equal(I("${NOPE:?need $A or ${B}}"), "!required variable NOPE is missing a value: need a or b");
}

static void nesting(void **state)
{
	(void)state;
	char r[256];
	assert_string_equal(I("${NOPE:-${B:-x}}"), "b");
	assert_string_equal(I("${NOPE:-${NADA:-x}}"), "x");
	assert_string_equal(I("${NOPE:-$A-${B}}"), "a-b");
	assert_string_equal(I("${A:+[${B}]}"), "[b]");
	assert_string_equal(I("${NOPE:-${NADA:-${E:-deep}}}!"), "deep!");
	/* Only a default in use is expanded: no error from an unused one. */
	assert_string_equal(I("${A:-${NOPE:?boom}}"), "a");
	assert_string_equal(I("${NOPE:+${NADA:?boom}}"), "");
	assert_string_equal(I("${NOPE:-${NADA:?boom}}"), "!required variable NADA is missing a value: boom");
}

static void dollars(void **state)
{
	(void)state;
	char r[256];
	assert_string_equal(I("$$"), "$");
	assert_string_equal(I("$$A"), "$A");
	assert_string_equal(I("$${A}"), "${A}");
	assert_string_equal(I("$$$A"), "$a");
	assert_string_equal(I("${NOPE:-$$}"), "$");
	/* A lone $ stays as written. */
	assert_string_equal(I("$"), "$");
	assert_string_equal(I("5$"), "5$");
	assert_string_equal(I("$ x"), "$ x");
	assert_string_equal(I("$1"), "$1");
	assert_string_equal(I("a$-b"), "a$-b");
	assert_string_equal(I("${NOPE:-$}"), "$");
}

static void syntax_errors(void **state)
{
	(void)state;
	char r[256];
	assert_string_equal(I("${"), "!invalid interpolation format for \"${\"");
	assert_string_equal(I("x ${A"), "!invalid interpolation format for \"x ${A\"");
	assert_string_equal(I("${}"), "!invalid interpolation format for \"${}\"");
	assert_string_equal(I("${1A}"), "!invalid interpolation format for \"${1A}\"");
	assert_string_equal(I("${A B}"), "!invalid interpolation format for \"${A B}\"");
	assert_string_equal(I("${A:}"), "!invalid interpolation format for \"${A:}\"");
	assert_string_equal(I("${A:x}"), "!invalid interpolation format for \"${A:x}\"");
	assert_string_equal(I("${A:-d"), "!invalid interpolation format for \"${A:-d\"");
	/* Nested errors quote the whole text, even in an unused default. */
	assert_string_equal(I("${NOPE:-${B}"), "!invalid interpolation format for \"${NOPE:-${B}\"");
	assert_string_equal(I("${A:-${1}}"), "!invalid interpolation format for \"${A:-${1}}\"");
	/* A short why is cut, not overrun. */
	char why[8];
	assert_null(interp_string("${", look, (void *)vars, why, sizeof why));
	assert_string_equal(why, "invalid");
	assert_null(interp_string("${", look, (void *)vars, NULL, 0));
}

/* Parses text that must parse. */
static void parse_ok(const char *text, struct dotenv *d)
{
	char why[200] = "";
	int line = -1;
	int r = dotenv_parse(text, d, &line, why, sizeof why);
	assert_string_equal(why, "");
	assert_int_equal(r, 0);
	assert_int_equal(line, 0);
}

/* Parses text that must fail at line with why. */
static void parse_bad(const char *text, int want_line, const char *want_why)
{
	struct dotenv d;
	char why[200] = "";
	int line = -1;
	assert_int_equal(dotenv_parse(text, &d, &line, why, sizeof why), -1);
	assert_int_equal(errno, EINVAL);
	assert_string_equal(why, want_why);
	assert_int_equal(line, want_line);
	assert_int_equal(d.n, 0);
	assert_null(d.keys);
}

static void dotenv_forms(void **state)
{
	(void)state;
	struct dotenv d;
	parse_ok("# a comment\n"
		 "\n"
		 "   \t\n"
		 "  # indented comment\n"
		 "export A=1\n"
		 "  B  =  two words  \n"
		 "C=x #comment\n"
		 "D=x#not-a-comment\n"
		 "E='lit $X \\n \" # x' # comment\n"
		 "F=\"a\\nb\\t\\\"q\\\"\\\\ \\$ 'x'\"\n"
		 "G=\"multi\n"
		 "line\"\n"
		 "H=\n"
		 "A=override\n"
		 "export=kept\n"
		 "I=  \"  padded  \"  \n"
		 "J='two\n"
		 "lines'\n"
		 "K=last",
		 &d);
	assert_int_equal(d.n, 12);
	assert_string_equal(d.keys[0], "A");
	assert_string_equal(dotenv_get(&d, "A"), "override");
	assert_string_equal(dotenv_get(&d, "B"), "two words");
	assert_string_equal(dotenv_get(&d, "C"), "x");
	assert_string_equal(dotenv_get(&d, "D"), "x#not-a-comment");
	assert_string_equal(dotenv_get(&d, "E"), "lit $X \\n \" # x");
	assert_string_equal(dotenv_get(&d, "F"), "a\nb\t\"q\"\\ \\$ 'x'");
	assert_string_equal(dotenv_get(&d, "G"), "multi\nline");
	assert_string_equal(dotenv_get(&d, "H"), "");
	assert_string_equal(dotenv_get(&d, "export"), "kept");
	assert_string_equal(dotenv_get(&d, "I"), "  padded  ");
	assert_string_equal(dotenv_get(&d, "J"), "two\nlines");
	assert_string_equal(dotenv_get(&d, "K"), "last");
	assert_null(dotenv_get(&d, "Z"));
	assert_null(dotenv_get(&d, "#"));
	dotenv_free(&d);
	assert_int_equal(d.n, 0);

	/* Windows line ends. */
	parse_ok("A=1\r\nB=\"x\"\r\n\r\n", &d);
	assert_int_equal(d.n, 2);
	assert_string_equal(dotenv_get(&d, "A"), "1");
	assert_string_equal(dotenv_get(&d, "B"), "x");
	dotenv_free(&d);

	parse_ok("", &d);
	assert_int_equal(d.n, 0);
	dotenv_free(&d);
}

static void dotenv_errors(void **state)
{
	(void)state;
	parse_bad("A=1\n\nFOO\n", 3, "no '=' in \"FOO\"");
	parse_bad("export FOO  \n", 1, "no '=' in \"FOO\"");
	parse_bad("export\n", 1, "no '=' in \"export\"");
	parse_bad("A=1\n = 2\n", 2, "no variable name before '=' in \"= 2\"");
	parse_bad("FOO BAR=1\n", 1, "invalid variable name \"FOO BAR\"");
	parse_bad("A=1\nB=\"abc\nC=2\n", 2, "unterminated quoted value");
	parse_bad("A='abc", 1, "unterminated quoted value");
	parse_bad("A=\"ends in \\\"", 1, "unterminated quoted value");
	/* Lines inside a quoted value count. */
	parse_bad("A=\"x\ny\"\nBAD\n", 3, "no '=' in \"BAD\"");
	parse_bad("A=\"x\ny\" z\n", 2, "unexpected text after the quoted value: \"z\"");
}

static void dotenv_files(void **state)
{
	(void)state;
	struct dotenv d;
	char why[200] = "", path[] = "/tmp/test_specs_interp.XXXXXX";
	int line = -1;
	errno = 0;
	assert_int_equal(dotenv_read("/nonexistent/.env", &d, &line, why, sizeof why), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(line, 0);
	assert_string_equal(why, "/nonexistent/.env: No such file or directory");

	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char text[] = "X=1\nY=\"2\"\nbroken\n";
	assert_int_equal(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
	close(fd);
	assert_int_equal(dotenv_read(path, &d, &line, why, sizeof why), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(line, 3);
	assert_string_equal(why, "no '=' in \"broken\"");

	/* Bigger than one read buffer. */
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	for (int i = 0; i < 2000; i++)
		fprintf(f, "K%d=value %d\n", i, i);
	fclose(f);
	assert_int_equal(dotenv_read(path, &d, &line, why, sizeof why), 0);
	assert_int_equal(d.n, 2000);
	assert_string_equal(dotenv_get(&d, "K1999"), "value 1999");
	dotenv_free(&d);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_and_braces),
		cmocka_unit_test(defaults),
		cmocka_unit_test(alternatives),
		cmocka_unit_test(required),
		cmocka_unit_test(nesting),
		cmocka_unit_test(dollars),
		cmocka_unit_test(syntax_errors),
		cmocka_unit_test(dotenv_forms),
		cmocka_unit_test(dotenv_errors),
		cmocka_unit_test(dotenv_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
