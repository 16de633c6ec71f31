/* See dnsctl.h. */
#include "dnsctl.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static pid_t daemon_pid(const char *root)
{
	char path[4096], buf[32] = "";
	snprintf(path, sizeof path, "%s/" DNSD_PID, root);
	FILE *f = fopen(path, "re");
	if (!f)
		return 0;
	if (!fgets(buf, sizeof buf, f))
		buf[0] = 0;
	fclose(f);
	pid_t pid = (pid_t)atoi(buf);
	if (pid <= 0 || kill(pid, 0) < 0)
		return 0;
	/* A stale file's pid may be someone else's by now. */
	char cmd[256] = "";
	snprintf(path, sizeof path, "/proc/%d/cmdline", (int)pid);
	f = fopen(path, "re");
	size_t n = f ? fread(cmd, 1, sizeof cmd - 1, f) : 0;
	if (f)
		fclose(f);
	return n > 5 && !strcmp(cmd + n - 5, "_dns") ? pid : 0;
}

/* Whether a daemon holds the lock (it may not serve yet). */
static int lock_held(const char *root)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/" DNSD_LOCK, root);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return 0;
	int held = flock(fd, LOCK_EX | LOCK_NB) < 0 && errno == EWOULDBLOCK;
	close(fd); /* drops the lock if we took it */
	return held;
}

/* The grandchild becomes the daemon: the caller waits for the middle
 * child only, so no zombie is left behind and no terminal is kept. */
static void spawn(const char *root)
{
	pid_t pid = fork();
	if (pid < 0)
		return;
	if (pid > 0) {
		waitpid(pid, NULL, 0);
		return;
	}
	setsid();
	if (fork() != 0)
		_exit(0);
	char log[4096], abs[4096];
	/* The daemon outlives the caller's working directory. */
	if (realpath(root, abs))
		root = abs;
	snprintf(log, sizeof log, "%s/" DNSD_LOG, root);
	int in = open("/dev/null", O_RDONLY), out = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
	if (in < 0 || out < 0)
		_exit(1);
	dup2(in, 0);
	dup2(out, 1);
	dup2(out, 2);
	/* Nothing of the caller's (its database, a jail's pipes) stays open. */
	for (int fd = 3; fd < 1024; fd++)
		close(fd);
	signal(SIGHUP, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	execl("/proc/self/exe", "lochs", "--root", root, "_dns", (char *)NULL);
	_exit(127);
}

int dnsd_ensure(const char *root, struct lerr *e)
{
	if (daemon_pid(root))
		return 0;
	if (!lock_held(root))
		spawn(root);
	for (int i = 0; i < 300; i++) {
		if (daemon_pid(root))
			return 0;
		nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
	}
	return lerr_set(e, LX_LOCHS, "the embedded DNS server did not start (see %s/" DNSD_LOG ")", root);
}

void dnsd_notify(const char *root)
{
	pid_t pid = daemon_pid(root);
	if (pid)
		kill(pid, SIGHUP);
}

void dnsd_notify_db(sqlite3 *db)
{
	const char *f = db ? sqlite3_db_filename(db, "main") : NULL;
	const char *slash = f ? strrchr(f, '/') : NULL;
	if (!slash)
		return;
	char root[4096];
	snprintf(root, sizeof root, "%.*s", (int)(slash - f), f);
	dnsd_notify(root);
}
