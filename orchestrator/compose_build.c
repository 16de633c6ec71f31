/* lochs compose build [--no-cache] [--pull] [-q] [--build-arg KEY=VALUE]...
 * [SERVICE...]: builds the images of the services with build: (all, or
 * those named), each as `lochs build` would, tagged as up would run it. */
#include "compose_jails.h"
#include "project_run.h"
#include "../specs/compose.h"
#include "../specs/strv.h"
#include <string.h>

int compose_build(struct cli *c, const struct compose_project *p, int argc, char **argv, struct lerr *e)
{
	struct project_build_flags f = { 0 };
	char **named = NULL;
	int rc = 0;
	for (int i = 1; rc == 0 && i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--no-cache"))
			f.no_cache = 1;
		else if (!strcmp(a, "--pull"))
			f.pull = 1;
		else if (!strcmp(a, "-q") || !strcmp(a, "--quiet"))
			f.quiet = 1;
		else if (!strncmp(a, "--build-arg=", 12))
			strv_push(&f.build_args, a + 12);
		else if (!strcmp(a, "--build-arg") && i + 1 < argc)
			strv_push(&f.build_args, argv[++i]);
		else if (a[0] == '-')
			rc = lerr_usage(e, "compose build", "%s %s", strcmp(a, "--build-arg") ? "unknown flag" : "a value is needed after", a);
		else if (!compose_service((struct compose_project *)p, a))
			rc = lerr_set(e, LX_LOCHS, "no such service: %s", a);
		else
			strv_push(&named, a);
	}
	for (int i = 0; rc == 0 && i < p->nsvcs; i++) {
		const struct compose_service *s = &p->svcs[i];
		int chosen = !named;
		for (char **n = named; n && *n; n++)
			chosen |= !strcmp(*n, s->name);
		if (chosen && s->build_context)
			rc = project_build_with(c, p, s, &f, e);
	}
	strv_free(named);
	strv_free(f.build_args);
	return rc;
}
