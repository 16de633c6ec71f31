/* Reading a PF_ROUTE socket. Its descriptor is a NETLINK_ROUTE socket in
 * the link, address and route multicast groups, so poll, kqueue and
 * blocking reads wait on the kernel as usual; every read takes netlink
 * messages, turns them into FreeBSD routing messages (rtnotify.c) and
 * hands out one per read, like FreeBSD's datagram routing socket.
 * Answers to the socket's own requests (RTM_GET) wait here until the ack
 * of a netlink NOOP the request sent comes up, so they keep their place
 * among the notifications. State is per socket (inode); a bounded table,
 * since a closed socket's entry is only reclaimed by a later one. A route
 * this process changes is reported to each of its routing sockets with the
 * writer's pid and rtm_seq, as FreeBSD echoes the request to every
 * listener (other processes see pid 0). */
#include "../trap/dispatch.h"
#include "../rt/rt.h"
#include "routesock.h"
#include "sockstate.h"
#include "nlreq.h"
#include "fs.h"
#include <asm-generic/errno.h>
#include <linux/fcntl.h>
#include <linux/netlink.h>

#define NSOCK 16
#define NQ 32       /* messages waiting per socket */
#define NEXPECT 16  /* own route changes, newest last */
#define NLBUF 16384
#define MARK 0x80000000u /* NOOP sequence numbers: never a kernel notification's 0 */
#define LMSG_PEEK 0x2
#define FMSG_TRUNC 0x10

struct rsmsg {
	uint32_t mark;       /* 0: ready; else waits for this NOOP ack */
	uint16_t len;
	uint8_t msg[RS_MSGMAX] __attribute__((aligned(8)));
};

struct rsexpect {
	int type, family, plen, owner; /* owner: the writer's slot */
	int32_t pid, seq;
	uint64_t serial;
	uint32_t seen;                 /* slots that reported it */
	uint8_t dst[16];
};

struct rsstate {
	uint64_t ino, serial;
	int slot, noloop, shut_rd;
	uint32_t nextmark;
	int head, n;         /* ring of q */
	struct rsmsg q[NQ];
};

static struct rsstate *socks[NSOCK];
static struct rsexpect expect[NEXPECT];
static int nexpect, victim;
static uint64_t serial;
static rt_lock_t lock;

static uint64_t ino_of(int fd)
{
	struct lstatx x;
	return fs_statx(fd, "", AT_EMPTY_PATH, &x) < 0 ? 0 : x.stx_ino;
}

static void reset(struct rsstate *s, uint64_t ino, int slot)
{
	memset(s, 0, sizeof *s);
	s->ino = ino;
	s->slot = slot;
	s->serial = ++serial;
}

/* The state of fd's socket (lock held); create: claim a slot. */
static struct rsstate *find(uint64_t ino, int create)
{
	for (int i = 0; i < NSOCK; i++)
		if (socks[i] && socks[i]->ino == ino)
			return socks[i];
	if (!create || !ino)
		return 0;
	int slot = -1;
	for (int i = 0; i < NSOCK && slot < 0; i++)
		if (!socks[i])
			slot = i;
	if (slot < 0)
		slot = victim++ % NSOCK;
	if (!socks[slot])
		socks[slot] = rt_calloc(1, sizeof *socks[slot]);
	struct rsstate *s = socks[slot];
	if (s)
		reset(s, ino, slot);
	return s;
}

void rs_attach(int fd)
{
	uint64_t ino = ino_of(fd);
	rt_lock(&lock);
	struct rsstate *s = find(ino, 0);
	if (s) /* a closed socket's inode reused */
		reset(s, ino, s->slot);
	else
		find(ino, 1);
	rt_unlock(&lock);
}

static struct rsmsg *push(struct rsstate *s)
{
	if (s->n == NQ)
		return 0; /* full: dropped, as FreeBSD drops on a full socket buffer */
	return &s->q[(s->head + s->n++) % NQ];
}

/* The NOOP acked: its answer, and any older one whose ack was lost to an
 * overrun, are next in line. */
static void release(struct rsstate *s, uint32_t upto)
{
	for (int i = 0; i < s->n; i++) {
		struct rsmsg *m = &s->q[(s->head + i) % NQ];
		if (m->mark && m->mark <= upto)
			m->mark = 0;
	}
}

long rs_answer(int fd, const void *msg, unsigned len)
{
	uint64_t ino = ino_of(fd);
	uint32_t mark;
	rt_lock(&lock);
	struct rsstate *s = find(ino, 1);
	struct rsmsg *m = s && !s->noloop ? push(s) : 0;
	if (m) {
		mark = MARK | (++s->nextmark & 0x7fffffff);
		m->mark = mark;
		m->len = (uint16_t)len;
		memcpy(m->msg, msg, len);
	}
	rt_unlock(&lock);
	if (!m)
		return 0;
	struct nlmsghdr noop = { sizeof noop, NLMSG_NOOP, NLM_F_REQUEST | NLM_F_ACK, mark, 0 };
	long r = lsys6(__NR_sendto, fd, (long)&noop, sizeof noop, 0x40 /* MSG_DONTWAIT */, 0, 0);
	if (r < 0) { /* no ack will come: the answer is readable at once */
		rt_lock(&lock);
		if ((s = find(ino, 0)))
			release(s, mark);
		rt_unlock(&lock);
	}
	return 0;
}

void rs_expect(int fd, int type, const struct nr_route *r, int32_t pid, int32_t seq)
{
	uint64_t ino = ino_of(fd);
	rt_lock(&lock);
	struct rsstate *s = find(ino, 1);
	if (nexpect == NEXPECT) /* the oldest is surely reported by now */
		memmove(expect, expect + 1, (NEXPECT - 1) * sizeof *expect), nexpect--;
	struct rsexpect *e = &expect[nexpect++];
	memset(e, 0, sizeof *e);
	e->type = type;
	e->family = r->family;
	e->plen = r->dplen;
	e->owner = s ? s->slot : -1;
	e->pid = pid;
	e->seq = seq;
	e->serial = ++serial;
	memcpy(e->dst, r->dst, 16);
	rt_unlock(&lock);
}

void rs_set_loopback(int fd, int on)
{
	uint64_t ino = ino_of(fd);
	rt_lock(&lock);
	struct rsstate *s = find(ino, 1);
	if (s)
		s->noloop = !on;
	rt_unlock(&lock);
}

void rs_shutdown(int fd, int how)
{
	uint64_t ino = ino_of(fd);
	rt_lock(&lock);
	struct rsstate *s = find(ino, 1);
	if (s && how != 1)
		s->shut_rd = 1;
	rt_unlock(&lock);
}

/* A notification of a route this process changed: the writer's pid and
 * seq, as FreeBSD echoes the request; 0 when it must not be delivered
 * (the writer's own socket with SO_USELOOPBACK off). */
static int own_route(struct rsstate *s, uint8_t *m, const struct nr_route *r)
{
	for (int i = 0; i < nexpect; i++) {
		struct rsexpect *e = &expect[i];
		if (e->serial < s->serial || (e->seen & 1u << s->slot) || e->type != m[3] ||
		    e->family != r->family || e->plen != r->dplen ||
		    memcmp(e->dst, r->dst, r->family == 2 ? 4 : 16))
			continue;
		e->seen |= 1u << s->slot;
		memcpy(m + 16, &e->pid, 4); /* rtm_pid */
		memcpy(m + 20, &e->seq, 4); /* rtm_seq */
		m[8] |= 0x40;               /* RTF_DONE */
		return !(e->owner == s->slot && s->noloop);
	}
	return 1;
}

/* Netlink messages of one datagram into s's queue (lock held). */
static void take(struct rsstate *s, uint8_t *buf, long n)
{
	for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (unsigned)n); h = NLMSG_NEXT(h, n)) {
		if (h->nlmsg_type == NLMSG_ERROR) {
			if (h->nlmsg_seq & MARK)
				release(s, h->nlmsg_seq);
			continue;
		}
		struct rsmsg tmp;
		struct nr_route r;
		int is_route;
		size_t len = rtn_translate(h, tmp.msg, sizeof tmp.msg, &r, &is_route);
		if (!len || len > sizeof tmp.msg || (is_route && !own_route(s, tmp.msg, &r)))
			continue;
		struct rsmsg *m = push(s);
		if (m) {
			m->mark = 0;
			m->len = (uint16_t)len;
			memcpy(m->msg, tmp.msg, len);
		}
	}
}

/* The first ready message into dst (removed unless peek); -1 if none. An
 * answer whose ack is still to come holds back what follows it. */
static long pop(struct rsstate *s, uint8_t *dst, size_t cap, int peek, int *trunc)
{
	if (!s->n || s->q[s->head].mark)
		return -1;
	struct rsmsg *m = &s->q[s->head];
	size_t n = m->len < cap ? m->len : cap;
	memcpy(dst, m->msg, n);
	*trunc = n < m->len;
	if (!peek) {
		s->head = (s->head + 1) % NQ;
		s->n--;
	}
	return (long)n;
}

long routesock_recv(int fd, const struct rs_iov *iov, int iovcnt, int lflags, int *fflags)
{
	size_t cap = 0;
	UADDR_GUARD(iov, (size_t)iovcnt * sizeof *iov);
	for (int i = 0; i < iovcnt; i++) {
		UADDR_GUARD(iov[i].base, iov[i].len);
		cap += iov[i].len;
	}
	uint8_t one[RS_MSGMAX] __attribute__((aligned(8)));
	uint8_t *buf = rt_malloc(NLBUF);
	if (!buf)
		return -ENOMEM;
	uint64_t ino = ino_of(fd);
	long r;
	for (;;) {
		int trunc = 0;
		rt_lock(&lock);
		struct rsstate *s = find(ino, 1);
		r = s ? pop(s, one, cap < sizeof one ? cap : sizeof one, lflags & LMSG_PEEK, &trunc) : -1;
		int eof = r < 0 && s && s->shut_rd;
		rt_unlock(&lock);
		if (eof) {
			r = 0;
			break;
		}
		if (r >= 0) {
			size_t off = 0;
			for (int i = 0; i < iovcnt && off < (size_t)r; i++) {
				size_t k = iov[i].len < (size_t)r - off ? iov[i].len : (size_t)r - off;
				memcpy(iov[i].base, one + off, k);
				off += k;
			}
			if (fflags)
				*fflags = trunc ? FMSG_TRUNC : 0;
			break;
		}
		/* A peek still consumes the netlink datagram: it is kept here. */
		long n = bsys(__NR_recvfrom, fd, (long)buf, NLBUF, lflags & ~LMSG_PEEK, 0, 0);
		if (n == -ENOBUFS) { /* overrun: FreeBSD just loses messages; no ack is awaited */
			rt_lock(&lock);
			if ((s = find(ino, 0)))
				release(s, ~0u);
			rt_unlock(&lock);
			continue;
		}
		if (n < 0) {
			r = n;
			break;
		}
		rt_lock(&lock);
		s = find(ino, 1);
		if (s)
			take(s, buf, n);
		rt_unlock(&lock);
	}
	rt_free(buf);
	return r;
}
