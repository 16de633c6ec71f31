/* DNS messages on the wire, pure: the one question of a query and a reply
 * to it. libevent 2.1's evdns serves UDP only; the TCP side of the
 * embedded server parses and builds its messages with these. */
#pragma once
#include <stddef.h>
#include <stdint.h>

enum { DNS_T_A = 1, DNS_T_PTR = 12, DNS_T_AAAA = 28, DNS_C_IN = 1 };
enum { DNS_R_OK = 0, DNS_R_FORMERR = 1, DNS_R_SERVFAIL = 2, DNS_R_NXDOMAIN = 3, DNS_R_NOTIMP = 4 };

#define DNS_MAX_ADDRS 32

/* What the server answers: rcode, and for DNS_R_OK the records of the
 * question's type (none: NODATA). */
struct dns_reply {
	int rcode;
	int type;       /* A, AAAA or PTR */
	int ttl;
	int n;          /* addresses (A: 4 bytes each, AAAA: 16) */
	unsigned char addr[DNS_MAX_ADDRS][16];
	char ptr[256];  /* PTR: the name; "" none */
};

struct dnswire_q {
	uint16_t id, flags;
	char name[256]; /* dotted, as asked, no trailing dot */
	int type, qclass;
	size_t end;     /* where the question section ends */
};

/* -1 when m is not a query with exactly one question. */
int dnswire_query(const unsigned char *m, size_t n, struct dnswire_q *q);
/* The reply's length, or 0 when it does not fit in size. */
size_t dnswire_reply(const unsigned char *query, const struct dnswire_q *q, const struct dns_reply *r,
		     unsigned char *out, size_t size);
