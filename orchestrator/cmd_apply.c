/* lochs plan / lochs apply -f lochs.yml: the declarative path. plan exits
 * 0 when the project is up to date and 2 when changes are pending (as
 * `terraform plan -detailed-exitcode`); apply makes them, and says so when
 * there was nothing to do. */
#include "cli.h"
#include "compose_jails.h"
#include "project_run.h"
#include "watch.h"
#include "../specs/strv.h"
#include <stdio.h>
#include <string.h>

static int push(char ***v, const char *s, struct lerr *e)
{
	return strv_push(v, s) < 0 ? lerr_set(e, LX_LOCHS, "out of memory") : 0;
}

static int run(struct cli *c, int argc, char **argv, int dry, struct lerr *e)
{
	const char *cmd = dry ? "plan" : "apply";
	int prune = 0, watch = 0, rc = 0;
	struct compose_opts o = { 0 };
	char **scales = NULL;
	for (int i = 1; i < argc && rc == 0; i++) {
		if ((rc = compose_opt_arg(&o, argc, argv, &i, e)) != 0) /* -f, -p, --profile */
			rc = rc < 0 ? -1 : 0;
		else if (!strcmp(argv[i], "--prune"))
			prune = 1;
		else if (!strcmp(argv[i], "--watch") && !dry)
			watch = 1;
		else if (!strcmp(argv[i], "--scale") && i + 1 < argc) /* as compose up's */
			rc = push(&scales, argv[++i], e);
		else if (!strncmp(argv[i], "--scale=", 8))
			rc = push(&scales, argv[i] + 8, e);
		else if (argv[i][0] != '-') /* SERVICE...: those and what they depend on */
			rc = push(&o.named, argv[i], e);
		else
			rc = lerr_usage(e, cmd, "unknown argument %s", argv[i]);
	}
	if (rc == 0 && watch && (scales || o.named))
		rc = lerr_usage(e, cmd, "--watch keeps the whole file: no --scale or services");
	if (rc == 0 && watch) /* apply, then again on each change (orchestrator/watch.h) */
		rc = watch_run_opts(c, &o, prune, e);
	struct compose_project p;
	if (rc == 0 && !watch && (rc = project_load_opts(&o, &p, e)) == 0) {
		for (char **v = scales; v && *v && rc == 0; v++)
			rc = compose_scale(&p, cmd, *v, e);
		for (char **v = o.named; v && *v && rc == 0; v++)
			if (!compose_service(&p, *v))
				rc = lerr_set(e, LX_LOCHS, "no such service: %s", *v);
		const struct apply_opts ao = { .prune = prune, .dry = dry, .services = o.named };
		if (rc == 0)
			rc = project_apply_opts(c, &p, &ao, e);
		compose_free(&p);
		rc = rc < 0 ? -1 : dry && rc > 0 ? 2 : 0;
	}
	strv_free(scales);
	compose_opts_free(&o);
	return rc;
}

static int cmd_plan(struct cli *c, int argc, char **argv, struct lerr *e)
{
	return run(c, argc, argv, 1, e);
}

static int cmd_apply(struct cli *c, int argc, char **argv, struct lerr *e)
{
	return run(c, argc, argv, 0, e);
}
LOCHS_COMMAND(plan, "plan", cmd_plan, "plan [-f FILE]... [-p NAME] [--profile NAME]... [--prune] [--scale SVC=N]... [SVC...]",
	      "Show what apply would change (exit 0: up to date, 2: changes pending)");
LOCHS_COMMAND(apply, "apply", cmd_apply, "apply [-f FILE]... [-p NAME] [--profile NAME]... [--prune] [--scale SVC=N]... [SVC...] [--watch]",
	      "Make the project in lochs.yml real: networks, then jails in dependency order (--watch: keep it so)");
