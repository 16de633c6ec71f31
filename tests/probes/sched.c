/* Scheduling calls: policy numbers (FreeBSD SCHED_FIFO 1, SCHED_OTHER 2,
 * SCHED_RR 3), priority ranges (kern/ksched.c: real-time 0..31, other
 * -20..20), rtprio_thread (struct rtprio, RTP_PRIO_NORMAL 3), and
 * thr_suspend/thr_wake (startup.md "Other thread calls"). */
#include "probe.h"

enum { ESRCH_ = 3, ETIMEDOUT_ = 60 };

enum { SYS_yield = 321, SYS_mlockall = 324, SYS_munlockall = 325, SYS_sched_getscheduler = 330,
       SYS_sched_get_priority_max = 332, SYS_sched_get_priority_min = 333,
       SYS_thr_suspend_ = 442, SYS_thr_wake_ = 443, SYS_rtprio_thread_ = 466,
       SYS_sched_getcpu = 581, SYS_thr_self_ = 432 };

int main(int argc, char **argv, char **envp)
{
	CHECK_EQ("sched_getscheduler(0) = SCHED_OTHER 2", SYS(SYS_sched_getscheduler, 0).val, 2);
	CHECK_EQ("priority max SCHED_FIFO = 31", SYS(SYS_sched_get_priority_max, 1).val, 31);
	CHECK_EQ("priority min SCHED_RR = 0", SYS(SYS_sched_get_priority_min, 3).val, 0);
	CHECK_EQ("priority max SCHED_OTHER = 20", SYS(SYS_sched_get_priority_max, 2).val, 20);
	sysret r = SYS(SYS_sched_get_priority_min, 2);
	CHECK_EQ("priority min SCHED_OTHER = -20 (a value, CF clear)", r.val, -20);
	CHECK_EQ("priority min SCHED_OTHER: CF clear", r.cf, 0);
	CHECK_ERR("priority max of policy 9 -> EINVAL", SYS(SYS_sched_get_priority_max, 9), EINVAL);

	unsigned short rtp[2] = { 0xffff, 0xffff };
	CHECK_OK("rtprio_thread(RTP_LOOKUP, self)", SYS(SYS_rtprio_thread_, 0, 0, rtp));
	CHECK_EQ("rtprio type = RTP_PRIO_NORMAL 3", rtp[0], 3);
	CHECK_OK("yield", SYS(SYS_yield));
	r = SYS(SYS_sched_getcpu);
	CHECK("sched_getcpu >= 0", r.cf == 0 && r.val >= 0);

	long self = 0;
	SYS(SYS_thr_self_, &self);
	CHECK_OK("thr_wake(self) before suspending", SYS(SYS_thr_wake_, self));
	struct { long sec, nsec; } ten_ms = { 0, 10000000 };
	CHECK_OK("thr_suspend returns at once after an earlier thr_wake",
		 SYS(SYS_thr_suspend_, &ten_ms));
	CHECK_ERR("thr_suspend(10 ms) with no wake -> ETIMEDOUT 60",
		  SYS(SYS_thr_suspend_, &ten_ms), ETIMEDOUT_);
	CHECK_ERR("thr_wake(no such thread) -> ESRCH 3", SYS(SYS_thr_wake_, 99), ESRCH_);
	CHECK_OK("mlockall(MCL_CURRENT)", SYS(SYS_mlockall, 1));
	CHECK_OK("munlockall", SYS(SYS_munlockall));
	return rt_done();
}
