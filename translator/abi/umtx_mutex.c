/* struct umutex: MUTEX_TRYLOCK/LOCK/UNLOCK/WAIT/WAKE/WAKE2 and SET_CEILING
 * with kern_umtx.c's word protocol. m_owner is the owner's FreeBSD thread
 * id; UMUTEX_CONTESTED (bit 31) tells an unlocker to come to the kernel.
 * libthr takes and releases uncontested mutexes itself with compare-and-
 * swap and calls us for the contested cases.
 *
 * Waiting: a waiter sets CONTESTED and sleeps on a futex on m_owner with
 * the value it saw. Like do_unlock_normal(), a contested unlock counts the
 * sleepers (umtx_fcount) and keeps CONTESTED in the released word only if
 * more than one sleeps, then wakes one. FreeBSD's chain lock keeps new
 * sleepers out between that count and the release; here a newcomer may
 * fall asleep on the old word just then, so a release that clears
 * CONTESTED wakes every sleeper instead of one (normally zero or one).
 *
 * Priority inheritance (UMUTEX_PRIO_INHERIT) and priority protection
 * (UMUTEX_PRIO_PROTECT) mutexes use the same algorithm: no thread priority
 * is raised or lent. PP keeps FreeBSD's word rules (unlocked state is
 * CONTESTED so every lock comes here; ceilings are checked and stored) and
 * PI returns EDEADLK/EBUSY as do_lock_pi does. */
#include "../trap/dispatch.h"
#include "../rt/rt.h"
#include "umtx.h"
#include <asm-generic/errno.h>

#define C UMUTEX_CONTESTED

enum { M_LOCK, M_TRY, M_WAIT };

static int cas(volatile uint32_t *w, uint32_t old, uint32_t new)
{
	return __atomic_compare_exchange_n(w, &old, new, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

static uint32_t load(volatile uint32_t *w)
{
	return __atomic_load_n(w, __ATOMIC_SEQ_CST);
}

static int m_free(uint32_t owner)
{
	return (owner & ~C) == 0;
}

static int bad_kind(uint32_t flags)
{
	return (flags & (UMUTEX_PRIO_INHERIT | UMUTEX_PRIO_PROTECT)) ==
	       (UMUTEX_PRIO_INHERIT | UMUTEX_PRIO_PROTECT);
}

/* Wakes sleepers after the word became `stored`: one if CONTESTED stays
 * set for the others (kept), else all of them. UMUTEX_RB_NOTRECOV refuses
 * every locker, so all of them must hear it. No write follows a release. */
static void wake_after_release(struct umutex *m, uint32_t stored, int kept, int shared)
{
	int all = !kept || stored == UMUTEX_RB_NOTRECOV;
	umtx_fwake(&m->m_owner, all ? 0x7fffffff : 1, UMTX_BITS_ALL, shared);
}

/* do_lock_normal/do_lock_pi/do_lock_pp in one loop. */
static long mutex_lock(struct umutex *m, uint32_t id, const struct umtx_deadline *d, int mode)
{
	uint32_t flags = m->m_flags;
	if (bad_kind(flags))
		return -EINVAL;
	int shared = flags & USYNC_PROCESS_SHARED;
	int pi = flags & UMUTEX_PRIO_INHERIT, pp = flags & UMUTEX_PRIO_PROTECT;
	if (pp && mode != M_WAIT && m->m_ceilings[0] > UMTX_RTP_PRIO_MAX)
		return -EINVAL;
	for (;;) {
		uint32_t o = load(&m->m_owner);
		if (mode == M_WAIT) {
			/* Returns once the mutex is free; the caller retries. */
			if (m_free(o) || o == UMUTEX_RB_OWNERDEAD || o == UMUTEX_RB_NOTRECOV)
				return 0;
		} else {
			if (o == UMUTEX_RB_OWNERDEAD) {
				/* The owner died: the locker gets it and is told so;
				 * libthr then marks it UMUTEX_NONCONSISTENT. */
				if (cas(&m->m_owner, o, id | C))
					return FERR(FE_OWNERDEAD);
				continue;
			}
			if (o == UMUTEX_RB_NOTRECOV)
				return FERR(FE_NOTRECOVERABLE);
			if (m_free(o)) {
				/* Keep CONTESTED if set: others may still sleep. */
				if (cas(&m->m_owner, o, id | o | (pp ? C : 0)))
					return 0;
				continue;
			}
			if ((o & ~C) == id) /* relock by the owner */
				return mode == M_TRY && !pi ? -EBUSY : FERR(FE_DEADLK);
			if (mode == M_TRY)
				return -EBUSY;
		}
		if (!(o & C)) {
			if (!cas(&m->m_owner, o, o | C))
				continue;
			o |= C;
		}
		long r = umtx_fwait(&m->m_owner, o, UMTX_BITS_ALL, shared, d);
		if (r < 0 && r != -EAGAIN)
			return r; /* -ETIMEDOUT, -EINTR, -EFAULT */
	}
}

long umtx_mutex_unlock(struct umutex *m, uint32_t id, int rb)
{
	uint32_t flags = m->m_flags;
	if (bad_kind(flags))
		return -EINVAL;
	int shared = flags & USYNC_PROCESS_SHARED, pp = flags & UMUTEX_PRIO_PROTECT;
	/* umtx_unlock_val() */
	uint32_t nv = rb ? UMUTEX_RB_OWNERDEAD
		      : (flags & UMUTEX_NONCONSISTENT) ? UMUTEX_RB_NOTRECOV : UMUTEX_UNOWNED;
	for (;;) {
		uint32_t o = load(&m->m_owner);
		if ((o & ~C) != id)
			return -EPERM;
		if (pp) {
			/* do_unlock_pp: the free state is CONTESTED, so every
			 * lock comes here and one wake-up per unlock suffices. */
			if (!cas(&m->m_owner, o, nv | C))
				continue;
			wake_after_release(m, nv | C, 1, shared);
			return 0;
		}
		if (!(o & C)) {
			if (cas(&m->m_owner, o, nv))
				return 0; /* nobody announced a wait */
			continue;
		}
		int n = umtx_fcount(&m->m_owner, o, shared);
		if (n < 0)
			continue; /* the word moved: look again */
		int keep = n > 1;
		if (!cas(&m->m_owner, o, nv | (keep ? C : 0)))
			continue;
		/* Without CONTESTED, wake even when nobody was counted:
		 * a newcomer may have gone to sleep on the old word. */
		wake_after_release(m, nv | (keep ? C : 0), keep, shared);
		return 0;
	}
}

/* MUTEX_WAKE2: libthr released a contested mutex itself. do_wake2_umutex
 * counts the sleepers; with none it leaves the memory alone (the mutex may
 * be gone already). Otherwise CONTESTED goes back if more than one sleeps
 * or someone already owns it again, and a free mutex gets a waker.
 * MUTEX_WAKE (deprecated) does nothing for an owned mutex. */
static long mutex_wake(struct umutex *m, uint32_t flags, int only_if_free)
{
	if (bad_kind(flags))
		return -EINVAL;
	int shared = flags & USYNC_PROCESS_SHARED;
	for (;;) {
		uint32_t o = load(&m->m_owner);
		int owned = !m_free(o) && o != UMUTEX_RB_OWNERDEAD && o != UMUTEX_RB_NOTRECOV;
		if (owned && only_if_free)
			return 0;
		int n = umtx_fcount(&m->m_owner, o, shared);
		if (n < 0)
			continue;
		if (n == 0)
			return 0;
		int keep = (o & C) || n > 1 || owned;
		if (keep && !(o & C)) {
			if (!cas(&m->m_owner, o, o | C))
				continue;
			o |= C;
		}
		if (!owned)
			wake_after_release(m, o, keep && n > 1, shared);
		return 0;
	}
}

/* do_set_ceiling(): only for PP mutexes; takes the mutex (sleeping while
 * someone else holds it) to change m_ceilings[0], then releases it. */
static long set_ceiling(struct umutex *m, uint32_t id, uint32_t ceiling, uint32_t *old)
{
	uint32_t flags = m->m_flags;
	if (!(flags & UMUTEX_PRIO_PROTECT) || bad_kind(flags))
		return -EINVAL;
	if (ceiling > UMTX_RTP_PRIO_MAX)
		return -EINVAL;
	int shared = flags & USYNC_PROCESS_SHARED;
	uint32_t save;
	for (;;) {
		save = m->m_ceilings[0];
		uint32_t o = load(&m->m_owner);
		if (m_free(o)) {
			if (!cas(&m->m_owner, o, id | C))
				continue;
			m->m_ceilings[0] = ceiling;
			__atomic_store_n(&m->m_owner, C, __ATOMIC_SEQ_CST);
			break;
		}
		if ((o & ~C) == id) {
			m->m_ceilings[0] = ceiling;
			break;
		}
		if (o == UMUTEX_RB_OWNERDEAD)
			return FERR(FE_OWNERDEAD);
		if (o == UMUTEX_RB_NOTRECOV)
			return FERR(FE_NOTRECOVERABLE);
		if (!(o & C)) {
			if (!cas(&m->m_owner, o, o | C))
				continue;
			o |= C;
		}
		long r = umtx_fwait(&m->m_owner, o, UMTX_BITS_ALL, shared, NULL);
		if (r < 0 && r != -EAGAIN)
			return r;
	}
	/* FreeBSD wakes every sleeper to re-read the ceiling. */
	umtx_fwake(&m->m_owner, 0x7fffffff, UMTX_BITS_ALL, shared);
	if (old)
		*old = save;
	return 0;
}

long umtx_mutex_op(struct sysctx *c, struct umutex *m, int op, uint64_t val, void *u1,
		   void *u2)
{
	uint32_t id = umtx_tid(c->t);
	struct umtx_deadline d;
	long r;
	switch (op) {
	case UMTX_OP_MUTEX_TRYLOCK:
		return mutex_lock(m, id, NULL, M_TRY);
	case UMTX_OP_MUTEX_LOCK:
		if ((r = umtx_deadline_arg(&d, u1, u2, NULL)) < 0)
			return r;
		r = mutex_lock(m, id, &d, M_LOCK);
		if (r == -EINTR) {
			/* do_lock_umutex: an untimed lock always restarts
			 * (pthread_mutex_lock never fails with EINTR); a timed
			 * one is interrupted. */
			if (!d.set)
				return umtx_restart(c);
			c->norestart = 1;
		}
		return r;
	case UMTX_OP_MUTEX_UNLOCK:
		return umtx_mutex_unlock(m, id, 0);
	case UMTX_OP_SET_CEILING:
		return set_ceiling(m, id, (uint32_t)val, u1);
	case UMTX_OP_MUTEX_WAIT:
		if ((r = umtx_deadline_arg(&d, u1, u2, NULL)) < 0)
			return r;
		r = mutex_lock(m, id, &d, M_WAIT);
		if (r == -EINTR && d.set)
			c->norestart = 1;
		return r;
	case UMTX_OP_MUTEX_WAKE:
		return mutex_wake(m, m->m_flags, 1);
	case UMTX_OP_MUTEX_WAKE2:
		return mutex_wake(m, (uint32_t)val, 0);
	}
	return -EINVAL;
}
