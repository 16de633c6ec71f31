/* compose's per-service commands over the jail commands (compose_jails.c).
 * argv[0] is the command: "start", "stop", "restart", "rm", "exec",
 * "logs", "pull". */
#pragma once
#include "cli.h"
#include <signal.h>
#include "../specs/compose.h"

int compose_each(struct cli *c, const struct compose_project *p, int argc, char **argv, struct lerr *e);
int compose_exec(struct cli *c, const struct compose_project *p, int argc, char **argv, struct lerr *e);
int compose_logs(struct cli *c, const struct compose_project *p, int argc, char **argv, struct lerr *e);
int compose_pull(struct cli *c, const struct compose_project *p, int argc, char **argv, struct lerr *e);
/* build: the images of the services with build: (compose_build.c). */
int compose_build(struct cli *c, const struct compose_project *p, int argc, char **argv, struct lerr *e);
/* up, down (compose_up.c); run (compose_run.c); ps, top, events
 * (compose_info.c). */
int compose_up(struct cli *c, const struct compose_project *p, int argc, char **argv, struct lerr *e);
/* --scale SVC=N (up, plan, apply): the service's replicas for this run;
 * cmd names the command in a usage error. */
int compose_scale(const struct compose_project *p, const char *cmd, const char *v, struct lerr *e);
/* up --watch: watch mode on the project as o loads it (its -f files and
 * --profile), not only its first file; else compose_up. */
int compose_up_opts(struct cli *c, const struct compose_opts *o, const struct compose_project *p, int argc, char **argv,
		    struct lerr *e);
int compose_down(struct cli *c, const struct compose_project *p, int argc, char **argv, struct lerr *e);
int compose_run(struct cli *c, const struct compose_project *p, int argc, char **argv, struct lerr *e);
int compose_ps(struct cli *c, const struct compose_project *p, int argc, char **argv, struct lerr *e);
int compose_top(struct cli *c, const struct compose_project *p, int argc, char **argv, struct lerr *e);
int compose_events(struct cli *c, const struct compose_project *p, int argc, char **argv, struct lerr *e);

/* Docker's PORTS column of a jail: "0.0.0.0:18080->8080/tcp, ..."
 * (cmd_ps.c; compose ps shows it too). */
void ports_text(sqlite3 *db, const char *id, char *out, size_t size);

/* Set by a signal handler (attached up's Ctrl-C): logs -f stops
 * following, its readers are ended. */
extern volatile sig_atomic_t compose_interrupted;
