/* struct ucond: CV_WAIT, CV_SIGNAL, CV_BROADCAST (kern_umtx.c do_cv_*).
 * libthr uses these for process-shared conditions and for conditions used
 * with priority-inheritance/protection or robust mutexes.
 *
 * Waiters sleep on a futex on a sequence word that every signal bumps, so a
 * waiter that released the mutex before a signal either is woken or finds
 * the sequence moved. c_has_waiters is the exact number of waiters between
 * registering and leaving (FreeBSD writes 1 and clears it when its queue
 * empties; libthr only tests it for zero, in signal/broadcast and in
 * pthread_cond_destroy, which must not see stale waiters). A waiter woken
 * by a signal is taken off the count by the signaller, as FreeBSD removes
 * it from the queue; one leaving by time-out, signal or a moved sequence
 * takes itself off.
 *
 * Where the sequence lives: c_spare[0] for a process-shared condition (its
 * off-page belongs to it alone, and every process sees the same word); for
 * a private one libthr's ucond is the tail of a 16-byte pthread_cond, so
 * c_spare is not ours and a translator table keyed by address holds it. */
#include "../trap/dispatch.h"
#include "../rt/rt.h"
#include "umtx.h"
#include <asm-generic/errno.h>

struct cvseq {
	uint64_t addr;
	volatile uint32_t seq;
	int refs; /* waiters using it; freed at 0 */
	struct cvseq *next;
};

#define NBUCKET 64
static struct cvseq *buckets[NBUCKET];
static rt_lock_t table_lock;

static struct cvseq **bucket(const struct ucond *cv)
{
	uint64_t a = (uint64_t)cv;
	return &buckets[(a >> 4 ^ a >> 12) % NBUCKET];
}

static struct cvseq *find(const struct ucond *cv)
{
	for (struct cvseq *e = *bucket(cv); e; e = e->next)
		if (e->addr == (uint64_t)cv)
			return e;
	return NULL;
}

/* The waiter's reference on the private sequence word (table lock held). */
static struct cvseq *seq_get(const struct ucond *cv)
{
	struct cvseq *e = find(cv);
	if (!e) {
		e = rt_calloc(1, sizeof *e);
		if (!e)
			return NULL;
		e->addr = (uint64_t)cv;
		e->next = *bucket(cv);
		*bucket(cv) = e;
	}
	e->refs++;
	return e;
}

static void seq_put(struct cvseq *e)
{
	rt_lock(&table_lock);
	if (--e->refs == 0) {
		struct cvseq **pp = bucket((const struct ucond *)e->addr);
		while (*pp != e)
			pp = &(*pp)->next;
		*pp = e->next;
		rt_free(e);
	}
	rt_unlock(&table_lock);
}

static void sub_waiters(struct ucond *cv, uint32_t n)
{
	uint32_t v = __atomic_load_n(&cv->c_has_waiters, __ATOMIC_SEQ_CST);
	while (n && !__atomic_compare_exchange_n(&cv->c_has_waiters, &v, v > n ? v - n : 0, 0,
						 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		;
}

static long cv_wait(struct sysctx *c, struct ucond *cv, uint32_t wflags, struct umutex *m,
		    const struct ftimespec *ts)
{
	int shared = cv->c_flags & USYNC_PROCESS_SHARED;
	int clock = 0; /* CLOCK_REALTIME */
	if (wflags & CVWAIT_CLOCKID) {
		clock = (int)cv->c_clockid;
		if (cv->c_clockid >= FCLOCK_THREAD_CPUTIME_ID)
			return -EINVAL; /* "only HW clock id will work" */
	}
	struct umtx_deadline d = { 0 };
	if (ts) {
		long r = umtx_deadline_init(&d, clock, (wflags & CVWAIT_ABSTIME) != 0, ts);
		if (r < 0)
			return r;
	}

	/* Fault (EFAULT) on a bad mutex or a read-only ucond now, before any
	 * waiter state exists that a fault would leave behind. */
	(void)__atomic_load_n(&m->m_owner, __ATOMIC_RELAXED);
	__atomic_fetch_add(&cv->c_has_waiters, 0, __ATOMIC_RELAXED);

	struct cvseq *e = NULL;
	volatile uint32_t *seq = &cv->c_spare[0];
	if (!shared) {
		rt_lock(&table_lock);
		e = seq_get(cv);
		rt_unlock(&table_lock);
		if (!e)
			return -ENOMEM;
		seq = &e->seq;
	}
	/* Count ourselves in before reading the sequence: a signaller that
	 * sees no waiter cannot have bumped a sequence we are about to use. */
	__atomic_add_fetch(&cv->c_has_waiters, 1, __ATOMIC_SEQ_CST);
	uint32_t s = __atomic_load_n(seq, __ATOMIC_SEQ_CST);
	long r = umtx_mutex_unlock(m, umtx_tid(c->t), 0);
	if (r == 0)
		r = umtx_fwait(seq, s, UMTX_BITS_ALL, shared, &d);
	if (r != 0)
		sub_waiters(cv, 1); /* not taken off by a waker */
	if (e)
		seq_put(e);
	/* The mutex is released: never restart (FreeBSD turns ERESTART
	 * into EINTR here); libthr takes EINTR as a spurious wake-up. */
	c->norestart = 1;
	return r == -EAGAIN ? 0 : r;
}

/* Wakes up to n waiters and takes the woken off c_has_waiters. */
static long cv_wake(struct ucond *cv, int n)
{
	uint32_t hw = __atomic_load_n(&cv->c_has_waiters, __ATOMIC_SEQ_CST);
	if (hw == 0)
		return 0;
	int shared = cv->c_flags & USYNC_PROCESS_SHARED;
	if (shared) {
		__atomic_add_fetch(&cv->c_spare[0], 1, __ATOMIC_SEQ_CST);
		sub_waiters(cv, (uint32_t)umtx_fwake(&cv->c_spare[0], n, UMTX_BITS_ALL, 1));
		return 0;
	}
	/* Guest memory is written outside the table lock: a fault there
	 * (EFAULT) must not leave the lock held. */
	int n_woken = -1;
	rt_lock(&table_lock);
	struct cvseq *e = find(cv);
	if (e) {
		__atomic_add_fetch(&e->seq, 1, __ATOMIC_SEQ_CST);
		n_woken = umtx_fwake(&e->seq, n, UMTX_BITS_ALL, 0);
	}
	rt_unlock(&table_lock);
	if (n_woken >= 0)
		sub_waiters(cv, (uint32_t)n_woken);
	else /* nobody in this process waited: the flag was stale, unless a
	      * waiter has counted itself in since */
		__atomic_compare_exchange_n(&cv->c_has_waiters, &hw, 0, 0, __ATOMIC_SEQ_CST,
					    __ATOMIC_SEQ_CST);
	return 0;
}

long umtx_cv_op(struct sysctx *c, struct ucond *cv, int op, uint64_t val, void *u1,
		void *u2)
{
	switch (op) {
	case UMTX_OP_CV_WAIT:
		/* uaddr2 is a plain timespec here; val carries CVWAIT_*. */
		return cv_wait(c, cv, (uint32_t)val, u1, u2);
	case UMTX_OP_CV_SIGNAL:
		return cv_wake(cv, 1);
	case UMTX_OP_CV_BROADCAST:
		return cv_wake(cv, 0x7fffffff);
	}
	return -EINVAL;
}
