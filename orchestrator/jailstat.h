/* What the host's /proc and cgroup files say about a running jail (top,
 * stats): its processes and its resource usage. */
#pragma once
#include <sys/types.h>

/* The host pids of the jail's processes: the members of its cgroup that
 * live in the PID namespace of its pid 1 (an exec helper does not);
 * malloc'd, *n of them, sorted. NULL when the cgroup cannot be read. */
pid_t *jail_members(const char *id, pid_t pid1, int *n);

/* The FreeBSD program's argv of a bsdulator process as one line (the
 * translator's own options dropped, as translator/abi/kinfo.c does for
 * kern.proc.args), or the Linux cmdline of another process. */
void proc_command(pid_t pid, char *out, size_t size);

/* utime + stime of a process, in clock ticks. */
unsigned long long proc_cpu_ticks(pid_t pid);

struct jail_usage {
	unsigned long long cpu_ns;      /* CPU time used, all processes ever */
	long long mem, mem_limit;       /* bytes; limit -1: none */
	long long pids;
	unsigned long long rx, tx;      /* network bytes, loopback excluded */
};
/* Reads usage now; -1 when the jail's cgroups are gone. */
int jail_usage(const char *id, pid_t pid1, struct jail_usage *u);
