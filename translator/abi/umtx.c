/* _umtx_op(2): FreeBSD's futex, on Linux futexes (startup.md §4). */
#include "../trap/dispatch.h"
#include "../rt/rt.h"
#include "umtx.h"
#include <asm-generic/errno.h>
#include <linux/futex.h>

/* Sleeps while *addr == val. FreeBSD returns 0 when the value differs;
 * a timed wait is not restarted after a signal. */
long umtx_wait32(struct sysctx *c, volatile uint32_t *addr, uint32_t val, int private,
		 const void *uaddr1, const void *uaddr2)
{
	struct umtx_deadline d;
	long r = umtx_deadline_arg(&d, uaddr1, uaddr2, NULL);
	if (r < 0)
		return r;
	if (d.set)
		c->norestart = 1;
	r = umtx_fwait(addr, val, UMTX_BITS_ALL, !private, &d);
	return r == -EAGAIN ? 0 : r;
}

long umtx_wake(void *addr, int n, int private)
{
	long r = lsys6(__NR_futex, (long)addr, FUTEX_WAKE | (private ? FUTEX_PRIVATE_FLAG : 0),
		       n, 0, 0, 0);
	return lerr(r) ? r : 0;
}

long sys__umtx_op(struct sysctx *c)
{
	void *obj = ARG_PTR(c, 0);
	int op = ARG_INT(c, 1);
	uint64_t val = c->a[2];
	void *u1 = ARG_PTR(c, 3), *u2 = ARG_PTR(c, 4);
	switch (op) {
	case UMTX_OP_WAIT: {
		/* 64-bit compare: Linux futexes are 32-bit, so sleep on the low
		 * word after checking the whole value. */
		volatile uint64_t *p = obj;
		if (*p != val)
			return 0;
		return umtx_wait32(c, (volatile uint32_t *)p, (uint32_t)val, 0, u1, u2);
	}
	case UMTX_OP_WAIT_UINT:
		return umtx_wait32(c, obj, (uint32_t)val, 0, u1, u2);
	case UMTX_OP_WAIT_UINT_PRIVATE:
		return umtx_wait32(c, obj, (uint32_t)val, 1, u1, u2);
	case UMTX_OP_WAKE:
		return umtx_wake(obj, (int)(val > 0x7fffffff ? 0x7fffffff : val), 0);
	case UMTX_OP_WAKE_PRIVATE:
		return umtx_wake(obj, (int)(val > 0x7fffffff ? 0x7fffffff : val), 1);
	case UMTX_OP_NWAKE_PRIVATE: {
		void **addrs = obj;
		for (uint64_t i = 0; i < val; i++)
			umtx_wake(addrs[i], 0x7fffffff, 1);
		return 0;
	}
	case UMTX_OP_GET_MIN_TIMEOUT:
		if (u1)
			*(int *)u1 = 0;
		return 0;
	case UMTX_OP_SET_MIN_TIMEOUT:
		return 0;
	}
	return umtx_lock_op(c, obj, op, val, u1, u2);
}
