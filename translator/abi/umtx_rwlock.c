/* struct urwlock: RW_RDLOCK, RW_WRLOCK, RW_UNLOCK (kern_umtx.c do_rw_*).
 * libthr takes and drops uncontended read and write locks itself; these are
 * the slow paths: wait, and hand the lock over on a contested unlock.
 *
 * Word protocol as in FreeBSD: rw_state holds WRITE_OWNER, the waiter bits
 * and the reader count; a waiter counts itself in rw_blocked_readers or
 * rw_blocked_writers, sets its waiter bit and sleeps; the last waiter of a
 * kind clears the bit. Sleeping is a futex on rw_state with bitset
 * READERS or WRITERS, so an unlock wakes one writer or all readers as
 * FreeBSD's two queues do.
 *
 * FreeBSD serialises "count in, set bit" against "count out, clear bit"
 * with its chain lock. Without it a reader could count in, find the bit
 * still set and fall asleep just as the last other reader clears it. So
 * whoever clears a bit then re-reads the blocked count and, if someone
 * counted in meanwhile, wakes that kind to look again. */
#include "../trap/dispatch.h"
#include "../rt/rt.h"
#include "umtx.h"
#include <asm-generic/errno.h>

#define WO URWLOCK_WRITE_OWNER
#define WW URWLOCK_WRITE_WAITERS
#define RW URWLOCK_READ_WAITERS
#define READERS 1u
#define WRITERS 2u

static int cas(volatile uint32_t *w, uint32_t *old, uint32_t new)
{
	return __atomic_compare_exchange_n(w, old, new, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

static uint32_t load(volatile uint32_t *w)
{
	return __atomic_load_n(w, __ATOMIC_SEQ_CST);
}

static void wake(struct urwlock *rw, uint32_t who, int n, int shared)
{
	umtx_fwake(&rw->rw_state, n, who, shared);
}

/* Sets bit in rw_state while `blocked(state)` holds; returns the state with
 * the bit, or the state that no longer blocks. */
static uint32_t set_bit(struct urwlock *rw, uint32_t bit, uint32_t blockmask, int writer)
{
	uint32_t s = load(&rw->rw_state);
	for (;;) {
		int blocked = writer ? (s & WO) || URWLOCK_READER_COUNT(s) : (s & blockmask) != 0;
		if (!blocked || (s & bit))
			return s;
		if (cas(&rw->rw_state, &s, s | bit))
			return s | bit;
	}
}

/* A waiter leaves: counts itself out; the last one clears the bit and
 * wakes any waiter that counted in meanwhile. Returns the state after. */
static uint32_t leave(struct urwlock *rw, volatile uint32_t *blocked, uint32_t bit,
		      uint32_t who, int shared)
{
	uint32_t s = load(&rw->rw_state);
	if (__atomic_sub_fetch(blocked, 1, __ATOMIC_SEQ_CST) != 0)
		return s;
	while ((s & bit) && !cas(&rw->rw_state, &s, s & ~bit))
		;
	s &= ~bit;
	if (load(blocked) != 0)
		wake(rw, who, 0x7fffffff, shared);
	return s;
}

static long rdlock(struct urwlock *rw, uint32_t fflag, const struct umtx_deadline *d)
{
	uint32_t flags = rw->rw_flags;
	int shared = flags & USYNC_PROCESS_SHARED;
	/* Readers give way to waiting writers unless either side prefers
	 * readers. */
	uint32_t wrflags = WO;
	if (!((fflag | flags) & URWLOCK_PREFER_READER))
		wrflags |= WW;
	for (;;) {
		uint32_t s = load(&rw->rw_state);
		while (!(s & wrflags)) {
			if (URWLOCK_READER_COUNT(s) == URWLOCK_MAX_READERS)
				return -EAGAIN;
			if (cas(&rw->rw_state, &s, s + 1))
				return 0;
		}
		__atomic_add_fetch(&rw->rw_blocked_readers, 1, __ATOMIC_SEQ_CST);
		long err = 0;
		for (;;) {
			s = set_bit(rw, RW, wrflags, 0);
			if (!(s & wrflags))
				break;
			long r = umtx_fwait(&rw->rw_state, s, READERS, shared, d);
			if (r < 0 && r != -EAGAIN) {
				err = r;
				break;
			}
		}
		leave(rw, &rw->rw_blocked_readers, RW, READERS, shared);
		if (err)
			return err;
	}
}

static long wrlock(struct urwlock *rw, const struct umtx_deadline *d)
{
	int shared = rw->rw_flags & USYNC_PROCESS_SHARED;
	for (;;) {
		uint32_t s = load(&rw->rw_state);
		while (!(s & WO) && URWLOCK_READER_COUNT(s) == 0)
			if (cas(&rw->rw_state, &s, s | WO))
				return 0;
		__atomic_add_fetch(&rw->rw_blocked_writers, 1, __ATOMIC_SEQ_CST);
		long err = 0;
		for (;;) {
			s = set_bit(rw, WW, 0, 1);
			if (!(s & WO) && URWLOCK_READER_COUNT(s) == 0)
				break;
			long r = umtx_fwait(&rw->rw_state, s, WRITERS, shared, d);
			if (r < 0 && r != -EAGAIN) {
				err = r;
				break;
			}
		}
		s = leave(rw, &rw->rw_blocked_writers, WW, WRITERS, shared);
		if (err) {
			/* Readers held back only by our WRITE_WAITERS would
			 * sleep on: let them look again (do_rw_wrlock). */
			if (!(s & (WO | WW)) && load(&rw->rw_blocked_readers))
				wake(rw, READERS, 0x7fffffff, shared);
			return err;
		}
	}
}

static long rwunlock(struct urwlock *rw)
{
	uint32_t flags = rw->rw_flags;
	int shared = flags & USYNC_PROCESS_SHARED;
	uint32_t s = load(&rw->rw_state);
	if (s & WO) {
		while (!cas(&rw->rw_state, &s, s & ~WO))
			if (!(s & WO))
				return -EPERM;
	} else if (URWLOCK_READER_COUNT(s)) {
		while (!cas(&rw->rw_state, &s, s - 1))
			if (!URWLOCK_READER_COUNT(s))
				return -EPERM;
	} else {
		return -EPERM;
	}
	/* s is the state before the release: hand over as FreeBSD does. */
	if (!(flags & URWLOCK_PREFER_READER)) {
		if (s & WW)
			wake(rw, WRITERS, 1, shared);
		else if (s & RW)
			wake(rw, READERS, 0x7fffffff, shared);
	} else {
		if (s & RW)
			wake(rw, READERS, 0x7fffffff, shared);
		else if (s & WW)
			wake(rw, WRITERS, 1, shared);
	}
	return 0;
}

long umtx_rw_op(struct sysctx *c, struct urwlock *rw, int op, uint64_t val, void *u1,
		void *u2)
{
	struct umtx_deadline d;
	long r;
	switch (op) {
	case UMTX_OP_RW_RDLOCK:
	case UMTX_OP_RW_WRLOCK:
		if ((r = umtx_deadline_arg(&d, u1, u2, NULL)) < 0)
			return r;
		r = op == UMTX_OP_RW_RDLOCK ? rdlock(rw, (uint32_t)val, &d) : wrlock(rw, &d);
		if (r == -EINTR)
			c->norestart = 1; /* do_rw_*lock: ERESTART becomes EINTR */
		return r;
	case UMTX_OP_RW_UNLOCK:
		return rwunlock(rw);
	}
	return -EINVAL;
}
