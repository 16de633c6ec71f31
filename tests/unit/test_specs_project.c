/* A project's desired state and its plan, without any kernel
 * (reconciler/project.h): replicas named PROJECT-SERVICE-N in dependency
 * order on the project's networks; a changed service recreates only its
 * own jails; scaling never recreates; orphans go only with prune; a jail
 * of another project with a wanted name is refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "projdir.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "reconciler/project.h"
#include "specs/strv.h"


static void load(const char *text, struct compose_project *p)
{
	FILE *f = fopen(file, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	struct lerr e = { 0 };
	char *env[] = { NULL };
	if (compose_load(file, "shop", env, p, &e) < 0)
		fail_msg("%s", e.msg);
}

static const char app[] = "services:\n"
			  "  worker: {image: x, depends_on: [web], scale: 2, networks: [back]}\n"
			  "  web: {image: x, depends_on: [db], networks: [front, back]}\n"
			  "  db: {image: x, network_mode: none}\n"
			  "  sidecar: {image: x, network_mode: \"service:web\"}\n"
			  "networks: {front: {}, back: {}}\n";

/* Observed jails as a previous apply of st would have left them. */
static struct observed_jail *as_applied(const struct project_state *st, int *n)
{
	struct observed_jail *o = calloc((size_t)st->nwant, sizeof *o);
	for (int i = 0; i < st->nwant; i++) {
		snprintf(o[i].id, sizeof o[i].id, "%064d", i);
		snprintf(o[i].name, sizeof o[i].name, "%s", st->specs[i].name);
		snprintf(o[i].config_hash, sizeof o[i].config_hash, "%s", st->want[i].hash);
		snprintf(o[i].state, sizeof o[i].state, "running");
		snprintf(o[i].project, sizeof o[i].project, "shop");
		snprintf(o[i].service, sizeof o[i].service, "%s", st->specs[i].service);
	}
	*n = st->nwant;
	return o;
}

static int plan(const struct compose_project *p, const struct project_state *st, const struct observed_jail *have,
		int nhave, int prune, struct action *a)
{
	struct lerr e = { 0 };
	int n = project_extras(p, st, have, nhave, prune, a, 0, 64, &e);
	assert_true(n >= 0);
	int m = reconcile_plan(PLAN_DECLARATIVE, st->want, st->nwant, have, nhave, a + n, 64 - n, &e);
	assert_true(m >= 0);
	return n + m;
}

static void test_desired(void **s)
{
	struct compose_project p;
	struct project_state st;
	struct lerr e = { 0 };
	load(app, &p);
	assert_int_equal(project_desired(&p, &st, &e), 0);
	assert_int_equal(st.nwant, 5);
	/* db before web before the workers; sidecar after web */
	const char *names[5];
	for (int i = 0; i < 5; i++)
		names[i] = st.specs[i].name;
	int idx[5];
	const char *want[] = { "shop-db-1", "shop-web-1", "shop-worker-1", "shop-worker-2", "shop-sidecar-1" };
	for (int k = 0; k < 5; k++) {
		idx[k] = -1;
		for (int i = 0; i < 5; i++)
			if (!strcmp(names[i], want[k]))
				idx[k] = i;
		assert_true(idx[k] >= 0);
	}
	assert_true(idx[0] < idx[1] && idx[1] < idx[2] && idx[2] < idx[3]);
	assert_string_equal(st.specs[idx[1]].network, "shop_front");
	assert_string_equal(st.specs[idx[2]].network, "shop_back");
	assert_string_equal(st.specs[idx[0]].network, "none");
	assert_string_equal(st.specs[idx[4]].network, "container:shop-web-1");
	/* replicas share one hash: scaling never recreates */
	assert_string_equal(st.want[idx[2]].hash, st.want[idx[3]].hash);
	assert_string_equal(st.specs[idx[2]].project, "shop");
	assert_string_equal(st.specs[idx[2]].service, "worker");
	project_state_free(&st);
	compose_free(&p);
}

static void test_plans(void **s)
{
	struct compose_project p;
	struct project_state st, st2;
	struct lerr e = { 0 };
	struct action a[64];
	load(app, &p);
	assert_int_equal(project_desired(&p, &st, &e), 0);
	int nhave;
	struct observed_jail *have = as_applied(&st, &nhave);
	/* applied: nothing to do */
	assert_int_equal(plan(&p, &st, have, nhave, 0, a), 0);
	compose_free(&p);
	/* the worker's environment changes: its two jails only */
	load("services:\n"
	     "  worker: {image: x, depends_on: [web], scale: 2, networks: [back], environment: {A: 1}}\n"
	     "  web: {image: x, depends_on: [db], networks: [front, back]}\n"
	     "  db: {image: x, network_mode: none}\n"
	     "  sidecar: {image: x, network_mode: \"service:web\"}\n"
	     "networks: {front: {}, back: {}}\n", &p);
	assert_int_equal(project_desired(&p, &st2, &e), 0);
	int n = plan(&p, &st2, have, nhave, 0, a), removed = 0;
	assert_int_equal(n, 6);
	for (int i = 0; i < n; i++) {
		const char *who = a[i].want >= 0 ? st2.specs[a[i].want].name : have[a[i].have].name;
		assert_non_null(strstr(who, "worker"));
		removed += a[i].kind == ACT_REMOVE;
	}
	assert_int_equal(removed, 2);
	project_state_free(&st2);
	compose_free(&p);
	/* scale 2 -> 1 and the sidecar gone: one removal, the orphan only with prune */
	load("services:\n"
	     "  worker: {image: x, depends_on: [web], scale: 1, networks: [back]}\n"
	     "  web: {image: x, depends_on: [db], networks: [front, back]}\n"
	     "  db: {image: x, network_mode: none}\n"
	     "networks: {front: {}, back: {}}\n", &p);
	assert_int_equal(project_desired(&p, &st2, &e), 0);
	n = plan(&p, &st2, have, nhave, 0, a);
	assert_int_equal(n, 1);
	assert_int_equal(a[0].kind, ACT_REMOVE);
	assert_string_equal(have[a[0].have].name, "shop-worker-2");
	assert_string_equal(a[0].why, "scaled down");
	n = plan(&p, &st2, have, nhave, 1, a);
	assert_int_equal(n, 2);
	assert_non_null(strstr(a[0].why, "orphan") ? a[0].why : a[1].why);
	/* a jail of another project holding a wanted name: refused */
	snprintf(have[0].project, sizeof have[0].project, "other");
	assert_int_equal(reconcile_plan(PLAN_DECLARATIVE, st2.want, st2.nwant, have, nhave, a, 64, &e), -1);
	assert_non_null(strstr(e.msg, "not of this project"));
	project_state_free(&st2);
	compose_free(&p);
	project_state_free(&st);
	free(have);
}

static void test_refusals(void **s)
{
	struct compose_project p;
	struct project_state st;
	struct lerr e = { 0 };
	/* a health check reaches the jail's spec (the monitor runs it) */
	load("services:\n  a: {image: x, depends_on: {b: {condition: service_healthy}}}\n  b: {image: x, healthcheck: {test: \"true\", interval: 2s}}\n", &p);
	assert_int_equal(project_desired(&p, &st, &e), 0);
	assert_string_equal(st.specs[0].name, "shop-b-1");
	assert_string_equal(st.specs[0].health.test[1], "true");
	assert_int_equal(st.specs[0].health.interval_ms, 2000);
	project_state_free(&st);
	compose_free(&p);
	/* build: without image: runs PROJECT-SERVICE, built before its create */
	load("services:\n  a: {build: .}\n", &p);
	assert_int_equal(project_desired(&p, &st, &e), 0);
	assert_string_equal(st.specs[0].image, "shop-a");
	assert_string_equal(st.want[0].needs[strv_len(st.want[0].needs) - 1], "build:a");
	project_state_free(&st);
	compose_free(&p);
	load("services:\n  a: {image: x, scale: 2, networks: {n: {ipv4_address: 198.18.0.2}}}\nnetworks: {n: {}}\n", &p);
	assert_int_equal(project_desired(&p, &st, &e), -1);
	assert_non_null(strstr(e.msg, "one replica only"));
	compose_free(&p);
}

static int setup(void **s)
{
	return projdir_setup("/tmp/lochs-project-unit");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_desired),
		cmocka_unit_test(test_plans),
		cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
