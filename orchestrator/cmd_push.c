/* lochs push NAME[:TAG] [DEST] and push --all-tags REPO (registry_push.c). */
#include "cli.h"
#include "events.h"
#include "imageref.h"
#include "imagestore.h"
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

/* Pushes src (to dest) and records the event. */
static int push_one(struct cli *c, const char *src, const char *dest, int tls, int tty, struct lerr *e)
{
	char id[72], name[600];
	if (registry_push(c->root, src, dest, tls, tty, id, name, e) < 0)
		return -1;
	event_image(c->root, "push", id, name);
	return 0;
}

/* push --all-tags REPO: each stored tag of REPO in turn, as docker's. */
static int push_all_tags(struct cli *c, const char *repo, int tls, int tty, struct lerr *e)
{
	char norm[300], want[300], tag[130], have[300];
	const char *why, *slash = strrchr(repo, '/');
	if (strchr(slash ? slash : repo, ':') || strchr(repo, '@'))
		return lerr_usage(e, "push", "--all-tags takes a repository without a tag");
	if (ref_normalize(repo, norm, sizeof norm, &why) < 0)
		return lerr_set(e, LX_LOCHS, "invalid reference format %s: %s", repo, why);
	ref_split(norm, want, sizeof want, tag, sizeof tag);
	struct image_entry *v;
	int n, pushed = 0, rc = 0;
	if (image_list(c->root, &v, &n, e) < 0)
		return -1;
	for (int i = 0; i < n && rc == 0; i++) {
		ref_split(v[i].ref, have, sizeof have, tag, sizeof tag);
		if (v[i].ref[0] && !strcmp(have, want) && (rc = push_one(c, v[i].ref, NULL, tls, tty, e)) == 0)
			pushed++;
	}
	free(v);
	if (rc == 0 && !pushed)
		rc = lerr_set(e, LX_LOCHS, "push: no tag of %s in the store", want);
	return rc;
}

static int cmd_push(struct cli *c, int argc, char **argv, struct lerr *e)
{
	const char *src = NULL, *dest = NULL;
	int quiet = 0, tls = -1, all = 0;
	for (int i = 1; i < argc; i++) {
		if (registry_tls_flag(argv[i], &tls))
			continue;
		if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet"))
			quiet = 1;
		else if (!strcmp(argv[i], "-a") || !strcmp(argv[i], "--all-tags"))
			all = 1;
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
	if (all && dest)
		return lerr_usage(e, "push", "--all-tags pushes under the image's own names (no destination)");
	if (quiet && !freopen("/dev/null", "w", stdout))
		return lerr_sys(e, "/dev/null");
	int tty = c->isatty_out && !quiet;
	if (all)
		return push_all_tags(c, src, tls, tty, e) < 0 ? -1 : 0;
	return push_one(c, src, dest, tls, tty, e) < 0 ? -1 : 0;
}
LOCHS_COMMAND(push, "push", cmd_push, "push [--tls-verify=false] [--authfile FILE] [-q] NAME[:TAG] [REGISTRY/REPO[:TAG]] | -a REPO",
	      "Upload an image to an OCI registry");
LOCHS_COMMAND(image_push, "image push", cmd_push,
	      "image push [--tls-verify=false] [--authfile FILE] [-q] NAME[:TAG] [REGISTRY/REPO[:TAG]] | -a REPO",
	      "Upload an image to an OCI registry");
