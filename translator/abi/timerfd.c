/* FreeBSD 15's timerfd (sys_timerfd.c), on Linux timerfd: the same
 * itimerspec layout, settime flags and read format (a uint64_t count);
 * clock ids and creation flags are FreeBSD's. */
#include "../trap/dispatch.h"
#include "../rt/rt.h"
#include "xlate.h"
#include <asm-generic/errno.h>
#include <linux/fcntl.h>
#include <linux/time.h>

#define FTFD_NONBLOCK 0x4      /* O_NONBLOCK */
#define FTFD_CLOEXEC 0x100000  /* O_CLOEXEC */
#define FTFD_TIMER_ABSTIME 0x1 /* as Linux */
#define FTFD_TIMER_CANCEL_ON_SET 0x2


long sys_timerfd_create(struct sysctx *c)
{
	int flags = ARG_INT(c, 1);
	int clock = clock_f2l(ARG_INT(c, 0));
	/* The kernel takes the wall clock and the uptime clocks only. */
	if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC && clock != CLOCK_BOOTTIME)
		return -EINVAL;
	if (flags & ~(FTFD_NONBLOCK | FTFD_CLOEXEC))
		return -EINVAL;
	int lf = (flags & FTFD_NONBLOCK ? O_NONBLOCK : 0) | (flags & FTFD_CLOEXEC ? O_CLOEXEC : 0);
	return lsys2(__NR_timerfd_create, clock, lf);
}

long sys_timerfd_gettime(struct sysctx *c)
{
	return lsys2(__NR_timerfd_gettime, ARG_INT(c, 0), c->a[1]);
}

long sys_timerfd_settime(struct sysctx *c)
{
	int flags = ARG_INT(c, 1);
	if (flags & ~(FTFD_TIMER_ABSTIME | FTFD_TIMER_CANCEL_ON_SET))
		return -EINVAL;
	return lsys4(__NR_timerfd_settime, ARG_INT(c, 0), flags, c->a[2], c->a[3]);
}
