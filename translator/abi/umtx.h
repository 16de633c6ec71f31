/* _umtx_op shared definitions (constants.md "_umtx_op operations"). */
#pragma once
#include <stdint.h>
#include "fbsd.h"

enum {
	UMTX_OP_WAIT = 2, UMTX_OP_WAKE = 3, UMTX_OP_MUTEX_TRYLOCK = 4, UMTX_OP_MUTEX_LOCK = 5,
	UMTX_OP_MUTEX_UNLOCK = 6, UMTX_OP_SET_CEILING = 7, UMTX_OP_CV_WAIT = 8,
	UMTX_OP_CV_SIGNAL = 9, UMTX_OP_CV_BROADCAST = 10, UMTX_OP_WAIT_UINT = 11,
	UMTX_OP_RW_RDLOCK = 12, UMTX_OP_RW_WRLOCK = 13, UMTX_OP_RW_UNLOCK = 14,
	UMTX_OP_WAIT_UINT_PRIVATE = 15, UMTX_OP_WAKE_PRIVATE = 16, UMTX_OP_MUTEX_WAIT = 17,
	UMTX_OP_MUTEX_WAKE = 18, UMTX_OP_SEM_WAIT = 19, UMTX_OP_SEM_WAKE = 20,
	UMTX_OP_NWAKE_PRIVATE = 21, UMTX_OP_MUTEX_WAKE2 = 22, UMTX_OP_SEM2_WAIT = 23,
	UMTX_OP_SEM2_WAKE = 24, UMTX_OP_SHM = 25, UMTX_OP_ROBUST_LISTS = 26,
	UMTX_OP_GET_MIN_TIMEOUT = 27, UMTX_OP_SET_MIN_TIMEOUT = 28,
};
#define UMTX_ABSTIME 1

struct umtx_time {
	struct ftimespec timeout;
	uint32_t flags, clockid;
};

struct sysctx;
int umtx_timeout(const void *uaddr1, const void *uaddr2, struct ftimespec *ts, int *abs);
long umtx_wait32(struct sysctx *c, volatile uint32_t *addr, uint32_t val, int private,
		 const void *uaddr1, const void *uaddr2);
long umtx_wake(void *addr, int n, int private);
/* Mutex, condition variable, rwlock and semaphore ops (abi/umtx_lock.c). */
long umtx_lock_op(struct sysctx *c, void *obj, int op, uint64_t val, void *u1, void *u2);
