/* lochs build: the command line of build_image (build.h). */
#include "build.h"
#include "../specs/strv.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "--name V" or "--name=V" at argv[*i]: the value, stepping *i; else NULL. */
static const char *opt(int argc, char **argv, int *i, const char *name, const char *alt)
{
	const char *a = argv[*i];
	size_t n = strlen(name);
	if ((!strcmp(a, name) || (alt && !strcmp(a, alt))) && *i + 1 < argc)
		return argv[++*i];
	if (!strncmp(a, name, n) && a[n] == '=')
		return a + n + 1;
	return NULL;
}

static int cmd_build(struct cli *c, int argc, char **argv, struct lerr *e)
{
	struct build_opts o = { 0 };
	const char *v;
	int rc = -1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if ((v = opt(argc, argv, &i, "--tag", "-t")))
			rc = strv_push(&o.tags, v);
		else if ((v = opt(argc, argv, &i, "--file", "-f")))
			o.file = v, rc = 0;
		else if ((v = opt(argc, argv, &i, "--build-arg", NULL)))
			rc = strv_push(&o.build_args, v);
		else if ((v = opt(argc, argv, &i, "--label", NULL)))
			rc = strv_push(&o.labels, v);
		else if ((v = opt(argc, argv, &i, "--target", NULL)))
			o.target = v, rc = 0;
		else if ((v = opt(argc, argv, &i, "--network", NULL)))
			o.network = v, rc = 0;
		else if ((v = opt(argc, argv, &i, "--progress", NULL))) {
			if (strcmp(v, "plain") && strcmp(v, "tty") && strcmp(v, "auto")) {
				lerr_usage(e, "build", "--progress takes plain, tty or auto, not %s", v);
				goto out;
			}
			o.tty = !strcmp(v, "tty");
			rc = 0;
		} else if (!strcmp(a, "--no-cache"))
			o.no_cache = 1, rc = 0;
		else if (!strcmp(a, "--pull"))
			o.pull = 1, rc = 0;
		else if (!strcmp(a, "-q") || !strcmp(a, "--quiet"))
			o.quiet = 1, rc = 0;
		else if (a[0] == '-' && a[1]) {
			lerr_usage(e, "build", "unknown flag %s", a);
			goto out;
		} else if (o.context) {
			lerr_usage(e, "build", "requires exactly one context directory");
			goto out;
		} else
			o.context = a, rc = 0;
		if (rc < 0) {
			lerr_set(e, LX_LOCHS, "out of memory");
			goto out;
		}
	}
	if (!o.context) {
		rc = lerr_usage(e, "build", "requires exactly one context directory");
		goto out;
	}
	rc = build_image(c, &o, NULL, e);
out:
	strv_free(o.tags);
	strv_free(o.build_args);
	strv_free(o.labels);
	return rc;
}
LOCHS_COMMAND(build, "build", cmd_build,
	      "build [-t NAME[:TAG]]... [-f FILE] [--build-arg K=V]... [--label K=V]... [--target STAGE] [--network NET] "
	      "[--no-cache] [--pull] [--progress plain|tty] [-q] CONTEXT",
	      "Build an image from a Lochfile (or Dockerfile)");
LOCHS_COMMAND(image_build, "image build", cmd_build,
	      "image build [-t NAME[:TAG]]... [-f FILE] [--build-arg K=V]... [--label K=V]... [--target STAGE] "
	      "[--network NET] [--no-cache] [--pull] [--progress plain|tty] [-q] CONTEXT",
	      "Build an image from a Lochfile (or Dockerfile)");
