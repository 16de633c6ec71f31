/* The imperative commands as one-jail desired states through the
 * reconciler (issue 4: no second code path): run, create, start, stop,
 * restart, kill and rm observe, plan (reconcile_plan) and execute
 * (reconcile_execute) in this process; these are their jail operations. */
#pragma once
#include "cli.h"
#include "../reconciler/reconciler.h"

/* How the operations act: what the command's flags say. */
struct imp_ctx {
	struct cli *c;
	int attach;        /* start: the monitor waits for an attach client */
	int timeout;       /* stop: seconds before SIGKILL (-1: the jail's) */
	int signal;        /* kill */
	int force, volumes; /* rm -f, rm -v */
};

/* A new jail of spec s, brought to state (CREATED or RUNNING; a name in
 * use is a conflict); id gets it. */
int imperative_new(struct imp_ctx *x, const struct svc_spec *s, enum want_state state, char id[65], struct lerr *e);
/* The existing jail id brought to state (RUNNING, STOPPED, ABSENT); again:
 * restarted when running; signal: sent x->signal instead. */
int imperative_existing(struct imp_ctx *x, const char *id, enum want_state state, int again, int signal,
			struct lerr *e);
