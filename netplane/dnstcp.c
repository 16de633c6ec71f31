/* DNS over TCP for the embedded server (libevent 2.1's evdns serves only
 * UDP): each message is a 2-byte length and a query (RFC 1035 4.2.2),
 * answered by dnsd_answer like a UDP one; several may be in flight. */
#include "dnsd.h"
#include <arpa/inet.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IDLE_SECONDS 10

struct conn {
	struct dnsd *d;
	struct bufferevent *bev; /* NULL once closed */
	char net_id[65], src[64];
	int pending;             /* queries not answered yet */
};

struct tcpq {
	struct conn *c;
	struct dnswire_q w;
	size_t len;
	unsigned char msg[]; /* the query as received */
};

static void conn_close(struct conn *c)
{
	if (c->bev)
		bufferevent_free(c->bev);
	c->bev = NULL;
	if (c->pending == 0)
		free(c);
}

static void tcp_done(struct dnsd_query *q)
{
	struct tcpq *t = q->ctx;
	struct conn *c = t->c;
	unsigned char out[4096];
	size_t n = dnswire_reply(t->msg, &t->w, &q->r, out + 2, sizeof out - 2);
	if (n == 0) { /* too big for us: say so rather than cut it */
		struct dns_reply fail = { .rcode = DNS_R_SERVFAIL };
		n = dnswire_reply(t->msg, &t->w, &fail, out + 2, sizeof out - 2);
	}
	out[0] = (unsigned char)(n >> 8);
	out[1] = (unsigned char)n;
	if (c->bev && n > 0)
		bufferevent_write(c->bev, out, n + 2);
	free(t);
	free(q);
	if (--c->pending == 0 && !c->bev)
		free(c);
}

static void on_read(struct bufferevent *bev, void *arg)
{
	struct conn *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	unsigned char hdr[2];
	while (evbuffer_copyout(in, hdr, 2) == 2) {
		size_t len = (size_t)hdr[0] << 8 | hdr[1];
		if (evbuffer_get_length(in) < len + 2)
			return;
		struct tcpq *t = malloc(sizeof *t + len);
		struct dnsd_query *q = calloc(1, sizeof *q);
		evbuffer_drain(in, 2);
		if (!t || !q || evbuffer_remove(in, t->msg, len) != (int)len || dnswire_query(t->msg, len, &t->w) < 0) {
			free(t);
			free(q);
			conn_close(c); /* not DNS: nothing sensible to answer */
			return;
		}
		t->c = c;
		t->len = len;
		q->d = c->d;
		q->ctx = t;
		q->done = tcp_done;
		snprintf(q->net_id, sizeof q->net_id, "%s", c->net_id);
		snprintf(q->src, sizeof q->src, "%s", c->src);
		snprintf(q->name, sizeof q->name, "%s", t->w.name);
		q->type = t->w.type;
		q->qclass = t->w.qclass;
		c->pending++;
		dnsd_answer(q);
		if (!c->bev)
			return;
	}
}

static void on_event(struct bufferevent *bev, short what, void *arg)
{
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR | BEV_EVENT_TIMEOUT))
		conn_close(arg);
}

static void on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa, int salen, void *arg)
{
	struct dnsd_port *p = arg;
	struct conn *c = calloc(1, sizeof *c);
	struct timeval idle = { IDLE_SECONDS, 0 };
	if (!c || sa->sa_family != AF_INET ||
	    !(c->bev = bufferevent_socket_new(dnsd_base(p->d), fd, BEV_OPT_CLOSE_ON_FREE))) {
		free(c);
		evutil_closesocket(fd);
		return;
	}
	c->d = p->d;
	snprintf(c->net_id, sizeof c->net_id, "%s", p->net_id);
	inet_ntop(AF_INET, &((struct sockaddr_in *)sa)->sin_addr, c->src, sizeof c->src);
	bufferevent_setcb(c->bev, on_read, NULL, on_event, c);
	bufferevent_set_timeouts(c->bev, &idle, &idle);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
}

struct evconnlistener *dnstcp_listen(struct dnsd_port *p, int fd)
{
	return evconnlistener_new(dnsd_base(p->d), on_accept, p, LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, -1, fd);
}
