/* Which jails a host boot brings back: the restart policy against how the
 * jail ended. Pure (tested without a jail). Docker's rules on daemon
 * start: always restarts even a jail the user stopped (docker stop holds
 * only until the daemon restarts), unless-stopped unless the user stopped
 * it, on-failure when its last exit was a failure (a monitor that vanished
 * while the jail ran counts: exit -1) and the retries are not used up. */
#include "reconciler.h"

int restore_wanted(enum restart_policy p, int max, const struct jail_end *end)
{
	switch (p) {
	case RESTART_ALWAYS:
		return 1;
	case RESTART_UNLESS_STOPPED:
		return !end->stopped_by_user;
	case RESTART_ON_FAILURE:
		return !end->stopped_by_user && end->exit_code != 0 && (max <= 0 || end->restart_count < max);
	default:
		return 0;
	}
}
