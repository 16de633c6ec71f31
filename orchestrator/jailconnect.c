/* `lochs network connect` / `disconnect`: an endpoint added to or taken
 * from a jail, live when it runs. config.json's "networks" is the list of
 * the jail's endpoints (the next start makes exactly these); the IPAM row
 * (owner = jail id) is the address. Order for crash safety: address, then
 * config, then the live veth; undone in reverse on failure. */
#include "jailconnect.h"
#include "jailnet.h"
#include "jailops.h"
#include "state.h"
#include "../common/fsutil.h"
#include "../netplane/ipam.h"
#include "../netplane/netrec.h"
#include "../netplane/sweep.h"
#include "../translator/jail/jail.h"
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The jail's pid 1 when it runs (paused too: netlink works on a frozen
 * jail's netns), else 0. */
static pid_t live_pid(sqlite3 *db, const char *id)
{
	sqlite3_stmt *st;
	pid_t pid = 0;
	if (sqlite3_prepare_v2(db, "SELECT pid FROM jails WHERE id = ? AND state IN ('running', 'paused')", -1, &st,
			       NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW)
		pid = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return pid;
}

static json_t *config_read(struct cli *c, const char *id, char path[4096], struct lerr *e)
{
	jail_path(c, id, "config.json", path, 4096);
	json_error_t je;
	json_t *o = json_load_file(path, 0, &je);
	if (!o)
		lerr_set(e, LX_LOCHS, "%s:%d: %s", path, je.line, je.text);
	return o;
}

static int config_write(const char *path, json_t *o, struct lerr *e)
{
	char *text = json_dumps(o, JSON_INDENT(2));
	int rc = !text || write_file_replace(path, text, strlen(text), 0600) < 0 ? lerr_sys(e, "%s", path) : 0;
	free(text);
	return rc;
}

/* The endpoint of network name in nets, or -1. */
static int endpoint_index(json_t *nets, const char *name)
{
	for (size_t i = 0; i < json_array_size(nets); i++)
		if (!strcmp(json_string_value(json_object_get(json_array_get(nets, i), "network")) ?: "", name))
			return (int)i;
	return -1;
}

/* The lowest ethN no endpoint of the jail uses. */
static int free_ifindex(json_t *nets)
{
	for (int n = 0;; n++) {
		char want[16];
		snprintf(want, sizeof want, "eth%d", n);
		int used = 0;
		for (size_t i = 0; i < json_array_size(nets); i++) {
			const char *f = json_string_value(json_object_get(json_array_get(nets, i), "ifname"));
			char def[16];
			snprintf(def, sizeof def, "eth%zu", i);
			used |= !strcmp(f ? f : def, want);
		}
		if (!used)
			return n;
	}
}

/* In the netns of pid (a child process: setns is per thread and for
 * good): the endpoint's address, up, and route when asked. */
static int setup_inside(pid_t pid, const struct jail_net *n, int route, struct lerr *e)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/ns/net", (int)pid);
	int ns = open(path, O_RDONLY | O_CLOEXEC), ep[2];
	if (ns < 0)
		return lerr_sys(e, "%s", path);
	if (pipe2(ep, O_CLOEXEC) < 0) {
		close(ns);
		return lerr_sys(e, "pipe");
	}
	pid_t child = fork();
	if (child == 0) {
		struct lerr ce = { 0, "" };
		if (setns(ns, CLONE_NEWNET) < 0)
			lerr_sys(&ce, "joining the jail's network namespace");
		else
			veth_setup(n, route, &ce);
		if (write(ep[1], &ce, sizeof ce) < 0)
			_exit(1);
		_exit(0);
	}
	close(ns), close(ep[1]);
	struct lerr ce = { LX_LOCHS, "network setup did not answer" };
	ssize_t got = child < 0 ? -1 : read(ep[0], &ce, sizeof ce);
	close(ep[0]);
	if (child > 0)
		waitpid(child, NULL, 0);
	if (child < 0)
		return lerr_sys(e, "fork");
	if (got != (ssize_t)sizeof ce || ce.code) {
		ce.msg[sizeof ce.msg - 1] = 0;
		*e = ce;
		return -1;
	}
	return 0;
}

/* Whether an endpoint other than skip already gives the jail its default
 * route (the first that is not internal, as at start). */
static int routed(json_t *nets, int skip)
{
	for (size_t i = 0; i < json_array_size(nets); i++)
		if ((int)i != skip && !json_is_true(json_object_get(json_array_get(nets, i), "internal")))
			return 1;
	return 0;
}

static int refuse_mode(json_t *cfg, const char *ref, int nnets, const char *spec_net, struct lerr *e)
{
	const char *netns = json_string_value(json_object_get(cfg, "netns"));
	if (netns && *netns)
		return lerr_set(e, LX_LOCHS, "jail %s shares the network stack of %s: it cannot be connected", ref,
				!strcmp(netns, "host") ? "the host" : "another jail");
	if (nnets == 0 && spec_net && !strcmp(spec_net, "none"))
		return lerr_set(e, LX_LOCHS, "jail %s runs with --network none: it cannot be connected", ref);
	return 0;
}

/* The jail's own --network (from its spec), or NULL; free it. */
static char *spec_network(sqlite3 *db, const char *id)
{
	sqlite3_stmt *st;
	char *net = NULL;
	if (sqlite3_prepare_v2(db, "SELECT json_extract(spec, '$.network') FROM jails WHERE id = ?", -1, &st, NULL) !=
	    SQLITE_OK)
		return NULL;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		net = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return net;
}

static void aliases_set(sqlite3 *db, const char *id, const char *net_id, char **aliases)
{
	for (char **a = aliases; a && *a; a++) {
		const char *p[] = { id, net_id, *a };
		state_exec(db, NULL, "INSERT OR IGNORE INTO net_aliases(jail, network, alias) VALUES(?, ?, ?)", 3, p);
	}
}

static void aliases_drop(sqlite3 *db, const char *id, const char *net_id)
{
	const char *p[] = { id, net_id };
	state_exec(db, NULL, "DELETE FROM net_aliases WHERE jail = ? AND network = ?", 2, p);
}

static void endpoint_of(json_t *o, struct jail_net *n)
{
	n->network = (char *)json_string_value(json_object_get(o, "network"));
	n->bridge = (char *)json_string_value(json_object_get(o, "bridge"));
	n->address = (char *)json_string_value(json_object_get(o, "address"));
	n->gateway = (char *)json_string_value(json_object_get(o, "gateway"));
	n->mac = (char *)json_string_value(json_object_get(o, "mac"));
	n->ifname = (char *)json_string_value(json_object_get(o, "ifname"));
	n->address6 = (char *)json_string_value(json_object_get(o, "address6"));
	n->gateway6 = (char *)json_string_value(json_object_get(o, "gateway6"));
	n->internal = json_is_true(json_object_get(o, "internal"));
}

int jail_connect(struct cli *c, const char *net_ref, const char *jail_ref, const char *ip, const char *ip6,
		 char **aliases, struct lerr *e)
{
	sqlite3 *db = cli_db(c, e);
	char id[65], path[4096], addr[64], cidr[80], mac[18];
	struct np_network n;
	if (!db || jail_lookup(c, jail_ref, id, e) < 0 || netrec_get(db, net_ref, &n, e) < 0)
		return -1;
	json_t *cfg = config_read(c, id, path, e);
	if (!cfg)
		return -1;
	json_t *nets = json_object_get(cfg, "networks");
	if (!json_is_array(nets))
		json_object_set_new(cfg, "networks", nets = json_array());
	char *own = spec_network(db, id);
	int rc = refuse_mode(cfg, jail_ref, (int)json_array_size(nets), own, e);
	free(own);
	if (rc == 0 && endpoint_index(nets, n.name) >= 0)
		rc = lerr_set(e, LX_LOCHS, "jail %s is already connected to network %s", jail_ref, n.name);
	/* From the address to the config: a sweep takes an address no
	 * endpoint names (a connect killed in between), never this one. */
	int guard = rc < 0 ? -1 : netplane_create_lock(c->root);
	if (rc < 0 || ipam_alloc(db, n.id, id, ip, addr, sizeof addr, e) < 0) {
		if (guard >= 0)
			close(guard);
		json_decref(cfg);
		return -1;
	}
	const char *slash = strchr(n.subnet, '/');
	snprintf(cidr, sizeof cidr, "%s/%s", addr, slash ? slash + 1 : "32");
	jailnet_mac(addr, mac);
	int route = !routed(nets, -1) && !n.internal;
	char cidr6[80], gw6[64];
	if (jailnet_addr6(db, &n, id, ip6, cidr6, gw6, e) < 0) {
		ipam_release(db, n.id, id, NULL);
		if (guard >= 0)
			close(guard);
		json_decref(cfg);
		return -1;
	}
	json_t *ep = jailnet_endpoint(&n, cidr, cidr6, gw6, mac, free_ifindex(nets));
	json_array_append_new(nets, ep);
	pid_t pid = live_pid(db, id);
	struct jail_net jn;
	endpoint_of(ep, &jn);
	rc = config_write(path, cfg, e);
	if (guard >= 0)
		close(guard);
	if (rc == 0 && pid > 0 && (veth_add(id, &jn, pid, e) < 0 || setup_inside(pid, &jn, route, e) < 0)) {
		struct lerr ignored;
		veth_remove(id, n.name, &ignored);
		json_array_remove(nets, json_array_size(nets) - 1);
		config_write(path, cfg, &ignored);
		rc = -1;
	}
	if (rc < 0) {
		ipam_release(db, n.id, id, NULL);
	} else {
		aliases_set(db, id, n.id, aliases);
		char attrs[600];
		snprintf(attrs, sizeof attrs, "{\"network\":\"%s\",\"address\":\"%s\"}", n.name, cidr);
		state_event(db, "network", "connect", id, attrs);
	}
	json_decref(cfg);
	return rc;
}

int jail_disconnect(struct cli *c, const char *net_ref, const char *jail_ref, struct lerr *e)
{
	sqlite3 *db = cli_db(c, e);
	char id[65], path[4096];
	struct np_network n;
	if (!db || jail_lookup(c, jail_ref, id, e) < 0 || netrec_get(db, net_ref, &n, e) < 0)
		return -1;
	json_t *cfg = config_read(c, id, path, e);
	if (!cfg)
		return -1;
	json_t *nets = json_object_get(cfg, "networks");
	int i = endpoint_index(nets, n.name), rc = 0;
	if (i < 0)
		rc = lerr_set(e, LX_LOCHS, "jail %s is not connected to network %s", jail_ref, n.name);
	/* The live endpoint goes first: a crash after it leaves a config
	 * whose next start makes it again, never a jail on a network it has
	 * no address on. */
	pid_t pid = live_pid(db, id);
	if (rc == 0 && pid > 0)
		rc = veth_remove(id, n.name, e);
	if (rc == 0) {
		json_array_remove(nets, (size_t)i);
		rc = config_write(path, cfg, e);
	}
	if (rc == 0) {
		ipam_release(db, n.id, id, NULL);
		aliases_drop(db, id, n.id);
		char attrs[300];
		snprintf(attrs, sizeof attrs, "{\"network\":\"%s\"}", n.name);
		state_event(db, "network", "disconnect", id, attrs);
	}
	json_decref(cfg);
	return rc;
}
