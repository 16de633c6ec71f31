/* The system half of firewall.h: the model read from the state database,
 * the table applied with libnftables, the sysctls NAT needs. */
#include "firewall.h"
#include "cidr.h"
#include "../orchestrator/state.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <nftables/libnftables.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <unistd.h>

/* The state root: the directory of the database file. */
static int db_root(sqlite3 *db, char *out, size_t size, struct lerr *e)
{
	const char *f = sqlite3_db_filename(db, "main");
	char real[PATH_MAX];
	if (!f || !*f)
		return lerr_set(e, LX_LOCHS, "firewall: the state database has no file name");
	snprintf(out, size, "%s", f);
	char *slash = strrchr(out, '/');
	if (!slash)
		return lerr_set(e, LX_LOCHS, "firewall: the state database path %s is not absolute", f);
	*slash = 0;
	if (!*out)
		snprintf(out, size, "/");
	if (realpath(out, real))
		snprintf(out, size, "%s", real);
	return 0;
}

static int load_nets(sqlite3 *db, struct fw_model *m, struct lerr *e)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT bridge, subnet, internal, ipv6_subnet FROM networks ORDER BY name", -1, &st, NULL) != SQLITE_OK)
		return lerr_set(e, LX_LOCHS, "firewall: %s", sqlite3_errmsg(db));
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct fw_net *v = realloc(m->nets, (size_t)(m->nnets + 1) * sizeof *v);
		if (!v)
			break;
		m->nets = v;
		struct fw_net *n = &v[m->nnets++];
		snprintf(n->bridge, sizeof n->bridge, "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(n->subnet, sizeof n->subnet, "%s", (const char *)sqlite3_column_text(st, 1));
		n->internal = sqlite3_column_int(st, 2);
		snprintf(n->subnet6, sizeof n->subnet6, "%s", (const char *)sqlite3_column_text(st, 3));
	}
	sqlite3_finalize(st);
	return 0;
}

/* The bridge of the network whose subnet holds addr; NULL when none. */
static const char *bridge_of(const struct fw_model *m, const char *addr)
{
	struct np_cidr a, net;
	if (np_addr_parse(addr, &a, NULL) < 0)
		return NULL;
	for (int i = 0; i < m->nnets; i++)
		if ((np_cidr_parse(m->nets[i].subnet, &net, NULL) == 0 && np_cidr_contains(&net, &a)) ||
		    (*m->nets[i].subnet6 && np_cidr_parse(m->nets[i].subnet6, &net, NULL) == 0 && np_cidr_contains(&net, &a)))
			return m->nets[i].bridge;
	return NULL;
}

static int load_ports(sqlite3 *db, struct fw_model *m, struct lerr *e)
{
	sqlite3_stmt *st;
	/* Reserved at create, forwarded while the jail runs (as Docker). */
	if (sqlite3_prepare_v2(db, "SELECT jail, proto, host_ip, host_port, jail_ip, jail_port FROM port_bindings"
				   " WHERE jail IN (SELECT id FROM jails WHERE state IN ('running', 'paused'))"
				   " ORDER BY host_port, proto, host_ip", -1, &st, NULL) != SQLITE_OK)
		return lerr_set(e, LX_LOCHS, "firewall: %s", sqlite3_errmsg(db));
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *jail_ip = (const char *)sqlite3_column_text(st, 4);
		const char *br = bridge_of(m, jail_ip ? jail_ip : "");
		if (!br) /* its network is gone: nothing to reach */
			continue;
		struct fw_port *v = realloc(m->ports, (size_t)(m->nports + 1) * sizeof *v);
		if (!v)
			break;
		m->ports = v;
		struct fw_port *p = &v[m->nports++];
		memset(p, 0, sizeof *p);
		snprintf(p->b.jail, sizeof p->b.jail, "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(p->b.proto, sizeof p->b.proto, "%s", (const char *)sqlite3_column_text(st, 1));
		snprintf(p->b.host_ip, sizeof p->b.host_ip, "%s", (const char *)sqlite3_column_text(st, 2));
		p->b.host_port = sqlite3_column_int(st, 3);
		snprintf(p->b.jail_ip, sizeof p->b.jail_ip, "%s", jail_ip);
		p->b.jail_port = sqlite3_column_int(st, 5);
		snprintf(p->bridge, sizeof p->bridge, "%s", br);
	}
	sqlite3_finalize(st);
	return 0;
}

static int apply(const char *script, struct lerr *e)
{
	struct nft_ctx *nft = nft_ctx_new(NFT_CTX_DEFAULT);
	if (!nft)
		return lerr_set(e, LX_LOCHS, "firewall: cannot start libnftables");
	nft_ctx_buffer_output(nft);
	nft_ctx_buffer_error(nft);
	int rc = 0;
	if (nft_run_cmd_from_buffer(nft, script) != 0) {
		const char *err = nft_ctx_get_error_buffer(nft);
		char line[512];
		snprintf(line, sizeof line, "%s", err && *err ? err : "failed");
		line[strcspn(line, "\n")] = 0;
		rc = lerr_set(e, LX_LOCHS, "firewall: nftables: %s", line);
	}
	nft_ctx_free(nft);
	return rc;
}

static void sysctl_set(const char *path)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return; /* a bridge not up yet gets it at the next sync */
	if (write(fd, "1\n", 2) != 2) {
		/* nothing to do: forwarding stays as the host had it */
	}
	close(fd);
}

static void sysctls(const struct fw_model *m)
{
	char path[128];
	for (int i = 0; i < m->nnets; i++)
		if (!m->nets[i].internal) {
			/* As Docker does: outbound NAT needs forwarding. */
			sysctl_set("/proc/sys/net/ipv4/ip_forward");
			break;
		}
	for (int i = 0; i < m->nnets; i++)
		if (!m->nets[i].internal && *m->nets[i].subnet6) {
			sysctl_set("/proc/sys/net/ipv6/conf/all/forwarding");
			break;
		}
	for (int i = 0; i < m->nports; i++) {
		snprintf(path, sizeof path, "/proc/sys/net/ipv4/conf/%s/route_localnet", m->ports[i].bridge);
		sysctl_set(path);
	}
}

int firewall_table(sqlite3 *db, char out[32])
{
	char root[PATH_MAX];
	if (!db || db_root(db, root, sizeof root, NULL) < 0)
		return -1;
	fw_table_name(root, out);
	return 0;
}

int firewall_sync(sqlite3 *db, struct lerr *e)
{
	char root[PATH_MAX], lock[PATH_MAX + 16];
	struct fw_model m = { 0 };
	if (!db || db_root(db, root, sizeof root, e) < 0)
		return -1;
	fw_table_name(root, m.table);
	/* One writer at a time per root: read and apply together, so the last
	 * table written is the one made from the newest rows. */
	snprintf(lock, sizeof lock, "%s/firewall.lock", root);
	int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return lerr_sys(e, "firewall: %s", lock);
	flock(fd, LOCK_EX);
	int rc = -1;
	char *script = NULL;
	if (load_nets(db, &m, e) < 0 || load_ports(db, &m, e) < 0)
		goto out;
	if (!(script = fw_script(&m))) {
		lerr_set(e, LX_LOCHS, "firewall: out of memory");
		goto out;
	}
	rc = apply(script, e);
	if (rc == 0)
		sysctls(&m);
out:
	close(fd);
	free(script);
	free(m.nets);
	free(m.ports);
	return rc;
}

int firewall_sweep(sqlite3 *db, struct lerr *e)
{
	if (!db)
		return -1;
	if (state_exec(db, e, "DELETE FROM port_bindings WHERE jail NOT IN (SELECT id FROM jails)", 0, NULL) < 0)
		return -1;
	return firewall_sync(db, e);
}
