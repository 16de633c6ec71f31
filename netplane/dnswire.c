/* See dnswire.h (RFC 1035 section 4). */
#include "dnswire.h"
#include <string.h>

int dnswire_query(const unsigned char *m, size_t n, struct dnswire_q *q)
{
	memset(q, 0, sizeof *q);
	if (n < 12)
		return -1;
	q->id = (uint16_t)(m[0] << 8 | m[1]);
	q->flags = (uint16_t)(m[2] << 8 | m[3]);
	/* QR must be 0 (a query) and there must be one question. */
	if ((q->flags & 0x8000) || m[4] != 0 || m[5] != 1)
		return -1;
	size_t p = 12, len = 0;
	while (p < n && m[p]) {
		size_t l = m[p];
		/* A question's name has no compression pointers (nothing to point at). */
		if (l > 63 || p + 1 + l >= n || len + l + 2 > sizeof q->name)
			return -1;
		if (len)
			q->name[len++] = '.';
		memcpy(q->name + len, m + p + 1, l);
		len += l;
		p += 1 + l;
	}
	if (p + 5 > n)
		return -1;
	q->name[len] = 0;
	q->type = m[p + 1] << 8 | m[p + 2];
	q->qclass = m[p + 3] << 8 | m[p + 4];
	q->end = p + 5;
	return 0;
}

static unsigned char *put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
	return p + 2;
}

/* name in labels; NULL when it does not fit before end. */
static unsigned char *put_name(unsigned char *p, const unsigned char *end, const char *name)
{
	while (*name) {
		size_t l = strcspn(name, ".");
		if (l == 0 || l > 63 || p + 1 + l >= end)
			return NULL;
		*p++ = (unsigned char)l;
		memcpy(p, name, l);
		p += l;
		name += l + (name[l] == '.');
	}
	if (p >= end)
		return NULL;
	*p++ = 0;
	return p;
}

size_t dnswire_reply(const unsigned char *query, const struct dnswire_q *q, const struct dns_reply *r,
		     unsigned char *out, size_t size)
{
	const unsigned char *end = out + size;
	int ptr = r->rcode == DNS_R_OK && r->type == DNS_T_PTR && r->ptr[0];
	int addrs = r->rcode == DNS_R_OK && (r->type == DNS_T_A || r->type == DNS_T_AAAA) ? r->n : 0;
	if (q->end > size)
		return 0;
	memcpy(out, query, q->end);
	/* QR, the query's opcode and RD, RA; no AA: answers may come from upstream. */
	put16(out + 2, 0x8000u | (q->flags & 0x7900u) | 0x80u | (unsigned)(r->rcode & 15));
	put16(out + 6, (unsigned)(ptr + addrs));
	put16(out + 8, 0);
	put16(out + 10, 0);
	unsigned char *p = out + q->end;
	for (int i = 0; i < addrs + ptr; i++) {
		unsigned rdlen = ptr ? 0 : r->type == DNS_T_A ? 4 : 16;
		if (p + 12 + rdlen > end)
			return 0;
		p = put16(p, 0xc00c); /* the question's name */
		p = put16(p, (unsigned)r->type);
		p = put16(p, DNS_C_IN);
		p = put16(p, (unsigned)r->ttl >> 16);
		p = put16(p, (unsigned)r->ttl & 0xffff);
		if (ptr) {
			unsigned char *len = p;
			if (!(p = put_name(p + 2, end, r->ptr)))
				return 0;
			put16(len, (unsigned)(p - len - 2));
		} else {
			p = put16(p, rdlen);
			memcpy(p, r->addr[i], rdlen);
			p += rdlen;
		}
	}
	return (size_t)(p - out);
}
