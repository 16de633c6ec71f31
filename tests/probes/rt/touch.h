/* Memory accesses that may fault, for probes that check SIGSEGV/SIGBUS.
 * touch_install() catches both signals with a handler that records the
 * signal, si_code and si_addr and resumes at a plain `ret` by editing mc_rip
 * (signals.md §2; the technique of tests/probes/fault.c). The faulting
 * instructions sit in leaf functions that touch nothing else, so the `ret`
 * returns to their caller.
 * Defines global symbols: include from one file per probe program. */
#ifndef PROBE_TOUCH_H
#define PROBE_TOUCH_H
#include "probe.h"

#define SIGBUS 10 /* constants.md: Linux 7 */

u8 touch_load_asm(const volatile void *p);
void touch_store_asm(volatile void *p, u8 v);
extern char touch_resume[];
__asm__(".text\n"
	".globl touch_load_asm\ntouch_load_asm:\n	xor %eax, %eax\n	movb (%rdi), %al\n	ret\n"
	".globl touch_store_asm\ntouch_store_asm:\n	movb %sil, (%rdi)\n	ret\n"
	".globl touch_resume\ntouch_resume:\n	ret\n");

/* The last fault; touch_load/touch_store clear it first. */
static volatile struct { int sig, code; void *addr; } touch_fault;

static void touch_handler(int sig, fbsd_siginfo *si, fbsd_ucontext *uc)
{
	touch_fault.sig = sig;
	touch_fault.code = si->si_code;
	touch_fault.addr = si->si_addr;
	uc->uc_mcontext.mc_rip = (long)touch_resume;
}

static inline void touch_install(void)
{
	rt_signal(SIGSEGV, (void *)touch_handler, SA_SIGINFO);
	rt_signal(SIGBUS, (void *)touch_handler, SA_SIGINFO);
}

/* Each returns 0 if the access went through, else the signal number
 * (touch_fault.code has the si_code). */
static inline int touch_load(const volatile void *p, u8 *val)
{
	touch_fault.sig = 0;
	u8 v = touch_load_asm(p);
	if (val && !touch_fault.sig)
		*val = v;
	return touch_fault.sig;
}

static inline int touch_store(volatile void *p, u8 v)
{
	touch_fault.sig = 0;
	touch_store_asm(p, v);
	return touch_fault.sig;
}
#endif
