/* See network.h. */
#include "network.h"
#include "bridge.h"
#include "cidr.h"
#include "dnsctl.h"
#include "firewall.h"
#include "hostnet.h"
#include "ipam.h"
#include "pool.h"
#include "../orchestrator/state.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>

int network_name_valid(const char *s)
{
	if (!s || !*s || strlen(s) > 255 || !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
		return 0;
	for (; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-", *s))
			return 0;
	return 1;
}

/* The IPv6 --gateway and --ip-range, checked against net6 and written
 * normalized to gw6 ("" for the subnet's first host) and range6. */
static int validate6(const struct network_opts *o, const struct np_cidr *net6, char gw6[64], char range6[64],
		     struct lerr *e)
{
	struct np_cidr a;
	*gw6 = *range6 = 0;
	if (!net6 && (o->gateway6 || o->ip_range6))
		return lerr_set(e, LX_LOCHS, "--%s %s needs an IPv6 --subnet (and --ipv6)", o->gateway6 ? "gateway" : "ip-range",
				o->gateway6 ? o->gateway6 : o->ip_range6);
	if (o->gateway6) {
		if (np_addr_parse(o->gateway6, &a, e) < 0)
			return -1;
		if (!np_cidr_is_host(net6, &a))
			return lerr_set(e, LX_LOCHS, "gateway %s is not a host address of subnet %s", o->gateway6, o->subnet6);
		np_addr_format(&a, gw6, 64);
	}
	if (o->ip_range6) {
		if (np_cidr_parse(o->ip_range6, &a, e) < 0)
			return -1;
		if (a.family != AF_INET6 || !np_cidr_contains(net6, &a))
			return lerr_set(e, LX_LOCHS, "ip-range %s is not inside subnet %s", o->ip_range6, o->subnet6);
		np_cidr_format(&a, range6, 64);
	}
	return 0;
}

/* The pure half of create: every flag checked, the row filled in (subnet
 * left empty when the pool must pick). */
static int validate(const struct network_opts *o, struct np_network *n, char gw6[64], char range6[64], struct lerr *e)
{
	struct np_cidr net, gw, r, net6;
	memset(n, 0, sizeof *n);
	if (!network_name_valid(o->name))
		return lerr_set(e, LX_LOCHS, "invalid network name \"%s\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed",
				o->name ? o->name : "");
	if (o->driver && strcmp(o->driver, "bridge"))
		return lerr_set(e, LX_LOCHS, "network driver \"%s\" is not supported (only \"bridge\")", o->driver);
	if (o->subnet && (np_cidr_parse(o->subnet, &net, e) < 0))
		return -1;
	if (o->subnet && net.family != AF_INET)
		return lerr_set(e, LX_LOCHS, "subnet %s: an IPv4 subnet is required (IPv6 goes with --ipv6)", o->subnet);
	if (o->subnet && net.prefix > 30)
		return lerr_set(e, LX_LOCHS, "subnet %s is too small (at most /30)", o->subnet);
	if (o->gateway && !o->subnet)
		return lerr_set(e, LX_LOCHS, "--gateway needs --subnet");
	if (o->ip_range && !o->subnet)
		return lerr_set(e, LX_LOCHS, "--ip-range needs --subnet");
	if (o->gateway) {
		if (np_addr_parse(o->gateway, &gw, e) < 0)
			return -1;
		if (!np_cidr_is_host(&net, &gw))
			return lerr_set(e, LX_LOCHS, "gateway %s is not a host address of subnet %s", o->gateway, o->subnet);
	}
	if (o->ip_range) {
		uint32_t lo, hi;
		if (np_cidr_parse(o->ip_range, &r, e) < 0 || ipam_range(o->subnet, o->ip_range, &lo, &hi, e) < 0)
			return -1;
		np_cidr_format(&r, n->ip_range, sizeof n->ip_range);
	}
	if (o->ipv6 && !o->subnet6)
		return lerr_set(e, LX_LOCHS, "--ipv6 needs an IPv6 --subnet (no IPv6 pool is configured)");
	if (o->subnet6 && !o->ipv6)
		return lerr_set(e, LX_LOCHS, "IPv6 subnet %s needs --ipv6", o->subnet6);
	if (o->subnet6) {
		if (np_cidr_parse(o->subnet6, &net6, e) < 0)
			return -1;
		if (net6.family != AF_INET6 || net6.prefix > 126)
			return lerr_set(e, LX_LOCHS, "invalid IPv6 subnet %s", o->subnet6);
		np_cidr_format(&net6, n->ipv6_subnet, sizeof n->ipv6_subnet);
	}
	if (validate6(o, o->subnet6 ? &net6 : NULL, gw6, range6, e) < 0)
		return -1;
	snprintf(n->name, sizeof n->name, "%s", o->name);
	snprintf(n->driver, sizeof n->driver, "bridge");
	if (o->subnet) {
		np_cidr_format(&net, n->subnet, sizeof n->subnet);
		if (!o->gateway)
			np_cidr_nth(&net, 1, &gw);
		np_addr_format(&gw, n->gateway, sizeof n->gateway);
	}
	n->internal = o->internal;
	snprintf(n->labels, sizeof n->labels, "%s", o->labels ? o->labels : "{}");
	return 0;
}

static void new_id(struct np_network *n)
{
	unsigned char b[32] = { 0 };
	if (getrandom(b, sizeof b, 0) != sizeof b)
		for (size_t i = 0; i < sizeof b; i++)
			b[i] = (unsigned char)random();
	for (int i = 0; i < 32; i++)
		sprintf(n->id + 2 * i, "%02x", b[i]);
	/* IFNAMSIZ leaves 15 characters: "lochs-" and 9 of the id. */
	if (!strcmp(n->name, NP_DEFAULT_NET))
		snprintf(n->bridge, sizeof n->bridge, "%s", NP_DEFAULT_NET);
	else
		snprintf(n->bridge, sizeof n->bridge, "lochs-%.9s", n->id);
	time_t t = time(NULL);
	strftime(n->created, sizeof n->created, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
}

/* Inside the transaction: the pool's first subnet free of Lochs networks
 * and of the host's prefixes (read before, outside the lock). */
static int pick(sqlite3 *db, struct np_network *n, const struct np_cidr *host, size_t nhost, struct lerr *e)
{
	struct np_cidr *used, net, gw;
	size_t nused;
	if (netrec_subnets(db, &used, &nused, e) < 0)
		return -1;
	struct np_cidr *all = realloc(used, (nused + nhost + 1) * sizeof *all);
	if (!all) {
		free(used);
		return lerr_set(e, LX_LOCHS, "out of memory");
	}
	if (nhost)
		memcpy(all + nused, host, nhost * sizeof *host);
	int rc = np_pool_pick(all, nused + nhost, &net);
	free(all);
	if (rc < 0)
		return lerr_set(e, LX_LOCHS, "could not find an available, non-overlapping IPv4 address pool among %s /%d",
				NP_POOL, NP_POOL_PREFIX);
	np_cidr_format(&net, n->subnet, sizeof n->subnet);
	np_cidr_nth(&net, 1, &gw);
	np_addr_format(&gw, n->gateway, sizeof n->gateway);
	return 0;
}

static int bridge_up(sqlite3 *db, const struct np_network *n, struct lerr *e)
{
	struct np_cidr net, gw, net6, gw6;
	char g6[64], range6[64];
	if (np_cidr_parse(n->subnet, &net, e) < 0 || np_addr_parse(n->gateway, &gw, e) < 0)
		return -1;
	gw.prefix = net.prefix;
	if (*n->ipv6_subnet) {
		if (np_cidr_parse(n->ipv6_subnet, &net6, e) < 0 ||
		    ipam6_config(db, n->id, n->ipv6_subnet, g6, range6, e) < 0 || np_addr_parse(g6, &gw6, e) < 0)
			return -1;
		gw6.prefix = net6.prefix;
	}
	return bridge_create(n->bridge, &gw, *n->ipv6_subnet ? &gw6 : NULL, e);
}

int network_create(sqlite3 *db, const struct network_opts *o, struct np_network *out, struct lerr *e)
{
	struct np_cidr *host = NULL;
	size_t nhost = 0;
	char gw6[64], range6[64];
	if (validate(o, out, gw6, range6, e) < 0)
		return -1;
	/* Best effort: another network's missing bridge must not block this one. */
	struct lerr ignored;
	network_repair(db, &ignored);
	if (!*out->subnet && hostnet_prefixes(&host, &nhost, e) < 0)
		return -1;
	new_id(out);
	/* One transaction picks the subnet and inserts the row, so two
	 * concurrent creates never take the same pool subnet. */
	if (state_begin(db, e) < 0) {
		free(host);
		return -1;
	}
	int rc = (*out->subnet || pick(db, out, host, nhost, e) == 0) ? netrec_insert(db, out, e) : -1;
	free(host);
	if (rc == 0) {
		const char *p[] = { out->id, out->gateway };
		rc = state_exec(db, e, "INSERT INTO ip_allocations(network, address, owner) VALUES(?, ?, '" NP_OWNER_GATEWAY "')", 2, p);
	}
	if (rc == 0 && (*gw6 || *range6)) {
		const char *p[] = { out->id, gw6, range6 };
		rc = state_exec(db, e, "INSERT INTO network_ipv6(network, gateway, ip_range) VALUES(?, ?, ?)", 3, p);
	}
	if (rc < 0 || state_commit(db, e) < 0) {
		state_rollback(db);
		return -1;
	}
	/* The bridge, then its NAT and isolation rules; either failing
	 * takes the network away again. */
	if (bridge_up(db, out, e) < 0 || firewall_sync(db, e) < 0) {
		bridge_delete(out->bridge, &ignored);
		netrec_delete(db, out->id, &ignored);
		firewall_sync(db, &ignored);
		return -1;
	}
	char attrs[512];
	snprintf(attrs, sizeof attrs, "{\"name\":\"%s\",\"type\":\"bridge\"}", out->name);
	state_event(db, "network", "create", out->id, attrs);
	dnsd_notify_db(db); /* the embedded DNS server serves it at once */
	return 0;
}

static int remove_one(sqlite3 *db, const struct np_network *n, struct lerr *e)
{
	if (bridge_delete(n->bridge, e) < 0 || netrec_delete(db, n->id, e) < 0 || firewall_sync(db, e) < 0)
		return -1;
	char attrs[512];
	snprintf(attrs, sizeof attrs, "{\"name\":\"%s\",\"type\":\"bridge\"}", n->name);
	state_event(db, "network", "destroy", n->id, attrs);
	dnsd_notify_db(db); /* the embedded DNS server lets it go (and exits after the last) */
	return 0;
}

int network_remove(sqlite3 *db, const char *ref, struct lerr *e)
{
	struct np_network n;
	if (!strcmp(ref, NP_DEFAULT_NET))
		return lerr_set(e, LX_LOCHS, "%s is a pre-defined network and cannot be removed", ref);
	if (netrec_get(db, ref, &n, e) < 0)
		return -1;
	if (!strcmp(n.name, NP_DEFAULT_NET))
		return lerr_set(e, LX_LOCHS, "%s is a pre-defined network and cannot be removed", ref);
	int used = ipam_in_use(db, n.id);
	if (used)
		return lerr_set(e, LX_LOCHS, "error while removing network: network %s has active endpoints (%d)", n.name, used);
	return remove_one(db, &n, e);
}

int network_prune(sqlite3 *db, void (*removed)(const char *name), struct lerr *e)
{
	struct np_network *v;
	int n, rc = 0;
	if (netrec_list(db, &v, &n, e) < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		if (!strcmp(v[i].name, NP_DEFAULT_NET) || ipam_in_use(db, v[i].id))
			continue;
		if (remove_one(db, &v[i], e) < 0) {
			rc = -1;
			continue;
		}
		if (removed)
			removed(v[i].name);
	}
	free(v);
	return rc;
}

int network_repair(sqlite3 *db, struct lerr *e)
{
	struct np_network *v;
	int n, rc = 0, rebuilt = 0;
	if (netrec_list(db, &v, &n, e) < 0)
		return -1;
	for (int i = 0; i < n && rc == 0; i++) {
		int x = bridge_exists(v[i].bridge, e);
		if (x < 0 || (x == 0 && bridge_up(db, &v[i], e) < 0))
			rc = -1;
		rebuilt |= x == 0;
	}
	free(v);
	/* A rebuilt bridge (after a reboot): the table and its sysctls too. */
	if (rc == 0 && rebuilt)
		rc = firewall_sync(db, e);
	return rc;
}

int network_ensure_default(sqlite3 *db, struct np_network *out, struct lerr *e)
{
	if (netrec_get(db, NP_DEFAULT_NET, out, NULL) == 0)
		return network_repair(db, e);
	struct network_opts o = { .name = NP_DEFAULT_NET };
	struct lerr mine = { 0 };
	if (network_create(db, &o, out, &mine) == 0)
		return 0;
	/* Another lochs process created it first. */
	if (netrec_get(db, NP_DEFAULT_NET, out, NULL) == 0)
		return 0;
	*e = mine;
	return -1;
}
