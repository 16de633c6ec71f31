/* Which network namespace a jail gets (config "netns"): its own (with its
 * veth endpoints), the host's, or another running jail's, found through
 * that jail's cgroup (any member shares its netns), so a restart of either
 * jail by its monitor needs no lochs to tell it a new pid. */
#include "jail_int.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int netns_choose(const struct jail_config *c, struct lerr *e)
{
	if (!c->netns || !*c->netns)
		return NETNS_OWN;
	if (!strcmp(c->netns, "host"))
		return NETNS_HOST;
	if (strncmp(c->netns, "container:", 10))
		return lerr_set(e, LX_LOCHS, "config.json: unknown netns \"%s\"", c->netns);
	const char *id = c->netns + 10;
	char dirs[5][512], path[600];
	int n = jail_cgroup_dirs(id, dirs, 5), fd = -1;
	for (int i = 0; i < n && fd < 0; i++) {
		snprintf(path, sizeof path, "%s/cgroup.procs", dirs[i]);
		FILE *f = fopen(path, "re");
		long pid = 0;
		while (f && fd < 0 && fscanf(f, "%ld", &pid) == 1) {
			snprintf(path, sizeof path, "/proc/%ld/ns/net", pid);
			fd = open(path, O_RDONLY | O_CLOEXEC);
		}
		if (f)
			fclose(f);
	}
	return fd >= 0 ? fd : lerr_set(e, LX_LOCHS, "network container %.12s is not running", id);
}
