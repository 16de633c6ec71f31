/* Watch mode (`apply --watch`, `compose watch`, `compose up --watch`):
 * apply, then stay in a libevent loop that re-runs the same apply
 * (project_apply) when the spec file, its .env or an env_file changes,
 * acts on develop.watch rules (sync files into the service's jails,
 * restart them), and heals drift (reconciler/drift.h) on a timer.
 * Bursts of file events are debounced: actions run once the files have
 * been quiet for LOCHS_WATCH_DEBOUNCE_MS (300); drift is looked for every
 * LOCHS_WATCH_DRIFT_MS (2000). Until SIGINT or SIGTERM. */
#pragma once
#include "cli.h"
#include "../specs/compose.h"

/* The project as o loads it (its -f files, -p, --profile); every file it
 * reads (-f ones, included ones) is watched. A spec that does not load at
 * the start is an error; later, one that does not load is reported in
 * one line and the last good one stays. */
int watch_run_opts(struct cli *c, const struct compose_opts *o, int prune, struct lerr *e);
/* The same for one file (NULL: the default one) and project name. */
int watch_run(struct cli *c, const char *file, const char *project, int prune, struct lerr *e);

/* watch_act.c. The develop.watch rules matching the changed absolute
 * paths: syncs each into the service's jails (a path gone is removed
 * there), then restarts the services whose rule says so, or rebuilds
 * their images. Goes on past a failure; -1 with e naming the last one,
 * 1 when an image was rebuilt (an apply rolls it out), else 0. */
int watch_act(struct cli *c, const struct compose_project *p, char *const *changed, struct lerr *e);
/* A rebuild rule needs the service's build: (FILE:LINE: services.S...). */
int watch_check(const struct compose_project *p, struct lerr *e);
/* 1 with why when the project drifted (reconcile_drift), 0 when not. */
int watch_drift(struct cli *c, const struct compose_project *p, char *why, size_t size, struct lerr *e);
/* A rule's path on the host (relative ones are the project folder's). */
void watch_rule_root(const struct compose_project *p, const struct compose_watch *r, char *out, size_t size);
