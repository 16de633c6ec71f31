/* jail_exec: a process inside a running jail (lochs exec), the way
 * nsenter does it. A helper forked from the caller joins the jail's
 * cgroups (host paths: before the mount namespace), then all of its
 * namespaces at once through a pidfd of the jail's pid 1 (kernel >= 5.8).
 * setns into a PID namespace moves only the children, so the helper forks
 * the program, which mounts a proc of the jail's PID namespace for
 * bsdulator (the jail has no /proc), takes the jail's privileges and
 * seccomp filter, and execs. The helper waits and exits with the program's status. Errors
 * travel back by a close-on-exec pipe, as in ns.c. */
#include "jail_int.h"
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define ENTER_NS (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWCGROUP | CLONE_NEWPID)

static volatile pid_t target;

static void forward(int sig)
{
	if (target > 0)
		kill(target, sig);
}

static void report(int errp, struct lerr *e)
{
	if (write(errp, e, sizeof *e) < 0)
		_exit(LX_LOCHS);
	_exit(e->code ? e->code : LX_LOCHS);
}

static void program(const struct jail_config *c, const struct jail_exec *x, int exe, int errp)
{
	struct lerr e = { LX_LOCHS, "" };
	int procfd = fs_new("proc", "", MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, &e);
	if (procfd < 0) {
		lerr_wrap(&e, "jail /proc");
		report(errp, &e);
	}
	if (chdir(x->cwd) < 0) {
		lerr_sys(&e, "working directory %s", x->cwd);
		e.code = LX_CANNOT_RUN;
		report(errp, &e);
	}
	/* The jail's capabilities and no_new_privs, with exec's user. */
	struct jail_config sc = *c;
	sc.uid = x->uid, sc.gid = x->gid;
	if (stdio_setup(x->fds, x->tty, &e) < 0 || security_apply(&sc, &e) < 0 || jail_seccomp_install(&sc, &e) < 0)
		report(errp, &e);
	bsdulator_exec(exe, procfd, x->argv, x->env, &e);
	report(errp, &e);
}

static void helper(const struct jail_config *c, pid_t pid, const struct jail_exec *x, int errp)
{
	struct lerr e = { LX_LOCHS, "" };
	struct jail_proc jp = { 0 };
	/* Out of the caller's session: a detached exec outlives its terminal,
	 * an attached one gets signals forwarded by the caller. */
	setsid();
	int exe = open(c->bsdulator, O_RDONLY | O_CLOEXEC);
	if (exe < 0) {
		lerr_sys(&e, "bsdulator %s", c->bsdulator);
		report(errp, &e);
	}
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0) {
		lerr_sys(&e, "jail process %d", (int)pid);
		report(errp, &e);
	}
	jp.ncgroup = jail_cgroup_dirs(c->id, jp.cgroup, 4);
	if (cg_attach(&jp, getpid(), &e) < 0)
		report(errp, &e);
	if (setns(pidfd, ENTER_NS) < 0) {
		lerr_sys(&e, "joining the jail's namespaces");
		report(errp, &e);
	}
	close(pidfd);
	struct sigaction sa = { .sa_handler = forward };
	sigaction(SIGINT, &sa, NULL), sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL), sigaction(SIGQUIT, &sa, NULL);
	pid_t child = fork();
	if (child == 0)
		program(c, x, exe, errp);
	if (child < 0) {
		lerr_sys(&e, "fork");
		report(errp, &e);
	}
	target = child;
	/* Hold nothing of the caller's: its pty must see the program's end. */
	syscall(SYS_close_range, 0, ~0U, 0);
	int st;
	while (waitpid(child, &st, 0) < 0)
		if (errno != EINTR)
			_exit(LX_LOCHS);
	_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
}

pid_t jail_exec(const struct jail_config *c, pid_t pid, const struct jail_exec *x, struct lerr *e)
{
	int ep[2];
	if (pipe2(ep, O_CLOEXEC) < 0)
		return lerr_sys(e, "pipe");
	pid_t h = fork();
	if (h == 0) {
		close(ep[0]);
		helper(c, pid, x, ep[1]);
	}
	close(ep[1]);
	if (h < 0) {
		close(ep[0]);
		return lerr_sys(e, "fork");
	}
	return child_result(ep[0], h, e) < 0 ? -1 : h;
}
