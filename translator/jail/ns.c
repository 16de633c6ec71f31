/* jail_start: clone into new mount, PID, UTS, IPC and network namespaces;
 * the parent puts the child into the jail's cgroups while it waits, then
 * the child enters a cgroup namespace, builds its root, applies the
 * security settings and execs bsdulator as the jail's pid 1. An error in
 * the child travels back through a close-on-exec pipe (EOF = exec done). */
#include "jail_int.h"
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define JAIL_NS (CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET)

static int loopback_up(struct lerr *e)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct ifreq ifr = { .ifr_name = "lo" };
	int r = s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) < 0 ? -1 : 0;
	ifr.ifr_flags |= IFF_UP;
	if (r == 0)
		r = ioctl(s, SIOCSIFFLAGS, &ifr);
	if (s >= 0)
		close(s);
	return r < 0 ? lerr_sys(e, "bringing up lo") : 0;
}

int stdio_setup(const int fds[3], int ctty, struct lerr *e)
{
	int tmp[3];
	for (int i = 0; i < 3; i++)
		if ((tmp[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, 10)) < 0)
			return lerr_sys(e, "stdio");
	for (int i = 0; i < 3; i++)
		if (dup2(tmp[i], i) < 0)
			return lerr_sys(e, "stdio");
	if (setsid() < 0)
		return lerr_sys(e, "setsid");
	if (ctty && ioctl(0, TIOCSCTTY, 0) < 0)
		return lerr_sys(e, "controlling terminal");
	return 0;
}

static int inherit(int fd)
{
	return fcntl(fd, F_SETFD, 0);
}

void bsdulator_exec(int exe, int procfd, char *const *argv, char *const *env, struct lerr *e)
{
	int n = 0;
	while (argv[n])
		n++;
	char **av = calloc((size_t)n + 8, sizeof *av), exes[16], procs[16];
	if (!av) {
		lerr_set(e, LX_LOCHS, "out of memory");
		return;
	}
	snprintf(exes, sizeof exes, "%d", exe);
	snprintf(procs, sizeof procs, "%d", procfd);
	av[0] = "bsdulator", av[1] = "--exe-fd", av[2] = exes, av[3] = "--proc-fd", av[4] = procs, av[5] = "--";
	memcpy(av + 6, argv, sizeof *av * (size_t)n);
	/* Nothing of the caller's leaks into the jail. */
	syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);
	inherit(exe), inherit(procfd);
	/* The monitor ignores SIGHUP and SIGPIPE; the jail starts clean. */
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	syscall(SYS_execveat, exe, "", av, env, AT_EMPTY_PATH);
	lerr_sys(e, "executing bsdulator");
	e->code = errno == ENOENT ? LX_NOT_FOUND : LX_CANNOT_RUN;
	free(av);
}

static void child(const struct jail_config *c, const int fds[3], int netns, int go, int errp)
{
	struct lerr e = { LX_LOCHS, "" };
	char ok;
	int exe = -1, procfd = -1, rootfd;
	if (netns >= 0 && setns(netns, CLONE_NEWNET) < 0) {
		lerr_sys(&e, "joining network container");
		goto fail;
	}
	if ((exe = open(c->bsdulator, O_RDONLY | O_CLOEXEC)) < 0) {
		lerr_sys(&e, "bsdulator %s", c->bsdulator);
		goto fail;
	}
	if ((rootfd = rootfs_prepare(c, &e)) < 0)
		goto fail;
	/* proc of the new PID namespace, mounted nowhere: bsdulator reads
	 * kern.proc from it, the jail's tree has no /proc. */
	if ((procfd = fs_new("proc", "", MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, &e)) < 0) {
		lerr_wrap(&e, "jail /proc");
		goto fail;
	}
	if (!c->sysvipc && !c->privileged)
		sysvipc_disable(procfd);
	if (rootfs_enter(rootfd, &e) < 0)
		goto fail;
	close(rootfd);
	const char *hn = c->hostname && *c->hostname ? c->hostname : c->id;
	if (sethostname(hn, strnlen(hn, 63)) < 0) {
		lerr_sys(&e, "hostname %s", hn);
		goto fail;
	}
	/* Only our own netns's loopback is ours to bring up. */
	if (netns == NETNS_OWN && loopback_up(&e) < 0)
		goto fail;
	if (chdir(c->cwd) < 0) {
		lerr_sys(&e, "working directory %s", c->cwd);
		goto fail;
	}
	/* The root is built while the parent moves us into the cgroups (on a
	 * v1 hierarchy the first move after a pause waits for an RCU grace
	 * period); nothing runs for the jail before that is done. */
	if (read(go, &ok, 1) != 1)
		_exit(125);
	/* The parent made our veth ends before "go". */
	if (veth_configure(c, &e) < 0)
		goto fail;
	if (unshare(CLONE_NEWCGROUP) < 0) {
		lerr_sys(&e, "cgroup namespace");
		goto fail;
	}
	if (stdio_setup(fds, c->tty && isatty(fds[0]), &e) < 0 || security_apply(c, &e) < 0 ||
	    jail_seccomp_install(c, &e) < 0)
		goto fail;

	bsdulator_exec(exe, procfd, c->argv, c->env, &e);
fail:
	if (write(errp, &e, sizeof e) < 0)
		_exit(125);
	_exit(e.code);
}

int child_result(int fd, pid_t pid, struct lerr *e)
{
	struct lerr ce;
	ssize_t n;
	while ((n = read(fd, &ce, sizeof ce)) < 0 && errno == EINTR)
		;
	close(fd);
	if (n != (ssize_t)sizeof ce)
		return 0;
	waitpid(pid, NULL, 0);
	ce.msg[sizeof ce.msg - 1] = 0;
	*e = ce;
	return -1;
}

int jail_start(const struct jail_config *c, const int fds[3], struct jail_proc *p, struct lerr *e)
{
	int go[2], ep[2];
	memset(p, 0, sizeof *p);
	int netns = netns_choose(c, e);
	if (netns == -1)
		return -1;
	if (cg_create(c, p, e) < 0) {
		if (netns >= 0)
			close(netns);
		return -1;
	}
	if (pipe2(go, O_CLOEXEC) < 0 || (pipe2(ep, O_CLOEXEC) < 0 && (close(go[0]), close(go[1]), 1))) {
		lerr_sys(e, "pipe");
		if (netns >= 0)
			close(netns);
		jail_cleanup(p);
		return -1;
	}
	/* clone as fork: a copy of our memory, its own stack. */
	unsigned long flags = JAIL_NS | SIGCHLD;
	if (netns != NETNS_OWN)
		flags &= ~(unsigned long)CLONE_NEWNET;
	pid_t pid = (pid_t)syscall(SYS_clone, flags, NULL, NULL, NULL, 0);
	if (pid == 0) {
		close(go[1]), close(ep[0]);
		child(c, fds, netns, go[0], ep[1]);
	}
	close(go[0]), close(ep[1]);
	if (netns >= 0)
		close(netns);
	if (pid < 0) {
		lerr_sys(e, "creating the jail's namespaces");
		goto fail;
	}
	if (cg_attach(p, pid, e) < 0 || veth_create(c, pid, e) < 0) {
		/* A child that failed early has said why; else the move's (or the
		 * veth's) error. A veth made goes with the child's netns. */
		kill(pid, SIGKILL);
		close(go[1]);
		go[1] = -1;
		if (child_result(ep[0], pid, e) == 0)
			waitpid(pid, NULL, 0);
		ep[0] = -1;
		goto fail;
	}
	/* A child that already failed reads no "go": its error follows. */
	if (write(go[1], "g", 1) != 1 && errno != EPIPE) {
		lerr_sys(e, "starting the jail");
		kill(pid, SIGKILL);
	}
	close(go[1]);
	go[1] = -1;
	if (child_result(ep[0], pid, e) < 0) {
		lerr_wrap(e, "starting the jail");
		jail_cleanup(p);
		return -1;
	}
	p->pid = pid;
	return 0;
fail:
	if (go[1] >= 0)
		close(go[1]);
	if (ep[0] >= 0)
		close(ep[0]);
	jail_cleanup(p);
	return -1;
}
