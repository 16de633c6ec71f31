/* compose's per-service commands over the jail commands (compose_jails.c).
 * argv[0] is the command: "start", "stop", "restart", "rm", "exec",
 * "logs", "pull". */
#pragma once
#include "cli.h"
#include "../specs/compose.h"

int compose_each(struct cli *c, const struct compose_project *p, int argc, char **argv, struct lerr *e);
int compose_exec(struct cli *c, const struct compose_project *p, int argc, char **argv, struct lerr *e);
int compose_logs(struct cli *c, const struct compose_project *p, int argc, char **argv, struct lerr *e);
int compose_pull(struct cli *c, const struct compose_project *p, int argc, char **argv, struct lerr *e);
