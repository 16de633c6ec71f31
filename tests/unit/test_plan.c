/* The reconciler's pure half: run/create flags → spec, config hash, and the
 * plan for desired × observed jails. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "specs/service.h"
#include "reconciler/reconciler.h"
#include "reconciler/specdiff.h"
#include "reconciler/liveness.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

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

/* A small project for the DAG: db, cache (independent), web (after db),
 * worker (after web is healthy), all on network n from image img. */
static struct svc_spec specs[4];
static struct desired want[4];
static struct want_dep web_deps[] = { { "db", 0, 0 } }, worker_deps[] = { { "web", 1, 0 } };

static void project(void)
{
	static const char *const names[] = { "p-db-1", "p-cache-1", "p-web-1", "p-worker-1" };
	static const char *const groups[] = { "db", "cache", "web", "worker" };
	static char *needs[] = { "network:p_n", "image:img", NULL };
	for (int i = 0; i < 4; i++) {
		specs[i] = (struct svc_spec){ .name = (char *)names[i], .image = "img", .network = "p_n" };
		want[i] = (struct desired){ .spec = &specs[i], .state = WANT_RUNNING, .group = groups[i], .needs = needs };
		snprintf(want[i].hash, sizeof want[i].hash, "h%d", i);
	}
	want[2].deps = web_deps, want[2].ndeps = 1;
	want[3].deps = worker_deps, want[3].ndeps = 1;
}

static struct action res(enum act_kind k, const char *key)
{
	struct action a = { .kind = k, .want = -1, .have = -1 };
	snprintf(a.res, sizeof a.res, "%s", key);
	return a;
}

static int find(const struct plan *g, enum act_kind k, int w, int h)
{
	for (int i = 0; i < g->n; i++)
		if (g->a[i].kind == k && (w < 0 || g->a[i].want == w) && (h < 0 || g->a[i].have == h))
			return i;
	fail_msg("no %s action for %d/%d", act_name(k), w, h);
	return -1;
}

/* From nothing: resources, then every create at once, then the starts
 * in depends_on order; worker waits for web to be healthy. */
static void dag_waves(void **state)
{
	(void)state;
	project();
	struct action a[32];
	struct lerr e;
	int n = reconcile_plan(PLAN_DECLARATIVE, want, 4, NULL, 0, a, 30, &e);
	assert_int_equal(n, 8);
	a[n++] = res(ACT_NETWORK, "network:p_n");
	a[n++] = res(ACT_NETWORK, "network:p_m"); /* networks one after the other */
	a[n++] = res(ACT_PULL, "image:img");
	struct plan g;
	assert_int_equal(reconcile_graph(a, n, want, 4, NULL, 0, &g, &e), 0);
	assert_int_equal(g.n, 11);
	assert_int_equal(g.a[8].wave, 1); /* p_n */
	assert_int_equal(g.a[find(&g, ACT_PULL, -1, -1)].wave, 1);
	assert_int_equal(g.a[9].wave, 2); /* p_m after p_n */
	/* The parallel set: all four creates in one wave. */
	for (int w = 0; w < 4; w++)
		assert_int_equal(g.a[find(&g, ACT_CREATE, w, -1)].wave, 2);
	/* db and cache start together; web after db; worker after web. */
	assert_int_equal(g.a[find(&g, ACT_START, 0, -1)].wave, 3);
	assert_int_equal(g.a[find(&g, ACT_START, 1, -1)].wave, 3);
	assert_int_equal(g.a[find(&g, ACT_START, 2, -1)].wave, 4);
	assert_int_equal(g.a[find(&g, ACT_START, 3, -1)].wave, 5);
	assert_int_equal(g.nwaves, 5);
	int healthy = 0;
	for (int k = 0; k < g.nedge; k++)
		if (g.edge[k].to == find(&g, ACT_START, 3, -1) && g.edge[k].from == find(&g, ACT_START, 2, -1)) {
			assert_int_equal(g.edge[k].cond, 1);
			assert_int_equal(g.edge[k].jail, 2);
			healthy = 1;
		}
	assert_true(healthy);
	plan_free(&g);
}

/* A changed web: stop, remove, create, start, one after the other; its
 * running dependency db needs no action, and worker's healthy condition
 * on the unchanged... here: worker's condition on the new web. */
static void dag_recreate(void **state)
{
	(void)state;
	project();
	struct observed_jail have[4];
	for (int i = 0; i < 4; i++)
		have[i] = obs(specs[i].name, want[i].hash, "running");
	strcpy(have[2].config_hash, "old");
	struct action a[32];
	struct lerr e;
	int n = reconcile_plan(PLAN_DECLARATIVE, want, 4, have, 4, a, 32, &e);
	assert_int_equal(n, 3);
	struct plan g;
	assert_int_equal(reconcile_graph(a, n, want, 4, have, 4, &g, &e), 0);
	assert_int_equal(g.n, 4);
	assert_int_equal(g.a[find(&g, ACT_STOP, -1, 2)].wave, 1);
	assert_int_equal(g.a[find(&g, ACT_REMOVE, -1, 2)].wave, 2);
	assert_int_equal(g.a[find(&g, ACT_CREATE, 2, -1)].wave, 3);
	assert_int_equal(g.a[find(&g, ACT_START, 2, -1)].wave, 4);
	plan_free(&g);
	/* Only worker changed: its start still waits for web to be healthy
	 * (an edge from no action), and nothing else is touched. */
	strcpy(have[2].config_hash, want[2].hash);
	strcpy(have[3].config_hash, "old");
	n = reconcile_plan(PLAN_DECLARATIVE, want, 4, have, 4, a, 32, &e);
	assert_int_equal(reconcile_graph(a, n, want, 4, have, 4, &g, &e), 0);
	int go = find(&g, ACT_START, 3, -1), gated = 0;
	for (int k = 0; k < g.nedge; k++)
		gated |= g.edge[k].to == go && g.edge[k].from == -1 && g.edge[k].cond == 1 && g.edge[k].jail == 2;
	assert_true(gated);
	plan_free(&g);
}

/* depends_on restart: true: web (unchanged) is stopped and started again
 * after its dependency db is recreated; worker (no restart) is left. */
static void dag_restart(void **state)
{
	(void)state;
	project();
	web_deps[0].restart = 1;
	struct observed_jail have[4];
	for (int i = 0; i < 4; i++)
		have[i] = obs(specs[i].name, want[i].hash, "running");
	strcpy(have[0].config_hash, "old");
	struct action a[32];
	struct lerr e;
	int n = reconcile_plan(PLAN_DECLARATIVE, want, 4, have, 4, a, 32, &e);
	assert_int_equal(n, 3);
	n = plan_restarts(want, 4, have, 4, a, n, 32);
	assert_int_equal(n, 5);
	struct plan g;
	assert_int_equal(reconcile_graph(a, n, want, 4, have, 4, &g, &e), 0);
	assert_int_equal(g.a[find(&g, ACT_START, 0, -1)].wave, 4);
	assert_int_equal(g.a[find(&g, ACT_STOP, 2, 2)].wave, 5);
	assert_int_equal(g.a[find(&g, ACT_START, 2, 2)].wave, 6);
	for (int i = 0; i < g.n; i++)
		assert_int_not_equal(g.a[i].want, 3);
	plan_free(&g);
	/* Without restart: nothing for web. */
	web_deps[0].restart = 0;
	n = reconcile_plan(PLAN_DECLARATIVE, want, 4, have, 4, a, 32, &e);
	assert_int_equal(plan_restarts(want, 4, have, 4, a, n, 32), 3);
}

/* network_mode service:db: created after db started. */
static void dag_container_net(void **state)
{
	(void)state;
	project();
	specs[1].network = "container:p-db-1";
	struct action a[32];
	struct lerr e;
	int n = reconcile_plan(PLAN_DECLARATIVE, want, 4, NULL, 0, a, 32, &e);
	struct plan g;
	assert_int_equal(reconcile_graph(a, n, want, 4, NULL, 0, &g, &e), 0);
	assert_true(g.a[find(&g, ACT_CREATE, 1, -1)].wave > g.a[find(&g, ACT_START, 0, -1)].wave);
	plan_free(&g);
}

/* The pool: a create that keeps failing is tried `attempts` times and its
 * start is skipped; the independent rest runs, a start gets its create's
 * id. The fake workers write what they did to a file. */
static char journal[64];

static int fake_run(void *ctx, const struct action *a, char id[65], struct lerr *e)
{
	(void)ctx;
	int fd = open(journal, O_WRONLY | O_APPEND);
	dprintf(fd, "%s %d %s\n", act_name(a->kind), a->want, id);
	close(fd);
	if (a->kind == ACT_CREATE && a->want == 0)
		return lerr_set(e, LX_LOCHS, "no space");
	if (a->kind == ACT_CREATE)
		snprintf(id, 65, "id%d", a->want);
	return 0;
}

static int fake_check(void *ctx, const char *jail, int cond, long long waited, struct lerr *e)
{
	(void)ctx, (void)jail, (void)cond, (void)waited, (void)e;
	return 1;
}

static void pool_failures(void **state)
{
	(void)state;
	project();
	struct action a[32];
	struct lerr e = { 0 };
	int n = reconcile_plan(PLAN_DECLARATIVE, want, 4, NULL, 0, a, 32, &e);
	struct plan g;
	assert_int_equal(reconcile_graph(a, n, want, 4, NULL, 0, &g, &e), 0);
	strcpy(journal, "/tmp/test_plan.XXXXXX");
	close(mkstemp(journal));
	const struct pool_ops ops = { NULL, NULL, fake_run, fake_check };
	const struct pool_opts o = { .workers = 3, .attempts = 2, .wait_ms = 1000, .quiet = 1 };
	char ids[4][65] = { "" };
	assert_int_equal(reconcile_run(&g, want, NULL, &ops, &o, ids, &e), -1);
	assert_string_equal(e.msg, "create p-db-1: no space");
	FILE *f = fopen(journal, "r");
	char line[200];
	int db_creates = 0, cache_start = 0, web_start = 0;
	while (fgets(line, sizeof line, f)) {
		db_creates += !strcmp(line, "create 0 \n");
		cache_start += !strcmp(line, "start 1 id1\n");
		web_start += !strncmp(line, "start 2", 7) || !strncmp(line, "start 3", 7);
	}
	fclose(f);
	unlink(journal);
	assert_int_equal(db_creates, 2);  /* tried again once */
	assert_int_equal(cache_start, 1); /* independent: done, with its id */
	assert_int_equal(web_start, 0);   /* db's dependants skipped */
	assert_string_equal(ids[1], "id1");
	plan_free(&g);
}

static void diff_fields(void **state)
{
	(void)state;
	json_t *a = json_pack("{s:s, s:s, s:[s, s], s:[s]}", "name", "x-1", "image", "img:1", "env", "FOO=a", "KEEP=1",
			      "ports", "80:80");
	json_t *b = json_pack("{s:s, s:s, s:[s, s, s], s:[s]}", "name", "x-2", "image", "img:2", "env", "FOO=b", "KEEP=1",
			      "NEW=x", "ports", "80:80");
	char out[300];
	assert_int_equal(spec_diff(a, b, out, sizeof out), 3);
	assert_string_equal(out, "image \"img:1\" -> \"img:2\", environment.FOO \"a\" -> \"b\", environment.NEW (unset) -> \"x\"");
	assert_int_equal(spec_diff(a, a, out, sizeof out), 0);
	json_decref(a), json_decref(b);
}

/* The imperative commands on an existing jail: each state reached from
 * the observed one, a user's stop recorded on a stopped jail, nothing
 * for what already is, an unknown name refused. */
static void existing(void **state)
{
	(void)state;
	struct svc_spec s = { .name = "j" };
	struct observed_jail up = obs("j", "h", "running"), down = obs("j", "h", "exited");
	struct observed_jail told = down;
	told.stopped_by_user = 1;
	struct action a[8];
	struct lerr e;
	struct { enum want_state st; int again, sig; const struct observed_jail *have; int n; enum act_kind k0, k1; } c[] = {
		{ WANT_RUNNING, 0, 0, &down, 1, ACT_START, 0 },  /* start */
		{ WANT_RUNNING, 0, 0, &up, 0, 0, 0 },            /* start, running already */
		{ WANT_RUNNING, 1, 0, &up, 2, ACT_STOP, ACT_START }, /* restart */
		{ WANT_RUNNING, 1, 0, &down, 1, ACT_START, 0 },  /* restart of a stopped one */
		{ WANT_STOPPED, 0, 0, &up, 1, ACT_STOP, 0 },
		{ WANT_STOPPED, 0, 0, &down, 1, ACT_STOP, 0 },   /* records the user's stop */
		{ WANT_STOPPED, 0, 0, &told, 0, 0, 0 },
		{ WANT_ABSENT, 0, 0, &up, 1, ACT_REMOVE, 0 },    /* rm decides about -f */
		{ WANT_RUNNING, 0, 1, &down, 1, ACT_SIGNAL, 0 }, /* kill: the signal decides */
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		struct desired w = { .spec = &s, .state = c[i].st, .again = c[i].again, .signal = c[i].sig };
		int n = reconcile_plan(PLAN_EXISTING, &w, 1, c[i].have, 1, a, 8, &e);
		assert_int_equal(n, c[i].n);
		if (n > 0)
			assert_int_equal(a[0].kind, c[i].k0), assert_int_equal(a[0].have, 0);
		if (n > 1)
			assert_int_equal(a[1].kind, c[i].k1), assert_int_equal(a[1].have, 0);
	}
	struct desired w = { .spec = &(struct svc_spec){ .name = "nope" }, .state = WANT_STOPPED };
	assert_int_equal(reconcile_plan(PLAN_EXISTING, &w, 1, &up, 1, a, 8, &e), -1);
	assert_string_equal(e.msg, "no such jail: nope");
}

/* down: app -> api -> db (depends_on), two api replicas, a stopped
 * jail and one of a service nobody depends on: the stops go dependants
 * first (app, then both api, then db), the independent one and the
 * stopped jail's removal at once. */
static void teardown(void **state)
{
	(void)state;
	struct observed_jail have[6] = { obs("p-db-1", "h", "running"), obs("p-api-1", "h", "running"),
					 obs("p-api-2", "h", "running"), obs("p-app-1", "h", "running"),
					 obs("p-solo-1", "h", "running"), obs("p-app-2", "h", "exited") };
	const char *svc[] = { "db", "api", "api", "app", "solo", "app" };
	for (int i = 0; i < 6; i++)
		strcpy(have[i].service, svc[i]);
	const struct svc_dep deps[] = { { "app", "api" }, { "api", "db" }, { "api", "gone" } };
	struct plan g;
	struct lerr e;
	assert_int_equal(reconcile_teardown(have, 6, deps, 3, &g, &e), 0);
	assert_int_equal(g.n, 11); /* 6 removals, 5 stops */
	assert_int_equal(g.a[find(&g, ACT_STOP, -1, 3)].wave, 1);
	assert_int_equal(g.a[find(&g, ACT_STOP, -1, 1)].wave, 2);
	assert_int_equal(g.a[find(&g, ACT_STOP, -1, 2)].wave, 2);
	assert_int_equal(g.a[find(&g, ACT_STOP, -1, 0)].wave, 3);
	assert_int_equal(g.a[find(&g, ACT_REMOVE, -1, 0)].wave, 4);
	assert_int_equal(g.a[find(&g, ACT_STOP, -1, 4)].wave, 1);
	assert_int_equal(g.a[find(&g, ACT_REMOVE, -1, 5)].wave, 1);
	assert_int_equal(g.nwaves, 4);
	plan_free(&g);
	/* Without dependencies: every stop at once. */
	assert_int_equal(reconcile_teardown(have, 6, NULL, 0, &g, &e), 0);
	assert_int_equal(g.nwaves, 2);
	plan_free(&g);
}

/* A running record checked against the kernel's facts: each fact that
 * breaks the jail is named; a reused pid (not the monitor's child, or in
 * another cgroup) is not the jail's. */
static void liveness(void **state)
{
	(void)state;
	const char *id = "abc123";
	const char *v1 = "9:name=systemd:/\n8:pids:/lochs/abc123\n4:memory:/lochs/abc123\n1:cpu:/\n0::/\n";
	const char *v1_nopids = "8:pids:/\n4:memory:/lochs/abc123\n0::/\n";
	const char *v1_other = "8:pids:/lochs/abc1234\n4:memory:/lochs/abc1234\n0::/\n";
	const char *v2 = "0::/lochs/abc123\n";
	const char *v2_host = "0::/user.slice\n";
	const char *joint = "5:memory,pids:/lochs/abc123\n";
	assert_true(jail_cgroup_member(v1, id));
	assert_false(jail_cgroup_member(v1_nopids, id));
	assert_false(jail_cgroup_member(v1_other, id));
	assert_true(jail_cgroup_member(v2, id));
	assert_false(jail_cgroup_member(v2_host, id));
	assert_true(jail_cgroup_member(joint, id));
	assert_false(jail_cgroup_member("", id));

	char why[160];
	struct jail_facts ok = { .pid_alive = 1, .ppid = 70, .monitor_pid = 70, .cgroups = v1, .id = id };
	assert_null(jail_broken(&ok, why, sizeof why));
	/* pid 1 ended or its pid reused: its running monitor records that
	 * (after draining the output); a stopped one cannot. */
	struct jail_facts f = ok;
	f.pid_alive = 0;
	assert_null(jail_broken(&f, why, sizeof why));
	f.monitor_stopped = 1;
	assert_string_equal(jail_broken(&f, why, sizeof why), "its pid 1 is gone (its monitor is stopped)");
	f = ok, f.ppid = 1;
	assert_null(jail_broken(&f, why, sizeof why));
	f.monitor_stopped = 1;
	assert_non_null(strstr(jail_broken(&f, why, sizeof why), "another process"));
	/* what is gone under a live pid 1 counts whatever the monitor does */
	f = ok, f.cgroups = v1_nopids, f.monitor_stopped = 0;
	assert_non_null(jail_broken(&f, why, sizeof why));
	f = ok, f.cgroups = v1_nopids;
	assert_non_null(strstr(jail_broken(&f, why, sizeof why), "cgroups are gone"));
	f = ok, f.cgroups = NULL;
	assert_non_null(jail_broken(&f, why, sizeof why));
	f = ok, f.netns_shared = 1;
	assert_string_equal(jail_broken(&f, why, sizeof why), "its network namespace is gone");
	f.host_network = 1; /* network_mode host shares it on purpose */
	assert_null(jail_broken(&f, why, sizeof why));
	f = ok, f.root_shared = 1;
	assert_string_equal(jail_broken(&f, why, sizeof why), "its root filesystem is not mounted");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(flags_to_spec),
		cmocka_unit_test(bad_flags),
		cmocka_unit_test(hash_ignores_name),
		cmocka_unit_test(plans),
		cmocka_unit_test(dag_waves),
		cmocka_unit_test(dag_recreate),
		cmocka_unit_test(dag_restart),
		cmocka_unit_test(dag_container_net),
		cmocka_unit_test(pool_failures),
		cmocka_unit_test(diff_fields),
		cmocka_unit_test(liveness),
		cmocka_unit_test(teardown),
		cmocka_unit_test(existing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
