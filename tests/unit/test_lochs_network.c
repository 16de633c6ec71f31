/* netplane's pure parts: CIDR parsing, gateway and range checks, the
 * allocation order, the default pool; and IPAM against a temporary state
 * database with parallel allocating processes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../../netplane/cidr.h"
#include "../../netplane/ipam.h"
#include "../../netplane/netrec.h"
#include "../../netplane/pool.h"
#include "../../orchestrator/state.h"

static void test_cidr_parse(void **s)
{
	struct np_cidr c;
	char out[64];
	struct lerr e = { 0 };
	assert_int_equal(np_cidr_parse("198.18.0.0/15", &c, &e), 0);
	assert_int_equal(c.family, AF_INET);
	assert_int_equal(c.prefix, 15);
	np_cidr_format(&c, out, sizeof out);
	assert_string_equal(out, "198.18.0.0/15");
	assert_int_equal(np_cidr_parse("2001:db8::/64", &c, &e), 0);
	assert_int_equal(c.family, AF_INET6);
	np_cidr_format(&c, out, sizeof out);
	assert_string_equal(out, "2001:db8::/64");
	const char *bad[] = { "10.0.0.0", "10.0.0.0/33", "10.0.0/24", "10.0.0.0/", "10.0.0.0/2x", "x/8",
			      "10.0.0.0/08", "fe80::/129", "", "10.0.0.0/-1" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(np_cidr_parse(bad[i], &c, NULL), -1);
	assert_int_equal(np_cidr_parse("10.1.2.3/24", &c, &e), -1);
	assert_non_null(strstr(e.msg, "it should be 10.1.2.0/24"));
	assert_int_equal(np_addr_parse("10.1.2.3", &c, NULL), 0);
	assert_int_equal(c.prefix, 32);
	assert_int_equal(np_addr_parse("10.1.2.3/32", &c, NULL), -1);
}

static void test_contains_overlap(void **s)
{
	struct np_cidr a, b, x;
	np_cidr_parse("172.30.0.0/15", &a, NULL);
	np_cidr_parse("172.31.255.0/24", &b, NULL);
	assert_true(np_cidr_contains(&a, &b));
	assert_false(np_cidr_contains(&b, &a));
	assert_true(np_cidr_overlap(&a, &b) && np_cidr_overlap(&b, &a));
	np_cidr_parse("172.32.0.0/24", &b, NULL);
	assert_false(np_cidr_overlap(&a, &b));
	np_cidr_parse("fd00::/8", &b, NULL);
	assert_false(np_cidr_overlap(&a, &b)); /* families never overlap */
	/* Gateways: hosts only, not the network or broadcast address. */
	np_cidr_parse("198.18.4.0/24", &a, NULL);
	np_addr_parse("198.18.4.1", &x, NULL);
	assert_true(np_cidr_is_host(&a, &x));
	np_addr_parse("198.18.4.0", &x, NULL);
	assert_false(np_cidr_is_host(&a, &x));
	np_addr_parse("198.18.4.255", &x, NULL);
	assert_false(np_cidr_is_host(&a, &x));
	np_addr_parse("198.18.5.1", &x, NULL);
	assert_false(np_cidr_is_host(&a, &x));
	char out[64];
	np_cidr_nth(&a, 1, &x);
	np_addr_format(&x, out, sizeof out);
	assert_string_equal(out, "198.18.4.1");
	assert_int_equal(np_cidr_nth(&a, 256, &x), -1);
	np_cidr_parse("2001:2::/48", &a, NULL);
	np_cidr_nth(&a, 1, &x);
	np_addr_format(&x, out, sizeof out);
	assert_string_equal(out, "2001:2::1");
}

static void test_range(void **s)
{
	uint32_t lo, hi;
	struct lerr e = { 0 };
	assert_int_equal(ipam_range("198.18.4.0/24", "", &lo, &hi, &e), 0);
	assert_int_equal(lo, 0xc6120401u);
	assert_int_equal(hi, 0xc61204feu);
	/* A range at the subnet's start skips the network address. */
	assert_int_equal(ipam_range("198.18.4.0/24", "198.18.4.0/28", &lo, &hi, &e), 0);
	assert_int_equal(lo, 0xc6120401u);
	assert_int_equal(hi, 0xc612040fu);
	assert_int_equal(ipam_range("198.18.4.0/24", "198.18.4.240/28", &lo, &hi, &e), 0);
	assert_int_equal(hi, 0xc61204feu);
	assert_int_equal(ipam_range("198.18.4.0/24", "198.18.5.0/28", &lo, &hi, &e), -1);
	assert_non_null(strstr(e.msg, "not inside"));
	assert_int_equal(ipam_range("198.18.4.0/24", "198.18.0.0/16", &lo, &hi, &e), -1);
	assert_int_equal(ipam_range("198.18.4.0/31", "", &lo, &hi, &e), -1);
}

static void test_first_free(void **s)
{
	uint32_t out;
	uint32_t t1[] = { 10, 11, 13 };
	assert_int_equal(ipam_first_free(10, 20, t1, 3, &out), 0);
	assert_int_equal(out, 12);
	uint32_t t2[] = { 1, 5 };
	assert_int_equal(ipam_first_free(10, 20, t2, 2, &out), 0); /* outside the range: ignored */
	assert_int_equal(out, 10);
	uint32_t t3[] = { 10, 11, 12 };
	assert_int_equal(ipam_first_free(10, 12, t3, 3, &out), -1);
	assert_int_equal(ipam_first_free(0xfffffffeu, 0xffffffffu, NULL, 0, &out), 0);
	assert_int_equal(out, 0xfffffffeu);
	uint32_t t4[] = { 0xfffffffeu, 0xffffffffu };
	assert_int_equal(ipam_first_free(0xfffffffeu, 0xffffffffu, t4, 2, &out), -1);
}

static void test_pool(void **s)
{
	struct np_cidr used[3], out;
	char buf[64];
	assert_int_equal(np_pool_pick(NULL, 0, &out), 0);
	np_cidr_format(&out, buf, sizeof buf);
	assert_string_equal(buf, "172.30.0.0/24");
	np_cidr_parse("172.30.0.0/23", &used[0], NULL); /* a host route */
	np_cidr_parse("172.30.2.0/24", &used[1], NULL); /* a Lochs network */
	np_addr_parse("172.30.3.7", &used[2], NULL);    /* one address */
	assert_int_equal(np_pool_pick(used, 3, &out), 0);
	np_cidr_format(&out, buf, sizeof buf);
	assert_string_equal(buf, "172.30.4.0/24");
	np_cidr_parse("172.16.0.0/12", &used[0], NULL);
	assert_int_equal(np_pool_pick(used, 1, &out), -1);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

/* MACs follow addresses: every address of a /16 (the IPAM gives each at
 * most once per network) gets its own MAC, locally administered unicast,
 * the same again for the same address. */
static void test_mac(void **s)
{
	static char macs[65536][18];
	struct np_cidr net, a;
	np_cidr_parse("198.18.0.0/16", &net, NULL);
	for (uint32_t i = 0; i < 65536; i++) {
		np_cidr_nth(&net, i, &a);
		np_mac_of(&a, macs[i]);
	}
	assert_string_equal(macs[0x0402], "02:6c:c6:12:04:02");
	np_addr_parse("198.18.4.2", &a, NULL);
	char again[18];
	np_mac_of(&a, again);
	assert_string_equal(again, macs[0x0402]);
	qsort(macs, 65536, sizeof *macs, cmp_str);
	for (int i = 1; i < 65536; i++)
		assert_true(strcmp(macs[i - 1], macs[i]) < 0);
	/* The first octet: bit 1 set (local), bit 0 clear (unicast). */
	assert_int_equal(strtol(macs[0], NULL, 16) & 3, 2);
}

static char dir[] = "/tmp/lochs-unit-ipam.XXXXXX";

static sqlite3 *db_with_net(const char *subnet, const char *range)
{
	struct lerr e = { 0 };
	sqlite3 *db = state_open(dir, &e);
	assert_non_null(db);
	struct np_network n = { .id = "abc", .name = "t", .driver = "bridge", .gateway = "198.18.4.1",
				.bridge = "lochs-test", .created = "now" };
	snprintf(n.subnet, sizeof n.subnet, "%s", subnet);
	snprintf(n.ip_range, sizeof n.ip_range, "%s", range);
	assert_int_equal(netrec_insert(db, &n, &e), 0);
	const char *p[] = { "abc", "198.18.4.1" };
	assert_int_equal(state_exec(db, &e, "INSERT INTO ip_allocations VALUES(?, ?, '" NP_OWNER_GATEWAY "')", 2, p), 0);
	return db;
}

static void test_alloc_order(void **s)
{
	assert_non_null(mkdtemp(dir));
	sqlite3 *db = db_with_net("198.18.4.0/24", "");
	char a[64];
	struct lerr e = { 0 };
	/* The gateway holds .1; a static .3 leaves .2 for the first dynamic. */
	assert_int_equal(ipam_alloc(db, "abc", "s", "198.18.4.3", a, sizeof a, &e), 0);
	assert_int_equal(ipam_alloc(db, "abc", "x", NULL, a, sizeof a, &e), 0);
	assert_string_equal(a, "198.18.4.2");
	assert_int_equal(ipam_alloc(db, "abc", "y", NULL, a, sizeof a, &e), 0);
	assert_string_equal(a, "198.18.4.4");
	assert_int_equal(ipam_alloc(db, "abc", "x", NULL, a, sizeof a, &e), 0); /* idempotent */
	assert_string_equal(a, "198.18.4.2");
	assert_int_equal(ipam_alloc(db, "abc", "z", "198.18.4.3", a, sizeof a, &e), -1);
	assert_non_null(strstr(e.msg, "already in use"));
	assert_int_equal(ipam_alloc(db, "abc", "z", "198.18.4.1", a, sizeof a, &e), -1);
	assert_int_equal(ipam_alloc(db, "abc", "z", "198.18.4.255", a, sizeof a, &e), -1);
	assert_int_equal(ipam_alloc(db, "abc", "z", "198.18.5.9", a, sizeof a, &e), -1);
	assert_non_null(strstr(e.msg, "does not belong"));
	assert_int_equal(ipam_in_use(db, "abc"), 3);
	assert_int_equal(ipam_release(db, "abc", "x", &e), 0);
	assert_int_equal(ipam_alloc(db, "abc", "w", NULL, a, sizeof a, &e), 0);
	assert_string_equal(a, "198.18.4.2"); /* released addresses come back */
	/* An overlapping subnet and a duplicate name are refused. */
	struct np_network n2 = { .id = "def", .name = "u", .subnet = "198.18.4.128/25", .bridge = "lochs-u" };
	assert_int_equal(netrec_insert(db, &n2, &e), -1);
	assert_non_null(strstr(e.msg, "overlaps with network t"));
	state_close(db);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* IPv6: from the subnet's second host up (the first is the bridge's),
 * static ones inside the subnet only, the owner's IPv4 and IPv6 addresses
 * apart (neither is taken for the other). */
static void test_alloc6(void **s)
{
	strcpy(dir, "/tmp/lochs-unit-ipam.XXXXXX");
	assert_non_null(mkdtemp(dir));
	sqlite3 *db = db_with_net("198.18.4.0/24", "");
	struct lerr e = { 0 };
	char a[64];
	assert_int_equal(ipam_alloc6(db, "abc", "x", NULL, a, sizeof a, &e), -1);
	assert_non_null(strstr(e.msg, "no IPv6 subnet"));
	assert_int_equal(state_exec(db, &e, "UPDATE networks SET ipv6_subnet = 'fd00:4::/64'", 0, NULL), 0);
	assert_int_equal(ipam_alloc(db, "abc", "x", NULL, a, sizeof a, &e), 0);
	assert_string_equal(a, "198.18.4.2");
	assert_int_equal(ipam_alloc6(db, "abc", "x", NULL, a, sizeof a, &e), 0);
	assert_string_equal(a, "fd00:4::2");
	assert_int_equal(ipam_alloc6(db, "abc", "s", "fd00:4::3", a, sizeof a, &e), 0);
	assert_int_equal(ipam_alloc6(db, "abc", "y", NULL, a, sizeof a, &e), 0);
	assert_string_equal(a, "fd00:4::4");
	assert_int_equal(ipam_alloc6(db, "abc", "x", NULL, a, sizeof a, &e), 0); /* idempotent */
	assert_string_equal(a, "fd00:4::2");
	assert_int_equal(ipam_alloc(db, "abc", "x", NULL, a, sizeof a, &e), 0); /* still its IPv4 */
	assert_string_equal(a, "198.18.4.2");
	assert_int_equal(ipam_alloc6(db, "abc", "z", "fd00:4:0:0::3", a, sizeof a, &e), -1);
	assert_non_null(strstr(e.msg, "already in use"));
	assert_int_equal(ipam_alloc6(db, "abc", "z", "fd00:5::9", a, sizeof a, &e), -1);
	assert_non_null(strstr(e.msg, "does not belong"));
	assert_int_equal(ipam_alloc6(db, "abc", "z", "198.18.4.9", a, sizeof a, &e), -1);
	assert_int_equal(ipam_release(db, "abc", "x", &e), 0);
	assert_int_equal(ipam_alloc6(db, "abc", "w", NULL, a, sizeof a, &e), 0);
	assert_string_equal(a, "fd00:4::2");
	/* The sweep frees what no jail record owns, never the gateway's. */
	const char *j[] = { "s" };
	assert_int_equal(state_exec(db, &e, "INSERT INTO jails(id, name, image, image_ref, spec, config_hash, state,"
				    " created) VALUES(?, 'js', 'i', 'i', '{}', 'h', 'created', 'now')", 1, j), 0);
	assert_int_equal(ipam_sweep(db), 2); /* y's and w's */
	assert_int_equal(ipam_in_use(db, "abc"), 1); /* s's fd00:4::3 */
	assert_int_equal(ipam_alloc(db, "abc", "t", NULL, a, sizeof a, &e), 0);
	assert_string_equal(a, "198.18.4.2");
	state_close(db);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* 8 processes, each with its own connection, take 12 addresses each from a
 * range of 100: all 96 distinct, the lowest 96 of the range. */
static void test_alloc_parallel(void **s)
{
	strcpy(dir, "/tmp/lochs-unit-ipam.XXXXXX");
	assert_non_null(mkdtemp(dir));
	char out[128];
	snprintf(out, sizeof out, "%s/out", dir);
	sqlite3 *db = db_with_net("198.18.4.0/24", "198.18.4.0/25");
	state_close(db);
	for (int p = 0; p < 8; p++) {
		if (fork() == 0) {
			struct lerr e = { 0 };
			sqlite3 *d = state_open(dir, &e);
			FILE *f = fopen(out, "a");
			for (int i = 0; d && f && i < 12; i++) {
				char owner[32], a[64];
				snprintf(owner, sizeof owner, "p%d-%d", p, i);
				if (ipam_alloc(d, "abc", owner, NULL, a, sizeof a, &e) < 0)
					_exit(1);
				fprintf(f, "%s\n", a);
				fflush(f);
			}
			_exit(d && f ? 0 : 1);
		}
	}
	int st, ok = 1;
	while (wait(&st) > 0)
		ok &= WIFEXITED(st) && WEXITSTATUS(st) == 0;
	assert_true(ok);
	char cmd[512];
	snprintf(cmd, sizeof cmd, "test \"$(sort -u %s | wc -l)\" = 96 && sort -t. -k4 -n %s | tail -n1 | grep -qx 198.18.4.97",
		 out, out);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cidr_parse), cmocka_unit_test(test_contains_overlap),
		cmocka_unit_test(test_range),      cmocka_unit_test(test_first_free),
		cmocka_unit_test(test_pool),       cmocka_unit_test(test_alloc_order),
		cmocka_unit_test(test_alloc_parallel), cmocka_unit_test(test_alloc6),
		cmocka_unit_test(test_mac),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
