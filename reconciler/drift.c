/* See drift.h. */
#include "drift.h"
#include <stdio.h>
#include <string.h>

static int running(const struct observed_jail *o)
{
	return !strcmp(o->state, "running") || !strcmp(o->state, "paused");
}

int reconcile_drift(const struct desired *want, int nwant, const struct observed_jail *have, int nhave,
		    const struct jail_end *ends, char *why, size_t size)
{
	for (int w = 0; w < nwant; w++) {
		const struct svc_spec *s = want[w].spec;
		int h = 0;
		while (h < nhave && strcmp(have[h].name, s->name))
			h++;
		if (h == nhave) {
			snprintf(why, size, "%s is gone", s->name);
			return 1;
		}
		if (strcmp(have[h].config_hash, want[w].hash)) {
			snprintf(why, size, "%s: its configuration or image changed", s->name);
			return 1;
		}
		if (want[w].state == WANT_RUNNING && !running(&have[h]) && !have[h].monitor_alive &&
		    !ends[h].stopped_by_user && restore_wanted(s->restart, s->restart_max, &ends[h])) {
			snprintf(why, size, "%s died (exit %d) and its restart policy is %s", s->name, ends[h].exit_code,
				 restart_name(s->restart));
			return 1;
		}
	}
	return 0;
}
