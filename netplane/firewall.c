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

static int bridge_has_ports(const struct fw_model *m, const char *bridge)
{
	for (int i = 0; i < m->nports; i++)
		if (!strcmp(m->ports[i].bridge, bridge))
			return 1;
	return 0;
}

/* DNAT of each published port: the wildcard matches any local address,
 * a host IP only itself. */
static void chain_ports(struct buf *b, const struct fw_model *m)
{
	put(b, "\tchain ports {\n");
	for (int i = 0; i < m->nports; i++) {
		const struct np_binding *p = &m->ports[i].b;
		if (*p->host_ip)
			put(b, "\t\tip daddr %s ", p->host_ip);
		else
			put(b, "\t\tfib daddr type local ");
		put(b, "%s dport %d dnat to %s:%d\n", p->proto, p->host_port, p->jail_ip, p->jail_port);
	}
	put(b, "\t}\n");
	put(b, "\tchain prerouting {\n\t\ttype nat hook prerouting priority dstnat; policy accept;\n"
	       "\t\tjump ports\n\t}\n");
	put(b, "\tchain output {\n\t\ttype nat hook output priority -100; policy accept;\n\t\tjump ports\n\t}\n");
}

static void chain_postrouting(struct buf *b, const struct fw_model *m)
{
	put(b, "\tchain postrouting {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n");
	for (int i = 0; i < m->nnets; i++) {
		const struct fw_net *n = &m->nets[i];
		if (!n->internal)
			put(b, "\t\tip saddr %s oifname != \"%s\" masquerade\n", n->subnet, n->bridge);
		/* 127.0.0.1:HOST DNAT'ed to a jail: the jail answers the bridge.
		 * A jail using a published port of its own network through a
		 * host address: the server answers the host, not the jail. */
		if (bridge_has_ports(m, n->bridge))
			put(b, "\t\toifname \"%s\" ip saddr 127.0.0.0/8 masquerade\n"
			       "\t\toifname \"%s\" ip saddr %s ct status dnat masquerade\n",
			    n->bridge, n->bridge, n->subnet);
	}
	put(b, "\t}\n");
}

static void chain_forward(struct buf *b, const struct fw_model *m)
{
	put(b, "\tchain forward {\n\t\ttype filter hook forward priority filter; policy accept;\n");
	for (int i = 0; i < m->nnets; i++)
		put(b, "\t\tiifname \"%s\" oifname \"%s\" accept\n", m->nets[i].bridge, m->nets[i].bridge);
	for (int i = 0; i < m->nnets; i++)
		if (m->nets[i].internal)
			put(b, "\t\tiifname \"%s\" drop\n\t\toifname \"%s\" drop\n", m->nets[i].bridge, m->nets[i].bridge);
	for (int i = 0; i < m->nports; i++) {
		const struct fw_port *p = &m->ports[i];
		put(b, "\t\toifname \"%s\" ip daddr %s %s dport %d ct status dnat accept\n", p->bridge, p->b.jail_ip,
		    p->b.proto, p->b.jail_port);
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

char *fw_script(const struct fw_model *m)
{
	struct buf b = { malloc(4096), 0, 4096, 0 };
	if (!b.p)
		return NULL;
	b.p[0] = 0;
	/* add + delete: replacing works whether the table exists or not. */
	put(&b, "add table ip %s\ndelete table ip %s\n", m->table, m->table);
	if (m->nnets || m->nports) {
		put(&b, "table ip %s {\n", m->table);
		chain_ports(&b, m);
		chain_postrouting(&b, m);
		chain_forward(&b, m);
		put(&b, "}\n");
	}
	if (b.oom) {
		free(b.p);
		return NULL;
	}
	return b.p;
}
