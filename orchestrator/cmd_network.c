/* network create, ls, inspect, rm, prune (netplane/network.h), and the
 * hidden _netalloc/_netrelease/_netdefault: IPAM and the default network
 * driven directly, for tests (concurrent allocation without jails). */
#include "cli.h"
#include "jailnet.h"
#include "../netplane/cidr.h"
#include "../netplane/ipam.h"
#include "../netplane/network.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "--flag VALUE" or "--flag=VALUE"; advances *i over a separate value. */
static const char *flag_value(int argc, char **argv, int *i, const char *flag)
{
	size_t n = strlen(flag);
	if (!strncmp(argv[*i], flag, n) && argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (!strcmp(argv[*i], flag) && *i + 1 < argc)
		return argv[++*i];
	return NULL;
}

static int cmd_create(struct cli *c, int argc, char **argv, struct lerr *e)
{
	struct network_opts o = { 0 };
	json_t *labels = json_object();
	int rc = -1;
	const char *v;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if ((v = flag_value(argc, argv, &i, "--driver")) || (v = flag_value(argc, argv, &i, "-d")))
			o.driver = v;
		else if ((v = flag_value(argc, argv, &i, "--subnet"))) {
			/* Docker's repeatable --subnet: the IPv6 one by its colon. */
			if (strchr(v, ':') ? o.subnet6 != NULL : o.subnet != NULL) {
				lerr_usage(e, "network create", "only one IPv4 and one IPv6 --subnet are supported");
				goto out;
			}
			*(strchr(v, ':') ? &o.subnet6 : &o.subnet) = v;
		} else if ((v = flag_value(argc, argv, &i, "--gateway")) || (v = flag_value(argc, argv, &i, "--ip-range"))) {
			/* Each matches its --subnet by family, as Docker's. */
			int gw = !strncmp(a, "--gateway", 9);
			const char **slot = strchr(v, ':') ? (gw ? &o.gateway6 : &o.ip_range6) : (gw ? &o.gateway : &o.ip_range);
			if (*slot) {
				lerr_usage(e, "network create", "only one IPv4 and one IPv6 %s are supported", gw ? "--gateway" : "--ip-range");
				goto out;
			}
			*slot = v;
		}
		else if (!strcmp(a, "--ipv6"))
			o.ipv6 = 1;
		else if (!strcmp(a, "--internal"))
			o.internal = 1;
		else if ((v = flag_value(argc, argv, &i, "--label"))) {
			const char *eq = strchr(v, '=');
			char *k = eq ? strndup(v, (size_t)(eq - v)) : strdup(v);
			json_object_set_new(labels, k, json_string(eq ? eq + 1 : ""));
			free(k);
		} else if (a[0] == '-' || o.name) {
			lerr_usage(e, "network create", a[0] == '-' ? "unknown flag %s" : "unexpected argument %s", a);
			goto out;
		} else
			o.name = a;
	}
	if (!o.name) {
		lerr_usage(e, "network create", "a network name is required");
		goto out;
	}
	/* The names --network gives a meaning (Docker refuses them too). */
	if (!strcmp(o.name, NP_DEFAULT_NET) || !strcmp(o.name, "bridge") || !strcmp(o.name, "host") ||
	    !strcmp(o.name, "none")) {
		lerr_set(e, LX_LOCHS, "%s is the name of a pre-defined network", o.name);
		goto out;
	}
	char *ltext = json_dumps(labels, JSON_COMPACT | JSON_SORT_KEYS);
	o.labels = ltext;
	struct np_network n;
	sqlite3 *db = cli_db(c, e);
	if (db && network_create(db, &o, &n, e) == 0) {
		printf("%s\n", n.id);
		rc = 0;
	}
	free(ltext);
out:
	json_decref(labels);
	return rc;
}
LOCHS_COMMAND(network_create, "network create", cmd_create,
	      "network create [--driver bridge] [--subnet CIDR] [--gateway IP] [--ip-range CIDR] [--ipv6 --subnet CIDR6"
	      " [--gateway IP6] [--ip-range CIDR6]] [--internal] [--label KEY=VALUE] NAME",
	      "Create a network (a Linux bridge; the subnet from 172.30.0.0/15 unless --subnet)");

/* For commands over several names: every error is printed once, the last
 * by main() as the command's error, the earlier ones here. */
static void pending(struct lerr *e, const struct lerr *one, int *failed)
{
	if (*failed)
		fprintf(stderr, "lochs: %s\n", e->msg);
	*e = *one;
	*failed = -1;
}

static json_t *labels_json(const struct np_network *n)
{
	json_t *l = json_loads(n->labels, 0, NULL);
	return l ? l : json_object();
}

static json_t *inspect_json(struct cli *c, sqlite3 *db, const struct np_network *n)
{
	json_t *cfg = json_array();
	json_t *v4 = json_pack("{s:s, s:s}", "Subnet", n->subnet, "Gateway", n->gateway);
	if (*n->ip_range)
		json_object_set_new(v4, "IPRange", json_string(n->ip_range));
	json_array_append_new(cfg, v4);
	char g[64], range[64];
	if (*n->ipv6_subnet && ipam6_config(db, n->id, n->ipv6_subnet, g, range, NULL) == 0) {
		json_t *v6 = json_pack("{s:s, s:s}", "Subnet", n->ipv6_subnet, "Gateway", g);
		if (*range)
			json_object_set_new(v6, "IPRange", json_string(range));
		json_array_append_new(cfg, v6);
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:{s:s, s:{}, s:o}, s:b, s:b, s:b, s:o, s:{s:s}, s:o}",
			 "Name", n->name, "Id", n->id, "Created", n->created, "Scope", "local", "Driver", n->driver,
			 "EnableIPv6", *n->ipv6_subnet != 0, "IPAM", "Driver", "default", "Options", "Config", cfg,
			 "Internal", n->internal, "Attachable", 0, "Ingress", 0, "Containers", jailnet_containers(c, db, n), "Options",
			 "com.docker.network.bridge.name", n->bridge, "Labels", labels_json(n));
}

static int cmd_ls(struct cli *c, int argc, char **argv, struct lerr *e)
{
	int quiet = 0, json = 0;
	const char *v;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet"))
			quiet = 1;
		else if ((v = flag_value(argc, argv, &i, "--format")) && (!strcmp(v, "json") || !strcmp(v, "table")))
			json = !strcmp(v, "json");
		else
			return lerr_usage(e, "network ls", "unknown flag %s", argv[i]);
	}
	sqlite3 *db = cli_db(c, e);
	struct np_network *nets;
	int n;
	if (!db || netrec_list(db, &nets, &n, e) < 0)
		return -1;
	if (!quiet && !json)
		printf("%-12s   %-20s %-8s  %s\n", "NETWORK ID", "NAME", "DRIVER", "SCOPE");
	for (int i = 0; i < n; i++) {
		if (quiet)
			printf("%.12s\n", nets[i].id);
		else if (json) {
			char id[13];
			snprintf(id, sizeof id, "%.12s", nets[i].id);
			json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:b, s:b, s:o, s:s}", "CreatedAt", nets[i].created,
					      "Driver", nets[i].driver, "ID", id, "Name", nets[i].name, "IPv6",
					      nets[i].ipv6_subnet[0] != 0, "Internal", nets[i].internal, "Labels",
					      labels_json(&nets[i]), "Scope", "local");
			char *t = json_dumps(o, JSON_COMPACT);
			printf("%s\n", t);
			free(t);
			json_decref(o);
		} else
			printf("%.12s   %-20s %-8s  %s\n", nets[i].id, nets[i].name, nets[i].driver, "local");
	}
	free(nets);
	return 0;
}
LOCHS_COMMAND(network_ls, "network ls", cmd_ls, "network ls [-q] [--format json|table]", "List networks");

static int cmd_inspect(struct cli *c, int argc, char **argv, struct lerr *e)
{
	if (argc < 2)
		return lerr_usage(e, "network inspect", "at least one network is required");
	sqlite3 *db = cli_db(c, e);
	if (!db)
		return -1;
	json_t *all = json_array();
	int rc = 0;
	for (int i = 1; i < argc; i++) {
		struct lerr one = { 0 };
		struct np_network n;
		if (netrec_get(db, argv[i], &n, &one) < 0) {
			pending(e, &one, &rc);
			continue;
		}
		json_array_append_new(all, inspect_json(c, db, &n));
	}
	char *t = json_dumps(all, JSON_INDENT(4));
	printf("%s\n", t);
	free(t);
	json_decref(all);
	return rc;
}
LOCHS_COMMAND(network_inspect, "network inspect", cmd_inspect, "network inspect NETWORK...",
	      "Show networks' details as JSON");

static int cmd_rm(struct cli *c, int argc, char **argv, struct lerr *e)
{
	int failed = 0, i = 1;
	for (; i < argc && argv[i][0] == '-'; i++)
		if (strcmp(argv[i], "-f") && strcmp(argv[i], "--force"))
			return lerr_usage(e, "network rm", "unknown flag %s", argv[i]);
	if (i >= argc)
		return lerr_usage(e, "network rm", "at least one network is required");
	sqlite3 *db = cli_db(c, e);
	if (!db)
		return -1;
	for (; i < argc; i++) {
		struct lerr one = { 0 };
		if (network_remove(db, argv[i], &one) < 0) {
			pending(e, &one, &failed);
			continue;
		}
		printf("%s\n", argv[i]);
	}
	return failed ? -1 : 0;
}
LOCHS_COMMAND(network_rm, "network rm", cmd_rm, "network rm NETWORK...", "Remove networks no jail uses");

static int prune_count;
static void pruned(const char *name)
{
	if (!prune_count++)
		printf("Deleted Networks:\n");
	printf("%s\n", name);
}

static int cmd_prune(struct cli *c, int argc, char **argv, struct lerr *e)
{
	int force = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-f") || !strcmp(argv[i], "--force"))
			force = 1;
		else
			return lerr_usage(e, "network prune", "unknown flag %s", argv[i]);
	}
	if (!confirm(force, "all custom networks not used by at least one jail"))
		return 0;
	sqlite3 *db = cli_db(c, e);
	return db ? network_prune(db, pruned, e) : -1;
}
LOCHS_COMMAND(network_prune, "network prune", cmd_prune, "network prune [-f]",
	      "Remove all networks no jail uses (and the rows of half-created ones)");

static int cmd_alloc(struct cli *c, int argc, char **argv, struct lerr *e)
{
	struct np_network n;
	char addr[64];
	/* -6: from the IPv6 subnet (ipam_alloc6). */
	int six = argc > 1 && !strcmp(argv[1], "-6");
	argc -= six, argv += six;
	if (argc != 3 && argc != 4)
		return lerr_usage(e, "_netalloc", "usage: _netalloc [-6] NETWORK OWNER [ADDRESS]");
	sqlite3 *db = cli_db(c, e);
	if (!db || netrec_get(db, argv[1], &n, e) < 0 ||
	    (six ? ipam_alloc6 : ipam_alloc)(db, n.id, argv[2], argc == 4 ? argv[3] : NULL, addr, sizeof addr, e) < 0)
		return -1;
	printf("%s\n", addr);
	return 0;
}
LOCHS_COMMAND(netalloc, "_netalloc", cmd_alloc, "_netalloc [-6] NETWORK OWNER [ADDRESS]",
	      "Allocate an address (tests)");

static int cmd_release(struct cli *c, int argc, char **argv, struct lerr *e)
{
	struct np_network n;
	if (argc != 3)
		return lerr_usage(e, "_netrelease", "usage: _netrelease NETWORK OWNER");
	sqlite3 *db = cli_db(c, e);
	return !db || netrec_get(db, argv[1], &n, e) < 0 ? -1 : ipam_release(db, n.id, argv[2], e);
}
LOCHS_COMMAND(netrelease, "_netrelease", cmd_release, "_netrelease NETWORK OWNER", "Release an owner's addresses (tests)");

static int cmd_default(struct cli *c, int argc, char **argv, struct lerr *e)
{
	struct np_network n;
	sqlite3 *db = cli_db(c, e);
	if (!db || network_ensure_default(db, &n, e) < 0)
		return -1;
	printf("%s\n", n.id);
	return 0;
}
LOCHS_COMMAND(netdefault, "_netdefault", cmd_default, "_netdefault", "Create the default network lochs0 (tests)");
