/* Waiting for a service's jails to reach a depends_on condition: running
 * (service_started), healthy (service_healthy: their health check passed),
 * or exited 0 (service_completed_successfully). */
#pragma once
#include "cli.h"
#include "../specs/compose.h"

/* 0 when every jail of the service meets cond; -1 with e when one cannot
 * any more (unhealthy, exited, no health check) or after timeout_ms. */
int project_wait(struct cli *c, const struct compose_project *p, const char *service, enum dep_condition cond,
		 long long timeout_ms, struct lerr *e);
/* One jail now: 1 when it meets cond, 0 not yet, -1 never (e set);
 * waited_ms: how long it has been waited for (a missing health check is
 * an error after 3 s). */
int project_jail_met(struct cli *c, const char *jail, enum dep_condition cond, long long waited_ms, struct lerr *e);
