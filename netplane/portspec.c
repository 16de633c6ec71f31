/* See portspec.h. */
#include "portspec.h"
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "N" or "N-M" with 1 <= N <= M <= 65535. */
static int parse_range(const char *s, size_t len, int *lo, int *hi, struct lerr *e)
{
	char buf[32], *end;
	if (len == 0 || len >= sizeof buf)
		return lerr_set(e, LX_LOCHS, len ? "port out of range" : "port is missing");
	memcpy(buf, s, len);
	buf[len] = 0;
	if (strspn(buf, "0123456789-") != len || *buf == '-')
		return lerr_set(e, LX_LOCHS, "port \"%s\" is not a number", buf);
	long a = strtol(buf, &end, 10), b = a;
	if (*end == '-') {
		if (!end[1] || end[1] == '-')
			return lerr_set(e, LX_LOCHS, "port range \"%s\" is not N-M", buf);
		b = strtol(end + 1, &end, 10);
	}
	if (*end)
		return lerr_set(e, LX_LOCHS, "port range \"%s\" is not N-M", buf);
	if (a < 1 || a > 65535 || b < 1 || b > 65535)
		return lerr_set(e, LX_LOCHS, "port out of range");
	if (b < a)
		return lerr_set(e, LX_LOCHS, "port range %s ends before it starts", buf);
	*lo = (int)a;
	*hi = (int)b;
	return 0;
}

/* Splits "/proto" off s (a copy in buf); tcp when there is none. */
static int split_proto(const char *s, char *buf, size_t size, char proto[4], struct lerr *e)
{
	if (strlen(s) >= size)
		return lerr_set(e, LX_LOCHS, "too long");
	snprintf(buf, size, "%s", s);
	char *slash = strrchr(buf, '/');
	snprintf(proto, 4, "tcp");
	if (!slash)
		return 0;
	*slash = 0;
	if (!strcmp(slash + 1, "tcp") || !strcmp(slash + 1, "udp"))
		snprintf(proto, 4, "%s", slash + 1);
	else if (!strcmp(slash + 1, "sctp"))
		return lerr_set(e, LX_LOCHS, "sctp is not supported (tcp or udp)");
	else
		return lerr_set(e, LX_LOCHS, "unknown protocol \"%s\" (tcp or udp)", slash + 1);
	return 0;
}

static int set_host_ip(struct np_portspec *p, const char *ip, size_t len, struct lerr *e)
{
	char buf[64];
	unsigned char a[16];
	if (len >= sizeof buf)
		return lerr_set(e, LX_LOCHS, "invalid host IP address");
	memcpy(buf, ip, len);
	buf[len] = 0;
	int v4 = inet_pton(AF_INET, buf, a) == 1;
	if (!v4 && inet_pton(AF_INET6, buf, a) != 1)
		return lerr_set(e, LX_LOCHS, "invalid host IP address \"%s\"", buf);
	/* 0.0.0.0 means every address, as no IP does; "::" stays: every
	 * IPv6 address only (ports.h). */
	if (!strcmp(buf, "0.0.0.0"))
		buf[0] = 0;
	/* One spelling per IPv6 address ("0::1" is "::1"): rows compare as text. */
	if (!v4)
		inet_ntop(AF_INET6, a, buf, sizeof buf);
	snprintf(p->host_ip, sizeof p->host_ip, "%s", buf);
	return 0;
}

int portspec_parse(const char *s, struct np_portspec *p, struct lerr *e)
{
	char buf[256];
	memset(p, 0, sizeof *p);
	if (!s || !*s)
		return lerr_set(e, LX_LOCHS, "empty port specification");
	if (split_proto(s, buf, sizeof buf, p->proto, e) < 0)
		return -1;
	char *rest = buf, *c;
	if (*rest == '[') {
		char *close = strchr(rest, ']');
		if (!close || close[1] != ':')
			return lerr_set(e, LX_LOCHS, "a bracketed IPv6 address is followed by \":HOST:JAIL\"");
		if (set_host_ip(p, rest + 1, (size_t)(close - rest - 1), e) < 0)
			return -1;
		rest = close + 2;
		c = strchr(rest, ':');
		if (!c)
			return lerr_set(e, LX_LOCHS, "the jail port is missing after the host port");
	} else {
		int colons = 0;
		for (char *q = rest; *q; q++)
			colons += *q == ':';
		if (colons > 2)
			return lerr_set(e, LX_LOCHS, "an IPv6 host address must be in brackets ([::1]:8080:80)");
		if (colons == 2) {
			char *first = strchr(rest, ':');
			if (set_host_ip(p, rest, (size_t)(first - rest), e) < 0)
				return -1;
			rest = first + 1;
		}
		c = strchr(rest, ':');
	}
	if (c && strchr(c + 1, ':'))
		return lerr_set(e, LX_LOCHS, "too many colons");
	if (c && c > rest && parse_range(rest, (size_t)(c - rest), &p->host_lo, &p->host_hi, e) < 0)
		return -1;
	const char *jail = c ? c + 1 : rest;
	if (parse_range(jail, strlen(jail), &p->jail_lo, &p->jail_hi, e) < 0)
		return -1;
	int hn = p->host_hi - p->host_lo, jn = p->jail_hi - p->jail_lo;
	if (p->host_lo && jn && hn != jn)
		return lerr_set(e, LX_LOCHS, "host and jail port ranges have different lengths (%d and %d)", hn + 1, jn + 1);
	return 0;
}

int portspec_parse_expose(const char *s, struct np_portspec *p, struct lerr *e)
{
	char buf[256];
	memset(p, 0, sizeof *p);
	if (!s || !*s)
		return lerr_set(e, LX_LOCHS, "empty port");
	if (split_proto(s, buf, sizeof buf, p->proto, e) < 0)
		return -1;
	return parse_range(buf, strlen(buf), &p->jail_lo, &p->jail_hi, e);
}

int portspec_count(const struct np_portspec *p)
{
	return p->jail_hi - p->jail_lo + 1;
}

void portspec_format_binding(const struct np_binding *b, char *out, size_t size)
{
	const char *ip = *b->host_ip ? b->host_ip : "0.0.0.0";
	int v6 = strchr(ip, ':') != NULL;
	snprintf(out, size, "%d/%s -> %s%s%s:%d", b->jail_port, b->proto, v6 ? "[" : "", ip, v6 ? "]" : "", b->host_port);
}

int portspec_loopback6(const struct np_binding *b)
{
	return !strcmp(b->host_ip, "::") || portspec_proxy_only(b);
}

int portspec_proxy_only(const struct np_binding *b)
{
	return portspec_ip_loopback6(b->host_ip);
}

int portspec_ip_loopback6(const char *host_ip)
{
	struct in6_addr a;
	return inet_pton(AF_INET6, host_ip, &a) == 1 && IN6_IS_ADDR_LOOPBACK(&a);
}
