/* Making a Compose project real through the reconciler: its networks, then
 * observe, plan (reconcile_plan + project_extras) and execute; `plan` only
 * prints what apply would do. Used by plan, apply and compose up/down. */
#pragma once
#include "cli.h"
#include "../specs/compose.h"

/* 0 when the project is as the file says, 1 when actions were printed
 * (dry) or done, -1 with e. */
int project_apply(struct cli *c, const struct compose_project *p, int prune, int dry, struct lerr *e);
/* Stops and removes the project's jails, then its networks, and with
 * volumes its named volumes. */
int project_down(struct cli *c, const struct compose_project *p, int volumes, struct lerr *e);
/* Loads the file that -f names, or the default one; NULL project: the
 * file's. */
int project_load(const char *file, const char *project, struct compose_project *p, struct lerr *e);
/* The same from lochs compose/plan/apply's -f (merged in order), -p and
 * --profile, with the process environment. */
int project_load_opts(const struct compose_opts *o, struct compose_project *p, struct lerr *e);
