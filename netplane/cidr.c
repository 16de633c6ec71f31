/* Address arithmetic for IPAM and subnet checks; see cidr.h. */
#include "cidr.h"
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static int bits(int family)
{
	return family == AF_INET ? 32 : 128;
}

static int parse_addr(const char *s, size_t len, struct np_cidr *out)
{
	char buf[INET6_ADDRSTRLEN];
	if (len == 0 || len >= sizeof buf)
		return -1;
	memcpy(buf, s, len);
	buf[len] = 0;
	memset(out, 0, sizeof *out);
	/* inet_pton alone accepts no shorthand like "10.1" or leading zeros
	 * ambiguity, which is what a subnet flag wants. */
	if (inet_pton(AF_INET, buf, out->a) == 1)
		out->family = AF_INET;
	else if (inet_pton(AF_INET6, buf, out->a) == 1)
		out->family = AF_INET6;
	else
		return -1;
	out->prefix = bits(out->family);
	return 0;
}

/* Zeroes the bits past prefix; returns whether any were set. */
static int mask_host(struct np_cidr *c)
{
	int dirty = 0;
	for (int i = 0; i < 16; i++) {
		int keep = c->prefix - 8 * i;
		unsigned char m = keep >= 8 ? 0xff : keep <= 0 ? 0 : (unsigned char)(0xff << (8 - keep));
		if (c->a[i] & ~m)
			dirty = 1;
		c->a[i] &= m;
	}
	return dirty;
}

int np_cidr_parse(const char *s, struct np_cidr *out, struct lerr *e)
{
	const char *slash = s ? strchr(s, '/') : NULL;
	if (!slash || parse_addr(s, (size_t)(slash - s), out) < 0)
		return lerr_set(e, LX_LOCHS, "invalid CIDR address: %s", s ? s : "");
	char *end;
	long p = strtol(slash + 1, &end, 10);
	if (!slash[1] || *end || p < 0 || p > bits(out->family) || (slash[1] == '0' && slash[2]))
		return lerr_set(e, LX_LOCHS, "invalid CIDR address: %s", s);
	out->prefix = (int)p;
	struct np_cidr net = *out;
	if (mask_host(&net)) {
		char want[64];
		np_cidr_format(&net, want, sizeof want);
		return lerr_set(e, LX_LOCHS, "invalid subnet %s: it should be %s", s, want);
	}
	return 0;
}

int np_addr_parse(const char *s, struct np_cidr *out, struct lerr *e)
{
	if (!s || parse_addr(s, strlen(s), out) < 0)
		return lerr_set(e, LX_LOCHS, "invalid IP address: %s", s ? s : "");
	return 0;
}

void np_addr_format(const struct np_cidr *c, char *out, size_t size)
{
	char buf[INET6_ADDRSTRLEN] = "";
	inet_ntop(c->family, c->a, buf, sizeof buf);
	snprintf(out, size, "%s", buf);
}

void np_cidr_format(const struct np_cidr *c, char *out, size_t size)
{
	char buf[INET6_ADDRSTRLEN] = "";
	inet_ntop(c->family, c->a, buf, sizeof buf);
	snprintf(out, size, "%s/%d", buf, c->prefix);
}

int np_cidr_contains(const struct np_cidr *outer, const struct np_cidr *inner)
{
	if (outer->family != inner->family || inner->prefix < outer->prefix)
		return 0;
	struct np_cidr x = *inner;
	x.prefix = outer->prefix;
	mask_host(&x);
	return memcmp(x.a, outer->a, 16) == 0;
}

int np_cidr_overlap(const struct np_cidr *a, const struct np_cidr *b)
{
	/* Two prefixes overlap exactly when the shorter contains the longer. */
	return a->prefix <= b->prefix ? np_cidr_contains(a, b) : np_cidr_contains(b, a);
}

int np_cidr_nth(const struct np_cidr *net, uint64_t n, struct np_cidr *out)
{
	int host = bits(net->family) - net->prefix;
	if (host < 64 && n >> host)
		return -1;
	*out = *net;
	out->prefix = bits(net->family);
	/* Add n to the address, big-endian, from the last byte. */
	int last = net->family == AF_INET ? 3 : 15;
	unsigned carry = 0;
	for (int i = last; i >= 0 && (n || carry); i--) {
		unsigned v = out->a[i] + (unsigned)(n & 0xff) + carry;
		out->a[i] = (unsigned char)v;
		carry = v >> 8;
		n >>= 8;
	}
	return 0;
}

int np_cidr_is_host(const struct np_cidr *net, const struct np_cidr *addr)
{
	if (addr->prefix != bits(addr->family) || !np_cidr_contains(net, addr))
		return 0;
	struct np_cidr first;
	np_cidr_nth(net, 0, &first);
	if (!memcmp(first.a, addr->a, 16))
		return 0;
	if (net->family == AF_INET && net->prefix < 32) {
		uint32_t bcast = np_v4(net) | (uint32_t)(0xffffffffull >> net->prefix);
		if (np_v4(addr) == bcast)
			return 0;
	}
	return 1;
}

uint32_t np_v4(const struct np_cidr *c)
{
	return (uint32_t)c->a[0] << 24 | (uint32_t)c->a[1] << 16 | (uint32_t)c->a[2] << 8 | c->a[3];
}

void np_v4_set(struct np_cidr *c, uint32_t v, int prefix)
{
	memset(c, 0, sizeof *c);
	c->family = AF_INET;
	c->prefix = prefix;
	c->a[0] = (unsigned char)(v >> 24);
	c->a[1] = (unsigned char)(v >> 16);
	c->a[2] = (unsigned char)(v >> 8);
	c->a[3] = (unsigned char)v;
}

void np_mac_of(const struct np_cidr *v4, char out[18])
{
	snprintf(out, 18, "02:6c:%02x:%02x:%02x:%02x", v4->a[0], v4->a[1], v4->a[2], v4->a[3]);
}
