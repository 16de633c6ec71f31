/* poll, ppoll, select, pselect. All four wait in the host's mask-taking
 * variants (ppoll/pselect6) with the guest's signal mask, inside bsys(),
 * so an unblocked guest signal interrupts them; none is ever restarted
 * (FreeBSD turns ERESTART into EINTR for these). */
#include "../trap/dispatch.h"
#include "../trap/signals.h"
#include "../rt/rt.h"
#include "poll.h"
#include "xlate.h"
#include <asm-generic/errno.h>
#include <linux/poll.h>
#include <linux/stat.h>
#include <linux/time.h>

#include "fdguard.h"

#define POLL_STACK 64

static int is_fifo(int fd)
{
	struct statx x;
	return lsys5(__NR_statx, fd, "", 0x1000 /* AT_EMPTY_PATH */, STATX_TYPE, &x) == 0 &&
	       (x.stx_mode & S_IFMT) == S_IFIFO;
}
#define POLL_MAX (1 << 20)

/* The temporary mask of ppoll/pselect: installed for the wait; if a signal
 * interrupts it the handler frame records the original mask (as
 * sigsuspend), otherwise the original comes straight back. */
static void mask_begin(struct sysctx *c, const fsigset_t *set)
{
	struct gthread *t = c->t;
	if (!set)
		return;
	t->saved_mask = t->sigmask;
	fsigset_t m = *set;
	set_guest_mask(t, c->uc, &m);
}

static void mask_end(struct sysctx *c, const fsigset_t *set, long r)
{
	struct gthread *t = c->t;
	if (!set)
		return;
	if (r == -EINTR && t->sig_pending) {
		t->restore_saved_mask = 1;
		c->uc->uc_sigmask.sig[0] = sigset_f2l(&t->saved_mask);
	} else {
		fsigset_t m = t->saved_mask;
		set_guest_mask(t, c->uc, &m);
	}
}

static long do_poll(struct sysctx *c, struct fpollfd *fds, uint32_t nfds,
		    const struct __kernel_timespec *ts, const fsigset_t *set)
{
	if (nfds > POLL_MAX)
		return -EINVAL;
	struct pollfd sbuf[POLL_STACK];
	struct pollfd *l = nfds <= POLL_STACK ? sbuf : rt_malloc(nfds * sizeof *l);
	if (!l)
		return -ENOMEM;
	for (uint32_t i = 0; i < nfds; i++) {
		l[i].fd = fd_reserved(fds[i].fd) ? -1 : fds[i].fd;
		l[i].events = pollev_f2l(fds[i].events);
		l[i].revents = 0;
	}
	c->norestart = 1;
	mask_begin(c, set);
	uint64_t hmask = sigset_f2l(&c->t->sigmask);
	long r = bsys(__NR_ppoll, l, nfds, ts, &hmask, 8, 0);
	mask_end(c, set, r);
	if (r >= 0) {
		r = 0;
		for (uint32_t i = 0; i < nfds; i++) {
			short rev = pollev_l2f(l[i].revents);
			if ((l[i].revents & (POLLHUP | POLLERR)) && is_fifo(l[i].fd))
				rev = pollev_pipe_eof(fds[i].events, rev);
			if (fds[i].fd >= 0 && fd_reserved(fds[i].fd))
				rev = POLLNVAL;
			fds[i].revents = rev;
			if (rev)
				r++;
		}
	}
	if (l != sbuf)
		rt_free(l);
	return r;
}

long sys_poll(struct sysctx *c)
{
	int ms = ARG_INT(c, 2);
	struct __kernel_timespec ts, *tp = NULL;
	if (ms != -1) { /* INFTIM */
		if (ms < 0)
			return -EINVAL;
		ts.tv_sec = ms / 1000;
		ts.tv_nsec = (long long)(ms % 1000) * 1000000;
		tp = &ts;
	}
	return do_poll(c, ARG_PTR(c, 0), (uint32_t)c->a[1], tp, NULL);
}

static long get_timespec(const struct ftimespec *u, struct __kernel_timespec *ts)
{
	if (u->tv_nsec < 0 || u->tv_nsec >= 1000000000 || u->tv_sec < 0)
		return -EINVAL;
	ts->tv_sec = u->tv_sec;
	ts->tv_nsec = u->tv_nsec;
	return 0;
}

long sys_ppoll(struct sysctx *c)
{
	const struct ftimespec *uts = ARG_PTR(c, 2);
	struct __kernel_timespec ts;
	if (uts && get_timespec(uts, &ts))
		return -EINVAL;
	const fsigset_t *set = ARG_PTR(c, 3);
	fsigset_t s;
	if (set)
		s = *set;
	return do_poll(c, ARG_PTR(c, 0), (uint32_t)c->a[1], uts ? &ts : NULL, set ? &s : NULL);
}

static long do_select(struct sysctx *c, int nd, uint64_t *in, uint64_t *ou, uint64_t *ex,
		      struct __kernel_timespec *ts, const fsigset_t *set)
{
	if (nd < 0)
		return -EINVAL;
	/* The translator's descriptor is not open as far as the guest knows. */
	for (int fd = 0; fd < nd; fd++) {
		if (!fd_reserved(fd))
			continue;
		uint64_t bit = 1ULL << (fd & 63);
		if ((in && (in[fd / 64] & bit)) || (ou && (ou[fd / 64] & bit)) ||
		    (ex && (ex[fd / 64] & bit)))
			return -EBADF;
	}
	c->norestart = 1;
	mask_begin(c, set);
	struct { uint64_t mask_ptr, size; } sm;
	uint64_t hmask = sigset_f2l(&c->t->sigmask);
	sm.mask_ptr = (uint64_t)&hmask;
	sm.size = 8;
	long r = bsys(__NR_pselect6, nd, in, ou, ex, ts, &sm);
	mask_end(c, set, r);
	return r;
}

long sys_select(struct sysctx *c)
{
	const struct ftimeval *tv = ARG_PTR(c, 4);
	struct __kernel_timespec ts;
	if (tv) {
		struct ftimeval v = *tv;
		if (v.tv_sec < 0 || v.tv_usec < 0 || v.tv_usec >= 1000000)
			return -EINVAL;
		ts.tv_sec = v.tv_sec;
		ts.tv_nsec = v.tv_usec * 1000;
	}
	return do_select(c, ARG_INT(c, 0), ARG_PTR(c, 1), ARG_PTR(c, 2), ARG_PTR(c, 3),
			 tv ? &ts : NULL, NULL);
}

long sys_pselect(struct sysctx *c)
{
	const struct ftimespec *uts = ARG_PTR(c, 4);
	struct __kernel_timespec ts;
	if (uts && get_timespec(uts, &ts))
		return -EINVAL;
	const fsigset_t *set = ARG_PTR(c, 5);
	fsigset_t s;
	if (set)
		s = *set;
	return do_select(c, ARG_INT(c, 0), ARG_PTR(c, 1), ARG_PTR(c, 2), ARG_PTR(c, 3),
			 uts ? &ts : NULL, set ? &s : NULL);
}
