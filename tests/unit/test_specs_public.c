/* Real Compose files from public projects (tests/corpus/compose-public,
 * kept as published): each reads into the model it describes, or fails
 * with the exact key Lochs does not support. Run from the repository's
 * top folder (tests/unit/run.sh). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "specs/compose.h"
#include "strvtest.h"

#define DIR "tests/corpus/compose-public/"

static char *env[] = { "HOME=/home/user", NULL };

static void load(const char *name, struct compose_project *p)
{
	struct lerr e = { 0 };
	if (compose_load(name, "public", env, p, &e) < 0)
		fail_msg("%s", e.msg);
}

static void test_nginx_golang_postgres(void **s)
{
	struct compose_project p;
	load(DIR "nginx-golang-postgres.yaml", &p);
	assert_int_equal(p.nsvcs, 3);
	struct compose_service *b = compose_service(&p, "backend"), *db = compose_service(&p, "db"),
			       *px = compose_service(&p, "proxy");
	assert_string_equal(b->build_context, "backend");
	assert_string_equal(b->build_target, "builder");
	assert_int_equal(b->deps[0].condition, DEP_HEALTHY);
	assert_string_equal(db->spec.user, "postgres");
	assert_int_equal(db->spec.restart, RESTART_ALWAYS);
	assert_string_equal(db->spec.expose[0], "5432");
	assert_string_equal(db->health.test[1], "pg_isready");
	assert_int_equal(db->health.timeout_ms, 5000);
	/* the secret as Compose mounts it */
	const struct svc_mount *m = &db->spec.mounts[db->spec.nmounts - 1];
	assert_string_equal(m->target, "/run/secrets/db-password");
	assert_non_null(strstr(m->source, "/compose-public/db/password.txt"));
	assert_true(px->spec.mounts[0].readonly);
	assert_string_equal(px->spec.ports[0], "80:80");
	compose_free(&p);
}

static void test_react_java_mysql(void **s)
{
	struct compose_project p;
	load(DIR "react-java-mysql.yaml", &p);
	struct compose_service *b = compose_service(&p, "backend"), *db = compose_service(&p, "db"),
			       *f = compose_service(&p, "frontend");
	assert_string_equal(b->networks[1], "spring-mysql");
	assert_true(has(b->spec.env, "MYSQL_HOST=db"));
	assert_int_equal(db->health.start_period_ms, 30000);
	assert_string_equal(f->spec.expose[1], "33060");
	assert_string_equal(f->spec.mounts[1].type, "tmpfs"); /* the anonymous volume */
	assert_int_equal(p.nnets, 2);
	compose_free(&p);
}

static void test_pihole(void **s)
{
	struct compose_project p;
	load(DIR "pihole-cloudflared-DoH.yaml", &p);
	struct compose_service *c = compose_service(&p, "cloudflared"), *ph = compose_service(&p, "pihole");
	assert_string_equal(c->spec.name, "cloudflared");
	assert_string_equal(c->spec.ip, "172.20.0.2");
	assert_string_equal(c->spec.ports[1], "5054:5054/udp");
	assert_true(has(c->spec.env, "TZ=")); /* ${TIMEZONE} unset: empty, as Compose */
	assert_true(has(ph->spec.env, "PIHOLE_DNS_=172.20.0.2#5054;1.1.1.1"));
	assert_string_equal(ph->spec.cap_add[0], "NET_ADMIN");
	assert_string_equal(ph->spec.mounts[0].source, "/etc/pihole/");
	assert_string_equal(p.nets[0].subnet, "172.20.0.0/24");
	compose_free(&p);
}

static void test_prometheus_grafana(void **s)
{
	struct compose_project p;
	load(DIR "prometheus-grafana.yaml", &p);
	struct compose_service *pr = compose_service(&p, "prometheus");
	assert_string_equal(pr->spec.command[0], "--config.file=/etc/prometheus/prometheus.yml");
	assert_int_equal(pr->spec.restart, RESTART_UNLESS_STOPPED);
	assert_string_equal(pr->spec.mounts[1].source, "public_prom_data");
	compose_free(&p);
}

static void test_minecraft(void **s)
{
	struct compose_project p;
	load(DIR "minecraft.yaml", &p);
	struct compose_service *m = &p.svcs[0];
	assert_int_equal(m->spec.memory, 3LL << 29); /* 1.5G */
	assert_string_equal(m->spec.mounts[0].source, "/home/user/minecraft_data"); /* ~ is $HOME */
	assert_true(has(m->spec.env, "EULA=TRUE"));
	compose_free(&p);
}

static void test_elk(void **s)
{
	struct compose_project p;
	load(DIR "elasticsearch-logstash-kibana.yaml", &p);
	struct compose_service *es = compose_service(&p, "elasticsearch"), *ls = compose_service(&p, "logstash");
	assert_true(has(es->spec.env, "discovery.type=single-node"));
	assert_string_equal(es->health.test[0], "CMD-SHELL");
	assert_string_equal(ls->spec.command[1], "-f");
	assert_string_equal(ls->spec.ports[1], "5000:5000/udp");
	compose_free(&p);
}

static void test_react_express_mongodb(void **s)
{
	struct compose_project p;
	load(DIR "react-express-mongodb.yaml", &p);
	struct compose_service *f = compose_service(&p, "frontend");
	assert_true(f->spec.interactive);
	assert_string_equal(compose_service(&p, "mongo")->spec.expose[0], "27017");
	assert_int_equal(p.nnets, 2);
	compose_free(&p);
}

static void test_wireguard(void **s)
{
	struct compose_project p;
	struct lerr e = { 0 };
	assert_int_equal(compose_load(DIR "wireguard.yaml", "public", env, &p, &e), -1);
	assert_string_equal(e.msg, DIR "wireguard.yaml:25:5: services.wireguard.sysctls: not supported by Lochs");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nginx_golang_postgres), cmocka_unit_test(test_react_java_mysql),
		cmocka_unit_test(test_pihole),		      cmocka_unit_test(test_prometheus_grafana),
		cmocka_unit_test(test_minecraft),	      cmocka_unit_test(test_elk),
		cmocka_unit_test(test_react_express_mongodb), cmocka_unit_test(test_wireguard),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
