/* See proxy.h: the listeners, the TCP relay and the ready report. */
#include "proxy.h"
#include <arpa/inet.h>
#include <errno.h>
#include <event2/bufferevent.h>
#include <event2/buffer.h>
#include <event2/listener.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One side may queue this much for the other before it stops reading. */
#define TCP_HIGH (1u << 20)
#define TCP_CHUNK (256u << 10)

int proxy_target(const struct np_binding *b, struct sockaddr_storage *ss, socklen_t *len)
{
	memset(ss, 0, sizeof *ss);
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
	if (inet_pton(AF_INET6, b->jail_ip, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)b->jail_port);
		*len = sizeof *a6;
		return 0;
	}
	if (inet_pton(AF_INET, b->jail_ip, &a4->sin_addr) != 1)
		return -1;
	a4->sin_family = AF_INET;
	a4->sin_port = htons((uint16_t)b->jail_port);
	*len = sizeof *a4;
	return 0;
}

int proxy_bind(const struct np_binding *b, int type, struct lerr *e)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t)b->host_port),
				  .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	int fd = socket(AF_INET6, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), one = 1;
	if (fd < 0)
		return lerr_sys(e, "proxy: socket");
	if (type == SOCK_STREAM)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || (type == SOCK_STREAM && listen(fd, 128) < 0)) {
		int err = errno;
		close(fd);
		return lerr_set(e, LX_LOCHS, "Bind for [::1]:%d/%s failed: %s", b->host_port, b->proto, strerror(err));
	}
	return fd;
}

/* A relayed connection: side[0] the client, side[1] the jail. A side's
 * EOF becomes a shutdown(SHUT_WR) of the other once its queue is sent;
 * both done (or an error) frees the pair. */
struct pair {
	struct bufferevent *side[2];
	int eof[2];
};

static void pair_free(struct pair *p)
{
	for (int i = 0; i < 2; i++)
		if (p->side[i])
			bufferevent_free(p->side[i]);
	free(p);
}

static int idx(struct pair *p, struct bufferevent *bev)
{
	return bev == p->side[1];
}

/* Sent all a finished peer had for this side: pass its EOF on. */
static void maybe_shutdown(struct pair *p, int to)
{
	if (p->eof[!to] && !evbuffer_get_length(bufferevent_get_output(p->side[to])))
		shutdown(bufferevent_getfd(p->side[to]), SHUT_WR);
	if (p->eof[0] && p->eof[1] && !evbuffer_get_length(bufferevent_get_output(p->side[0])) &&
	    !evbuffer_get_length(bufferevent_get_output(p->side[1])))
		pair_free(p);
}

static void on_read(struct bufferevent *bev, void *arg)
{
	struct pair *p = arg;
	int i = idx(p, bev);
	struct bufferevent *to = p->side[!i];
	evbuffer_add_buffer(bufferevent_get_output(to), bufferevent_get_input(bev));
	/* Back-pressure: stop reading until the other side drains. */
	if (evbuffer_get_length(bufferevent_get_output(to)) >= TCP_HIGH)
		bufferevent_disable(bev, EV_READ);
}

static void on_write(struct bufferevent *bev, void *arg)
{
	struct pair *p = arg;
	int i = idx(p, bev);
	if (!p->eof[!i])
		bufferevent_enable(p->side[!i], EV_READ);
	maybe_shutdown(p, i);
}

static void on_event(struct bufferevent *bev, short what, void *arg)
{
	struct pair *p = arg;
	int i = idx(p, bev);
	if (what & BEV_EVENT_CONNECTED) {
		maybe_shutdown(p, i); /* the client may be done already */
		return;
	}
	if (what & BEV_EVENT_EOF && !(what & BEV_EVENT_ERROR)) {
		p->eof[i] = 1;
		bufferevent_disable(bev, EV_READ);
		maybe_shutdown(p, !i);
		return;
	}
	pair_free(p); /* an error or a refused connect: both sides go */
}

static void on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa, int salen, void *arg)
{
	const struct np_binding *b = arg;
	struct event_base *base = evconnlistener_get_base(l);
	struct sockaddr_storage to;
	socklen_t tolen;
	struct pair *p = calloc(1, sizeof *p);
	if (!p || proxy_target(b, &to, &tolen) < 0) {
		free(p);
		close(fd);
		return;
	}
	p->side[0] = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);
	p->side[1] = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	if (!p->side[0] || !p->side[1]) {
		if (!p->side[0])
			close(fd);
		pair_free(p);
		return;
	}
	for (int i = 0; i < 2; i++) {
		/* Fewer, larger reads and writes than libevent's 16 KiB default. */
		bufferevent_set_max_single_read(p->side[i], TCP_CHUNK);
		bufferevent_set_max_single_write(p->side[i], TCP_CHUNK);
		bufferevent_setcb(p->side[i], on_read, on_write, on_event, p);
		bufferevent_enable(p->side[i], EV_READ | EV_WRITE);
	}
	if (bufferevent_socket_connect(p->side[1], (struct sockaddr *)&to, (int)tolen) < 0)
		pair_free(p);
}

static void report(int fd, const char *line)
{
	if (fd >= 0 && write(fd, line, strlen(line)) < 0) {
		/* the monitor went away: PR_SET_PDEATHSIG ends us */
	}
}

int proxy_run(const struct np_binding *b, int n, int ready_fd, struct lerr *e)
{
	struct event_base *base = event_base_new();
	int rc = base ? 0 : lerr_set(e, LX_LOCHS, "proxy: out of memory");
	for (int i = 0; rc == 0 && i < n; i++) {
		int udp = !strcmp(b[i].proto, "udp");
		int fd = proxy_bind(&b[i], udp ? SOCK_DGRAM : SOCK_STREAM, e);
		if (fd < 0) {
			rc = -1;
		} else if (udp) {
			if (proxy_udp_serve(base, fd, &b[i]) < 0)
				rc = lerr_set(e, LX_LOCHS, "proxy: out of memory");
		} else if (!evconnlistener_new(base, on_accept, (void *)&b[i], LEV_OPT_CLOSE_ON_FREE, -1, fd)) {
			close(fd);
			rc = lerr_set(e, LX_LOCHS, "proxy: out of memory");
		}
	}
	if (rc < 0) {
		char line[600];
		snprintf(line, sizeof line, "error %s\n", e->msg);
		report(ready_fd, line);
		return -1; /* the process exits: every socket goes with it */
	}
	report(ready_fd, "ok\n");
	if (ready_fd >= 0)
		close(ready_fd);
	event_base_dispatch(base);
	return 0;
}
