/* Making a Compose project real through the reconciler: its networks, then
 * observe, plan (reconcile_plan + project_extras) and execute; `plan` only
 * prints what apply would do. Used by plan, apply and compose up/down. */
#pragma once
#include "cli.h"
#include "../specs/compose.h"

/* 0 when the project is as the file says, 1 when actions were printed
 * (dry) or done, -1 with e. */
int project_apply(struct cli *c, const struct compose_project *p, int prune, int dry, struct lerr *e);

struct apply_opts {
	int prune, dry;
	int force_recreate, no_recreate; /* compose up's: recreate all, or none */
	char *const *services;           /* only these and their dependencies (NULL: all) */
	int quiet;                       /* no progress or summary lines */
	int renew_anon;                  /* up -V: a recreated jail gets new
					  * anonymous volumes, not its old ones */
};
/* project_apply with compose up's choices. The plan is a DAG run by the
 * worker pool (reconcile_run): LOCHS_PARALLEL_LIMIT actions at once
 * (default 4), each failed one tried 3 times. */
int project_apply_opts(struct cli *c, const struct compose_project *p, const struct apply_opts *o, struct lerr *e);

/* Builds service s's image (build:, its context beside the file) tagged
 * PROJECT-SERVICE or its image:. A plan builds a missing one itself;
 * compose up --build calls this first for every built service. */
int project_build(struct cli *c, const struct compose_project *p, const struct compose_service *s, int quiet,
		  struct lerr *e);
/* The same with compose build's choices: --no-cache, --pull and
 * --build-arg KEY=VALUE (over the service's args: the last one of a key
 * counts). */
struct project_build_flags {
	int no_cache, pull, quiet;
	char **build_args;
};
int project_build_with(struct cli *c, const struct compose_project *p, const struct compose_service *s,
		       const struct project_build_flags *f, struct lerr *e);

/* Creates compose run's one-off jail (project_oneoff) with what it needs
 * (its networks, volumes, image) through the same pool; id gets it. */
struct project_state;
int project_create_oneoff(struct cli *c, const struct compose_project *p, const struct project_state *st, char id[65],
			  struct lerr *e);

/* plan's output (project_plan.c): what changes per jail, recreates with
 * the fields that changed, a summary line, and the order in waves. */
struct plan;
struct observed_jail;
void project_print_plan(struct cli *c, const struct plan *g, const struct project_state *st,
			const struct observed_jail *have);
/* Stops and removes the project's jails, then its networks, and with
 * volumes its named volumes and the jails' anonymous ones. */
int project_down(struct cli *c, const struct compose_project *p, int volumes, struct lerr *e);
/* Loads the file that -f names, or the default one; NULL project: the
 * file's. */
int project_load(const char *file, const char *project, struct compose_project *p, struct lerr *e);
/* The same from lochs compose/plan/apply's -f (merged in order), -p and
 * --profile, with the process environment. */
int project_load_opts(const struct compose_opts *o, struct compose_project *p, struct lerr *e);
