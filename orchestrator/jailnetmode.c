/* --network host and --network container:NAME (Docker's modes): the jail
 * has no endpoints of its own, so no address, port or alias of its own
 * either; see jailnet.h. */
#include "jailnet.h"
#include "jailops.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void bind_ro(json_t *mounts, const char *src, const char *target)
{
	json_array_append_new(mounts, json_pack("{s:s, s:s, s:s, s:b, s:s}", "type", "bind", "source", src,
						"target", target, "readonly", 1, "options", ""));
}

int jailnet_mode(struct cli *c, const char *id, const struct svc_spec *s, json_t *mounts, char **netns,
		 struct lerr *e)
{
	*netns = NULL;
	const char *mode = s->network ? s->network : "";
	int host = !strcmp(mode, "host"), other = !strncmp(mode, "container:", 10);
	if (!host && !other)
		return 0;
	const char *what = s->ip || s->ip6 ? "--ip" : s->ports || s->publish_all ? "port publishing"
						 : s->aliases ? "--network-alias" : NULL;
	if (what)
		return lerr_usage(e, "run", "conflicting options: %s and --network %s", what, host ? "host" : "container");
	if (host) {
		/* The host's stack: its names too, as Docker does. */
		bind_ro(mounts, "/etc/hosts", "/etc/hosts");
		bind_ro(mounts, "/etc/resolv.conf", "/etc/resolv.conf");
		*netns = strdup("host");
		return 1;
	}
	char target[65], path[4096];
	if (jail_lookup(c, mode + 10, target, e) < 0)
		return -1;
	if (!strcmp(target, id))
		return lerr_usage(e, "run", "--network container: a jail cannot join its own network");
	/* The other jail's name files: one stack, one view of names. */
	jail_path(c, target, "hosts", path, sizeof path);
	bind_ro(mounts, path, "/etc/hosts");
	jail_path(c, target, "resolv.conf", path, sizeof path);
	bind_ro(mounts, path, "/etc/resolv.conf");
	char buf[80];
	snprintf(buf, sizeof buf, "container:%s", target);
	*netns = strdup(buf);
	return 1;
}
