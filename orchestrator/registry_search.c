/* lochs search [QUERY]: the FreeBSD releases lochs knows (a static list,
 * not asked of a mirror) whose name contains QUERY, and, for
 * QUERY = REGISTRY/TEXT (REGISTRY a host as in references), the
 * repositories of that registry's /v2/_catalog containing TEXT. */
#include "cli.h"
#include "registry.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const known_releases[] = { "13.5", "14.2", "14.3", "15.0" };

static int search_catalog(const char *root, const char *query, int tls, struct lerr *e)
{
	char host[256];
	const char *slash = strchr(query, '/');
	snprintf(host, sizeof host, "%.*s", (int)(slash - query), query);
	const char *text = slash + 1;
	struct reg r;
	if (reg_open(&r, root, host, tls, "registry:catalog:*", e) < 0)
		return -1;
	long status;
	size_t len;
	char *body = reg_get(&r, "_catalog?n=1000", "application/json", &len, &status, NULL, 0, e);
	if (!body)
		return -1;
	json_t *j = status == 200 ? json_loadb(body, len, 0, NULL) : NULL;
	free(body);
	json_t *repos = json_object_get(j, "repositories"), *x;
	if (!json_is_array(repos)) {
		json_decref(j);
		return lerr_set(e, LX_LOCHS, "%s: no catalogue (HTTP %ld from /v2/_catalog)", host, status);
	}
	size_t i;
	json_array_foreach (repos, i, x) {
		const char *n = json_string_value(x);
		if (n && strstr(n, text)) {
			char full[600];
			snprintf(full, sizeof full, "%s/%s", host, n);
			printf("%-44s %s\n", full, "registry repository");
		}
	}
	json_decref(j);
	return 0;
}

static int cmd_search(struct cli *c, int argc, char **argv, struct lerr *e)
{
	const char *query = NULL;
	int tls = -1;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--tls-verify=false"))
			tls = 0;
		else if (!strcmp(argv[i], "--tls-verify") || !strcmp(argv[i], "--tls-verify=true"))
			tls = 1;
		else if (argv[i][0] == '-')
			return lerr_usage(e, "search", "unknown flag %s", argv[i]);
		else if (!query)
			query = argv[i];
		else
			return lerr_usage(e, "search", "one query at a time");
	}
	int registry = query && ref_has_host(query);
	printf("%-44s %s\n", "NAME", "DESCRIPTION");
	for (size_t i = 0; !registry && i < sizeof known_releases / sizeof known_releases[0]; i++) {
		char name[64];
		snprintf(name, sizeof name, "freebsd:%s", known_releases[i]);
		if (!query || strstr(name, query)) {
			char desc[80];
			snprintf(desc, sizeof desc, "FreeBSD %s-RELEASE base system", known_releases[i]);
			printf("%-44s %s\n", name, desc);
		}
	}
	fflush(stdout);
	return registry ? search_catalog(c->root, query, tls, e) : 0;
}
LOCHS_COMMAND(search, "search", cmd_search, "search [--tls-verify=false] [QUERY | REGISTRY/QUERY]",
	      "List known FreeBSD releases, or a registry's repositories (its /v2/_catalog)");
