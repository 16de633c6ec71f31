/* See ports.h. */
#include "ports.h"
#include "../orchestrator/state.h"
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

/* Who holds proto/port on host_ip or overlaps it (the same address, or a
 * wildcard of its family: "" for IPv4, "::" for IPv6): the jail's name
 * (its id while its record is not written yet); 1 when held. */
static int held_by(sqlite3 *db, const char *proto, const char *host_ip, int port, char *who, size_t size)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT coalesce(j.name, substr(b.jail, 1, 12)) FROM port_bindings b"
				   " LEFT JOIN jails j ON j.id = b.jail"
				   " WHERE b.proto = ?1 AND b.host_port = ?2 AND (b.host_ip = ?3"
				   " OR (instr(?3, ':') = 0 AND instr(b.host_ip, ':') = 0 AND (b.host_ip = '' OR ?3 = ''))"
				   " OR (instr(?3, ':') > 0 AND instr(b.host_ip, ':') > 0 AND (b.host_ip = '::' OR ?3 = '::')))"
				   " LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		return 1;
	sqlite3_bind_text(st, 1, proto, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 2, port);
	sqlite3_bind_text(st, 3, host_ip, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st) == SQLITE_ROW;
	if (rc)
		snprintf(who, size, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return rc;
}

/* A test bind: 0 when free, else the errno (EADDRINUSE: a host process
 * has it; EADDRNOTAVAIL: not an address of this host). */
static int bind_probe(const char *proto, const char *host_ip, int port)
{
	int v6 = strchr(host_ip, ':') != NULL;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port) };
	if (v6 ? inet_pton(AF_INET6, host_ip, &a6.sin6_addr) != 1 : *host_ip && inet_pton(AF_INET, host_ip, &a.sin_addr) != 1)
		return EADDRNOTAVAIL;
	int fd = socket(v6 ? AF_INET6 : AF_INET, (!strcmp(proto, "udp") ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errno;
	int one = 1;
	/* TCP: a closed connection in TIME_WAIT is no listener. */
	if (strcmp(proto, "udp"))
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (v6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
	int rc = (v6 ? bind(fd, (struct sockaddr *)&a6, sizeof a6) : bind(fd, (struct sockaddr *)&a, sizeof a)) == 0 ? 0 : errno;
	close(fd);
	return rc;
}

static void ephemeral(int *lo, int *hi)
{
	const char *env = getenv("LOCHS_PORT_RANGE");
	*lo = 32768;
	*hi = 60999;
	if (env && sscanf(env, "%d-%d", lo, hi) == 2 && *lo >= 1 && *lo <= *hi && *hi <= 65535)
		return;
	FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
	if (f) {
		if (fscanf(f, "%d %d", lo, hi) != 2 || *lo < 1 || *lo > *hi || *hi > 65535)
			*lo = 32768, *hi = 60999;
		fclose(f);
	}
}

static int insert(sqlite3 *db, const char *jail, const char *proto, const char *host_ip, int host_port,
		  const char *jail_ip, int jail_port, struct lerr *e)
{
	char hp[8], jp[8];
	snprintf(hp, sizeof hp, "%d", host_port);
	snprintf(jp, sizeof jp, "%d", jail_port);
	const char *p[] = { jail, proto, host_ip, hp, jail_ip, jp };
	return state_exec(db, e, "INSERT INTO port_bindings(jail, proto, host_ip, host_port, jail_ip, jail_port)"
			  " VALUES(?, ?, ?, ?, ?, ?)", 6, p);
}

/* The fixed host port: refused when held, by a row or a host process. */
static int take_fixed(sqlite3 *db, const char *jail, const struct np_portspec *p, int host_port, const char *jail_ip,
		      int jail_port, struct lerr *e)
{
	char who[256];
	const char *shown = *p->host_ip ? p->host_ip : "0.0.0.0";
	if (strchr(shown, ':')) {
		static char b[80];
		snprintf(b, sizeof b, "[%s]", p->host_ip);
		shown = b;
	}
	if (held_by(db, p->proto, p->host_ip, host_port, who, sizeof who))
		return lerr_set(e, LX_LOCHS, "Bind for %s:%d/%s failed: port is already allocated to jail %s", shown,
				host_port, p->proto, who);
	int err = bind_probe(p->proto, p->host_ip, host_port);
	if (err == EADDRINUSE)
		return lerr_set(e, LX_LOCHS, "Bind for %s:%d/%s failed: port is already in use by a host process", shown,
				host_port, p->proto);
	if (err == EADDRNOTAVAIL)
		return lerr_set(e, LX_LOCHS, "cannot publish on %s: not an address of this host", shown);
	if (err && err != EACCES)
		return lerr_set(e, LX_LOCHS, "Bind for %s:%d/%s failed: %s", shown, host_port, p->proto, strerror(err));
	return insert(db, jail, p->proto, p->host_ip, host_port, jail_ip, jail_port, e);
}

/* A free host port in [lo, hi], tried from a random start. */
static int take_free(sqlite3 *db, const char *jail, const struct np_portspec *p, int lo, int hi, const char *jail_ip,
		     int jail_port, struct lerr *e)
{
	unsigned r = 0;
	if (getrandom(&r, sizeof r, 0) != sizeof r)
		r = (unsigned)getpid();
	int n = hi - lo + 1;
	char who[256];
	for (int i = 0; i < n; i++) {
		int port = lo + (int)((r + (unsigned)i) % (unsigned)n);
		if (held_by(db, p->proto, p->host_ip, port, who, sizeof who))
			continue;
		int err = bind_probe(p->proto, p->host_ip, port);
		if (err == EADDRNOTAVAIL)
			return lerr_set(e, LX_LOCHS, "cannot publish on %s: not an address of this host", p->host_ip);
		if (err == 0)
			return insert(db, jail, p->proto, p->host_ip, port, jail_ip, jail_port, e);
	}
	return lerr_set(e, LX_LOCHS, "no free host port for %d/%s in %d-%d", jail_port, p->proto, lo, hi);
}

/* The host port of the IPv4 row just inserted for jail's jail_port. */
static int last_host_port(sqlite3 *db, const char *jail, const char *proto, int jail_port)
{
	sqlite3_stmt *st;
	int port = -1;
	if (sqlite3_prepare_v2(db, "SELECT host_port FROM port_bindings WHERE jail = ? AND proto = ? AND jail_port = ?"
				   " AND instr(host_ip, ':') = 0 ORDER BY rowid DESC LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, jail, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, proto, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 3, jail_port);
	if (sqlite3_step(st) == SQLITE_ROW)
		port = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return port;
}

/* The IPv6 side of a binding: an IPv6 host address needs the jail's
 * IPv6 address, except [::1], which the userspace proxy forwards to the
 * jail's IPv6 address, else its IPv4 one. The wildcard publishes on both
 * families when the jail has IPv6 (as Docker on an IPv6 network). */
static int check_v6(const char *jail_ip6, const struct np_portspec *p, struct lerr *e)
{
	if (portspec_ip_loopback6(p->host_ip))
		return 0;
	if (!jail_ip6 || !*jail_ip6)
		return lerr_set(e, LX_LOCHS, "cannot publish on [%s]: the jail has no IPv6 address "
				"(its network was not made with --ipv6)", p->host_ip);
	return 0;
}

static int take(sqlite3 *db, const char *jail, const char *jail_ip, const char *jail_ip6, const struct np_portspec *ps,
		struct lerr *e)
{
	struct np_portspec spec = *ps, *p = &spec;
	int v6 = strchr(p->host_ip, ':') != NULL;
	if (v6 && check_v6(jail_ip6, p, e) < 0)
		return -1;
	if (v6 && jail_ip6 && *jail_ip6)
		jail_ip = jail_ip6;
	int lo, hi;
	ephemeral(&lo, &hi);
	for (int jp = p->jail_lo; jp <= p->jail_hi; jp++) {
		int rc;
		if (!p->host_lo)
			rc = take_free(db, jail, p, lo, hi, jail_ip, jp, e);
		else if (p->host_hi > p->host_lo && p->jail_hi == p->jail_lo)
			rc = take_free(db, jail, p, p->host_lo, p->host_hi, jail_ip, jp, e);
		else
			rc = take_fixed(db, jail, p, p->host_lo + (jp - p->jail_lo), jail_ip, jp, e);
		if (rc < 0)
			return -1;
		/* The wildcard's IPv6 twin, on the host port just taken. */
		if (!*p->host_ip && jail_ip6 && *jail_ip6) {
			struct np_portspec six = *p;
			snprintf(six.host_ip, sizeof six.host_ip, "::");
			int hp = last_host_port(db, jail, p->proto, jp);
			if (hp < 0 || take_fixed(db, jail, &six, hp, jail_ip6, jp, e) < 0)
				return -1;
		}
	}
	return 0;
}

int ports_reserve(sqlite3 *db, const char *jail, const char *jail_ip, const char *jail_ip6, char *const *specs,
		  int publish_all, char *const *exposed, struct lerr *e)
{
	struct np_portspec p;
	if ((!specs || !*specs) && (!publish_all || !exposed || !*exposed))
		return 0;
	if (state_begin(db, e) < 0)
		return -1;
	int rc = 0;
	for (char *const *s = specs; rc == 0 && s && *s; s++) {
		if (portspec_parse(*s, &p, e) < 0)
			rc = lerr_wrap(e, "invalid -p '%s'", *s);
		else
			rc = take(db, jail, jail_ip, jail_ip6, &p, e);
	}
	for (char *const *s = exposed; rc == 0 && publish_all && s && *s; s++) {
		if (portspec_parse_expose(*s, &p, e) < 0)
			rc = lerr_wrap(e, "invalid exposed port '%s'", *s);
		else
			rc = take(db, jail, jail_ip, jail_ip6, &p, e);
	}
	if (rc < 0 || state_commit(db, e) < 0) {
		state_rollback(db);
		return -1;
	}
	return 0;
}

int ports_release(sqlite3 *db, const char *jail)
{
	const char *p[] = { jail };
	if (state_exec(db, NULL, "DELETE FROM port_bindings WHERE jail = ?", 1, p) < 0)
		return -1;
	return sqlite3_changes(db);
}

int ports_list(sqlite3 *db, const char *jail, struct np_binding **out, int *n, struct lerr *e)
{
	sqlite3_stmt *st;
	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(db, "SELECT proto, host_ip, host_port, jail_ip, jail_port FROM port_bindings"
				   " WHERE jail = ? ORDER BY jail_port, proto, host_ip, host_port", -1, &st, NULL) != SQLITE_OK)
		return lerr_set(e, LX_LOCHS, "ports: %s", sqlite3_errmsg(db));
	sqlite3_bind_text(st, 1, jail, -1, SQLITE_TRANSIENT);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct np_binding *v = realloc(*out, (size_t)(*n + 1) * sizeof *v);
		if (!v)
			break;
		*out = v;
		struct np_binding *b = &v[(*n)++];
		memset(b, 0, sizeof *b);
		snprintf(b->jail, sizeof b->jail, "%s", jail);
		snprintf(b->proto, sizeof b->proto, "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(b->host_ip, sizeof b->host_ip, "%s", (const char *)sqlite3_column_text(st, 1));
		b->host_port = sqlite3_column_int(st, 2);
		snprintf(b->jail_ip, sizeof b->jail_ip, "%s", (const char *)sqlite3_column_text(st, 3));
		b->jail_port = sqlite3_column_int(st, 4);
	}
	sqlite3_finalize(st);
	return 0;
}
