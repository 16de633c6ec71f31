/* top: the processes of a running jail, from the host's /proc: PID on
 * the host, JPID inside the jail, the user (named from the jail's
 * /etc/passwd), CPU time and the FreeBSD command line. */
#include "cli.h"
#include "jailops.h"
#include "jailstat.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* "Uid:" (real) and the innermost of "NSpid:" from /proc/PID/status. */
static void status_ids(pid_t pid, unsigned *uid, int *jpid)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "re");
	*uid = 0, *jpid = 0;
	while (f && fgets(line, sizeof line, f)) {
		if (!strncmp(line, "Uid:", 4))
			*uid = (unsigned)strtoul(line + 4, NULL, 10);
		else if (!strncmp(line, "NSpid:", 6)) {
			char *p = strrchr(line, '\t');
			*jpid = p ? atoi(p + 1) : 0;
		}
	}
	if (f)
		fclose(f);
}

/* The name of uid in the jail's /etc/passwd, or the number. */
static void user_name(pid_t pid1, unsigned uid, char *out, size_t size)
{
	char path[64], line[1024];
	snprintf(out, size, "%u", uid);
	snprintf(path, sizeof path, "/proc/%d/root/etc/passwd", (int)pid1);
	FILE *f = fopen(path, "re");
	while (f && fgets(line, sizeof line, f)) {
		char *save = NULL, *name = strtok_r(line, ":", &save);
		strtok_r(NULL, ":", &save);
		char *u = strtok_r(NULL, ":", &save);
		if (name && u && (unsigned)strtoul(u, NULL, 10) == uid) {
			snprintf(out, size, "%s", name);
			break;
		}
	}
	if (f)
		fclose(f);
}

/* utime + stime as FreeBSD ps prints TIME: "0:00.25". */
static void cpu_time(pid_t pid, char *out, size_t size)
{
	unsigned long long cs = proc_cpu_ticks(pid) * 100 / (unsigned long long)sysconf(_SC_CLK_TCK);
	snprintf(out, size, "%llu:%02llu.%02llu", cs / 6000, cs / 100 % 60, cs % 100);
}

static int cmd_top(struct cli *c, int argc, char **argv, struct lerr *e)
{
	if (argc != 2)
		return lerr_usage(e, "top", "exactly one jail is required");
	char id[65];
	pid_t pid1;
	if (jail_lookup(c, argv[1], id, e) < 0 || jailop_running_pid(c, id, argv[1], &pid1, e) < 0)
		return -1;
	int n;
	pid_t *v = jail_members(id, pid1, &n);
	if (!v)
		return lerr_sys(e, "processes of jail %s", argv[1]);
	printf("%-8s %-6s %-10s %-10s %s\n", "PID", "JPID", "USER", "TIME", "COMMAND");
	for (int i = 0; i < n; i++) {
		unsigned uid;
		int jpid;
		char user[64], t[32], cmd[4096];
		status_ids(v[i], &uid, &jpid);
		user_name(pid1, uid, user, sizeof user);
		cpu_time(v[i], t, sizeof t);
		proc_command(v[i], cmd, sizeof cmd);
		printf("%-8d %-6d %-10s %-10s %s\n", (int)v[i], jpid, user, t, cmd);
	}
	free(v);
	return 0;
}
LOCHS_COMMAND(top, "top", cmd_top, "top JAIL", "Show the processes of a running jail");
