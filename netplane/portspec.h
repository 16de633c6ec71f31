/* Published-port specifications as Docker writes them (pure: no system
 * calls, no database): `-p [IP:][HOST:]JAIL[/proto]` with port ranges and
 * bracketed IPv6 host addresses, `--expose PORT[-PORT][/proto]`, and the
 * one-line "80/tcp -> 0.0.0.0:8080" form `lochs port` prints. */
#pragma once
#include <stddef.h>
#include "../common/err.h"

struct np_portspec {
	char host_ip[64];     /* "" = every address; IPv6 without brackets */
	int host_lo, host_hi; /* 0: a free port is picked for each jail port */
	int jail_lo, jail_hi;
	char proto[4];        /* "tcp" or "udp" */
};

/* One published port as reserved (a port_bindings row). */
struct np_binding {
	char jail[65];
	char proto[4];
	char host_ip[64];     /* "" = every address */
	int host_port;
	char jail_ip[64];
	int jail_port;
};

/* Parses one -p value. The error is the cause alone ("port out of range"):
 * callers say which flag and value it was. Host and jail ranges have equal
 * lengths, except a host range with one jail port (one free host port of
 * the range is picked, as Docker does). */
int portspec_parse(const char *s, struct np_portspec *out, struct lerr *e);
/* One --expose value or image ExposedPorts key: "8080", "8080/udp",
 * "8000-8010/tcp"; out gets host_lo = 0 (free host ports). */
int portspec_parse_expose(const char *s, struct np_portspec *out, struct lerr *e);
/* How many jail ports the spec publishes. */
int portspec_count(const struct np_portspec *p);
/* 1 when b is served at [::1]:HOST by the userspace proxy (netplane/
 * proxy.h): bound on [::1] or on every IPv6 address ("::"). IPv6
 * loopback cannot be DNATed to a jail (no route_localnet for IPv6). */
int portspec_loopback6(const struct np_binding *b);
/* 1 when b is only the proxy's (bound on [::1]): no DNAT rule. */
int portspec_proxy_only(const struct np_binding *b);
/* 1 when host_ip is the IPv6 loopback address. */
int portspec_ip_loopback6(const char *host_ip);
/* "8080/tcp -> 0.0.0.0:18080" (IPv6 host addresses in brackets). */
void portspec_format_binding(const struct np_binding *b, char *out, size_t size);
