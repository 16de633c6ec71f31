/* lochs push NAME[:TAG] [DEST] (registry_push.c). */
#include "cli.h"
#include "events.h"
#include "registry_push.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int registry_tls_flag(const char *a, int *tls)
{
	if (!strcmp(a, "--tls-verify") || !strcmp(a, "--tls-verify=true"))
		return *tls = 1, 1;
	if (!strcmp(a, "--tls-verify=false"))
		return *tls = 0, 1;
	return 0;
}

static int cmd_push(struct cli *c, int argc, char **argv, struct lerr *e)
{
	const char *src = NULL, *dest = NULL;
	int quiet = 0, tls = -1;
	for (int i = 1; i < argc; i++) {
		if (registry_tls_flag(argv[i], &tls))
			continue;
		if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet"))
			quiet = 1;
		else if (!strcmp(argv[i], "--authfile") && i + 1 < argc)
			setenv("REGISTRY_AUTH_FILE", argv[++i], 1);
		else if (argv[i][0] == '-')
			return lerr_usage(e, "push", "unknown flag %s", argv[i]);
		else if (!src)
			src = argv[i];
		else if (!dest)
			dest = argv[i];
		else
			return lerr_usage(e, "push", "too many arguments");
	}
	if (!src)
		return lerr_usage(e, "push", "requires an image (e.g. 127.0.0.1:5000/app:1)");
	if (quiet && !freopen("/dev/null", "w", stdout))
		return lerr_sys(e, "/dev/null");
	char id[72], name[600];
	if (registry_push(c->root, src, dest, tls, c->isatty_out && !quiet, id, name, e) < 0)
		return -1;
	event_image(c->root, "push", id, name);
	return 0;
}
LOCHS_COMMAND(push, "push", cmd_push, "push [--tls-verify=false] [--authfile FILE] [-q] NAME[:TAG] [REGISTRY/REPO[:TAG]]",
	      "Upload an image to an OCI registry");
LOCHS_COMMAND(image_push, "image push", cmd_push,
	      "image push [--tls-verify=false] [--authfile FILE] [-q] NAME[:TAG] [REGISTRY/REPO[:TAG]]",
	      "Upload an image to an OCI registry");
