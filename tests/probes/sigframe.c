/* Probe 3: the FreeBSD signal frame (signals.md, structs.md §3).
 * Delivery of a self-sent SIGUSR1: handler arguments, siginfo, ucontext and
 * sigframe placement, masks, the kernel trampoline return (no restorer), that
 * sigreturn restores every register and honours edits; then old-style
 * handlers, SA_RESETHAND, and sigaltstack with a nested signal. */
#include "probe.h"

#define S_RBX 0x1b1b1b1b00000001L
#define S_RBP 0x1b1b1b1b00000002L
#define S_R12 0x1b1b1b1b00000012L
#define S_R13 0x1b1b1b1b00000013L
#define S_R14 0x1b1b1b1b00000014L
#define S_R15 0x1b1b1b1b00000015L
#define NEW_R13 0x5eed5eed5eed5eedL
#define RED_ZONE 0x7ed20e7ed20e7ed2L

/* Registers seen right after kill(2) returned; layout used by regs_kill. */
struct regs_out {
	long rbx, rbp, r12, r13, r14, r15; /* 0..40 */
	u64 xmm8[2];                       /* 48 */
	long rax, cf, rsp;                 /* 64, 72, 80: kill's result; %rsp at the syscall */
	long red_zone[16];                 /* 88: the 128 bytes below %rsp */
};
static struct regs_out out;
void regs_kill(long pid, long sig, struct regs_out *o);
extern char regs_kill_after[];
extern const u64 regs_xmm_pat[2];

/* Loads sentinels into the callee-saved registers and %xmm8, fills the red zone,
 * calls kill(pid, sig) and records what survived the signal delivered on the
 * way back. The handler deliberately clobbers %xmm8 and edits mc_r13. */
__asm__(
	".section .rodata\n.p2align 4\n.globl regs_xmm_pat\nregs_xmm_pat:\n"
	"	.quad 0x0123456789abcdef, 0xfedcba9876543210\n"
	".text\n.globl regs_kill\n.type regs_kill,@function\nregs_kill:\n"
	"	push %rbx\n	push %rbp\n	push %r12\n	push %r13\n	push %r14\n	push %r15\n"
	"	push %rdx\n"
	"	mov %rsp, 80(%rdx)\n"
	"	movabs $0x1b1b1b1b00000001, %rbx\n	movabs $0x1b1b1b1b00000002, %rbp\n"
	"	movabs $0x1b1b1b1b00000012, %r12\n	movabs $0x1b1b1b1b00000013, %r13\n"
	"	movabs $0x1b1b1b1b00000014, %r14\n	movabs $0x1b1b1b1b00000015, %r15\n"
	"	movdqu regs_xmm_pat(%rip), %xmm8\n"
	"	movabs $0x7ed20e7ed20e7ed2, %rax\n"
	"	.irp off,8,16,24,32,40,48,56,64,72,80,88,96,104,112,120,128\n"
	"	mov %rax, -\\off(%rsp)\n"
	"	.endr\n"
	"	mov $37, %eax\n" /* SYS_kill */
	"	syscall\n"
	".globl regs_kill_after\nregs_kill_after:\n"
	"	mov (%rsp), %rdx\n"
	"	mov %rax, 64(%rdx)\n"
	"	setc %al\n	movzbl %al, %eax\n	mov %rax, 72(%rdx)\n"
	"	mov %rbx, 0(%rdx)\n	mov %rbp, 8(%rdx)\n	mov %r12, 16(%rdx)\n"
	"	mov %r13, 24(%rdx)\n	mov %r14, 32(%rdx)\n	mov %r15, 40(%rdx)\n"
	"	movdqu %xmm8, 48(%rdx)\n"
	"	.irp i,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16\n"
	"	mov -(8*\\i)(%rsp), %rax\n	mov %rax, (80+8*\\i)(%rdx)\n"
	"	.endr\n"
	"	pop %rdx\n	pop %r15\n	pop %r14\n	pop %r13\n	pop %r12\n	pop %rbp\n	pop %rbx\n"
	"	ret\n");

/* ---- A: SA_SIGINFO handler for SIGUSR1 ---- */
static struct {
	int calls, sig, mask_ok;
	u64 rsp;
	void *siptr, *ucptr, *ahu;
	fbsd_siginfo si;
	fbsd_ucontext uc;
	fbsd_sigset mask;
} a;

RT_SIG_ENTRY(usr1_entry, on_usr1);
void on_usr1(int sig, fbsd_siginfo *si, fbsd_ucontext *uc, void *addr, u64 rsp)
{
	a.calls++;
	a.sig = sig;
	a.rsp = rsp;
	a.siptr = si;
	a.ucptr = uc;
	a.ahu = *(void **)(rsp + 8); /* sf_ahu: sfp = entry %rsp + 8 (after the trampoline's call) */
	memcpy(&a.si, si, sizeof *si);
	memcpy(&a.uc, uc, sizeof *uc);
	a.mask_ok = !SYS(SYS_sigprocmask, SIG_BLOCK, 0, &a.mask).cf;
	uc->uc_mcontext.mc_r13 = NEW_R13;
	__asm__ volatile("pcmpeqd %%xmm8, %%xmm8" ::: "xmm8");
}

static void test_siginfo_frame(long pid)
{
	static const long sent[6] = {S_RBX, S_RBP, S_R12, S_R13, S_R14, S_R15};
	struct fbsd_sigaction sa = {usr1_entry, SA_SIGINFO, {{0}}}, old;
	fbsd_sigset before = {{0}}, during, after;
	const fbsd_mcontext *mc = &a.uc.uc_mcontext;
	long i;

	SIGSET_ADD(sa.mask, SIGINT);
	CHECK_OK("sigaction(SIGUSR1, SA_SIGINFO, mask {SIGINT})", SYS(SYS_sigaction, SIGUSR1, &sa, 0));
	memset(&old, 0xee, sizeof old);
	CHECK_OK("sigaction(SIGUSR1, NULL, &old)", SYS(SYS_sigaction, SIGUSR1, 0, &old));
	CHECK_EQ("old sa_handler @0", old.handler, usr1_entry);
	CHECK_EQ("old sa_flags @8", old.flags, SA_SIGINFO);
	rt_check_mem("old sa_mask @12", &old.mask, &sa.mask, sizeof sa.mask);
	/* A mask with bits in word 0 and word 2 (SIGRTMIN 65): masks are 128-bit. */
	SIGSET_ADD(before, SIGUSR2);
	SIGSET_ADD(before, SIGRTMIN);
	CHECK_OK("sigprocmask(SIG_SETMASK, {SIGUSR2, SIGRTMIN})", SYS(SYS_sigprocmask, SIG_SETMASK, &before, 0));

	regs_kill(pid, SIGUSR1, &out);

	if (!CHECK_EQ("handler ran exactly once", a.calls, 1))
		return;
	CHECK_EQ("handler %rdi = signo 30", a.sig, SIGUSR1);
	CHECK_EQ("si_signo @0", a.si.si_signo, SIGUSR1);
	CHECK_EQ("si_errno @4", a.si.si_errno, 0);
	CHECK_EQ("si_code @8 = SI_USER 0x10001", a.si.si_code, SI_USER);
	CHECK_EQ("si_pid @12 = getpid()", a.si.si_pid, pid);
	CHECK_EQ("si_uid @16 = getuid()", a.si.si_uid, SYS(SYS_getuid).val);
	CHECK_EQ("%rsp at handler entry = 8 mod 16", a.rsp % 16, 8);
	CHECK_EQ("sf_ahu (sfp+0) holds the handler", a.ahu, usr1_entry);
	CHECK_EQ("%rdx = ucontext at sfp+16", a.ucptr, a.rsp + 8 + 16);
	CHECK_EQ("%rsi = siginfo at sfp+896", a.siptr, a.rsp + 8 + 896);
	CHECK("976-byte frame lies below the 128-byte red zone", a.rsp + 8 + 976 <= (u64)out.rsp - 128);
	CHECK_EQ("mc_len = 800", mc->mc_len, 800);
	CHECK_EQ("mc_rip = instruction after syscall", mc->mc_rip, regs_kill_after);
	CHECK_EQ("mc_rsp = %rsp at the syscall", mc->mc_rsp, out.rsp);
	CHECK_EQ("mc_rbx", mc->mc_rbx, S_RBX);
	CHECK_EQ("mc_rbp", mc->mc_rbp, S_RBP);
	CHECK_EQ("mc_r12", mc->mc_r12, S_R12);
	CHECK_EQ("mc_r13", mc->mc_r13, S_R13);
	CHECK_EQ("mc_r14", mc->mc_r14, S_R14);
	CHECK_EQ("mc_r15", mc->mc_r15, S_R15);
	CHECK_EQ("mc_rdi = kill's pid argument", mc->mc_rdi, pid);
	CHECK_EQ("mc_rax = kill's result 0", mc->mc_rax, 0);
	CHECK_EQ("mc_rflags CF clear (kill succeeded)", mc->mc_rflags & 1, 0);
	CHECK_EQ("mc_cs = 0x43 (FreeBSD selector)", mc->mc_cs, 0x43);
	CHECK_EQ("mc_ss = 0x3b", mc->mc_ss, 0x3b);
	CHECK_EQ("mc_flags has only bits 0x7", mc->mc_flags & ~7u, 0);
	CHECK_EQ("mc_fpformat = _MC_FPFMT_XMM 0x10002", mc->mc_fpformat, 0x10002);
	rt_check_mem("mc_fpstate holds %xmm8 (FXSAVE +288)", mc->mc_fpstate + 160 + 8 * 16, regs_xmm_pat, 16);
	CHECK_EQ("mc_onstack = 0", mc->mc_onstack, 0);
	CHECK_EQ("uc_stack.ss_flags = SS_DISABLE (no altstack)", a.uc.uc_stack.ss_flags, SS_DISABLE);
	rt_check_mem("uc_sigmask @0 = mask before delivery", &a.uc.uc_sigmask, &before, sizeof before);
	during = before;
	SIGSET_ADD(during, SIGUSR1);
	SIGSET_ADD(during, SIGINT);
	CHECK("sigprocmask query in handler", a.mask_ok);
	rt_check_mem("mask in handler = before + sa_mask + SIGUSR1", &a.mask, &during, sizeof during);

	/* after sigreturn through the kernel trampoline */
	for (i = 0; i < 6; i++)
		if (i != 3)
			CHECK_EQ("callee-saved register restored", (&out.rbx)[i], sent[i]);
	CHECK_EQ("%r13 = value the handler wrote to mc_r13", out.r13, NEW_R13);
	rt_check_mem("%xmm8 restored after the handler clobbered it", out.xmm8, regs_xmm_pat, 16);
	CHECK_EQ("kill's %rax survives delivery", out.rax, 0);
	CHECK_EQ("kill's CF=0 survives delivery", out.cf, 0);
	for (i = 0; i < 16 && out.red_zone[i] == RED_ZONE; i++)
		;
	CHECK_EQ("red zone intact (qwords)", i, 16);
	CHECK_OK("sigprocmask query after return", SYS(SYS_sigprocmask, SIG_BLOCK, 0, &after));
	rt_check_mem("mask restored from uc_sigmask", &after, &before, sizeof before);
}

/* ---- B: old-style handler (no SA_SIGINFO): %rsi = si_code ---- */
static struct { int calls; long code; long mc_len; } b;
RT_SIG_ENTRY(usr2_entry, on_usr2);
void on_usr2(int sig, fbsd_siginfo *si, fbsd_ucontext *uc, void *addr, u64 rsp)
{
	b.calls++;
	b.code = (long)si;
	b.mc_len = uc->uc_mcontext.mc_len;
}

static void test_old_style(long pid)
{
	struct fbsd_sigaction sa = {usr2_entry, 0, {{0}}};
	fbsd_sigset none = {{0}};

	SYS(SYS_sigprocmask, SIG_SETMASK, &none, 0);
	CHECK_OK("sigaction(SIGUSR2, no SA_SIGINFO)", SYS(SYS_sigaction, SIGUSR2, &sa, 0));
	SYS(SYS_kill, pid, SIGUSR2);
	CHECK_EQ("old-style handler ran once", b.calls, 1);
	CHECK_EQ("old-style handler %rsi = si_code SI_USER", b.code, SI_USER);
	CHECK_EQ("old-style handler still gets a ucontext", b.mc_len, 800);
}

/* ---- C: SA_RESETHAND ---- */
static int c_calls;
RT_SIG_ENTRY(count_entry, on_count);
void on_count(int sig, fbsd_siginfo *si, fbsd_ucontext *uc, void *addr, u64 rsp)
{
	c_calls++;
}

static void test_resethand(long pid)
{
	struct fbsd_sigaction sa = {count_entry, SA_SIGINFO | SA_RESETHAND, {{0}}}, old;

	CHECK_OK("sigaction(SIGUSR1, SA_RESETHAND)", SYS(SYS_sigaction, SIGUSR1, &sa, 0));
	SYS(SYS_kill, pid, SIGUSR1);
	CHECK_EQ("SA_RESETHAND handler ran once", c_calls, 1);
	memset(&old, 0xee, sizeof old);
	SYS(SYS_sigaction, SIGUSR1, 0, &old);
	CHECK_EQ("SA_RESETHAND reset the action to SIG_DFL", old.handler, SIG_DFL);
}

/* ---- D: sigaltstack + SA_ONSTACK, with a nested signal on the alt stack ---- */
static u8 altstk[65536] __attribute__((aligned(16)));
static struct {
	int calls, nested_calls;
	u64 rsp, nested_rsp;
	fbsd_stack uc_stack, query;
	long onstack, nested_onstack, nested_ss_flags;
	sysret change;
} d;

RT_SIG_ENTRY(nested_entry, on_nested);
void on_nested(int sig, fbsd_siginfo *si, fbsd_ucontext *uc, void *addr, u64 rsp)
{
	d.nested_calls++;
	d.nested_rsp = rsp;
	d.nested_onstack = uc->uc_mcontext.mc_onstack;
	d.nested_ss_flags = uc->uc_stack.ss_flags;
}

RT_SIG_ENTRY(alt_entry, on_alt);
void on_alt(int sig, fbsd_siginfo *si, fbsd_ucontext *uc, void *addr, u64 rsp)
{
	fbsd_stack off = {0, 0, SS_DISABLE};
	d.calls++;
	d.rsp = rsp;
	d.uc_stack = uc->uc_stack;
	d.onstack = uc->uc_mcontext.mc_onstack;
	SYS(SYS_sigaltstack, 0, &d.query);
	d.change = SYS(SYS_sigaltstack, &off, 0);
	SYS(SYS_kill, SYS(SYS_getpid).val, SIGUSR2);
}

static int on_alt_stack(u64 sp)
{
	return sp >= (u64)altstk && sp < (u64)altstk + sizeof altstk;
}

static void test_altstack(long pid)
{
	fbsd_stack small = {altstk, 1024, 0}, ss = {altstk, sizeof altstk, 0}, q;
	fbsd_stack off = {0, 0, SS_DISABLE};
	struct fbsd_sigaction sa = {alt_entry, SA_SIGINFO | SA_ONSTACK, {{0}}};
	struct fbsd_sigaction sn = {nested_entry, SA_SIGINFO | SA_ONSTACK, {{0}}};

	memset(&q, 0xee, sizeof q);
	CHECK_OK("sigaltstack(NULL, &old)", SYS(SYS_sigaltstack, 0, &q));
	CHECK_EQ("initially ss_flags = SS_DISABLE 4", q.ss_flags, SS_DISABLE);
	CHECK_ERR("sigaltstack 1024 bytes < MINSIGSTKSZ -> ENOMEM", SYS(SYS_sigaltstack, &small, 0), ENOMEM);
	CHECK_OK("sigaltstack(64 KiB)", SYS(SYS_sigaltstack, &ss, 0));
	CHECK_OK("sigaction(SIGUSR1, SA_ONSTACK)", SYS(SYS_sigaction, SIGUSR1, &sa, 0));
	CHECK_OK("sigaction(SIGUSR2, SA_ONSTACK)", SYS(SYS_sigaction, SIGUSR2, &sn, 0));
	SYS(SYS_kill, pid, SIGUSR1);
	if (!CHECK_EQ("alt-stack handler ran once", d.calls, 1))
		return;
	CHECK("handler runs on the alternate stack", on_alt_stack(d.rsp));
	CHECK_EQ("uc_stack.ss_sp", d.uc_stack.ss_sp, altstk);
	CHECK_EQ("uc_stack.ss_size", d.uc_stack.ss_size, sizeof altstk);
	CHECK_EQ("uc_stack.ss_flags = 0 (interrupted code was not on it)", d.uc_stack.ss_flags, 0);
	CHECK_EQ("mc_onstack = 0", d.onstack, 0);
	CHECK_EQ("sigaltstack query in handler: SS_ONSTACK", d.query.ss_flags, SS_ONSTACK);
	CHECK_ERR("changing the alt stack while on it -> EPERM", d.change, EPERM);
	CHECK_EQ("nested handler ran once", d.nested_calls, 1);
	CHECK("nested frame on the alt stack, below the outer one",
		on_alt_stack(d.nested_rsp) && d.nested_rsp < d.rsp);
	CHECK_EQ("nested uc_stack.ss_flags = SS_ONSTACK", d.nested_ss_flags, SS_ONSTACK);
	CHECK_EQ("nested mc_onstack = 1", d.nested_onstack, 1);
	SYS(SYS_sigaltstack, 0, &q);
	CHECK_EQ("after return: ss_flags = 0 (enabled, not on it)", q.ss_flags, 0);
	CHECK_OK("sigaltstack(SS_DISABLE)", SYS(SYS_sigaltstack, &off, 0));
	SYS(SYS_sigaltstack, 0, &q);
	CHECK_EQ("disabled: ss_flags = SS_DISABLE", q.ss_flags, SS_DISABLE);
}

int main(int argc, char **argv, char **envp)
{
	long pid = SYS(SYS_getpid).val;

	test_siginfo_frame(pid);
	test_old_style(pid);
	test_resethand(pid);
	test_altstack(pid);
	return rt_done();
}
