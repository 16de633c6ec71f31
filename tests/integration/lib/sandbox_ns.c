/* sandbox_ns TRANSLATOR COMMAND [ARG...]
 * Runs COMMAND in new user, mount and network namespaces (all ids mapped
 * to themselves; only a loopback interface, so tests cannot reach any other
 * address) with a private binfmt_misc instance in which FreeBSD amd64
 * executables run under TRANSLATOR. So a Linux program (sh, nohup) that
 * execs a FreeBSD binary works, without touching the host's binfmt_misc.
 * Needs Linux 6.7+ (sandboxed binfmt_misc) and root. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		fprintf(stderr, "sandbox_ns: %s: %s\n", path, strerror(errno));
		exit(125);
	}
	close(fd);
}

static void loopback_up(void)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	memset(&ifr, 0, sizeof ifr);
	strcpy(ifr.ifr_name, "lo");
	if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) < 0 ||
	    (ifr.ifr_flags |= IFF_UP, ioctl(s, SIOCSIFFLAGS, &ifr) < 0)) {
		perror("sandbox_ns: bring lo up");
		_exit(125);
	}
	close(s);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: sandbox_ns TRANSLATOR COMMAND [ARG...]\n");
		return 2;
	}
	int go[2];
	sigset_t set;
	int sig;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL); /* before fork: the child signals early */
	if (pipe(go) < 0)
		return 125;
	pid_t child = fork();
	if (child < 0)
		return 125;
	if (child == 0) {
		char c;
		close(go[1]);
		if (unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET) < 0) {
			perror("sandbox_ns: unshare");
			_exit(125);
		}
		/* Tell the parent to write our id maps, then wait for it. */
		kill(getppid(), SIGUSR1);
		if (read(go[0], &c, 1) != 1)
			_exit(125);
		loopback_up();
		if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
		    mount("binfmt_misc", "/proc/sys/fs/binfmt_misc", "binfmt_misc", 0, NULL) < 0) {
			perror("sandbox_ns: mount binfmt_misc");
			_exit(125);
		}
		char reg[512];
		/* ELF, 64-bit, little-endian, version 1, OSABI 9 (FreeBSD);
		 * 'F' opens the translator now, so chroots need not contain it. */
		snprintf(reg, sizeof reg, ":freebsd:M::\\x7fELF\\x02\\x01\\x01\\x09::%s:F", argv[1]);
		write_file("/proc/sys/fs/binfmt_misc/register", reg);
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		execvp(argv[2], argv + 2);
		fprintf(stderr, "sandbox_ns: %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	close(go[0]);
	sigwait(&set, &sig);
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/uid_map", child);
	write_file(path, "0 0 4294967295\n");
	snprintf(path, sizeof path, "/proc/%d/setgroups", child);
	write_file(path, "allow\n");
	snprintf(path, sizeof path, "/proc/%d/gid_map", child);
	write_file(path, "0 0 4294967295\n");
	if (write(go[1], "x", 1) != 1)
		return 125;
	close(go[1]);
	int st;
	while (waitpid(child, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}
