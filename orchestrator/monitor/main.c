/* lochs-monitor ROOT ID [--ready-fd N]: see monitor.h. */
#include "monitor.h"
#include "health.h"
#include "../state.h"
#include "../../common/fsutil.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static struct mon M = { .lsock = -1, .out = { -1, -1 }, .in = -1, .master = -1, .logfd = -1 };
static int sigfd = -1, ready_fd = -1;

static long long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

static void ready(const char *line)
{
	if (ready_fd < 0)
		return;
	if (write(ready_fd, line, strlen(line)) < 0) {
		/* the CLI went away: the jail runs on regardless */
	}
	close(ready_fd);
	ready_fd = -1;
}

/* UPDATE jails SET set WHERE id = ?, with n parameters, and an event. */
static int db_set(const char *set, int n, const char *p1, const char *p2, const char *p3, const char *event,
		  const char *attrs)
{
	char sql[512];
	const char *p[3] = { p1, p2, p3 };
	snprintf(sql, sizeof sql, "UPDATE jails SET %s WHERE id = ?", set);
	return mdb_exec(&M, sql, n, p, event, attrs);
}

static void firewall_rewrite(const char *root);

static int stopped_by_user(void)
{
	return mdb_query_int(&M, "SELECT stopped_by_user FROM jails WHERE id = ?") == 1;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* The jail's stdio for one run: fds[] for jail_start; ours kept in M. */
static int make_stdio(int fds[3], struct lerr *e)
{
	int o[2], r[2], i[2];
	if (M.cfg.tty) {
		if (M.master < 0) {
			M.master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
			if (M.master < 0 || grantpt(M.master) < 0 || unlockpt(M.master) < 0)
				return lerr_sys(e, "pty");
			struct winsize ws = { .ws_row = 24, .ws_col = 80 };
			ioctl(M.master, TIOCSWINSZ, &ws);
			fcntl(M.master, F_SETFL, O_NONBLOCK);
		}
		char name[128];
		if (ptsname_r(M.master, name, sizeof name) != 0 || (fds[0] = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0)
			return lerr_sys(e, "pty");
		fds[1] = fds[2] = fds[0];
		M.out[0] = dup(M.master);
		M.in = dup(M.master);
		return 0;
	}
	if (pipe2(o, O_CLOEXEC) < 0 || pipe2(r, O_CLOEXEC) < 0)
		return lerr_sys(e, "pipe");
	if (M.cfg.open_stdin) {
		if (pipe2(i, O_CLOEXEC) < 0)
			return lerr_sys(e, "pipe");
		M.in = i[1];
		fcntl(M.in, F_SETFL, O_NONBLOCK);
		fds[0] = i[0];
	} else if ((fds[0] = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0) {
		return lerr_sys(e, "/dev/null");
	}
	M.out[0] = o[0], M.out[1] = r[0];
	fcntl(o[0], F_SETFL, O_NONBLOCK);
	fcntl(r[0], F_SETFL, O_NONBLOCK);
	fds[1] = o[1], fds[2] = r[1];
	return 0;
}

static void close_jail_fds(int fds[3])
{
	close(fds[0]);
	if (fds[1] != fds[0])
		close(fds[1]), close(fds[2]);
}

/* One run of the jail: start, relay, reap. Returns the exit status (or
 * the start error's 125/126/127, e set). */
static int run_once(struct jail_proc *jp, int *oom, long long *ran_ms, struct lerr *e)
{
	int fds[3] = { -1, -1, -1 };
	char ts[64], pid_s[16], mon_s[16];
	*oom = 0;
	M.in_closing = 0;
	/* [::1] ports listen before the jail starts: a taken port fails the start. */
	if (M.cfg.published && proxy_start(&M, e) < 0)
		return -1;
	if (make_stdio(fds, e) < 0 || jail_start(&M.cfg, fds, jp, e) < 0) {
		proxy_stop(&M);
		if (fds[0] >= 0)
			close_jail_fds(fds);
		close_fd(&M.out[0]), close_fd(&M.out[1]), close_fd(&M.in);
		return -1;
	}
	close_jail_fds(fds);
	long long t0 = now_ms();
	ts_now(ts, sizeof ts);
	snprintf(pid_s, sizeof pid_s, "%d", (int)jp->pid);
	snprintf(mon_s, sizeof mon_s, "%d", (int)getpid());
	db_set("state = 'running', pid = ?, monitor_pid = ?, started = ?, exit_code = NULL, oom = 0", 3, pid_s, mon_s, ts,
	       "start", NULL);
	/* Its published ports are forwarded from now on (before the CLI hears "ok"). */
	if (M.cfg.published)
		firewall_rewrite(M.root);
	struct health H;
	health_begin(&H, &M, now_ms());
	ready("ok\n");

	int status = -1;
	long long drain_until = 0;
	static char buf[65536];
	for (;;) {
		struct pollfd p[4 + MAX_CLIENTS];
		int n = 0;
		p[n++] = (struct pollfd){ sigfd, POLLIN, 0 };
		p[n++] = (struct pollfd){ M.lsock, POLLIN, 0 };
		p[n++] = (struct pollfd){ M.out[0], POLLIN, 0 };
		p[n++] = (struct pollfd){ M.out[1], POLLIN, 0 };
		p[n++] = (struct pollfd){ M.inq.len || M.in_closing ? M.in : -1, POLLOUT, 0 };
		for (int i = 0; i < M.ncl; i++)
			p[n++] = (struct pollfd){ M.cl[i].fd, (short)(POLLIN | (M.cl[i].q.len ? POLLOUT : 0)), 0 };
		int timeout = status < 0 ? health_wait_ms(&H, now_ms()) : -1;
		if (status >= 0) {
			/* Exited: the rest of the output, then done. */
			if ((M.out[0] < 0 && M.out[1] < 0) || now_ms() >= drain_until)
				break;
			timeout = (int)(drain_until - now_ms());
		}
		if (poll(p, (nfds_t)n, timeout) < 0 && errno != EINTR)
			break;
		if (p[0].revents) {
			struct signalfd_siginfo si;
			while (read(sigfd, &si, sizeof si) == sizeof si) {
				if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT)
					kill(jp->pid, SIGTERM);
			}
			int st;
			if (status < 0 && waitpid(jp->pid, &st, WNOHANG) == jp->pid) {
				status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
				drain_until = now_ms() + 2000;
				*ran_ms = now_ms() - t0;
			}
			pid_t w;
			int ws;
			while ((w = waitpid(-1, &ws, WNOHANG)) > 0) {
				if (w == M.proxy_pid)
					M.proxy_pid = 0; /* killed behind our back: nothing to stop */
				else
					health_reaped(&H, &M, w, ws, now_ms());
			}
		}
		if (status < 0)
			health_tick(&H, &M, jp->pid, now_ms());
		if (p[1].revents)
			attach_accept(&M);
		for (int s = 0; s < 2; s++) {
			if (!p[2 + s].revents)
				continue;
			ssize_t r = read(M.out[s], buf, sizeof buf);
			if (r > 0) {
				cri_write(&M, s, buf, (size_t)r);
				attach_broadcast(&M, s ? FR_STDERR : FR_STDOUT, buf, (uint32_t)r);
			} else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
				/* EOF, or EIO from a pty whose last slave closed */
				close_fd(&M.out[s]);
			}
		}
		if (p[4].revents) {
			if (outq_write(&M.inq, M.in) < 0)
				M.inq.len = 0;
			if (M.in_closing && !M.inq.len && !M.cfg.tty)
				close_fd(&M.in);
		}
		/* Clients, backwards: a dropped one is replaced by the last. */
		for (int i = n - 6; i >= 0; i--) {
			if (i >= M.ncl || !p[5 + i].revents)
				continue;
			if (p[5 + i].revents & POLLOUT && attach_flush(&M, i) < 0)
				continue;
			if (p[5 + i].revents & (POLLIN | POLLHUP | POLLERR))
				attach_read(&M, i);
		}
	}
	health_end(&H, &M);
	proxy_stop(&M);
	cri_flush(&M, 0), cri_flush(&M, 1);
	close_fd(&M.out[0]), close_fd(&M.out[1]), close_fd(&M.in);
	M.inq.len = 0;
	if (jail_oom_killed(jp)) {
		*oom = 1;
		status = 137;
	}
	jail_cleanup(jp);
	return status;
}

/* With attach_wait: the first client, then the jail (at most 60 s);
 * 1 when told to stop instead. */
static int wait_for_client(void)
{
	long long until = now_ms() + 60000;
	while (!M.ncl && now_ms() < until) {
		struct pollfd p[2] = { { M.lsock, POLLIN, 0 }, { sigfd, POLLIN, 0 } };
		poll(p, 2, (int)(until - now_ms()));
		if (p[0].revents)
			attach_accept(&M);
		/* SIGCHLD of a database child is no reason to stop waiting */
		struct signalfd_siginfo si;
		while (read(sigfd, &si, sizeof si) == sizeof si)
			if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT)
				return 1;
	}
	return 0;
}

/* Sleeps ms, still accepting (and dropping) clients; 1 if told to stop. */
static int backoff(long long ms)
{
	long long until = now_ms() + ms;
	while (now_ms() < until) {
		struct pollfd p[1] = { { sigfd, POLLIN, 0 } };
		if (poll(p, 1, (int)(until - now_ms())) > 0) {
			struct signalfd_siginfo si;
			while (read(sigfd, &si, sizeof si) == sizeof si)
				if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT)
					return 1;
		}
	}
	return 0;
}

static int should_restart(int status, int restarts)
{
	const char *r = M.cfg.restart;
	if (strcmp(r, "no") == 0 || stopped_by_user())
		return 0;
	if (strcmp(r, "on-failure") == 0)
		return status != 0 && (M.cfg.restart_max <= 0 || restarts < M.cfg.restart_max);
	return 1; /* always, unless-stopped */
}

/* The firewall is lochs's (libnftables, not linked here): `lochs --root
 * ROOT system firewall` from next to this binary (or $LOCHS_BIN) writes it
 * again without the rows just deleted. Best effort: the next sweep (prune,
 * restore, any port change) does the same. */
static void firewall_rewrite(const char *root)
{
	char exe[4096];
	if (monitor_lochs_exe(exe, sizeof exe) < 0)
		return;
	pid_t pid = fork();
	if (pid == 0) {
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		int nul = open("/dev/null", O_RDWR);
		if (nul >= 0) {
			dup2(nul, 0);
			dup2(nul, 1);
		}
		execl(exe, "lochs", "--root", root, "system", "firewall", (char *)NULL);
		_exit(127);
	}
	while (pid > 0 && waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

int main(int argc, char **argv)
{
	struct lerr e = { 0, "" };
	char path[4200], line[1200];
	int attach_wait = 0;
	for (int i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "--ready-fd") && i + 1 < argc)
			ready_fd = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--attach-wait"))
			attach_wait = 1;
		else
			argc = 0;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: lochs-monitor ROOT ID [--ready-fd N] [--attach-wait]\n");
		return 2;
	}
	/* Hidden: creates the state database (tests insert rows into it). */
	if (strcmp(argv[1], "--init-db") == 0) {
		sqlite3 *db = state_open(argv[2], &e);
		if (!db)
			fprintf(stderr, "lochs-monitor: %s\n", e.msg);
		state_close(db);
		return db ? 0 : 1;
	}
	M.root = argv[1], M.id = argv[2];
	snprintf(M.dir, sizeof M.dir, "%s/jails/%s", M.root, M.id);
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD), sigaddset(&set, SIGTERM), sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);

	snprintf(path, sizeof path, "%s/config.json", M.dir);
	char mon_s[16];
	snprintf(mon_s, sizeof mon_s, "%d", (int)getpid());
	if (jail_config_load(path, &M.cfg, &e) < 0 ||
	    (db_set("monitor_pid = ?, restart_count = 0", 1, mon_s, NULL, NULL, NULL, NULL) < 0 &&
	     lerr_set(&e, LX_LOCHS, "state database %s/lochs.db unusable (see %s/monitor.log)", M.root, M.dir))) {
		snprintf(line, sizeof line, "error %s\n", e.msg);
		ready(line);
		fprintf(stderr, "lochs-monitor: %s\n", e.msg);
		return 1;
	}
	snprintf(path, sizeof path, "%s/ctr.log", M.dir);
	M.logfd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (attach_listen(&M, e.msg, sizeof e.msg) < 0) {
		snprintf(line, sizeof line, "error %s\n", e.msg);
		ready(line);
		return 1;
	}
	if (attach_wait || M.cfg.attach_wait) {
		ready("ok\n");
		if (wait_for_client()) {
			snprintf(path, sizeof path, "%s/attach.sock", M.dir);
			unlink(path);
			db_set("monitor_pid = 0", 0, NULL, NULL, NULL, NULL, NULL);
			return 0;
		}
	}

	int restarts = 0, status, oom;
	long long delay = 100;
	for (;;) {
		struct jail_proc jp;
		long long ran = 0;
		status = run_once(&jp, &oom, &ran, &e);
		char ts[64], code[16];
		ts_now(ts, sizeof ts);
		if (status < 0) {
			/* Could not start: the CLI (or the attached client) hears why. */
			status = e.code ? e.code : LX_LOCHS;
			snprintf(line, sizeof line, "error %s\n", e.msg);
			ready(line);
			snprintf(line, sizeof line, "lochs: %s\n", e.msg);
			attach_broadcast(&M, FR_STDERR, line, (uint32_t)strlen(line));
			fprintf(stderr, "lochs-monitor: %s\n", e.msg);
		}
		snprintf(code, sizeof code, "%d", status);
		snprintf(line, sizeof line, "{\"exitCode\": %d, \"oom\": %s}", status, oom ? "true" : "false");
		if (oom) /* Docker's "oom" comes before the "die" */
			mdb_exec(&M, NULL, 0, NULL, "oom", NULL);
		if (M.cfg.auto_remove) {
			/* run --rm (never with a restart policy): no exit record, the
			 * jail goes, then the client hears its status. */
			/* Its addresses and ports go with it (jailnet.h: owner = the
			 * jail id); its DNAT rules with the firewall rewritten. */
			if (mdb_remove(&M, line) > 0)
				firewall_rewrite(M.root);
			rm_rf(M.dir);
			attach_finish(&M, status);
			break;
		}
		db_set(oom ? "state = 'exited', pid = 0, exit_code = ?, oom = 1, finished = ?"
			   : "state = 'exited', pid = 0, exit_code = ?, oom = 0, finished = ?", 2, code, ts, NULL, "die", line);
		if (M.cfg.published)
			firewall_rewrite(M.root); /* its ports are no longer forwarded */
		attach_finish(&M, status);
		if (e.msg[0] && status == (e.code ? e.code : LX_LOCHS))
			break; /* a start error is not retried */
		if (!should_restart(status, restarts))
			break;
		delay = ran >= 10000 ? 100 : delay;
		if (backoff(delay))
			break;
		delay = delay * 2 > 10000 ? 10000 : delay * 2;
		if (stopped_by_user())
			break;
		restarts++;
		snprintf(code, sizeof code, "%d", restarts);
		db_set("restart_count = ?", 1, code, NULL, NULL, "restart", NULL);
	}
	close_fd(&M.lsock);
	close_fd(&M.logfd);
	close_fd(&M.master);
	if (!M.cfg.auto_remove) {
		snprintf(path, sizeof path, "%s/attach.sock", M.dir);
		unlink(path);
		db_set("monitor_pid = 0", 0, NULL, NULL, NULL, NULL, NULL);
	}
	jail_config_free(&M.cfg);
	return 0;
}
