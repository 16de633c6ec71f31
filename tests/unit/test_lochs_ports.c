/* Published ports: Docker's -p forms and their errors, the nftables text
 * made from a model (pure), and reservations against a temporary state
 * database (conflicts with rows and with a host listener). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "../../netplane/firewall.h"
#include "../../netplane/ports.h"
#include "../../netplane/portspec.h"
#include "../../orchestrator/state.h"

static void test_forms(void **s)
{
	struct np_portspec p;
	struct lerr e = { 0 };
	assert_int_equal(portspec_parse("8080:80", &p, &e), 0);
	assert_string_equal(p.host_ip, "");
	assert_int_equal(p.host_lo, 8080);
	assert_int_equal(p.host_hi, 8080);
	assert_int_equal(p.jail_lo, 80);
	assert_string_equal(p.proto, "tcp");
	assert_int_equal(portspec_parse("127.0.0.1:18090:8080/udp", &p, &e), 0);
	assert_string_equal(p.host_ip, "127.0.0.1");
	assert_string_equal(p.proto, "udp");
	assert_int_equal(portspec_parse("127.0.0.1::80", &p, &e), 0);
	assert_int_equal(p.host_lo, 0);
	assert_int_equal(p.jail_lo, 80);
	assert_int_equal(portspec_parse("80", &p, &e), 0);
	assert_int_equal(p.host_lo, 0);
	assert_int_equal(portspec_count(&p), 1);
	assert_int_equal(portspec_parse("27015-27020:27015-27020/udp", &p, &e), 0);
	assert_int_equal(p.host_hi, 27020);
	assert_int_equal(portspec_count(&p), 6);
	assert_int_equal(portspec_parse("18000-18010:80", &p, &e), 0); /* one picked from the range */
	assert_int_equal(p.host_lo, 18000);
	assert_int_equal(p.host_hi, 18010);
	assert_int_equal(portspec_count(&p), 1);
	/* One spelling per IPv6 address: rows compare as text. */
	assert_int_equal(portspec_parse("[0:0::1]:8080:80", &p, &e), 0);
	assert_string_equal(p.host_ip, "::1");
	assert_int_equal(p.host_lo, 8080);
	assert_int_equal(portspec_parse("[::1]::80/udp", &p, &e), 0);
	assert_int_equal(p.host_lo, 0);
	assert_int_equal(portspec_parse("0.0.0.0:80:80", &p, &e), 0);
	assert_string_equal(p.host_ip, ""); /* the wildcard is every address */
	assert_int_equal(portspec_parse("8000-8002", &p, &e), 0);
	assert_int_equal(portspec_count(&p), 3);
}

static void test_errors(void **s)
{
	struct np_portspec p;
	struct lerr e = { 0 };
	struct {
		const char *in, *why;
	} bad[] = {
		{ "70000:80", "port out of range" },
		{ "80:0", "port out of range" },
		{ "", "empty" },
		{ "80/sctp", "sctp is not supported" },
		{ "80/icmp", "unknown protocol" },
		{ "x:80", "not a number" },
		{ "80:", "missing" },
		{ "1.2.3:80:80", "invalid host IP" },
		{ "::1:80:80", "brackets" },
		{ "[::1]:80", "jail port is missing" },
		{ "[::1:80:80", "bracketed" },
		{ "10-20:10-15", "different lengths" },
		{ "10:10-15", "different lengths" },
		{ "20-10:80", "ends before" },
		{ "1-:80", "not N-M" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		e.msg[0] = 0;
		assert_int_equal(portspec_parse(bad[i].in, &p, &e), -1);
		if (!strstr(e.msg, bad[i].why))
			fail_msg("%s: \"%s\" lacks \"%s\"", bad[i].in, e.msg, bad[i].why);
		assert_null(strchr(e.msg, '\n'));
	}
	assert_int_equal(portspec_parse_expose("8080/udp", &p, &e), 0);
	assert_int_equal(p.jail_lo, 8080);
	assert_string_equal(p.proto, "udp");
	assert_int_equal(portspec_parse_expose("80:80", &p, &e), -1);
}

static void test_format(void **s)
{
	struct np_binding b = { .proto = "tcp", .host_port = 18080, .jail_port = 8080 };
	char out[128];
	portspec_format_binding(&b, out, sizeof out);
	assert_string_equal(out, "8080/tcp -> 0.0.0.0:18080");
	snprintf(b.host_ip, sizeof b.host_ip, "::1");
	snprintf(b.proto, sizeof b.proto, "udp");
	portspec_format_binding(&b, out, sizeof out);
	assert_string_equal(out, "8080/udp -> [::1]:18080");
}

static void test_table_name(void **s)
{
	char a[32], b[32];
	fw_table_name("/var/lib/lochs", a);
	assert_string_equal(a, "lochs");
	fw_table_name("/tmp/lochs-ports.1", a);
	fw_table_name("/tmp/lochs-ports.2", b);
	assert_int_equal(strlen(a), 14);
	assert_memory_equal(a, "lochs_", 6);
	assert_string_not_equal(a, b);
}

/* Every line of want is somewhere in text. */
static void has_all(const char *text, const char *const *want, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strstr(text, want[i]))
			fail_msg("missing %s in:\n%s", want[i], text);
}

static void test_script(void **s)
{
	struct fw_net nets[] = { { "lochs-aaaaaaaaa", "198.18.20.0/24", 0, "" }, { "lochs-bbbbbbbbb", "198.18.21.0/24", 1, "" } };
	struct fw_port ports[] = { { { "j1", "tcp", "", 18080, "198.18.20.2", 8080 }, "lochs-aaaaaaaaa" },
				   { { "j1", "udp", "127.0.0.1", 18081, "198.18.20.2", 9999 }, "lochs-aaaaaaaaa" } };
	struct fw_model m = { "lochs_0000abcd", nets, 2, ports, 2 };
	char *t = fw_script(&m);
	assert_non_null(t);
	/* Replaced atomically: the old table goes in the same transaction. */
	assert_memory_equal(t, "add table ip lochs_0000abcd\ndelete table ip lochs_0000abcd\ntable ip lochs_0000abcd {\n",
			    strlen("add table ip lochs_0000abcd\ndelete table ip lochs_0000abcd\ntable ip lochs_0000abcd {\n"));
	const char *want[] = {
		"fib daddr type local tcp dport 18080 dnat to 198.18.20.2:8080\n",
		"ip daddr 127.0.0.1 udp dport 18081 dnat to 198.18.20.2:9999\n",
		"type nat hook prerouting priority dstnat;",
		"type nat hook output priority -100;",
		"ip saddr 198.18.20.0/24 oifname != \"lochs-aaaaaaaaa\" masquerade\n",
		"oifname \"lochs-aaaaaaaaa\" ip saddr 127.0.0.0/8 masquerade\n",
		"oifname \"lochs-aaaaaaaaa\" ip saddr 198.18.20.0/24 ct status dnat masquerade\n",
		"iifname \"lochs-bbbbbbbbb\" drop\n",
		"oifname \"lochs-bbbbbbbbb\" drop\n",
		"oifname \"lochs-aaaaaaaaa\" ip daddr 198.18.20.2 tcp dport 8080 ct status dnat accept\n",
		"iifname \"lochs-aaaaaaaaa\" oifname \"lochs*\" drop\n",
		"iifname \"lochs-aaaaaaaaa\" oifname \"lochs-aaaaaaaaa\" accept\n",
	};
	has_all(t, want, sizeof want / sizeof *want);
	/* The internal network is not masqueraded. */
	assert_null(strstr(t, "ip saddr 198.18.21.0/24"));
	/* Same-bridge accept comes before isolation. */
	assert_true(strstr(t, "oifname \"lochs-aaaaaaaaa\" accept") < strstr(t, "oifname \"lochs*\" drop"));
	free(t);
	/* No IPv6 anywhere: the ip6 table is only deleted. */
	t = fw_script(&m);
	assert_non_null(strstr(t, "add table ip6 lochs_0000abcd\ndelete table ip6 lochs_0000abcd\n"));
	assert_null(strstr(t, "table ip6 lochs_0000abcd {"));
	free(t);
	/* Nothing to hold: the tables are only deleted. */
	struct fw_model empty = { .table = "lochs" };
	t = fw_script(&empty);
	assert_string_equal(t, "add table ip lochs\ndelete table ip lochs\nadd table ip6 lochs\ndelete table ip6 lochs\n");
	free(t);
}

/* An IPv6 network with a wildcard binding and a host-address one. */
static void test_script_v6(void **s)
{
	struct fw_net nets[] = { { "lochs-ccccccccc", "198.18.23.0/24", 0, "fd18:23::/64" } };
	struct fw_port ports[] = { { { "j1", "tcp", "", 18080, "198.18.23.2", 8080 }, "lochs-ccccccccc" },
				   { { "j1", "tcp", "::", 18080, "fd18:23::2", 8080 }, "lochs-ccccccccc" },
				   { { "j1", "udp", "fd18:29::1", 18081, "fd18:23::2", 9999 }, "lochs-ccccccccc" },
				   { { "j1", "tcp", "::1", 18082, "198.18.23.2", 8080 }, "lochs-ccccccccc" } };
	struct fw_model m = { "lochs_0000abcd", nets, 1, ports, 4 };
	char *t = fw_script(&m);
	assert_non_null(t);
	const char *six = strstr(t, "table ip6 lochs_0000abcd {");
	assert_non_null(six);
	const char *want[] = {
		"ip6 daddr != ::1 fib daddr type local tcp dport 18080 dnat to [fd18:23::2]:8080\n",
		"ip6 daddr fd18:29::1 udp dport 18081 dnat to [fd18:23::2]:9999\n",
		"ip6 saddr fd18:23::/64 oifname != \"lochs-ccccccccc\" masquerade\n",
		"oifname \"lochs-ccccccccc\" ip6 saddr fd18:23::/64 ct status dnat masquerade\n",
		"oifname \"lochs-ccccccccc\" ip6 daddr fd18:23::2 tcp dport 8080 ct status dnat accept\n",
		"iifname \"lochs-ccccccccc\" oifname \"lochs*\" drop\n",
	};
	has_all(six, want, sizeof want / sizeof *want);
	/* Each family's bindings stay in its own table. */
	assert_null(strstr(six, "198.18.23.2"));
	assert_null(strstr(six, "127.0.0.0/8"));
	const char *v6_in_v4 = strstr(t, "fd18:23::2");
	assert_true(v6_in_v4 > six);
	assert_non_null(strstr(t, "fib daddr type local tcp dport 18080 dnat to 198.18.23.2:8080\n"));
	/* [::1] is the userspace proxy's: no rule in either table. */
	assert_null(strstr(t, "18082"));
	free(t);
}

static char root[64];
static sqlite3 *db;

static int db_setup(void **s)
{
	struct lerr e = { 0 };
	snprintf(root, sizeof root, "/tmp/lochs-ports-unit.XXXXXX");
	if (!mkdtemp(root))
		return -1;
	db = state_open(root, &e);
	return db ? 0 : -1;
}

static int db_teardown(void **s)
{
	char cmd[128];
	state_close(db);
	snprintf(cmd, sizeof cmd, "rm -rf %s", root);
	return system(cmd) == 0 ? 0 : -1;
}

static int rows(const char *jail)
{
	struct np_binding *b;
	int n;
	assert_int_equal(ports_list(db, jail, &b, &n, NULL), 0);
	free(b);
	return n;
}

/* A host port the test can listen on: the kernel's choice. */
static int listener(int type, int *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof a;
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	int fd = socket(AF_INET, type, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	if (type == SOCK_STREAM)
		listen(fd, 1);
	getsockname(fd, (struct sockaddr *)&a, &len);
	*port = ntohs(a.sin_port);
	return fd;
}

static void test_reserve(void **s)
{
	struct lerr e = { 0 };
	int port, fd = listener(SOCK_STREAM, &port);
	close(fd); /* free again: reserved below */
	char spec[64], spec2[64];
	snprintf(spec, sizeof spec, "%d:8080", port);
	char *one[] = { spec, NULL };
	assert_int_equal(ports_reserve(db, "jail-a", "198.18.20.2", NULL, one, 0, NULL, &e), 0);
	assert_int_equal(rows("jail-a"), 1);
	/* The same port again (wildcard vs a specific address too): refused,
	 * naming the port and the jail, and nothing more is reserved. */
	snprintf(spec2, sizeof spec2, "127.0.0.1:%d:80", port);
	char *two[] = { "80", spec2, NULL };
	assert_int_equal(ports_reserve(db, "jail-b", "198.18.20.3", NULL, two, 0, NULL, &e), -1);
	assert_non_null(strstr(e.msg, "jail-a"));
	char want[32];
	snprintf(want, sizeof want, ":%d/tcp", port);
	assert_non_null(strstr(e.msg, want));
	assert_int_equal(rows("jail-b"), 0);
	/* Another protocol is another port. */
	snprintf(spec2, sizeof spec2, "%d:80/udp", port);
	char *udp[] = { spec2, NULL };
	setenv("LOCHS_PORT_RANGE", "18900-18999", 1);
	assert_int_equal(ports_reserve(db, "jail-b", "198.18.20.3", NULL, udp, 0, NULL, &e), 0);
	/* -P: every exposed port to a free port of the range. */
	char *exposed[] = { "8080", "9000-9001/udp", NULL };
	assert_int_equal(ports_reserve(db, "jail-c", "198.18.20.4", NULL, NULL, 1, exposed, &e), 0);
	struct np_binding *b;
	int n;
	assert_int_equal(ports_list(db, "jail-c", &b, &n, &e), 0);
	assert_int_equal(n, 3);
	for (int i = 0; i < n; i++)
		assert_true(b[i].host_port >= 18900 && b[i].host_port <= 18999);
	free(b);
	/* A host process listening: refused like Docker's "already allocated". */
	fd = listener(SOCK_STREAM, &port);
	snprintf(spec, sizeof spec, "127.0.0.1:%d:8080", port);
	assert_int_equal(ports_reserve(db, "jail-d", "198.18.20.5", NULL, one, 0, NULL, &e), -1);
	assert_non_null(strstr(e.msg, "host process"));
	assert_int_equal(rows("jail-d"), 0);
	close(fd);
	assert_int_equal(ports_release(db, "jail-a"), 1);
	assert_int_equal(rows("jail-a"), 0);
	char *bad[] = { "70000:80", NULL };
	assert_int_equal(ports_reserve(db, "jail-e", "198.18.20.6", NULL, bad, 0, NULL, &e), -1);
	assert_string_equal(e.msg, "invalid -p '70000:80': port out of range");
}

/* IPv6: the wildcard on a jail with an IPv6 address holds both families;
 * each family's wildcard conflicts only with its own addresses. */
static void test_reserve_v6(void **s)
{
	struct lerr e = { 0 };
	int port, fd = listener(SOCK_STREAM, &port);
	close(fd);
	char spec[64], spec2[64];
	snprintf(spec, sizeof spec, "%d:8080", port);
	char *one[] = { spec, NULL };
	assert_int_equal(ports_reserve(db, "jail-a", "198.18.20.2", "fd18:20::2", one, 0, NULL, &e), 0);
	assert_int_equal(rows("jail-a"), 2);
	struct np_binding *b;
	int n;
	assert_int_equal(ports_list(db, "jail-a", &b, &n, &e), 0);
	int six = 0;
	for (int i = 0; i < n; i++)
		if (!strcmp(b[i].host_ip, "::")) {
			six = 1;
			assert_string_equal(b[i].jail_ip, "fd18:20::2");
			assert_int_equal(b[i].host_port, port);
		}
	assert_true(six);
	free(b);
	/* [::]:PORT again: held by jail-a. */
	snprintf(spec2, sizeof spec2, "[::]:%d:80", port);
	char *v6any[] = { spec2, NULL };
	assert_int_equal(ports_reserve(db, "jail-b", "198.18.20.3", "fd18:20::3", v6any, 0, NULL, &e), -1);
	assert_non_null(strstr(e.msg, "jail-a"));
	assert_non_null(strstr(e.msg, "[::]"));
	assert_int_equal(ports_release(db, "jail-a"), 2);
	/* An IPv4-only jail keeps [::] free for an IPv6 one. */
	assert_int_equal(ports_reserve(db, "jail-a", "198.18.20.2", NULL, one, 0, NULL, &e), 0);
	assert_int_equal(ports_reserve(db, "jail-b", "198.18.20.3", "fd18:20::3", v6any, 0, NULL, &e), 0);
	assert_int_equal(rows("jail-b"), 1);
	/* [::1] is the proxy's: to the jail's IPv6 address, else its IPv4
	 * one; a jail without IPv6 has no target for other IPv6 addresses. */
	char *lo[] = { "[::1]:18999:80", NULL };
	assert_int_equal(ports_reserve(db, "jail-c", "198.18.20.4", "fd18:20::4", lo, 0, NULL, &e), 0);
	assert_int_equal(ports_list(db, "jail-c", &b, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(b[0].jail_ip, "fd18:20::4");
	assert_true(portspec_proxy_only(&b[0]));
	free(b);
	assert_int_equal(ports_release(db, "jail-c"), 1);
	assert_int_equal(ports_reserve(db, "jail-c", "198.18.20.4", NULL, lo, 0, NULL, &e), 0);
	assert_int_equal(ports_list(db, "jail-c", &b, &n, &e), 0);
	assert_string_equal(b[0].jail_ip, "198.18.20.4");
	free(b);
	assert_int_equal(ports_release(db, "jail-c"), 1);
	char *any6[] = { "[::]:18998:80", NULL };
	assert_int_equal(ports_reserve(db, "jail-c", "198.18.20.4", NULL, any6, 0, NULL, &e), -1);
	assert_non_null(strstr(e.msg, "no IPv6 address"));
	assert_int_equal(rows("jail-c"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms),  cmocka_unit_test(test_errors), cmocka_unit_test(test_format),
		cmocka_unit_test(test_table_name), cmocka_unit_test(test_script), cmocka_unit_test(test_script_v6),
		cmocka_unit_test_setup_teardown(test_reserve, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(test_reserve_v6, db_setup, db_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
