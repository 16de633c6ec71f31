/* Whether a jail whose record says it runs really does, from what the
 * kernel shows of it (observe.c gathers the facts; the verdict is pure,
 * tested without a jail). The record's pid must be alive, a child of the
 * jail's monitor and inside the jail's cgroups (a reused pid is neither),
 * in a network namespace and under a root of its own. A pid 1 that ended
 * (or whose pid another process took) is its monitor's to record while
 * the monitor runs: it drains the jail's output (up to 2 s) and records
 * the end itself, restart policy included; only a monitor that cannot
 * (stopped) leaves it to the observer. Cgroups, network namespace and
 * root gone under a live pid 1 are nobody else's to notice. */
#pragma once
#include <stddef.h>

struct jail_facts {
	int pid_alive;          /* exists and is not a zombie */
	int ppid;               /* its parent (0: unknown) */
	int monitor_pid;
	int monitor_stopped;    /* its monitor is stopped (SIGSTOP, a debugger) */
	const char *cgroups;    /* the text of /proc/PID/cgroup (NULL: unreadable) */
	const char *id;         /* the jail's id: its cgroups are lochs/ID */
	int netns_shared;       /* its network namespace is its monitor's */
	int host_network;       /* network_mode host: it shares it on purpose */
	int root_shared;        /* its root directory is its monitor's */
};

/* NULL when the jail is whole, else why not ("its pid 1 (4242) is
 * gone"), in why. */
const char *jail_broken(const struct jail_facts *f, char *why, size_t size);
/* Whether the /proc/PID/cgroup text puts the process in lochs/ID for
 * every controller a jail is made with (v1: memory and pids; v2: the
 * unified hierarchy when no v1 memory line is there). */
int jail_cgroup_member(const char *text, const char *id);
