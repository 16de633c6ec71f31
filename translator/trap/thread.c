/* Thread records: allocation, the process-wide list, and attaching a
 * record to the running host thread (GS base, sigaltstack, SUD). */
#include "thread.h"
#include "../rt/rt.h"
#include "../abi/xlate.h"
#include <asm/prctl.h>
#include <linux/prctl.h>

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59
#define PR_SYS_DISPATCH_ON 1
#endif

static struct gthread *threads;
static rt_lock_t threads_lock;
static int nthreads;

struct gthread *thread_new(void)
{
	size_t size = ALIGN_UP(sizeof(struct gthread), PAGE_SIZE);
	struct gthread *t = rt_pages(size + HOST_STACK_SIZE);
	if (!t)
		return NULL;
	t->self = t;
	t->host_stack = (char *)t + size;
	t->host_stack_size = HOST_STACK_SIZE;
	t->altstack.ss_flags = FSS_DISABLE;
	return t;
}

void thread_free(struct gthread *t)
{
	rt_pages_free(t, ALIGN_UP(sizeof(struct gthread), PAGE_SIZE) + HOST_STACK_SIZE);
}

void thread_attach(struct gthread *t)
{
	t->tid = (int)lsys0(__NR_gettid);
	t->tid_clear = t->tid;
	lsys1(__NR_set_tid_address, &t->tid_clear);
	lsys2(__NR_arch_prctl, ARCH_SET_GS, t);
	struct lstack ss = { t->host_stack, 0, 0, t->host_stack_size };
	lsys2(__NR_sigaltstack, &ss, 0);
	/* Every syscall outside the translator's text now raises SIGSYS. The
	 * setting is per thread and not inherited: each new thread and each
	 * forked child calls this. */
	long r = lsys5(__NR_prctl, PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON,
		       (long)__executable_start, (long)(__etext - __executable_start), 0);
	if (lerr(r))
		rt_die(126, "cannot enable Syscall User Dispatch (Linux 5.11+ needed): error %ld", -r);
}

void thread_link(struct gthread *t)
{
	rt_lock(&threads_lock);
	t->prev = NULL;
	t->next = threads;
	if (threads)
		threads->prev = t;
	threads = t;
	nthreads++;
	rt_unlock(&threads_lock);
}

void thread_unlink(struct gthread *t)
{
	rt_lock(&threads_lock);
	if (t->prev)
		t->prev->next = t->next;
	else
		threads = t->next;
	if (t->next)
		t->next->prev = t->prev;
	nthreads--;
	rt_unlock(&threads_lock);
}

int thread_count(void)
{
	return __atomic_load_n(&nthreads, __ATOMIC_ACQUIRE);
}

/* A thread cannot free the stack it runs on: exited records wait here
 * until the kernel clears tid_clear (set_tid_address). */
static struct gthread *retired;
static rt_lock_t retired_lock;

void thread_retire(struct gthread *t)
{
	rt_lock(&retired_lock);
	t->next = retired;
	retired = t;
	rt_unlock(&retired_lock);
}

void thread_reap(void)
{
	rt_lock(&retired_lock);
	struct gthread **pp = &retired;
	while (*pp) {
		struct gthread *t = *pp;
		if (__atomic_load_n(&t->tid_clear, __ATOMIC_ACQUIRE) == 0) {
			*pp = t->next;
			thread_free(t);
		} else {
			pp = &t->next;
		}
	}
	rt_unlock(&retired_lock);
}

struct gthread *thread_by_tid(int tid)
{
	rt_lock(&threads_lock);
	struct gthread *t = threads;
	while (t && t->tid != tid)
		t = t->next;
	rt_unlock(&threads_lock);
	return t;
}

int thread_tids(int *tids, int max)
{
	int n = 0;
	rt_lock(&threads_lock);
	for (struct gthread *t = threads; t && n < max; t = t->next)
		tids[n++] = t->tid;
	rt_unlock(&threads_lock);
	return n;
}

/* After fork only the calling thread exists in the child. */
void thread_list_reset_after_fork(struct gthread *t)
{
	threads_lock.v = 0;
	threads = t;
	t->next = t->prev = NULL;
	nthreads = 1;
}

/* Builds a host rt_sigreturn frame on the translator stack so that guest
 * registers and the signal mask take effect in one step. */
_Noreturn void enter_guest(const struct guest_regs *r, const fsigset_t *mask)
{
	struct gthread *t = cur_thread();
	struct lucontext *uc = (struct lucontext *)ALIGN_DOWN(
		(uint64_t)t->host_stack + t->host_stack_size - sizeof(struct lucontext) - 64, 16);
	memset(uc, 0, sizeof *uc);
	struct sigcontext *m = &uc->uc_mcontext;
	m->rip = r->rip;
	m->rsp = r->rsp;
	m->rdi = r->rdi;
	m->rsi = r->rsi;
	m->rdx = r->rdx;
	m->rcx = r->rcx;
	m->rax = r->rax;
	m->rbx = r->rbx;
	m->rbp = r->rbp;
	m->r8 = r->r8;
	m->r9 = r->r9;
	m->r10 = r->r10;
	m->r11 = r->r11;
	m->r12 = r->r12;
	m->r13 = r->r13;
	m->r14 = r->r14;
	m->r15 = r->r15;
	m->eflags = r->rflags ? r->rflags : 0x202;
	m->cs = 0x33;
	m->ss = 0x2b;
	m->fpstate = 0; /* fresh FPU state, as FreeBSD's exec and thr_new give */
	uc->uc_stack.ss_sp = t->host_stack;
	uc->uc_stack.ss_size = t->host_stack_size;
	uc->uc_sigmask.sig[0] = sigset_f2l(mask);
	extern _Noreturn void sigreturn_to(void *frame);
	sigreturn_to(uc);
}
