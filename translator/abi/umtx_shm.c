/* UMTX_OP_SHM: the off-page registry behind libthr's process-shared
 * mutexes, conditions, rwlocks and barriers (kern_umtx.c umtx_shm()).
 * libthr keys an object by the address of the user's pthread_*_t in shared
 * memory and maps one page per key; CREAT/LOOKUP return a descriptor for
 * that page, DESTROY drops the registration, ALIVE tells whether a mapped
 * off-page was destroyed.
 *
 * FreeBSD keys by (VM object, offset). Here a key is the mapping's
 * (device, inode, offset) from /proc/self/maps for a shared mapping — the
 * same in every process that maps that object — and the address itself for
 * a private one. Each key owns a memfd, kept in a table that fork children
 * inherit with the descriptors. A destroyed memfd gets the F_SEAL_GROW seal,
 * which every holder of the memfd can see, so LOOKUP and ALIVE in another
 * process notice the destruction too. Limits: a registration made after a
 * fork is not seen by the other side, and unrelated processes sharing a
 * file do not meet (no system-wide registry). */
#include "../trap/dispatch.h"
#include "../rt/rt.h"
#include "umtx.h"
#include <asm-generic/errno.h>
#include <linux/fcntl.h>
#include <linux/memfd.h>

struct shm_ent {
	uint64_t dev, ino, off; /* key */
	uint64_t mdev, mino;    /* the memfd's identity */
	int fd;                 /* ours, close-on-exec; -1 if the guest took it */
	struct shm_ent *next;
};

static struct shm_ent *ents;
static rt_lock_t shm_lock;
/* memfds this process destroyed, for ALIVE (the most recent ones). */
static struct { uint64_t dev, ino; } dead[128];
static unsigned ndead;

/* Linux st_dev encoding of a major:minor pair (new_encode_dev). */
static uint64_t enc_dev(uint64_t maj, uint64_t min)
{
	return (min & 0xff) | (maj << 8) | ((min & ~0xffULL) << 12);
}

static const char *hex(const char *p, uint64_t *v)
{
	*v = 0;
	for (;; p++) {
		int d = *p >= '0' && *p <= '9' ? *p - '0' : *p >= 'a' && *p <= 'f' ? *p - 'a' + 10 : -1;
		if (d < 0)
			return p;
		*v = *v << 4 | (uint64_t)d;
	}
}

struct maps_hit {
	uint64_t start, off, dev, ino;
	int shared, ours; /* rw-s mapping; our memfd */
};

/* One /proc/self/maps line: "start-end perms offset maj:min inode path". */
static int parse_line(const char *l, uint64_t addr, struct maps_hit *h)
{
	uint64_t start, end, maj, min, ino = 0;
	l = hex(l, &start);
	if (*l++ != '-')
		return 0;
	l = hex(l, &end);
	if (addr < start || addr >= end || *l++ != ' ')
		return 0;
	h->start = start;
	h->shared = l[3] == 's';
	l = hex(l + 5, &h->off);
	l = hex(l + 1, &maj);
	l = hex(l + 1, &min);
	for (l++; *l >= '0' && *l <= '9'; l++)
		ino = ino * 10 + (uint64_t)(*l - '0');
	while (*l == ' ')
		l++;
	h->dev = enc_dev(maj, min);
	h->ino = ino;
	h->ours = rt_startswith(l, "/memfd:bsdulator-umtx");
	return 1;
}

/* Finds the mapping that contains addr: 0, or -EFAULT if none. */
static long maps_find(uint64_t addr, struct maps_hit *h)
{
	int fd = (int)lsys4(__NR_openat, -100, "/proc/self/maps", O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return fd;
	char buf[8192];
	size_t have = 0;
	long r = -EFAULT;
	for (;;) {
		long n = lsys3(__NR_read, fd, buf + have, sizeof buf - 1 - have);
		if (n <= 0)
			break;
		have += (size_t)n;
		buf[have] = 0;
		char *line = buf, *nl;
		while ((nl = strchr(line, '\n'))) {
			*nl = 0;
			if (parse_line(line, addr, h)) {
				r = 0;
				goto out;
			}
			line = nl + 1;
		}
		have = (size_t)(buf + have - line);
		memmove(buf, line, have);
		if (have == sizeof buf - 1)
			have = 0; /* an absurd line: drop it */
	}
out:
	lsys1(__NR_close, fd);
	return r;
}

/* Whether our descriptor still is the memfd we made (the guest may have
 * closed it or put something else there); forgets it if not. */
static int ent_fd_ok(struct shm_ent *e)
{
	uint64_t st[18];
	if (e->fd >= 0 && !lerr(lsys2(__NR_fstat, e->fd, st)) && st[0] == e->mdev &&
	    st[1] == e->mino)
		return 1;
	e->fd = -1;
	return 0;
}

static int destroyed(struct shm_ent *e)
{
	if (!ent_fd_ok(e))
		return 1;
	long seals = lsys3(__NR_fcntl, e->fd, F_GET_SEALS, 0);
	return !lerr(seals) && (seals & F_SEAL_GROW);
}

static struct shm_ent *find_key(uint64_t dev, uint64_t ino, uint64_t off)
{
	for (struct shm_ent *e = ents; e; e = e->next)
		if (e->dev == dev && e->ino == ino && e->off == off)
			return e;
	return NULL;
}

static void drop(struct shm_ent *e)
{
	struct shm_ent **pp = &ents;
	while (*pp != e)
		pp = &(*pp)->next;
	*pp = e->next;
	if (e->fd >= 0)
		lsys1(__NR_close, e->fd);
	rt_free(e);
}

static long create(uint64_t dev, uint64_t ino, uint64_t off, struct shm_ent **out)
{
	long fd = lsys2(__NR_memfd_create, "bsdulator-umtx", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (lerr(fd))
		return fd;
	long r = lsys2(__NR_ftruncate, fd, PAGE_SIZE);
	uint64_t st[18];
	if (!lerr(r))
		r = lsys2(__NR_fstat, fd, st);
	struct shm_ent *e = lerr(r) ? NULL : rt_calloc(1, sizeof *e);
	if (!e) {
		lsys1(__NR_close, fd);
		return lerr(r) ? r : -ENOMEM;
	}
	/* Out of the way of the descriptor numbers programs expect. */
	long hi = lsys3(__NR_fcntl, fd, F_DUPFD_CLOEXEC, 900);
	if (!lerr(hi)) {
		lsys1(__NR_close, fd);
		fd = hi;
	}
	e->dev = dev;
	e->ino = ino;
	e->off = off;
	e->mdev = st[0];
	e->mino = st[1];
	e->fd = (int)fd;
	e->next = ents;
	ents = e;
	*out = e;
	return 0;
}

/* ALIVE: 0, ENOTTY for a destroyed off-page, EFAULT if nothing is mapped. */
static long alive(uint64_t addr)
{
	struct maps_hit h;
	long r = maps_find(addr, &h);
	if (r < 0 || !h.ours)
		return r;
	for (struct shm_ent *e = ents; e; e = e->next)
		if (e->mdev == h.dev && e->mino == h.ino)
			return destroyed(e) ? -ENOTTY : 0;
	for (unsigned i = 0; i < ARRAY_LEN(dead) && i < ndead; i++)
		if (dead[i].dev == h.dev && dead[i].ino == h.ino)
			return -ENOTTY;
	return 0;
}

long umtx_shm_op(struct sysctx *c, uint64_t flags, void *key)
{
	(void)c;
	uint64_t f = flags & (UMTX_SHM_CREAT | UMTX_SHM_LOOKUP | UMTX_SHM_DESTROY | UMTX_SHM_ALIVE);
	if (!f || (f & (f - 1)))
		return -EINVAL; /* exactly one operation */
	uint64_t addr = (uint64_t)key;
	rt_lock(&shm_lock);
	long r;
	if (f == UMTX_SHM_ALIVE) {
		r = alive(addr);
		goto out;
	}
	struct maps_hit h;
	if ((r = maps_find(addr, &h)) < 0)
		goto out;
	uint64_t dev = 0, ino = 0, off = addr;
	if (h.shared) {
		dev = h.dev;
		ino = h.ino;
		off = h.off + (addr - h.start);
	}
	struct shm_ent *e = find_key(dev, ino, off);
	if (e && destroyed(e)) {
		/* Destroyed by another process, or our descriptor is gone. */
		drop(e);
		e = NULL;
	}
	if (!e) {
		if (f != UMTX_SHM_CREAT) {
			r = -ESRCH;
			goto out;
		}
		if ((r = create(dev, ino, off, &e)) < 0)
			goto out;
	}
	if (f == UMTX_SHM_DESTROY) {
		/* The page lives on while mapped; holders see the seal. */
		lsys3(__NR_fcntl, e->fd, F_ADD_SEALS, F_SEAL_GROW);
		unsigned i = ndead++ % ARRAY_LEN(dead);
		dead[i].dev = e->mdev;
		dead[i].ino = e->mino;
		drop(e);
		r = 0;
		goto out;
	}
	r = lsys3(__NR_fcntl, e->fd, F_DUPFD_CLOEXEC, 0);
out:
	rt_unlock(&shm_lock);
	return r;
}

int umtx_shm_fd_reserved(int fd)
{
	int hit = 0;
	rt_lock(&shm_lock);
	for (struct shm_ent *e = ents; e && !hit; e = e->next)
		hit = e->fd >= 0 && e->fd == fd;
	rt_unlock(&shm_lock);
	return hit;
}
