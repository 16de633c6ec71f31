/* lochs plan / lochs apply -f lochs.yml: the declarative path. plan exits
 * 0 when the project is up to date and 2 when changes are pending (as
 * `terraform plan -detailed-exitcode`); apply makes them, and says so when
 * there was nothing to do. */
#include "cli.h"
#include "project_run.h"
#include "watch.h"
#include <stdio.h>
#include <string.h>

static int run(struct cli *c, int argc, char **argv, int dry, struct lerr *e)
{
	const char *cmd = dry ? "plan" : "apply";
	int prune = 0, watch = 0, rc = 0;
	struct compose_opts o = { 0 };
	for (int i = 1; i < argc && rc == 0; i++) {
		if ((rc = compose_opt_arg(&o, argc, argv, &i, e)) != 0) /* -f, -p, --profile */
			rc = rc < 0 ? -1 : 0;
		else if (!strcmp(argv[i], "--prune"))
			prune = 1;
		else if (!strcmp(argv[i], "--watch") && !dry)
			watch = 1;
		else
			rc = lerr_usage(e, cmd, "unknown argument %s", argv[i]);
	}
	if (rc == 0 && watch) /* apply, then again on each change (orchestrator/watch.h) */
		rc = watch_run_opts(c, &o, prune, e);
	struct compose_project p;
	if (rc == 0 && !watch && (rc = project_load_opts(&o, &p, e)) == 0) {
		rc = project_apply(c, &p, prune, dry, e);
		compose_free(&p);
		rc = rc < 0 ? -1 : dry && rc > 0 ? 2 : 0;
	}
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
LOCHS_COMMAND(plan, "plan", cmd_plan, "plan [-f FILE]... [-p NAME] [--profile NAME]... [--prune]",
	      "Show what apply would change (exit 0: up to date, 2: changes pending)");
LOCHS_COMMAND(apply, "apply", cmd_apply, "apply [-f FILE]... [-p NAME] [--profile NAME]... [--prune] [--watch]",
	      "Make the project in lochs.yml real: networks, then jails in dependency order (--watch: keep it so)");
