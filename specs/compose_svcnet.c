/* lochs.yml service keys about the network: ports, networks,
 * network_mode, extra_hosts, dns. */
#include "compose_keys.h"
#include "../netplane/portspec.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int k_dns(struct key_ctx *k, const yaml_node_t *v) { return (k->s->spec.dns = cp_strv(k->c, v, k->path, 1)) ? 0 : -1; }

int k_hosts(struct key_ctx *k, const yaml_node_t *v)
{
	/* extra_hosts: "name:ip" items, or name: ip (cp_kv gives name=ip). */
	if (!(k->s->spec.add_hosts = cp_kv(k->c, v, k->path)))
		return -1;
	for (char **h = k->s->spec.add_hosts; *h; h++)
		if (v->type == YAML_MAPPING_NODE && strchr(*h, '='))
			*strchr(*h, '=') = ':';
	return 0;
}

int k_network_mode(struct key_ctx *k, const yaml_node_t *v)
{
	const char *s = ytree_scalar(v);
	if (!s || (strcmp(s, "host") && strcmp(s, "none") && strcmp(s, "bridge") && strncmp(s, "container:", 10) &&
		   strncmp(s, "service:", 8)))
		return cp_err(k->c, v, k->path, "host, none, bridge, container:NAME or service:NAME expected");
	return (k->s->spec.network = strdup(s)) ? 0 : cp_err(k->c, v, k->path, "out of memory");
}

/* ports: "[IP:][HOST:]JAIL[/proto]" (checked at create, like -p), or
 * {target, published, host_ip, protocol}. */
int k_ports(struct key_ctx *k, const yaml_node_t *v)
{
	if (v->type != YAML_SEQUENCE_NODE)
		return cp_err(k->c, v, k->path, "a list expected");
	for (int i = 0; i < cp_items(v); i++) {
		yaml_node_t *it = cp_item(k->c, v, i);
		char buf[256];
		if (ytree_scalar(it)) {
			snprintf(buf, sizeof buf, "%s", ytree_scalar(it));
		} else {
			static const char *const known[] = { "target", "published", "host_ip", "protocol", "mode", "name", "app_protocol", NULL };
			if (cp_keys(k->c, it, k->path, known, NULL) < 0)
				return -1;
			const char *t = ytree_scalar(ytree_get(k->c->t, it, "target"));
			const char *pub = ytree_scalar(ytree_get(k->c->t, it, "published"));
			const char *ip = ytree_scalar(ytree_get(k->c->t, it, "host_ip"));
			const char *proto = ytree_scalar(ytree_get(k->c->t, it, "protocol"));
			if (!t)
				return cp_err(k->c, it, k->path, "target is required");
			int v6 = ip && strchr(ip, ':');
			/* IP:PUB:T, IP::T, PUB:T or T, then /proto */
			snprintf(buf, sizeof buf, "%s%s%s%s%s%s%s%s", ip && v6 ? "[" : "", ip ? ip : "", ip ? (v6 ? "]:" : ":") : "",
				 pub ? pub : "", pub || ip ? ":" : "", t, proto ? "/" : "", proto ? proto : "");
		}
		struct np_portspec ps;
		struct lerr why = { 0 };
		if (portspec_parse(buf, &ps, &why) < 0) /* as run -p: refused before anything is made */
			return cp_err(k->c, it, k->path, "%s: %s", buf, why.msg);
		if (strv_push(&k->s->spec.ports, buf) < 0)
			return cp_err(k->c, it, k->path, "out of memory");
	}
	return 0;
}

/* networks: names, or name: {aliases, ipv4_address, ipv6_address}; the
 * first is the jail's network (its options into the spec), the others are
 * joined after it starts with theirs (net_opts). */
static int net_entry(struct key_ctx *k, const yaml_node_t *at, const char *name, const yaml_node_t *opts)
{
	struct compose_service *s = k->s;
	size_t n = strv_len(s->networks);
	struct compose_svcnet *o = realloc(s->net_opts, (n + 1) * sizeof *o);
	if (!o || strv_push(&s->networks, name) < 0)
		return cp_err(k->c, at, k->path, "out of memory");
	s->net_opts = o;
	memset(&o[n], 0, sizeof o[n]);
	if (ytree_is_null(opts))
		return 0;
	/* MACs come from the addresses (unique on the bridge); the first
	 * network that is not internal gives the default route. */
	static const char *const known[] = { "aliases", "ipv4_address", "ipv6_address", "priority", NULL };
	static const char *const unsupported[] = { "mac_address", "link_local_ips", "driver_opts", "gw_priority", NULL };
	if (cp_keys(k->c, opts, k->path, known, unsupported) < 0)
		return -1;
	yaml_node_t *a = ytree_get(k->c->t, opts, "aliases"), *ip = ytree_get(k->c->t, opts, "ipv4_address"),
		    *ip6 = ytree_get(k->c->t, opts, "ipv6_address");
	struct compose_svcnet *to = &o[n];
	char ***aliases = n ? &to->aliases : &s->spec.aliases;
	char **ipv4 = n ? &to->ip : &s->spec.ip, **ipv6 = n ? &to->ip6 : &s->spec.ip6;
	if (a && !(*aliases = cp_strv(k->c, a, k->path, 0)))
		return -1;
	if (ip && !(*ipv4 = cp_str(k->c, ip, k->path)))
		return -1;
	if (ip6 && !(*ipv6 = cp_str(k->c, ip6, k->path)))
		return -1;
	return 0;
}

void compose_svcnet_free(struct compose_service *s)
{
	for (size_t i = 0; s->net_opts && i < strv_len(s->networks); i++) {
		strv_free(s->net_opts[i].aliases);
		free(s->net_opts[i].ip), free(s->net_opts[i].ip6);
	}
	free(s->net_opts);
	s->net_opts = NULL;
}

int k_networks(struct key_ctx *k, const yaml_node_t *v)
{
	return k_named(k, v, "network", net_entry);
}
