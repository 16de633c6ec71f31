/* volume create, ls, inspect, rm, prune. */
#include "cli.h"
#include "../volumes/volume.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmd_create(struct cli *c, int argc, char **argv, struct lerr *e)
{
	json_t *labels = json_object();
	const char *name = NULL;
	int rc = -1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *kv = NULL;
		if ((!strcmp(a, "--label") || !strcmp(a, "-l")) && i + 1 < argc)
			kv = argv[++i];
		else if (!strncmp(a, "--label=", 8))
			kv = a + 8;
		else if ((!strcmp(a, "-d") || !strcmp(a, "--driver")) && i + 1 < argc && !strcmp(argv[i + 1], "local"))
			i++;
		else if (a[0] == '-' || name) {
			lerr_usage(e, "volume create", a[0] == '-' ? "unknown flag %s" : "unexpected argument %s", a);
			goto out;
		} else
			name = a;
		if (kv) {
			const char *eq = strchr(kv, '=');
			char *k = eq ? strndup(kv, (size_t)(eq - kv)) : strdup(kv);
			json_object_set_new(labels, k, json_string(eq ? eq + 1 : ""));
			free(k);
		}
	}
	char out[256];
	int created;
	if (volume_create(c, name, labels, out, &created, e) == 0) {
		printf("%s\n", out);
		rc = 0;
	}
out:
	json_decref(labels);
	return rc;
}
LOCHS_COMMAND(volume_create, "volume create", cmd_create, "volume create [--label KEY=VALUE] [NAME]",
	      "Create a volume (a generated name when NAME is omitted)");

static int cmd_ls(struct cli *c, int argc, char **argv, struct lerr *e)
{
	int quiet = 0, json = 0;
	for (int i = 1; i < argc; i++) {
		int f = cli_format_flag(argv[0], argc, argv, &i, &json, e);
		if (f < 0)
			return -1;
		if (f)
			continue;
		if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet"))
			quiet = 1;
		else
			return lerr_usage(e, argv[0], "unknown flag %s", argv[i]);
	}
	char **names;
	int n;
	if (volume_names(c, &names, &n, e) < 0)
		return -1;
	if (!quiet && !json)
		printf("%-8s  %s\n", "DRIVER", "VOLUME NAME");
	for (int i = 0; i < n; i++) {
		json_t *o = json ? volume_json(c, names[i], e) : NULL;
		if (quiet)
			printf("%s\n", names[i]);
		else if (o) {
			char *t = json_dumps(o, JSON_COMPACT);
			printf("%s\n", t);
			free(t);
		} else if (!json)
			printf("%-8s  %s\n", "local", names[i]);
		json_decref(o);
		free(names[i]);
	}
	free(names);
	return 0;
}
LOCHS_COMMAND(volume_ls, "volume ls", cmd_ls, "volume ls [-q] [--format json|table]", "List volumes");

static int cmd_inspect(struct cli *c, int argc, char **argv, struct lerr *e)
{
	if (argc < 2)
		return lerr_usage(e, "volume inspect", "at least one volume is required");
	json_t *all = json_array();
	int rc = 0;
	for (int i = 1; i < argc; i++) {
		struct lerr one = { 0 };
		json_t *o = volume_json(c, argv[i], &one);
		if (!o) {
			cli_each_error(e, &one, &rc);
			continue;
		}
		json_array_append_new(all, o);
	}
	char *t = json_dumps(all, JSON_INDENT(4));
	printf("%s\n", t);
	free(t);
	json_decref(all);
	return rc ? -1 : 0;
}
LOCHS_COMMAND(volume_inspect, "volume inspect", cmd_inspect, "volume inspect VOLUME...",
	      "Show volumes' details as JSON");

/* -f only silences a missing volume: like Docker, a volume any jail uses
 * (running or not) is never removed. */
static int cmd_rm(struct cli *c, int argc, char **argv, struct lerr *e)
{
	int force = 0, i = 1, failed = 0;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-f") || !strcmp(argv[i], "--force"))
			force = 1;
		else
			return lerr_usage(e, "volume rm", "unknown flag %s", argv[i]);
	}
	if (i >= argc)
		return lerr_usage(e, "volume rm", "at least one volume is required");
	for (; i < argc; i++) {
		struct lerr one = { 0 };
		if (volume_remove(c, argv[i], NULL, &one) < 0) {
			if (force && strstr(one.msg, "no such volume"))
				continue;
			cli_each_error(e, &one, &failed);
			continue;
		}
		printf("%s\n", argv[i]);
	}
	return failed ? -1 : 0;
}
LOCHS_COMMAND(volume_rm, "volume rm", cmd_rm, "volume rm [-f] VOLUME...", "Remove volumes no jail uses");

static int cmd_prune(struct cli *c, int argc, char **argv, struct lerr *e)
{
	int force = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-f") || !strcmp(argv[i], "--force"))
			force = 1;
		else if (strcmp(argv[i], "-a") && strcmp(argv[i], "--all")) /* every unused volume is pruned anyway */
			return lerr_usage(e, "volume prune", "unknown flag %s", argv[i]);
	}
	if (!confirm(force, "all local volumes not used by at least one jail"))
		return 0;
	long long freed;
	char h[32];
	if (volume_prune_all(c, &freed, 1, e) < 0)
		return -1;
	human_size(freed, h, sizeof h);
	printf("Total reclaimed space: %s\n", h);
	return 0;
}
LOCHS_COMMAND(volume_prune, "volume prune", cmd_prune, "volume prune [-f]", "Remove all volumes no jail uses");
