/* kqueue/kevent on top of epoll. A kqueue is an epoll fd plus a
 * translator-side table of knotes keyed by (ident, filter). kqueue.c holds
 * the table and the system calls; kqfilt.c the per-filter behaviour. */
#pragma once
#include "kevent.h"
#include "../rt/rt.h"

#define KN_QUEUED 0x1
#define KN_DISABLED 0x2
#define KN_TRIGGERED 0x4   /* EVFILT_USER fired / EVFILT_PROC exited */

struct fdreg;
struct knote {
	struct knote *hnext;     /* misc hash chain (non-fd filters) */
	struct knote *qnext;     /* active queue */
	struct fdreg *fr;        /* READ/WRITE: the descriptor's registration */
	struct fkevent kev;      /* as registered: flags, sfflags, sdata, udata, ext */
	uint32_t status;
	uint32_t id;             /* epoll tag for timer/proc knotes */
	int hostfd;              /* timerfd, pidfd, or -1 */
	uint32_t ufflags;        /* EVFILT_USER current fflags */
	uint64_t sigseen;        /* EVFILT_SIGNAL deliveries already reported */
	int64_t pdata;           /* EVFILT_PROC exit status */
	int wd;                  /* EVFILT_VNODE inotify watch */
	uint32_t vpending;       /* EVFILT_VNODE notes not yet reported */
	int64_t vsize;           /* EVFILT_VNODE size and link count seen */
	uint64_t vnlink;
};

#define FT_OTHER 0
#define FT_SOCK 1
#define FT_PIPE 2
#define FT_FILE 3 /* regular file or directory: epoll refuses, always ready */

struct fdreg {
	struct fdreg *next;
	int fd;
	uint32_t gen;
	uint32_t events;         /* epoll events registered (0 = none) */
	int type;                /* FT_*, -1 until first registered */
	int dying;               /* descriptor being closed: no re-registration */
	int sndbuf;              /* sockets: SO_SNDBUF, for EVFILT_WRITE data */
	uint64_t dev, ino;       /* identity of the open file registered */
	struct knote *rd, *wr;
};

#define KQ_FDHASH 1024
#define KQ_MAXDUP 8
#define KQ_MHASH 64

struct kq {
	struct kq *next;
	int epfd;                /* the guest's kqueue descriptor */
	int ndup;                /* further descriptors dup'ed from it (they */
	int dups[KQ_MAXDUP];     /* name the same kqueue, as on FreeBSD) */
	int wakefd;              /* eventfd: user triggers, waking waiters */
	int pid;                 /* owner; forked children see EBADF */
	int refs;
	int closed;
	int foreign;             /* inherited over fork: the epoll set is the
				  * parent's, never touch it */
	int waiters;             /* kevent callers about to sleep or asleep in
				  * epoll_pwait2 (kqscan.c kq_kick) */
	int nsignal;             /* EVFILT_SIGNAL knotes: shared eventfd registered */
	int inofd;               /* EVFILT_VNODE: inotify instance, or -1 */
	rt_lock_t lock;
	uint32_t next_id;
	struct knote *qhead, **qtail;
	uint32_t qlen;
	struct fdreg *fdh[KQ_FDHASH];
	struct knote *mh[KQ_MHASH];
};

/* epoll tags: kind in the top byte. */
#define TAG_FD 1ULL
#define TAG_ID 2ULL
#define TAG_WAKE 3ULL
#define TAG_SIG 4ULL
#define TAG_INO 5ULL
#define MKTAG(kind, hi, lo) (((uint64_t)(kind) << 56) | ((uint64_t)((hi) & 0xffffff) << 32) | (uint32_t)(lo))
#define TAG_KIND(t) ((t) >> 56)
#define TAG_HI(t) (((t) >> 32) & 0xffffff)
#define TAG_LO(t) ((uint32_t)(t))

void kq_enqueue(struct kq *kq, struct knote *kn);
struct knote *kq_dequeue_head(struct kq *kq);
/* Unlinks and frees a knote (the filter lets go of its host resources). */
void kq_knote_drop(struct kq *kq, struct knote *kn);
struct fdreg *kq_fd_lookup(struct kq *kq, int fd);
/* One change of a changelist, with kq->lock held (kern_kevent's
 * kqueue_register); *queued is set when a knote was queued. */
long kq_register(struct kq *kq, struct fkevent *kev, int *queued);
/* The caller's kqueue for fd with a reference held, or NULL. */
struct kq *kq_get(int fd);
void kq_put(struct kq *kq);
/* Internal descriptors: moved high and registered (kqhook.h kq_fd_internal). */
int kq_hide_fd(int fd);
void kq_close_internal(int fd);
struct knote *kq_find_id(struct kq *kq, uint32_t id);

/* kqfilt.c: attach a new knote (kn->kev filled), or update an existing one
 * from a registration; 0 or -linux_errno / FERR(). */
long kf_attach(struct kq *kq, struct knote *kn);
long kf_modify(struct kq *kq, struct knote *kn, const struct fkevent *req);
void kf_detach(struct kq *kq, struct knote *kn);
/* Evaluates a queued knote for reporting: returns 1 and fills *out when
 * it fires. pollrev: current poll(2) revents for READ/WRITE knotes. */
int kf_event(struct kq *kq, struct knote *kn, int pollrev, struct fkevent *out);
/* Descriptor registration in the epoll set. */
long kf_fd_sync(struct kq *kq, struct fdreg *fr);
/* The descriptor now names another file than the one registered (it was
 * closed behind the close hook's back, e.g. by dup2). */
int kf_fd_stale(struct fdreg *fr);
/* EVFILT_VNODE (kqvnode.c). */
long kv_attach(struct kq *kq, struct knote *kn);
void kv_detach(struct kq *kq, struct knote *kn);
int kv_event(struct knote *kn, struct fkevent *out);
/* Reads the kqueue's inotify events and queues the knotes they concern. */
void kv_inotify_ready(struct kq *kq);
/* EVFILT_SIGNAL: the shared counter eventfd. */
int kq_sig_eventfd(void);
void kq_signal_ref(int fsig, int delta);
uint64_t kq_signal_count(int fsig);
