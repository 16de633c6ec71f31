/* The pure half of the embedded DNS server (no system calls, no SQL):
 * which jail a name means, the order replicas answer in, reverse names,
 * and the text of a jail's resolv.conf. */
#pragma once
#include <stddef.h>

/* One endpoint of a live jail on the asking network. aliases: its
 * --network-alias names on that network, '\n'-separated ("" none). */
struct dns_jail {
	const char *id, *name, *hostname, *project, *service, *aliases;
	const char *addr; /* IPv4 or IPv6 address */
};

/* Lower case, no trailing dot; 0, or -1 when it does not fit or is empty. */
int dns_name_norm(const char *in, char *out, size_t size);
/* Whether qname (normalized) names j for an asker of project asker_project
 * ("" or NULL: not a Compose jail): its name, short id (12 hex), hostname,
 * an alias, or its Compose service when asker and j share a project. */
int dns_jail_matches(const struct dns_jail *j, const char *qname, const char *asker_project);
/* The rows of v[0..n) answering qname with an address of family (AF_INET,
 * AF_INET6; 0 none): one per jail, its first row (the caller puts the
 * asking network's first); their indexes go to out (at most max), the
 * count is returned. *exists: some row matches, whatever its family (an
 * empty answer, not NXDOMAIN). */
int dns_select(const struct dns_jail *v, int n, const char *qname, const char *asker_project, int family,
	       int *out, int max, int *exists);
/* Rotates a[0..n) left by k % n: replicas answer round-robin. */
void dns_rotate(void *a, size_t n, size_t size, unsigned k);
/* "d.c.b.a.in-addr.arpa" (normalized) → "a.b.c.d"; -1 when it is not a
 * full IPv4 reverse name. */
int dns_ptr_v4(const char *qname, char *ip, size_t size);
/* The 32 nibbles of "b.a.9.8...ip6.arpa" → the IPv6 address (16 bytes);
 * -1 when it is not a full IPv6 reverse name. */
int dns_ptr_v6(const char *qname, unsigned char addr[16]);

/* A jail's resolv.conf from the host's (host_text, may be NULL): gateway
 * set (a user network): only the embedded server, with the host's search
 * and options lines; else dns (NULL-terminated, may be NULL) when given
 * (IP or IP:PORT, the port dropped: resolv.conf has none), else the host's
 * nameservers except loopback stubs. malloc'ed. */
char *dns_resolv_text(const char *host_text, const char *gateway, char *const *dns);
/* The host's usable nameservers (loopback stubs skipped) from resolv.conf
 * text; up to max, each "IP"; returns how many. */
int dns_host_servers(const char *host_text, char out[][64], int max);

/* The checks of run/create's name flags; 0, or -1 with why (one clause,
 * no flag name) filled. --add-host NAME:IP (or NAME=IP; IP an IPv4 or IPv6
 * address or host-gateway); --dns IP, IPv4:PORT or [IPv6]:PORT; an alias
 * or a host name (letters, digits, '-', '_' and '.'; at most 253). */
int dns_check_add_host(const char *arg, char *why, size_t size);
/* An --add-host value's name (its length) and address: "host-gateway"
 * becomes gateway ("" when none). */
size_t dns_add_host_split(const char *arg, const char *gateway, const char **ip);
/* The addresses of family (AF_INET or AF_INET6) that a jail's --add-host
 * values give qname (normalized, lower case), at most max; *found is set
 * when the name is there in any family (the other family answers empty). */
int dns_add_host_answer(char *const *hosts, const char *qname, int family, const char *gateway,
			unsigned char addrs[][16], int max, int *found);
int dns_check_server(const char *arg, char *why, size_t size);
int dns_check_name(const char *name, char *why, size_t size);
