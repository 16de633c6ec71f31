/* Futex-based mutex (Drepper's "mutex2"): 0 free, 1 locked, 2 contended. */
#include "rt.h"
#include <linux/futex.h>

void rt_lock(rt_lock_t *l)
{
	int c = __sync_val_compare_and_swap(&l->v, 0, 1);
	if (c == 0)
		return;
	if (c != 2)
		c = __atomic_exchange_n(&l->v, 2, __ATOMIC_ACQUIRE);
	while (c != 0) {
		lsys6(__NR_futex, (long)&l->v, FUTEX_WAIT_PRIVATE, 2, 0, 0, 0);
		c = __atomic_exchange_n(&l->v, 2, __ATOMIC_ACQUIRE);
	}
}

void rt_unlock(rt_lock_t *l)
{
	if (__atomic_fetch_sub(&l->v, 1, __ATOMIC_RELEASE) != 1) {
		__atomic_store_n(&l->v, 0, __ATOMIC_RELEASE);
		lsys6(__NR_futex, (long)&l->v, FUTEX_WAKE_PRIVATE, 1, 0, 0, 0);
	}
}
