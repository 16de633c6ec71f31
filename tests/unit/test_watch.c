/* Watch mode's pure parts: the config hash pinned to an image id (a moved
 * tag rolls the service out), drift (gone, changed, died with its
 * restart policy saying run), and develop.watch paths (match, ignore,
 * target). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "specs/service.h"
#include "reconciler/drift.h"
#include "reconciler/watchpath.h"

static void pinned_hash(void **state)
{
	(void)state;
	struct svc_spec s = { .name = "app-web-1", .image = "app:latest" };
	char plain[65], a[65], a2[65], b[65];
	svc_config_hash(&s, plain);
	svc_config_hash_pinned(&s, NULL, a);
	assert_string_equal(plain, a); /* unpinned: as before (imperative jails) */
	svc_config_hash_pinned(&s, "sha256:aaaa", a);
	svc_config_hash_pinned(&s, "sha256:aaaa", a2);
	svc_config_hash_pinned(&s, "sha256:bbbb", b);
	assert_string_equal(a, a2);
	assert_string_not_equal(a, plain);
	assert_string_not_equal(a, b); /* the tag moved: recreate */
}

static struct observed_jail obs(const char *name, const char *hash, const char *st, int monitor)
{
	struct observed_jail o;
	memset(&o, 0, sizeof o);
	strcpy(o.id, "0123456789abcdef");
	strcpy(o.name, name);
	strcpy(o.config_hash, hash);
	strcpy(o.state, st);
	o.monitor_alive = monitor;
	return o;
}

static void drift(void **state)
{
	(void)state;
	struct svc_spec s = { .name = "p-web-1", .image = "img", .restart = RESTART_ALWAYS };
	struct desired w = { .spec = &s, .state = WANT_RUNNING };
	strcpy(w.hash, "h1");
	char why[200] = "";
	struct jail_end end = { 0, 0, 0 };
	struct observed_jail h = obs("p-web-1", "h1", "running", 1);
	assert_int_equal(reconcile_drift(&w, 1, &h, 1, &end, why, sizeof why), 0);
	/* Removed behind Lochs' back. */
	assert_int_equal(reconcile_drift(&w, 1, NULL, 0, NULL, why, sizeof why), 1);
	assert_string_equal(why, "p-web-1 is gone");
	/* Another image under the same tag: another hash. */
	h = obs("p-web-1", "h2", "running", 1);
	assert_int_equal(reconcile_drift(&w, 1, &h, 1, &end, why, sizeof why), 1);
	assert_non_null(strstr(why, "image changed"));
	/* Died with its monitor (kill -9): always restarts. */
	h = obs("p-web-1", "h1", "exited", 0);
	end.exit_code = -1;
	assert_int_equal(reconcile_drift(&w, 1, &h, 1, &end, why, sizeof why), 1);
	assert_string_equal(why, "p-web-1 died (exit -1) and its restart policy is always");
	/* Its monitor lives (restarting with back-off): the monitor's job. */
	h.monitor_alive = 1;
	assert_int_equal(reconcile_drift(&w, 1, &h, 1, &end, why, sizeof why), 0);
	/* Stopped by the user: stays stopped. */
	h.monitor_alive = 0;
	end.stopped_by_user = 1;
	assert_int_equal(reconcile_drift(&w, 1, &h, 1, &end, why, sizeof why), 0);
	/* restart: no, or on-failure after a clean exit: left alone. */
	end = (struct jail_end){ 0, 0, 0 };
	s.restart = RESTART_ON_FAILURE;
	assert_int_equal(reconcile_drift(&w, 1, &h, 1, &end, why, sizeof why), 0);
	end.exit_code = 3;
	assert_int_equal(reconcile_drift(&w, 1, &h, 1, &end, why, sizeof why), 1);
	s.restart = RESTART_NO;
	assert_int_equal(reconcile_drift(&w, 1, &h, 1, &end, why, sizeof why), 0);
}

static void paths(void **state)
{
	(void)state;
	char rel[256], dst[512];
	char *ignore[] = { "*.tmp", "node_modules/", "build/out", NULL };
	assert_int_equal(watch_path_match("/p/src", ignore, "/p/src/a/b.c", rel, sizeof rel), 1);
	assert_string_equal(rel, "a/b.c");
	assert_int_equal(watch_path_match("/p/src/", NULL, "/p/src", rel, sizeof rel), 1);
	assert_string_equal(rel, "");
	assert_int_equal(watch_path_match("/p/src", NULL, "/p/srcx/a", rel, sizeof rel), 0);
	assert_int_equal(watch_path_match("/p/src", NULL, "/p/other", rel, sizeof rel), 0);
	/* A name pattern at any depth; a folder pattern hides what is under it. */
	assert_int_equal(watch_path_match("/p/src", ignore, "/p/src/x/y.tmp", rel, sizeof rel), 0);
	assert_int_equal(watch_path_match("/p/src", ignore, "/p/src/x/node_modules/m/i.js", rel, sizeof rel), 0);
	/* One with a slash is anchored at the rule's root. */
	assert_int_equal(watch_path_match("/p/src", ignore, "/p/src/build/out/z", rel, sizeof rel), 0);
	assert_int_equal(watch_path_match("/p/src", ignore, "/p/src/x/build/out", rel, sizeof rel), 1);
	watch_path_target("/app/", "a/b.c", dst, sizeof dst);
	assert_string_equal(dst, "/app/a/b.c");
	watch_path_target("/app", "", dst, sizeof dst);
	assert_string_equal(dst, "/app");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pinned_hash),
		cmocka_unit_test(drift),
		cmocka_unit_test(paths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
