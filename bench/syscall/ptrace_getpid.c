/* What a ptrace-based translator would pay per syscall: a traced child makes
 * N raw getpid syscalls; the parent resumes it at every syscall stop, as
 * strace does. Prints "N ELAPSED_NS STOPS".
 *   mode "syscall": PTRACE_SYSCALL, two stops (entry + exit) per call, no
 *                   register access (a lower bound for that design);
 *   mode "sysemu":  PTRACE_SYSEMU, one stop per call where the tracer reads
 *                   and writes the registers (what an emulator such as UML or
 *                   gVisor's ptrace platform does).
 * usage: ptrace_getpid N syscall|sysemu */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static void child(long n)
{
	ptrace(PTRACE_TRACEME, 0, 0, 0);
	raise(SIGSTOP);
	for (long i = 0; i < n; i++) {
		long rax = SYS_getpid;
		__asm__ volatile("syscall" : "+a"(rax) : : "rcx", "r11", "memory");
	}
	syscall(SYS_exit_group, 0);
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100000, stops = 0, t0;
	int emu = argc > 2 && strcmp(argv[2], "sysemu") == 0, st;
	struct user_regs_struct regs;
	pid_t pid = fork();

	if (pid == 0)
		child(n);
	waitpid(pid, &st, 0); /* the SIGSTOP */
	ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL);
	t0 = now_ns();
	for (;;) {
		if (ptrace(emu ? PTRACE_SYSEMU : PTRACE_SYSCALL, pid, 0, 0) != 0) {
			perror("ptrace");
			return 1;
		}
		if (waitpid(pid, &st, 0) != pid || !WIFSTOPPED(st))
			break;
		stops++;
		if (emu) {
			ptrace(PTRACE_GETREGS, pid, 0, &regs);
			if (regs.orig_rax == SYS_exit_group) {
				kill(pid, SIGKILL); /* under SYSEMU the child cannot exit by itself */
				waitpid(pid, &st, 0);
				break;
			}
			regs.rax = pid; /* "emulate" getpid */
			ptrace(PTRACE_SETREGS, pid, 0, &regs);
		}
	}
	printf("%ld %ld %ld\n", n, now_ns() - t0, stops);
	return 0;
}
