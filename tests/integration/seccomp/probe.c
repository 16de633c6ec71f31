/* A Linux program run in a jail (bsdulator runs Linux ELFs natively, so it
 * meets the jail's seccomp filter directly). Prints one line per check:
 * "ok NAME" or "FAIL NAME: why"; exit status 1 if any failed. With
 * "unconfined" as argument (a --privileged jail) it checks there is no
 * filter instead. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/keyctl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int failed;

static void check(const char *name, int ok, const char *why)
{
	if (ok) {
		printf("ok %s\n", name);
	} else {
		printf("FAIL %s: %s\n", name, why);
		failed = 1;
	}
}

/* A call that must fail with want. */
static void refused(const char *name, long rc, int want)
{
	char why[128];
	snprintf(why, sizeof why, "returned %ld, errno %s", rc, strerror(errno));
	check(name, rc == -1 && errno == want, why);
}

/* In a child: a syscall through the x32 ABI must kill it with SIGSYS. */
static void x32_killed(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		syscall(0x40000000 | SYS_getpid);
		_exit(0);
	}
	int st = 0;
	waitpid(pid, &st, 0);
	check("x32 killed", WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS, "child was not killed by SIGSYS");
}

int main(int argc, char **argv)
{
	int mode = prctl(PR_GET_SECCOMP, 0, 0, 0, 0);
	if (argc > 1 && strcmp(argv[1], "unconfined") == 0) {
		check("no filter", mode == 0, "a seccomp filter is installed");
		return failed;
	}
	check("filter", mode == 2, "no seccomp filter");
	errno = 0;
	refused("mount", mount("none", "/mnt", "tmpfs", 0, NULL), EPERM);
	refused("unshare user", unshare(CLONE_NEWUSER), EPERM);
	refused("unshare net", unshare(CLONE_NEWNET), EPERM);
	refused("keyctl", syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0), EPERM);
	refused("add_key", syscall(SYS_add_key, "user", "k", "v", 1, KEY_SPEC_SESSION_KEYRING), EPERM);
	refused("bpf", syscall(SYS_bpf, 0, NULL, 0), EPERM);
	refused("reboot", reboot(RB_POWER_OFF), EPERM);
	refused("kexec_load", syscall(SYS_kexec_load, 0, 0, NULL, 0), EPERM);
	refused("init_module", syscall(SYS_init_module, NULL, 0, ""), EPERM);
	refused("userfaultfd", syscall(SYS_userfaultfd, 0), EPERM);
	refused("personality", personality(PER_BSD), EPERM);
	refused("clone3", syscall(SYS_clone3, NULL, 0), ENOSYS);
	refused("unknown", syscall(1000), ENOSYS);
	/* Ordinary calls still work. */
	struct timespec ts;
	check("clock_gettime", clock_gettime(CLOCK_MONOTONIC, &ts) == 0, strerror(errno));
	check("getpid", getpid() == 1 || getpid() > 1, "getpid");
	int fd = open("/tmp/seccomp-probe", O_CREAT | O_WRONLY | O_TRUNC, 0600);
	check("open/write", fd >= 0 && write(fd, "x", 1) == 1 && close(fd) == 0, strerror(errno));
	int p[2];
	check("pipe", pipe(p) == 0, strerror(errno));
	pid_t pid = fork();
	if (pid == 0)
		_exit(3);
	int st = 0;
	check("fork/wait", pid > 0 && waitpid(pid, &st, 0) == pid && WEXITSTATUS(st) == 3, strerror(errno));
	check("personality query", personality(0xffffffff) >= 0, strerror(errno));
	x32_killed();
	return failed;
}
