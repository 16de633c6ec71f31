/* Semaphores: SEM2_WAIT/SEM2_WAKE on struct _usem2 (libc's sem_t since
 * FreeBSD 11) and the deprecated SEM_WAIT/SEM_WAKE on struct _usem
 * (COMPAT_FREEBSD10, used by old sem_t and compiler-rt's lock-based
 * __atomic_* fallback). The kernel never takes a token: it sleeps until the
 * count may be non-zero and userland retries its compare-and-swap.
 *
 * _usem2: the USEM_HAS_WAITERS bit lives in the count word itself, and
 * sleepers sleep on the word "zero with waiters". SEM2_WAKE counts the
 * sleepers like do_sem2_wake: none - the semaphore is left alone (it may be
 * destroyed already); the last one - the bit is cleared and, because a
 * newcomer may have fallen asleep on the old word, every sleeper woken;
 * more - one is woken and the bit stays.
 *
 * _usem: _has_waiters is a word of its own, so clearing it could strand a
 * sleeper that saw it set; unlike FreeBSD it is never cleared (unlockers
 * just keep calling SEM_WAKE). */
#include "../trap/dispatch.h"
#include "../rt/rt.h"
#include "umtx.h"
#include <asm-generic/errno.h>

#define HW USEM_HAS_WAITERS

static int cas(volatile uint32_t *w, uint32_t *old, uint32_t new)
{
	return __atomic_compare_exchange_n(w, old, new, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

/* After a sleep ended with r: FreeBSD's restart rules and, for an
 * interrupted relative wait, the time left for the caller (written after
 * the _umtx_time when uaddr1 says the buffer has room). */
static long sleep_result(struct sysctx *c, long r, const struct umtx_deadline *d, int abs,
			 void *u1, void *u2)
{
	if (r == 0 || r == -EAGAIN)
		return 0;
	if (r == -EINTR && d->set && !abs) {
		c->norestart = 1; /* a relative timeout cannot be restarted */
		if ((uint64_t)u1 >= sizeof(struct umtx_time) + sizeof(struct ftimespec)) {
			struct ftimespec left;
			umtx_deadline_left(d, &left);
			*(struct ftimespec *)((char *)u2 + sizeof(struct umtx_time)) = left;
		}
	}
	return r;
}

static long sem2_wait(struct sysctx *c, struct usem2 *sem, void *u1, void *u2)
{
	int shared = sem->flags & USYNC_PROCESS_SHARED, abs;
	struct umtx_deadline d;
	long r = umtx_deadline_arg(&d, u1, u2, &abs);
	if (r < 0)
		return r;
	uint32_t v = __atomic_load_n(&sem->count, __ATOMIC_SEQ_CST);
	for (;;) {
		if (USEM_COUNT(v))
			return 0;
		if (v == HW || cas(&sem->count, &v, HW))
			break;
	}
	r = umtx_fwait(&sem->count, HW, UMTX_BITS_ALL, shared, &d);
	return sleep_result(c, r, &d, abs, u1, u2);
}

static long sem2_wake(struct usem2 *sem)
{
	int shared = sem->flags & USYNC_PROCESS_SHARED;
	for (;;) {
		uint32_t v = __atomic_load_n(&sem->count, __ATOMIC_SEQ_CST);
		int n = umtx_fcount(&sem->count, v, shared);
		if (n < 0)
			continue; /* the word moved */
		if (n == 0)
			return 0;
		if (n > 1) {
			umtx_fwake(&sem->count, 1, UMTX_BITS_ALL, shared);
			return 0;
		}
		while ((v & HW) && !cas(&sem->count, &v, v & ~HW))
			;
		umtx_fwake(&sem->count, 0x7fffffff, UMTX_BITS_ALL, shared);
		return 0;
	}
}

static long sem_wait(struct sysctx *c, struct usem *sem, void *u1, void *u2)
{
	int shared = sem->flags & USYNC_PROCESS_SHARED, abs;
	struct umtx_deadline d;
	long r = umtx_deadline_arg(&d, u1, u2, &abs);
	if (r < 0)
		return r;
	uint32_t zero = 0;
	cas(&sem->has_waiters, &zero, 1);
	if (__atomic_load_n(&sem->count, __ATOMIC_SEQ_CST) != 0)
		return 0;
	r = umtx_fwait(&sem->count, 0, UMTX_BITS_ALL, shared, &d);
	return sleep_result(c, r, &d, abs, NULL, u2); /* no time-left copy-out */
}

long umtx_sem_op(struct sysctx *c, void *sem, int op, uint64_t val, void *u1, void *u2)
{
	switch (op) {
	case UMTX_OP_SEM2_WAIT:
		return sem2_wait(c, sem, u1, u2);
	case UMTX_OP_SEM2_WAKE:
		return sem2_wake(sem);
	case UMTX_OP_SEM_WAIT:
		return sem_wait(c, sem, u1, u2);
	case UMTX_OP_SEM_WAKE: {
		struct usem *s = sem;
		umtx_fwake(&s->count, 1, UMTX_BITS_ALL, s->flags & USYNC_PROCESS_SHARED);
		return 0;
	}
	}
	return -EINVAL;
}
