/* The jail's health check, run by its monitor as Docker's daemon does:
 * every interval the test runs inside the jail (jail_exec) with a timeout;
 * a success makes it healthy, `retries` failures in a row unhealthy
 * (failures inside the start period do not count). Each change goes to the
 * health table (and an event), which ps, inspect and apply read. */
#pragma once
#include "monitor.h"

struct health {
	int on;
	int status;          /* 0 starting, 1 healthy, 2 unhealthy */
	int failing;         /* failures in a row */
	long long next_ms;   /* the next probe (monotonic ms) */
	long long start_until;
	pid_t probe;         /* the running probe's helper, or 0 */
	long long deadline;  /* when the running probe is killed */
};

/* A jail just started with host pid 1 `pid`: starting, first probe after
 * one interval. */
void health_begin(struct health *h, const struct mon *m, long long now);
/* ms until health_tick has something to do, or -1 (poll's timeout). */
int health_wait_ms(const struct health *h, long long now);
/* Starts a due probe, or stops one past its timeout. */
void health_tick(struct health *h, struct mon *m, pid_t pid, long long now);
/* A child exited: 1 when it was the probe (its result taken), else 0. */
int health_reaped(struct health *h, struct mon *m, pid_t child, int status, long long now);
/* The jail ended: a running probe is stopped and the health row goes. */
void health_end(struct health *h, struct mon *m);
