/* The reconciler's pure half: run/create flags → spec, config hash, and the
 * plan for desired × observed jails. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "specs/service.h"
#include "reconciler/reconciler.h"

static int parse(struct svc_spec *s, int *detach, const char *const *args)
{
	char *argv[32];
	int argc = 0;
	for (; args[argc]; argc++)
		argv[argc] = (char *)args[argc];
	argv[argc] = NULL;
	struct lerr e = { 0 };
	return svc_from_args("run", argc, argv, s, detach, &e);
}

static void flags_to_spec(void **state)
{
	(void)state;
	struct svc_spec s;
	int d;
	const char *a[] = { "run", "-d", "--name", "web", "-e", "A=1", "-m", "64m", "--restart", "on-failure:3",
			    "--tmpfs", "/run:size=1m", "-v", "/tmp:/data:ro", "-it", "freebsd:14.3", "/bin/sh", "-c", "echo hi", NULL };
	assert_int_equal(parse(&s, &d, a), 0);
	assert_int_equal(d, 1);
	assert_string_equal(s.name, "web");
	assert_string_equal(s.image, "freebsd:14.3");
	assert_string_equal(s.command[0], "/bin/sh");
	assert_string_equal(s.command[2], "echo hi");
	assert_null(s.command[3]);
	assert_int_equal(s.memory, 64 << 20);
	assert_int_equal(s.restart, RESTART_ON_FAILURE);
	assert_int_equal(s.restart_max, 3);
	assert_int_equal(s.nmounts, 2);
	assert_string_equal(s.mounts[0].type, "tmpfs");
	assert_string_equal(s.mounts[0].options, "size=1m");
	assert_string_equal(s.mounts[1].type, "bind");
	assert_true(s.mounts[1].readonly);
	assert_true(s.tty && s.interactive);
	svc_free(&s);
}

static void bad_flags(void **state)
{
	(void)state;
	struct svc_spec s;
	int d;
	const char *unknown[] = { "run", "--bogus", "img", NULL };
	const char *nomem[] = { "run", "-m", "lots", "img", NULL };
	const char *noimage[] = { "run", "-d", NULL };
	const char *rmrestart[] = { "run", "--rm", "--restart", "always", "img", NULL };
	const char *badvol[] = { "run", "-v", "/tmp:rel", "img", NULL };
	assert_int_equal(parse(&s, &d, unknown), -1);
	assert_int_equal(parse(&s, &d, nomem), -1);
	assert_int_equal(parse(&s, &d, noimage), -1);
	assert_int_equal(parse(&s, &d, rmrestart), -1);
	assert_int_equal(parse(&s, &d, badvol), -1);
}

static void hash_ignores_name(void **state)
{
	(void)state;
	struct svc_spec a, b;
	int d;
	const char *x[] = { "run", "--name", "one", "img", "true", NULL };
	const char *y[] = { "run", "--name", "two", "img", "true", NULL };
	const char *z[] = { "run", "--name", "one", "img", "false", NULL };
	char ha[65], hb[65], hc[65];
	parse(&a, &d, x);
	parse(&b, &d, y);
	svc_config_hash(&a, ha);
	svc_config_hash(&b, hb);
	assert_string_equal(ha, hb);
	svc_free(&b);
	parse(&b, &d, z);
	svc_config_hash(&b, hc);
	assert_string_not_equal(ha, hc);
	/* JSON round trip keeps the hash. */
	json_t *j = svc_to_json(&a);
	struct svc_spec r;
	struct lerr e;
	assert_int_equal(svc_from_json(j, &r, &e), 0);
	svc_config_hash(&r, hb);
	assert_string_equal(ha, hb);
	json_decref(j);
	svc_free(&r);
	svc_free(&a);
	svc_free(&b);
}

static struct observed_jail obs(const char *name, const char *hash, const char *st)
{
	struct observed_jail o;
	memset(&o, 0, sizeof o);
	strcpy(o.id, "0123456789abcdef");
	strcpy(o.name, name);
	strcpy(o.config_hash, hash);
	strcpy(o.state, st);
	return o;
}

static void plans(void **state)
{
	(void)state;
	struct svc_spec s = { .name = "web", .image = "img" };
	struct desired w = { .spec = &s, .state = WANT_RUNNING };
	strcpy(w.hash, "h1");
	struct action a[8];
	struct lerr e;
	/* Nothing there: create, start. */
	assert_int_equal(reconcile_plan(PLAN_DECLARATIVE, &w, 1, NULL, 0, a, 8, &e), 2);
	assert_int_equal(a[0].kind, ACT_CREATE);
	assert_int_equal(a[1].kind, ACT_START);
	/* Same hash and running: nothing (idempotent). */
	struct observed_jail have = obs("web", "h1", "running");
	assert_int_equal(reconcile_plan(PLAN_DECLARATIVE, &w, 1, &have, 1, a, 8, &e), 0);
	/* Same hash, exited: start it again, not recreate. */
	have = obs("web", "h1", "exited");
	assert_int_equal(reconcile_plan(PLAN_DECLARATIVE, &w, 1, &have, 1, a, 8, &e), 1);
	assert_int_equal(a[0].kind, ACT_START);
	assert_int_equal(a[0].have, 0);
	/* Changed hash: remove first, then create and start. */
	have = obs("web", "h0", "running");
	assert_int_equal(reconcile_plan(PLAN_DECLARATIVE, &w, 1, &have, 1, a, 8, &e), 3);
	assert_int_equal(a[0].kind, ACT_REMOVE);
	assert_int_equal(a[1].kind, ACT_CREATE);
	assert_int_equal(a[2].kind, ACT_START);
	/* Imperative: the name is taken → a conflict naming it. */
	assert_int_equal(reconcile_plan(PLAN_IMPERATIVE, &w, 1, &have, 1, a, 8, &e), -1);
	assert_non_null(strstr(e.msg, "\"web\" is already in use"));
	/* Imperative without a name: always a new jail. */
	s.name = NULL;
	assert_int_equal(reconcile_plan(PLAN_IMPERATIVE, &w, 1, &have, 1, a, 8, &e), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(flags_to_spec),
		cmocka_unit_test(bad_flags),
		cmocka_unit_test(hash_ignores_name),
		cmocka_unit_test(plans),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
