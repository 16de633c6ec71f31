/* libthr's kernel-assisted locks (_umtx_op ops sys__umtx_op leaves to us):
 * the dispatcher and the machinery every object kind shares — deadlines,
 * futex sleeps and wake-ups, forced restarts, safe reads of guest memory.
 *
 * FreeBSD keeps a sleep queue per object in the kernel (kern_umtx.c) and
 * the object word only says "someone may be waiting". Here the sleep
 * queue is a Linux futex on the object's own word, so process-shared
 * objects work across processes with no translator state; each object
 * kind keeps FreeBSD's word protocol (see umtx_mutex.c, umtx_cond.c,
 * umtx_rwlock.c, umtx_sem.c). Where FreeBSD counts an object's sleepers,
 * umtx_fcount() asks the futex. Like FreeBSD, nothing writes an object
 * after releasing it unless a sleeper still references it: a program may
 * free a mutex as soon as it can lock it. */
#include "../trap/dispatch.h"
#include "../rt/rt.h"
#include "umtx.h"
#include "xlate.h"
#include <asm-generic/errno.h>
#include <linux/futex.h>
#include <linux/time.h>
#include <linux/uio.h>

long umtx_lock_op(struct sysctx *c, void *obj, int op, uint64_t val, void *u1, void *u2)
{
	switch (op) {
	case UMTX_OP_MUTEX_TRYLOCK:
	case UMTX_OP_MUTEX_LOCK:
	case UMTX_OP_MUTEX_UNLOCK:
	case UMTX_OP_SET_CEILING:
	case UMTX_OP_MUTEX_WAIT:
	case UMTX_OP_MUTEX_WAKE:
	case UMTX_OP_MUTEX_WAKE2:
		return umtx_mutex_op(c, obj, op, val, u1, u2);
	case UMTX_OP_CV_WAIT:
	case UMTX_OP_CV_SIGNAL:
	case UMTX_OP_CV_BROADCAST:
		return umtx_cv_op(c, obj, op, val, u1, u2);
	case UMTX_OP_RW_RDLOCK:
	case UMTX_OP_RW_WRLOCK:
	case UMTX_OP_RW_UNLOCK:
		return umtx_rw_op(c, obj, op, val, u1, u2);
	case UMTX_OP_SEM_WAIT:
	case UMTX_OP_SEM_WAKE:
	case UMTX_OP_SEM2_WAIT:
	case UMTX_OP_SEM2_WAKE:
		return umtx_sem_op(c, obj, op, val, u1, u2);
	case UMTX_OP_SHM:
		return umtx_shm_op(c, val, u1);
	case UMTX_OP_ROBUST_LISTS:
		return umtx_robust_op(c, val, u1);
	case 0: /* UMTX_OP_LOCK/UNLOCK: COMPAT_FREEBSD10 struct umtx, unused */
	case 1:
		return -EOPNOTSUPP;
	}
	return -EINVAL;
}

uint32_t umtx_tid(const struct gthread *t)
{
	return (uint32_t)(t->tid + FBSD_TID_OFFSET);
}

/* ---- Deadlines ---- */

static void ts_add(struct ftimespec *a, const struct ftimespec *b)
{
	a->tv_sec += b->tv_sec;
	a->tv_nsec += b->tv_nsec;
	if (a->tv_nsec >= 1000000000) {
		a->tv_sec++;
		a->tv_nsec -= 1000000000;
	}
}

/* a - b, or zero if b is later. */
static struct ftimespec ts_sub0(const struct ftimespec *a, const struct ftimespec *b)
{
	struct ftimespec r = { a->tv_sec - b->tv_sec, a->tv_nsec - b->tv_nsec };
	if (r.tv_nsec < 0) {
		r.tv_sec--;
		r.tv_nsec += 1000000000;
	}
	if (r.tv_sec < 0)
		r.tv_sec = r.tv_nsec = 0;
	return r;
}

static void now(int lclock, struct ftimespec *ts)
{
	if (lerr(lsys2(__NR_clock_gettime, lclock, ts)))
		ts->tv_sec = ts->tv_nsec = 0;
}

/* FUTEX_WAIT_BITSET measures against CLOCK_REALTIME or CLOCK_MONOTONIC;
 * the other Linux clocks map to one of them, or -1 for CPU-time clocks. */
static int futex_base(int lclock)
{
	switch (lclock) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		return CLOCK_REALTIME;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		return CLOCK_MONOTONIC;
	}
	return -1;
}

/* timespecvalid_interval(): FreeBSD refuses these with EINVAL. */
static int ts_valid(const struct ftimespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < 1000000000;
}

long umtx_deadline_init(struct umtx_deadline *d, int fclock, int absolute,
			const struct ftimespec *ts)
{
	d->set = 0;
	if (!ts_valid(ts))
		return -EINVAL;
	int lclock = clock_f2l(fclock);
	if (lclock == -1000)
		return -EINVAL;
	int base = futex_base(lclock);
	d->set = 1;
	if (base >= 0) {
		d->lclock = base;
		d->ts = *ts;
		if (!absolute) {
			now(base, &d->ts);
			ts_add(&d->ts, ts);
		}
		return 0;
	}
	/* CPU-time clocks (FreeBSD polls them every tick): sleep on the
	 * monotonic clock for the time that is left now. */
	struct ftimespec left = *ts, t;
	if (absolute) {
		now(lclock, &t);
		left = ts_sub0(ts, &t);
	}
	d->lclock = CLOCK_MONOTONIC;
	now(CLOCK_MONOTONIC, &d->ts);
	ts_add(&d->ts, &left);
	return 0;
}

long umtx_deadline_arg(struct umtx_deadline *d, const void *uaddr1, const void *uaddr2,
		       int *abs_out)
{
	d->set = 0;
	if (abs_out)
		*abs_out = 0;
	if (!uaddr2)
		return 0;
	/* umtx_copyin_umtx_time(): a size up to a timespec means a relative
	 * CLOCK_REALTIME timespec, anything larger a struct _umtx_time. */
	if ((uint64_t)uaddr1 <= sizeof(struct ftimespec))
		return umtx_deadline_init(d, 0, 0, uaddr2);
	struct umtx_time ut = *(const struct umtx_time *)uaddr2;
	int abs = (ut.flags & UMTX_ABSTIME) != 0;
	if (abs_out)
		*abs_out = abs;
	return umtx_deadline_init(d, (int)ut.clockid, abs, &ut.timeout);
}

void umtx_deadline_left(const struct umtx_deadline *d, struct ftimespec *left)
{
	struct ftimespec t;
	now(d->lclock, &t);
	*left = ts_sub0(&d->ts, &t);
}

/* ---- Futexes ---- */

long umtx_fwait(volatile uint32_t *w, uint32_t val, uint32_t bits, int shared,
		const struct umtx_deadline *d)
{
	int op = FUTEX_WAIT_BITSET | (shared ? 0 : FUTEX_PRIVATE_FLAG);
	const struct ftimespec *to = NULL;
	if (d && d->set) {
		to = &d->ts;
		if (d->lclock == CLOCK_REALTIME)
			op |= FUTEX_CLOCK_REALTIME;
	}
	return bsys(__NR_futex, w, op, val, to, 0, bits);
}

int umtx_fwake(volatile uint32_t *w, int n, uint32_t bits, int shared)
{
	int op = FUTEX_WAKE_BITSET | (shared ? 0 : FUTEX_PRIVATE_FLAG);
	long r = lsys6(__NR_futex, (long)w, op, n, 0, 0, bits);
	return lerr(r) ? 0 : (int)r;
}

/* How many threads sleep on w, without waking any: a compare-and-requeue
 * of w onto itself, which returns the number it moved. -EAGAIN if *w is no
 * longer val. The count can only shrink by wake-ups, time-outs and signals;
 * newcomers must change the word or find it changed. */
int umtx_fcount(volatile uint32_t *w, uint32_t val, int shared)
{
	int op = FUTEX_CMP_REQUEUE | (shared ? 0 : FUTEX_PRIVATE_FLAG);
	long r = lsys6(__NR_futex, (long)w, op, 0, 0x7fffffff, (long)w, val);
	if (r == -EAGAIN || !lerr(r))
		return (int)r;
	return 2; /* unknown: assume company, which is always safe */
}

long umtx_restart(struct sysctx *c)
{
	/* rax and the arguments are untouched: the guest re-executes the
	 * 2-byte syscall instruction once its signal handler returns. */
	c->uc->uc_mcontext.rip -= 2;
	c->justreturn = 1;
	return 0;
}

/* process_vm_readv on ourselves reports a bad address as EFAULT instead of
 * faulting; used where a fault cannot abort a whole system call (the
 * robust-list walk of an exiting thread). */
long umtx_peek(uint64_t addr, void *dst, uint64_t len)
{
	if (addr < 4096 || addr + len < addr || addr + len > 0x800000000000ULL)
		return -EFAULT;
	struct iovec local = { dst, len }, remote = { (void *)addr, len };
	long r = lsys6(__NR_process_vm_readv, lsys0(__NR_getpid), (long)&local, 1,
		       (long)&remote, 1, 0);
	if (r == (long)len)
		return 0;
	if (r == -ENOSYS || r == -EPERM) { /* filtered: trust the pointer */
		memcpy(dst, (const void *)addr, len);
		return 0;
	}
	return -EFAULT;
}
