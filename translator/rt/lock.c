/* Futex-based mutex (Drepper's "mutex2"): 0 free, 1 locked, 2 contended. */
#include "rt.h"
#include <linux/futex.h>

int rt_pid;

void rt_lock(rt_lock_t *l)
{
	int c = __sync_val_compare_and_swap(&l->v, 0, 1);
	if (c == 0) {
		l->pid = rt_pid;
		return;
	}
	int owner = __atomic_load_n(&l->pid, __ATOMIC_RELAXED);
	/* Inherited locked across fork: nobody here will release it, so the
	 * first thread to notice takes it over (the CAS picks one). */
	if (owner && owner != rt_pid && __sync_bool_compare_and_swap(&l->pid, owner, rt_pid))
		return;
	if (c != 2)
		c = __atomic_exchange_n(&l->v, 2, __ATOMIC_ACQUIRE);
	while (c != 0) {
		lsys6(__NR_futex, (long)&l->v, FUTEX_WAIT_PRIVATE, 2, 0, 0, 0);
		c = __atomic_exchange_n(&l->v, 2, __ATOMIC_ACQUIRE);
	}
	l->pid = rt_pid;
}

void rt_unlock(rt_lock_t *l)
{
	if (__atomic_fetch_sub(&l->v, 1, __ATOMIC_RELEASE) != 1) {
		__atomic_store_n(&l->v, 0, __ATOMIC_RELEASE);
		lsys6(__NR_futex, (long)&l->v, FUTEX_WAKE_PRIVATE, 1, 0, 0, 0);
	}
}
