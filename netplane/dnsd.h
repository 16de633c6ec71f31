/* The embedded DNS server of a state root (`lochs _dns`): UDP (evdns) and
 * TCP port 53 on the gateway address of every user network, answering the
 * names of live jails on the asking network from the state database and
 * forwarding the rest upstream (see README.md, "Names"). The pieces:
 * dnsd.c the loop and the listeners, dnsanswer.c the answers and the
 * forwarding, dnstcp.c DNS over TCP. */
#pragma once
#include <sqlite3.h>
#include "dnswire.h"
#include "../common/err.h"

/* Serves until no user network is left (or SIGTERM); 0 at once when
 * another daemon holds the root's lock. */
int dnsd_run(const char *root, struct lerr *e);

/* Shared by the dnsd*.c files. */
struct event_base;
struct evdns_base;
struct dnsd;

/* One user network's listeners. */
struct dnsd_port {
	struct dnsd_port *next;
	struct dnsd *d;
	char net_id[65], gateway[64];
	struct evdns_server_port *udp;
	struct evconnlistener *tcp;
	int seen; /* by the last rescan */
};

/* One question in flight; done answers it and frees it. */
struct dnsd_query {
	struct dnsd *d;
	char net_id[65]; /* copied: the port may close meanwhile */
	char name[256];  /* as asked */
	int type, qclass;
	char src[64];    /* the asker's IPv4 address */
	struct dns_reply r;
	void (*done)(struct dnsd_query *q);
	void *ctx;       /* the front end's */
};

/* Fills q->r (at once, or later from upstream) and calls q->done. */
void dnsd_answer(struct dnsd_query *q);
/* The database and the loop of the daemon. */
sqlite3 *dnsd_db(struct dnsd *d);
struct event_base *dnsd_base(struct dnsd *d);
/* An evdns_base forwarding to servers ("IP" or "IP:PORT", NULL-terminated;
 * NULL: the host's), made once per distinct list; NULL when there is none. */
struct evdns_base *dnsd_upstream(struct dnsd *d, char *const *servers);
/* The next round-robin turn. */
unsigned dnsd_turn(struct dnsd *d);

/* TCP on fd (bound, listening): length-prefixed queries through dnsd_answer. */
struct evconnlistener *dnstcp_listen(struct dnsd_port *p, int fd);
