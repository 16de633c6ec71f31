/* Starting a jail's monitor (build/bin/lochs-monitor, next to lochs, or
 * $LOCHS_MONITOR) detached from the CLI: double fork, setsid, stdio on
 * /dev/null and stderr on ROOT/jails/ID/monitor.log. Returns 0 once the
 * monitor reported "ok" on its ready pipe (the jail runs, or with
 * attach_wait the monitor waits for the first attach), -1 with its error. */
#pragma once
#include "../common/err.h"

/* attach_wait: start the jail once the first attach client connected. */
int monitor_spawn(const char *root, const char *id, int attach_wait, struct lerr *e);
/* Whether pid is a live lochs-monitor (a recycled pid is not). */
/* pid exists and is not a zombie. */
int proc_running(int pid);
int monitor_alive(int pid);
/* Cleans what a monitor that died (kill -9, reboot) left of its jail:
 * kills the processes left in the jail's cgroups and removes them. Only
 * for a jail whose monitor is not alive. */
void monitor_remains_clean(const char *id);
