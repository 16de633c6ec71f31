/* kqueue filters: what each EVFILT_* attaches to on the host and how a
 * queued knote is evaluated (FreeBSD's f_attach/f_touch/f_event).
 *   READ/WRITE  the descriptor itself in the epoll set (kqueue.c scans
 *               with poll(2)); data = bytes readable / buffer space
 *   TIMER       timerfd; data = expirations
 *   SIGNAL      counted by the host signal handler (kq_signal_hook)
 *   PROC        pidfd (NOTE_EXIT); data = FreeBSD wait status
 *   USER        translator state; the kqueue's eventfd wakes waiters */
#include "../trap/dispatch.h"
#include "../trap/signals.h"
#include "kq.h"
#include "kqhook.h"
#include "sockstate.h"
#include "wait.h"
#include "xlate.h"
#include <asm-generic/errno.h>
#include <asm-generic/ioctls.h>
#include <linux/eventpoll.h>
#include <linux/fcntl.h>
#include <linux/poll.h>
#include <linux/sockios.h>
#include <linux/stat.h>
#include <linux/time.h>
#include <linux/timerfd.h>
#include <linux/wait.h>


#define NOTE_LOWAT 0x1

/* ---- descriptors ---- */

static int fd_type(struct fdreg *fr)
{
	struct statx x;
	int fd = fr->fd;
	if (lsys5(__NR_statx, fd, "", AT_EMPTY_PATH, STATX_TYPE | STATX_INO, &x) < 0)
		return FT_OTHER;
	fr->dev = (uint64_t)x.stx_dev_major << 32 | x.stx_dev_minor;
	fr->ino = x.stx_ino;
	switch (x.stx_mode & S_IFMT) {
	case S_IFSOCK: {
		int len = 4;
		if (lsys5(__NR_getsockopt, fd, 1, 7 /* SO_SNDBUF */, &fr->sndbuf, &len) < 0)
			fr->sndbuf = 0;
		return FT_SOCK;
	}
	case S_IFIFO:
		fr->sndbuf = (int)lsys2(__NR_fcntl, fd, F_GETPIPE_SZ);
		return FT_PIPE;
	case S_IFREG:
	case S_IFDIR:
		return FT_FILE;
	default:
		return FT_OTHER;
	}
}

long kf_fd_sync(struct kq *kq, struct fdreg *fr)
{
	if (fr->dying || kq->foreign || fr->type == FT_FILE)
		return 0;
	uint32_t want = 0;
	if (fr->rd)
		want |= EPOLLIN | EPOLLRDHUP;
	if (fr->wr)
		want |= EPOLLOUT;
	if (want == fr->events)
		return 0;
	if (!want) {
		lsys4(__NR_epoll_ctl, kq->epfd, EPOLL_CTL_DEL, fr->fd, 0);
		fr->events = 0;
		return 0;
	}
	struct epoll_event ev = { want | EPOLLET, MKTAG(TAG_FD, fr->gen, fr->fd) };
	long r = -ENOENT;
	if (fr->events)
		r = lsys4(__NR_epoll_ctl, kq->epfd, EPOLL_CTL_MOD, fr->fd, &ev);
	if (r == -ENOENT)
		r = lsys4(__NR_epoll_ctl, kq->epfd, EPOLL_CTL_ADD, fr->fd, &ev);
	if (r == -EEXIST)
		r = lsys4(__NR_epoll_ctl, kq->epfd, EPOLL_CTL_MOD, fr->fd, &ev);
	if (r == -EPERM) { /* regular files: always ready, never in epoll */
		fr->type = FT_FILE;
		fr->events = 0;
		return 0;
	}
	if (r < 0)
		return r;
	fr->events = want;
	return 0;
}

int kf_fd_stale(struct fdreg *fr)
{
	struct statx x;
	if (fr->type < 0)
		return 0;
	if (lsys5(__NR_statx, fr->fd, "", AT_EMPTY_PATH, STATX_INO, &x) < 0)
		return 1;
	return fr->ino != x.stx_ino || fr->dev != ((uint64_t)x.stx_dev_major << 32 | x.stx_dev_minor);
}

static long attach_fd(struct kq *kq, struct knote *kn)
{
	struct fdreg *fr = kn->fr;
	if (fr->type < 0)
		fr->type = fd_type(fr);
	return kf_fd_sync(kq, fr);
}

static int64_t file_left(int fd)
{
	struct statx x;
	if (lsys5(__NR_statx, fd, "", AT_EMPTY_PATH, STATX_SIZE, &x) < 0)
		return 0;
	long off = lsys3(__NR_lseek, fd, 0, 1 /* SEEK_CUR */);
	if (off < 0)
		return 0;
	return (int64_t)x.stx_size - off;
}

static int event_read(struct knote *kn, int rev, struct fkevent *out)
{
	struct fdreg *fr = kn->fr;
	if (fr->type == FT_FILE) {
		out->data = file_left(fr->fd);
		return out->data != 0;
	}
	if (!(rev & (POLLIN | POLLRDHUP | POLLHUP | POLLERR)))
		return 0;
	int eof = (rev & (POLLRDHUP | POLLHUP)) != 0;
	if (eof)
		out->flags |= EV_EOF;
	if (eof && fr->type == FT_SOCK) /* filt_soread: fflags = so_error */
		out->fflags = (uint32_t)errno_l2f(sock_error_peek(fr->fd, rev & POLLERR));
	int n = 0;
	if (lsys3(__NR_ioctl, fr->fd, FIONREAD, &n) < 0)
		n = (rev & POLLIN) ? 1 : 0; /* listening socket: a pending connection */
	out->data = n;
	if ((kn->kev.fflags & NOTE_LOWAT) && fr->type == FT_SOCK && !eof && !(rev & POLLERR) &&
	    n < kn->kev.data)
		return 0;
	return 1;
}

static int event_write(struct knote *kn, int rev, struct fkevent *out)
{
	struct fdreg *fr = kn->fr;
	if (fr->type == FT_FILE) {
		out->data = 0;
		return 1;
	}
	if (!(rev & (POLLOUT | POLLHUP | POLLERR)))
		return 0;
	int n = 0;
	switch (fr->type) {
	case FT_PIPE: /* no reader left: POLLERR on Linux, EV_EOF on FreeBSD */
		if (rev & (POLLERR | POLLHUP))
			out->flags |= EV_EOF;
		if (lsys3(__NR_ioctl, fr->fd, FIONREAD, &n) < 0)
			n = 0;
		out->data = fr->sndbuf > n ? fr->sndbuf - n : 0;
		break;
	case FT_SOCK:
		if (rev & POLLHUP) { /* filt_sowrite: fflags = so_error */
			out->flags |= EV_EOF;
			out->fflags = (uint32_t)errno_l2f(sock_error_peek(fr->fd, rev & POLLERR));
		}
		if (lsys3(__NR_ioctl, fr->fd, SIOCOUTQ, &n) < 0)
			n = 0;
		out->data = fr->sndbuf / 2 > n ? fr->sndbuf / 2 - n : 0;
		break;
	default:
		if (rev & POLLHUP)
			out->flags |= EV_EOF;
		out->data = 0;
		break;
	}
	if ((kn->kev.fflags & NOTE_LOWAT) && !(out->flags & EV_EOF) && out->data < kn->kev.data)
		return 0;
	return 1;
}

/* ---- EVFILT_TIMER ---- */

static long timer_arm(struct knote *kn)
{
	int64_t ns = ktimer_ns(kn->kev.data, kn->kev.fflags);
	if (ns < 0)
		return -EINVAL;
	if (ns == 0)
		ns = 1; /* a zero it_value would disarm the timerfd */
	struct itimerspec its = { { 0, 0 }, { ns / 1000000000, ns % 1000000000 } };
	int flags = 0;
	if (kn->kev.fflags & NOTE_ABSTIME)
		flags = TFD_TIMER_ABSTIME;
	else if (!(kn->kev.flags & EV_ONESHOT))
		its.it_interval = its.it_value;
	return lsys4(__NR_timerfd_settime, kn->hostfd, flags, &its, 0);
}

static long attach_timer(struct kq *kq, struct knote *kn)
{
	if (ktimer_ns(kn->kev.data, kn->kev.fflags) < 0)
		return -EINVAL;
	int clk = (kn->kev.fflags & NOTE_ABSTIME) ? CLOCK_REALTIME : CLOCK_MONOTONIC;
	long fd = lsys2(__NR_timerfd_create, clk, TFD_NONBLOCK | TFD_CLOEXEC);
	if (fd < 0)
		return fd;
	kn->hostfd = kq_hide_fd((int)fd);
	kn->kev.flags |= EV_CLEAR; /* FreeBSD sets it on every timer */
	long r = timer_arm(kn);
	if (r < 0)
		return r;
	struct epoll_event ev = { EPOLLIN, MKTAG(TAG_ID, 0, kn->id) };
	return lsys4(__NR_epoll_ctl, kq->epfd, EPOLL_CTL_ADD, kn->hostfd, &ev);
}

static int event_timer(struct knote *kn, struct fkevent *out)
{
	uint64_t n = 0;
	if (lsys3(__NR_read, kn->hostfd, &n, 8) != 8 || n == 0)
		return 0;
	out->data = (int64_t)n;
	return 1;
}

/* ---- EVFILT_SIGNAL ---- */

static volatile int sig_refs[FSIG_MAXSIG + 1];
static volatile uint64_t sig_count[FSIG_MAXSIG + 1];
static volatile int sig_efd = -1;
static rt_lock_t sig_efd_lock;

int kq_sig_eventfd(void)
{
	if (sig_efd >= 0)
		return sig_efd;
	rt_lock(&sig_efd_lock);
	if (sig_efd < 0) {
		long fd = lsys2(__NR_eventfd2, 0, O_NONBLOCK | O_CLOEXEC);
		if (fd >= 0)
			sig_efd = kq_hide_fd((int)fd);
	}
	rt_unlock(&sig_efd_lock);
	return sig_efd;
}

void kq_signal_ref(int fsig, int delta)
{
	int old = __atomic_fetch_add(&sig_refs[fsig], delta, __ATOMIC_SEQ_CST);
	if ((old == 0) != (old + delta == 0)) {
		rt_lock(&gsigact_lock);
		host_sync_disposition(fsig);
		rt_unlock(&gsigact_lock);
	}
}

uint64_t kq_signal_count(int fsig)
{
	return __atomic_load_n(&sig_count[fsig], __ATOMIC_SEQ_CST);
}

int kq_signal_wanted(int fsig)
{
	return fsig > 0 && fsig <= FSIG_MAXSIG && sig_refs[fsig] > 0;
}

/* From the host signal handler: async-signal-safe, lock-free. */
int kq_signal_hook(int fsig)
{
	if (!kq_signal_wanted(fsig))
		return 0;
	__atomic_fetch_add(&sig_count[fsig], 1, __ATOMIC_SEQ_CST);
	uint64_t one = 1;
	if (sig_efd >= 0)
		lsys3(__NR_write, sig_efd, &one, 8);
	uint64_t h = gsigact[fsig].handler;
	return h == 1 || (h == 0 && fsig_default_ignored(fsig));
}

static long attach_signal(struct kq *kq, struct knote *kn)
{
	int s = (int)kn->kev.ident;
	if (kn->kev.ident < 1 || kn->kev.ident > FSIG_MAXSIG)
		return -EINVAL;
	int efd = kq_sig_eventfd();
	if (efd < 0)
		return efd;
	if (kq->nsignal++ == 0) {
		struct epoll_event ev = { EPOLLIN | EPOLLET, MKTAG(TAG_SIG, 0, 0) };
		lsys4(__NR_epoll_ctl, kq->epfd, EPOLL_CTL_ADD, efd, &ev);
	}
	kn->kev.flags |= EV_CLEAR;
	kn->hostfd = -2; /* marks the signal reference taken */
	kq_signal_ref(s, 1);
	kn->sigseen = kq_signal_count(s);
	return 0;
}

static int event_signal(struct knote *kn, struct fkevent *out)
{
	uint64_t n = kq_signal_count((int)kn->kev.ident);
	if (n == kn->sigseen)
		return 0;
	out->data = (int64_t)(n - kn->sigseen);
	kn->sigseen = n;
	return 1;
}

/* ---- EVFILT_PROC ---- */

static long attach_proc(struct kq *kq, struct knote *kn)
{
	if (kn->kev.ident == 0 || kn->kev.ident > 0x7fffffff)
		return -ESRCH;
	long fd = lsys2(__NR_pidfd_open, (int)kn->kev.ident, 0);
	if (fd < 0)
		return fd == -EINVAL ? -ESRCH : fd;
	lsys3(__NR_fcntl, fd, F_SETFD, FD_CLOEXEC);
	kn->hostfd = kq_hide_fd((int)fd);
	struct epoll_event ev = { EPOLLIN, MKTAG(TAG_ID, 0, kn->id) };
	return lsys4(__NR_epoll_ctl, kq->epfd, EPOLL_CTL_ADD, kn->hostfd, &ev);
}

/* EVFILT_PROCDESC: the descriptor pdfork(2) returned is a Linux pidfd;
 * a duplicate of it goes into the epoll set. */
static long attach_procdesc(struct kq *kq, struct knote *kn)
{
	if (kn->kev.ident > 0x7fffffff)
		return -EBADF;
	int gfd = (int)kn->kev.ident;
	if (lsys2(__NR_fcntl, gfd, F_GETFD) < 0)
		return -EBADF;
	if (lsys4(__NR_pidfd_send_signal, gfd, 0, 0, 0) == -EBADF)
		return -EINVAL; /* open, but not a process descriptor */
	long fd = lsys3(__NR_fcntl, gfd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0)
		return fd;
	kn->hostfd = kq_hide_fd((int)fd);
	struct epoll_event ev = { EPOLLIN, MKTAG(TAG_ID, 0, kn->id) };
	return lsys4(__NR_epoll_ctl, kq->epfd, EPOLL_CTL_ADD, kn->hostfd, &ev);
}

struct lsiginfo_wait {
	int32_t si_signo, si_errno, si_code, pad;
	int32_t si_pid, si_uid, si_status;
	char rest[128 - 28];
};

static int event_proc(struct knote *kn, struct fkevent *out)
{
	if (!(kn->kev.fflags & NOTE_EXIT))
		return 0;
	struct pollfd pf = { kn->hostfd, POLLIN, 0 };
	struct __kernel_timespec zero = { 0, 0 };
	if (lsys5(__NR_ppoll, &pf, 1, &zero, 0, 8) <= 0)
		return 0;
	struct lsiginfo_wait si;
	memset(&si, 0, sizeof si);
	long r = lsys5(__NR_waitid, P_PIDFD, kn->hostfd, &si, WEXITED | WNOWAIT | WNOHANG, 0);
	out->data = (r == 0 && si.si_pid) ? wait_status_from_siginfo(si.si_code, si.si_status) : 0;
	out->fflags = NOTE_EXIT;
	out->flags |= EV_EOF | EV_ONESHOT;
	return 1;
}

/* ---- EVFILT_USER ---- */

static void user_touch(struct knote *kn, const struct fkevent *req)
{
	if (req->fflags & NOTE_TRIGGER)
		kn->status |= KN_TRIGGERED;
	kn->ufflags = kuser_fflags(kn->ufflags, req->fflags);
	kn->kev.data = req->data;
	if (req->flags & EV_CLEAR)
		kn->status &= ~KN_TRIGGERED;
}

static int event_user(struct knote *kn, struct fkevent *out)
{
	if (!(kn->status & KN_TRIGGERED))
		return 0;
	out->fflags = kn->ufflags;
	out->data = kn->kev.data;
	if (kn->kev.flags & EV_CLEAR)
		kn->status &= ~KN_TRIGGERED;
	return 1;
}

/* ---- dispatch ---- */

long kf_attach(struct kq *kq, struct knote *kn)
{
	switch (kn->kev.filter) {
	case EVFILT_READ:
	case EVFILT_WRITE:
		return attach_fd(kq, kn);
	case EVFILT_TIMER:
		return attach_timer(kq, kn);
	case EVFILT_SIGNAL:
		return attach_signal(kq, kn);
	case EVFILT_PROC:
		return attach_proc(kq, kn);
	case EVFILT_PROCDESC:
		return attach_procdesc(kq, kn);
	case EVFILT_VNODE:
		return kv_attach(kq, kn);
	case EVFILT_USER:
		/* The raw registration fflags become the knote's, as filt_userattach. */
		kn->ufflags = kn->kev.fflags;
		if (kn->kev.fflags & NOTE_TRIGGER)
			kn->status |= KN_TRIGGERED;
		return 0;
	}
	return -EINVAL;
}

long kf_modify(struct kq *kq, struct knote *kn, const struct fkevent *req)
{
	(void)kq;
	switch (kn->kev.filter) {
	case EVFILT_USER:
		user_touch(kn, req);
		return 0;
	case EVFILT_TIMER: {
		kn->kev.fflags = req->fflags;
		kn->kev.data = req->data;
		uint64_t v;
		lsys3(__NR_read, kn->hostfd, &v, 8); /* restart: forget pending expirations */
		return timer_arm(kn);
	}
	default:
		kn->kev.fflags = req->fflags;
		kn->kev.data = req->data;
		return 0;
	}
}

void kf_detach(struct kq *kq, struct knote *kn)
{
	if (kn->kev.filter == EVFILT_VNODE)
		kv_detach(kq, kn);
	if (kn->kev.filter == EVFILT_SIGNAL && kn->hostfd == -2) {
		kq_signal_ref((int)kn->kev.ident, -1);
		if (--kq->nsignal == 0 && sig_efd >= 0 && !kq->foreign)
			lsys4(__NR_epoll_ctl, kq->epfd, EPOLL_CTL_DEL, sig_efd, 0);
		kn->hostfd = -1;
	}
	if (kn->hostfd >= 0) {
		kq_close_internal(kn->hostfd); /* leaves the epoll set with it */
		kn->hostfd = -1;
	}
}

int kf_event(struct kq *kq, struct knote *kn, int rev, struct fkevent *out)
{
	(void)kq;
	*out = kn->kev;
	out->fflags = 0;
	out->data = 0;
	switch (kn->kev.filter) {
	case EVFILT_READ:
		if (rev & POLLNVAL)
			return -1;
		return event_read(kn, rev, out);
	case EVFILT_WRITE:
		if (rev & POLLNVAL)
			return -1;
		return event_write(kn, rev, out);
	case EVFILT_TIMER:
		return event_timer(kn, out);
	case EVFILT_SIGNAL:
		return event_signal(kn, out);
	case EVFILT_PROC:
	case EVFILT_PROCDESC:
		return event_proc(kn, out);
	case EVFILT_USER:
		return event_user(kn, out);
	case EVFILT_VNODE:
		return kv_event(kn, out);
	}
	return 0;
}
