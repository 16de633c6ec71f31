/* umtx probe: semaphores. SEM2_WAIT 23 / SEM2_WAKE 24 on struct _usem2
 * (libc's sem_t: _count with USEM_HAS_WAITERS, the kernel only sleeps and
 * wakes, libc takes tokens with compare-and-swap) and the deprecated
 * SEM_WAIT 19 / SEM_WAKE 20 on struct _usem (compiler-rt's lock). */
#include "uthr.h"

static struct usem2 sem;
static volatile u32 taken, errors;

/* libc's sem_trywait/sem_wait and sem_post (lib/libc/gen/sem_new.c). */
static int trywait(void)
{
	u32 v;
	while ((v = ld32(&sem.count)) & 0x7fffffff)
		if (cas32(&sem.count, v, v - 1) == v)
			return 1;
	return 0;
}
static long semwait(void)
{
	while (!trywait()) {
		long e = umtx_err(&sem, UMTX_OP_SEM2_WAIT, 0, 0, 0);
		if (e && e != EINTR)
			return e;
	}
	return 0;
}
static void sempost(void)
{
	u32 v;
	do
		v = ld32(&sem.count);
	while (cas32(&sem.count, v, v + 1) != v);
	if (v & USEM_HAS_WAITERS)
		umtx(&sem, UMTX_OP_SEM2_WAKE, 0, 0, 0);
}

static void consumer(void *arg)
{
	if (semwait())
		add32(&errors, 1);
	add32(&taken, 1);
}

static void test_counting(void)
{
	struct uthr t[3];
	int n = 0;
	for (int i = 0; i < 3; i++)
		n += uthr_start(&t[i], consumer, 0) == 0;
	CHECK_EQ("3 consumers started", n, 3);
	CHECK("they sleep: _count = USEM_HAS_WAITERS", await32(&sem.count, USEM_HAS_WAITERS));
	sleep_ms(100);
	CHECK_EQ("  nobody passed a zero semaphore", taken, 0);
	sempost();
	CHECK("post 1: one consumer passes", await32(&taken, 1));
	sleep_ms(100);
	CHECK_EQ("  only one", taken, 1);
	CHECK_EQ("  count 0, HAS_WAITERS kept for the other two", sem.count, USEM_HAS_WAITERS);
	sempost();
	sempost();
	for (int i = 0; i < n; i++)
		uthr_join(&t[i]);
	CHECK_EQ("posts 2 and 3: all 3 passed", taken, 3);
	CHECK_EQ("  no wait error", errors, 0);
	CHECK_EQ("  count 0 and HAS_WAITERS cleared by the last wake-up", sem.count, 0);

	sem.count = 2;
	CHECK_OK("SEM2_WAIT with a count returns at once", umtx(&sem, UMTX_OP_SEM2_WAIT, 0, 0, 0));
	CHECK_EQ("  without taking a token", sem.count, 2);
	sem.count = 0;
	struct { struct umtx_time t; struct fbsd_timespec left; } tm = {{{0, 50000000}, 0, CLOCK_MONOTONIC}, {7, 7}};
	long t0 = now_ns(CLOCK_MONOTONIC);
	CHECK_ERR("SEM2_WAIT relative 50ms: ETIMEDOUT", umtx(&sem, UMTX_OP_SEM2_WAIT, 0, (void *)sizeof tm, &tm),
		  ETIMEDOUT);
	CHECK("  after >= 40ms", now_ns(CLOCK_MONOTONIC) - t0 >= 40000000L);
	CHECK_OK("SEM2_WAKE with nobody asleep", umtx(&sem, UMTX_OP_SEM2_WAKE, 0, 0, 0));
	sem.count = 0;
}

/* Many posts and waits racing. */
#define ROUNDS 2000
static void racer(void *arg)
{
	for (int i = 0; i < ROUNDS; i++) {
		if (semwait())
			add32(&errors, 1);
		add32(&taken, 1);
	}
}
static void test_race(void)
{
	struct uthr t[2];
	taken = errors = 0;
	sem.count = 0;
	uthr_start(&t[0], racer, 0);
	uthr_start(&t[1], racer, 0);
	for (int i = 0; i < 2 * ROUNDS; i++) {
		sempost();
		if ((i & 63) == 0)
			SYS(SYS_sched_yield);
	}
	uthr_join(&t[0]);
	uthr_join(&t[1]);
	CHECK_EQ("4000 posts, 2 waiters x 2000 waits: all passed", taken, 2 * ROUNDS);
	CHECK_EQ("  no error", errors, 0);
	CHECK_EQ("  count back to 0", sem.count & 0x7fffffff, 0);
}

/* compiler-rt's lock: _count 1 = free; lock takes 1 -> 0, else SEM_WAIT;
 * unlock stores 1 and calls SEM_WAKE if _has_waiters. */
static struct usem lk = {0, 1, 0};
static volatile u32 shared_counter;
static void old_sem_user(void *arg)
{
	for (int i = 0; i < ROUNDS; i++) {
		while (cas32(&lk.count, 1, 0) != 1)
			umtx(&lk, UMTX_OP_SEM_WAIT, 0, 0, 0);
		u32 v = shared_counter;
		if ((i & 15) == 0)
			SYS(SYS_sched_yield);
		shared_counter = v + 1;
		__atomic_store_n(&lk.count, 1, __ATOMIC_SEQ_CST);
		if (ld32(&lk.has_waiters))
			umtx(&lk, UMTX_OP_SEM_WAKE, 1, 0, 0);
	}
}
static void test_old_sem(void)
{
	struct uthr t[3];
	for (int i = 0; i < 3; i++)
		uthr_start(&t[i], old_sem_user, 0);
	for (int i = 0; i < 3; i++)
		uthr_join(&t[i]);
	CHECK_EQ("SEM_WAIT/SEM_WAKE lock: 3 x 2000 increments, none lost", shared_counter, 3 * ROUNDS);
	CHECK_EQ("  lock free at the end", lk.count, 1);
}

int main(int argc, char **argv, char **envp)
{
	test_counting();
	test_race();
	test_old_sem();
	return rt_done();
}
