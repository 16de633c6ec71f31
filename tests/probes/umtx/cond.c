/* umtx probe: struct ucond ops (CV_WAIT 8, CV_SIGNAL 9, CV_BROADCAST 10).
 * CV_WAIT releases the umutex in uaddr1 and sleeps; the kernel does not
 * take the mutex back (libthr does). c_has_waiters is non-zero while
 * waiters sleep and zero once a signal or broadcast took the last one. */
#include "uthr.h"

#define NW 3

static struct umutex mtx;
static struct ucond cv;
static volatile u32 woken, predicate, waiting;
static volatile long wait_err[NW];

/* A condition wait the way libthr's cond_wait_kernel does it. */
static void waiter(void *arg)
{
	long i = (long)arg;
	u32 id = (u32)self_tid();
	lock_kernel(&mtx, id);
	add32(&waiting, 1);
	while (!predicate) {
		long e = umtx_err(&cv, UMTX_OP_CV_WAIT, 0, &mtx, 0);
		if (e && e != EINTR)
			wait_err[i] = e;
		lock_kernel(&mtx, id);
		if (predicate) {
			predicate--; /* consume one "token" per wake-up */
			break;
		}
	}
	add32(&woken, 1);
	unlock_kernel(&mtx, id);
}

static void test_signal_broadcast(void)
{
	struct uthr t[NW];
	u32 me = (u32)self_tid();
	int n = 0;
	for (long i = 0; i < NW; i++)
		n += uthr_start(&t[i], waiter, (void *)i) == 0;
	CHECK_EQ("3 waiter threads started", n, NW);
	CHECK("c_has_waiters counts the 3 waiters", await32(&cv.c_has_waiters, NW));
	sleep_ms(100); /* let them reach their sleep */
	CHECK_EQ("  the mutex was released by CV_WAIT", mtx.m_owner & ~UMUTEX_CONTESTED, 0);
	CHECK_EQ("nobody woke before a signal", woken, 0);

	lock_kernel(&mtx, me);
	predicate = 1;
	CHECK_OK("CV_SIGNAL", umtx(&cv, UMTX_OP_CV_SIGNAL, 0, 0, 0));
	unlock_kernel(&mtx, me);
	CHECK("  one waiter woke", await32(&woken, 1));
	sleep_ms(100);
	CHECK_EQ("  exactly one", woken, 1);
	CHECK_EQ("  c_has_waiters still shows the other 2", cv.c_has_waiters, 2);

	lock_kernel(&mtx, me);
	predicate = 2;
	CHECK_OK("CV_BROADCAST", umtx(&cv, UMTX_OP_CV_BROADCAST, 0, 0, 0));
	CHECK_EQ("  c_has_waiters = 0 once all are woken", cv.c_has_waiters, 0);
	unlock_kernel(&mtx, me);
	for (int i = 0; i < n; i++)
		uthr_join(&t[i]);
	CHECK_EQ("  all 3 waiters woke", woken, NW);
	CHECK_EQ("  no CV_WAIT error", wait_err[0] | wait_err[1] | wait_err[2], 0);
	CHECK_OK("CV_SIGNAL with no waiters", umtx(&cv, UMTX_OP_CV_SIGNAL, 0, 0, 0));
	CHECK_OK("CV_BROADCAST with no waiters", umtx(&cv, UMTX_OP_CV_BROADCAST, 0, 0, 0));
	CHECK_EQ("mutex free at the end", mtx.m_owner & ~UMUTEX_CONTESTED, 0);
}

static void test_timed(void)
{
	u32 me = (u32)self_tid();
	struct umtx_time at = abs_in(100, CLOCK_MONOTONIC);
	long t0 = now_ns(CLOCK_MONOTONIC);
	cv.c_clockid = CLOCK_MONOTONIC;
	lock_kernel(&mtx, me);
	CHECK_ERR("CV_WAIT CVWAIT_ABSTIME|CVWAIT_CLOCKID (MONOTONIC +100ms): ETIMEDOUT",
		  umtx(&cv, UMTX_OP_CV_WAIT, CVWAIT_ABSTIME | CVWAIT_CLOCKID, &mtx, &at.timeout), ETIMEDOUT);
	CHECK("  after >= 90ms", now_ns(CLOCK_MONOTONIC) - t0 >= 90000000L);
	CHECK_EQ("  the mutex stays released", mtx.m_owner, 0);
	CHECK_EQ("  c_has_waiters back to 0", cv.c_has_waiters, 0);

	struct fbsd_timespec rel = {0, 50000000};
	lock_kernel(&mtx, me);
	CHECK_ERR("CV_WAIT relative 50ms (CLOCK_REALTIME): ETIMEDOUT",
		  umtx(&cv, UMTX_OP_CV_WAIT, 0, &mtx, &rel), ETIMEDOUT);
	CHECK_EQ("  the mutex stays released", mtx.m_owner, 0);

	cv.c_clockid = 14; /* CLOCK_THREAD_CPUTIME_ID: not a sleep clock */
	lock_kernel(&mtx, me);
	CHECK_ERR("CV_WAIT with c_clockid THREAD_CPUTIME: EINVAL",
		  umtx(&cv, UMTX_OP_CV_WAIT, CVWAIT_CLOCKID, &mtx, &rel), EINVAL);
	CHECK_EQ("  before releasing the mutex", mtx.m_owner, me);
	unlock_kernel(&mtx, me);
	cv.c_clockid = 0;
	CHECK_ERR("CV_WAIT with a mutex we do not own: EPERM",
		  umtx(&cv, UMTX_OP_CV_WAIT, 0, &mtx, &rel), EPERM);
	CHECK_EQ("  c_has_waiters back to 0", cv.c_has_waiters, 0);
}

/* A process-shared condition in a MAP_SHARED page: parent waits, child
 * signals. */
static void test_shared(void)
{
	sysret m = SYS(SYS_mmap, 0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANON, -1, 0);
	if (!CHECK_OK("mmap(MAP_SHARED|MAP_ANON)", m))
		return;
	struct shared { struct umutex m; struct ucond cv; volatile u32 flag; } *s = (void *)m.val;
	s->m.m_flags = USYNC_PROCESS_SHARED;
	s->cv.c_flags = USYNC_PROCESS_SHARED;
	u32 me = (u32)self_tid();
	sysret f = SYS(SYS_fork);
	if (!f.cf && f.rdx == 1) {
		u32 id = (u32)self_tid();
		await32(&s->cv.c_has_waiters, 1);
		sleep_ms(50);
		lock_kernel(&s->m, id);
		s->flag = 1;
		umtx(&s->cv, UMTX_OP_CV_SIGNAL, 0, 0, 0);
		unlock_kernel(&s->m, id);
		rt_exit(0);
	}
	if (!CHECK_OK("fork", f))
		return;
	struct umtx_time at = abs_in(5000, CLOCK_REALTIME);
	long e = 0;
	lock_kernel(&s->m, me);
	while (!s->flag && (e = umtx_err(&s->cv, UMTX_OP_CV_WAIT, CVWAIT_ABSTIME, &s->m, &at.timeout)) == 0)
		lock_kernel(&s->m, me);
	CHECK_EQ("process-shared: the child's CV_SIGNAL woke the parent", e, 0);
	CHECK_EQ("  with the flag set", s->flag, 1);
	unlock_kernel(&s->m, me);
	int st = -1;
	SYS(SYS_wait4, f.val, &st, 0, 0);
	CHECK_EQ("  child exit 0", st, 0);
}

int main(int argc, char **argv, char **envp)
{
	test_signal_broadcast();
	test_timed();
	test_shared();
	return rt_done();
}
