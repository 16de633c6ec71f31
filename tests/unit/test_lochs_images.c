/* The image store's pure parts: references, FreeBSD release tags and
 * MANIFEST lines, archive path checks, SHA-256 digests. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "../../common/sha256.h"
#include "../../orchestrator/imageref.h"
#include "../../orchestrator/layer_extract.h"
#include "../../orchestrator/release.h"

static const char *norm(const char *ref)
{
	static char out[256];
	const char *why;
	return ref_normalize(ref, out, sizeof out, &why) == 0 ? out : NULL;
}

static void test_ref_normalize(void **s)
{
	assert_string_equal(norm("freebsd"), "freebsd:latest");
	assert_string_equal(norm("freebsd:14.3"), "freebsd:14.3");
	assert_string_equal(norm("localhost:5000/app"), "localhost:5000/app:latest");
	assert_string_equal(norm("localhost:5000/app:1"), "localhost:5000/app:1");
	assert_string_equal(norm("Registry.example.com/a/b:v1"), "Registry.example.com/a/b:v1");
	assert_null(norm(""));
	assert_null(norm("FreeBSD"));
	assert_null(norm("a:"));
	assert_null(norm("a:b c"));
	assert_null(norm("/a"));
	assert_null(norm("a//b"));
	assert_null(norm("a@sha256:00"));
	char repo[64], tag[64];
	ref_split("localhost:5000/app:1", repo, sizeof repo, tag, sizeof tag);
	assert_string_equal(repo, "localhost:5000/app");
	assert_string_equal(tag, "1");
}

static void test_id_prefix(void **s)
{
	assert_string_equal(ref_id_prefix("sha256:abcd"), "abcd");
	assert_string_equal(ref_id_prefix("0123abcd"), "0123abcd");
	assert_null(ref_id_prefix("abc"));
	assert_null(ref_id_prefix("freebsd"));
	assert_null(ref_id_prefix("ABCD"));
}

static void test_release_version(void **s)
{
	char v[32];
	const char *why;
	enum release_variant var;
	assert_int_equal(release_version("14.3", v, sizeof v, &var, &why), 0);
	assert_string_equal(v, "14.3");
	assert_int_equal(var, RELEASE_FULL);
	assert_int_equal(release_version("15", v, sizeof v, NULL, &why), 0);
	assert_string_equal(v, "15.0");
	assert_int_equal(release_version("13.5", v, sizeof v, NULL, &why), 0);
	assert_string_equal(v, "13.5");
	assert_int_equal(release_version("latest", v, sizeof v, NULL, &why), -1);
	assert_int_equal(release_version("14.3-minimal", v, sizeof v, &var, &why), 0);
	assert_string_equal(v, "14.3");
	assert_int_equal(var, RELEASE_MINIMAL);
	assert_int_equal(release_version("15-rescue", v, sizeof v, &var, &why), 0);
	assert_string_equal(v, "15.0");
	assert_int_equal(var, RELEASE_RESCUE);
	assert_int_equal(release_version("14.3-tiny", v, sizeof v, NULL, &why), -1);
	assert_int_equal(release_version("-minimal", v, sizeof v, NULL, &why), -1);
	assert_int_equal(release_version("14.x", v, sizeof v, NULL, &why), -1);
	assert_true(release_is_ref("freebsd:14.3"));
	assert_false(release_is_ref("freebsdx:1"));
}

static void test_release_variants(void **s)
{
	assert_true(release_variant_keeps(RELEASE_FULL, "./usr/include/stdio.h"));
	assert_false(release_variant_keeps(RELEASE_MINIMAL, "./usr/include/stdio.h"));
	assert_false(release_variant_keeps(RELEASE_MINIMAL, "usr/include"));
	assert_true(release_variant_keeps(RELEASE_MINIMAL, "./usr/includes"));
	assert_false(release_variant_keeps(RELEASE_MINIMAL, "./usr/share/man/man1/ls.1.gz"));
	assert_false(release_variant_keeps(RELEASE_MINIMAL, "./usr/lib/libc.a"));
	assert_true(release_variant_keeps(RELEASE_MINIMAL, "./usr/lib/libc.so"));
	assert_true(release_variant_keeps(RELEASE_MINIMAL, "./lib/libc.so.7"));
	assert_true(release_variant_keeps(RELEASE_MINIMAL, "./bin/sh"));
	assert_true(release_variant_keeps(RELEASE_MINIMAL, "."));
	assert_false(release_variant_keeps(RELEASE_MINIMAL, "./boot/kernel/kernel"));
	assert_true(release_variant_keeps(RELEASE_RESCUE, "./rescue/sh"));
	assert_true(release_variant_keeps(RELEASE_RESCUE, "./etc/passwd"));
	assert_true(release_variant_keeps(RELEASE_RESCUE, "./"));
	assert_false(release_variant_keeps(RELEASE_RESCUE, "./bin/sh"));
	assert_false(release_variant_keeps(RELEASE_RESCUE, "./rescuer"));
	assert_false(release_variant_keeps(RELEASE_RESCUE, "./usr/bin/env"));
}

static void test_release_url(void **s)
{
	char u[256];
	release_url(RELEASE_DEFAULT_MIRROR, "14.3", "MANIFEST", u, sizeof u);
	assert_string_equal(u, "https://download.freebsd.org/releases/amd64/14.3-RELEASE/MANIFEST");
	release_url("http://127.0.0.1:8000", "14.3", "base.txz", u, sizeof u);
	assert_string_equal(u, "http://127.0.0.1:8000/14.3-RELEASE/base.txz");
	release_url("http://m/{version}/", "15.0", "base.txz", u, sizeof u);
	assert_string_equal(u, "http://m/15.0/base.txz");
}

static void test_manifest(void **s)
{
	const char *m = "base-dbg.txz\t1111111111111111111111111111111111111111111111111111111111111111\t1\tbase_dbg\t\"x\"\toff\n"
			"base.txz\tABCDEF0123456789abcdef0123456789abcdef0123456789abcdef0123456789\t28\tbase\t\"Base system\"\ton\n"
			"kernel.txz\tshort\t1\n";
	char hex[65];
	const char *why;
	assert_int_equal(release_manifest_sha256(m, "base.txz", hex, &why), 0);
	assert_string_equal(hex, "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789");
	assert_int_equal(release_manifest_sha256(m, "base-dbg.txz", hex, &why), 0);
	assert_int_equal(release_manifest_sha256(m, "lib32.txz", hex, &why), -1);
	assert_int_equal(release_manifest_sha256(m, "kernel.txz", hex, &why), -1);
	assert_int_equal(release_manifest_sha256("", "base.txz", hex, &why), -1);
}

static void test_path_clean(void **s)
{
	char out[256];
	const char *why;
	assert_int_equal(layer_path_clean("./a//b/", out, sizeof out, &why), 0);
	assert_string_equal(out, "a/b");
	assert_int_equal(layer_path_clean("./", out, sizeof out, &why), 0);
	assert_string_equal(out, "");
	assert_int_equal(layer_path_clean("a/./b", out, sizeof out, &why), 0);
	assert_string_equal(out, "a/b");
	assert_int_equal(layer_path_clean("a..b/..c", out, sizeof out, &why), 0);
	assert_int_equal(layer_path_clean("../x", out, sizeof out, &why), -1);
	assert_int_equal(layer_path_clean("a/../../x", out, sizeof out, &why), -1);
	assert_int_equal(layer_path_clean("a/..", out, sizeof out, &why), -1);
	assert_int_equal(layer_path_clean("/etc/passwd", out, sizeof out, &why), -1);
	assert_int_equal(layer_path_clean("", out, sizeof out, &why), -1);
}

/* The store's digests: FIPS 180-2's vectors, one-shot and fed in pieces
 * (every split of the 56-byte one), and a file. */
static void test_sha256(void **s)
{
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	const char *want2 = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
	char hex[65];
	sha256_buf("", 0, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sha256_buf("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_true(sha256_is_hex(hex));
	for (size_t cut = 0; cut <= strlen(two); cut++) {
		struct sha256 h = { 0 };
		assert_int_equal(sha256_init(&h, NULL), 0);
		sha256_update(&h, two, cut);
		sha256_update(&h, two + cut, strlen(two) - cut);
		sha256_final(&h, hex);
		assert_string_equal(hex, want2);
	}
	char path[] = "/tmp/lochs-sha256-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, two, strlen(two)), (int)strlen(two));
	close(fd);
	long long size = 0;
	assert_int_equal(sha256_file(path, hex, &size, NULL), 0);
	assert_string_equal(hex, want2);
	assert_int_equal(size, (long long)strlen(two));
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ref_normalize), cmocka_unit_test(test_id_prefix),
		cmocka_unit_test(test_release_version), cmocka_unit_test(test_release_variants), cmocka_unit_test(test_release_url),
		cmocka_unit_test(test_manifest), cmocka_unit_test(test_path_clean), cmocka_unit_test(test_sha256),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
