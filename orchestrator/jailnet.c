/* A jail's network endpoints, executor side; see jailnet.h. */
#include "jailnet.h"
#include "jailnames.h"
#include "jailops.h"
#include "jailports.h"
#include "state.h"
#include "../common/fsutil.h"
#include "../common/sha256.h"
#include "../netplane/cidr.h"
#include "../netplane/dnsdb.h"
#include "../netplane/ipam.h"
#include "../netplane/network.h"
#include "../translator/jail/jail.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void jailnet_mac(const char *addr, char out[18])
{
	struct np_cidr a;
	if (np_addr_parse(addr, &a, NULL) < 0) /* not from the IPAM: cannot happen */
		a = (struct np_cidr){ 0 };
	np_mac_of(&a, out);
}

json_t *jailnet_endpoint(const struct np_network *n, const char *cidr, const char *cidr6, const char *gw6,
			 const char *mac, int index)
{
	char ifname[16];
	snprintf(ifname, sizeof ifname, "eth%d", index);
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "network", n->name, "bridge", n->bridge, "address",
			      cidr, "gateway", n->gateway, "mac", mac, "ifname", ifname, "internal", n->internal);
	if (cidr6 && *cidr6) {
		json_object_set_new(o, "address6", json_string(cidr6));
		json_object_set_new(o, "gateway6", json_string(gw6));
	}
	return o;
}

void jailnet_release(sqlite3 *db, const char *id)
{
	const char *p[] = { id };
	if (db)
		state_exec(db, NULL, "DELETE FROM ip_allocations WHERE owner = ?", 1, p);
	jailports_release(db, id);
	if (db)
		dnsdb_drop_aliases(db, id);
}

static void add_bind(const struct cli *c, const char *id, const char *file, const char *target, json_t *mounts)
{
	char src[4096];
	jail_path(c, id, file, src, sizeof src);
	json_array_append_new(mounts, json_pack("{s:s, s:s, s:s, s:b, s:s}", "type", "bind", "source", src,
						"target", target, "readonly", 1, "options", ""));
}

int jailnet_config(struct cli *c, const char *id, const struct svc_spec *s, json_t *nets, json_t *mounts,
		   struct lerr *e)
{
	add_bind(c, id, "hosts", "/etc/hosts", mounts);
	add_bind(c, id, "resolv.conf", "/etc/resolv.conf", mounts);
	/* Docker's name for its default network is "bridge": here lochs0. */
	const char *want = s->network && strcmp(s->network, "bridge") ? s->network : NP_DEFAULT_NET;
	if (!strcmp(want, "none")) {
		if (s->ip)
			return lerr_set(e, LX_LOCHS, "--ip needs a network (not --network none)");
		return 0;
	}
	sqlite3 *db = cli_db(c, e);
	struct np_network n;
	if (!db)
		return -1;
	if (!strcmp(want, NP_DEFAULT_NET) ? network_ensure_default(db, &n, e) < 0 : netrec_get(db, want, &n, e) < 0)
		return -1;
	char addr[64], cidr[80], mac[18];
	if (ipam_alloc(db, n.id, id, s->ip, addr, sizeof addr, e) < 0)
		return -1;
	char cidr6[80], gw6[64], addr6[80];
	if (jailnet_addr6(db, &n, id, s->ip6, cidr6, gw6, e) < 0) {
		jailnet_release(db, id);
		return -1;
	}
	snprintf(addr6, sizeof addr6, "%.*s", (int)strcspn(cidr6, "/"), cidr6);
	/* Ports right after the addresses: a refused one leaves nothing. */
	if (jailports_reserve(c, id, s, &n, addr, addr6, e) < 0) {
		jailnet_release(db, id);
		return -1;
	}
	const char *slash = strchr(n.subnet, '/');
	snprintf(cidr, sizeof cidr, "%s/%s", addr, slash ? slash + 1 : "32");
	jailnet_mac(addr, mac);
	json_array_append_new(nets, jailnet_endpoint(&n, cidr, cidr6, gw6, mac, (int)json_array_size(nets)));
	/* Its --network-alias names, for the embedded DNS server. */
	return dnsdb_set_aliases(db, id, n.id, s->aliases, e);
}

int jailnet_files(struct cli *c, const char *id, struct lerr *e)
{
	char path[4096];
	struct jail_config cfg;
	jail_path(c, id, "config.json", path, sizeof path);
	if (jail_config_load(path, &cfg, e) < 0)
		return -1;
	int rc = jailnames_write(c, id, &cfg, e);
	/* A bridge gone since (a reboot) is rebuilt from its row. */
	if (rc == 0 && cfg.nnets > 0 && network_repair(cli_db(c, e), e) < 0)
		rc = -1;
	jail_config_free(&cfg);
	return rc;
}

void jailnet_inspect(struct cli *c, const char *id, json_t *o)
{
	char path[4096];
	struct jail_config cfg;
	struct lerr ignored;
	json_t *nets = json_object();
	jail_path(c, id, "config.json", path, sizeof path);
	if (jail_config_load(path, &cfg, &ignored) == 0) {
		for (int i = 0; i < cfg.nnets; i++) {
			const struct jail_net *n = &cfg.nets[i];
			const char *slash = strchr(n->address, '/');
			json_object_set_new(nets, n->network,
					    json_pack("{s:s%, s:i, s:s, s:s}", "IPAddress", n->address,
						      (size_t)(slash - n->address), "IPPrefixLen", atoi(slash + 1),
						      "Gateway", n->gateway, "MacAddress", n->mac));
		}
		jail_config_free(&cfg);
	}
	json_object_set_new(o, "NetworkSettings",
			    json_pack("{s:o, s:o}", "Networks", nets, "Ports", jailports_json(cli_db(c, &ignored), id)));
}

/* One jail's endpoint on network n as Docker's network inspect shows it,
 * from its config.json; NULL when it has none there. */
static json_t *container_json(struct cli *c, const char *id, const char *name, const struct np_network *n)
{
	char path[4096], epid[65], key[200];
	struct jail_config cfg;
	struct lerr ignored;
	json_t *o = NULL;
	jail_path(c, id, "config.json", path, sizeof path);
	if (jail_config_load(path, &cfg, &ignored) < 0)
		return NULL;
	for (int i = 0; i < cfg.nnets && !o; i++) {
		const struct jail_net *j = &cfg.nets[i];
		if (strcmp(j->network, n->name))
			continue;
		/* Stable per jail and network, as long as the endpoint lives. */
		snprintf(key, sizeof key, "%s/%s", id, n->id);
		sha256_buf(key, strlen(key), epid);
		o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "Name", name, "EndpointID", epid, "MacAddress", j->mac,
			      "IPv4Address", j->address, "IPv6Address", j->address6 ? j->address6 : "");
	}
	jail_config_free(&cfg);
	return o;
}

json_t *jailnet_containers(struct cli *c, sqlite3 *db, const struct np_network *n)
{
	json_t *all = json_object();
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT DISTINCT j.id, j.name FROM ip_allocations a JOIN jails j ON j.id = a.owner"
				   " WHERE a.network = ? ORDER BY j.name", -1, &st, NULL) != SQLITE_OK)
		return all;
	sqlite3_bind_text(st, 1, n->id, -1, SQLITE_TRANSIENT);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);
		json_t *one = container_json(c, id, (const char *)sqlite3_column_text(st, 1), n);
		if (one)
			json_object_set_new(all, id, one);
	}
	sqlite3_finalize(st);
	return all;
}
