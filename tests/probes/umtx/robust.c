/* umtx probe: robust mutexes (UMUTEX_ROBUST) and ROBUST_LISTS (26).
 * A thread registers the addresses of its robust-list heads and of its
 * "being locked" word, as libthr does; when it ends with thr_exit still
 * owning robust mutexes, each becomes UMUTEX_RB_OWNERDEAD and the next
 * locker gets EOWNERDEAD (96); once unlocked while UMUTEX_NONCONSISTENT it
 * is UMUTEX_RB_NOTRECOV and every lock fails with ENOTRECOVERABLE (95). */
#include "uthr.h"

static struct umutex m_shared, m_priv, m_inact, m_plain, m_wait;
static volatile u32 go_exit, locked;
static volatile long waiter_result = -1;

/* What libthr keeps in struct pthread and registers with ROBUST_LISTS. */
struct rb_heads {
	u64 list, priv_list, inact;
};

static long register_lists(struct rb_heads *h)
{
	struct robust_params p = {(u64)&h->list, (u64)&h->priv_list, (u64)&h->inact};
	return umtx_err(0, UMTX_OP_ROBUST_LISTS, sizeof p, &p, 0);
}

/* Locks m and links it at the head of *head, with inact covering the
 * window as libthr's mutex_lock_common does. */
static long robust_lock(struct rb_heads *h, u64 *head, struct umutex *m, u32 id)
{
	h->inact = (u64)m;
	long e = lock_kernel(m, id);
	if (e)
		return e;
	m->m_rb_lnk = *head;
	*head = (u64)m;
	h->inact = 0;
	return 0;
}

static volatile long owner_errors;
static void owner(void *arg)
{
	struct rb_heads h = {0, 0, 0};
	u32 id = (u32)self_tid();
	owner_errors = register_lists(&h);
	owner_errors |= robust_lock(&h, &h.list, &m_shared, id);
	owner_errors |= robust_lock(&h, &h.priv_list, &m_priv, id);
	/* Caught between taking m_inact and linking it: only inact knows. */
	h.inact = (u64)&m_inact;
	owner_errors |= lock_kernel(&m_inact, id);
	owner_errors |= lock_kernel(&m_plain, id); /* not robust, not listed */
	add32(&locked, 1);
}

static void test_owner_dies(void)
{
	struct uthr t;
	m_shared.m_flags = m_priv.m_flags = m_inact.m_flags = UMUTEX_ROBUST;
	if (!CHECK_EQ("owner thread started", uthr_start(&t, owner, 0), 0))
		return;
	uthr_join(&t);
	CHECK_EQ("  it registered its lists and took 4 mutexes", owner_errors, 0);
	int dead = CHECK_EQ("after thr_exit: listed robust mutex is UMUTEX_RB_OWNERDEAD",
			    m_shared.m_owner, UMUTEX_RB_OWNERDEAD);
	CHECK_EQ("  so is the one on the private list", m_priv.m_owner, UMUTEX_RB_OWNERDEAD);
	CHECK_EQ("  and the one only in robust_inact", m_inact.m_owner, UMUTEX_RB_OWNERDEAD);
	CHECK_EQ("  a non-robust mutex stays with the dead thread", m_plain.m_owner, (u32)t.tid);
	if (!dead)
		return; /* a lock would sleep forever on the dead thread */

	u32 me = (u32)self_tid();
	CHECK_ERR("MUTEX_LOCK of a dead owner's mutex: EOWNERDEAD (96)",
		  umtx(&m_shared, UMTX_OP_MUTEX_LOCK, 0, 0, 0), EOWNERDEAD);
	CHECK_EQ("  and the locker owns it (id | CONTESTED)", m_shared.m_owner, me | UMUTEX_CONTESTED);
	CHECK_ERR("MUTEX_TRYLOCK of another: EOWNERDEAD too", umtx(&m_priv, UMTX_OP_MUTEX_TRYLOCK, 0, 0, 0),
		  EOWNERDEAD);
	CHECK_OK("  unlock after pthread_mutex_consistent()", umtx(&m_priv, UMTX_OP_MUTEX_UNLOCK, 0, 0, 0));
	CHECK_EQ("  leaves it free", m_priv.m_owner, 0);

	m_shared.m_flags |= UMUTEX_NONCONSISTENT;
	CHECK_OK("MUTEX_UNLOCK while UMUTEX_NONCONSISTENT", umtx(&m_shared, UMTX_OP_MUTEX_UNLOCK, 0, 0, 0));
	CHECK_EQ("  leaves UMUTEX_RB_NOTRECOV", m_shared.m_owner, UMUTEX_RB_NOTRECOV);
	CHECK_ERR("MUTEX_LOCK then: ENOTRECOVERABLE (95)", umtx(&m_shared, UMTX_OP_MUTEX_LOCK, 0, 0, 0),
		  ENOTRECOVERABLE);
	CHECK_ERR("MUTEX_TRYLOCK too", umtx(&m_shared, UMTX_OP_MUTEX_TRYLOCK, 0, 0, 0), ENOTRECOVERABLE);
}

/* A thread blocked in MUTEX_LOCK when the owner exits wakes with
 * EOWNERDEAD. */
static void dying_owner(void *arg)
{
	struct rb_heads h = {0, 0, 0};
	u32 id = (u32)self_tid();
	register_lists(&h);
	robust_lock(&h, &h.list, &m_wait, id);
	add32(&locked, 1);
	await32(&go_exit, 1);
}
static void blocked_locker(void *arg)
{
	struct umtx_time at = abs_in(5000, CLOCK_MONOTONIC); /* fail, not hang */
	waiter_result = umtx_err(&m_wait, UMTX_OP_MUTEX_LOCK, 0, (void *)sizeof at, &at);
}

static void test_waiter_told(void)
{
	struct uthr o, w;
	m_wait.m_flags = UMUTEX_ROBUST;
	locked = 0;
	uthr_start(&o, dying_owner, 0);
	CHECK("second owner holds its robust mutex", await32(&locked, 1));
	uthr_start(&w, blocked_locker, 0);
	CHECK("a locker blocks on it (CONTESTED set)",
	      await32(&m_wait.m_owner, (u32)o.tid | UMUTEX_CONTESTED));
	sleep_ms(50);
	go_exit = 1;
	uthr_join(&o);
	uthr_join(&w);
	CHECK_EQ("the blocked MUTEX_LOCK (5 s deadline) returns EOWNERDEAD when the owner exits",
		 waiter_result, EOWNERDEAD);
	CHECK_EQ("  and owns the mutex", m_wait.m_owner & ~UMUTEX_CONTESTED, (u32)w.tid);
}

int main(int argc, char **argv, char **envp)
{
	struct robust_params big[2];
	CHECK_ERR("ROBUST_LISTS with a size over 24: EINVAL",
		  umtx(0, UMTX_OP_ROBUST_LISTS, sizeof big[0] + 1, big, 0), EINVAL);
	test_owner_dies();
	test_waiter_told();
	return rt_done();
}
