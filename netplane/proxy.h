/* The userspace proxy for what DNAT cannot serve: IPv6 loopback. Linux
 * has no route_localnet for IPv6, so a connection to [::1]:HOST cannot be
 * DNATed to a jail; like docker-proxy, a process listens on [::1]:HOST
 * and relays each TCP connection, and each UDP client's datagrams (a flow
 * per client address, dropped after PROXY_UDP_IDLE_S quiet seconds), to
 * the jail's address:JAIL (IPv6 when it has one, else IPv4; the row's
 * jail_ip). One process per jail with such bindings (`lochs _proxy`,
 * started by the jail's monitor for each run and killed with it). */
#pragma once
#include "portspec.h"
#include <event2/event.h>
#include <sys/socket.h>

#define PROXY_UDP_IDLE_S 60 /* LOCHS_PROXY_UDP_IDLE=SECONDS overrides */

/* Binds every binding b[0..n-1] on [::1]:host_port, then writes "ok\n"
 * to ready_fd (or "error MSG\n" and returns -1: nothing stays bound) and
 * relays until killed. */
int proxy_run(const struct np_binding *b, int n, int ready_fd, struct lerr *e);

/* proxy.c and proxyudp.c: one binding's listener. The target address. */
int proxy_target(const struct np_binding *b, struct sockaddr_storage *ss, socklen_t *len);
/* A socket bound on [::1]:port (type SOCK_STREAM or SOCK_DGRAM), or -1 with e. */
int proxy_bind(const struct np_binding *b, int type, struct lerr *e);
/* proxyudp.c: serves the bound datagram socket fd; -1 when out of memory. */
int proxy_udp_serve(struct event_base *base, int fd, const struct np_binding *b);
