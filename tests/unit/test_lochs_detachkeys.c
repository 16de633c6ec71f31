/* Detach keys (orchestrator/detachkeys.c): Docker's spelling, where they
 * come from (flag, config file, default) and the filter of typed input;
 * the config file's registry credentials (base64). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "../../orchestrator/config.h"
#include "../../orchestrator/detachkeys.h"

static void keys_is(const char *spec, const char *want, int len)
{
	struct detach_keys k;
	struct lerr e = { 0 };
	assert_int_equal(detach_keys_parse(spec, &k, &e), 0);
	assert_int_equal(k.len, len);
	assert_memory_equal(k.seq, want, (size_t)len);
}

static void test_parse(void **st)
{
	keys_is(DETACH_KEYS_DEFAULT, "\x10\x11", 2);
	keys_is("ctrl-a,ctrl-z", "\x01\x1a", 2);
	keys_is("ctrl-@", "\0", 1);
	keys_is("ctrl-[,ctrl-\\,ctrl-],ctrl-^,ctrl-_", "\x1b\x1c\x1d\x1e\x1f", 5);
	keys_is("x,ctrl-y,Z", "x\x19Z", 3);
}

static void test_parse_bad(void **st)
{
	const char *bad[] = { "", "ctrl-", "ctrl-1", "ctrl-pq", "ab", "ctrl-p,", ",ctrl-p", "ctrl-P", "a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct detach_keys k;
		struct lerr e = { 0 };
		assert_int_equal(detach_keys_parse(bad[i], &k, &e), -1);
		assert_int_equal(e.code, LX_LOCHS);
		assert_non_null(strstr(e.msg, "invalid detach keys"));
		assert_null(strchr(e.msg, '\n'));
	}
}

/* Feeds s in pieces of size step; the bytes passed on into out. */
static int feed(struct detach_keys *k, const char *s, size_t n, size_t step, char *out, size_t *outn)
{
	*outn = 0;
	for (size_t i = 0; i < n; i += step) {
		char o[64];
		size_t on;
		int d = detach_keys_filter(k, s + i, n - i < step ? n - i : step, o, &on);
		memcpy(out + *outn, o, on);
		*outn += on;
		if (d)
			return 1;
	}
	return 0;
}

static void test_filter(void **st)
{
	struct lerr e = { 0 };
	for (size_t step = 1; step <= 8; step++) {
		struct detach_keys k;
		char out[64];
		size_t n;
		assert_int_equal(detach_keys_parse(DETACH_KEYS_DEFAULT, &k, &e), 0);
		/* A lone ctrl-p reaches the jail with what follows, in order. */
		assert_int_equal(feed(&k, "a\x10" "b\x10\x10", 5, step, out, &n), 0);
		/* ... the last one held back until the next key. */
		assert_int_equal(n, 4);
		assert_memory_equal(out, "a\x10" "b\x10", 4);
		/* Then ctrl-q completes it: detached, the rest dropped. */
		assert_int_equal(feed(&k, "\x11zz", 3, step, out, &n), 1);
		assert_int_equal(n, 0);
		assert_int_equal(k.matched, 0);
		/* Input ends after a ctrl-p: it goes to the jail after all. */
		assert_int_equal(feed(&k, "\x10", 1, step, out, &n), 0);
		assert_int_equal(n, 0);
		assert_int_equal(detach_keys_held(&k, out), 1);
		assert_int_equal(out[0], 0x10);
		assert_int_equal(detach_keys_held(&k, out), 0);
		/* ctrl-q alone is just a key. */
		assert_int_equal(feed(&k, "\x11q", 2, step, out, &n), 0);
		assert_int_equal(n, 2);
	}
	struct detach_keys k;
	char out[64];
	size_t n;
	assert_int_equal(detach_keys_parse("ctrl-a,b,c", &k, &e), 0);
	/* a partial match broken: passed on; a new start inside it counts. */
	assert_int_equal(feed(&k, "\x01" "b\x01" "bx\x01\x01" "bc", 9, 1, out, &n), 1);
	assert_int_equal(n, 6);
	assert_memory_equal(out, "\x01" "b\x01" "bx\x01", 6);
}

/* Flag, else the config file's detachKeys, else the default; a bad one in
 * the file names the file. */
static void test_resolve(void **st)
{
	char root[] = "/tmp/lochs-dkeys.XXXXXX", path[64];
	assert_non_null(mkdtemp(root));
	snprintf(path, sizeof path, "%s/config.json", root);
	struct cli c = { .root = root };
	struct detach_keys k;
	struct lerr e = { 0 };
	FILE *f = fopen(path, "w");
	fputs("{}", f), fclose(f);
	assert_int_equal(detach_keys_resolve(&c, NULL, &k, &e), 0);
	assert_memory_equal(k.seq, "\x10\x11", 2);
	f = fopen(path, "w");
	fputs("{ \"detachKeys\": \"ctrl-e,x\" }", f), fclose(f);
	assert_int_equal(detach_keys_resolve(&c, NULL, &k, &e), 0);
	assert_int_equal(k.len, 2);
	assert_memory_equal(k.seq, "\x05x", 2);
	assert_int_equal(detach_keys_resolve(&c, "ctrl-y", &k, &e), 0);
	assert_int_equal(k.len, 1);
	assert_int_equal(k.seq[0], 0x19);
	assert_int_equal(detach_keys_resolve(&c, "", &k, &e), 0); /* "": not the flag */
	assert_memory_equal(k.seq, "\x05x", 2);
	f = fopen(path, "w");
	fputs("{ \"detachKeys\": 7 }", f), fclose(f);
	assert_int_equal(detach_keys_resolve(&c, NULL, &k, &e), -1);
	char want[128];
	snprintf(want, sizeof want, "%s: detachKeys: not a string", path);
	assert_string_equal(e.msg, want);
	unlink(path);
	rmdir(root);
}

/* The config file's other use here: the registry credentials' base64
 * (RFC 4648 vectors), refused when out is too small. */
static void test_basic_auth(void **st)
{
	char out[64];
	assert_int_equal(config_basic_encode("user", "pass", out, sizeof out), 1);
	assert_string_equal(out, "dXNlcjpwYXNz");
	assert_int_equal(config_basic_encode("a", "", out, sizeof out), 1);
	assert_string_equal(out, "YTo=");
	assert_int_equal(config_basic_encode("fo", "ob", out, sizeof out), 1);
	assert_string_equal(out, "Zm86b2I=");
	assert_int_equal(config_basic_encode("user", "pass", out, 12), 0); /* 12 digits need 13 bytes */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_basic_auth),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
