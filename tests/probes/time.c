/* Probe: clocks, sleeps and the real interval timer.
 * Clock ids, TIMER_ABSTIME, ITIMER_REAL: constants.md "Clock ids and timer
 * flags"; timespec/timeval/itimerval: structs.md §2. Semantics from
 * FreeBSD's kern_time.c: CLOCK_SECOND is time_second with tv_nsec 0 and a
 * resolution of 1 s; unknown ids are EINVAL; clock_nanosleep returns its
 * error as the value (kern_posix_error: CF clear), sleeps on the REALTIME,
 * MONOTONIC and UPTIME families (FAST and SECOND included), refuses the CPU
 * clocks (ENOTSUP 45, thread clock EINVAL); a sleep with a negative tv_sec
 * returns 0 at once; setitimer with a NULL new value is getitimer. */
#include "probe.h"

enum { SYS_getitimer = 86, ENOTSUP = 45 };

static const int clocks[] = {0, 1, 2, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15};
static const char *const names[] = {"REALTIME 0", "VIRTUAL 1", "PROF 2", "MONOTONIC 4",
	"UPTIME 5", "UPTIME_PRECISE 7", "UPTIME_FAST 8", "REALTIME_PRECISE 9",
	"REALTIME_FAST 10", "MONOTONIC_PRECISE 11", "MONOTONIC_FAST 12", "SECOND 13",
	"THREAD_CPUTIME_ID 14", "PROCESS_CPUTIME_ID 15"};

static long ts_ns(struct fbsd_timespec t)
{
	return t.tv_sec * 1000000000L + t.tv_nsec;
}

static void clock_ids(void)
{
	struct fbsd_timespec t, res, rt;
	long mono_prev[16] = {0};

	for (unsigned i = 0; i < sizeof clocks / sizeof clocks[0]; i++) {
		int id = clocks[i];
		t.tv_sec = t.tv_nsec = -1;
		CHECK_OK(rt_tag("clock_gettime", names[i]), SYS(SYS_clock_gettime, id, &t));
		CHECK(rt_tag("tv_nsec in [0, 1e9)", names[i]), t.tv_nsec >= 0 && t.tv_nsec < 1000000000L);
		CHECK(rt_tag("tv_sec >= 0", names[i]), t.tv_sec >= 0);
		res.tv_sec = res.tv_nsec = -1;
		CHECK_OK(rt_tag("clock_getres", names[i]), SYS(SYS_clock_getres, id, &res));
		if (id == 13)
			CHECK_EQ("clock_getres SECOND = {1, 0}", ts_ns(res), 1000000000L);
		else
			CHECK(rt_tag("clock_getres in (0, 1 s)", names[i]), res.tv_sec == 0 && res.tv_nsec > 0);
	}
	SYS(SYS_clock_gettime, CLOCK_REALTIME, &rt);
	SYS(SYS_clock_gettime, 13, &t);
	CHECK_EQ("CLOCK_SECOND tv_nsec = 0", t.tv_nsec, 0);
	CHECK("CLOCK_SECOND tv_sec = realtime seconds (+-1)", t.tv_sec >= rt.tv_sec - 1 && t.tv_sec <= rt.tv_sec + 1);
	SYS(SYS_clock_gettime, 10, &t);
	CHECK("REALTIME_FAST within 1 s of REALTIME", t.tv_sec >= rt.tv_sec - 1 && t.tv_sec <= rt.tv_sec + 1);
	SYS(SYS_clock_gettime, 9, &t);
	CHECK("REALTIME_PRECISE within 1 s of REALTIME", t.tv_sec >= rt.tv_sec - 1 && t.tv_sec <= rt.tv_sec + 1);

	/* The MONOTONIC and UPTIME families never go back. */
	static const int mono[] = {4, 5, 7, 8, 11, 12};
	int back = 0;
	for (int n = 0; n < 2000; n++)
		for (unsigned k = 0; k < sizeof mono / sizeof mono[0]; k++) {
			SYS(SYS_clock_gettime, mono[k], &t);
			if (ts_ns(t) < mono_prev[k])
				back++;
			mono_prev[k] = ts_ns(t);
		}
	CHECK_EQ("monotonic clocks (4 5 7 8 11 12): 12000 reads never go back", back, 0);

	static const int bad[] = {3, 6, 16, 1000};
	for (unsigned k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		CHECK_ERR("clock_gettime of an unknown id (3 6 16 1000) -> EINVAL 22", SYS(SYS_clock_gettime, bad[k], &t), EINVAL);
		CHECK_ERR("clock_getres of an unknown id -> EINVAL 22", SYS(SYS_clock_getres, bad[k], &t), EINVAL);
	}
}

static void cputime(void)
{
	struct fbsd_timespec th0, th, pr;
	long wall0 = rt_now_ns(CLOCK_MONOTONIC);

	SYS(SYS_clock_gettime, 14, &th0);
	do /* burn ~5 ms of CPU (bounded by 2 s of wall time) */
		SYS(SYS_clock_gettime, 14, &th);
	while (ts_ns(th) - ts_ns(th0) < 5000000 && rt_now_ns(CLOCK_MONOTONIC) - wall0 < 2000000000L);
	SYS(SYS_clock_gettime, 15, &pr);
	CHECK("thread CPU time advances while spinning", ts_ns(th) - ts_ns(th0) >= 5000000);
	CHECK("process CPU time >= this thread's", ts_ns(pr) >= ts_ns(th));
}

static void gettimeofday(void)
{
	struct fbsd_timeval tv = {-1, -1};
	struct { int minuteswest, dsttime; } tz = {77, 77};
	long a, b, us;

	a = rt_now_ns(CLOCK_REALTIME);
	CHECK_OK("gettimeofday(&tv, &tz)", SYS(SYS_gettimeofday, &tv, &tz));
	b = rt_now_ns(CLOCK_REALTIME);
	us = tv.tv_sec * 1000000L + tv.tv_usec;
	CHECK("gettimeofday between two CLOCK_REALTIME reads", us >= a / 1000 && us <= b / 1000 + 1);
	CHECK("tv_usec in [0, 1e6)", tv.tv_usec >= 0 && tv.tv_usec < 1000000);
	CHECK_EQ("timezone zeroed {0, 0}", tz.minuteswest * 100 + tz.dsttime, 0);
}

static volatile int alarms;
static void on_alrm(int sig)
{
	alarms++;
}

static void arm(long usec)
{
	struct fbsd_itimerval it = {{0, 0}, {usec / 1000000, usec % 1000000}};
	SYS(SYS_setitimer, ITIMER_REAL, &it, 0);
}

static void sleeps(void)
{
	struct fbsd_timespec rq = {2, 0}, rm = {-1, -1}, abs;
	struct fbsd_itimerval q, o;
	long t0, el;
	sysret r;

	CHECK_EQ("sigaction(SIGALRM) handler", rt_signal(SIGALRM, (void *)on_alrm, 0), 0);
	arm(50000);
	t0 = rt_now_ns(CLOCK_MONOTONIC);
	r = SYS(SYS_nanosleep, &rq, &rm);
	el = rt_ms_since(t0);
	CHECK_ERR("nanosleep(2 s) interrupted by SIGALRM (setitimer 50 ms) -> EINTR 4", r, EINTR);
	CHECK_EQ("... the handler ran once", alarms, 1);
	CHECK("... woke well before 2 s", el < 1500);
	CHECK("... remaining time written: between 0.5 s and 2 s", ts_ns(rm) > 500000000L && ts_ns(rm) < 2000000000L);
	CHECK("... remaining + slept ~ 2 s (+-300 ms)", ts_ns(rm) / 1000000 + el > 1700 && ts_ns(rm) / 1000000 + el < 2300);

	rq = (struct fbsd_timespec){-1, 0};
	CHECK_OK("nanosleep with tv_sec -1 returns 0 at once", SYS(SYS_nanosleep, &rq, 0));
	rq = (struct fbsd_timespec){0, 1000000000L};
	CHECK_ERR("nanosleep with tv_nsec 1e9 -> EINVAL", SYS(SYS_nanosleep, &rq, 0), EINVAL);

	/* clock_nanosleep: the error is the return value, CF stays clear. */
	SYS(SYS_clock_gettime, CLOCK_MONOTONIC, &abs);
	abs.tv_nsec += 50000000;
	if (abs.tv_nsec >= 1000000000L)
		abs.tv_sec++, abs.tv_nsec -= 1000000000L;
	t0 = rt_now_ns(CLOCK_MONOTONIC);
	r = SYS_STC(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, 0);
	CHECK_EQ("clock_nanosleep(MONOTONIC, TIMER_ABSTIME, now + 50 ms) = 0", r.val, 0);
	CHECK_EQ("... CF clear", r.cf, 0);
	CHECK("... slept until the deadline", rt_now_ns(CLOCK_MONOTONIC) >= ts_ns(abs) && rt_now_ns(CLOCK_MONOTONIC) - t0 >= 49000000L);
	SYS(SYS_clock_gettime, CLOCK_REALTIME, &abs);
	abs.tv_sec -= 10;
	CHECK_EQ("clock_nanosleep(REALTIME, TIMER_ABSTIME, past) = 0", SYS(SYS_clock_nanosleep, 0, TIMER_ABSTIME, &abs, 0).val, 0);
	rq = (struct fbsd_timespec){0, 1000000};
	static const int sleepable[] = {5, 7, 8, 9, 10, 11, 12, 13};
	for (unsigned k = 0; k < sizeof sleepable / sizeof sleepable[0]; k++) {
		r = SYS_STC(SYS_clock_nanosleep, sleepable[k], 0, &rq, 0);
		CHECK_EQ("clock_nanosleep 1 ms on UPTIME/FAST/PRECISE/SECOND (5 7-13) = 0, CF clear", r.val + r.cf * 1000, 0);
	}
	r = SYS_STC(SYS_clock_nanosleep, 15, 0, &rq, 0);
	CHECK_EQ("clock_nanosleep(PROCESS_CPUTIME_ID) = ENOTSUP 45 as value", r.val + r.cf * 1000, ENOTSUP);
	r = SYS_STC(SYS_clock_nanosleep, 14, 0, &rq, 0);
	CHECK_EQ("clock_nanosleep(THREAD_CPUTIME_ID) = EINVAL 22 as value", r.val + r.cf * 1000, EINVAL);
	r = SYS_STC(SYS_clock_nanosleep, 3, 0, &rq, 0);
	CHECK_EQ("clock_nanosleep(unknown id 3) = EINVAL 22 as value", r.val + r.cf * 1000, EINVAL);
	r = SYS_STC(SYS_clock_nanosleep, CLOCK_MONOTONIC, 2, &rq, 0);
	CHECK_EQ("clock_nanosleep(flags 2) = EINVAL 22 as value", r.val + r.cf * 1000, EINVAL);

	rq = (struct fbsd_timespec){2, 0};
	rm = (struct fbsd_timespec){-1, -1};
	arm(50000);
	r = SYS_STC(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &rq, &rm);
	CHECK_EQ("clock_nanosleep interrupted by SIGALRM = EINTR 4 as value", r.val, EINTR);
	CHECK_EQ("... CF clear", r.cf, 0);
	CHECK_EQ("... the handler ran", alarms, 2);
	CHECK("... remaining time written", ts_ns(rm) > 500000000L && ts_ns(rm) < 2000000000L);

	/* setitimer(ITIMER_REAL, NULL, &old) reads the timer, as getitimer. */
	arm(10000000);
	memset(&o, 0xff, sizeof o);
	CHECK_OK("setitimer(ITIMER_REAL, NULL, &old)", SYS(SYS_setitimer, ITIMER_REAL, 0, &o));
	CHECK("... old it_value ~10 s", o.it_value.tv_sec >= 8 && o.it_value.tv_sec <= 10);
	memset(&q, 0, sizeof q);
	CHECK_OK("getitimer(ITIMER_REAL)", SYS(SYS_getitimer, ITIMER_REAL, &q));
	CHECK("... still armed afterwards (~10 s)", q.it_value.tv_sec >= 8 && q.it_value.tv_sec <= 10);
	q = (struct fbsd_itimerval){{0, 0}, {0, 0}};
	CHECK_OK("setitimer zero disarms, old value returned", SYS(SYS_setitimer, ITIMER_REAL, &q, &o));
	CHECK("... old it_value ~10 s", o.it_value.tv_sec >= 8 && o.it_value.tv_sec <= 10);
	SYS(SYS_getitimer, ITIMER_REAL, &q);
	CHECK_EQ("... now disarmed", q.it_value.tv_sec + q.it_value.tv_usec, 0);
	CHECK_ERR("setitimer(which 3) -> EINVAL", SYS(SYS_setitimer, 3, &q, 0), EINVAL);
}

int main(int argc, char **argv, char **envp)
{
	clock_ids();
	cputime();
	gettimeofday();
	sleeps();
	return rt_done();
}
