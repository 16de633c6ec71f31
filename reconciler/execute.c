/* Executes a one-jail plan (run, create, start, stop, restart, kill, rm,
 * restore) in order, in this process; a project's plan is a DAG run by the worker pool (pool.c). */
#include "reconciler.h"
#include <stdio.h>
#include <string.h>

int reconcile_execute(const struct action *a, int n, const struct desired *want,
		      const struct observed_jail *have, const struct exec_ops *ops, char (*ids)[65], struct lerr *e)
{
	for (int i = 0; i < n; i++) {
		const struct action *x = &a[i];
		if (x->want >= 0 && x->have >= 0 && x->kind == ACT_START)
			snprintf(ids[x->want], 65, "%s", have[x->have].id);
		int rc = 0;
		switch (x->kind) {
		case ACT_REMOVE:
			rc = ops->remove(ops->ctx, have[x->have].id, e);
			break;
		case ACT_CREATE:
			rc = ops->create(ops->ctx, want[x->want].spec, want[x->want].hash, ids[x->want], e);
			break;
		case ACT_START:
			rc = ops->start(ops->ctx, ids[x->want], e);
			break;
		case ACT_STOP:
		case ACT_SIGNAL:
			if (x->kind == ACT_STOP ? !ops->stop : !ops->signal)
				goto unplanned;
			rc = (x->kind == ACT_STOP ? ops->stop : ops->signal)(ops->ctx, have[x->have].id, e);
			break;
		unplanned:
		default: /* reconcile_plan makes no other kind */
			rc = lerr_set(e, LX_LOCHS, "%s: not run one by one", act_name(x->kind));
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}
