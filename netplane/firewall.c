/* The pure half of firewall.h: the table's name and its nft text. */
#include "firewall.h"
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fw_table_name(const char *root, char out[32])
{
	if (!strcmp(root, "/var/lib/lochs") || !strcmp(root, "/var/lib/lochs/")) {
		snprintf(out, 32, "lochs");
		return;
	}
	uint32_t h = 2166136261u;
	for (const char *p = root; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	snprintf(out, 32, "lochs_%08x", h);
}

struct buf {
	char *p;
	size_t len, cap;
	int oom;
};

static void put(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	for (;;) {
		if (b->oom)
			return;
		va_start(ap, fmt);
		int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < b->cap - b->len) {
			b->len += (size_t)n;
			return;
		}
		size_t cap = b->cap * 2 + (size_t)n + 1;
		char *q = realloc(b->p, cap);
		if (!q) {
			b->oom = 1;
			return;
		}
		b->p = q;
		b->cap = cap;
	}
}

/* One address family's view of the model: the ip table takes IPv4
 * subnets and bindings, the ip6 table the IPv6 ones. */
struct fam {
	const char *name; /* "ip" or "ip6": the table family and the match keyword */
	int v6;
};

static int is_v6(const char *addr)
{
	return strchr(addr, ':') != NULL;
}

static const char *subnet_of(const struct fam *f, const struct fw_net *n)
{
	return f->v6 ? n->subnet6 : n->subnet;
}

/* [::1] bindings are the userspace proxy's alone (portspec.h). */
static int port_in(const struct fam *f, const struct fw_port *p)
{
	return is_v6(p->b.jail_ip) == f->v6 && !portspec_proxy_only(&p->b);
}

static int bridge_has_ports(const struct fam *f, const struct fw_model *m, const char *bridge)
{
	for (int i = 0; i < m->nports; i++)
		if (port_in(f, &m->ports[i]) && !strcmp(m->ports[i].bridge, bridge))
			return 1;
	return 0;
}

/* DNAT of each published port: the wildcard matches any local address,
 * a host IP only itself. */
static void chain_ports(struct buf *b, const struct fam *f, const struct fw_model *m)
{
	put(b, "\tchain ports {\n");
	for (int i = 0; i < m->nports; i++) {
		const struct np_binding *p = &m->ports[i].b;
		if (!port_in(f, &m->ports[i]))
			continue;
		if (*p->host_ip && strcmp(p->host_ip, "::"))
			put(b, "\t\t%s daddr %s ", f->name, p->host_ip);
		else if (f->v6) /* ::1 stays local: the proxy listens there */
			put(b, "\t\tip6 daddr != ::1 fib daddr type local ");
		else
			put(b, "\t\tfib daddr type local ");
		put(b, f->v6 ? "%s dport %d dnat to [%s]:%d\n" : "%s dport %d dnat to %s:%d\n", p->proto, p->host_port,
		    p->jail_ip, p->jail_port);
	}
	put(b, "\t}\n");
	put(b, "\tchain prerouting {\n\t\ttype nat hook prerouting priority dstnat; policy accept;\n"
	       "\t\tjump ports\n\t}\n");
	put(b, "\tchain output {\n\t\ttype nat hook output priority -100; policy accept;\n\t\tjump ports\n\t}\n");
}

static void chain_postrouting(struct buf *b, const struct fam *f, const struct fw_model *m)
{
	put(b, "\tchain postrouting {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n");
	for (int i = 0; i < m->nnets; i++) {
		const struct fw_net *n = &m->nets[i];
		const char *sub = subnet_of(f, n);
		if (!*sub)
			continue;
		if (!n->internal)
			put(b, "\t\t%s saddr %s oifname != \"%s\" masquerade\n", f->name, sub, n->bridge);
		if (!bridge_has_ports(f, m, n->bridge))
			continue;
		/* 127.0.0.1:HOST DNAT'ed to a jail: the jail answers the bridge
		 * (IPv4 only: ::1 is never forwarded, ports.h). */
		if (!f->v6)
			put(b, "\t\toifname \"%s\" ip saddr 127.0.0.0/8 masquerade\n", n->bridge);
		/* A jail using a published port of its own network through a
		 * host address: the server answers the host, not the jail. */
		put(b, "\t\toifname \"%s\" %s saddr %s ct status dnat masquerade\n", n->bridge, f->name, sub);
	}
	put(b, "\t}\n");
}

static void chain_forward(struct buf *b, const struct fam *f, const struct fw_model *m)
{
	put(b, "\tchain forward {\n\t\ttype filter hook forward priority filter; policy accept;\n");
	for (int i = 0; i < m->nnets; i++)
		put(b, "\t\tiifname \"%s\" oifname \"%s\" accept\n", m->nets[i].bridge, m->nets[i].bridge);
	for (int i = 0; i < m->nnets; i++)
		if (m->nets[i].internal)
			put(b, "\t\tiifname \"%s\" drop\n\t\toifname \"%s\" drop\n", m->nets[i].bridge, m->nets[i].bridge);
	for (int i = 0; i < m->nports; i++) {
		const struct fw_port *p = &m->ports[i];
		if (port_in(f, p))
			put(b, "\t\toifname \"%s\" %s daddr %s %s dport %d ct status dnat accept\n", p->bridge, f->name,
			    p->b.jail_ip, p->b.proto, p->b.jail_port);
	}
	/* Replies of flows allowed above (a jail of another network using a
	 * published port through the host). */
	put(b, "\t\tct state established,related accept\n");
	/* Isolation: no Lochs bridge forwards to another one (any root's). */
	for (int i = 0; i < m->nnets; i++)
		put(b, "\t\tiifname \"%s\" oifname \"lochs*\" drop\n\t\toifname \"%s\" iifname \"lochs*\" drop\n",
		    m->nets[i].bridge, m->nets[i].bridge);
	put(b, "\t}\n");
}

/* Whether the family's table holds anything: IPv4 whenever there is a
 * network or a port; IPv6 only with an IPv6 subnet or binding. */
static int fam_used(const struct fam *f, const struct fw_model *m)
{
	if (!f->v6)
		return m->nnets || m->nports;
	for (int i = 0; i < m->nnets; i++)
		if (*m->nets[i].subnet6)
			return 1;
	for (int i = 0; i < m->nports; i++)
		if (port_in(f, &m->ports[i]))
			return 1;
	return 0;
}

static void table(struct buf *b, const struct fam *f, const struct fw_model *m)
{
	/* add + delete: replacing works whether the table exists or not. */
	put(b, "add table %s %s\ndelete table %s %s\n", f->name, m->table, f->name, m->table);
	if (!fam_used(f, m))
		return;
	put(b, "table %s %s {\n", f->name, m->table);
	chain_ports(b, f, m);
	chain_postrouting(b, f, m);
	chain_forward(b, f, m);
	put(b, "}\n");
}

char *fw_script(const struct fw_model *m)
{
	static const struct fam v4 = { "ip", 0 }, v6 = { "ip6", 1 };
	struct buf b = { malloc(4096), 0, 4096, 0 };
	if (!b.p)
		return NULL;
	b.p[0] = 0;
	table(&b, &v4, m);
	table(&b, &v6, m);
	if (b.oom) {
		free(b.p);
		return NULL;
	}
	return b.p;
}
