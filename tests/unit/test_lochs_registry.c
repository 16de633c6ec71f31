/* The registry puller's pure parts: references as Docker normalizes them,
 * the WWW-Authenticate challenge, platform selection from an index, and
 * OCI whiteout names. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "../../orchestrator/layer_extract.h"
#include "../../orchestrator/registry.h"

#define D64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void check_ref(const char *s, const char *host, const char *repo, const char *tag, const char *digest,
		      const char *name)
{
	struct regref r;
	const char *why = NULL;
	char n[600];
	assert_int_equal(regref_parse(s, &r, &why), 0);
	assert_string_equal(r.host, host);
	assert_string_equal(r.repo, repo);
	assert_string_equal(r.tag, tag);
	assert_string_equal(r.digest, digest);
	regref_name(&r, n, sizeof n);
	assert_string_equal(n, name);
}

static void test_regref(void **s)
{
	check_ref("alpine", "docker.io", "library/alpine", "latest", "", "alpine:latest");
	check_ref("freebsd/freebsd-runtime:14.3", "docker.io", "freebsd/freebsd-runtime", "14.3", "",
		  "freebsd/freebsd-runtime:14.3");
	check_ref("docker.io/library/alpine:3", "docker.io", "library/alpine", "3", "", "alpine:3");
	check_ref("index.docker.io/x/y", "docker.io", "x/y", "latest", "", "x/y:latest");
	check_ref("127.0.0.1:5000/lochs-test:1", "127.0.0.1:5000", "lochs-test", "1", "", "127.0.0.1:5000/lochs-test:1");
	check_ref("localhost/a/b", "localhost", "a/b", "latest", "", "localhost/a/b:latest");
	check_ref("ghcr.io/o/r@sha256:" D64, "ghcr.io", "o/r", "", "sha256:" D64, "");
	check_ref("ghcr.io/o/r:v1@sha256:" D64, "ghcr.io", "o/r", "v1", "sha256:" D64, "ghcr.io/o/r:v1");
	struct regref r;
	const char *why;
	assert_int_equal(regref_parse("", &r, &why), -1);
	assert_int_equal(regref_parse("Alpine", &r, &why), -1);
	assert_int_equal(regref_parse("a@sha256:12", &r, &why), -1);
	assert_int_equal(regref_parse("a@md5:" D64, &r, &why), -1);
	assert_int_equal(regref_parse("a:-x", &r, &why), -1);
	assert_int_equal(regref_parse("h.io//a", &r, &why), -1);
	assert_string_equal(regref_api_host(&(struct regref){ .host = "docker.io" }), "registry-1.docker.io");
	assert_true(host_is_loopback("127.0.0.1:5000"));
	assert_true(host_is_loopback("localhost"));
	assert_true(host_is_loopback("[::1]:5000"));
	assert_false(host_is_loopback("ghcr.io"));
	assert_true(ref_has_host("a.b/c"));
	assert_false(ref_has_host("a/c"));
	assert_false(ref_has_host("freebsd:14.3"));
}

static void test_www_auth(void **s)
{
	struct www_auth a;
	assert_int_equal(www_auth_parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
					"scope=\"repository:samalba/my-app:pull,push\"",
					&a),
			 0);
	assert_string_equal(a.scheme, "Bearer");
	assert_string_equal(a.realm, "https://auth.docker.io/token");
	assert_string_equal(a.service, "registry.docker.io");
	assert_string_equal(a.scope, "repository:samalba/my-app:pull,push");
	assert_int_equal(www_auth_parse("bearer  realm=http://127.0.0.1:9/t , service=\"a \\\"q\\\"\"", &a), 0);
	assert_string_equal(a.scheme, "Bearer");
	assert_string_equal(a.realm, "http://127.0.0.1:9/t");
	assert_string_equal(a.service, "a \"q\"");
	assert_string_equal(a.scope, "");
	assert_int_equal(www_auth_parse("Basic realm=\"Registry Realm\"", &a), 0);
	assert_string_equal(a.scheme, "Basic");
	assert_string_equal(a.realm, "Registry Realm");
	assert_int_equal(www_auth_parse("Bearer service=\"x\"", &a), -1); /* no realm */
	assert_int_equal(www_auth_parse("", &a), -1);
}

static void test_platform(void **s)
{
	json_t *idx = json_loads("{\"manifests\":["
				 "{\"digest\":\"sha256:aa\",\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}},"
				 "{\"digest\":\"sha256:bb\",\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\",\"variant\":\"v8\"}},"
				 "{\"digest\":\"sha256:att\",\"platform\":{\"os\":\"unknown\",\"architecture\":\"unknown\"}},"
				 "{\"digest\":\"sha256:cc\",\"platform\":{\"os\":\"freebsd\",\"architecture\":\"amd64\"}}]}",
				 0, NULL);
	char avail[256];
	json_t *d = index_pick_platform(idx, "freebsd", "amd64", avail, sizeof avail);
	assert_non_null(d);
	assert_string_equal(json_string_value(json_object_get(d, "digest")), "sha256:cc");
	assert_null(index_pick_platform(idx, "freebsd", "arm64", avail, sizeof avail));
	assert_string_equal(avail, "linux/amd64, linux/arm64/v8, freebsd/amd64");
	json_decref(idx);
	idx = json_loads("{\"manifests\":[]}", 0, NULL);
	assert_null(index_pick_platform(idx, "freebsd", "amd64", avail, sizeof avail));
	assert_string_equal(avail, "no platforms");
	json_decref(idx);
	assert_true(layer_type_supported("application/vnd.oci.image.layer.v1.tar+zstd"));
	assert_true(layer_type_supported("application/vnd.docker.image.rootfs.diff.tar.gzip"));
	assert_true(layer_type_supported("application/vnd.lochs.image.layer.v1.tar+xz"));
	assert_false(layer_type_supported("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"));
	assert_false(layer_type_supported(NULL));
}

static void test_whiteout(void **s)
{
	char t[256];
	assert_int_equal(layer_whiteout("etc/motd", t, sizeof t), WH_NONE);
	assert_int_equal(layer_whiteout("etc/.whatever", t, sizeof t), WH_NONE);
	assert_int_equal(layer_whiteout("etc/.wh.motd", t, sizeof t), WH_FILE);
	assert_string_equal(t, "etc/motd");
	assert_int_equal(layer_whiteout(".wh.top", t, sizeof t), WH_FILE);
	assert_string_equal(t, "top");
	assert_int_equal(layer_whiteout("a/b/.wh..wh..opq", t, sizeof t), WH_OPAQUE);
	assert_string_equal(t, "a/b");
	assert_int_equal(layer_whiteout(".wh..wh..opq", t, sizeof t), WH_OPAQUE);
	assert_string_equal(t, "");
	assert_int_equal(layer_whiteout("a/.wh..wh.plnk", t, sizeof t), WH_OTHER);
	assert_int_equal(layer_whiteout("a/.wh.", t, sizeof t), WH_OTHER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_regref),
		cmocka_unit_test(test_www_auth),
		cmocka_unit_test(test_platform),
		cmocka_unit_test(test_whiteout),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
