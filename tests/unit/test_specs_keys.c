/* Each lochs.yml key into the project model (the service keys issue 6
 * lists that test_specs_compose's full example leaves out), and each
 * reader's errors with their FILE:LINE:COLUMN and cause. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "projdir.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "specs/compose.h"
#include "strvtest.h"
#include "specs/compose_emit.h"
#include "reconciler/specdiff.h"

static int load(const char *text, char **env, struct compose_project *p, struct lerr *e)
{
	FILE *f = fopen(file, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	char *all[] = { "COMPOSE_PROFILES=*", NULL }; /* services with profiles too */
	return compose_load(file, NULL, env ? env : all, p, e);
}

static int failed;

/* The error of text: FILE + where + msg, exactly (all are checked, then
 * the test fails if one differed). */
static void fails_with(const char *text, const char *where, const char *msg)
{
	struct compose_project p;
	struct lerr e = { 0 };
	assert_int_equal(load(text, NULL, &p, &e), -1);
	char want[700];
	snprintf(want, sizeof want, "%s%s%s", file, where, msg);
	if (strcmp(e.msg, want))
		fprintf(stderr, "MISMATCH\n  %s\nwant\n  %s\n", e.msg, want), failed = 1;
}

static const char keys[] =
	"services:\n"
	"  app:\n"
	"    build: {context: ./src, dockerfile: Lochfile, target: prod, args: {V: \"1\"}}\n"
	"    image: freebsd:14.3\n"
	"    entrypoint: [/bin/sh, -c]\n"
	"    command: echo hi\n"
	"    expose: [\"8080\", 9000-9001/udp]\n"
	"    tmpfs: [/run:size=1m, /tmp]\n"
	"    networks: {n6: {ipv6_address: \"fd00::7\"}}\n"
	"    depends_on: {db: {condition: service_completed_successfully, restart: true, required: false}}\n"
	"    deploy: {restart_policy: {condition: on-failure, max_attempts: 4, delay: 5s, window: 1m}}\n"
	"    profiles: [debug, ops]\n"
	"    working_dir: /srv\n"
	"    read_only: true\n"
	"    cap_add: [NET_ADMIN, cap_sys_ptrace]\n"
	"    cap_drop: [ALL]\n"
	"    secrets: [s1, {source: s2, target: token, uid: \"103\", gid: \"104\", mode: 0440}]\n"
	"    configs: [c1, {source: c2, target: /etc/app.conf, mode: 0o600}]\n"
	"    stop_signal: SIGINT\n"
	"    stop_grace_period: 1m30s\n"
	"    init: true\n"
	"    x-note: ignored\n"
	"    hostname: apphost\n"
	"    user: \"1000:1000\"\n"
	"    labels: [a=b]\n"
	"    container_name: the-app\n"
	"    privileged: true\n"
	"    dns: 198.18.0.53\n"
	"    mem_limit: 32m\n"
	"    cpus: 1.5\n"
	"    cpu_shares: 512\n"
	"    pids_limit: 40\n"
	"    tty: true\n"
	"    stdin_open: true\n"
	"    platform: freebsd/amd64\n"
	"  db:\n"
	"    image: freebsd:14.3\n"
	"    ip4_addr: 198.18.9.9\n"
	"    scale: 3\n"
	"    profiles: [debug]\n"
	"  host:\n"
	"    image: freebsd:14.3\n"
	"    network_mode: host\n"
	"networks:\n"
	"  n6: {enable_ipv6: true, labels: {k: v}, driver: bridge, attachable: true}\n"
	"volumes:\n"
	"  data: {external: true, labels: [x=y], name: data, driver_opts: {}}\n"
	"secrets:\n"
	"  s1: {file: ./s1.txt}\n"
	"  s2: {environment: S2_VALUE}\n"
	"configs:\n"
	"  c1: {file: /etc/c1.conf}\n"
	"  c2: {content: \"line one\\nline two\\n\"}\n"
	"  c3: {external: true}\n";

static void test_keys(void **s)
{
	struct compose_project p;
	struct lerr e = { 0 };
	char *env[] = { "S2_VALUE=from-env", "COMPOSE_PROFILES=debug", NULL };
	if (load(keys, env, &p, &e) < 0)
		fail_msg("%s", e.msg);
	struct compose_service *a = compose_service(&p, "app"), *db = compose_service(&p, "db"), *h = compose_service(&p, "host");
	assert_non_null(a);
	assert_string_equal(a->build_context, "./src");
	assert_string_equal(a->build_dockerfile, "Lochfile");
	assert_string_equal(a->build_target, "prod");
	assert_string_equal(a->build_args[0], "V=1");
	assert_string_equal(a->spec.entrypoint[1], "-c");
	assert_int_equal(count(a->spec.command), 2);
	assert_string_equal(a->spec.expose[1], "9000-9001/udp");
	/* tmpfs, then the secrets' and configs' files */
	assert_int_equal(a->spec.nmounts, 6);
	assert_string_equal(a->spec.mounts[0].type, "tmpfs");
	assert_string_equal(a->spec.mounts[0].options, "size=1m");
	assert_string_equal(a->spec.mounts[1].target, "/tmp");
	assert_string_equal(a->spec.ip6, "fd00::7");
	assert_int_equal(a->deps[0].condition, DEP_COMPLETED);
	assert_true(a->deps[0].restart);
	assert_false(a->deps[0].required);
	assert_int_equal(a->spec.restart, RESTART_ON_FAILURE);
	assert_int_equal(a->spec.restart_max, 4);
	assert_string_equal(a->profiles[1], "ops");
	assert_string_equal(a->spec.workdir, "/srv");
	assert_true(a->spec.read_only);
	assert_string_equal(a->spec.cap_add[1], "cap_sys_ptrace");
	assert_string_equal(a->spec.cap_drop[0], "ALL");
	/* secrets and configs: the references and their files in the jail */
	assert_int_equal(a->nsecrets, 2);
	assert_string_equal(a->secrets[1].target, "token");
	assert_string_equal(a->secrets[1].uid, "103");
	assert_int_equal(a->secrets[1].mode, 0440);
	assert_int_equal(a->secrets[0].mode, -1);
	assert_int_equal(a->configs[1].mode, 0600);
	assert_int_equal(a->nfilemounts, 4);
	const struct svc_mount *m = &a->spec.mounts[2];
	char s1[200];
	snprintf(s1, sizeof s1, "%s/s1.txt", p.dir);
	assert_string_equal(m[0].target, "/run/secrets/s1");
	assert_string_equal(m[0].source, s1);
	assert_true(m[0].readonly);
	assert_null(m[0].content);
	assert_string_equal(m[1].target, "/run/secrets/token");
	assert_null(m[1].source);
	assert_string_equal(m[1].content, "from-env");
	assert_int_equal(m[1].mode, 0440);
	assert_int_equal(m[1].uid, 103);
	assert_int_equal(m[1].gid, 104);
	assert_string_equal(m[2].target, "/c1");
	assert_string_equal(m[2].source, "/etc/c1.conf");
	assert_string_equal(m[3].target, "/etc/app.conf");
	assert_string_equal(m[3].content, "line one\nline two\n");
	assert_string_equal(a->spec.stop_signal, "SIGINT");
	assert_int_equal(a->spec.stop_grace_ms, 90000);
	assert_true(a->spec.init);
	assert_string_equal(a->spec.hostname, "apphost");
	assert_string_equal(a->spec.user, "1000:1000");
	assert_string_equal(a->spec.labels[0], "a=b");
	assert_string_equal(a->spec.name, "the-app");
	assert_true(a->spec.privileged);
	assert_string_equal(a->spec.dns[0], "198.18.0.53");
	assert_int_equal(a->spec.memory, 32LL << 20);
	assert_true(a->spec.cpus > 1.49 && a->spec.cpus < 1.51);
	assert_int_equal(a->spec.cpu_shares, 512);
	assert_int_equal(a->spec.pids_limit, 40);
	assert_true(a->spec.tty);
	assert_true(a->spec.interactive);
	assert_string_equal(db->spec.ip, "198.18.9.9");
	assert_int_equal(db->replicas, 3);
	assert_string_equal(h->spec.network, "host");
	/* top level */
	assert_true(p.nets[0].ipv6);
	assert_string_equal(p.nets[0].labels[0], "k=v");
	assert_true(p.vols[0].external);
	assert_string_equal(p.vols[0].labels[0], "x=y");
	assert_int_equal(p.nsecrets, 2);
	assert_string_equal(p.secrets[1].environment, "S2_VALUE");
	assert_string_equal(p.secrets[1].value, "from-env");
	assert_int_equal(p.nconfigs, 3);
	assert_true(p.configs[2].external);
	compose_free(&p);
}

/* What the hash leaves out (scale, depends_on, profiles, build) and what
 * it takes (stop_signal, a secret's content). */
static void test_hash(void **s)
{
	struct compose_project p, q;
	struct lerr e = { 0 };
	char h1[65], h2[65];
	assert_int_equal(load("services:\n  a: {image: x, command: [sleep, \"9\"]}\n  b: {image: x}\n", NULL, &p, &e), 0);
	assert_int_equal(load("services:\n  a: {image: x, command: [sleep, \"9\"], scale: 2, depends_on: [b], profiles: [p],"
			      " build: ./ctx}\n  b: {image: x}\nx-any: 1\n",
			      NULL, &q, &e),
			 0);
	svc_config_hash(&compose_service(&p, "a")->spec, h1);
	svc_config_hash(&compose_service(&q, "a")->spec, h2);
	assert_string_equal(h1, h2);
	compose_free(&q);
	assert_int_equal(load("services:\n  a: {image: x, command: [sleep, \"9\"], stop_signal: INT}\n", NULL, &q, &e), 0);
	svc_config_hash(&q.svcs[0].spec, h2);
	assert_string_not_equal(h1, h2);
	compose_free(&q);
	compose_free(&p);
	/* an optional dependency on a service the file lacks is skipped */
	assert_int_equal(load("services:\n  a: {image: x, depends_on: {gone: {condition: service_started, required: false}}}\n",
			      NULL, &q, &e), 0);
	assert_int_equal(q.svcs[0].ndeps, 1);
	assert_false(q.svcs[0].deps[0].required);
	compose_free(&q);
	const char *cfg = "services:\n  a: {image: x, configs: [c]}\nconfigs:\n  c: {content: %s}\n";
	char text[200];
	snprintf(text, sizeof text, cfg, "one");
	assert_int_equal(load(text, NULL, &p, &e), 0);
	snprintf(text, sizeof text, cfg, "two");
	assert_int_equal(load(text, NULL, &q, &e), 0);
	svc_config_hash(&p.svcs[0].spec, h1);
	svc_config_hash(&q.svcs[0].spec, h2);
	assert_string_not_equal(h1, h2);
	/* plan names the change without printing the content */
	json_t *a = svc_to_json(&p.svcs[0].spec), *b = svc_to_json(&q.svcs[0].spec);
	char diff[1000];
	assert_int_equal(spec_diff(a, b, diff, sizeof diff), 1);
	assert_non_null(strstr(diff, "volumes "));
	assert_non_null(strstr(diff, "(3 bytes)"));
	assert_null(strstr(diff, "one"));
	assert_null(strstr(diff, "two"));
	json_decref(a), json_decref(b);
	compose_free(&p);
	compose_free(&q);
}

/* compose config's output of secrets and configs reads back the same. */
static void test_emit_secrets(void **s)
{
	struct compose_project p, q;
	struct lerr e = { 0 };
	char *env[] = { "S2_VALUE=v", "COMPOSE_PROFILES=debug", NULL }, out[256];
	snprintf(out, sizeof out, "%s/out.yml", dir);
	if (load(keys, env, &p, &e) < 0)
		fail_msg("%s", e.msg);
	FILE *f = fopen(out, "w");
	assert_non_null(f);
	assert_int_equal(compose_emit(&p, f), 0);
	fclose(f);
	if (compose_load(out, NULL, env, &q, &e) < 0)
		fail_msg("read back: %s", e.msg);
	struct compose_service *a = compose_service(&q, "app");
	assert_int_equal(a->nsecrets, 2);
	assert_string_equal(a->secrets[1].target, "token");
	assert_int_equal(a->secrets[1].mode, 0440);
	assert_string_equal(a->secrets[1].gid, "104");
	assert_int_equal(a->spec.nmounts, 6); /* the files are not printed as volumes too */
	assert_int_equal(q.nconfigs, 3);
	assert_string_equal(q.configs[1].content, "line one\nline two\n");
	assert_true(q.configs[2].external);
	assert_string_equal(q.secrets[1].environment, "S2_VALUE");
	char h1[65], h2[65];
	svc_config_hash(&compose_service(&p, "app")->spec, h1);
	svc_config_hash(&a->spec, h2);
	if (strcmp(h1, h2)) {
		char *j1 = json_dumps(svc_to_json(&compose_service(&p, "app")->spec), JSON_SORT_KEYS | JSON_COMPACT);
		char *j2 = json_dumps(svc_to_json(&a->spec), JSON_SORT_KEYS | JSON_COMPACT);
		fprintf(stderr, "%s\n%s\n", j1, j2);
		fail_msg("read back changes the spec");
	}
	compose_free(&p);
	compose_free(&q);
}

static void test_key_errors(void **s)
{
	fails_with("services:\n  a: {image: x, ports: [\"99999:80\"]}\n", ":2:25: ",
		   "services.a.ports: 99999:80: port out of range");
	fails_with("services:\n  a: {image: x, ports: [{target: 80, published: 0x50}]}\n", ":2:25: ",
		   "services.a.ports: 0x50:80: port \"0x50\" is not a number");
	fails_with("services:\n  a: {image: x, expose: [http]}\n", ":2:26: ", "services.a.expose: http: port \"http\" is not a number");
	fails_with("services:\n  a: {image: x, cap_add: [NET_ADMIN, NOPE]}\n", ":2:38: ", "services.a.cap_add: unknown capability NOPE");
	fails_with("services:\n  a: {image: x, cap_drop: [CAP_FOO]}\n", ":2:28: ", "services.a.cap_drop: unknown capability CAP_FOO");
	fails_with("services:\n  a: {image: x, stop_signal: SIGNOPE}\n", ":2:30: ", "services.a.stop_signal: unknown signal SIGNOPE");
	fails_with("services:\n  a: {image: x, network_mode: bridged}\n", ":2:31: ",
		   "services.a.network_mode: host, none, bridge, container:NAME or service:NAME expected");
	fails_with("services:\n  a: {image: x, platform: linux/amd64}\n", ":2:27: ", "services.a.platform: only freebsd/amd64 runs here");
	fails_with("services:\n  a: {image: x, deploy: {mode: global}}\n", ":2:32: ", "services.a.deploy: only mode: replicated");
	fails_with("services:\n  a: {image: x, deploy: {restart_policy: {condition: sometimes}}}\n", ":2:54: ",
		   "services.a.deploy: none, on-failure or any expected");
	fails_with("services:\n  a: {image: x, volumes: [\"./d:/d:rx\"]}\n", ":2:27: ", "services.a.volumes: mode rx: ro or rw expected");
	fails_with("services:\n  a: {image: x, volumes: [\"~/d:/d\"]}\n", ":2:27: ", "services.a.volumes: ~/d: HOME is not set");
	fails_with("services:\n  a: {image: x, volumes: [{type: nfs, target: /d}]}\n", ":2:27: ",
		   "services.a.volumes: type: bind, volume or tmpfs expected");
	fails_with("services:\n  a: {image: x, volumes: [\"data:relative\"]}\nvolumes: {data: {}}\n", ":2:27: ",
		   "services.a.volumes: the target relative is not an absolute path");
	fails_with("services:\n  a: {image: x, develop: {watch: {path: .}}}\n", ":2:34: ",
		   "services.a.develop: watch: a list expected");
	fails_with("services:\n  a: {image: x, depends_on: {b: {condition: service_done}}}\n  b: {image: x}\n", ":2:45: ",
		   "services.a.depends_on: condition: service_started, service_healthy or service_completed_successfully expected");
	fails_with("services:\n  a: {image: x, scale: 5000}\n", ":2:24: ", "services.a.scale: 0 to 1000 replicas");
	fails_with("services:\n  a: {image: x, mem_limit: lots}\n", ":2:28: ", "services.a.mem_limit: a size expected (like 512m, 1g)");
	fails_with("services:\n  a: {image: x, cpus: -1}\n", ":2:23: ", "services.a.cpus: a number of CPUs expected (like 0.5)");
	fails_with("services:\n  a: {image: x, read_only: maybe}\n", ":2:28: ", "services.a.read_only: true or false expected");
	fails_with("services:\n  a: {image: x, container_name: one, scale: 2}\n", ":2:6: ",
		   "services.a: container_name allows one replica only");
	fails_with("services:\n  a: {image: x, build: {context: ., squash: true}}\n", ":2:37: ", "services.a.build: unknown key `squash`");
	/* secrets and configs */
	fails_with("services:\n  a: {image: x, secrets: [{source: s, mode: rw}]}\nsecrets: {s: {file: f}}\n", ":2:45: ",
		   "services.a.secrets: mode: a file mode such as 0440 expected");
	fails_with("services:\n  a: {image: x, secrets: [{source: s, uid: root}]}\nsecrets: {s: {file: f}}\n", ":2:44: ",
		   "services.a.secrets: uid and gid: a number expected");
	fails_with("services:\n  a: {image: x, secrets: [{target: t}]}\n", ":2:27: ", "services.a.secrets: source is required");
	fails_with("services:\n  a: {image: x, configs: [{source: c, owner: me}]}\nconfigs: {c: {content: x}}\n", ":2:39: ",
		   "services.a.configs: unknown key `owner`");
	fails_with("services: {}\nsecrets:\n  s: {content: x}\n", ":3:16: ", "secrets.s: content is for configs only");
	fails_with("services: {}\nconfigs:\n  c: {file: a, content: b}\n", ":3:6: ",
		   "configs.c: one of file, environment, content or external is required");
	fails_with("services: {}\nsecrets:\n  s:\n", ":3:5: ", "secrets.s: file, environment or external is required");
	fails_with("services: {}\nsecrets:\n  s: {environment: NOT_SET_HERE}\n", ":3:20: ",
		   "secrets.s: variable NOT_SET_HERE is not set");
	fails_with("services:\n  a: {image: x, secrets: [s]}\nsecrets:\n  s: {external: true}\n", ":2:27: ",
		   "services.a.secrets: secret s is external: not supported by Lochs");
	fails_with("services:\n  a: {image: x, configs: [{source: nope}]}\n", ":2:27: ",
		   "services.a.configs: config nope is not declared under configs:");
	/* x- keys pass at every level; an unknown one is named */
	fails_with("services:\n  a: {image: x, y-note: 1}\n", ":2:17: ", "services.a: unknown key `y-note`");
	fails_with("services: {}\nnetworks:\n  n: {driver: overlay}\n", ":3:15: ", "networks.n: only the bridge driver");
	fails_with("services: {}\nvolumes:\n  v: {size: 1g}\n", ":3:7: ", "volumes.v: unknown key `size`");
	assert_false(failed);
}

static int setup(void **s)
{
	return projdir_setup("/tmp/lochs-keys-unit");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_emit_secrets),
		cmocka_unit_test(test_key_errors),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
