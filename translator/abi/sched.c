/* Scheduling: sched_* (POSIX), rtprio/rtprio_thread (FreeBSD), yield and
 * sched_getcpu. Policy numbers differ: FreeBSD SCHED_FIFO 1, SCHED_OTHER 2,
 * SCHED_RR 3; Linux OTHER 0, FIFO 1, RR 2. */
#include "../trap/dispatch.h"
#include "../rt/rt.h"
#include <asm-generic/errno.h>

#define F_SCHED_FIFO 1
#define F_SCHED_OTHER 2
#define F_SCHED_RR 3

static int policy_f2l(int p)
{
	return p == F_SCHED_FIFO ? 1 : p == F_SCHED_RR ? 2 : p == F_SCHED_OTHER ? 0 : -1;
}

static int policy_l2f(int p)
{
	return p == 1 ? F_SCHED_FIFO : p == 2 ? F_SCHED_RR : F_SCHED_OTHER;
}

/* A FreeBSD pid argument of 0 means the caller, as on Linux. */
long sys_sched_setparam(struct sysctx *c)
{
	return lsys2(__NR_sched_setparam, ARG_INT(c, 0), c->a[1]);
}

long sys_sched_getparam(struct sysctx *c)
{
	return lsys2(__NR_sched_getparam, ARG_INT(c, 0), c->a[1]);
}

long sys_sched_setscheduler(struct sysctx *c)
{
	int lp = policy_f2l(ARG_INT(c, 1));
	if (lp < 0)
		return -EINVAL;
	return lsys3(__NR_sched_setscheduler, ARG_INT(c, 0), lp, c->a[2]);
}

long sys_sched_getscheduler(struct sysctx *c)
{
	long r = lsys1(__NR_sched_getscheduler, ARG_INT(c, 0));
	return lerr(r) ? r : policy_l2f((int)r);
}

/* FreeBSD kern/ksched.c: real-time classes use RTP_PRIO_MIN..MAX (0..31),
 * SCHED_OTHER the nice range. */
long sys_sched_get_priority_max(struct sysctx *c)
{
	int p = ARG_INT(c, 0);
	if (p == F_SCHED_FIFO || p == F_SCHED_RR)
		return 31;
	return p == F_SCHED_OTHER ? 20 : -EINVAL;
}

long sys_sched_get_priority_min(struct sysctx *c)
{
	int p = ARG_INT(c, 0);
	if (p == F_SCHED_FIFO || p == F_SCHED_RR)
		return 0;
	if (p != F_SCHED_OTHER)
		return -EINVAL;
	/* -20 is a valid answer, not an errno: write it ourselves. */
	c->uc->uc_mcontext.rax = (uint64_t)-20L;
	c->uc->uc_mcontext.eflags &= ~1UL;
	c->justreturn = 1;
	return 0;
}

long sys_sched_rr_get_interval(struct sysctx *c)
{
	return lsys2(__NR_sched_rr_get_interval, ARG_INT(c, 0), c->a[1]);
}

long sys_yield(struct sysctx *c)
{
	(void)c;
	return lsys0(__NR_sched_yield);
}

long sys_sched_getcpu(struct sysctx *c)
{
	(void)c;
	unsigned cpu = 0;
	long r = lsys3(__NR_getcpu, &cpu, 0, 0);
	return lerr(r) ? r : (long)cpu;
}

/* struct rtprio { u_short type, prio; }: RTP_PRIO_REALTIME 2 (SCHED_RR),
 * RTP_PRIO_NORMAL 3, RTP_PRIO_IDLE 4 (SCHED_IDLE); RTP_LOOKUP 0, RTP_SET 1. */
static long rtprio_of(int tid, int function, uint16_t *rtp)
{
	if (function == 0) {
		long pol = lsys1(__NR_sched_getscheduler, tid);
		if (lerr(pol))
			return pol;
		int prio = 0;
		lsys2(__NR_sched_getparam, tid, &prio);
		rtp[0] = pol == 2 || pol == 1 ? 2 : pol == 5 ? 4 : 3;
		rtp[1] = (uint16_t)(rtp[0] == 2 ? 31 - (prio > 31 ? 31 : prio) : 0);
		return 0;
	}
	if (function != 1)
		return -EINVAL;
	if (rtp[1] > 31)
		return -EINVAL;
	int param;
	switch (rtp[0]) {
	case 2: /* lower FreeBSD value = higher priority */
		param = 31 - rtp[1] + 1;
		return lsys3(__NR_sched_setscheduler, tid, 2, &param);
	case 3:
		param = 0;
		return lsys3(__NR_sched_setscheduler, tid, 0, &param);
	case 4:
		param = 0;
		return lsys3(__NR_sched_setscheduler, tid, 5, &param);
	}
	return -EINVAL;
}

long sys_rtprio_thread(struct sysctx *c)
{
	long id = (long)c->a[1];
	int tid = id == 0 ? 0 : (int)(id - FBSD_TID_OFFSET);
	if (id != 0 && id <= FBSD_TID_OFFSET)
		return -ESRCH;
	return rtprio_of(tid, ARG_INT(c, 0), ARG_PTR(c, 2));
}

long sys_rtprio(struct sysctx *c)
{
	return rtprio_of(ARG_INT(c, 1), ARG_INT(c, 0), ARG_PTR(c, 2));
}
