/* lochs compose [-f FILE] [-p NAME] COMMAND: config (the project as Lochs
 * understands it), up -d (apply), down [-v], ps. The file: -f, else
 * ./lochs.yml, lochs.yaml, compose.yaml, compose.yml, docker-compose.yml. */
#include "cli.h"
#include "../specs/compose.h"
#include "../specs/compose_emit.h"
#include "../specs/strv.h"
#include "project_run.h"
#include "compose_jails.h"
#include "project_wait.h"
#include "watch.h"
#include "../reconciler/reconciler.h"
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

static int config(struct cli *c, const struct compose_project *p, int argc, char **argv, struct lerr *e)
{
	int services = 0, quiet = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--services"))
			services = 1;
		else if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet"))
			quiet = 1;
		else
			return lerr_usage(e, "compose config", "unknown flag %s", argv[i]);
	}
	if (quiet)
		return 0;
	if (services) {
		for (int i = 0; i < p->nsvcs; i++)
			printf("%s\n", p->svcs[i].name);
		return 0;
	}
	return compose_emit(p, stdout) < 0 ? lerr_set(e, LX_LOCHS, "cannot write the configuration") : 0;
}

/* watch: up, then apply again on each change of the files and act on
 * develop.watch rules, until interrupted (orchestrator/watch.h). It loads
 * (and reloads) the project from o itself. */
static int watch(struct cli *c, const struct compose_opts *o, int argc, char **argv, struct lerr *e)
{
	if (argc > 1)
		return lerr_usage(e, "compose watch", "unknown argument %s", argv[1]);
	return watch_run_opts(c, o, 0, e);
}

static int cmd_compose(struct cli *c, int argc, char **argv, struct lerr *e)
{
	struct compose_opts o = { 0 };
	int i = 1, rc = 0;
	for (; i < argc && argv[i][0] == '-' && rc == 0; i++) { /* -f (several: merged), -p, --profile */
		int taken = compose_opt_arg(&o, argc, argv, &i, e);
		rc = taken > 0 ? 0 : taken < 0 ? -1 : lerr_usage(e, "compose", "unknown flag %s", argv[i]);
	}
	/* Services named after the command are enabled whatever their profiles. */
	for (int k = i + 1; rc >= 0 && k < argc; k++)
		if (argv[k][0] != '-' && strv_push(&o.named, argv[k]) < 0)
			rc = lerr_set(e, LX_LOCHS, "out of memory");
	if (rc < 0) {
		compose_opts_free(&o);
		return -1;
	}
	if (i >= argc) {
		compose_opts_free(&o);
		return lerr_usage(e, "compose", "a command is required (config, up, down, ps, run, ...)");
	}
	const char *sub = argv[i];
	static const struct {
		const char *name;
		int (*fn)(struct cli *, const struct compose_project *, int, char **, struct lerr *);
	} subs[] = {
		{ "config", config }, { "up", compose_up }, { "down", compose_down }, { "ps", compose_ps },
		{ "run", compose_run }, { "top", compose_top }, { "events", compose_events }, { "exec", compose_exec },
		{ "logs", compose_logs }, { "start", compose_each }, { "stop", compose_each },
		{ "restart", compose_each }, { "rm", compose_each }, { "pull", compose_pull }, { "build", compose_build }, { "watch", NULL },
	};
	size_t k = 0;
	while (k < sizeof subs / sizeof *subs && strcmp(subs[k].name, sub))
		k++;
	struct compose_project p;
	if (k == sizeof subs / sizeof *subs)
		rc = lerr_usage(e, "compose", "unknown command %s (config, up, down, ps, run, top, events, exec, logs, start, stop, restart, rm, pull, build, watch)", sub);
	else if (!subs[k].fn)
		rc = watch(c, &o, argc - i, argv + i, e);
	else if ((rc = project_load_opts(&o, &p, e)) == 0) {
		rc = subs[k].fn == compose_up ? compose_up_opts(c, &o, &p, argc - i, argv + i, e)
					      : subs[k].fn(c, &p, argc - i, argv + i, e);
		compose_free(&p);
	}
	compose_opts_free(&o);
	return rc;
}
LOCHS_COMMAND(compose, "compose", cmd_compose, "compose [-f FILE]... [-p NAME] [--profile NAME]... config|up [-d]|down [-v]|ps|run|top|events|exec|logs|start|stop|restart|rm|pull|build|watch",
	      "A lochs.yml (Compose Specification) project: print it, bring it up, take it down, list it");
