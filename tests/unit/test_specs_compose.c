/* lochs.yml into the project model (specs/compose.h): every kind of key
 * in one file, and each error with its FILE:LINE:COLUMN and cause. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "projdir.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "specs/compose.h"
#include "strvtest.h"


static void write_file(const char *name, const char *text)
{
	char p[256];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Loads text as DIR/lochs.yml with env; returns compose_load's result. */
static int load(const char *text, char **env, struct compose_project *p, struct lerr *e)
{
	write_file("lochs.yml", text);
	return compose_load(file, NULL, env, p, e);
}

static void fails_with(const char *text, const char *where, const char *msg)
{
	struct compose_project p;
	struct lerr e = { 0 };
	char *env[] = { NULL };
	assert_int_equal(load(text, env, &p, &e), -1);
	char want[512];
	snprintf(want, sizeof want, "%s%s%s", where ? file : "", where ? where : "", msg);
	if (!strstr(e.msg, want))
		fail_msg("error\n  %s\nlacks\n  %s", e.msg, want);
}

static const char full[] =
	"name: Demo App\n"
	"x-common: &common\n"
	"  restart: on-failure:3\n"
	"  labels: {tier: app}\n"
	"services:\n"
	"  web:\n"
	"    <<: *common\n"
	"    image: freebsd:14.3\n"
	"    command: /usr/local/bin/httpd-lite -p 8080 -d \"/www root\"\n"
	"    env_file: web.env\n"
	"    environment:\n"
	"      GREETING: ${GREETING:-hello}\n"
	"      FROM_FILE: overridden\n"
	"      SHELL_ONLY:\n"
	"    ports: [\"18080:8080\", {target: 9090, published: 19090, protocol: udp, host_ip: 127.0.0.1}]\n"
	"    volumes: [\"./www:/www:ro\", \"data:/var/db\", {type: tmpfs, target: /run, tmpfs: {size: 1m}}]\n"
	"    depends_on:\n"
	"      db: {condition: service_healthy}\n"
	"    networks: {front: {aliases: [www], ipv4_address: 198.18.60.10}, back: {aliases: [api, api2], ipv4_address: 198.18.61.7, ipv6_address: \"fd00:61::7\"}}\n"
	"    extra_hosts: {gw: host-gateway}\n"
	"    develop: {watch: [{path: ./src, action: sync, target: /app}]}\n"
	"  db:\n"
	"    image: freebsd:14.3\n"
	"    command: [sleep, \"1000\"]\n"
	"    healthcheck: {test: \"true\", interval: 1m30s, retries: 5}\n"
	"    networks: [back]\n"
	"    deploy: {replicas: 2, resources: {limits: {memory: 64m, cpus: \"0.5\", pids: 50}}}\n"
	"    stop_grace_period: 2s\n"
	"networks:\n"
	"  front: {ipam: {config: [{subnet: 198.18.60.0/24}]}}\n"
	"  back: {internal: true}\n"
	"volumes:\n"
	"  data:\n";

static void test_full(void **s)
{
	struct compose_project p;
	struct lerr e = { 0 };
	char *env[] = { "SHELL_ONLY=from-shell", NULL };
	write_file("web.env", "FROM_FILE=file\nONLY_FILE=1\n");
	if (load(full, env, &p, &e) < 0)
		fail_msg("%s", e.msg);
	assert_string_equal(p.name, "demo_app");
	assert_int_equal(p.nsvcs, 2);
	struct compose_service *w = compose_service(&p, "web"), *d = compose_service(&p, "db");
	assert_non_null(w);
	assert_non_null(d);
	assert_string_equal(w->spec.image, "freebsd:14.3");
	assert_string_equal(w->spec.command[4], "/www root");
	assert_null(w->spec.command[5]);
	assert_true(has(w->spec.env, "GREETING=hello"));
	assert_true(has(w->spec.env, "SHELL_ONLY=from-shell"));
	assert_true(has(w->spec.env, "ONLY_FILE=1"));
	/* environment wins over env_file: it comes later in the list */
	const char *last = NULL;
	for (char **v = w->spec.env; *v; v++)
		if (!strncmp(*v, "FROM_FILE=", 10))
			last = *v;
	assert_string_equal(last, "FROM_FILE=overridden");
	assert_string_equal(w->spec.ports[0], "18080:8080");
	assert_string_equal(w->spec.ports[1], "127.0.0.1:19090:9090/udp");
	assert_int_equal(w->spec.nmounts, 3);
	char www[128];
	snprintf(www, sizeof www, "%s/www", p.dir);
	assert_string_equal(w->spec.mounts[0].source, www);
	assert_true(w->spec.mounts[0].readonly);
	assert_string_equal(w->spec.mounts[1].type, "volume");
	assert_string_equal(w->spec.mounts[1].source, "demo_app_data");
	assert_string_equal(w->spec.mounts[2].options, "size=1m");
	assert_int_equal(w->ndeps, 1);
	assert_int_equal(w->deps[0].condition, DEP_HEALTHY);
	assert_string_equal(w->networks[0], "front");
	assert_string_equal(w->networks[1], "back");
	assert_string_equal(w->spec.ip, "198.18.60.10");
	assert_string_equal(w->spec.aliases[0], "www");
	assert_null(w->spec.aliases[1]);
	/* A later network keeps its own options (joined with them after start). */
	assert_string_equal(w->net_opts[1].ip, "198.18.61.7");
	assert_string_equal(w->net_opts[1].ip6, "fd00:61::7");
	assert_string_equal(w->net_opts[1].aliases[1], "api2");
	assert_null(w->net_opts[0].ip);
	assert_null(d->net_opts[0].aliases);
	assert_string_equal(w->spec.add_hosts[0], "gw:host-gateway");
	assert_int_equal(w->spec.restart, RESTART_ON_FAILURE);
	assert_int_equal(w->spec.restart_max, 3);
	assert_string_equal(w->spec.labels[0], "tier=app");
	assert_int_equal(w->nwatch, 1);
	assert_string_equal(w->watch[0].action, "sync");
	assert_string_equal(w->spec.project, "demo_app");
	assert_string_equal(w->spec.service, "web");
	assert_int_equal(d->replicas, 2);
	assert_int_equal(d->spec.memory, 64LL << 20);
	assert_true(d->spec.cpus > 0.49 && d->spec.cpus < 0.51);
	assert_int_equal(d->spec.pids_limit, 50);
	assert_int_equal(d->health.interval_ms, 90000);
	assert_int_equal(d->health.retries, 5);
	assert_string_equal(d->health.test[0], "CMD-SHELL");
	assert_int_equal(d->stop_grace_ms, 2000);
	assert_int_equal(p.nnets, 2);
	assert_string_equal(p.nets[0].subnet, "198.18.60.0/24");
	assert_true(p.nets[1].internal);
	compose_free(&p);
}

static void test_names(void **s)
{
	struct compose_project p;
	struct lerr e = { 0 };
	char *env[] = { NULL };
	write_file("lochs.yml", "services: {a: {image: x}}\n");
	assert_int_equal(compose_load(file, "Given-Name", env, &p, &e), 0);
	assert_string_equal(p.name, "given-name");
	compose_free(&p);
	assert_int_equal(compose_load(file, NULL, env, &p, &e), 0);
	assert_int_equal(strncmp(p.name, "lochs-compose-unit", 18), 0);
	compose_free(&p);
}

static void test_interpolation(void **s)
{
	struct compose_project p;
	struct lerr e = { 0 };
	char *env[] = { "TAG=15.0", NULL };
	write_file(".env", "TAG=14.3\nNAME=from-dotenv\n");
	assert_int_equal(load("services: {a: {image: \"freebsd:${TAG}\", hostname: $NAME, user: \"$$HOME\"}}\n", env, &p, &e), 0);
	/* the process environment wins over .env */
	assert_string_equal(p.svcs[0].spec.image, "freebsd:15.0");
	assert_string_equal(p.svcs[0].spec.hostname, "from-dotenv");
	assert_string_equal(p.svcs[0].spec.user, "$HOME");
	compose_free(&p);
	unlink(strcat(strcpy((char[128]){ 0 }, dir), "/.env"));
}

static void test_errors(void **s)
{
	fails_with("services:\n  web:\n    image: x\n    dependson: [db]\n", ":4:5: ",
		   "services.web: unknown key `dependson` (did you mean `depends_on`?)");
	fails_with("services:\n  web:\n    image: x\n    sysctls: {a: 1}\n", ":4:5: ", "services.web.sysctls: not supported by Lochs");
	fails_with("servics: {}\n", ":1:1: ", "(top level): unknown key `servics` (did you mean `services`?)");
	fails_with("models: {}\nservices: {}\n", ":1:1: ", "(top level).models: not supported by Lochs");
	fails_with("services:\n  a: {image: x, depends_on: [b]}\n  b: {image: x, depends_on: [c]}\n  c: {image: x, depends_on: [a]}\n",
		   ":2:30: ", "services.a.depends_on: dependency cycle: a -> b -> c -> a");
	fails_with("services:\n  web: {image: x, depends_on: [nope]}\n", ":2:32: ", "services.web.depends_on: no service nope");
	fails_with("services:\n  web:\n    image: x\n    ports: 80\n", ":4:12: ", "services.web.ports: a list expected");
	fails_with("services:\n  web:\n    image: \"${DB_PASS:?set it}\"\n", ":3:12: ",
		   "required variable DB_PASS is missing a value: set it");
	fails_with("services: [\n", ":", "");
	fails_with("services:\n  web: {image: x, networks: [ghost]}\n", ":2:30: ",
		   "services.web.networks: network ghost is not declared under networks:");
	fails_with("services:\n  web: {image: x, networks: {a: {}, b: {ipv4_adress: 10.0.0.2}}}\nnetworks: {a: {}, b: {}}\n", ":2:41: ",
		   "services.web.networks: unknown key `ipv4_adress` (did you mean `ipv4_address`?)");
	fails_with("services:\n  web: {image: x, networks: {a: {mac_address: \"02:00:00:00:00:01\"}}}\nnetworks: {a: {}}\n", ":2:34: ",
		   "services.web.networks.mac_address: not supported by Lochs");
	fails_with("services:\n  web: {image: x, volumes: [\"gone:/data\"]}\n", ":2:29: ",
		   "services.web.volumes: volume gone is not declared under volumes:");
	fails_with("services:\n  web: {command: [true]}\n", ":2:8: ", "services.web: image or build is required");
	fails_with("services:\n  web: {image: x, healthcheck: {test: [RUN, x]}}\n", ":2:39: ",
		   "services.web.healthcheck: test: a string, or a list starting with CMD, CMD-SHELL or NONE");
	fails_with("services:\n  web: {image: x, restart: sometimes}\n", ":2:28: ",
		   "services.web.restart: no, always, on-failure[:N] or unless-stopped expected");
	fails_with("services:\n  web: {image: x, deploy: {placement: {}}}\n", ":2:28: ",
		   "services.web.deploy.placement: not supported by Lochs");
	fails_with("services:\n  web: {image: x, stop_grace_period: soon}\n", ":2:38: ",
		   "services.web.stop_grace_period: invalid duration \"soon\"");
	fails_with("services:\n  web: {image: x, env_file: missing.env}\n", ":2:29: ",
		   "services.web.env_file: missing.env: cannot be read");
	fails_with("services:\n  web: {image: x, secrets: [token]}\n", ":2:29: ", "services.web.secrets: secret token is not declared under secrets:");
	fails_with("services:\n  web: {image: x, command: \"echo 'oops\"}\n", ":2:28: ", "services.web.command: unterminated quote");
}

static int setup(void **s)
{
	return projdir_setup("/tmp/lochs-compose-unit");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full), cmocka_unit_test(test_names), cmocka_unit_test(test_interpolation),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
