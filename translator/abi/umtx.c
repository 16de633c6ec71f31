/* _umtx_op(2): FreeBSD's futex, on Linux futexes (startup.md §4). */
#include "../trap/dispatch.h"
#include "../rt/rt.h"
#include "umtx.h"
#include <asm-generic/errno.h>
#include <linux/futex.h>
#include <linux/time.h>

/* Converts a FreeBSD timeout argument into a Linux futex call shape.
 * Returns the futex op flags to add (FUTEX_CLOCK_REALTIME) and sets *abs
 * when the deadline is absolute. */
int umtx_timeout(const void *uaddr1, const void *uaddr2, struct ftimespec *ts, int *abs)
{
	*abs = 0;
	if (!uaddr2)
		return -1; /* forever */
	size_t size = (size_t)uaddr1;
	if (size > sizeof(struct ftimespec)) {
		const struct umtx_time *ut = uaddr2;
		*ts = ut->timeout;
		*abs = ut->flags & UMTX_ABSTIME;
		if (*abs && ut->clockid != 4 && ut->clockid != 5) /* MONOTONIC, UPTIME */
			return FUTEX_CLOCK_REALTIME;
		return 0;
	}
	*ts = *(const struct ftimespec *)uaddr2;
	return 0;
}

/* Sleeps while *addr == val. FreeBSD returns 0 when the value differs. */
long umtx_wait32(struct sysctx *c, volatile uint32_t *addr, uint32_t val, int private,
		 const void *uaddr1, const void *uaddr2)
{
	struct ftimespec ts;
	int abs;
	int clk = umtx_timeout(uaddr1, uaddr2, &ts, &abs);
	int op = private ? FUTEX_PRIVATE_FLAG : 0;
	long r;
	if (clk < 0) {
		r = bsys(__NR_futex, addr, FUTEX_WAIT | op, val, 0, 0, 0);
	} else {
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
			return -EINVAL;
		c->norestart = 1;
		if (abs)
			r = bsys(__NR_futex, addr, FUTEX_WAIT_BITSET | op | clk, val, &ts, 0,
				 FUTEX_BITSET_MATCH_ANY);
		else
			r = bsys(__NR_futex, addr, FUTEX_WAIT | op, val, &ts, 0, 0);
	}
	if (r == -EAGAIN)
		return 0;
	return r == -ETIMEDOUT ? -ETIMEDOUT : r;
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
