/* The jail's [::1] port proxy (netplane/proxy.h) for one run: `lochs
 * _proxy ID 3` started before the jail and killed after it, so it serves
 * exactly while the ports are forwarded; PR_SET_PDEATHSIG takes it down
 * with a monitor killed with -9, so no listener outlives its monitor. */
#include "monitor.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

int monitor_lochs_exe(char *exe, size_t size)
{
	const char *env = getenv("LOCHS_BIN");
	if (env && *env) {
		snprintf(exe, size, "%s", env);
		return 0;
	}
	ssize_t n = readlink("/proc/self/exe", exe, size - 16);
	char *slash = n > 0 ? memrchr(exe, '/', (size_t)n) : NULL;
	if (!slash)
		return -1;
	snprintf(slash + 1, size - (size_t)(slash + 1 - exe), "lochs");
	return 0;
}

/* The child's first line ("ok", "none", "error MSG"), at most 10 s. */
static void read_ready(int fd, char *line, size_t size)
{
	size_t got = 0;
	line[0] = 0;
	while (got + 1 < size && !memchr(line, '\n', got)) {
		struct pollfd p = { fd, POLLIN, 0 };
		if (poll(&p, 1, 10000) <= 0)
			break;
		ssize_t r = read(fd, line + got, size - 1 - got);
		if (r <= 0)
			break;
		got += (size_t)r;
		line[got] = 0;
	}
	line[strcspn(line, "\n")] = 0;
}

int proxy_start(struct mon *m, struct lerr *e)
{
	char exe[4096], line[600];
	int p[2];
	if (monitor_lochs_exe(exe, sizeof exe) < 0 || pipe2(p, O_CLOEXEC) < 0)
		return lerr_sys(e, "port proxy");
	pid_t me = getpid(), pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != me)
			_exit(1);
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		int nul = open("/dev/null", O_RDWR);
		if (nul < 0 || dup2(nul, 0) < 0 || dup2(nul, 1) < 0 || dup2(p[1], 3) < 0)
			_exit(127);
		execl(exe, "lochs", "--root", m->root, "_proxy", m->id, "3", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return lerr_sys(e, "port proxy");
	}
	read_ready(p[0], line, sizeof line);
	close(p[0]);
	if (!strcmp(line, "ok")) {
		m->proxy_pid = pid;
		return 0;
	}
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	if (!strcmp(line, "none"))
		return 0;
	return lerr_set(e, LX_LOCHS, "%s", !strncmp(line, "error ", 6) ? line + 6 : "the [::1] port proxy did not start");
}

void proxy_stop(struct mon *m)
{
	if (m->proxy_pid <= 0)
		return;
	kill(m->proxy_pid, SIGKILL);
	while (waitpid(m->proxy_pid, NULL, 0) < 0 && errno == EINTR)
		;
	m->proxy_pid = 0;
}
