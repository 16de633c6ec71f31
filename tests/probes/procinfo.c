/* Probe: process identity, limits, usage, priority, sessions and groups.
 * Numbers: syscalls.md §2; values: constants.md "Resource limits, rusage,
 * priority" (RLIMIT_* differ from Linux), structs.md §5 (rlimit, rusage);
 * semantics and error cases from FreeBSD's kern_resource.c, kern_prot.c,
 * kern_descrip.c (getdtablesize) and sys_getrandom.c.
 * usage: procinfo RUID EUID RGID EGID UMASK NICE LIMITS... SID
 *   UMASK in octal; NICE = the nice value the probe runs with; LIMITS = soft
 *   and hard of NOFILE, NPROC, MEMLOCK, AS as the harness's shell has them
 *   (a number or "unlimited"); SID = the harness's session, which the probe
 *   shares. Its pid and parent (timeout(1)) are not known to the harness:
 *   those are checked against fork's results instead. */
#include "probe.h"

enum {
	SYS_geteuid = 25, SYS_getegid = 43, SYS_getgid = 47, SYS_umask = 60, SYS_getpgrp = 81,
	SYS_setpgid = 82, SYS_getdtablesize = 89, SYS_setpriority = 96, SYS_getpriority = 100,
	SYS_getrusage = 117, SYS_setsid = 147, SYS_getrlimit = 194, SYS_setrlimit = 195,
	SYS_getpgid = 207, SYS_issetugid = 253, SYS_getsid = 310, SYS_sigpending = 343,
	SYS_getrandom = 563,
};
enum { ESRCH = 3, EMFILE = 24 };
#define RLIMIT_CPU 0
#define RLIMIT_MEMLOCK 6 /* Linux 8 */
#define RLIMIT_NPROC 7   /* Linux 6 */
#define RLIMIT_NOFILE 8  /* Linux 7 */
#define RLIMIT_AS 10     /* Linux 9 */
#define RLIM_INFINITY 0x7fffffffffffffffL /* Linux ~0UL */
#define RUSAGE_SELF 0
#define RUSAGE_CHILDREN (-1)
#define RUSAGE_THREAD 1
#define PRIO_PROCESS 0
#define GRND_NONBLOCK 0x1
#define GRND_RANDOM 0x2
#define GRND_INSECURE 0x4

struct rlim { long cur, max; };
struct rusage {
	struct fbsd_timeval ru_utime, ru_stime;
	long ru_maxrss, ru_ixrss, ru_idrss, ru_isrss, ru_minflt, ru_majflt, ru_nswap,
		ru_inblock, ru_oublock, ru_msgsnd, ru_msgrcv, ru_nsignals, ru_nvcsw, ru_nivcsw;
};
_Static_assert(sizeof(struct rlim) == 16, "rlimit");
_Static_assert(sizeof(struct rusage) == 144 && OFF(struct rusage, ru_maxrss) == 32 &&
	OFF(struct rusage, ru_nivcsw) == 136, "rusage");

static long sysval(sysret r) { return r.cf ? -r.val : r.val; }

static long limit_arg(const char *s)
{
	return rt_streq(s, "unlimited") ? RLIM_INFINITY : rt_atol(s);
}

static void identity(char **argv)
{
	CHECK_EQ("getsid(0) (310) = the harness's session", sysval(SYS(SYS_getsid, 0)), rt_atol(argv[15]));
	CHECK_EQ("getuid (24) = id -ru", SYS(SYS_getuid).val, rt_atol(argv[1]));
	CHECK_EQ("geteuid (25) = id -u", SYS(SYS_geteuid).val, rt_atol(argv[2]));
	CHECK_EQ("getgid (47) = id -rg", SYS(SYS_getgid).val, rt_atol(argv[3]));
	CHECK_EQ("getegid (43) = id -g", SYS(SYS_getegid).val, rt_atol(argv[4]));
	CHECK_EQ("issetugid (253) = 0", sysval(SYS(SYS_issetugid)), 0);
}

static void limits(char **lim)
{
	static const struct { int res; const char *name; } r[] = {
		{RLIMIT_NOFILE, "RLIMIT_NOFILE 8"}, {RLIMIT_NPROC, "RLIMIT_NPROC 7"},
		{RLIMIT_MEMLOCK, "RLIMIT_MEMLOCK 6"}, {RLIMIT_AS, "RLIMIT_AS 10"},
	};
	struct rlim l;
	for (int i = 0; i < 4; i++) {
		l.cur = l.max = -2;
		CHECK_OK(rt_tag("getrlimit", r[i].name), SYS(SYS_getrlimit, r[i].res, &l));
		CHECK_EQ(rt_tag("soft limit as the shell's:", r[i].name), l.cur, limit_arg(lim[2 * i]));
		CHECK_EQ(rt_tag("hard limit as the shell's:", r[i].name), l.max, limit_arg(lim[2 * i + 1]));
	}
	CHECK_ERR("getrlimit(99) -> EINVAL", SYS(SYS_getrlimit, 99, &l), EINVAL);
}

/* A lowered RLIMIT_NOFILE soft limit bounds descriptor numbers. */
static void nofile(void)
{
	struct rlim old, l;
	int fds[80], n = 0;
	sysret r;

	SYS(SYS_getrlimit, RLIMIT_NOFILE, &old);
	if (old.cur < 64) {
		rt_note("soft RLIMIT_NOFILE below 64: descriptor checks skipped");
		return;
	}
	l.cur = 64;
	l.max = old.max; /* never raise a hard limit */
	CHECK_OK("setrlimit(RLIMIT_NOFILE, soft 64)", SYS(SYS_setrlimit, RLIMIT_NOFILE, &l));
	SYS(SYS_getrlimit, RLIMIT_NOFILE, &l);
	CHECK("getrlimit reads it back, hard limit unchanged", l.cur == 64 && l.max == old.max);
	CHECK_EQ("getdtablesize (89) = the soft limit", sysval(SYS(SYS_getdtablesize)), 64);
	for (;;) {
		r = SYS(SYS_open, "/dev/null", O_RDONLY);
		if (r.cf || n == 80)
			break;
		fds[n++] = (int)r.val;
	}
	CHECK_ERR("opening past the limit -> EMFILE 24", r, EMFILE);
	CHECK("the last descriptor opened was 63", n > 0 && fds[n - 1] == 63);
	CHECK_ERR("dup2 to 64 -> EBADF", SYS(SYS_dup2, 0, 64), EBADF);
	while (n > 0)
		SYS(SYS_close, fds[--n]);
	CHECK_OK("restore the soft limit", SYS(SYS_setrlimit, RLIMIT_NOFILE, &old));
	SYS(SYS_getrlimit, RLIMIT_NOFILE, &l);
	CHECK("restored", l.cur == old.cur && l.max == old.max);
	r = SYS(SYS_getrlimit, RLIMIT_CPU, &l);
	CHECK("RLIMIT_CPU 0 reads as a limit or RLIM_INFINITY 0x7fffffffffffffff",
		!r.cf && l.cur > 0 && l.max > 0);
}

static long usec(struct fbsd_timeval tv) { return tv.tv_sec * 1000000 + tv.tv_usec; }

static volatile long spin;

static void rusage(void)
{
	struct rusage a, b;

	memset(&a, 0xff, sizeof a);
	CHECK_OK("getrusage(RUSAGE_SELF)", SYS(SYS_getrusage, RUSAGE_SELF, &a));
	CHECK("ru_utime/ru_stime tv_usec < 1000000",
		a.ru_utime.tv_usec >= 0 && a.ru_utime.tv_usec < 1000000 && a.ru_stime.tv_usec < 1000000);
	CHECK("ru_maxrss > 0 (KiB)", a.ru_maxrss > 0);
	/* Busy user-mode work until ru_utime moves (at most ~10 s of wall time). */
	long t0 = rt_now_ns(CLOCK_MONOTONIC);
	b = a;
	while (usec(b.ru_utime) <= usec(a.ru_utime) && rt_now_ns(CLOCK_MONOTONIC) - t0 < 10000000000L) {
		for (int i = 0; i < 2000000; i++)
			spin += i;
		SYS(SYS_getrusage, RUSAGE_SELF, &b);
	}
	CHECK("ru_utime advances after a busy loop", usec(b.ru_utime) > usec(a.ru_utime));
	CHECK_OK("getrusage(RUSAGE_THREAD 1)", SYS(SYS_getrusage, RUSAGE_THREAD, &b));
	CHECK_OK("getrusage(RUSAGE_CHILDREN -1)", SYS(SYS_getrusage, RUSAGE_CHILDREN, &b));
	CHECK_ERR("getrusage(5) -> EINVAL", SYS(SYS_getrusage, 5, &b), EINVAL);
}

static long octal(const char *s)
{
	long v = 0;
	for (; *s >= '0' && *s <= '7'; s++)
		v = v * 8 + (*s - '0');
	return v;
}

/* A child reports N longs through one pipe and waits on another for the
 * parent's go-ahead (a byte), so that it is still alive while examined. */
static int rep_fds[2], go_fds[2];
static void report(const long *v, int n) { SYS(SYS_write, rep_fds[1], v, n * sizeof *v); }
static int collect(long *v, int n)
{
	return SYS(SYS_read, rep_fds[0], v, n * sizeof *v).val == (long)(n * sizeof *v);
}
static void await_go(void)
{
	char c;
	SYS(SYS_read, go_fds[0], &c, 1);
}
static void send_go(void) { SYS(SYS_write, go_fds[1], "g", 1); }

static void priority(long nice)
{
	sysret r = SYS(SYS_getpriority, PRIO_PROCESS, 0);
	long v[3], pid;

	CHECK_OK("getpriority(PRIO_PROCESS, 0)", r);
	CHECK_EQ("getpriority returns the nice value itself (not 20 - nice)", r.val, nice);
	/* A child lowers its own priority; the parent reads it by pid. */
	pid = rt_fork();
	if (pid == 0) {
		v[0] = sysval(SYS(SYS_setpriority, PRIO_PROCESS, 0, nice + 3));
		v[1] = sysval(SYS(SYS_getpriority, PRIO_PROCESS, 0));
		report(v, 2);
		await_go();
		rt_exit(0);
	}
	if (!CHECK("fork", pid > 0) || !collect(v, 2))
		return;
	CHECK_EQ("child: setpriority(PRIO_PROCESS, 0, nice + 3)", v[0], 0);
	CHECK_EQ("child: getpriority = nice + 3", v[1], nice + 3);
	CHECK_EQ("parent: getpriority(PRIO_PROCESS, child) = nice + 3",
		sysval(SYS(SYS_getpriority, PRIO_PROCESS, pid)), nice + 3);
	send_go();
	rt_wait(pid);
	CHECK_ERR("getpriority of a missing process -> ESRCH",
		SYS(SYS_getpriority, PRIO_PROCESS, 0x7ffffff0), ESRCH);
	CHECK_ERR("getpriority(which 7) -> EINVAL", SYS(SYS_getpriority, 7, 0), EINVAL);
}

static void sessions(long me)
{
	long v[5], pid;

	pid = rt_fork();
	if (pid == 0) {
		v[0] = SYS(SYS_getpid).val;
		v[1] = SYS(SYS_getppid).val;
		v[2] = sysval(SYS(SYS_setsid));
		v[3] = sysval(SYS(SYS_getsid, 0));
		v[4] = sysval(SYS(SYS_getpgid, 0));
		report(v, 5);
		rt_exit(0);
	}
	if (CHECK("fork", pid > 0) && collect(v, 5)) {
		CHECK_EQ("child: getpid = pid fork returned", v[0], pid);
		CHECK_EQ("child: getppid = parent's getpid", v[1], me);
		CHECK_EQ("child: setsid (147) returns the child's pid", v[2], pid);
		CHECK_EQ("child: getsid(0) = its pid", v[3], pid);
		CHECK_EQ("child: getpgid(0) = its pid", v[4], pid);
		rt_wait(pid);
	}
	pid = rt_fork();
	if (pid == 0) {
		v[0] = sysval(SYS(SYS_setpgid, 0, 0));
		v[1] = sysval(SYS(SYS_getpgid, 0));
		v[2] = sysval(SYS(SYS_getpgrp));
		v[3] = sysval(SYS(SYS_setsid)); /* a group leader may not */
		report(v, 4);
		await_go();
		rt_exit(0);
	}
	if (CHECK("fork", pid > 0) && collect(v, 4)) {
		CHECK_EQ("child: setpgid(0, 0)", v[0], 0);
		CHECK_EQ("child: getpgid(0) = its pid", v[1], pid);
		CHECK_EQ("child: getpgrp = its pid", v[2], pid);
		CHECK_EQ("child: setsid as a group leader -> EPERM", v[3], -EPERM);
		CHECK_EQ("parent: getpgid(child) = child", sysval(SYS(SYS_getpgid, pid)), pid);
		send_go();
		rt_wait(pid);
	}
	CHECK_EQ("getpgid(0) = getpgrp", sysval(SYS(SYS_getpgid, 0)), sysval(SYS(SYS_getpgrp)));
	CHECK_EQ("getpgid(getpid()) = getpgid(0)", sysval(SYS(SYS_getpgid, me)), sysval(SYS(SYS_getpgid, 0)));
	CHECK_ERR("getpgid of a missing process -> ESRCH", SYS(SYS_getpgid, 0x7ffffff0), ESRCH);
	CHECK_ERR("setpgid of a missing process -> ESRCH", SYS(SYS_setpgid, 0x7ffffff0, 0), ESRCH);
}

static volatile int usr2_count;
static void on_usr2(int sig) { usr2_count++; }

static void pending(long me)
{
	fbsd_sigset set = {{0}}, got, none = {{0}};
	SIGSET_ADD(set, SIGUSR2);
	rt_signal(SIGUSR2, (void *)on_usr2, 0);
	SYS(SYS_sigprocmask, SIG_BLOCK, &set, 0);
	SYS(SYS_kill, me, SIGUSR2);
	memset(&got, 0, sizeof got);
	CHECK_OK("sigpending (343)", SYS(SYS_sigpending, &got));
	rt_check_mem("a blocked SIGUSR2 sent to self is pending (bit 30 of word 0)", &got, &set,
		sizeof set);
	CHECK_EQ("the handler has not run", usr2_count, 0);
	SYS(SYS_sigprocmask, SIG_UNBLOCK, &set, 0);
	CHECK_EQ("unblocking runs it once", usr2_count, 1);
	SYS(SYS_sigpending, &got);
	rt_check_mem("nothing pending afterwards", &got, &none, sizeof none);
}

static void randomness(void)
{
	u8 a[64], b[64], zero[64] = {0};
	memset(a, 0, sizeof a);
	memset(b, 0, sizeof b);
	CHECK_EQ("getrandom (563) fills 64 bytes", sysval(SYS(SYS_getrandom, a, sizeof a, 0)), 64);
	CHECK("not all zero", memcmp(a, zero, sizeof a) != 0);
	CHECK_EQ("getrandom GRND_NONBLOCK", sysval(SYS(SYS_getrandom, b, sizeof b, GRND_NONBLOCK)), 64);
	CHECK("two calls differ", memcmp(a, b, sizeof a) != 0);
	CHECK_EQ("getrandom of 0 bytes returns 0", sysval(SYS(SYS_getrandom, a, 0, 0)), 0);
	/* GRND_VALIDFLAGS = NONBLOCK|RANDOM|INSECURE; RANDOM is ignored and
	 * INSECURE means NONBLOCK, so the pair is valid (Linux refuses it). */
	CHECK_EQ("GRND_RANDOM|GRND_INSECURE is accepted",
		sysval(SYS(SYS_getrandom, a, 16, GRND_RANDOM | GRND_INSECURE)), 16);
	CHECK_ERR("unknown flag 0x8 -> EINVAL", SYS(SYS_getrandom, a, 16, 0x8), EINVAL);
}

int main(int argc, char **argv, char **envp)
{
	long me = SYS(SYS_getpid).val, old;

	if (argc < 16) {
		rt_note("usage: procinfo RUID EUID RGID EGID UMASK NICE NOFILE(s h) NPROC MEMLOCK AS SID");
		return 2;
	}
	identity(argv);
	limits(argv + 7);
	nofile();
	rusage();
	old = sysval(SYS(SYS_umask, 027));
	CHECK_EQ("umask (60) returns the old mask (the shell's)", old, octal(argv[5]));
	CHECK_EQ("umask returns the mask just set", sysval(SYS(SYS_umask, old)), 027);
	SYS(SYS_pipe2, rep_fds, 0);
	SYS(SYS_pipe2, go_fds, 0);
	priority(rt_atol(argv[6]));
	sessions(me);
	pending(me);
	randomness();
	return rt_done();
}
