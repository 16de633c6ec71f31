/* Clocks, sleeping and interval timers. */
#include "../trap/dispatch.h"
#include "../rt/rt.h"
#include "xlate.h"
#include <asm-generic/errno.h>

/* FreeBSD clock id -> Linux clock id (constants.md "Clock ids"). */
int clock_f2l(int id)
{
	switch (id) {
	case 0: case 9: return 0;          /* REALTIME(_PRECISE) */
	case 10: case 13: return 5;        /* REALTIME_FAST, SECOND -> REALTIME_COARSE */
	case 4: case 11: return 1;         /* MONOTONIC(_PRECISE) */
	case 5: case 7: return 1;          /* UPTIME(_PRECISE): no suspend here */
	case 8: case 12: return 6;         /* *_FAST -> MONOTONIC_COARSE */
	case 14: return 3;                 /* THREAD_CPUTIME_ID */
	case 15: return 2;                 /* PROCESS_CPUTIME_ID */
	case 1: case 2: return 2;          /* VIRTUAL, PROF: process CPU time */
	}
	if (id < 0)
		return id; /* dynamic CPU clocks (clock_getcpuclockid2) pass through */
	return -1000;
}

long sys_clock_gettime(struct sysctx *c)
{
	int id = clock_f2l(ARG_INT(c, 0));
	if (id == -1000)
		return -EINVAL;
	long r = lsys2(__NR_clock_gettime, id, c->a[1]);
	if (r == 0 && ARG_INT(c, 0) == 13)
		((struct ftimespec *)c->a[1])->tv_nsec = 0;
	return r;
}

long sys_clock_getres(struct sysctx *c)
{
	int id = clock_f2l(ARG_INT(c, 0));
	struct ftimespec *tp = ARG_PTR(c, 1);
	if (!tp)
		return 0; /* kern_clock_getres is not even consulted */
	if (id == -1000)
		return -EINVAL;
	if (ARG_INT(c, 0) == 13) { /* CLOCK_SECOND ticks in whole seconds */
		tp->tv_sec = 1;
		tp->tv_nsec = 0;
		return 0;
	}
	return lsys2(__NR_clock_getres, id, c->a[1]);
}

long sys_clock_settime(struct sysctx *c)
{
	int id = clock_f2l(ARG_INT(c, 0));
	return id == -1000 ? -EINVAL : lsys2(__NR_clock_settime, id, c->a[1]);
}

long sys_gettimeofday(struct sysctx *c)
{
	if (c->a[1])
		memset((void *)c->a[1], 0, 8);
	return c->a[0] ? lsys2(__NR_gettimeofday, c->a[0], 0) : 0;
}

long sys_settimeofday(struct sysctx *c)
{
	return lsys2(__NR_settimeofday, c->a[0], 0);
}

/* kern_clock_nanosleep checks tv_nsec only: a negative tv_sec is a sleep
 * that is already over (0), where Linux says EINVAL. */
long sys_nanosleep(struct sysctx *c)
{
	const struct ftimespec *rq = ARG_PTR(c, 0);
	if (rq->tv_nsec < 0 || rq->tv_nsec >= 1000000000)
		return -EINVAL;
	if (rq->tv_sec < 0)
		return 0;
	c->norestart = 1;
	return bsys(__NR_nanosleep, c->a[0], c->a[1], 0, 0, 0, 0);
}

/* The clocks FreeBSD can sleep on (kern_clock_nanosleep): the REALTIME,
 * MONOTONIC and UPTIME families, FAST and SECOND included (Linux cannot
 * sleep on its COARSE clocks, so those use the precise ones); the CPU
 * clocks are refused, not slept on. Returns the Linux id or -(FreeBSD errno). */
static int sleep_clock_f2l(int id)
{
	switch (id) {
	case 0: case 9: case 10: case 13: return 0;             /* CLOCK_REALTIME */
	case 4: case 5: case 7: case 8: case 11: case 12: return 1; /* CLOCK_MONOTONIC */
	case 1: case 2: case 15: return -FE_OPNOTSUPP;          /* VIRTUAL, PROF, PROCESS_CPUTIME */
	default: return -FE_INVAL;                              /* THREAD_CPUTIME, unknown */
	}
}

/* clock_nanosleep returns the error number itself with the carry clear
 * (kern_posix_error), EINTR included. */
long sys_clock_nanosleep(struct sysctx *c)
{
	int flags = ARG_INT(c, 1);
	const struct ftimespec *rq = ARG_PTR(c, 2);
	c->norestart = 1;
	if (rq->tv_nsec < 0 || rq->tv_nsec >= 1000000000 || (flags & ~1 /* TIMER_ABSTIME */))
		return FE_INVAL;
	int id = sleep_clock_f2l(ARG_INT(c, 0));
	if (id < 0)
		return -id;
	if (rq->tv_sec < 0)
		return 0;
	long r = bsys(__NR_clock_nanosleep, id, flags, c->a[2], c->a[3], 0, 0);
	return lerr(r) ? errno_l2f((int)-r) : 0;
}

/* A NULL new value makes setitimer a getitimer into the old-value pointer
 * (sys_setitimer); Linux would disarm the timer instead. */
long sys_setitimer(struct sysctx *c)
{
	if (!c->a[1])
		return c->a[2] ? lsys2(__NR_getitimer, ARG_INT(c, 0), c->a[2]) : -EFAULT;
	return lsys3(__NR_setitimer, ARG_INT(c, 0), c->a[1], c->a[2]);
}

long sys_getitimer(struct sysctx *c)
{
	return lsys2(__NR_getitimer, ARG_INT(c, 0), c->a[1]);
}
