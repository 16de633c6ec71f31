/* The embedded DNS server's loop: listeners on the gateway of every user
 * network, kept in step with the networks table (SIGHUP from lochs after a
 * network create or rm, and a rescan every few seconds); see dnsd.h. */
#include "dnsd.h"
#include "dnsctl.h"
#include "dnsname.h"
#include "netrec.h"
#include "../common/fsutil.h"
#include "../orchestrator/state.h"
#include <arpa/inet.h>
#include <errno.h>
#include <event2/dns.h>
#include <event2/dns_struct.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define RESCAN_SECONDS 2

struct upstream {
	struct upstream *next;
	char key[1024]; /* the servers, '\n'-joined */
	struct evdns_base *b;
};

struct dnsd {
	const char *root;
	sqlite3 *db;
	struct event_base *base;
	struct dnsd_port *ports;
	struct upstream *ups;
	char host[8][64]; /* the host's nameservers */
	int nhost;
	unsigned turn;
	int stop; /* SIGTERM or SIGINT */
	struct stat dbfile; /* the database we opened */
};

sqlite3 *dnsd_db(struct dnsd *d) { return d->db; }
struct event_base *dnsd_base(struct dnsd *d) { return d->base; }
unsigned dnsd_turn(struct dnsd *d) { return d->turn++; }

__attribute__((format(printf, 1, 2))) static void log_line(const char *fmt, ...)
{
	char t[32];
	time_t now = time(NULL);
	va_list ap;
	strftime(t, sizeof t, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	fprintf(stderr, "%s dns: ", t);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* The host's resolvers: systemd-resolved's upstream list when there is
 * one (the host's own resolv.conf then names its 127.0.0.53 stub). */
static void read_host(struct dnsd *d)
{
	size_t len;
	char *text = read_file("/run/systemd/resolve/resolv.conf", &len);
	if (!text)
		text = read_file("/etc/resolv.conf", &len);
	d->nhost = dns_host_servers(text, d->host, 8);
	free(text);
}

struct evdns_base *dnsd_upstream(struct dnsd *d, char *const *servers)
{
	char key[1024] = "";
	size_t k = 0;
	for (int i = 0; servers ? servers[i] != NULL : i < d->nhost; i++)
		k += (size_t)snprintf(key + k, k < sizeof key ? sizeof key - k : 0, "%s\n", servers ? servers[i] : d->host[i]);
	if (!key[0])
		return NULL;
	for (struct upstream *u = d->ups; u; u = u->next)
		if (!strcmp(u->key, key))
			return u->b;
	struct upstream *u = calloc(1, sizeof *u);
	if (!u || !(u->b = evdns_base_new(d->base, EVDNS_BASE_DISABLE_WHEN_INACTIVE))) {
		free(u);
		return NULL;
	}
	snprintf(u->key, sizeof u->key, "%s", key);
	/* Names go upstream as asked (no 0x20 case games) and fail in seconds. */
	evdns_base_set_option(u->b, "randomize-case:", "0");
	evdns_base_set_option(u->b, "timeout:", "2");
	evdns_base_set_option(u->b, "attempts:", "2");
	int added = 0;
	for (char *s = key, *nl; (nl = strchr(s, '\n')); s = nl + 1) {
		*nl = 0;
		if (evdns_base_nameserver_ip_add(u->b, s) == 0)
			added++;
		else
			log_line("upstream %s: not an address", s);
		*nl = '\n';
	}
	u->next = d->ups;
	d->ups = u;
	return added ? u->b : NULL;
}

/* UDP: evdns parsed the query; the answer goes back through it. */
static void udp_done(struct dnsd_query *q)
{
	struct evdns_server_request *req = q->ctx;
	const struct dns_reply *r = &q->r;
	if (r->rcode == DNS_R_OK && r->type == DNS_T_A && r->n > 0) {
		uint32_t a[DNS_MAX_ADDRS];
		for (int i = 0; i < r->n; i++)
			memcpy(&a[i], r->addr[i], 4);
		evdns_server_request_add_a_reply(req, q->name, r->n, a, r->ttl);
	} else if (r->rcode == DNS_R_OK && r->type == DNS_T_AAAA && r->n > 0) {
		evdns_server_request_add_aaaa_reply(req, q->name, r->n, r->addr, r->ttl);
	} else if (r->rcode == DNS_R_OK && r->type == DNS_T_PTR && r->ptr[0]) {
		evdns_server_request_add_ptr_reply(req, NULL, q->name, r->ptr, r->ttl);
	}
	evdns_server_request_respond(req, r->rcode);
	free(q);
}

static void udp_request(struct evdns_server_request *req, void *arg)
{
	struct dnsd_port *p = arg;
	struct sockaddr_in sa;
	struct dnsd_query *q = calloc(1, sizeof *q);
	if (!q || req->nquestions != 1 ||
	    evdns_server_request_get_requesting_addr(req, (struct sockaddr *)&sa, sizeof sa) < 0 ||
	    sa.sin_family != AF_INET) {
		free(q);
		evdns_server_request_respond(req, DNS_ERR_FORMAT);
		return;
	}
	q->d = p->d;
	q->ctx = req;
	q->done = udp_done;
	snprintf(q->net_id, sizeof q->net_id, "%s", p->net_id);
	snprintf(q->name, sizeof q->name, "%s", req->questions[0]->name);
	q->type = req->questions[0]->type;
	q->qclass = req->questions[0]->dns_question_class;
	inet_ntop(AF_INET, &sa.sin_addr, q->src, sizeof q->src);
	dnsd_answer(q);
}

/* A socket on gateway:53. IP_FREEBIND: the bridge (and so the address)
 * may be missing for a moment (a repair after a reboot); the socket then
 * serves as soon as the address is back. */
static int listen_fd(const char *gateway, int type)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(53) };
	int one = 1, fd = socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (inet_pton(AF_INET, gateway, &sa.sin_addr) != 1 ||
	    setsockopt(fd, IPPROTO_IP, IP_FREEBIND, &one, sizeof one) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || (type == SOCK_STREAM && listen(fd, 64) < 0)) {
		int saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

static void port_close(struct dnsd_port *p)
{
	if (p->udp)
		evdns_close_server_port(p->udp); /* closes its socket */
	if (p->tcp)
		evconnlistener_free(p->tcp);
	free(p);
}

static void port_open(struct dnsd *d, const struct np_network *n)
{
	struct dnsd_port *p = calloc(1, sizeof *p);
	if (!p)
		return;
	p->d = d;
	snprintf(p->net_id, sizeof p->net_id, "%s", n->id);
	snprintf(p->gateway, sizeof p->gateway, "%s", n->gateway);
	int u = listen_fd(n->gateway, SOCK_DGRAM), t = u < 0 ? -1 : listen_fd(n->gateway, SOCK_STREAM);
	if (u >= 0)
		p->udp = evdns_add_server_port_with_base(d->base, u, 0, udp_request, p);
	if (t >= 0)
		p->tcp = dnstcp_listen(p, t);
	if (!p->udp || !p->tcp) {
		log_line("network %s: cannot serve on %s:53", n->name, n->gateway);
		if (u >= 0 && !p->udp)
			close(u);
		if (t >= 0 && !p->tcp)
			close(t);
		port_close(p);
		return;
	}
	log_line("network %s: serving on %s:53", n->name, n->gateway);
	p->seen = 1;
	p->next = d->ports;
	d->ports = p;
}

/* Listeners for every user network, none for the gone; the number of
 * user networks, or -1 when the database cannot be read. */
static int rescan(struct dnsd *d)
{
	struct np_network *v = NULL;
	int n = 0, users = 0;
	struct lerr e;
	char path[4096];
	struct stat st;
	/* A state root removed under us (a test's rm -rf) has no networks left. */
	snprintf(path, sizeof path, "%s/lochs.db", d->root);
	if (stat(path, &st) < 0 || st.st_ino != d->dbfile.st_ino || st.st_dev != d->dbfile.st_dev) {
		log_line("%s is gone", path);
		return -1;
	}
	if (netrec_list(d->db, &v, &n, &e) < 0) {
		log_line("%s", e.msg);
		return -1;
	}
	for (struct dnsd_port *p = d->ports; p; p = p->next)
		p->seen = 0;
	for (int i = 0; i < n; i++) {
		if (!strcmp(v[i].name, NP_DEFAULT_NET) || !v[i].gateway[0])
			continue;
		users++;
		struct dnsd_port *p = d->ports;
		while (p && (strcmp(p->net_id, v[i].id) || strcmp(p->gateway, v[i].gateway)))
			p = p->next;
		if (p)
			p->seen = 1;
		else
			port_open(d, &v[i]);
	}
	for (struct dnsd_port **pp = &d->ports; *pp;) {
		struct dnsd_port *p = *pp;
		if (p->seen) {
			pp = &p->next;
			continue;
		}
		log_line("network gone: closing %s:53", p->gateway);
		*pp = p->next;
		port_close(p);
	}
	free(v);
	return users;
}

static void on_rescan(evutil_socket_t fd, short what, void *arg)
{
	struct dnsd *d = arg;
	if (what & EV_SIGNAL && fd == SIGHUP)
		read_host(d);
	if (rescan(d) <= 0)
		event_base_loopbreak(d->base);
}

static void on_term(evutil_socket_t fd, short what, void *arg)
{
	struct dnsd *d = arg;
	d->stop = 1;
	event_base_loopbreak(d->base);
}

static int lock_root(const char *root, struct lerr *e)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/" DNSD_LOCK, root);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return lerr_sys(e, "%s", path);
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		close(fd);
		return errno == EWOULDBLOCK ? -2 : lerr_sys(e, "%s", path);
	}
	return fd;
}

int dnsd_run(const char *root, struct lerr *e)
{
	struct dnsd d = { .root = root };
	char pidpath[4096], pid[32];
	int lock = lock_root(root, e);
	if (lock == -2)
		return 0; /* another daemon serves this root */
	if (lock < 0)
		return -1;
	if (!(d.db = state_open(root, e))) {
		close(lock);
		return -1;
	}
	snprintf(pidpath, sizeof pidpath, "%s/lochs.db", root);
	stat(pidpath, &d.dbfile);
	int rc = -1;
	struct event *hup = NULL, *term = NULL, *intr = NULL, *tick = NULL;
	signal(SIGPIPE, SIG_IGN);
	if (!(d.base = event_base_new())) {
		lerr_set(e, LX_LOCHS, "cannot make an event loop");
		goto out;
	}
	read_host(&d);
	if (rescan(&d) <= 0) {
		rc = 0;
		goto out;
	}
	hup = evsignal_new(d.base, SIGHUP, on_rescan, &d);
	term = evsignal_new(d.base, SIGTERM, on_term, &d);
	intr = evsignal_new(d.base, SIGINT, on_term, &d);
	tick = event_new(d.base, -1, EV_PERSIST, on_rescan, &d);
	struct timeval every = { RESCAN_SECONDS, 0 };
	if (!hup || !term || !intr || !tick || evsignal_add(hup, NULL) < 0 || evsignal_add(term, NULL) < 0 ||
	    evsignal_add(intr, NULL) < 0 || event_add(tick, &every) < 0) {
		lerr_set(e, LX_LOCHS, "cannot set up the event loop");
		goto out;
	}
	/* Written once serving: lochs waits for it before a jail starts. */
	snprintf(pidpath, sizeof pidpath, "%s/" DNSD_PID, root);
	snprintf(pid, sizeof pid, "%d\n", (int)getpid());
	for (;;) {
		if (write_file_replace(pidpath, pid, strlen(pid), 0644) < 0) {
			lerr_sys(e, "%s", pidpath);
			goto out;
		}
		log_line("serving, pid %d", (int)getpid());
		event_base_dispatch(d.base);
		unlink(pidpath);
		/* A jail that saw the pid file a moment ago counts on us: its
		 * network, created before, shows in one more look. */
		if (d.stop || rescan(&d) <= 0)
			break;
	}
	log_line("exiting");
	rc = 0;
out:
	/* Upstreams first: their pending queries are answered (SERVFAIL)
	 * while the listeners still exist. */
	while (d.ups) {
		struct upstream *u = d.ups;
		d.ups = u->next;
		evdns_base_free(u->b, 1);
		free(u);
	}
	while (d.ports) {
		struct dnsd_port *p = d.ports;
		d.ports = p->next;
		port_close(p);
	}
	if (hup)
		event_free(hup);
	if (term)
		event_free(term);
	if (intr)
		event_free(intr);
	if (tick)
		event_free(tick);
	if (d.base)
		event_base_free(d.base);
	state_close(d.db);
	close(lock);
	return rc;
}
