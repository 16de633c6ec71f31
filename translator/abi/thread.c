/* FreeBSD threads (thr_*) on Linux clone() threads (startup.md). */
#include "../trap/dispatch.h"
#include "../trap/signals.h"
#include "../rt/rt.h"
#include "xlate.h"
#include "umtx.h"
#include <asm-generic/errno.h>
#include <linux/sched.h>
#include <linux/futex.h>
#include <linux/prctl.h>
#include <linux/fcntl.h>
#include "../loader/process.h"


struct thr_param {
	uint64_t start_func, arg, stack_base, stack_size, tls_base, tls_size;
	int64_t *child_tid, *parent_tid;
	int32_t flags, pad;
	uint64_t rtp, spare[3];
};
_Static_assert(sizeof(struct thr_param) == 104, "thr_param");

struct thr_start {
	struct gthread *t;
	struct guest_regs regs;
	int64_t *child_tid, *parent_tid;
};

long clone_thread(unsigned long flags, void *stack, int *ptid, unsigned long tls,
		  void (*fn)(void **));

static void thread_start(void **sp)
{
	struct thr_start s = *(struct thr_start *)*sp;
	thread_attach(s.t);
	int64_t id = s.t->tid + FBSD_TID_OFFSET;
	if (s.child_tid)
		*s.child_tid = id;
	if (s.parent_tid)
		*s.parent_tid = id;
	enter_guest(&s.regs, &s.t->sigmask);
}

long sys_thr_new(struct sysctx *c)
{
	/* sys_thr_new: param_size up to sizeof(struct thr_param); what a short
	 * one leaves out reads as zero. */
	struct thr_param param;
	const struct thr_param *p = &param;
	int size = ARG_INT(c, 1);
	if (size < 0 || size > (int)sizeof param)
		return -EINVAL;
	memset(&param, 0, sizeof param);
	memcpy(&param, ARG_PTR(c, 0), (size_t)size);
	if (p->tls_base >= 0x800000000000UL)
		return -EINVAL;
	/* cpu_set_upcall stores the fake return address first: EFAULT here
	 * leaves nothing allocated. */
	uint64_t rsp = ((p->stack_base + p->stack_size) & ~0xFUL) - 8;
	*(volatile uint64_t *)rsp = 0;
	thread_reap();
	struct gthread *t = thread_new();
	if (!t)
		return -ENOMEM;
	t->sigmask = c->t->sigmask;
	t->tid_clear = 1; /* not reapable before it has even started */

	/* The start block sits below the area enter_guest() uses. */
	char *top = t->host_stack + t->host_stack_size - 2048;
	struct thr_start *s = (struct thr_start *)(top - ALIGN_UP(sizeof *s, 16));
	memset(s, 0, sizeof *s);
	s->t = t;
	s->child_tid = p->child_tid;
	s->parent_tid = p->parent_tid;
	s->regs.rip = p->start_func;
	s->regs.rdi = p->arg;
	s->regs.rsp = rsp;
	void **arg = (void **)((char *)s - 16);
	*arg = s;

	unsigned long flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
			      CLONE_SYSVSEM;
	if (p->tls_base)
		flags |= CLONE_SETTLS;
	thread_link(t);
	long tid = clone_thread(flags, arg, NULL, p->tls_base, thread_start);
	if (lerr(tid)) {
		thread_unlink(t);
		thread_free(t);
		return tid;
	}
	t->tid = (int)tid;
	int64_t id = tid + FBSD_TID_OFFSET;
	if (p->child_tid)
		*p->child_tid = id;
	if (p->parent_tid)
		*p->parent_tid = id;
	return 0;
}

long sys_thr_self(struct sysctx *c)
{
	int64_t *id = ARG_PTR(c, 0);
	if (!id)
		return -EFAULT;
	*id = c->t->tid + FBSD_TID_OFFSET;
	return 0;
}

long sys_thr_exit(struct sysctx *c)
{
	int64_t *state = ARG_PTR(c, 0);
	umtx_robust_thread_exit(c->t); /* where FreeBSD's thr_exit does it */
	if (state) {
		__atomic_store_n(state, 1, __ATOMIC_RELEASE);
		lsys6(__NR_futex, (long)state, FUTEX_WAKE, 0x7fffffff, 0, 0, 0);
	}
	if (thread_count() <= 1)
		return 0; /* the last thread: libthr calls exit() next */
	struct gthread *t = c->t;
	thread_unlink(t);
	thread_retire(t);
	for (;;)
		lsys1(__NR_exit, 0);
}

long sys_thr_set_name(struct sysctx *c)
{
	long id = (long)c->a[0];
	const char *name = ARG_PTR(c, 1);
	char buf[16];
	rt_strlcpy(buf, name ? name : "", sizeof buf);
	if (id == -1 || id == c->t->tid + FBSD_TID_OFFSET) {
		rt_strlcpy(c->t->name, name ? name : "", sizeof c->t->name);
		lsys2(__NR_prctl, PR_SET_NAME, buf);
		return 0;
	}
	struct gthread *t = thread_by_tid((int)(id - FBSD_TID_OFFSET));
	if (!t)
		return -ESRCH;
	rt_strlcpy(t->name, name ? name : "", sizeof t->name);
	/* Its Linux name too, which kern.proc (ps -H) of any process reads. */
	char path[48];
	rt_snprintf(path, sizeof path, "%sself/task/%d/comm", proc.proc_fd < 0 ? "/proc/" : "",
		    t->tid);
	long fd = lsys4(__NR_openat, proc.proc_fd < 0 ? AT_FDCWD : proc.proc_fd, path,
			O_WRONLY | O_CLOEXEC, 0);
	if (fd >= 0) {
		lsys3(__NR_write, fd, buf, strlen(buf));
		lsys1(__NR_close, fd);
	}
	return 0;
}

long sys_sched_yield(struct sysctx *c)
{
	(void)c;
	return lsys0(__NR_sched_yield);
}

/* CPU_LEVEL_*, CPU_WHICH_* (constants.md): we answer for the calling
 * process or thread; the kernel mask has the same bit order. */
long sys_cpuset_getaffinity(struct sysctx *c)
{
	size_t size = c->a[3];
	void *mask = ARG_PTR(c, 4);
	int which = ARG_INT(c, 1);
	long id = (long)c->a[2];
	if (size < 8 || size > 4096)
		return FERR(FE_RANGE);
	long tid = 0;
	if ((which == 1 || which == 2) && id != -1)
		tid = which == 1 ? id - FBSD_TID_OFFSET : id;
	uint8_t buf[512];
	memset(buf, 0, sizeof buf);
	long r = lsys3(__NR_sched_getaffinity, tid, sizeof buf, buf);
	if (lerr(r))
		return r;
	for (long i = size; i < r; i++)
		if (buf[i])
			return FERR(FE_RANGE);
	memset(mask, 0, size);
	memcpy(mask, buf, (size_t)r < size ? (size_t)r : size);
	return 0;
}

long sys_cpuset_setaffinity(struct sysctx *c)
{
	size_t size = c->a[3];
	int which = ARG_INT(c, 1);
	long id = (long)c->a[2];
	long tid = 0;
	if ((which == 1 || which == 2) && id != -1)
		tid = which == 1 ? id - FBSD_TID_OFFSET : id;
	return lsys3(__NR_sched_setaffinity, tid, size, ARG_PTR(c, 4));
}

/* thr_suspend(timeout) sleeps until thr_wake(id) or the relative timeout; a
 * wake-up sent before the suspend is not lost (FreeBSD TDF_THRWAKEUP). */
long sys_thr_suspend(struct sysctx *c)
{
	struct gthread *t = c->t;
	const struct ftimespec *ts = ARG_PTR(c, 0);
	c->norestart = 1;
	for (;;) {
		if (__atomic_exchange_n(&t->wake_word, 0, __ATOMIC_ACQ_REL))
			return 0;
		long r = bsys(__NR_futex, &t->wake_word, FUTEX_WAIT_PRIVATE, 0, ts, 0, 0);
		if (r == -ETIMEDOUT || r == -EINTR)
			return r;
	}
}

long sys_thr_wake(struct sysctx *c)
{
	long id = (long)c->a[0];
	struct gthread *t = id == c->t->tid + FBSD_TID_OFFSET ? c->t
			    : thread_by_tid((int)(id - FBSD_TID_OFFSET));
	if (id <= FBSD_TID_OFFSET || !t)
		return -ESRCH;
	__atomic_store_n(&t->wake_word, 1, __ATOMIC_RELEASE);
	lsys6(__NR_futex, (long)&t->wake_word, FUTEX_WAKE_PRIVATE, 1, 0, 0, 0);
	return 0;
}
