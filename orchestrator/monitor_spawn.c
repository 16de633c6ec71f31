#include "monitor_spawn.h"
#include "../common/selfpath.h"
#include "../translator/jail/jail.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int proc_running(int pid)
{
	if (pid <= 0 || kill(pid, 0) < 0)
		return 0;
	/* A zombie is gone for us: its reaper (init, maybe a slow one) has
	 * just not collected it yet. */
	char path[64], stat[256];
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	size_t n = fread(stat, 1, sizeof stat - 1, f);
	fclose(f);
	stat[n] = 0;
	const char *close = strrchr(stat, ')');
	return !(close && close[1] == ' ' && close[2] == 'Z');
}

int monitor_alive(int pid)
{
	if (!proc_running(pid))
		return 0;
	char path[64], comm[32] = "";
	snprintf(path, sizeof path, "/proc/%d/comm", pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	if (!fgets(comm, sizeof comm, f))
		comm[0] = 0;
	fclose(f);
	return strncmp(comm, "lochs-monitor", 13) == 0;
}

void monitor_remains_clean(const char *id)
{
	struct jail_proc jp = { 0 };
	jp.ncgroup = jail_cgroup_dirs(id, jp.cgroup, (int)(sizeof jp.cgroup / sizeof jp.cgroup[0]));
	jail_cleanup(&jp);
}

/* The grandchild: becomes the monitor with the ready pipe on fd 3. */
static _Noreturn void exec_monitor(const char *exe, const char *root, const char *id, int ready, int attach_wait)
{
	char log[PATH_MAX];
	snprintf(log, sizeof log, "%s/jails/%s/monitor.log", root, id);
	int null = open("/dev/null", O_RDWR);
	int err = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
	if (ready != 3) {
		dup2(ready, 3);
		close(ready);
	} else {
		fcntl(3, F_SETFD, 0);
	}
	dup2(null, 0), dup2(null, 1), dup2(err >= 0 ? err : null, 2);
	syscall(SYS_close_range, 4, ~0U, 0);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	execl(exe, "lochs-monitor", root, id, "--ready-fd", "3", attach_wait ? "--attach-wait" : (char *)NULL,
	      (char *)NULL);
	dprintf(2, "lochs-monitor: %s: %s\n", exe, strerror(errno));
	_exit(127);
}

int monitor_spawn(const char *root, const char *id, int attach_wait, struct lerr *e)
{
	char exe[PATH_MAX];
	int p[2];
	sibling_path("LOCHS_MONITOR", "lochs-monitor", exe, sizeof exe);
	if (access(exe, X_OK) < 0)
		return lerr_sys(e, "jail monitor %s", exe);
	/* The read end must not reach the monitor: it would never see EOF. */
	if (pipe2(p, O_CLOEXEC) < 0)
		return lerr_sys(e, "pipe");
	pid_t pid = fork();
	if (pid == 0) {
		/* A new session, then a fork: the monitor is no session leader,
		 * never gets a controlling tty, and init reaps it. */
		setsid();
		if (fork() == 0)
			exec_monitor(exe, root, id, p[1], attach_wait);
		_exit(0);
	}
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return lerr_sys(e, "starting the jail monitor");
	}
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	char line[1100];
	size_t n = 0;
	ssize_t r;
	while (n < sizeof line - 1 && (r = read(p[0], line + n, sizeof line - 1 - n)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		n += (size_t)r;
		if (memchr(line, '\n', n))
			break;
	}
	close(p[0]);
	line[n] = 0;
	line[strcspn(line, "\n")] = 0;
	if (strcmp(line, "ok") == 0)
		return 0;
	if (strncmp(line, "error ", 6) == 0)
		return lerr_set(e, LX_LOCHS, "%s", line + 6);
	return lerr_set(e, LX_LOCHS, "the jail monitor exited before it was ready (see %s/jails/%s/monitor.log)", root, id);
}
