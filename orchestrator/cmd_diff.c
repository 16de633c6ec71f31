/* diff: the files a jail added (A), changed (C) or deleted (D), from its
 * upper layer against the image below. */
#include "cli.h"
#include "jailops.h"
#include "../volumes/diff.h"
#include "../volumes/jaillayers.h"
#include <stdio.h>

static int cmd_diff(struct cli *c, int argc, char **argv, struct lerr *e)
{
	if (argc != 2)
		return lerr_usage(e, "diff", "exactly one jail is required");
	char id[65], path[4096];
	struct jail_layers l;
	if (jail_lookup(c, argv[1], id, e) < 0)
		return -1;
	jail_path(c, id, "config.json", path, sizeof path);
	if (jail_layers_load(path, &l, e) < 0)
		return -1;
	struct change *v;
	int n;
	int rc = diff_changes(l.upper, l.lower, l.nlower, &v, &n, e);
	jail_layers_free(&l);
	if (rc < 0)
		return -1;
	for (int i = 0; i < n; i++)
		printf("%c %s\n", v[i].kind, v[i].path);
	diff_free(v, n);
	return 0;
}
LOCHS_COMMAND(diff, "diff", cmd_diff, "diff JAIL", "Show the files a jail added (A), changed (C) or deleted (D)");
