/* Probe 5: fork's two return registers and wait4 status words.
 * fork (2): parent rax = child pid, rdx = 0; child rax = 0, rdx = 1
 * (syscalls.md §1). wait4 (7) statuses use FreeBSD signal numbers and
 * encodings (constants.md "wait4"): exit = code<<8, killed = signo,
 * stopped = 0x7f | signo<<8, continued = 0x13. */
#include "probe.h"

struct child_report {
	long rax, rdx, pid, ppid;
};

static long wait_status(long pid, int options, long *status)
{
	int st = -1;
	sysret r = SYS(SYS_wait4, pid, &st, options, 0);
	*status = st;
	return r.cf ? -r.val : r.val;
}

/* Child reports what its fork returned through a pipe, then exits 3. */
static void test_fork_registers(long me)
{
	int p[2] = {-1, -1};
	struct child_report rep = {-1, -1, -1, -1};
	sysret r;
	long st;

	if (!CHECK_OK("pipe2 for the child's report", SYS(SYS_pipe2, p, 0)))
		return;
	r = SYS(SYS_fork);
	if (r.val == 0 && !r.cf) {
		struct child_report c = {r.val, r.rdx, SYS(SYS_getpid).val, SYS(SYS_getppid).val};
		SYS(SYS_write, p[1], &c, sizeof c);
		rt_exit(3);
	}
	if (!CHECK_OK("fork", r))
		return;
	CHECK("parent: rax = child pid > 0", r.val > 0);
	CHECK_EQ("parent: rdx = 0", r.rdx, 0);
	CHECK_EQ("child report received", SYS(SYS_read, p[0], &rep, sizeof rep).val, sizeof rep);
	CHECK_EQ("child: rax = 0", rep.rax, 0);
	CHECK_EQ("child: rdx = 1", rep.rdx, 1);
	CHECK_EQ("child: getpid() = pid the parent got", rep.pid, r.val);
	CHECK_EQ("child: getppid() = parent's pid", rep.ppid, me);
	CHECK_EQ("wait4 returns the child pid", wait_status(r.val, 0, &st), r.val);
	CHECK_EQ("exit(3) status = 3<<8", st, 3 << 8);
	SYS(SYS_close, p[0]);
	SYS(SYS_close, p[1]);
}

static void test_self_sigterm(void)
{
	long pid, st;
	sysret r = SYS(SYS_fork);
	if (r.val == 0 && !r.cf) {
		SYS(SYS_kill, SYS(SYS_getpid).val, SIGTERM);
		rt_exit(99);
	}
	if (!CHECK_OK("fork", r))
		return;
	pid = r.val;
	CHECK_EQ("wait4 (child killed itself with SIGTERM)", wait_status(pid, 0, &st), pid);
	CHECK_EQ("status = 15 (SIGTERM, no core flag)", st, SIGTERM);
}

/* A child asleep for 60 s is stopped, continued and killed. */
static void test_stop_cont_kill(void)
{
	struct fbsd_timespec ts = {60, 0};
	long pid, st;
	sysret r;

	r = SYS(SYS_fork);
	if (r.val == 0 && !r.cf) {
		SYS(SYS_nanosleep, &ts, 0);
		rt_exit(98);
	}
	if (!CHECK_OK("fork", r))
		return;
	pid = r.val;
	CHECK_EQ("wait4(WNOHANG) on a running child returns 0", wait_status(pid, WNOHANG, &st), 0);
	SYS(SYS_kill, pid, SIGSTOP);
	CHECK_EQ("wait4(WUNTRACED) after SIGSTOP", wait_status(pid, WUNTRACED, &st), pid);
	CHECK_EQ("stopped status = 0x7f | SIGSTOP(17)<<8 = 0x117f", st, 0x7f | SIGSTOP << 8);
	SYS(SYS_kill, pid, SIGCONT);
	CHECK_EQ("wait4(WCONTINUED) after SIGCONT", wait_status(pid, WCONTINUED, &st), pid);
	CHECK_EQ("continued status = 0x13", st, 0x13);
	SYS(SYS_kill, pid, SIGUSR1);
	CHECK_EQ("wait4 after SIGUSR1", wait_status(pid, 0, &st), pid);
	CHECK_EQ("killed status = 30 (FreeBSD SIGUSR1, Linux would say 10)", st, SIGUSR1);
}

int main(int argc, char **argv, char **envp)
{
	long me = SYS(SYS_getpid).val, st;

	test_fork_registers(me);
	test_self_sigterm();
	test_stop_cont_kill();
	CHECK_EQ("wait4 with no children -> ECHILD 10", wait_status(-1, 0, &st), -ECHILD);
	return rt_done();
}
