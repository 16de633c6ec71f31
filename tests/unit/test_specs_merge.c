/* Several lochs.yml files into one project: -f files merged by the
 * Compose merge rules, include: (short and long form) and profiles. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "projdir.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "specs/compose.h"
#include "strvtest.h"

static char *path_of(const char *name)
{
	static char p[4][256];
	static int k;
	k = (k + 1) % 4;
	snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
	return p[k];
}

static void write_file(const char *name, const char *text)
{
	FILE *f = fopen(path_of(name), "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Loads the files named (NULL-terminated, in dir) with profiles, named
 * services and env. */
static int load(const char *const *names, char **profiles, char **named, char **env, struct compose_project *p,
		struct lerr *e)
{
	char *files[8] = { 0 };
	for (int i = 0; names[i]; i++)
		files[i] = strdup(path_of(names[i]));
	struct compose_opts o = { .files = files, .profiles = profiles, .named = named, .env = env };
	int rc = compose_load_opts(&o, p, e);
	for (int i = 0; files[i]; i++)
		free(files[i]);
	return rc;
}

static void must_load(const char *const *names, char **profiles, char **named, char **env, struct compose_project *p)
{
	struct lerr e = { 0 };
	char *none[] = { NULL };
	if (load(names, profiles, named, env ? env : none, p, &e) < 0)
		fail_msg("%s", e.msg);
}

static void fails(const char *const *names, char **profiles, const char *want)
{
	struct compose_project p;
	struct lerr e = { 0 };
	char *none[] = { NULL };
	assert_int_equal(load(names, profiles, NULL, none, &p, &e), -1);
	if (!strstr(e.msg, want))
		fail_msg("error\n  %s\nlacks\n  %s", e.msg, want);
}

static const char base[] =
	"x-env: &env {SHARED: base}\n"
	"services:\n"
	"  web:\n"
	"    image: freebsd:14.3\n"
	"    command: [httpd, -p, \"80\"]\n"
	"    environment: [A=1, B=2]\n"
	"    ports: [\"8080:80\", \"9090:90\"]\n"
	"    volumes: [\"./www:/www:ro\", \"data:/var/db\"]\n"
	"    labels: {tier: web}\n"
	"    depends_on: [db]\n"
	"    cap_add: [NET_ADMIN]\n"
	"    healthcheck: {test: [CMD, check], retries: 2}\n"
	"  db:\n"
	"    image: freebsd:14.3\n"
	"    environment: *env\n"
	"    hostname: db\n"
	"  cache:\n"
	"    image: freebsd:14.3\n"
	"    environment: *env\n"
	"volumes: {data: {}}\n";

static const char over[] =
	"services:\n"
	"  web:\n"
	"    image: freebsd:15.0\n"
	"    command: [httpd, -p, \"8080\"]\n"
	"    environment: {B: two, C: \"3\"}\n"
	"    ports: [\"8080:80\", \"7070:70\"]\n"
	"    volumes: [\"other:/var/db\"]\n"
	"    labels: [extra=yes]\n"
	"    depends_on: {cache: {condition: service_started}}\n"
	"    cap_add: [NET_ADMIN, SYS_PTRACE]\n"
	"    healthcheck: {test: [CMD, other]}\n"
	"  db:\n"
	"    environment: {SHARED: db-only}\n"
	"    hostname: !reset null\n"
	"  extra:\n"
	"    image: freebsd:14.3\n"
	"volumes: {other: {}}\n";

static void test_merge(void **s)
{
	struct compose_project p;
	write_file("base.yml", base);
	write_file("over.yml", over);
	const char *names[] = { "base.yml", "over.yml", NULL };
	must_load(names, NULL, NULL, NULL, &p);
	assert_int_equal(p.nsvcs, 4);
	struct compose_service *w = compose_service(&p, "web"), *db = compose_service(&p, "db"), *c = compose_service(&p, "cache");
	assert_non_null(compose_service(&p, "extra"));
	/* scalars and command: the later file's */
	assert_string_equal(w->spec.image, "freebsd:15.0");
	assert_string_equal(w->spec.command[2], "8080");
	assert_int_equal(count(w->spec.command), 3);
	/* environment: merged by variable, the later value wins */
	assert_true(has(w->spec.env, "A=1"));
	assert_true(has(w->spec.env, "B=two"));
	assert_true(has(w->spec.env, "C=3"));
	assert_false(has(w->spec.env, "B=2"));
	/* ports: one of the same port, new ones appended */
	assert_int_equal(count(w->spec.ports), 3);
	assert_string_equal(w->spec.ports[0], "8080:80");
	assert_string_equal(w->spec.ports[1], "9090:90");
	assert_string_equal(w->spec.ports[2], "7070:70");
	/* volumes: the same target replaced in place */
	assert_int_equal(w->spec.nmounts, 2);
	assert_string_equal(w->spec.mounts[1].target, "/var/db");
	char other[200];
	snprintf(other, sizeof other, "%s_other", p.name);
	assert_string_equal(w->spec.mounts[1].source, other);
	/* labels: list and mapping merged */
	assert_true(has(w->spec.labels, "tier=web"));
	assert_true(has(w->spec.labels, "extra=yes"));
	/* depends_on: names and mapping merged */
	assert_int_equal(w->ndeps, 2);
	/* other sequences appended, without repeats */
	assert_int_equal(count(w->spec.cap_add), 2);
	/* healthcheck test replaced, its other keys kept */
	assert_string_equal(w->health.test[1], "other");
	assert_int_equal(count(w->health.test), 2);
	assert_int_equal(w->health.retries, 2);
	/* an anchor shared by two services: only db's is overridden */
	assert_true(has(db->spec.env, "SHARED=db-only"));
	assert_true(has(c->spec.env, "SHARED=base"));
	/* !reset drops the key */
	assert_null(db->spec.hostname);
	assert_int_equal(count(p.files), 2);
	compose_free(&p);
}

/* !override replaces a list whole; networks as a list and a mapping. */
static void test_merge_tags(void **s)
{
	struct compose_project p;
	write_file("t1.yml", "services:\n  a: {image: x, ports: [\"1:1\", \"2:2\"], networks: [n1]}\nnetworks: {n1: {}, n2: {}}\n");
	write_file("t2.yml", "services:\n  a:\n    ports: !override [\"3:3\"]\n    networks: {n2: {aliases: [two]}}\n");
	const char *names[] = { "t1.yml", "t2.yml", NULL };
	must_load(names, NULL, NULL, NULL, &p);
	assert_int_equal(count(p.svcs[0].spec.ports), 1);
	assert_string_equal(p.svcs[0].spec.ports[0], "3:3");
	assert_int_equal(count(p.svcs[0].networks), 2);
	assert_string_equal(p.svcs[0].networks[1], "n2");
	assert_string_equal(p.svcs[0].net_opts[1].aliases[0], "two");
	compose_free(&p);
	/* a second file that is not a mapping */
	write_file("list.yml", "- a\n- b\n");
	const char *bad[] = { "t1.yml", "list.yml", NULL };
	char want[300];
	snprintf(want, sizeof want, "%s:1:1: a Compose file is a mapping", path_of("list.yml"));
	fails(bad, NULL, want);
}

static void test_merge_errors(void **s)
{
	write_file("base.yml", base);
	/* a bad value from the second file is named with that file's line */
	write_file("bad.yml", "services:\n  web:\n    restart: sometimes\n");
	const char *names[] = { "base.yml", "bad.yml", NULL };
	char want[300];
	snprintf(want, sizeof want, "%s:3:14: services.web.restart:", path_of("bad.yml"));
	fails(names, NULL, want);
	/* an override alone need not be a whole service, but the result must */
	write_file("half.yml", "services:\n  lone:\n    hostname: x\n");
	const char *half[] = { "base.yml", "half.yml", NULL };
	snprintf(want, sizeof want, "%s:3:5: services.lone: image or build is required", path_of("half.yml"));
	fails(half, NULL, want);
	const char *missing[] = { "base.yml", "nope.yml", NULL };
	snprintf(want, sizeof want, "%s: No such file or directory", path_of("nope.yml"));
	fails(missing, NULL, want);
}

static void test_include(void **s)
{
	struct compose_project p;
	char sub[300];
	snprintf(sub, sizeof sub, "%s/sub", dir);
	mkdir(sub, 0755);
	write_file("sub/db.yml", "services:\n  db:\n    image: \"freebsd:${DB_TAG}\"\n    volumes: [\"./data:/data\"]\n"
				 "networks: {back: {}}\n");
	write_file("sub/db.env", "DB_TAG=14.3\n");
	write_file("sub/cache.yml", "services:\n  cache: {image: freebsd:14.3, networks: [back]}\nnetworks: {back: {}}\n");
	write_file("top.yml", "include:\n"
			      "  - sub/cache.yml\n"
			      "  - path: [sub/db.yml]\n"
			      "    env_file: sub/db.env\n"
			      "services:\n"
			      "  web: {image: freebsd:14.3, depends_on: [db, cache], networks: [back]}\n");
	const char *names[] = { "top.yml", NULL };
	must_load(names, NULL, NULL, NULL, &p);
	assert_int_equal(p.nsvcs, 3);
	struct compose_service *db = compose_service(&p, "db");
	assert_non_null(db);
	assert_string_equal(db->spec.image, "freebsd:14.3");
	/* its paths are its own folder's, its project the including one's */
	char data[400];
	snprintf(data, sizeof data, "%s/data", sub);
	assert_string_equal(db->spec.mounts[0].source, data);
	assert_string_equal(db->spec.project, p.name);
	assert_int_equal(p.nnets, 1);
	assert_int_equal(count(p.files), 3);
	compose_free(&p);

	/* project_directory: relative paths there */
	write_file("pd.yml", "include:\n  - path: sub/db.yml\n    project_directory: elsewhere\n    env_file: sub/db.env\n"
			     "services: {}\n");
	const char *pd[] = { "pd.yml", NULL };
	must_load(pd, NULL, NULL, NULL, &p);
	snprintf(data, sizeof data, "%s/elsewhere/data", dir);
	assert_string_equal(p.svcs[0].spec.mounts[0].source, data);
	compose_free(&p);
}

static void test_include_errors(void **s)
{
	char want[400];
	mkdir(path_of("sub"), 0755);
	write_file("sub/web.yml", "services:\n  web: {image: freebsd:14.3}\n");
	write_file("clash.yml", "include: [sub/web.yml]\nservices:\n  web: {image: x}\n");
	const char *clash[] = { "clash.yml", NULL };
	snprintf(want, sizeof want, "%s:1:11: include: service web is defined in both %s and %s", path_of("clash.yml"),
		 path_of("clash.yml"), path_of("sub/web.yml"));
	fails(clash, NULL, want);
	write_file("gone.yml", "include: [sub/gone.yml]\nservices: {}\n");
	const char *gone[] = { "gone.yml", NULL };
	snprintf(want, sizeof want, "%s:1:11: include: %s: No such file or directory", path_of("gone.yml"), path_of("sub/gone.yml"));
	fails(gone, NULL, want);
	write_file("loop.yml", "include: [loop.yml]\nservices: {}\n");
	const char *loop[] = { "loop.yml", NULL };
	fails(loop, NULL, "include: nested too deep (does a file include itself?)");
	write_file("badinc.yml", "include:\n  - {file: x.yml}\nservices: {}\n");
	const char *bad[] = { "badinc.yml", NULL };
	snprintf(want, sizeof want, "%s:2:6: include: unknown key `file`", path_of("badinc.yml"));
	fails(bad, NULL, want);
}

static const char profiled[] =
	"services:\n"
	"  web: {image: x}\n"
	"  debug: {image: x, profiles: [debug]}\n"
	"  tools: {image: x, profiles: [tools, ops]}\n"
	"  uses: {image: x, profiles: [ops], depends_on: {debug: {condition: service_started, required: false}}}\n";

static void test_profiles(void **s)
{
	struct compose_project p;
	write_file("prof.yml", profiled);
	const char *names[] = { "prof.yml", NULL };
	must_load(names, NULL, NULL, NULL, &p);
	assert_int_equal(p.nsvcs, 1);
	assert_string_equal(p.svcs[0].name, "web");
	compose_free(&p);
	char *debug[] = { "debug", NULL };
	must_load(names, debug, NULL, NULL, &p);
	assert_int_equal(p.nsvcs, 2);
	assert_non_null(compose_service(&p, "debug"));
	compose_free(&p);
	/* COMPOSE_PROFILES, comma-separated; an optional dependency left out is fine */
	char *env[] = { "COMPOSE_PROFILES=tools,ops", NULL };
	must_load(names, NULL, NULL, env, &p);
	assert_int_equal(p.nsvcs, 3);
	assert_null(compose_service(&p, "debug"));
	compose_free(&p);
	/* a service named on the command line is enabled */
	char *named[] = { "tools", NULL };
	must_load(names, NULL, named, NULL, &p);
	assert_int_equal(p.nsvcs, 2);
	assert_non_null(compose_service(&p, "tools"));
	compose_free(&p);
	char *all[] = { "*", NULL };
	must_load(names, all, NULL, NULL, &p);
	assert_int_equal(p.nsvcs, 4);
	compose_free(&p);
}

static void test_profile_errors(void **s)
{
	write_file("dep.yml", "services:\n  web: {image: x, depends_on: [debug]}\n  debug: {image: x, profiles: [debug]}\n");
	const char *names[] = { "dep.yml", NULL };
	char want[300];
	snprintf(want, sizeof want, "%s:2:32: services.web.depends_on: service debug is not enabled (profiles: debug; use --profile debug)",
		 path_of("dep.yml"));
	fails(names, NULL, want);
}

static void test_opt_args(void **s)
{
	struct compose_opts o = { 0 };
	struct lerr e = { 0 };
	char *argv[] = { "apply", "-f", "a.yml", "--file=b.yml", "-p", "shop", "--profile", "debug", "--prune", "-f", NULL };
	int argc = 10, i = 1;
	for (; i < 8; i++)
		assert_int_equal(compose_opt_arg(&o, argc, argv, &i, &e), 1);
	assert_int_equal(compose_opt_arg(&o, argc, argv, &i, &e), 0); /* --prune is not ours */
	i++;
	assert_int_equal(compose_opt_arg(&o, argc, argv, &i, &e), -1);
	assert_string_equal(e.msg, "-f needs a value");
	assert_string_equal(o.files[0], "a.yml");
	assert_string_equal(o.files[1], "b.yml");
	assert_string_equal(o.project, "shop");
	assert_string_equal(o.profiles[0], "debug");
	compose_opts_free(&o);
}

static int setup(void **s)
{
	return projdir_setup("/tmp/lochs-merge-unit");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merge),    cmocka_unit_test(test_merge_tags), cmocka_unit_test(test_merge_errors), cmocka_unit_test(test_include),
		cmocka_unit_test(test_include_errors), cmocka_unit_test(test_profiles), cmocka_unit_test(test_profile_errors),
		cmocka_unit_test(test_opt_args),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
