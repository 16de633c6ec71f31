/* Answers of the embedded DNS server: the asking jail's --add-host names,
 * live jails on the asking network (and on the asker's other user
 * networks) from the state database, everything else forwarded upstream. */
#include "dnsd.h"
#include "dnsdb.h"
#include "dnsname.h"
#include <arpa/inet.h>
#include <event2/dns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Short: a jail's address changes when it is recreated. */
#define LOCAL_TTL 10

/* A, AAAA and other types of a name some jail has; PTR of its address. */
static int local(struct dnsd_query *q, const char *name)
{
	struct dnsdb_jails js;
	struct dnsdb_asker asker;
	char ip[64];
	dnsdb_asker(dnsd_db(q->d), q->net_id, q->src, &asker);
	/* The asker's own --add-host names first, as its /etc/hosts has them. */
	int found = 0, family = q->type == DNS_T_A ? AF_INET : q->type == DNS_T_AAAA ? AF_INET6 : 0;
	if (q->type != DNS_T_PTR)
		q->r.n = dns_add_host_answer(asker.add_hosts, name, family, asker.gateway, q->r.addr, DNS_MAX_ADDRS, &found);
	dnsdb_asker_free(&asker); /* its id and project stay */
	if (found) {
		q->r.rcode = DNS_R_OK;
		q->r.ttl = LOCAL_TTL;
		return 1;
	}
	if (dnsdb_jails(dnsd_db(q->d), q->net_id, asker.id, &js) < 0)
		return 0;
	if (q->type == DNS_T_PTR) {
		unsigned char want[16], have[16];
		int v4 = dns_ptr_v4(name, ip, sizeof ip) == 0, v6 = !v4 && dns_ptr_v6(name, want) == 0;
		for (int i = 0; (v4 || v6) && i < js.n && !found; i++)
			if (v4 ? !strcmp(js.v[i].addr, ip)
			       : inet_pton(AF_INET6, js.v[i].addr, have) == 1 && !memcmp(have, want, 16)) {
				snprintf(q->r.ptr, sizeof q->r.ptr, "%s", js.v[i].name);
				found = 1;
			}
	} else {
		/* A jail without an IPv6 address has an empty AAAA answer
		 * (NODATA), and other types too: the name exists. */
		int idx[DNS_MAX_ADDRS];
		int n = dns_select(js.v, js.n, name, asker.project, family, idx, DNS_MAX_ADDRS, &found);
		for (int i = 0; i < n; i++)
			inet_pton(family, js.v[idx[i]].addr, q->r.addr[q->r.n++]);
		dns_rotate(q->r.addr, (size_t)q->r.n, sizeof q->r.addr[0], q->r.n > 1 ? dnsd_turn(q->d) : 0);
	}
	dnsdb_jails_free(&js);
	if (found) {
		q->r.rcode = DNS_R_OK;
		q->r.ttl = LOCAL_TTL;
	}
	return found;
}

static void forwarded(int result, char type, int count, int ttl, void *addresses, void *arg)
{
	struct dnsd_query *q = arg;
	q->r.ttl = ttl;
	if (result == DNS_ERR_NONE) {
		q->r.rcode = DNS_R_OK;
		if (type == DNS_PTR && addresses && *(char **)addresses)
			snprintf(q->r.ptr, sizeof q->r.ptr, "%s", *(char **)addresses);
		size_t width = type == DNS_IPv4_A ? 4 : type == DNS_IPv6_AAAA ? 16 : 0;
		for (int i = 0; width && i < count && q->r.n < DNS_MAX_ADDRS; i++)
			memcpy(q->r.addr[q->r.n++], (const unsigned char *)addresses + (size_t)i * width, width);
	} else if (result == DNS_ERR_NODATA) {
		q->r.rcode = DNS_R_OK;
	} else {
		q->r.rcode = result == DNS_ERR_NOTEXIST ? DNS_R_NXDOMAIN : DNS_R_SERVFAIL;
	}
	q->done(q);
}

/* A, AAAA and PTR go to the asker's --dns servers, else the host's:
 * evdns_base asks nothing else. */
static void forward(struct dnsd_query *q, const char *name)
{
	char ip[64];
	struct dnsdb_asker asker;
	dnsdb_asker(dnsd_db(q->d), q->net_id, q->src, &asker);
	struct evdns_base *b = dnsd_upstream(q->d, asker.dns);
	dnsdb_asker_free(&asker);
	struct in_addr a;
	struct in6_addr a6;
	struct evdns_request *rq = NULL;
	int v4 = q->type == DNS_T_PTR && dns_ptr_v4(name, ip, sizeof ip) == 0 && inet_pton(AF_INET, ip, &a) == 1;
	int v6 = q->type == DNS_T_PTR && !v4 && dns_ptr_v6(name, a6.s6_addr) == 0;
	q->r.rcode = DNS_R_SERVFAIL;
	if (q->type != DNS_T_A && q->type != DNS_T_AAAA && !v4 && !v6) {
		q->r.rcode = DNS_R_NOTIMP; /* other types, and PTR of partial reverse names */
	} else if (b) {
		int flags = DNS_QUERY_NO_SEARCH;
		rq = q->type == DNS_T_A	     ? evdns_base_resolve_ipv4(b, name, flags, forwarded, q)
		     : q->type == DNS_T_AAAA ? evdns_base_resolve_ipv6(b, name, flags, forwarded, q)
		     : v4		     ? evdns_base_resolve_reverse(b, &a, flags, forwarded, q)
					     : evdns_base_resolve_reverse_ipv6(b, &a6, flags, forwarded, q);
		/* NULL: refused at once (a bad name), without the callback. */
		if (rq)
			return;
	}
	q->done(q);
}

void dnsd_answer(struct dnsd_query *q)
{
	char name[256];
	memset(&q->r, 0, sizeof q->r);
	q->r.type = q->type;
	if (q->qclass != DNS_C_IN || dns_name_norm(q->name, name, sizeof name) < 0) {
		q->r.rcode = q->qclass != DNS_C_IN ? DNS_R_NOTIMP : DNS_R_FORMERR;
		q->done(q);
		return;
	}
	if (local(q, name))
		q->done(q);
	else
		forward(q, name);
}
