/* A jail's /etc/hosts and /etc/resolv.conf; see jailnames.h. */
#include "jailnames.h"
#include "jailops.h"
#include "../common/fsutil.h"
#include "../netplane/dnsctl.h"
#include "../netplane/dnsname.h"
#include "../netplane/netrec.h"
#include "../specs/service.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The host's resolv.conf: systemd-resolved's upstream list when the host's
 * own names its 127.0.0.53 stub (unreachable from a jail). */
static char *host_resolv(void)
{
	size_t len;
	char *text = read_file("/run/systemd/resolve/resolv.conf", &len);
	return text ? text : read_file("/etc/resolv.conf", &len);
}

/* The jail's --add-host and --dns from its record (empty when none). */
static void load_spec(struct cli *c, const char *id, struct svc_spec *s)
{
	struct lerr ignored;
	sqlite3 *db = cli_db(c, &ignored);
	sqlite3_stmt *st;
	memset(s, 0, sizeof *s);
	if (!db || sqlite3_prepare_v2(db, "SELECT spec FROM jails WHERE id = ?", -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW) {
		json_t *j = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
		if (j && svc_from_json(j, s, &ignored) < 0)
			memset(s, 0, sizeof *s);
		json_decref(j);
	}
	sqlite3_finalize(st);
}

static char *hosts_text(const struct jail_config *cfg, char *const *add_hosts)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	fprintf(f, "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
	for (int i = 0; i < cfg->nnets; i++) {
		const char *addrs[] = { cfg->nets[i].address, cfg->nets[i].address6 };
		for (int k = 0; k < 2; k++) {
			if (!addrs[k] || !*addrs[k])
				continue;
			fprintf(f, "%.*s\t%s%s%s\n", (int)strcspn(addrs[k], "/"), addrs[k], cfg->hostname,
				strcmp(cfg->hostname, cfg->name) ? " " : "", strcmp(cfg->hostname, cfg->name) ? cfg->name : "");
		}
	}
	/* --add-host NAME:IP; host-gateway is the jail's gateway, as in Docker
	 * (no line without a network). */
	for (char *const *h = add_hosts; h && *h; h++) {
		const char *ip;
		size_t k = dns_add_host_split(*h, cfg->nnets > 0 ? cfg->nets[0].gateway : "", &ip);
		if (*ip)
			fprintf(f, "%s\t%.*s\n", ip, (int)k, *h);
	}
	fclose(f);
	return buf;
}

static int write_text(struct cli *c, const char *id, const char *file, const char *text, struct lerr *e)
{
	char path[4096];
	jail_path(c, id, file, path, sizeof path);
	if (!text)
		return lerr_set(e, LX_LOCHS, "%s: out of memory", path);
	return write_file_replace(path, text, strlen(text), 0644) < 0 ? lerr_sys(e, "%s", path) : 0;
}

int jailnames_write(struct cli *c, const char *id, const struct jail_config *cfg, struct lerr *e)
{
	struct svc_spec s;
	load_spec(c, id, &s);
	/* A user network's jail asks the embedded server on its gateway (as
	 * Docker's user-defined networks do); the default network's keeps the
	 * host's resolvers, or its --dns. */
	const char *gateway = NULL;
	for (int i = 0; i < cfg->nnets && !gateway; i++)
		if (strcmp(cfg->nets[i].network, NP_DEFAULT_NET))
			gateway = cfg->nets[i].gateway;
	char *host = host_resolv();
	char *hosts = hosts_text(cfg, s.add_hosts), *resolv = dns_resolv_text(host, gateway, s.dns);
	int rc = write_text(c, id, "hosts", hosts, e) < 0 || write_text(c, id, "resolv.conf", resolv, e) < 0 ? -1 : 0;
	if (rc == 0 && gateway && dnsd_ensure(c->root, e) < 0)
		rc = -1;
	free(host);
	free(hosts);
	free(resolv);
	svc_free(&s);
	return rc;
}
