/* kevent(2) (560) and compat11 kevent (363): apply the changes, then
 * harvest epoll, re-evaluate the queued knotes and wait. The two
 * generations differ only in the event layout (ext[] or not). Guest memory
 * is touched with no lock held, so a bad pointer unwinds to EFAULT. */
#include "../trap/dispatch.h"
#include "../trap/signals.h"
#include "kq.h"
#include "xlate.h"
#include <asm-generic/errno.h>
#include <linux/eventpoll.h>
#include <linux/poll.h>
#include <linux/time.h>

/* ---- scanning ---- */

#define BATCH 64

/* Moves up to max fired events into out[]. Called with kq->lock held. */
static int kq_collect(struct kq *kq, struct fkevent *out, int max)
{
	int n = 0;
	uint32_t budget = kq->qlen;
	while (n < max && budget && kq->qhead) {
		struct knote *b[BATCH];
		struct pollfd pf[BATCH];
		int nb = 0, np = 0;
		while (nb < BATCH && budget && kq->qhead) {
			b[nb++] = kq_dequeue_head(kq);
			budget--;
		}
		for (int i = 0; i < nb; i++) {
			struct knote *kn = b[i];
			if (!kn->fr || (kn->status & KN_DISABLED))
				continue;
			pf[np].fd = kn->fr->fd;
			pf[np].events = kn->kev.filter == EVFILT_READ ? POLLIN | POLLRDHUP : POLLOUT;
			pf[np].revents = 0;
			np++;
		}
		if (np) {
			struct __kernel_timespec zero = { 0, 0 };
			lsys5(__NR_ppoll, pf, np, &zero, 0, 8);
		}
		int ip = 0;
		for (int i = 0; i < nb; i++) {
			struct knote *kn = b[i];
			int rev = 0;
			if (kn->status & KN_DISABLED)
				continue; /* leaves the queue; EV_ENABLE requeues */
			if (kn->fr)
				rev = pf[ip++].revents;
			if (n >= max) {
				kq_enqueue(kq, kn);
				continue;
			}
			int r = kf_event(kq, kn, rev, &out[n]);
			if (r < 0) { /* the descriptor is gone */
				kq_knote_drop(kq, kn);
				continue;
			}
			if (!r)
				continue;
			n++;
			uint16_t fl = kn->kev.flags | out[n - 1].flags;
			if (fl & EV_ONESHOT)
				kq_knote_drop(kq, kn);
			else if (fl & (EV_CLEAR | EV_DISPATCH)) {
				if (fl & EV_DISPATCH)
					kn->status |= KN_DISABLED;
			} else
				kq_enqueue(kq, kn); /* level-triggered: stays active */
		}
	}
	return n;
}

/* Marks the knotes an epoll event concerns as possibly fired. */
static void kq_epoll_event(struct kq *kq, const struct epoll_event *ev)
{
	uint64_t tag = ev->data;
	switch (TAG_KIND(tag)) {
	case TAG_FD: {
		struct fdreg *fr = kq_fd_lookup(kq, (int)TAG_LO(tag));
		if (!fr || fr->gen != TAG_HI(tag))
			break;
		if (fr->rd && !(fr->rd->status & KN_DISABLED) &&
		    (ev->events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)))
			kq_enqueue(kq, fr->rd);
		if (fr->wr && !(fr->wr->status & KN_DISABLED) &&
		    (ev->events & (EPOLLOUT | EPOLLHUP | EPOLLERR)))
			kq_enqueue(kq, fr->wr);
		break;
	}
	case TAG_ID: {
		struct knote *kn = kq_find_id(kq, TAG_LO(tag));
		if (kn && !(kn->status & KN_DISABLED))
			kq_enqueue(kq, kn);
		break;
	}
	case TAG_WAKE: {
		uint64_t v;
		lsys3(__NR_read, kq->wakefd, &v, 8);
		break;
	}
	case TAG_INO:
		kv_inotify_ready(kq);
		break;
	case TAG_SIG:
		for (unsigned b = 0; b < KQ_MHASH; b++)
			for (struct knote *k = kq->mh[b]; k; k = k->hnext)
				if (k->kev.filter == EVFILT_SIGNAL && !(k->status & KN_DISABLED))
					kq_enqueue(kq, k);
		break;
	}
}

/* ---- kevent ---- */

/* Wakes the threads sleeping in epoll_pwait2 on this kqueue: knotes were
 * queued (or left queued) that no epoll event will announce to them. Called
 * after kq->lock was released. */
static void kq_kick(struct kq *kq)
{
	if (__atomic_load_n(&kq->waiters, __ATOMIC_SEQ_CST)) {
		uint64_t one = 1;
		lsys3(__NR_write, kq->wakefd, &one, 8);
	}
}

#define OUTCHUNK 64

static long ferrno(long e)
{
	if (e <= -FERR_BASE)
		return -e - FERR_BASE;
	return errno_l2f((int)-e);
}

static void put_event(void *events, int fmt11, int i, const struct fkevent *ev)
{
	if (fmt11)
		kev_to11(ev, (struct fkevent11 *)events + i);
	else
		((struct fkevent *)events)[i] = *ev;
}

static long do_kevent(struct sysctx *c, int fmt11)
{
	int fd = ARG_INT(c, 0);
	const char *changes = ARG_PTR(c, 1);
	int nchanges = ARG_INT(c, 2);
	char *events = ARG_PTR(c, 3);
	int nevents = ARG_INT(c, 4);
	const struct ftimespec *uts = ARG_PTR(c, 5);
	c->norestart = 1; /* kqueue_scan turns ERESTART into EINTR */
	if (nchanges < 0 || nevents < 0)
		return -EINVAL;
	struct ftimespec ts = { 0, 0 };
	if (uts) {
		ts = *uts;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
			return -EINVAL;
	}
	struct kq *kq = kq_get(fd);
	if (!kq)
		return -EBADF;

	long ret = 0, nerr = 0;
	int queued = 0;
	for (int i = 0; i < nchanges; i++) {
		struct fkevent kev;
		if (fmt11)
			kev_from11((const struct fkevent11 *)changes + i, &kev);
		else
			kev = ((const struct fkevent *)changes)[i];
		if (kev.filter == 0)
			continue;
		kev.flags &= ~EV_SYSFLAGS;
		rt_lock(&kq->lock);
		long e = kq_register(kq, &kev, &queued);
		rt_unlock(&kq->lock);
		if (e || (kev.flags & EV_RECEIPT)) {
			if (nevents == 0) {
				ret = e;
				goto out;
			}
			kev.flags = EV_ERROR;
			kev.data = e ? ferrno(e) : 0;
			put_event(events, fmt11, (int)nerr, &kev);
			nevents--;
			nerr++;
		}
	}
	if (queued)
		kq_kick(kq);
	if (nerr) {
		ret = nerr;
		goto out;
	}
	if (nevents == 0)
		goto out;

	int64_t deadline = -1; /* CLOCK_MONOTONIC ns; -1 = wait forever */
	if (uts) {
		struct __kernel_timespec now;
		lsys2(__NR_clock_gettime, CLOCK_MONOTONIC, &now);
		int64_t rel = ts.tv_sec > 1000000000LL ? 1000000000LL * 1000000000LL
						       : ts.tv_sec * 1000000000LL + ts.tv_nsec;
		deadline = now.tv_sec * 1000000000LL + now.tv_nsec + rel;
	}
	struct fkevent out[OUTCHUNK];
	struct epoll_event evs[OUTCHUNK];
	/* Harvest what epoll already has (level-triggered knotes may keep the
	 * queue busy, but must not hide new events), collect, and only then
	 * wait. */
	long r = lsys4(__NR_epoll_wait, kq->epfd, evs, OUTCHUNK, 0);
	int waited = 0;
	for (;;) {
		rt_lock(&kq->lock);
		for (long i = 0; i < r; i++)
			kq_epoll_event(kq, &evs[i]);
		int got = 0, pending = 0;
		for (;;) {
			int want = nevents - got < OUTCHUNK ? nevents - got : OUTCHUNK;
			int n = kq->closed ? 0 : kq_collect(kq, out, want);
			pending = kq->qhead != NULL;
			rt_unlock(&kq->lock);
			for (int i = 0; i < n; i++)
				put_event(events, fmt11, got + i, &out[i]);
			got += n;
			if (n < want || got == nevents)
				break;
			rt_lock(&kq->lock);
		}
		/* Knotes we leave queued (level-triggered ones that fired, or
		 * more than fit) may be what a sleeper is waiting for: the epoll
		 * edge that queued them was consumed here, not by it. */
		if (pending)
			kq_kick(kq);
		if (got) {
			ret = got;
			goto out;
		}
		if (kq->closed) {
			ret = -EBADF;
			goto out;
		}
		struct __kernel_timespec rem, *tp = NULL;
		if (deadline >= 0) {
			struct __kernel_timespec now;
			lsys2(__NR_clock_gettime, CLOCK_MONOTONIC, &now);
			int64_t left = deadline - (now.tv_sec * 1000000000LL + now.tv_nsec);
			if (left <= 0 && waited) {
				ret = 0;
				goto out;
			}
			if (left < 0)
				left = 0;
			rem.tv_sec = left / 1000000000LL;
			rem.tv_nsec = left % 1000000000LL;
			tp = &rem;
		}
		/* Counted as a waiter before the queue is looked at a last time:
		 * whoever queues a knote after that look sees us and kicks the
		 * wake eventfd (kq_kick); one queued before it, we collect. */
		uint64_t hmask = sigset_f2l(&c->t->sigmask);
		__atomic_fetch_add(&kq->waiters, 1, __ATOMIC_SEQ_CST);
		rt_lock(&kq->lock);
		int busy = kq->qhead != NULL;
		rt_unlock(&kq->lock);
		r = busy ? 0 : bsys(__NR_epoll_pwait2, kq->epfd, evs, OUTCHUNK, tp, &hmask, 8);
		__atomic_fetch_sub(&kq->waiters, 1, __ATOMIC_SEQ_CST);
		if (busy)
			continue;
		waited = 1;
		if (r < 0) {
			ret = r;
			goto out;
		}
	}
out:
	kq_put(kq);
	return ret;
}

long sys_kevent(struct sysctx *c)
{
	return do_kevent(c, 0);
}

long sys_kevent11(struct sysctx *c)
{
	return do_kevent(c, 1);
}
