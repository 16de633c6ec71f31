/* See dnsname.h. */
#include "dnsname.h"
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int dns_name_norm(const char *in, char *out, size_t size)
{
	size_t n = strlen(in);
	if (n > 0 && in[n - 1] == '.')
		n--;
	if (n == 0 || n >= size)
		return -1;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)in[i]);
	out[n] = 0;
	return 0;
}

static int same(const char *a, const char *b)
{
	return a && *a && !strcasecmp(a, b);
}

static int in_lines(const char *lines, const char *qname)
{
	size_t q = strlen(qname);
	for (const char *p = lines; p && *p;) {
		size_t l = strcspn(p, "\n");
		if (l == q && !strncasecmp(p, qname, l))
			return 1;
		p += l + (p[l] == '\n');
	}
	return 0;
}

int dns_jail_matches(const struct dns_jail *j, const char *qname, const char *asker_project)
{
	if (same(j->name, qname) || same(j->hostname, qname) || in_lines(j->aliases, qname))
		return 1;
	/* The short id, as Docker answers it: exactly the first 12 digits. */
	if (strlen(qname) == 12 && j->id && !strncmp(j->id, qname, 12))
		return 1;
	return asker_project && *asker_project && same(j->project, asker_project) && same(j->service, qname);
}

static int family_of(const char *addr)
{
	unsigned char buf[16];
	return !addr ? 0 : inet_pton(AF_INET, addr, buf) == 1 ? AF_INET : inet_pton(AF_INET6, addr, buf) == 1 ? AF_INET6 : 0;
}

int dns_select(const struct dns_jail *v, int n, const char *qname, const char *asker_project, int family,
	       int *out, int max, int *exists)
{
	int k = 0;
	*exists = 0;
	for (int i = 0; i < n; i++) {
		if (!dns_jail_matches(&v[i], qname, asker_project))
			continue;
		*exists = 1;
		if (!family || family_of(v[i].addr) != family)
			continue;
		int dup = 0;
		for (int j = 0; j < k && !dup; j++)
			dup = !strcmp(v[out[j]].id, v[i].id);
		if (!dup && k < max)
			out[k++] = i;
	}
	return k;
}

void dns_rotate(void *a, size_t n, size_t size, unsigned k)
{
	if (n < 2 || k % n == 0)
		return;
	size_t s = (k % n) * size;
	unsigned char *b = a, *tmp = malloc(s);
	if (!tmp)
		return;
	memcpy(tmp, b, s);
	memmove(b, b + s, n * size - s);
	memcpy(b + n * size - s, tmp, s);
	free(tmp);
}

int dns_ptr_v4(const char *qname, char *ip, size_t size)
{
	unsigned o[4];
	int end = 0;
	if (sscanf(qname, "%3u.%3u.%3u.%3u.in-addr.arpa%n", &o[0], &o[1], &o[2], &o[3], &end) != 4 ||
	    qname[end] || o[0] > 255 || o[1] > 255 || o[2] > 255 || o[3] > 255)
		return -1;
	/* sscanf takes "+1" and " 1": the name must be digits and dots only. */
	for (const char *p = qname; p < qname + end - 13; p++)
		if (!isdigit((unsigned char)*p) && *p != '.')
			return -1;
	snprintf(ip, size, "%u.%u.%u.%u", o[3], o[2], o[1], o[0]);
	return 0;
}

int dns_ptr_v6(const char *qname, unsigned char addr[16])
{
	const char *p = qname;
	memset(addr, 0, 16);
	/* Least significant nibble first: the last byte's low nibble leads. */
	for (int i = 31; i >= 0; i--, p += 2) {
		if (!isxdigit((unsigned char)p[0]) || p[1] != '.')
			return -1;
		int v = isdigit((unsigned char)p[0]) ? p[0] - '0' : tolower((unsigned char)p[0]) - 'a' + 10;
		addr[i / 2] |= (unsigned char)(i % 2 ? v : v << 4);
	}
	return strcmp(p, "ip6.arpa") ? -1 : 0;
}

/* A nameserver line naming a loopback stub (systemd-resolved's
 * 127.0.0.53, a local dnsmasq): unreachable from a jail's netns. */
static int loopback_ns(const char *l)
{
	l += strspn(l + 10, " \t") + 10;
	return !strncmp(l, "127.", 4) || !strncmp(l, "::1", 3);
}

static int is_key(const char *l, const char *key)
{
	size_t k = strlen(key);
	return !strncmp(l, key, k) && (l[k] == ' ' || l[k] == '\t');
}

/* Calls fn for each line of text (a copy is cut up). */
static void each_line(const char *text, void (*fn)(const char *l, void *arg), void *arg)
{
	char *copy = strdup(text ? text : ""), *save = NULL;
	for (char *l = copy ? strtok_r(copy, "\n", &save) : NULL; l; l = strtok_r(NULL, "\n", &save))
		fn(l, arg);
	free(copy);
}

struct resolv_out {
	FILE *f;
	int nameservers; /* copy the host's nameserver lines too */
};

static void copy_line(const char *l, void *arg)
{
	struct resolv_out *o = arg;
	if (is_key(l, "search") || is_key(l, "options") || is_key(l, "domain") ||
	    (o->nameservers && is_key(l, "nameserver") && !loopback_ns(l)))
		fprintf(o->f, "%s\n", l);
}

char *dns_resolv_text(const char *host_text, const char *gateway, char *const *dns)
{
	char *buf = NULL;
	size_t len = 0;
	struct resolv_out o = { open_memstream(&buf, &len), 0 };
	if (!o.f)
		return NULL;
	if (gateway && *gateway) {
		fprintf(o.f, "nameserver %s\n", gateway);
	} else if (dns && dns[0]) {
		for (char *const *d = dns; *d; d++) {
			/* IPv4:PORT and [IPv6]:PORT lose the port; a bare IPv6
			 * address has several colons. */
			const char *a = *d + (**d == '[');
			const char *c = **d == '[' ? strchr(a, ']') : strchr(a, ':');
			int n = c && (**d == '[' || !strchr(c + 1, ':')) ? (int)(c - a) : (int)strlen(a);
			fprintf(o.f, "nameserver %.*s\n", n, a);
		}
	} else {
		o.nameservers = 1;
	}
	each_line(host_text, copy_line, &o);
	fclose(o.f);
	return buf;
}

struct servers_out {
	char (*out)[64];
	int n, max;
};

static void server_line(const char *l, void *arg)
{
	struct servers_out *s = arg;
	if (!is_key(l, "nameserver") || loopback_ns(l) || s->n >= s->max)
		return;
	l += 10 + strspn(l + 10, " \t");
	snprintf(s->out[s->n], 64, "%.*s", (int)strcspn(l, " \t#;"), l);
	if (s->out[s->n][0])
		s->n++;
}

int dns_host_servers(const char *host_text, char out[][64], int max)
{
	struct servers_out s = { out, 0, max };
	each_line(host_text, server_line, &s);
	return s.n;
}

int dns_check_name(const char *name, char *why, size_t size)
{
	size_t n = strlen(name);
	if (n == 0 || n > 253) {
		snprintf(why, size, "a name of 1 to 253 characters is required");
		return -1;
	}
	if (name[0] == '-' || name[0] == '.' || strstr(name, "..")) {
		snprintf(why, size, "labels cannot be empty or start with '-'");
		return -1;
	}
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("-_.", *p)) {
			snprintf(why, size, "'%c' is not allowed in a name", *p);
			return -1;
		}
	return 0;
}

static int is_addr(const char *s)
{
	unsigned char buf[16];
	return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

int dns_check_add_host(const char *arg, char *why, size_t size)
{
	const char *ip;
	size_t k = dns_add_host_split(arg, "host-gateway", &ip);
	char name[256];
	if (!arg[k] || k >= sizeof name) {
		snprintf(why, size, "NAME:IP expected");
		return -1;
	}
	snprintf(name, sizeof name, "%.*s", (int)k, arg);
	if (dns_check_name(name, why, size) < 0)
		return -1;
	if (strcmp(ip, "host-gateway") && !is_addr(ip)) {
		snprintf(why, size, "'%s' is not an IP address (or host-gateway)", ip);
		return -1;
	}
	return 0;
}

size_t dns_add_host_split(const char *arg, const char *gateway, const char **ip)
{
	/* NAME:IP splits at the first ':' (IPv6 addresses have more). */
	size_t k = strcspn(arg, ":=");
	*ip = arg[k] ? arg + k + 1 : "";
	if (!strcmp(*ip, "host-gateway"))
		*ip = gateway ? gateway : "";
	return k;
}

int dns_add_host_answer(char *const *hosts, const char *qname, int family, const char *gateway,
			unsigned char addrs[][16], int max, int *found)
{
	int n = 0;
	*found = 0;
	for (char *const *h = hosts; h && *h; h++) {
		const char *ip;
		size_t k = dns_add_host_split(*h, gateway, &ip);
		if (k != strlen(qname) || strncasecmp(*h, qname, k) || !*ip)
			continue;
		*found = 1;
		if (n < max && family && inet_pton(family, ip, addrs[n]) == 1)
			n++;
	}
	return n;
}

int dns_check_server(const char *arg, char *why, size_t size)
{
	char host[64];
	const char *port = NULL;
	const char *c = strchr(arg, ':');
	if (arg[0] == '[') { /* [IPv6]:PORT */
		const char *close = strchr(arg, ']');
		if (!close || close[1] != ':' || (size_t)(close - arg) > sizeof host) {
			snprintf(why, size, "[IPv6]:PORT expected");
			return -1;
		}
		snprintf(host, sizeof host, "%.*s", (int)(close - arg - 1), arg + 1);
		port = close + 2;
	} else if (c && !strchr(c + 1, ':')) { /* IPv4:PORT */
		snprintf(host, sizeof host, "%.*s", (int)(c - arg), arg);
		port = c + 1;
	} else {
		snprintf(host, sizeof host, "%s", arg);
	}
	if (!is_addr(host)) {
		snprintf(why, size, "'%s' is not an IP address", host);
		return -1;
	}
	char *end;
	long p = port ? strtol(port, &end, 10) : 53;
	if (port && (!*port || *end || p < 1 || p > 65535)) {
		snprintf(why, size, "'%s' is not a port (1-65535)", port);
		return -1;
	}
	return 0;
}
