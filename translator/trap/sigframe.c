/* The FreeBSD signal frame: built on the guest stack from the trapped
 * Linux context, and read back by sigreturn (signals.md §1-3). */
#include "signals.h"
#include "../rt/rt.h"
#include "../abi/xlate.h"
#include <asm/prctl.h>

/* Linux reports hardware vectors; FreeBSD reports its own T_* codes. */
static uint32_t trapno_l2f(uint64_t v)
{
	switch (v) {
	case 0: return 18;   /* T_DIVIDE */
	case 1: return 10;   /* T_TRCTRAP */
	case 3: return 3;    /* T_BPTFLT */
	case 6: return 1;    /* T_PRIVINFLT */
	case 11: return 26;  /* T_SEGNPFLT */
	case 12: return 27;  /* T_STKFLT */
	case 13: return 9;   /* T_PROTFLT */
	case 14: return 12;  /* T_PAGEFLT */
	case 16: return 6;   /* T_ARITHTRAP */
	case 19: return 29;  /* T_XMMFLT */
	}
	return (uint32_t)v;
}

static int sicode_l2f(int lsig, int code)
{
	switch (code) {
	case 0: return FSI_USER;
	case -1: return FSI_QUEUE;
	case -2: return FSI_TIMER;
	case -3: return FSI_MESGQ;
	case -4: return FSI_ASYNCIO;
	case -6: return FSI_LWP;
	case 0x80: return FSI_KERNEL;
	}
	if (lsig == 8 && (code == 1 || code == 2))
		return 3 - code; /* FPE_INTDIV/INTOVF are swapped */
	if (lsig == 11 && code == 4)
		return 100;      /* SEGV_PKUERR */
	return code;
}

/* Hardware faults: FreeBSD's trap() picks signal and code from the trap
 * number (sys/amd64/amd64/trap.c); Linux sometimes differs, e.g. a general
 * protection fault is SIGBUS/BUS_OBJERR on FreeBSD, SIGSEGV/SI_KERNEL here. */
static int fault_l2f(const struct lsiginfo *si, struct fsiginfo *fi, const struct lucontext *uc)
{
	uint64_t vec = uc->uc_mcontext.trapno, rip = uc->uc_mcontext.rip;
	int fsig = sig_l2f(si->si_signo);
	fi->reason.trapno = (int)trapno_l2f(vec);
	fi->si_addr = rip;
	switch (si->si_signo) {
	case 11: /* SIGSEGV */
		if (si->si_code == 0x80) { /* #GP */
			fsig = FSIGBUS;
			fi->si_code = 3; /* BUS_OBJERR */
			fi->reason.trapno = 9; /* T_PROTFLT */
		} else {
			fi->si_addr = si->u.fault.addr;
		}
		break;
	case 7: /* SIGBUS */
		fi->si_addr = si->u.fault.addr;
		break;
	case 4: /* SIGILL: #UD is T_PRIVINFLT with ILL_PRVOPC */
		if (vec == 6)
			fi->si_code = 5;
		break;
	case 5: /* SIGTRAP: int3 arrives as SI_KERNEL */
		if (si->si_code == 0x80)
			fi->si_code = 1; /* TRAP_BRKPT */
		break;
	}
	fi->si_signo = fsig;
	return fsig;
}

int siginfo_l2f(const struct lsiginfo *si, struct fsiginfo *fi, int fsig,
		const struct lucontext *uc)
{
	memset(fi, 0, sizeof *fi);
	fi->si_signo = fsig;
	fi->si_errno = si->si_errno;
	fi->si_code = sicode_l2f(si->si_signo, si->si_code);
	switch (si->si_signo) {
	case 4: case 5: case 7: case 8: case 11:
		/* Synchronous faults (kernel codes > 0, or SI_KERNEL for #GP/int3). */
		if (si->si_code > 0 && uc)
			return fault_l2f(si, fi, uc);
		break;
	case 17: /* SIGCHLD */
		fi->si_pid = si->u.chld.pid;
		fi->si_uid = si->u.chld.uid;
		fi->si_status = si->si_code == 1 ? si->u.chld.status : sig_l2f(si->u.chld.status);
		return fsig;
	}
	fi->si_pid = si->u.rt.pid;
	fi->si_uid = si->u.rt.uid;
	if (si->si_code == -1 || si->si_code == -2)
		fi->si_value = si->u.rt.value;
	return fsig;
}

static uint64_t fsbase_get(void)
{
	uint64_t b = 0;
	lsys2(__NR_arch_prctl, ARCH_GET_FS, &b);
	return b;
}

static int on_altstack(const struct gthread *t, uint64_t sp)
{
	return !(t->altstack.ss_flags & FSS_DISABLE) && sp > t->altstack.ss_sp &&
	       sp <= t->altstack.ss_sp + t->altstack.ss_size;
}

/* Size of the XSAVE area beyond the 512-byte legacy image, or 0. */
static uint32_t xsave_ext_len(const struct _fpstate *fp)
{
	if (!fp || fp->sw_reserved.magic1 != FP_XSTATE_MAGIC1)
		return 0;
	return fp->sw_reserved.xstate_size > 512 ? fp->sw_reserved.xstate_size - 512 : 0;
}

/* Zeroes guest memory through the kernel, so an unmapped or read-only
 * stack is an error here instead of a fault in the signal handler. */
static int zero_guest(uint64_t addr, uint64_t len)
{
	static const char zeros[4096];
	long pid = lsys0(__NR_getpid);
	while (len) {
		uint64_t n = len < sizeof zeros ? len : sizeof zeros;
		struct { const void *base; uint64_t len; } local = { zeros, n }, remote = { (void *)addr, n };
		if (lsys6l(__NR_process_vm_writev, pid, &local, 1, &remote, 1, 0) != (long)n)
			return 0;
		addr += n;
		len -= n;
	}
	return 1;
}

static void default_action(int fsig)
{
	int l = sig_f2l(fsig);
	if (fsig_default_ignored(fsig) || !l)
		return;
	/* Terminate (or stop) exactly as the host would: reset and re-raise. */
	struct lsigaction sa = { 0 };
	lsys4(__NR_rt_sigaction, l, &sa, 0, 8);
	uint64_t m = 1ULL << (l - 1);
	lsys4(__NR_rt_sigprocmask, 1 /* SIG_UNBLOCK */, &m, 0, 8);
	lsys3(__NR_tgkill, lsys0(__NR_getpid), lsys0(__NR_gettid), l);
	host_sync_disposition(fsig);
}

void deliver_signal(struct gthread *t, struct lucontext *uc, int fsig, struct fsiginfo *fi)
{
	struct sigcontext *r = &uc->uc_mcontext;
	rt_lock(&gsigact_lock);
	struct fsigaction act = gsigact[fsig];
	if (act.flags & FSA_RESETHAND && act.handler > 1) {
		gsigact[fsig].handler = 0;
		gsigact[fsig].flags &= ~FSA_SIGINFO;
		host_sync_disposition(fsig);
	}
	rt_unlock(&gsigact_lock);
	if (act.handler == 1)
		return;
	if (act.handler == 0) {
		default_action(fsig);
		return;
	}

	int onstack = on_altstack(t, r->rsp);
	uint64_t sp;
	if ((act.flags & FSA_ONSTACK) && !(t->altstack.ss_flags & FSS_DISABLE) && !onstack)
		sp = t->altstack.ss_sp + t->altstack.ss_size;
	else
		sp = r->rsp - 128;

	struct _fpstate *fp = (struct _fpstate *)r->fpstate;
	uint32_t xlen = xsave_ext_len(fp);
	uint64_t xaddr = 0, top = sp;
	if (xlen) {
		sp = (sp - xlen) & ~63UL;
		xaddr = sp;
	}
	sp = (sp - sizeof(struct fsigframe)) & ~15UL;
	if (!zero_guest(sp, top - sp)) {
		/* No room for the frame (stack overflow without an altstack):
		 * FreeBSD's sendsig kills the process with SIGILL. */
		memset(&gsigact[FSIGILL], 0, sizeof gsigact[FSIGILL]);
		default_action(FSIGILL);
		return;
	}
	if (xlen)
		memcpy((void *)xaddr, (char *)fp + 512, xlen);
	struct fsigframe *sf = (struct fsigframe *)sp;
	sf->sf_ahu = act.handler;

	struct fucontext *fuc = &sf->sf_uc;
	fuc->uc_sigmask = t->restore_saved_mask ? t->saved_mask : t->sigmask;
	t->restore_saved_mask = 0;
	struct fmcontext *m = &fuc->uc_mcontext;
	m->mc_onstack = onstack;
	m->mc_rdi = r->rdi; m->mc_rsi = r->rsi; m->mc_rdx = r->rdx; m->mc_rcx = r->rcx;
	m->mc_r8 = r->r8; m->mc_r9 = r->r9; m->mc_rax = r->rax; m->mc_rbx = r->rbx;
	m->mc_rbp = r->rbp; m->mc_r10 = r->r10; m->mc_r11 = r->r11; m->mc_r12 = r->r12;
	m->mc_r13 = r->r13; m->mc_r14 = r->r14; m->mc_r15 = r->r15;
	m->mc_trapno = fi->reason.trapno;
	m->mc_fs = 0x13; m->mc_gs = 0x1b; m->mc_es = 0x3b; m->mc_ds = 0x3b;
	m->mc_addr = fi->si_addr;
	m->mc_flags = F_MC_HASSEGS | F_MC_HASBASES | (xlen ? F_MC_HASFPXSTATE : 0);
	m->mc_err = r->err;
	m->mc_rip = r->rip;
	m->mc_cs = 0x43;
	m->mc_rflags = r->eflags;
	m->mc_rsp = r->rsp;
	m->mc_ss = 0x3b;
	m->mc_len = sizeof(struct fmcontext);
	m->mc_fpformat = F_MC_FPFMT_XMM;
	m->mc_ownedfp = F_MC_FPOWNED_FPU;
	if (fp)
		memcpy(m->mc_fpstate, fp, 512);
	m->mc_fsbase = fsbase_get();
	m->mc_gsbase = t->guest_gsbase;
	m->mc_xfpustate = xaddr;
	m->mc_xfpustate_len = xlen;
	fuc->uc_stack.ss_sp = t->altstack.ss_sp;
	fuc->uc_stack.ss_size = t->altstack.ss_size;
	fuc->uc_stack.ss_flags = (t->altstack.ss_flags & FSS_DISABLE) ? FSS_DISABLE
				  : onstack ? FSS_ONSTACK : 0;
	if (act.flags & FSA_SIGINFO)
		sf->sf_si = *fi;

	r->rdi = (uint64_t)fsig;
	r->rsi = (act.flags & FSA_SIGINFO) ? (uint64_t)&sf->sf_si : (uint64_t)(uint32_t)fi->si_code;
	r->rdx = (uint64_t)fuc;
	r->rcx = fi->si_addr;
	r->rsp = sp;
	r->rip = sigtramp_addr;
	r->eflags &= ~(0x100UL | 0x400UL); /* TF, DF */

	fsigset_t nm = t->sigmask;
	for (int i = 0; i < 4; i++)
		nm.bits[i] |= act.mask.bits[i];
	if (!(act.flags & FSA_NODEFER))
		fsig_add(&nm, fsig);
	set_guest_mask(t, uc, &nm);
}

long restore_fucontext(struct gthread *t, struct lucontext *uc, const struct fucontext *fuc)
{
	const struct fmcontext *m = &fuc->uc_mcontext;
	struct sigcontext *r = &uc->uc_mcontext;
	if (m->mc_flags & ~0x7U)
		return FERR(FE_INVAL);
	if ((m->mc_cs & 3) != 3)
		return FERR(FE_INVAL);
	r->rdi = m->mc_rdi; r->rsi = m->mc_rsi; r->rdx = m->mc_rdx; r->rcx = m->mc_rcx;
	r->r8 = m->mc_r8; r->r9 = m->mc_r9; r->rax = m->mc_rax; r->rbx = m->mc_rbx;
	r->rbp = m->mc_rbp; r->r10 = m->mc_r10; r->r11 = m->mc_r11; r->r12 = m->mc_r12;
	r->r13 = m->mc_r13; r->r14 = m->mc_r14; r->r15 = m->mc_r15;
	r->rip = m->mc_rip;
	r->rsp = m->mc_rsp;
	/* Only user-changeable flags (FreeBSD's EFL_SECURE check). */
	const uint64_t user_flags = 0x3f7fd5UL & ~0x200UL;
	r->eflags = (r->eflags & ~user_flags) | (m->mc_rflags & user_flags);
	struct _fpstate *fp = (struct _fpstate *)r->fpstate;
	if (fp && m->mc_fpformat == F_MC_FPFMT_XMM) {
		/* Bytes 464-511 hold the kernel's xstate descriptor: keep them. */
		memcpy(fp, m->mc_fpstate, 416);
		uint32_t xlen = xsave_ext_len(fp);
		if ((m->mc_flags & F_MC_HASFPXSTATE) && m->mc_xfpustate && xlen) {
			uint64_t n = m->mc_xfpustate_len < xlen ? m->mc_xfpustate_len : xlen;
			memcpy((char *)fp + 512, (void *)m->mc_xfpustate, n);
		}
	}
	lsys2(__NR_arch_prctl, ARCH_SET_FS, m->mc_fsbase);
	t->guest_gsbase = (long)m->mc_gsbase;
	set_guest_mask(t, uc, &fuc->uc_sigmask);
	return 0;
}
