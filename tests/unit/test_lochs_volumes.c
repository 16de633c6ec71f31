/* Volumes' pure parts: name validation, mount targets' cleaning and
 * order, and lochs diff's classification
 * of a small upper layer over a lower one (whiteouts are char devices
 * 0/0: mknod needs root, as the integration tests do). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <cmocka.h>
#include "../../common/fsutil.h"
#include "../../volumes/diff.h"
#include "../../volumes/lview.h"
#include "../../volumes/volume.h"

static void test_volume_names(void **s)
{
	assert_true(volume_name_valid("data"));
	assert_true(volume_name_valid("my_vol.1-x"));
	assert_true(volume_name_valid("0a"));
	assert_false(volume_name_valid("a"));    /* two characters at least */
	assert_false(volume_name_valid(""));
	assert_false(volume_name_valid(NULL));
	assert_false(volume_name_valid("_data"));
	assert_false(volume_name_valid(".hidden"));
	assert_false(volume_name_valid("a/b"));
	assert_false(volume_name_valid("../x"));
	assert_false(volume_name_valid("a b"));
	assert_false(volume_name_valid("vol:1"));
	char long_name[300];
	memset(long_name, 'a', sizeof long_name - 1);
	long_name[sizeof long_name - 1] = 0;
	assert_false(volume_name_valid(long_name));
}

static void put(const char *dir, const char *rel, const char *text)
{
	char p[4096];
	snprintf(p, sizeof p, "%s/%s", dir, rel);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void sub(const char *dir, const char *rel, char *out)
{
	snprintf(out, 4096, "%s/%s", dir, rel);
	assert_int_equal(mkdir_p(out, 0755), 0);
}

/* lower: etc/{motd,hosts}, usr/share/{a,b}, var/x
 * upper: etc/motd (changed), etc/new (added), etc/hosts whiteout,
 *        usr/share opaque with only c, newdir/f (added), var/x whiteout */
static void test_diff(void **s)
{
	if (geteuid() != 0) {
		skip();
		return;
	}
	char tmpl[] = "/tmp/lochs-diff.XXXXXX", lower[4096], upper[4096], p[4096];
	assert_non_null(mkdtemp(tmpl));
	sub(tmpl, "lower/etc", p);
	sub(tmpl, "lower/usr/share", p);
	sub(tmpl, "lower/var", p);
	sub(tmpl, "upper/etc", p);
	sub(tmpl, "upper/usr/share", p);
	sub(tmpl, "upper/newdir", p);
	sub(tmpl, "upper/var", p);
	snprintf(lower, sizeof lower, "%s/lower", tmpl);
	snprintf(upper, sizeof upper, "%s/upper", tmpl);
	put(lower, "etc/motd", "hi");
	put(lower, "etc/hosts", "h");
	put(lower, "usr/share/a", "a");
	put(lower, "usr/share/b", "b");
	put(lower, "var/x", "x");
	put(upper, "etc/motd", "changed");
	put(upper, "etc/new", "n");
	put(upper, "usr/share/c", "c");
	put(upper, "newdir/f", "f");
	snprintf(p, sizeof p, "%s/etc/hosts", upper);
	assert_int_equal(mknod(p, S_IFCHR | 0600, makedev(0, 0)), 0);
	snprintf(p, sizeof p, "%s/var/x", upper);
	assert_int_equal(mknod(p, S_IFCHR | 0600, makedev(0, 0)), 0);
	snprintf(p, sizeof p, "%s/usr/share", upper);
	int opaque = setxattr(p, "trusted.overlay.opaque", "y", 1, 0) == 0;

	const char *lowers[] = { lower };
	struct change *v;
	int n;
	struct lerr e;
	assert_int_equal(diff_changes(upper, lowers, 1, &v, &n, &e), 0);
	char got[2048] = "";
	for (int i = 0; i < n; i++)
		snprintf(got + strlen(got), sizeof got - strlen(got), "%c %s\n", v[i].kind, v[i].path);
	diff_free(v, n);
	const char *want = opaque ? "C /etc\nD /etc/hosts\nC /etc/motd\nA /etc/new\nA /newdir\nA /newdir/f\nC /usr\n"
				    "C /usr/share\nD /usr/share/a\nD /usr/share/b\nA /usr/share/c\nC /var\nD /var/x\n"
				  : "C /etc\nD /etc/hosts\nC /etc/motd\nA /etc/new\nA /newdir\nA /newdir/f\nC /usr\n"
				    "C /usr/share\nA /usr/share/c\nC /var\nD /var/x\n";
	assert_string_equal(got, want);

	/* The merged view: the whiteout hides, the opaque directory hides. */
	const char *dirs[] = { upper, lower };
	struct lview lv;
	struct lent ent;
	assert_int_equal(lview_open(&lv, dirs, 2, &e), 0);
	assert_int_equal(lview_lookup(&lv, "etc/hosts", &ent), -1);
	assert_int_equal(lview_lookup(&lv, "etc/motd", &ent), 0);
	assert_int_equal(ent.layer, 0);
	assert_int_equal(lview_lookup(&lv, "usr/share/a", &ent), opaque ? -1 : 0);
	assert_int_equal(lview_lookup(&lv, "usr/share/c", &ent), 0);
	lview_close(&lv);
	assert_int_equal(rm_rf(tmpl), 0);
}

/* Symlinks resolve inside the view: absolute and ../ targets stay in it. */
static void test_resolve_in_root(void **s)
{
	char tmpl[] = "/tmp/lochs-resolve.XXXXXX", p[4096], out[4096];
	assert_non_null(mkdtemp(tmpl));
	sub(tmpl, "etc", p);
	put(tmpl, "etc/passwd", "jail");
	snprintf(p, sizeof p, "%s/abs", tmpl);
	assert_int_equal(symlink("/etc/passwd", p), 0);
	snprintf(p, sizeof p, "%s/up", tmpl);
	assert_int_equal(symlink("../../../../etc", p), 0);
	snprintf(p, sizeof p, "%s/loop", tmpl);
	assert_int_equal(symlink("loop", p), 0);
	const char *dirs[] = { tmpl };
	struct lview lv;
	struct lerr e;
	assert_int_equal(lview_open(&lv, dirs, 1, &e), 0);
	assert_int_equal(lview_resolve(&lv, "/abs", 1, out, sizeof out), 0);
	assert_string_equal(out, "etc/passwd");
	assert_int_equal(lview_resolve(&lv, "/abs", 0, out, sizeof out), 0);
	assert_string_equal(out, "abs");
	assert_int_equal(lview_resolve(&lv, "/up/passwd", 0, out, sizeof out), 0);
	assert_string_equal(out, "etc/passwd");
	assert_int_equal(lview_resolve(&lv, "/../../etc/./passwd", 0, out, sizeof out), 0);
	assert_string_equal(out, "etc/passwd");
	assert_int_equal(lview_resolve(&lv, "/loop", 1, out, sizeof out), -1);
	assert_int_equal(lview_resolve(&lv, "/up/newfile", 1, out, sizeof out), -1);
	assert_string_equal(out, "etc/newfile"); /* only the last is missing */
	lview_close(&lv);
	assert_int_equal(rm_rf(tmpl), 0);
}

/* Mount targets as Docker compares them (path.Clean) and orders them
 * (shallow first, stable). */
static void test_mount_paths(void **s)
{
	char out[64];
	const char *cases[][2] = { { "/data", "/data" }, { "/data/", "/data" }, { "//a/./b//", "/a/b" },
				   { "/a/../b", "/b" }, { "/../..", "/" }, { "/", "/" }, { "", "/" }, { "/a/b/..", "/a" } };
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		vol_clean_path(cases[i][0], out, sizeof out);
		assert_string_equal(out, cases[i][1]);
	}
	assert_int_equal(vol_path_depth("/"), 0);
	assert_int_equal(vol_path_depth("/data"), 1);
	assert_int_equal(vol_path_depth("/data/sub/x"), 3);
	const char *targets[] = { "/data/sub", "/var/db", "/data", "/x", "/data/sub/deep" };
	int order[5];
	vol_mount_order(targets, 5, order);
	int want[] = { 2, 3, 0, 1, 4 }; /* /data, /x, then /data/sub, /var/db in their order, then the deepest */
	for (int i = 0; i < 5; i++)
		assert_int_equal(order[i], want[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_volume_names),
		cmocka_unit_test(test_diff),
		cmocka_unit_test(test_resolve_in_root),
		cmocka_unit_test(test_mount_paths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
