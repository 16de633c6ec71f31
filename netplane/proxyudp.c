/* See proxy.h: UDP through [::1]. Each client address gets a flow, a
 * socket connected to the jail, so the jail's replies come back to the
 * client they answer; a flow quiet for PROXY_UDP_IDLE_S seconds is
 * closed (as docker-proxy and conntrack do; UDP has no end). */
#include "proxy.h"
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_FLOWS 4096

struct udp_srv;

struct flow {
	struct udp_srv *srv;
	struct sockaddr_in6 client;
	int fd;
	struct event *ev, *idle;
	struct flow *next;
};

struct udp_srv {
	struct event_base *base;
	int fd;
	const struct np_binding *b;
	struct flow *flows;
	int nflows;
};

static unsigned char pkt[65536];

static void flow_free(struct flow *f)
{
	struct udp_srv *s = f->srv;
	for (struct flow **pp = &s->flows; *pp; pp = &(*pp)->next)
		if (*pp == f) {
			*pp = f->next;
			break;
		}
	s->nflows--;
	if (f->ev)
		event_free(f->ev);
	if (f->idle)
		event_free(f->idle);
	close(f->fd);
	free(f);
}

/* PROXY_UDP_IDLE_S, or LOCHS_PROXY_UDP_IDLE seconds (1..86400). */
static long idle_s(void)
{
	static long s;
	if (!s) {
		const char *v = getenv("LOCHS_PROXY_UDP_IDLE");
		s = v ? atol(v) : 0;
		if (s < 1 || s > 86400)
			s = PROXY_UDP_IDLE_S;
	}
	return s;
}

static void touch(struct flow *f)
{
	struct timeval tv = { idle_s(), 0 };
	evtimer_add(f->idle, &tv);
}

static void on_idle(evutil_socket_t fd, short what, void *arg)
{
	flow_free(arg);
}

/* A reply from the jail: back to the flow's client from [::1]:HOST. */
static void on_reply(evutil_socket_t fd, short what, void *arg)
{
	struct flow *f = arg;
	ssize_t n;
	while ((n = recv(f->fd, pkt, sizeof pkt, 0)) >= 0) {
		sendto(f->srv->fd, pkt, (size_t)n, 0, (struct sockaddr *)&f->client, sizeof f->client);
		touch(f);
	}
	/* ECONNREFUSED (nothing listens in the jail yet) keeps the flow */
}

static struct flow *flow_new(struct udp_srv *s, const struct sockaddr_in6 *client)
{
	struct sockaddr_storage to;
	socklen_t tolen;
	if (s->nflows >= MAX_FLOWS || proxy_target(s->b, &to, &tolen) < 0)
		return NULL;
	struct flow *f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	f->srv = s;
	f->client = *client;
	f->fd = socket(to.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	f->next = s->flows;
	s->flows = f;
	s->nflows++;
	if (f->fd < 0 || connect(f->fd, (struct sockaddr *)&to, tolen) < 0 ||
	    !(f->ev = event_new(s->base, f->fd, EV_READ | EV_PERSIST, on_reply, f)) ||
	    !(f->idle = evtimer_new(s->base, on_idle, f)) || event_add(f->ev, NULL) < 0) {
		flow_free(f);
		return NULL;
	}
	return f;
}

/* A client's datagram: on to the jail through the client's flow. */
static void on_request(evutil_socket_t fd, short what, void *arg)
{
	struct udp_srv *s = arg;
	struct sockaddr_in6 from;
	socklen_t len = sizeof from;
	ssize_t n;
	while ((n = recvfrom(s->fd, pkt, sizeof pkt, 0, (struct sockaddr *)&from, &len)) >= 0) {
		struct flow *f = s->flows;
		while (f && (f->client.sin6_port != from.sin6_port ||
			     memcmp(&f->client.sin6_addr, &from.sin6_addr, sizeof from.sin6_addr)))
			f = f->next;
		if (!f && !(f = flow_new(s, &from)))
			continue; /* dropped, as a full conntrack table would */
		send(f->fd, pkt, (size_t)n, 0);
		touch(f);
		len = sizeof from;
	}
}

int proxy_udp_serve(struct event_base *base, int fd, const struct np_binding *b)
{
	struct udp_srv *s = calloc(1, sizeof *s);
	struct event *ev = s ? event_new(base, fd, EV_READ | EV_PERSIST, on_request, s) : NULL;
	if (!ev || event_add(ev, NULL) < 0) {
		free(s);
		close(fd);
		return -1;
	}
	s->base = base;
	s->fd = fd;
	s->b = b;
	return 0;
}
