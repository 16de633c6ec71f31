/* Host side of signals: the translator owns every Linux handler. A host
 * signal that lands in guest code becomes a FreeBSD frame at once; one that
 * lands in translator code is queued and delivered when the trapped system
 * call returns. */
#include "signals.h"
#include "dispatch.h"
#include "../rt/rt.h"
#include "../abi/xlate.h"
#include "../abi/kqhook.h"
#include <linux/mman.h>

struct fsigaction gsigact[FSIG_MAXSIG + 1];
rt_lock_t gsigact_lock;
uint64_t sigtramp_addr, sigtramp_end;

extern char host_restorer[], blk_start[], blk_syscall[], blk_eintr[];

/* FreeBSD's __vdso_sigcode (signals.md §2): call the handler through
 * sf_ahu, then sigreturn(&sf_uc). */
static const unsigned char sigcode[] = {
	0xff, 0x14, 0x24,                         /* call *(%rsp) */
	0x48, 0x8d, 0x7c, 0x24, 0x10,             /* lea 16(%rsp), %rdi */
	0x6a, 0x00,                               /* push $0 */
	0x48, 0xc7, 0xc0, 0xa1, 0x01, 0x00, 0x00, /* mov $417, %rax */
	0x0f, 0x05,                               /* syscall */
	0xf4,                                     /* hlt */
	0xeb, 0xfd,                               /* jmp hlt */
};

static int lsig_sync(int l)
{
	return l == 4 || l == 5 || l == 7 || l == 8 || l == 11;
}



static void host_sig_handler(int lsig, struct lsiginfo *si, struct lucontext *uc)
{
	struct gthread *t = cur_thread();
	struct fsiginfo fi;
	int fsig = siginfo_l2f(si, &fi, sig_l2f(lsig), uc);
	uint64_t ip = uc->uc_mcontext.rip;
	if (!(lsig_sync(lsig) && si->si_code > 0) && kq_signal_hook(fsig))
		return; /* counted for EVFILT_SIGNAL; the guest ignores it */
	if (!in_translator(ip)) {
		deliver_signal(t, uc, fsig, &fi);
		return;
	}
	if (lsig_sync(lsig) && si->si_code > 0) {
		if ((lsig == 11 || lsig == 7) && t->fault_armed) {
			struct sigcontext *r = &uc->uc_mcontext;
			const struct fault_jmp *jb = &t->fault_jb;
			r->rbx = jb->rbx; r->rbp = jb->rbp; r->r12 = jb->r12; r->r13 = jb->r13;
			r->r14 = jb->r14; r->r15 = jb->r15; r->rsp = jb->rsp; r->rip = jb->rip;
			r->rax = 1;
			t->fault_armed = 0;
			return;
		}
		rt_die(70, "internal fault: signal %d at %p, address %p", lsig, (void *)ip,
		       (void *)si->u.fault.addr);
	}
	queue_pending(t, fsig, &fi);
	if (ip >= (uint64_t)blk_start && ip <= (uint64_t)blk_syscall)
		uc->uc_mcontext.rip = (uint64_t)blk_eintr;
}

static void host_sigaction(int lsig, void *handler)
{
	struct lsigaction sa = { 0 };
	sa.handler = handler;
	sa.flags = L_SA_RESTORER;
	if (handler != (void *)0 && handler != (void *)1) {
		sa.flags |= L_SA_SIGINFO | L_SA_ONSTACK;
		sa.mask.sig[0] = HANDLER_MASK;
	}
	sa.restorer = host_restorer;
	lsys4(__NR_rt_sigaction, lsig, &sa, 0, 8);
}

void host_sync_disposition(int fsig)
{
	int l = sig_f2l(fsig);
	if (!l || l == 9 || l == 19)
		return;
	uint64_t h = gsigact[fsig].handler;
	void *hh;
	if (h == 1)
		hh = (void *)1;
	else if (h != 0 || fsig == FSIGSEGV || fsig == FSIGBUS)
		hh = (void *)host_sig_handler; /* also turns translator faults into EFAULT */
	/* FreeBSD ignores these by default where Linux would terminate. */
	else if (fsig == FSIGIO || fsig == FSIGINFO || fsig == FSIGTHR || fsig == FSIGLIBRT)
		hh = (void *)1;
	else
		hh = (void *)0;
	/* EVFILT_SIGNAL counts deliveries whatever the disposition. */
	if (kq_signal_wanted(fsig) && !(fsig == FSIGCHLD && h == 1))
		hh = (void *)host_sig_handler;
	host_sigaction(l, hh);
}

void thread_update_pending(struct gthread *t)
{
	int any = 0;
	for (int i = 0; i < 4; i++)
		if (t->pending.bits[i] & ~t->sigmask.bits[i])
			any = 1;
	t->sig_pending = any;
}

void queue_pending(struct gthread *t, int fsig, const struct fsiginfo *fi)
{
	if (fsig <= 0 || fsig > FSIG_MAXSIG)
		return;
	t->pending_info[fsig] = *fi;
	fsig_add(&t->pending, fsig);
	thread_update_pending(t);
}

static int first_deliverable(struct gthread *t)
{
	for (int s = 1; s <= FSIG_MAXSIG; s++)
		if (fsig_ismember(&t->pending, s) && !fsig_ismember(&t->sigmask, s))
			return s;
	return 0;
}

void deliver_pending(struct gthread *t, struct lucontext *uc)
{
	int s = first_deliverable(t);
	if (!s) {
		t->sig_pending = 0;
		return;
	}
	fsig_del(&t->pending, s);
	struct fsiginfo fi = t->pending_info[s];
	thread_update_pending(t);
	deliver_signal(t, uc, s, &fi);
}

int pending_wants_restart(struct gthread *t)
{
	int s = first_deliverable(t);
	return s && (gsigact[s].flags & FSA_RESTART);
}

void set_guest_mask(struct gthread *t, struct lucontext *uc, const fsigset_t *m)
{
	t->sigmask = *m;
	fsig_del(&t->sigmask, FSIGKILL);
	fsig_del(&t->sigmask, FSIGSTOP);
	uc->uc_sigmask.sig[0] = sigset_f2l(&t->sigmask);
	thread_update_pending(t);
}

void signals_init(struct gthread *t)
{
	char *page = rt_pages(PAGE_SIZE);
	if (!page)
		rt_die(126, "out of memory");
	memcpy(page, sigcode, sizeof sigcode);
	lsys3(__NR_mprotect, page, PAGE_SIZE, PROT_READ | PROT_EXEC);
	sigtramp_addr = (uint64_t)page;
	sigtramp_end = sigtramp_addr + sizeof sigcode;

	struct lsigaction sa = { 0 };
	sa.handler = (void *)sigsys_handler;
	sa.flags = L_SA_SIGINFO | L_SA_ONSTACK | L_SA_RESTORER;
	sa.mask.sig[0] = HANDLER_MASK;
	sa.restorer = host_restorer;
	lsys4(__NR_rt_sigaction, 31, &sa, 0, 8);

	/* The guest starts with the mask and ignored set exec left us. */
	uint64_t hmask = 0;
	lsys4(__NR_rt_sigprocmask, 0, 0, &hmask, 8);
	sigset_l2f(hmask, &t->sigmask);
	for (int f = 1; f <= FSIG_MAXSIG; f++) {
		int l = sig_f2l(f);
		if (!l || l == 9 || l == 19)
			continue;
		struct lsigaction old;
		if (lerr(lsys4(__NR_rt_sigaction, l, 0, &old, 8)))
			continue;
		if (old.handler == (void *)1 && !fsig_default_ignored(f))
			gsigact[f].handler = 1;
		host_sync_disposition(f);
	}
}
