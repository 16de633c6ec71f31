/* kqueue(2)/kqueuex(2) on an epoll fd: the kqueue objects and their knote
 * table (kqscan.c scans it for kevent(2), kqfilt.c/kqvnode.c implement the
 * filters).
 *
 * Knotes live in the translator, keyed by (ident, filter): READ/WRITE ones
 * hang off a per-descriptor record that owns the single epoll registration
 * (edge-triggered, interest = union of the filters), the others in a small
 * hash. Anything that may have fired is put on the kqueue's active queue;
 * the scan re-evaluates each queued knote, exactly as FreeBSD's
 * kqueue_scan calls f_event, so level-triggered knotes simply stay queued
 * while they remain true. */
#include "../trap/dispatch.h"
#include "../trap/signals.h"
#include "kq.h"
#include "xlate.h"
#include <asm-generic/errno.h>
#include <linux/eventpoll.h>
#include <linux/fcntl.h>
#include <linux/poll.h>
#include <linux/time.h>

#include "fdguard.h"

static struct kq *kq_list;
static rt_lock_t kq_list_lock;
static volatile int kq_count;
static uint32_t fd_gen;

/* Internal descriptors (eventfds, timerfds, pidfds, inotify) go high so
 * the guest's dup2 targets and lowest-free-descriptor expectations are not
 * disturbed, and are remembered so the descriptor calls can keep the
 * guest's hands off them (kq_fd_internal). */
#define INTERNAL_MAX (1 << 20)
static uint8_t internal_fds[INTERNAL_MAX / 8];

static void mark_internal(int fd, int on)
{
	if (fd < 0 || fd >= INTERNAL_MAX)
		return;
	if (on)
		__atomic_fetch_or(&internal_fds[fd >> 3], (uint8_t)(1 << (fd & 7)), __ATOMIC_RELAXED);
	else
		__atomic_fetch_and(&internal_fds[fd >> 3], (uint8_t)~(1 << (fd & 7)), __ATOMIC_RELAXED);
}

int kq_fd_internal(int fd)
{
	if (fd < 0 || fd >= INTERNAL_MAX)
		return 0;
	return (__atomic_load_n(&internal_fds[fd >> 3], __ATOMIC_RELAXED) >> (fd & 7)) & 1;
}

int kq_hide_fd(int fd)
{
	struct { uint64_t cur, max; } rl;
	if (fd >= 0 && lsys2(__NR_getrlimit, 7 /* RLIMIT_NOFILE */, &rl) == 0 && rl.cur >= 512) {
		uint64_t lo = rl.cur > 1024 * 1024 ? 1024 * 1024 - 256 : rl.cur - 256;
		long n = lsys3(__NR_fcntl, fd, F_DUPFD_CLOEXEC, lo);
		if (n >= 0) {
			lsys1(__NR_close, fd);
			fd = (int)n;
		}
	}
	mark_internal(fd, 1);
	return fd;
}

void kq_close_internal(int fd)
{
	mark_internal(fd, 0);
	lsys1(__NR_close, fd);
}

/* ---- the knote table ---- */

struct fdreg *kq_fd_lookup(struct kq *kq, int fd)
{
	for (struct fdreg *r = kq->fdh[fd & (KQ_FDHASH - 1)]; r; r = r->next)
		if (r->fd == fd)
			return r;
	return NULL;
}

static unsigned mhash(uint64_t ident, int filter)
{
	return (unsigned)(ident * 31 + (unsigned)filter) & (KQ_MHASH - 1);
}

static struct knote *misc_lookup(struct kq *kq, uint64_t ident, int filter)
{
	for (struct knote *k = kq->mh[mhash(ident, filter)]; k; k = k->hnext)
		if (k->kev.ident == ident && k->kev.filter == filter)
			return k;
	return NULL;
}

struct knote *kq_find_id(struct kq *kq, uint32_t id)
{
	for (unsigned b = 0; b < KQ_MHASH; b++)
		for (struct knote *k = kq->mh[b]; k; k = k->hnext)
			if (k->id == id)
				return k;
	return NULL;
}

/* The active queue is doubly linked through qnext and a side array-free
 * back pointer: knotes are few per scan, so removal walks the list. */
void kq_enqueue(struct kq *kq, struct knote *kn)
{
	if (kn->status & KN_QUEUED)
		return;
	kn->status |= KN_QUEUED;
	kn->qnext = NULL;
	*kq->qtail = kn;
	kq->qtail = &kn->qnext;
	kq->qlen++;
}

struct knote *kq_dequeue_head(struct kq *kq)
{
	struct knote *kn = kq->qhead;
	if (!kn)
		return NULL;
	kq->qhead = kn->qnext;
	if (!kq->qhead)
		kq->qtail = &kq->qhead;
	kn->status &= ~KN_QUEUED;
	kq->qlen--;
	return kn;
}

static void dequeue(struct kq *kq, struct knote *kn)
{
	if (!(kn->status & KN_QUEUED))
		return;
	for (struct knote **p = &kq->qhead; *p; p = &(*p)->qnext)
		if (*p == kn) {
			*p = kn->qnext;
			if (kq->qtail == &kn->qnext)
				kq->qtail = p;
			break;
		}
	kn->status &= ~KN_QUEUED;
	kq->qlen--;
}

/* Unlinks and frees a knote (the filter lets go of its host resources). */
void kq_knote_drop(struct kq *kq, struct knote *kn)
{
	dequeue(kq, kn);
	kf_detach(kq, kn);
	if (kn->fr) {
		struct fdreg *fr = kn->fr;
		if (fr->rd == kn)
			fr->rd = NULL;
		if (fr->wr == kn)
			fr->wr = NULL;
		kf_fd_sync(kq, fr);
		if (!fr->rd && !fr->wr) {
			struct fdreg **p = &kq->fdh[fr->fd & (KQ_FDHASH - 1)];
			while (*p != fr)
				p = &(*p)->next;
			*p = fr->next;
			rt_free(fr);
		}
	} else {
		struct knote **p = &kq->mh[mhash(kn->kev.ident, kn->kev.filter)];
		while (*p && *p != kn)
			p = &(*p)->hnext;
		if (*p)
			*p = kn->hnext;
	}
	rt_free(kn);
}

static int fd_filter(int f)
{
	return f == EVFILT_READ || f == EVFILT_WRITE;
}

/* kqueue_register(): one change. Called with kq->lock held; *queued is
 * set when a knote was put on the active queue. */
long kq_register(struct kq *kq, struct fkevent *kev, int *queued)
{
	int f = kev->filter;
	struct knote *kn;
	struct fdreg *fr = NULL;
	if (f >= 0 || f < -EVFILT_SYSCOUNT)
		return -EINVAL;
	if (fd_filter(f)) {
		if (kev->ident > 0x7fffffff || fd_reserved((int)kev->ident))
			return -EBADF;
		fr = kq_fd_lookup(kq, (int)kev->ident);
		if (fr && (kev->flags & EV_ADD) && kf_fd_stale(fr)) {
			/* Closed and reused without the close hook seeing it: the
			 * old knotes died with the old file, as on FreeBSD. */
			fr->dying = 1;
			if (fr->rd && fr->wr)
				kq_knote_drop(kq, fr->rd);
			kq_knote_drop(kq, fr->rd ? fr->rd : fr->wr);
			fr = NULL;
		}
		kn = fr ? (f == EVFILT_READ ? fr->rd : fr->wr) : NULL;
		/* FreeBSD looks the descriptor up first: a bad one is EBADF
		 * whatever the flags. */
		if (!kn && lsys2(__NR_fcntl, (int)kev->ident, F_GETFD) < 0)
			return -EBADF;
	} else if (f == EVFILT_TIMER || f == EVFILT_SIGNAL || f == EVFILT_PROC || f == EVFILT_USER ||
		   f == EVFILT_VNODE || f == EVFILT_PROCDESC) {
		kn = misc_lookup(kq, kev->ident, f);
	} else {
		return -EINVAL; /* AIO, FS, LIO, SENDFILE, EMPTY */
	}

	if (!kn) {
		if (!(kev->flags & EV_ADD))
			return -ENOENT;
		kn = rt_calloc(1, sizeof *kn);
		if (!kn)
			return -ENOMEM;
		kn->kev = *kev;
		kn->kev.flags &= ~(EV_ADD | EV_DELETE | EV_ENABLE | EV_DISABLE | EV_FORCEONESHOT);
		kn->hostfd = -1;
		kn->id = ++kq->next_id;
		if (kev->flags & EV_DISABLE)
			kn->status |= KN_DISABLED;
		if (fr == NULL && fd_filter(f)) {
			fr = rt_calloc(1, sizeof *fr);
			if (!fr) {
				rt_free(kn);
				return -ENOMEM;
			}
			fr->fd = (int)kev->ident;
			fr->gen = ++fd_gen & 0xffffff;
			fr->type = -1;
			fr->next = kq->fdh[fr->fd & (KQ_FDHASH - 1)];
			kq->fdh[fr->fd & (KQ_FDHASH - 1)] = fr;
		}
		if (fr) {
			kn->fr = fr;
			if (f == EVFILT_READ)
				fr->rd = kn;
			else
				fr->wr = kn;
		} else {
			unsigned b = mhash(kn->kev.ident, f);
			kn->hnext = kq->mh[b];
			kq->mh[b] = kn;
		}
		long e = kf_attach(kq, kn);
		if (e) {
			kq_knote_drop(kq, kn);
			return e;
		}
	} else {
		if (kev->flags & EV_DELETE) {
			kq_knote_drop(kq, kn);
			return 0;
		}
		if (kev->flags & EV_FORCEONESHOT)
			kn->kev.flags |= EV_ONESHOT;
		if (kev->flags & EV_ENABLE)
			kn->status &= ~KN_DISABLED;
		else if (kev->flags & EV_DISABLE)
			kn->status |= KN_DISABLED;
		if (kev->flags & EV_ADD)
			kn->kev.udata = kev->udata;
		long e = kf_modify(kq, kn, kev);
		if (e)
			return e;
	}
	/* Re-evaluated at scan time, like f_event() after registration. */
	if (!(kn->status & (KN_DISABLED | KN_QUEUED))) {
		kq_enqueue(kq, kn);
		*queued = 1;
	}
	return 0;
}

/* ---- kqueue objects ---- */

static void kq_free(struct kq *kq)
{
	for (unsigned b = 0; b < KQ_FDHASH; b++)
		while (kq->fdh[b]) {
			struct fdreg *fr = kq->fdh[b];
			kq_knote_drop(kq, fr->rd ? fr->rd : fr->wr);
		}
	for (unsigned b = 0; b < KQ_MHASH; b++)
		while (kq->mh[b])
			kq_knote_drop(kq, kq->mh[b]);
	kq_close_internal(kq->wakefd);
	if (kq->inofd >= 0)
		kq_close_internal(kq->inofd);
	rt_free(kq);
}

void kq_put(struct kq *kq)
{
	rt_lock(&kq_list_lock);
	int last = --kq->refs == 0;
	rt_unlock(&kq_list_lock);
	if (last)
		kq_free(kq);
}

/* A kqueue inherited over fork(2) is not the child's (FreeBSD does not
 * pass kqueues on): unlinked and freed without touching the epoll set it
 * shares with the parent. Called with kq_list_lock held. */
static void kq_forget_foreign(int pid)
{
	for (struct kq **p = &kq_list; *p;) {
		struct kq *kq = *p;
		if (kq->pid == pid) {
			p = &kq->next;
			continue;
		}
		*p = kq->next;
		kq->foreign = 1;
		kq->closed = 1;
		kq_count--;
		if (--kq->refs == 0) {
			rt_unlock(&kq_list_lock);
			kq_free(kq);
			rt_lock(&kq_list_lock);
			p = &kq_list; /* the list may have changed */
		}
	}
}

/* Whether fd names kq: its first descriptor or a dup of it. */
static int kq_named_by(const struct kq *kq, int fd)
{
	if (kq->epfd == fd)
		return 1;
	for (int i = 0; i < kq->ndup; i++)
		if (kq->dups[i] == fd)
			return 1;
	return 0;
}

/* Drops fd from the names of kq; 1 when it was the last one. */
static int kq_unname(struct kq *kq, int fd)
{
	for (int i = 0; i < kq->ndup; i++)
		if (kq->dups[i] == fd) {
			kq->dups[i] = kq->dups[--kq->ndup];
			return 0;
		}
	if (kq->ndup == 0)
		return 1;
	kq->epfd = kq->dups[--kq->ndup]; /* the same epoll file, another number */
	return 0;
}

struct kq *kq_get(int fd)
{
	int pid = (int)lsys0(__NR_getpid);
	rt_lock(&kq_list_lock);
	kq_forget_foreign(pid);
	struct kq *kq = kq_list;
	while (kq && !kq_named_by(kq, fd))
		kq = kq->next;
	if (kq)
		kq->refs++;
	rt_unlock(&kq_list_lock);
	return kq;
}

static long kq_create(int cloexec)
{
	struct kq *kq = rt_calloc(1, sizeof *kq);
	if (!kq)
		return -ENOMEM;
	long ep = lsys1(__NR_epoll_create1, cloexec ? EPOLL_CLOEXEC : 0);
	if (ep < 0) {
		rt_free(kq);
		return ep;
	}
	long wfd = lsys2(__NR_eventfd2, 0, O_NONBLOCK | O_CLOEXEC);
	if (wfd < 0) {
		lsys1(__NR_close, ep);
		rt_free(kq);
		return wfd;
	}
	kq->epfd = (int)ep;
	kq->wakefd = kq_hide_fd((int)wfd);
	kq->pid = (int)lsys0(__NR_getpid);
	kq->refs = 1;
	kq->inofd = -1;
	kq->qtail = &kq->qhead;
	struct epoll_event ev = { EPOLLIN, MKTAG(TAG_WAKE, 0, 0) };
	lsys4(__NR_epoll_ctl, kq->epfd, EPOLL_CTL_ADD, kq->wakefd, &ev);
	rt_lock(&kq_list_lock);
	kq_forget_foreign(kq->pid);
	/* A stale record for this number (closed behind our back) goes. */
	for (struct kq **p = &kq_list; *p; p = &(*p)->next)
		if (kq_named_by(*p, kq->epfd)) {
			struct kq *old = *p;
			if (!kq_unname(old, kq->epfd))
				break;
			*p = old->next;
			old->closed = 1;
			kq_count--;
			if (--old->refs == 0) {
				rt_unlock(&kq_list_lock);
				kq_free(old);
				rt_lock(&kq_list_lock);
			}
			break;
		}
	kq->next = kq_list;
	kq_list = kq;
	kq_count++;
	rt_unlock(&kq_list_lock);
	return kq->epfd;
}

long sys_kqueue(struct sysctx *c)
{
	(void)c;
	return kq_create(0);
}

long sys_kqueuex(struct sysctx *c)
{
	uint32_t flags = (uint32_t)c->a[0];
	if (flags & ~KQUEUE_CLOEXEC)
		return -EINVAL;
	return kq_create(flags & KQUEUE_CLOEXEC);
}

void kq_fd_dup(int oldfd, int newfd)
{
	if (!__atomic_load_n(&kq_count, __ATOMIC_RELAXED))
		return;
	rt_lock(&kq_list_lock);
	for (struct kq *kq = kq_list; kq; kq = kq->next)
		if (kq_named_by(kq, oldfd) && kq->pid == (int)lsys0(__NR_getpid) &&
		    kq->ndup < KQ_MAXDUP && !kq_named_by(kq, newfd))
			kq->dups[kq->ndup++] = newfd;
	rt_unlock(&kq_list_lock);
}

/* Close hook (file.c sys_close, before the descriptor goes): drops the
 * knotes on fd, and the kqueue if fd is one. */
void kq_fd_closed(int fd)
{
	if (!__atomic_load_n(&kq_count, __ATOMIC_RELAXED))
		return;
	struct kq *dead = NULL;
	int pid = (int)lsys0(__NR_getpid);
	rt_lock(&kq_list_lock);
	kq_forget_foreign(pid);
	for (struct kq **p = &kq_list; *p;) {
		struct kq *kq = *p;
		if (kq_named_by(kq, fd) && !kq_unname(kq, fd)) {
			p = &kq->next; /* still open under another number */
			continue;
		}
		if (kq->epfd == fd) {
			*p = kq->next;
			kq->closed = 1;
			kq_count--;
			dead = kq;
			continue;
		}
		rt_lock(&kq->lock);
		struct fdreg *fr = kq_fd_lookup(kq, fd);
		if (fr) {
			if (fr->events)
				lsys4(__NR_epoll_ctl, kq->epfd, EPOLL_CTL_DEL, fd, 0);
			fr->events = 0;
			fr->dying = 1;
			if (fr->rd && fr->wr)
				kq_knote_drop(kq, fr->rd);
			kq_knote_drop(kq, fr->rd ? fr->rd : fr->wr);
		}
		struct knote *vn;
		while ((vn = misc_lookup(kq, (uint64_t)fd, EVFILT_VNODE)) ||
		       (vn = misc_lookup(kq, (uint64_t)fd, EVFILT_PROCDESC)))
			kq_knote_drop(kq, vn);
		rt_unlock(&kq->lock);
		p = &kq->next;
	}
	rt_unlock(&kq_list_lock);
	if (dead) {
		uint64_t one = 1;
		lsys3(__NR_write, dead->wakefd, &one, 8); /* waiters see it closed */
		kq_put(dead);
	}
}

