/* The embedded DNS server's pure parts: which jail a name means, the
 * round-robin order, reverse names, a jail's resolv.conf text, the checks
 * of --add-host/--dns/--network-alias, and the TCP wire format. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "../../netplane/dnsname.h"
#include "../../netplane/dnswire.h"

static const struct dns_jail web = {
	.id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	.name = "Web-1", .hostname = "webhost", .project = "shop", .service = "web",
	.aliases = "front\nwww.example", .addr = "198.18.30.2",
};

static void test_norm(void **s)
{
	char out[256];
	assert_int_equal(dns_name_norm("SRV.", out, sizeof out), 0);
	assert_string_equal(out, "srv");
	assert_int_equal(dns_name_norm("Web.Alias", out, sizeof out), 0);
	assert_string_equal(out, "web.alias");
	assert_int_equal(dns_name_norm(".", out, sizeof out), -1);
	assert_int_equal(dns_name_norm("", out, sizeof out), -1);
	assert_int_equal(dns_name_norm("abcdef", out, 4), -1);
}

static void test_matches(void **s)
{
	const char *yes[] = { "web-1", "webhost", "front", "www.example", "0123456789ab" };
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
		assert_true(dns_jail_matches(&web, yes[i], NULL));
	/* Not a prefix of a name or an alias, not a longer or shorter id. */
	const char *no[] = { "web", "fron", "www", "0123456789a", "0123456789abc", "shop", "example" };
	for (size_t i = 0; i < sizeof no / sizeof *no; i++)
		assert_false(dns_jail_matches(&web, no[i], NULL));
	/* The Compose service name: only for jails of the same project. */
	assert_true(dns_jail_matches(&web, "web", "shop"));
	assert_false(dns_jail_matches(&web, "web", "other"));
	assert_false(dns_jail_matches(&web, "web", ""));
	struct dns_jail plain = { .id = "ffffffffffff", .name = "x", .hostname = "", .project = "", .service = "",
				  .aliases = "", .addr = "198.18.30.3" };
	assert_false(dns_jail_matches(&plain, "", ""));
	assert_true(dns_jail_matches(&plain, "ffffffffffff", ""));
}

static void test_select(void **s)
{
	/* web on the asking network and another; db on the other only; an
	 * IPv6 row; a second replica behind the alias "front". */
	const struct dns_jail v[] = {
		{ .id = "aaaa", .name = "web", .aliases = "front", .addr = "198.18.30.2" },
		{ .id = "bbbb", .name = "web2", .aliases = "front", .addr = "198.18.30.3" },
		{ .id = "aaaa", .name = "web", .aliases = "", .addr = "198.18.31.2" },
		{ .id = "cccc", .name = "db", .aliases = "", .addr = "198.18.31.3" },
		{ .id = "cccc", .name = "db", .aliases = "", .addr = "fd00::3" },
	};
	int idx[8], exists;
	assert_int_equal(dns_select(v, 5, "web", "", AF_INET, idx, 8, &exists), 1);
	assert_int_equal(idx[0], 0); /* the asking network's address only */
	assert_int_equal(dns_select(v, 5, "front", "", AF_INET, idx, 8, &exists), 2);
	assert_int_equal(idx[0], 0);
	assert_int_equal(idx[1], 1);
	assert_int_equal(dns_select(v, 5, "front", "", AF_INET, idx, 1, &exists), 1);
	assert_int_equal(dns_select(v, 5, "db", "", AF_INET6, idx, 8, &exists), 1);
	assert_int_equal(idx[0], 4);
	assert_int_equal(dns_select(v, 5, "web", "", AF_INET6, idx, 8, &exists), 0);
	assert_true(exists); /* NODATA, not NXDOMAIN */
	assert_int_equal(dns_select(v, 5, "web", "", 0, idx, 8, &exists), 0);
	assert_true(exists);
	assert_int_equal(dns_select(v, 5, "nope", "", AF_INET, idx, 8, &exists), 0);
	assert_false(exists);
}

static void test_rotate(void **s)
{
	int a[] = { 1, 2, 3 };
	dns_rotate(a, 3, sizeof *a, 0);
	assert_int_equal(a[0], 1);
	dns_rotate(a, 3, sizeof *a, 1);
	assert_int_equal(a[0], 2);
	assert_int_equal(a[1], 3);
	assert_int_equal(a[2], 1);
	dns_rotate(a, 3, sizeof *a, 5); /* 5 % 3 = 2 */
	assert_int_equal(a[0], 1);
	assert_int_equal(a[1], 2);
	assert_int_equal(a[2], 3);
	/* Over successive turns every replica comes first once. */
	int seen[3] = { 0 };
	for (unsigned k = 0; k < 3; k++) {
		int b[] = { 0, 1, 2 };
		dns_rotate(b, 3, sizeof *b, k);
		seen[b[0]]++;
	}
	assert_int_equal(seen[0] + seen[1] + seen[2], 3);
	assert_true(seen[0] == 1 && seen[1] == 1 && seen[2] == 1);
	unsigned char addrs[2][16] = { { 198, 18, 30, 2 }, { 198, 18, 30, 3 } };
	dns_rotate(addrs, 2, sizeof addrs[0], 1);
	assert_int_equal(addrs[0][3], 3);
	assert_int_equal(addrs[1][3], 2);
}

static void test_ptr(void **s)
{
	char ip[64];
	assert_int_equal(dns_ptr_v4("2.30.18.198.in-addr.arpa", ip, sizeof ip), 0);
	assert_string_equal(ip, "198.18.30.2");
	const char *bad[] = { "30.18.198.in-addr.arpa", "2.30.18.198.in-addr.arpa.x", "256.30.18.198.in-addr.arpa",
			      "+2.30.18.198.in-addr.arpa", "2.30.18.198.ip6.arpa", "srv" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(dns_ptr_v4(bad[i], ip, sizeof ip), -1);
}

static void test_ptr6(void **s)
{
	unsigned char a[16], want[16] = { 0x20, 0x01, 0x0d, 0xb8, [14] = 0x0a, [15] = 0xbc };
	assert_int_equal(dns_ptr_v6("c.b.a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa", a), 0);
	assert_memory_equal(a, want, 16);
	assert_int_equal(dns_ptr_v6("C.B.A.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.B.D.0.1.0.0.2.ip6.arpa", a), 0);
	assert_memory_equal(a, want, 16);
	assert_int_equal(dns_ptr_v6("b.a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa", a), -1);
	assert_int_equal(dns_ptr_v6("g.b.a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa", a), -1);
	assert_int_equal(dns_ptr_v6("2.30.18.198.in-addr.arpa", a), -1);
}

static const char host[] = "# generated\nnameserver 127.0.0.53\nnameserver 10.0.0.2\n"
			   "nameserver ::1\nsearch corp.example\noptions edns0 trust-ad\nnameserver 2001:db8::1\n";

static void test_resolv(void **s)
{
	/* A user network: only the embedded server, the host's search/options. */
	char *t = dns_resolv_text(host, "198.18.30.1", NULL);
	assert_string_equal(t, "nameserver 198.18.30.1\nsearch corp.example\noptions edns0 trust-ad\n");
	free(t);
	char *dns[] = { "198.18.30.53", NULL };
	t = dns_resolv_text(host, "198.18.30.1", dns);
	assert_string_equal(t, "nameserver 198.18.30.1\nsearch corp.example\noptions edns0 trust-ad\n");
	free(t);
	/* The default network: the host's servers without loopback stubs... */
	t = dns_resolv_text(host, NULL, NULL);
	assert_string_equal(t, "nameserver 10.0.0.2\nsearch corp.example\noptions edns0 trust-ad\nnameserver 2001:db8::1\n");
	free(t);
	/* ... or --dns, ports dropped (resolv.conf has no port). */
	char *dns2[] = { "198.18.30.53", "127.0.0.1:5353", "2001:db8::53", "[2001:db8::54]:53", NULL };
	t = dns_resolv_text(host, "", dns2);
	assert_string_equal(t, "nameserver 198.18.30.53\nnameserver 127.0.0.1\nnameserver 2001:db8::53\n"
			       "nameserver 2001:db8::54\nsearch corp.example\noptions edns0 trust-ad\n");
	free(t);
	t = dns_resolv_text(NULL, NULL, NULL);
	assert_string_equal(t, "");
	free(t);
	char servers[4][64];
	assert_int_equal(dns_host_servers(host, servers, 4), 2);
	assert_string_equal(servers[0], "10.0.0.2");
	assert_string_equal(servers[1], "2001:db8::1");
	assert_int_equal(dns_host_servers(host, servers, 1), 1);
}

static void test_flags(void **s)
{
	char why[256];
	const char *hosts_ok[] = { "foo:198.18.39.9", "foo=198.18.39.9", "db.local:2001:db8::1", "gw:host-gateway" };
	for (size_t i = 0; i < sizeof hosts_ok / sizeof *hosts_ok; i++)
		assert_int_equal(dns_check_add_host(hosts_ok[i], why, sizeof why), 0);
	const char *hosts_bad[] = { "foo", "foo:", ":1.2.3.4", "foo:1.2.3", "fo o:1.2.3.4", "foo:gateway" };
	for (size_t i = 0; i < sizeof hosts_bad / sizeof *hosts_bad; i++)
		assert_int_equal(dns_check_add_host(hosts_bad[i], why, sizeof why), -1);
	assert_int_equal(dns_check_add_host("foo:1.2.3", why, sizeof why), -1);
	assert_non_null(strstr(why, "'1.2.3' is not an IP address"));
	const char *dns_ok[] = { "8.8.8.8", "127.0.0.1:5353", "2001:db8::1", "[2001:db8::1]:53" };
	for (size_t i = 0; i < sizeof dns_ok / sizeof *dns_ok; i++)
		assert_int_equal(dns_check_server(dns_ok[i], why, sizeof why), 0);
	const char *dns_bad[] = { "8.8.8", "1.2.3.4:", "1.2.3.4:0", "1.2.3.4:65536", "1.2.3.4:x", "[::1]", "dns.google" };
	for (size_t i = 0; i < sizeof dns_bad / sizeof *dns_bad; i++)
		assert_int_equal(dns_check_server(dns_bad[i], why, sizeof why), -1);
	assert_int_equal(dns_check_name("web.alias_1-x", why, sizeof why), 0);
	const char *names_bad[] = { "", "-web", ".web", "a..b", "a/b", "a b" };
	for (size_t i = 0; i < sizeof names_bad / sizeof *names_bad; i++)
		assert_int_equal(dns_check_name(names_bad[i], why, sizeof why), -1);
}

/* A query for name (type A) as a resolver sends it, with an EDNS record. */
static size_t query(unsigned char *m, const char *name, int type)
{
	unsigned char hdr[12] = { 0xbe, 0xef, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 1 };
	size_t n = 12;
	memcpy(m, hdr, 12);
	for (const char *p = name; *p;) {
		size_t l = strcspn(p, ".");
		m[n++] = (unsigned char)l;
		memcpy(m + n, p, l);
		n += l;
		p += l + (p[l] == '.');
	}
	m[n++] = 0;
	m[n++] = 0, m[n++] = (unsigned char)type, m[n++] = 0, m[n++] = 1;
	unsigned char opt[] = { 0, 0, 41, 0x10, 0, 0, 0, 0, 0, 0, 0 };
	memcpy(m + n, opt, sizeof opt);
	return n + sizeof opt;
}

/* A jail's --add-host names answer it over DNS as its /etc/hosts does. */
static void test_add_hosts(void **s)
{
	char *hosts[] = { "Foo:198.18.39.9", "foo=198.18.39.10", "db.local:2001:db8::1", "gw:host-gateway", NULL };
	unsigned char a[4][16];
	int found;
	assert_int_equal(dns_add_host_answer(hosts, "foo", AF_INET, "198.18.37.1", a, 4, &found), 2);
	assert_true(found);
	assert_memory_equal(a[0], "\xc6\x12\x27\x09", 4);
	assert_memory_equal(a[1], "\xc6\x12\x27\x0a", 4);
	/* The name exists: its other family answers empty, not NXDOMAIN. */
	assert_int_equal(dns_add_host_answer(hosts, "foo", AF_INET6, "198.18.37.1", a, 4, &found), 0);
	assert_true(found);
	assert_int_equal(dns_add_host_answer(hosts, "db.local", AF_INET6, "", a, 4, &found), 1);
	assert_int_equal(a[0][0], 0x20);
	assert_int_equal(dns_add_host_answer(hosts, "gw", AF_INET, "198.18.37.1", a, 4, &found), 1);
	assert_memory_equal(a[0], "\xc6\x12\x25\x01", 4);
	/* host-gateway without a network: no such name. */
	assert_int_equal(dns_add_host_answer(hosts, "gw", AF_INET, "", a, 4, &found), 0);
	assert_false(found);
	assert_int_equal(dns_add_host_answer(hosts, "fo", AF_INET, "", a, 4, &found), 0);
	assert_false(found);
	assert_int_equal(dns_add_host_answer(NULL, "foo", AF_INET, "", a, 4, &found), 0);
	assert_false(found);
}

static void test_wire(void **s)
{
	unsigned char m[512], out[512];
	struct dnswire_q q;
	size_t n = query(m, "Srv.Net", DNS_T_A);
	assert_int_equal(dnswire_query(m, n, &q), 0);
	assert_string_equal(q.name, "Srv.Net");
	assert_int_equal(q.type, DNS_T_A);
	assert_int_equal(q.qclass, DNS_C_IN);
	assert_int_equal(q.id, 0xbeef);
	struct dns_reply r = { .rcode = DNS_R_OK, .type = DNS_T_A, .ttl = 10, .n = 2,
			       .addr = { { 198, 18, 30, 2 }, { 198, 18, 30, 3 } } };
	size_t len = dnswire_reply(m, &q, &r, out, sizeof out);
	assert_int_equal(len, q.end + 2 * 16);
	assert_int_equal(out[0], 0xbe);
	assert_int_equal(out[2] & 0x80, 0x80);        /* QR */
	assert_int_equal(out[2] & 0x01, 0x01);        /* RD copied */
	assert_int_equal(out[3], 0x80);               /* RA, NOERROR */
	assert_int_equal(out[7], 2);                  /* ANCOUNT */
	assert_int_equal(out[11], 0);                 /* no EDNS echoed */
	assert_memory_equal(out + q.end + 12, r.addr[0], 4);
	assert_memory_equal(out + q.end + 16 + 12, r.addr[1], 4);
	r = (struct dns_reply){ .rcode = DNS_R_NXDOMAIN };
	len = dnswire_reply(m, &q, &r, out, sizeof out);
	assert_int_equal(len, q.end);
	assert_int_equal(out[3] & 15, 3);
	assert_int_equal(out[7], 0);
	n = query(m, "2.30.18.198.in-addr.arpa", DNS_T_PTR);
	assert_int_equal(dnswire_query(m, n, &q), 0);
	r = (struct dns_reply){ .rcode = DNS_R_OK, .type = DNS_T_PTR, .ttl = 10, .ptr = "web" };
	len = dnswire_reply(m, &q, &r, out, sizeof out);
	assert_int_equal(len, q.end + 12 + 5);
	assert_memory_equal(out + q.end + 12, "\3web\0", 5);
	assert_int_equal(dnswire_reply(m, &q, &r, out, q.end + 4), 0); /* does not fit */
	/* Not a query: a reply, no question, cut short. */
	m[2] |= 0x80;
	assert_int_equal(dnswire_query(m, n, &q), -1);
	m[2] &= 0x7f;
	m[5] = 0;
	assert_int_equal(dnswire_query(m, n, &q), -1);
	m[5] = 1;
	assert_int_equal(dnswire_query(m, 20, &q), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_norm),   cmocka_unit_test(test_matches), cmocka_unit_test(test_rotate), cmocka_unit_test(test_select),
		cmocka_unit_test(test_ptr), cmocka_unit_test(test_ptr6),    cmocka_unit_test(test_resolv),  cmocka_unit_test(test_flags),
		cmocka_unit_test(test_wire), cmocka_unit_test(test_add_hosts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
