/* umtx probe: struct urwlock ops (RW_RDLOCK 12, RW_WRLOCK 13, RW_UNLOCK 14).
 * rw_state = WRITE_OWNER | WRITE_WAITERS | READ_WAITERS | reader count.
 * Readers share the lock, a writer has it alone, waiters are handed the
 * lock on unlock (writers first unless URWLOCK_PREFER_READER). */
#include "uthr.h"

static struct urwlock rw;
static volatile u32 inside, max_inside, ready, errors, acquired;

/* libthr's rwlock fast paths (thr_umtx.h) with the kernel for the rest. */
static long rdlock(void)
{
	u32 s = ld32(&rw.rw_state);
	while (!(s & (URWLOCK_WRITE_OWNER | URWLOCK_WRITE_WAITERS))) {
		u32 seen = cas32(&rw.rw_state, s, s + 1);
		if (seen == s)
			return 0;
		s = seen;
	}
	return umtx_err(&rw, UMTX_OP_RW_RDLOCK, 0, 0, 0);
}
static long wrlock(void)
{
	u32 s = ld32(&rw.rw_state);
	while (!(s & URWLOCK_WRITE_OWNER) && (s & 0x1fffffff) == 0) {
		u32 seen = cas32(&rw.rw_state, s, s | URWLOCK_WRITE_OWNER);
		if (seen == s)
			return 0;
		s = seen;
	}
	return umtx_err(&rw, UMTX_OP_RW_WRLOCK, 0, 0, 0);
}
static long rwunlock(void)
{
	u32 s = ld32(&rw.rw_state);
	if (s & URWLOCK_WRITE_OWNER) {
		if (cas32(&rw.rw_state, URWLOCK_WRITE_OWNER, 0) == URWLOCK_WRITE_OWNER)
			return 0;
	} else {
		for (;;) {
			if ((s & 0x1fffffff) == 0)
				return EPERM;
			if ((s & (URWLOCK_WRITE_WAITERS | URWLOCK_READ_WAITERS)) && (s & 0x1fffffff) == 1)
				break;
			u32 seen = cas32(&rw.rw_state, s, s - 1);
			if (seen == s)
				return 0;
			s = seen;
		}
	}
	return umtx_err(&rw, UMTX_OP_RW_UNLOCK, 0, 0, 0);
}

static void note_inside(void)
{
	u32 n = __atomic_add_fetch(&inside, 1, __ATOMIC_SEQ_CST), m;
	while ((m = ld32(&max_inside)) < n && cas32(&max_inside, m, n) != m)
		;
}

/* Readers hold the lock until all three are in (or 2 s pass). */
static void concurrent_reader(void *arg)
{
	if (umtx_err(&rw, UMTX_OP_RW_RDLOCK, 0, 0, 0))
		add32(&errors, 1);
	note_inside();
	for (int i = 0; i < 2000 && ld32(&inside) < 3; i++)
		sleep_ms(1);
	sleep_ms(20);
	add32(&inside, (u32)-1);
	if (rwunlock())
		add32(&errors, 1);
}

static void test_readers_share(void)
{
	struct uthr t[3];
	memset(&rw, 0, sizeof rw);
	inside = max_inside = errors = 0;
	int n = 0;
	for (int i = 0; i < 3; i++)
		n += uthr_start(&t[i], concurrent_reader, 0) == 0;
	for (int i = 0; i < n; i++)
		uthr_join(&t[i]);
	CHECK_EQ("3 RW_RDLOCK readers hold the lock together", max_inside, 3);
	CHECK_EQ("  no lock/unlock error", errors, 0);
	CHECK_EQ("  rw_state = 0 afterwards", rw.rw_state, 0);
}

static volatile long blocked_result;
static void blocked_reader(void *arg)
{
	blocked_result = umtx_err(&rw, UMTX_OP_RW_RDLOCK, 0, 0, 0);
	add32(&acquired, 1);
	if (!blocked_result)
		rwunlock();
}
static void blocked_writer(void *arg)
{
	long e = umtx_err(&rw, UMTX_OP_RW_WRLOCK, 0, 0, 0);
	add32(&acquired, 0x100);
	sleep_ms(50); /* the reader must still wait: the writer holds it */
	if (ld32(&acquired) != 0x100)
		add32(&errors, 1);
	if (!e)
		rwunlock();
	else
		add32(&errors, 1);
}
static struct umtx_time deadline;
static volatile long timed_result;
static void timed_reader(void *arg)
{
	timed_result = umtx_err(&rw, UMTX_OP_RW_RDLOCK, 0, (void *)sizeof deadline, &deadline);
}

static void test_writer_excludes(void)
{
	struct uthr r, w, tr;
	memset(&rw, 0, sizeof rw);
	acquired = errors = 0;
	CHECK_OK("RW_WRLOCK on a free lock", umtx(&rw, UMTX_OP_RW_WRLOCK, 0, 0, 0));
	CHECK_EQ("  rw_state = URWLOCK_WRITE_OWNER", rw.rw_state, URWLOCK_WRITE_OWNER);

	deadline = abs_in(100, CLOCK_REALTIME);
	uthr_start(&tr, timed_reader, 0);
	uthr_join(&tr);
	CHECK_EQ("RW_RDLOCK with a deadline while a writer holds it: ETIMEDOUT", timed_result, ETIMEDOUT);
	CHECK_EQ("  rw_blocked_readers back to 0", rw.rw_blocked_readers, 0);
	CHECK_EQ("  READ_WAITERS cleared again", rw.rw_state, URWLOCK_WRITE_OWNER);

	uthr_start(&r, blocked_reader, 0);
	CHECK("a reader blocks behind the writer (READ_WAITERS set)",
	      await32(&rw.rw_state, URWLOCK_WRITE_OWNER | URWLOCK_READ_WAITERS));
	uthr_start(&w, blocked_writer, 0);
	CHECK("a writer blocks too (WRITE_WAITERS set)",
	      await32(&rw.rw_state, URWLOCK_WRITE_OWNER | URWLOCK_READ_WAITERS | URWLOCK_WRITE_WAITERS));
	sleep_ms(50);
	CHECK_EQ("  neither got in", acquired, 0);
	CHECK_EQ("  rw_blocked_readers = 1", rw.rw_blocked_readers, 1);
	CHECK_EQ("  rw_blocked_writers = 1", rw.rw_blocked_writers, 1);
	CHECK_OK("RW_UNLOCK by the writer hands over", umtx(&rw, UMTX_OP_RW_UNLOCK, 0, 0, 0));
	uthr_join(&w);
	uthr_join(&r);
	CHECK_EQ("  the waiting writer went first, then the reader", acquired, 0x101);
	CHECK_EQ("  reader's RW_RDLOCK returned 0", blocked_result, 0);
	CHECK_EQ("  no error", errors, 0);
	CHECK_EQ("  rw_state = 0, no waiters", rw.rw_state, 0);
	CHECK_ERR("RW_UNLOCK of a free lock: EPERM", umtx(&rw, UMTX_OP_RW_UNLOCK, 0, 0, 0), EPERM);
}

/* Two writers keep `pair` even, two readers must never see it odd. */
static volatile u32 pair, writes, odd_seen;
#define ROUNDS 3000
static void mixed_writer(void *arg)
{
	add32(&ready, 1);
	await32(&ready, 4);
	for (int i = 0; i < ROUNDS; i++) {
		if (wrlock())
			add32(&errors, 1);
		pair = pair + 1;
		if ((i & 15) == 0)
			SYS(SYS_sched_yield);
		pair = pair + 1;
		writes = writes + 1;
		if (rwunlock())
			add32(&errors, 1);
	}
}
static void mixed_reader(void *arg)
{
	add32(&ready, 1);
	await32(&ready, 4);
	for (int i = 0; i < ROUNDS; i++) {
		if (rdlock())
			add32(&errors, 1);
		if (pair & 1)
			add32(&odd_seen, 1);
		if ((i & 15) == 0)
			SYS(SYS_sched_yield);
		if (rwunlock())
			add32(&errors, 1);
	}
}

static void test_mixed(void)
{
	struct uthr t[4];
	memset(&rw, 0, sizeof rw);
	pair = writes = odd_seen = errors = ready = 0;
	uthr_start(&t[0], mixed_writer, 0);
	uthr_start(&t[1], mixed_reader, 0);
	uthr_start(&t[2], mixed_writer, 0);
	uthr_start(&t[3], mixed_reader, 0);
	for (int i = 0; i < 4; i++)
		uthr_join(&t[i]);
	CHECK_EQ("2 writers x 3000 under contention: every write counted", writes, 2 * ROUNDS);
	CHECK_EQ("  readers never saw a half-done write", odd_seen, 0);
	CHECK_EQ("  no lock/unlock error", errors, 0);
	CHECK_EQ("  rw_state = 0 at the end", rw.rw_state, 0);
	CHECK_EQ("  blocked counters = 0", rw.rw_blocked_readers | rw.rw_blocked_writers, 0);
}

int main(int argc, char **argv, char **envp)
{
	test_readers_share();
	test_writer_excludes();
	test_mixed();
	return rt_done();
}
