/* Probe 6: the way a FreeBSD process ends must reach the Linux parent
 * unchanged: an exit code, or death by a signal with its default action.
 * usage: exitsig exit|abort|segv|usr1
 *   exit  -> exit(42): the shell sees 42
 *   abort -> kill(getpid(), SIGABRT 6) with SIG_DFL: the shell sees 128+6 = 134
 *   segv  -> load from address 8 with SIG_DFL: the shell sees 128+11 = 139
 *   usr1  -> kill(getpid(), SIGUSR1 30): the Linux parent sees its own SIGUSR1,
 *            so the shell says 128+10 = 138
 *   overflow -> unbounded recursion with a SIGSEGV handler but no altstack:
 *            no room for the signal frame, so FreeBSD's sendsig kills the
 *            process with SIGILL (exec_machdep.c): 128+4 = 132 */
#include "probe.h"

static void on_segv(int sig) { (void)sig; }

static int recurse(int n)
{
	volatile char page[4096];
	page[0] = (char)n;
	if (n < 0) /* never: keeps the compiler from calling it infinite */
		return 0;
	return recurse(n + 1) + page[0];
}

int main(int argc, char **argv, char **envp)
{
	const char *how = argc > 1 ? argv[1] : "";
	long pid = SYS(SYS_getpid).val;

	if (rt_streq(how, "exit"))
		return 42;
	if (rt_streq(how, "abort"))
		SYS(SYS_kill, pid, SIGABRT);
	else if (rt_streq(how, "segv"))
		__asm__ volatile("mov 8, %%rax" ::: "rax", "memory");
	else if (rt_streq(how, "usr1"))
		SYS(SYS_kill, pid, SIGUSR1);
	else if (rt_streq(how, "overflow")) {
		struct { void *handler; int flags; unsigned mask[4]; } sa = { (void *)on_segv, 0, { 0 } };
		SYS(SYS_sigaction, SIGSEGV, &sa, 0);
		return recurse(0);
	}
	else
		return 2;
	rt_note("still alive after a fatal signal");
	return 1;
}
