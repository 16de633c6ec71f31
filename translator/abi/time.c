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
	if (id == -1000)
		return -EINVAL;
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

long sys_nanosleep(struct sysctx *c)
{
	c->norestart = 1;
	return bsys(__NR_nanosleep, c->a[0], c->a[1], 0, 0, 0, 0);
}

/* clock_nanosleep returns the error number itself, never -1 (POSIX). */
long sys_clock_nanosleep(struct sysctx *c)
{
	c->norestart = 1;
	int id = clock_f2l(ARG_INT(c, 0));
	if (id == -1000)
		return FE_INVAL;
	long r = bsys(__NR_clock_nanosleep, id, ARG_INT(c, 1), c->a[2], c->a[3], 0, 0);
	if (r == -EINTR)
		return -EINTR; /* a signal is delivered; EINTR in rax either way */
	return lerr(r) ? errno_l2f((int)-r) : 0;
}

long sys_setitimer(struct sysctx *c)
{
	return lsys3(__NR_setitimer, ARG_INT(c, 0), c->a[1], c->a[2]);
}

long sys_getitimer(struct sysctx *c)
{
	return lsys2(__NR_getitimer, ARG_INT(c, 0), c->a[1]);
}
