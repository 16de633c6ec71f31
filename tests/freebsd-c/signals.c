/* Signals: a plain handler, blocking and pending, sigaltstack with
 * SA_ONSTACK, SA_SIGINFO details, and SIGCHLD from an exiting child. */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t usr1_count, on_alt, info_ok, chld_seen;
static volatile pid_t chld_pid;
static volatile int chld_code, chld_status, info_code;
static char *alt_base;
static size_t alt_size;

static void on_usr1(int sig) { if (sig == SIGUSR1) usr1_count++; }

static void on_usr2(int sig)
{
	char here;
	(void)sig;
	on_alt = (uintptr_t)&here >= (uintptr_t)alt_base &&
		 (uintptr_t)&here < (uintptr_t)alt_base + alt_size;
}

static void on_info(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	info_ok = sig == SIGHUP && si->si_signo == SIGHUP && si->si_pid == getpid() &&
		  si->si_uid == getuid();
	info_code = si->si_code == SI_USER;
}

static void on_chld(int sig, siginfo_t *si, void *uc)
{
	(void)sig; (void)uc;
	chld_seen++;
	chld_pid = si->si_pid;
	chld_code = si->si_code;
	chld_status = si->si_status;
}

int main(void)
{
	struct sigaction sa;
	sigset_t set, old, pend;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	kill(getpid(), SIGUSR1);
	printf("handler: SIGUSR1 caught %d times\n", (int)usr1_count);

	/* blocked signals stay pending and arrive once on unblock */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);
	raise(SIGUSR1);
	raise(SIGUSR1);
	sigpending(&pend);
	printf("mask: pending while blocked %d, caught %d\n", sigismember(&pend, SIGUSR1),
	       (int)usr1_count);
	sigprocmask(SIG_SETMASK, &old, NULL);
	printf("mask: after unblock caught %d\n", (int)usr1_count);

	/* sigaltstack */
	stack_t ss, oss;
	alt_size = 64 * 1024;
	alt_base = malloc(alt_size);
	ss.ss_sp = alt_base;
	ss.ss_size = alt_size;
	ss.ss_flags = 0;
	if (sigaltstack(&ss, NULL) != 0)
		printf("sigaltstack failed\n");
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr2;
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGUSR2, &sa, NULL);
	raise(SIGUSR2);
	sigaltstack(NULL, &oss);
	printf("sigaltstack: handler on alternate stack %d, ss_size %zu, disabled %d\n",
	       (int)on_alt, oss.ss_size, (oss.ss_flags & SS_DISABLE) != 0);

	/* SA_SIGINFO */
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_info;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGHUP, &sa, NULL);
	kill(getpid(), SIGHUP);
	printf("siginfo: signo/pid/uid ok %d, SI_USER %d\n", (int)info_ok, info_code);

	/* SIGCHLD from a child that exits with status 3 */
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_chld;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigaction(SIGCHLD, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, &old);
	pid_t child = fork();
	if (child == 0)
		_exit(3);
	while (!chld_seen)
		sigsuspend(&old);
	sigprocmask(SIG_SETMASK, &old, NULL);
	int st;
	pid_t w = waitpid(child, &st, 0);
	printf("SIGCHLD: seen %d, from child %d, CLD_EXITED %d, status %d, wait %d exit %d\n",
	       (int)chld_seen, chld_pid == child, chld_code == CLD_EXITED, chld_status,
	       w == child, WIFEXITED(st) ? WEXITSTATUS(st) : -1);

	/* default action: a child killed by SIGTERM */
	child = fork();
	if (child == 0) {
		raise(SIGTERM);
		_exit(0);
	}
	waitpid(child, &st, 0);
	printf("default action: signaled %d by SIGTERM %d\n", WIFSIGNALED(st),
	       WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	return 0;
}
