/* umtx probe: struct umutex ops (MUTEX_TRYLOCK 4, LOCK 5, UNLOCK 6,
 * SET_CEILING 7, MUTEX_WAIT 17, MUTEX_WAKE2 22) with FreeBSD semantics:
 * m_owner = thread id | UMUTEX_CONTESTED; EBUSY, EDEADLK (11), EPERM,
 * ETIMEDOUT (60); mutual exclusion under contention through both libthr
 * paths, and a process-shared mutex across fork. */
#include "uthr.h"

#define ITERS 4000
#define NTHR 4

static struct umutex mtx;
static volatile u32 counter;
static int use_wait_path; /* 1: MUTEX_WAIT + WAKE2, 0: MUTEX_LOCK + UNLOCK */
static volatile u32 errors, ready;

/* A non-atomic read-modify-write with a gap (sometimes a yield, so that
 * others pile up on the lock): lost updates show broken mutual exclusion. */
static void bump(int i)
{
	u32 v = counter;
	for (volatile int k = 0; k < 50; k++)
		;
	if ((i & 31) == 0)
		SYS(SYS_sched_yield);
	counter = v + 1;
}

static void contender(void *arg)
{
	u32 id = (u32)self_tid();
	add32(&ready, 1);
	await32(&ready, NTHR); /* start together */
	for (int i = 0; i < ITERS; i++) {
		if (use_wait_path) {
			lock_wait(&mtx, id);
			bump(i);
			unlock_wake2(&mtx);
		} else {
			if (lock_kernel(&mtx, id))
				add32(&errors, 1);
			bump(i);
			if (unlock_kernel(&mtx, id))
				add32(&errors, 1);
		}
	}
}

static void test_contention(int wait_path)
{
	struct uthr t[NTHR];
	memset(&mtx, 0, sizeof mtx);
	counter = 0;
	errors = 0;
	ready = 0;
	use_wait_path = wait_path;
	int started = 0;
	for (int i = 0; i < NTHR; i++)
		started += uthr_start(&t[i], contender, 0) == 0;
	CHECK_EQ(wait_path ? "MUTEX_WAIT path: 4 threads started" : "MUTEX_LOCK path: 4 threads started",
		 started, NTHR);
	for (int i = 0; i < started; i++)
		uthr_join(&t[i]);
	CHECK_EQ(wait_path ? "MUTEX_WAIT/WAKE2: no lost increment (4 x 4000)"
			   : "MUTEX_LOCK/UNLOCK: no lost increment (4 x 4000)",
		 counter, started * ITERS);
	CHECK_EQ("  no lock/unlock error", errors, 0);
	CHECK_EQ("  mutex ends unowned and uncontested", mtx.m_owner, 0);
}

static volatile long other_result;
static struct umtx_time other_deadline;
static int other_op;

static void other_unlock(void *arg) { other_result = umtx_err(&mtx, UMTX_OP_MUTEX_UNLOCK, 0, 0, 0); }
static void other_trylock(void *arg) { other_result = umtx_err(&mtx, UMTX_OP_MUTEX_TRYLOCK, 0, 0, 0); }
static void other_timedlock(void *arg)
{
	long t0 = now_ns(CLOCK_MONOTONIC);
	if (other_op == 1) /* _umtx_time, absolute */
		other_result = umtx_err(&mtx, UMTX_OP_MUTEX_LOCK, 0, (void *)sizeof other_deadline,
					&other_deadline);
	else { /* plain relative timespec: uaddr1 = 0 */
		struct fbsd_timespec rel = {0, 100000000};
		other_result = umtx_err(&mtx, UMTX_OP_MUTEX_LOCK, 0, 0, &rel);
	}
	other_result |= (now_ns(CLOCK_MONOTONIC) - t0 >= 90000000L) << 16;
}

static long run_other(void (*fn)(void *))
{
	struct uthr t;
	other_result = -1;
	if (uthr_start(&t, fn, 0))
		return -1;
	uthr_join(&t);
	return other_result;
}

static void test_errors(void)
{
	u32 me = (u32)self_tid();
	memset(&mtx, 0, sizeof mtx);
	CHECK_OK("MUTEX_TRYLOCK on a free mutex", umtx(&mtx, UMTX_OP_MUTEX_TRYLOCK, 0, 0, 0));
	CHECK_EQ("m_owner = thr_self() id", mtx.m_owner, me);
	CHECK_ERR("MUTEX_TRYLOCK again by the owner: EBUSY", umtx(&mtx, UMTX_OP_MUTEX_TRYLOCK, 0, 0, 0),
		  EBUSY);
	CHECK_ERR("MUTEX_LOCK by the owner: EDEADLK (11)", umtx(&mtx, UMTX_OP_MUTEX_LOCK, 0, 0, 0),
		  EDEADLK);
	CHECK_EQ("MUTEX_TRYLOCK by another thread: EBUSY", run_other(other_trylock), EBUSY);
	CHECK_EQ("MUTEX_UNLOCK by another thread: EPERM", run_other(other_unlock), EPERM);
	CHECK_EQ("  owner unchanged", mtx.m_owner, me);

	other_op = 1;
	other_deadline = abs_in(100, CLOCK_REALTIME);
	CHECK_EQ("MUTEX_LOCK, _umtx_time UMTX_ABSTIME REALTIME +100ms: ETIMEDOUT after >= 90ms",
		 run_other(other_timedlock), ETIMEDOUT | 1 << 16);
	other_deadline = abs_in(100, CLOCK_MONOTONIC);
	CHECK_EQ("MUTEX_LOCK, UMTX_ABSTIME MONOTONIC +100ms: ETIMEDOUT after >= 90ms",
		 run_other(other_timedlock), ETIMEDOUT | 1 << 16);
	other_op = 0;
	CHECK_EQ("MUTEX_LOCK, relative timespec 100ms: ETIMEDOUT after >= 90ms",
		 run_other(other_timedlock), ETIMEDOUT | 1 << 16);
	CHECK_EQ("  the timed-out waiter left UMUTEX_CONTESTED", mtx.m_owner, me | UMUTEX_CONTESTED);
	CHECK_OK("MUTEX_UNLOCK of a contested mutex by its owner", umtx(&mtx, UMTX_OP_MUTEX_UNLOCK, 0, 0, 0));
	CHECK_EQ("  m_owner = 0", mtx.m_owner, 0);
	CHECK_ERR("MUTEX_UNLOCK of a free mutex: EPERM", umtx(&mtx, UMTX_OP_MUTEX_UNLOCK, 0, 0, 0), EPERM);
	CHECK_OK("MUTEX_WAIT on a free mutex returns at once", umtx(&mtx, UMTX_OP_MUTEX_WAIT, 0, 0, 0));
	CHECK_EQ("  without taking it", mtx.m_owner, 0);
	struct fbsd_timespec bad = {0, 1000000000};
	mtx.m_owner = 12345;
	CHECK_ERR("MUTEX_LOCK with tv_nsec = 1e9: EINVAL", umtx(&mtx, UMTX_OP_MUTEX_LOCK, 0, 0, &bad),
		  EINVAL);
	mtx.m_owner = 0;
	mtx.m_flags = UMUTEX_PRIO_INHERIT | UMUTEX_PRIO_PROTECT;
	CHECK_ERR("MUTEX_LOCK with both PRIO_INHERIT and PRIO_PROTECT: EINVAL",
		  umtx(&mtx, UMTX_OP_MUTEX_LOCK, 0, 0, 0), EINVAL);
}

/* Priority protection: the free state is CONTESTED and every lock and
 * unlock goes through the kernel; SET_CEILING swaps m_ceilings[0]. */
static void test_prio_protect(void)
{
	u32 me = (u32)self_tid(), old = 99;
	memset(&mtx, 0, sizeof mtx);
	mtx.m_flags = UMUTEX_PRIO_PROTECT;
	mtx.m_owner = UMUTEX_CONTESTED;
	mtx.m_ceilings[0] = 5;
	mtx.m_ceilings[1] = (u32)-1;
	CHECK_OK("PP: MUTEX_LOCK", umtx(&mtx, UMTX_OP_MUTEX_LOCK, 0, 0, 0));
	CHECK_EQ("PP: m_owner = id | CONTESTED", mtx.m_owner, me | UMUTEX_CONTESTED);
	CHECK_OK("PP: SET_CEILING by the owner", umtx(&mtx, UMTX_OP_SET_CEILING, 7, &old, 0));
	CHECK_EQ("PP: old ceiling returned", old, 5);
	CHECK_EQ("PP: m_ceilings[0] = 7", mtx.m_ceilings[0], 7);
	CHECK_OK("PP: MUTEX_UNLOCK", umtx(&mtx, UMTX_OP_MUTEX_UNLOCK, 0, 0, 0));
	CHECK_EQ("PP: unlocked state is CONTESTED", mtx.m_owner, UMUTEX_CONTESTED);
	CHECK_ERR("PP: SET_CEILING 32: EINVAL", umtx(&mtx, UMTX_OP_SET_CEILING, 32, 0, 0), EINVAL);
	mtx.m_flags = 0;
	CHECK_ERR("SET_CEILING on a non-PP mutex: EINVAL", umtx(&mtx, UMTX_OP_SET_CEILING, 3, 0, 0), EINVAL);
}

/* A USYNC_PROCESS_SHARED mutex in a MAP_SHARED page, parent and child. */
static void test_shared(void)
{
	sysret m = SYS(SYS_mmap, 0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANON, -1, 0);
	if (!CHECK_OK("mmap(MAP_SHARED|MAP_ANON)", m))
		return;
	struct shared { struct umutex m; volatile u32 counter; } *s = (void *)m.val;
	s->m.m_flags = USYNC_PROCESS_SHARED;
	sysret f = SYS(SYS_fork);
	int child = !f.cf && f.rdx == 1;
	u32 id = (u32)self_tid();
	long bad = 0;
	for (int i = 0; i < ITERS; i++) {
		bad += lock_kernel(&s->m, id) != 0;
		u32 v = s->counter;
		for (volatile int k = 0; k < 20; k++)
			;
		s->counter = v + 1;
		bad += unlock_kernel(&s->m, id) != 0;
	}
	if (child)
		rt_exit(bad ? 1 : 0);
	int st = -1;
	if (!CHECK_OK("fork", f))
		return;
	SYS(SYS_wait4, f.val, &st, 0, 0);
	CHECK_EQ("process-shared: child ran without lock errors", st, 0);
	CHECK_EQ("process-shared: no lost increment across processes", s->counter, 2 * ITERS);
	CHECK_EQ("process-shared: no lock errors in the parent", bad, 0);
}

int main(int argc, char **argv, char **envp)
{
	test_errors();
	test_prio_protect();
	test_contention(0);
	test_contention(1);
	test_shared();
	return rt_done();
}
