/* Guest signal system calls: dispositions, masks, alternate stacks,
 * sigreturn, and sending signals (signals.md §3-4). */
#include "../trap/dispatch.h"
#include "../trap/signals.h"
#include "../rt/rt.h"
#include "xlate.h"
#include <asm-generic/errno.h>

static int valid_sig(int s)
{
	return s >= 1 && s <= FSIG_MAXSIG;
}

long sys_sigaction(struct sysctx *c)
{
	int sig = ARG_INT(c, 0);
	const struct fsigaction *nsa = ARG_PTR(c, 1);
	struct fsigaction *osa = ARG_PTR(c, 2);
	if (!valid_sig(sig))
		return -EINVAL;
	if (nsa && (sig == FSIGKILL || sig == FSIGSTOP))
		return -EINVAL;
	if (nsa && nsa->handler > 1 && !sig_f2l(sig))
		return -EINVAL; /* no host signal can carry it */
	rt_lock(&gsigact_lock);
	struct fsigaction old = gsigact[sig];
	if (nsa) {
		gsigact[sig] = *nsa;
		fsig_del(&gsigact[sig].mask, FSIGKILL);
		fsig_del(&gsigact[sig].mask, FSIGSTOP);
		host_sync_disposition(sig);
	}
	rt_unlock(&gsigact_lock);
	if (osa)
		*osa = old;
	return 0;
}

static long change_mask(struct sysctx *c, int how, const fsigset_t *set, fsigset_t *oset)
{
	struct gthread *t = c->t;
	if (oset)
		*oset = t->sigmask;
	if (!set)
		return 0;
	fsigset_t m = t->sigmask;
	for (int i = 0; i < 4; i++) {
		if (how == FSIG_BLOCK)
			m.bits[i] |= set->bits[i];
		else if (how == FSIG_UNBLOCK)
			m.bits[i] &= ~set->bits[i];
		else if (how == FSIG_SETMASK)
			m.bits[i] = set->bits[i];
		else
			return -EINVAL;
	}
	set_guest_mask(t, c->uc, &m);
	return 0;
}

long sys_sigprocmask(struct sysctx *c)
{
	return change_mask(c, ARG_INT(c, 0), ARG_PTR(c, 1), ARG_PTR(c, 2));
}

long sys_sigaltstack(struct sysctx *c)
{
	struct gthread *t = c->t;
	const struct fstack *ss = ARG_PTR(c, 0);
	struct fstack *oss = ARG_PTR(c, 1);
	uint64_t sp = c->uc->uc_mcontext.rsp;
	int onstack = !(t->altstack.ss_flags & FSS_DISABLE) && sp > t->altstack.ss_sp &&
		      sp <= t->altstack.ss_sp + t->altstack.ss_size;
	struct fstack old = t->altstack;
	old.ss_flags = (old.ss_flags & FSS_DISABLE) ? FSS_DISABLE : onstack ? FSS_ONSTACK : 0;
	if (ss) {
		if (onstack)
			return -EPERM;
		if (ss->ss_flags & ~FSS_DISABLE)
			return -EINVAL;
		if (!(ss->ss_flags & FSS_DISABLE) && ss->ss_size < FMINSIGSTKSZ)
			return -ENOMEM;
		t->altstack = *ss;
		t->altstack.pad = 0;
	}
	if (oss)
		*oss = old;
	return 0;
}

long sys_sigreturn(struct sysctx *c)
{
	long r = restore_fucontext(c->t, c->uc, ARG_PTR(c, 0));
	if (r == 0)
		c->justreturn = 1;
	return r;
}

/* Waits with `mask` in force until a guest signal is delivered. */
long sys_sigsuspend(struct sysctx *c)
{
	struct gthread *t = c->t;
	fsigset_t m = *(const fsigset_t *)ARG_PTR(c, 0);
	t->saved_mask = t->sigmask;
	t->restore_saved_mask = 1;
	set_guest_mask(t, c->uc, &m);
	uint64_t hm = sigset_f2l(&t->sigmask);
	while (!t->sig_pending)
		bsys(__NR_rt_sigsuspend, &hm, 8, 0, 0, 0, 0);
	/* The frame records the old mask; the host resumes with it too. */
	c->uc->uc_sigmask.sig[0] = sigset_f2l(&t->saved_mask);
	c->norestart = 1;
	return -EINTR;
}

long sys_sigpending(struct sysctx *c)
{
	uint64_t hm = 0;
	lsys2(__NR_rt_sigpending, &hm, 8);
	fsigset_t s;
	sigset_l2f(hm, &s);
	for (int i = 0; i < 4; i++)
		s.bits[i] |= c->t->pending.bits[i];
	*(fsigset_t *)ARG_PTR(c, 0) = s;
	return 0;
}

static long send_sig(int nr, long pid, long tid, int fsig)
{
	if (fsig == 0)
		return tid ? lsys3(__NR_tgkill, pid, tid, 0) : lsys2(__NR_kill, pid, 0);
	int l = sig_f2l(fsig);
	if (!valid_sig(fsig) || !l)
		return -EINVAL;
	(void)nr;
	return tid ? lsys3(__NR_tgkill, pid, tid, l) : lsys2(__NR_kill, pid, l);
}

long sys_kill(struct sysctx *c)
{
	return send_sig(c->nr, ARG_INT(c, 0), 0, ARG_INT(c, 1));
}

/* thr_kill(-1, sig): every thread of the process except the caller. */
static long thread_kill_others(struct gthread *self, int fsig)
{
	int l = sig_f2l(fsig);
	if (fsig && (!valid_sig(fsig) || !l))
		return -EINVAL;
	int tids[256];
	int n = thread_tids(tids, 256);
	long pid = lsys0(__NR_getpid);
	long r = -ESRCH; /* sys_thr_kill: no other thread */
	for (int i = 0; i < n; i++)
		if (tids[i] != self->tid) {
			r = 0;
			if (fsig)
				lsys3(__NR_tgkill, pid, tids[i], l);
		}
	return r;
}

long sys_thr_kill(struct sysctx *c)
{
	long id = (long)c->a[0];
	int sig = ARG_INT(c, 1);
	long pid = lsys0(__NR_getpid);
	if (id == -1)
		return thread_kill_others(c->t, sig);
	if (id <= FBSD_TID_OFFSET)
		return -ESRCH;
	return send_sig(c->nr, pid, id - FBSD_TID_OFFSET, sig);
}

long sys_thr_kill2(struct sysctx *c)
{
	long pid = ARG_INT(c, 0), id = (long)c->a[1];
	if (id <= FBSD_TID_OFFSET)
		return -ESRCH;
	return send_sig(c->nr, pid, id - FBSD_TID_OFFSET, ARG_INT(c, 2));
}

long sys_sigqueue(struct sysctx *c)
{
	int fsig = ARG_INT(c, 1);
	int l = sig_f2l(fsig);
	if (fsig && !l)
		return -EINVAL;
	struct lsiginfo si;
	memset(&si, 0, sizeof si);
	si.si_signo = l;
	si.si_code = -1; /* SI_QUEUE */
	si.u.rt.pid = (int)lsys0(__NR_getpid);
	si.u.rt.uid = (unsigned)lsys0(__NR_getuid);
	si.u.rt.value = c->a[2];
	return lsys3(__NR_rt_sigqueueinfo, ARG_INT(c, 0), l, &si);
}

/* sigtimedwait/sigwaitinfo/sigwait: take a signal from `set` without
 * running its handler. */
static long wait_for(struct sysctx *c, const fsigset_t *set, struct fsiginfo *info,
		     const struct ftimespec *ts)
{
	struct gthread *t = c->t;
	c->norestart = 1;
	for (int s = 1; s <= FSIG_MAXSIG; s++)
		if (fsig_ismember(set, s) && fsig_ismember(&t->pending, s)) {
			fsig_del(&t->pending, s);
			if (info)
				*info = t->pending_info[s];
			thread_update_pending(t);
			return s;
		}
	uint64_t hset = sigset_f2l(set);
	struct lsiginfo si;
	/* We run with every host signal blocked; rt_sigtimedwait lets only
	 * the wanted set through while it sleeps, and dequeues it. */
	long r = bsys(__NR_rt_sigtimedwait, &hset, &si, ts, 8, 0, 0);
	if (lerr(r))
		return r;
	int fs = sig_l2f((int)r);
	if (info)
		siginfo_l2f(&si, info, fs, NULL);
	return fs;
}

long sys_sigtimedwait(struct sysctx *c)
{
	return wait_for(c, ARG_PTR(c, 0), ARG_PTR(c, 1), ARG_PTR(c, 2));
}

long sys_sigwaitinfo(struct sysctx *c)
{
	return wait_for(c, ARG_PTR(c, 0), ARG_PTR(c, 1), NULL);
}

/* sigwait returns the errno as its value, never -1/CF. */
long sys_sigwait(struct sysctx *c)
{
	long r = wait_for(c, ARG_PTR(c, 0), NULL, NULL);
	if (r < 0)
		return r == -EINTR ? -EINTR : errno_l2f((int)-r);
	*(int *)ARG_PTR(c, 1) = (int)r;
	return 0;
}
