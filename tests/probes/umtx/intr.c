/* umtx probe: signals during umtx sleeps, with kern_umtx.c's restart rules.
 * An untimed MUTEX_LOCK is always restarted after the handler (ERESTART:
 * pthread_mutex_lock never fails with EINTR); a timed one, CV_WAIT and the
 * rwlock waits return EINTR; SEM2_WAIT follows SA_RESTART unless its
 * timeout is relative, in which case it returns EINTR and the time left. */
#include "uthr.h"

enum { SYS_thr_kill = 433 };
#define SA_RESTART 0x2

static volatile u32 handled;
static void on_usr1(int sig) { add32(&handled, 1); }

static struct umutex mtx;
static struct ucond cv;
static struct urwlock rw;
static struct usem2 sem;
static volatile long result;
static struct { struct umtx_time t; struct fbsd_timespec left; } tm;

static void locker(void *arg)
{
	struct umtx_time at = abs_in(5000, CLOCK_MONOTONIC);
	if ((long)arg)
		result = umtx_err(&mtx, UMTX_OP_MUTEX_LOCK, 0, (void *)sizeof at, &at);
	else
		result = umtx_err(&mtx, UMTX_OP_MUTEX_LOCK, 0, 0, 0);
	if (!result)
		umtx(&mtx, UMTX_OP_MUTEX_UNLOCK, 0, 0, 0);
}
static void cv_waiter(void *arg)
{
	u32 id = (u32)self_tid();
	lock_kernel(&mtx, id);
	result = umtx_err(&cv, UMTX_OP_CV_WAIT, 0, &mtx, 0);
}
static void rw_writer(void *arg) { result = umtx_err(&rw, UMTX_OP_RW_WRLOCK, 0, 0, 0); }
static void sem_waiter(void *arg)
{
	if ((long)arg) {
		tm.t.timeout.tv_sec = 5;
		tm.t.timeout.tv_nsec = 0;
		tm.t.flags = 0;
		tm.t.clockid = CLOCK_MONOTONIC;
		result = umtx_err(&sem, UMTX_OP_SEM2_WAIT, 0, (void *)sizeof tm, &tm);
	} else {
		do
			result = umtx_err(&sem, UMTX_OP_SEM2_WAIT, 0, 0, 0);
		while (!result && !(sem.count & 0x7fffffff));
	}
}

/* Starts fn, waits until *w == v (it sleeps), signals it, and returns
 * with the thread still running. */
static void start_and_poke(struct uthr *t, void (*fn)(void *), void *arg, volatile u32 *w, u32 v)
{
	result = -1;
	handled = 0;
	uthr_start(t, fn, arg);
	await32(w, v);
	sleep_ms(50);
	SYS(SYS_thr_kill, t->tid, SIGUSR1);
	await32(&handled, 1);
	sleep_ms(50);
}

static void set_handler(int flags)
{
	struct fbsd_sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.handler = (void *)on_usr1;
	sa.flags = flags;
	SYS(SYS_sigaction, SIGUSR1, &sa, 0);
}

int main(int argc, char **argv, char **envp)
{
	struct uthr t;
	u32 me = (u32)self_tid();
	set_handler(0);

	lock_kernel(&mtx, me);
	start_and_poke(&t, locker, (void *)0, &mtx.m_owner, me | UMUTEX_CONTESTED);
	CHECK_EQ("untimed MUTEX_LOCK: the handler ran", handled, 1);
	CHECK_EQ("  and the lock went on waiting (restarted, no SA_RESTART needed)", result, -1);
	unlock_kernel(&mtx, me);
	uthr_join(&t);
	CHECK_EQ("  it got the mutex after the unlock", result, 0);

	lock_kernel(&mtx, me);
	start_and_poke(&t, locker, (void *)1, &mtx.m_owner, me | UMUTEX_CONTESTED);
	uthr_join(&t);
	CHECK_EQ("timed MUTEX_LOCK interrupted: EINTR", result, EINTR);
	unlock_kernel(&mtx, me);

	start_and_poke(&t, cv_waiter, 0, &cv.c_has_waiters, 1);
	uthr_join(&t);
	CHECK_EQ("CV_WAIT interrupted: EINTR (never restarted: the mutex is gone)", result, EINTR);
	CHECK_EQ("  c_has_waiters back to 0", cv.c_has_waiters, 0);
	CHECK_EQ("  the mutex stays released", mtx.m_owner & ~UMUTEX_CONTESTED, 0);
	mtx.m_owner = 0;

	rw.rw_state = URWLOCK_WRITE_OWNER;
	start_and_poke(&t, rw_writer, 0, &rw.rw_blocked_writers, 1);
	uthr_join(&t);
	CHECK_EQ("RW_WRLOCK interrupted: EINTR", result, EINTR);
	CHECK_EQ("  WRITE_WAITERS cleared", rw.rw_state, URWLOCK_WRITE_OWNER);

	start_and_poke(&t, sem_waiter, (void *)1, &sem.count, USEM_HAS_WAITERS);
	uthr_join(&t);
	CHECK_EQ("SEM2_WAIT with a relative timeout interrupted: EINTR", result, EINTR);
	long left = tm.left.tv_sec * 1000000000L + tm.left.tv_nsec;
	CHECK("  time left written after the _umtx_time (3..5 s)", left > 3000000000L && left <= 5000000000L);

	start_and_poke(&t, sem_waiter, (void *)0, &sem.count, USEM_HAS_WAITERS);
	uthr_join(&t);
	CHECK_EQ("untimed SEM2_WAIT, handler without SA_RESTART: EINTR", result, EINTR);

	set_handler(SA_RESTART);
	start_and_poke(&t, sem_waiter, (void *)0, &sem.count, USEM_HAS_WAITERS);
	CHECK_EQ("untimed SEM2_WAIT, SA_RESTART: the handler ran", handled, 1);
	CHECK_EQ("  and the wait goes on", result, -1);
	u32 v = ld32(&sem.count);
	while (cas32(&sem.count, v, v + 1) != v)
		v = ld32(&sem.count);
	umtx(&sem, UMTX_OP_SEM2_WAKE, 0, 0, 0);
	uthr_join(&t);
	CHECK_EQ("  until a post wakes it: 0", result, 0);
	return rt_done();
}
