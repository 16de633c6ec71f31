/* EVFILT_VNODE on inotify: one inotify instance per kqueue (in its epoll
 * set), one watch per watched file, added through /proc/self/fd/N so the
 * guest's descriptor names the inode. Notes accumulate in the knote until
 * reported (kevconv.c maps the inotify bits). Where inotify and FreeBSD
 * differ, the file's own state decides: a link count of zero after
 * IN_ATTRIB is NOTE_DELETE (inotify waits for the last close), another
 * link count change NOTE_LINK, growth after IN_MODIFY NOTE_EXTEND. */
#include "../trap/dispatch.h"
#include "kq.h"
#include <asm-generic/errno.h>
#include <linux/fcntl.h>
#include <linux/inotify.h>
#include <linux/eventpoll.h>
#include <linux/stat.h>


#define WATCH_MASK (IN_ACCESS | IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_CLOSE_NOWRITE | \
		    IN_OPEN | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE |          \
		    IN_DELETE_SELF | IN_MOVE_SELF)

static void file_state(int fd, int64_t *size, uint64_t *nlink)
{
	struct statx x;
	if (lsys5(__NR_statx, fd, "", AT_EMPTY_PATH, STATX_SIZE | STATX_NLINK, &x) < 0)
		return;
	*size = (int64_t)x.stx_size;
	*nlink = x.stx_nlink;
}

long kv_attach(struct kq *kq, struct knote *kn)
{
	int fd = (int)kn->kev.ident;
	if (kn->kev.ident > 0x7fffffff || lsys2(__NR_fcntl, fd, F_GETFD) < 0)
		return -EBADF;
	if (kq->inofd < 0) {
		long ifd = lsys1(__NR_inotify_init1, IN_NONBLOCK | IN_CLOEXEC);
		if (ifd < 0)
			return ifd;
		kq->inofd = kq_hide_fd((int)ifd);
		struct epoll_event ev = { EPOLLIN, MKTAG(TAG_INO, 0, 0) };
		lsys4(__NR_epoll_ctl, kq->epfd, EPOLL_CTL_ADD, kq->inofd, &ev);
	}
	char path[32];
	rt_snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	long wd = lsys3(__NR_inotify_add_watch, kq->inofd, path, WATCH_MASK);
	if (wd < 0)
		return wd == -ENOENT ? -EBADF : wd == -ENOSPC ? -ENOMEM : wd;
	kn->wd = (int)wd;
	kn->vpending = 0;
	file_state(fd, &kn->vsize, &kn->vnlink);
	return 0;
}

void kv_detach(struct kq *kq, struct knote *kn)
{
	if (kn->wd <= 0 || kq->inofd < 0 || kq->foreign)
		return;
	/* Watches are per inode: keep it while another knote uses it. */
	for (unsigned b = 0; b < KQ_MHASH; b++)
		for (struct knote *k = kq->mh[b]; k; k = k->hnext)
			if (k != kn && k->kev.filter == EVFILT_VNODE && k->wd == kn->wd)
				goto done;
	lsys2(__NR_inotify_rm_watch, kq->inofd, kn->wd);
done:
	kn->wd = 0;
}

int kv_event(struct knote *kn, struct fkevent *out)
{
	uint32_t n = kn->vpending & kn->kev.fflags;
	if (!n)
		return 0;
	out->fflags = n;
	/* Without EV_CLEAR the notes stay (FreeBSD's f_event is kn_fflags != 0). */
	if (kn->kev.flags & (EV_CLEAR | EV_ONESHOT | EV_DISPATCH))
		kn->vpending = 0;
	return 1;
}

static void note(struct kq *kq, int wd, uint32_t mask, int child)
{
	for (unsigned b = 0; b < KQ_MHASH; b++)
		for (struct knote *k = kq->mh[b]; k; k = k->hnext) {
			if (k->kev.filter != EVFILT_VNODE || k->wd != wd)
				continue;
			uint32_t n = kvnode_notes(mask, child);
			if (!child && (mask & (IN_ATTRIB | IN_MODIFY))) {
				int64_t size = k->vsize;
				uint64_t nlink = k->vnlink;
				file_state((int)k->kev.ident, &size, &nlink);
				if ((mask & IN_MODIFY) && size > k->vsize)
					n |= NOTE_EXTEND;
				if ((mask & IN_ATTRIB) && nlink != k->vnlink)
					n |= nlink == 0 ? NOTE_DELETE : NOTE_LINK;
				if (nlink != k->vnlink && !(mask & ~IN_ATTRIB))
					n &= ~NOTE_ATTRIB; /* only the link count changed */
				k->vsize = size;
				k->vnlink = nlink;
			}
			if (mask & IN_Q_OVERFLOW)
				n = NOTE_WRITE;
			k->vpending |= n;
			if ((k->vpending & k->kev.fflags) && !(k->status & KN_DISABLED))
				kq_enqueue(kq, k);
		}
}

void kv_inotify_ready(struct kq *kq)
{
	char buf[4096] __attribute__((aligned(8)));
	for (;;) {
		long n = lsys3(__NR_read, kq->inofd, buf, sizeof buf);
		if (n <= 0)
			return;
		for (long off = 0; off + (long)sizeof(struct inotify_event) <= n;) {
			struct inotify_event *e = (struct inotify_event *)(buf + off);
			if (e->mask & IN_Q_OVERFLOW) {
				for (unsigned b = 0; b < KQ_MHASH; b++)
					for (struct knote *k = kq->mh[b]; k; k = k->hnext)
						if (k->kev.filter == EVFILT_VNODE)
							note(kq, k->wd, IN_Q_OVERFLOW, 0);
			} else if (!(e->mask & IN_IGNORED)) {
				note(kq, e->wd, e->mask, e->len != 0);
			}
			off += (long)sizeof *e + e->len;
		}
	}
}
