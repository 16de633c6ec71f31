/* Probe 6: the way a FreeBSD process ends must reach the Linux parent
 * unchanged: an exit code, or death by a signal with its default action.
 * usage: exitsig exit|abort|segv|usr1
 *   exit  -> exit(42): the shell sees 42
 *   abort -> kill(getpid(), SIGABRT 6) with SIG_DFL: the shell sees 128+6 = 134
 *   segv  -> load from address 8 with SIG_DFL: the shell sees 128+11 = 139
 *   usr1  -> kill(getpid(), SIGUSR1 30): the Linux parent sees its own SIGUSR1,
 *            so the shell says 128+10 = 138 */
#include "probe.h"

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
	else
		return 2;
	rt_note("still alive after a fatal signal");
	return 1;
}
