/* Probe 4: hardware faults delivered as FreeBSD signals (signals.md §5,
 * constants.md si_code tables, FreeBSD sys/amd64/amd64/trap.c).
 * Each fault runs in a tiny asm function; the handler records what it got and
 * resumes by editing mc_rip (to a plain `ret`) and mc_rax, which also checks
 * that sigreturn honours ucontext edits, siglongjmp-style. */
#include "probe.h"

#define MAGIC 0x0defec7ed0defec7L

/* Each *_insn label is the faulting instruction; fault_resume is where the
 * handler sends execution (the stack is unchanged, so `ret` returns to C). */
long fault_load(long addr), fault_store(long addr), fault_div(long n), fault_ud2(void), fault_int3(void);
extern char fault_load_insn[], fault_store_insn[], fault_div_insn[], fault_ud2_insn[],
	fault_int3_after[], fault_resume[];
__asm__(
	".text\n"
	".globl fault_load, fault_load_insn\nfault_load:\n	xor %eax, %eax\nfault_load_insn:\n"
	"	mov (%rdi), %rax\n	ret\n"
	".globl fault_store, fault_store_insn\nfault_store:\n	xor %eax, %eax\nfault_store_insn:\n"
	"	movq $1, (%rdi)\n	ret\n"
	".globl fault_div, fault_div_insn\nfault_div:\n	mov %rdi, %rax\n	cqo\n	xor %ecx, %ecx\n"
	"fault_div_insn:\n	idiv %rcx\n	ret\n"
	".globl fault_ud2, fault_ud2_insn\nfault_ud2:\n	xor %eax, %eax\nfault_ud2_insn:\n	ud2\n	ret\n"
	/* int3 is a trap: the saved %rip is already past it, no rip fix-up needed */
	".globl fault_int3, fault_int3_after\nfault_int3:\n	xor %eax, %eax\n	int3\n"
	"fault_int3_after:\n	ret\n"
	".globl fault_resume\nfault_resume:\n	ret\n");

static struct {
	int calls, sig;
	fbsd_siginfo si;
	void *addr_arg;
	long rip, trapno, addr, err;
	int skip; /* 1: set mc_rip = fault_resume */
} f;

RT_SIG_ENTRY(fault_entry, on_fault);
void on_fault(int sig, fbsd_siginfo *si, fbsd_ucontext *uc, void *addr, u64 rsp)
{
	f.calls++;
	f.sig = sig;
	f.si = *si;
	f.addr_arg = addr;
	f.rip = uc->uc_mcontext.mc_rip;
	f.trapno = uc->uc_mcontext.mc_trapno;
	f.addr = uc->uc_mcontext.mc_addr;
	f.err = uc->uc_mcontext.mc_err;
	if (f.skip)
		uc->uc_mcontext.mc_rip = (long)fault_resume;
	uc->uc_mcontext.mc_rax = MAGIC;
}

static void install(int sig)
{
	struct fbsd_sigaction sa = {fault_entry, SA_SIGINFO, {{0}}};
	SYS(SYS_sigaction, sig, &sa, 0);
}

/* Common checks for one fault; `ret` is what the asm function returned. */
static void expect(long ret, int sig, int code, int trapno, void *si_addr, void *rip)
{
	fbsd_sigset mask, none = {{0}};
	if (!CHECK_EQ("handler ran once", f.calls, 1))
		return;
	CHECK_EQ("signo", f.sig, sig);
	CHECK_EQ("si_signo", f.si.si_signo, sig);
	CHECK_EQ("si_code", f.si.si_code, code);
	CHECK_EQ("si_trapno @40 (FreeBSD T_* code)", f.si.si_trapno, trapno);
	CHECK_EQ("mc_trapno", f.trapno, trapno);
	CHECK_EQ("si_addr", f.si.si_addr, si_addr);
	CHECK_EQ("handler %rcx = si_addr", f.addr_arg, si_addr);
	CHECK_EQ("mc_rip", f.rip, rip);
	CHECK_EQ("execution resumed with the edited mc_rax", ret, MAGIC);
	SYS(SYS_sigprocmask, SIG_BLOCK, 0, &mask);
	rt_check_mem("signal mask restored (fault signal unblocked)", &mask, &none, sizeof none);
	memset(&f, 0, sizeof f);
}

int main(int argc, char **argv, char **envp)
{
	long ret;
	u8 *map, *hole;

	install(SIGSEGV);
	install(SIGFPE);
	install(SIGILL);
	install(SIGTRAP);

	/* Unmapped: map two pages, unmap the second. */
	map = (u8 *)SYS(SYS_mmap, 0, 8192, PROT_READ, MAP_PRIVATE | MAP_ANON, -1, 0).val;
	CHECK_OK("munmap second page", SYS(SYS_munmap, map + 4096, 4096));
	hole = map + 4096 + 0x10;
	rt_note("load from unmapped page: SIGSEGV/SEGV_MAPERR 1/T_PAGEFLT 12");
	f.skip = 1;
	ret = fault_load((long)hole);
	/* mc_err is the page-fault error code: bit0 present, bit1 write, bit2 user */
	CHECK_EQ("mc_addr = fault address", f.addr, hole);
	CHECK_EQ("mc_err = user read, not present (4)", f.err & 7, 4);
	expect(ret, SIGSEGV, SEGV_MAPERR, T_PAGEFLT, hole, fault_load_insn);

	/* Read-only page: SEGV_ACCERR (needs p_osrel >= 700004, i.e. the ABI note) */
	rt_note("store to read-only page: SIGSEGV/SEGV_ACCERR 2");
	f.skip = 1;
	ret = fault_store((long)(map + 8));
	expect(ret, SIGSEGV, SEGV_ACCERR, T_PAGEFLT, map + 8, fault_store_insn);

	/* Integer divide by zero: FPE_INTDIV is 2 on FreeBSD (1 on Linux). */
	rt_note("idiv by zero: SIGFPE/FPE_INTDIV 2/T_DIVIDE 18");
	f.skip = 1;
	ret = fault_div(7);
	expect(ret, SIGFPE, FPE_INTDIV, T_DIVIDE, fault_div_insn, fault_div_insn);

	/* ud2 raises #UD, which FreeBSD reports as T_PRIVINFLT with ILL_PRVOPC. */
	rt_note("ud2: SIGILL/ILL_PRVOPC 5/T_PRIVINFLT 1");
	f.skip = 1;
	ret = fault_ud2();
	expect(ret, SIGILL, ILL_PRVOPC, T_PRIVINFLT, fault_ud2_insn, fault_ud2_insn);

	/* int3: TRAP_BRKPT (Linux reports SI_KERNEL), addr = %rip after int3. */
	rt_note("int3: SIGTRAP/TRAP_BRKPT 1/T_BPTFLT 3");
	f.skip = 0;
	ret = fault_int3();
	expect(ret, SIGTRAP, TRAP_BRKPT, T_BPTFLT, fault_int3_after, fault_int3_after);
	return rt_done();
}
