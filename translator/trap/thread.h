/* Per-thread translator state, reached through the GS base (the FS base
 * belongs to the FreeBSD guest's TLS). */
#pragma once
/* Offsets used by assembly (trap/entry.S); checked by _Static_assert below. */
#define GT_SELF 0
#define GT_SIGPENDING 8
#ifndef __ASSEMBLER__
#include <stdint.h>
#include "../abi/fbsd.h"
#include "linux_uc.h"

/* Where a fault in translator code (a bad guest pointer) resumes. */
struct fault_jmp {
	uint64_t rbx, rbp, r12, r13, r14, r15, rsp, rip;
};
int fault_setjmp(struct fault_jmp *jb) __attribute__((returns_twice));

struct gthread {
	struct gthread *self;          /* %gs:0 */
	volatile int sig_pending;      /* %gs:8 — a guest signal awaits delivery */
	int tid;                       /* Linux thread id */
	fsigset_t sigmask;             /* guest signal mask */
	fsigset_t host_mask_of;        /* the guest mask host_mask was made from */
	uint64_t host_mask;            /* Linux mask equivalent to sigmask */
	fsigset_t saved_mask;          /* mask to restore after sigsuspend-like calls */
	int restore_saved_mask;
	struct fstack altstack;        /* guest sigaltstack (FreeBSD flags) */
	fsigset_t pending;             /* caught while in translator code */
	struct fsiginfo pending_info[FSIG_MAXSIG + 1];
	char *host_stack;              /* translator stack: host altstack + thread start */
	uint64_t host_stack_size;
	long guest_gsbase;             /* sysarch GSBASE: virtual, GS is ours */
	char name[20];                 /* thr_set_name */
	volatile int tid_clear;
	volatile uint32_t wake_word;   /* thr_wake() -> thr_suspend() */
	int fault_armed;               /* fault_jb is valid: faults become EFAULT */
	struct fault_jmp fault_jb;        /* zeroed by the kernel when the thread is gone */
	struct gthread *next, *prev;   /* all threads of the process */
};
_Static_assert(__builtin_offsetof(struct gthread, sig_pending) == GT_SIGPENDING, "asm offset");

static inline struct gthread *cur_thread(void)
{
	struct gthread *t;
	__asm__ volatile("mov %%gs:0, %0" : "=r"(t));
	return t;
}

#define HOST_STACK_SIZE (256 * 1024)
/* FreeBSD thread ids are Linux tids moved past PID_MAX (startup.md). */
#define FBSD_TID_OFFSET 100000

/* Allocates a thread record and its translator stack. */
struct gthread *thread_new(void);
void thread_free(struct gthread *t);
/* Makes t current for the calling host thread: GS base, host sigaltstack,
 * Syscall User Dispatch. */
void thread_attach(struct gthread *t);
/* Registers/unregisters in the process thread list. */
void thread_link(struct gthread *t);
void thread_unlink(struct gthread *t);
int thread_count(void);
/* Frees records of threads that have exited (their tid_clear is 0). */
void thread_reap(void);
/* Queues the calling thread's record for thread_reap. */
void thread_retire(struct gthread *t);
struct gthread *thread_by_tid(int tid);
/* Copies up to max thread ids; returns how many. */
int thread_tids(int *tids, int max);

/* Registers a guest resumes with. */
struct guest_regs {
	uint64_t rip, rsp, rdi, rsi, rdx, rcx, rax, rbx, rbp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15, rflags;
};
/* Atomically installs the host mask for `mask` and jumps into guest code. */
_Noreturn void enter_guest(const struct guest_regs *r, const fsigset_t *mask);

/* SUD allowed region = translator text. */
extern char __executable_start[], __etext[];
static inline int in_translator(uint64_t ip)
{
	return ip >= (uint64_t)__executable_start && ip < (uint64_t)__etext;
}
#endif
