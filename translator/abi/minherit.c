/* minherit(2): what fork gives the child of a range (vm_map_inherit).
 * INHERIT_COPY 1, NONE 2, ZERO 3 are madvise DOFORK, DONTFORK, WIPEONFORK.
 * INHERIT_SHARE 0: parent and child see each other's writes afterwards.
 * Linux shares only MAP_SHARED memory across fork, so each private part of
 * the range moves onto a memfd mapped MAP_SHARED at the same address, with
 * the same protection and contents (copied, then mremap'd into place); the
 * other modes move such a part back to private memory first, so a fork
 * copies it again. Parts not mapped are skipped, as vm_map_inherit skips
 * holes; so are the translator's own image and the vDSO. A thread writing
 * the range while it moves may lose that write. */
#include "../trap/dispatch.h"
#include "../rt/rt.h"
#include "../loader/process.h"
#include <asm-generic/errno.h>
#include <linux/fcntl.h>
#include <linux/mman.h>

#define SHARE_NAME "bsdulator-inherit"
#define MAPS_MAX (8 << 20)

extern char __executable_start[], _end[];

/* /proc/self/maps into a buffer from rt_malloc; its length or -errno. */
static long read_maps(char **out)
{
	const char *path = proc.proc_fd < 0 ? "/proc/self/maps" : "self/maps";
	long fd = lsys4(__NR_openat, proc.proc_fd < 0 ? AT_FDCWD : proc.proc_fd, path,
			O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return fd;
	size_t cap = 64 << 10, n = 0;
	char *b = rt_malloc(cap);
	while (b) {
		if (n == cap) {
			char *nb = cap < MAPS_MAX ? rt_malloc(2 * cap) : NULL;
			if (nb)
				memcpy(nb, b, n);
			rt_free(b);
			b = nb;
			cap *= 2;
			if (!b)
				break;
		}
		long r = lsys3(__NR_read, fd, b + n, cap - n);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	lsys1(__NR_close, fd);
	if (!b)
		return -ENOMEM;
	*out = b;
	return (long)n;
}

static uint64_t hex(const char **p, const char *end)
{
	uint64_t v = 0;
	for (; *p < end; (*p)++) {
		char ch = **p;
		int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
		if (d < 0)
			break;
		v = v << 4 | (uint64_t)d;
	}
	return v;
}

struct seg {
	uint64_t lo, hi;
	int prot, shared, ours, special;
};

/* Parses the maps line at *p; 0 at the end. */
static int next_seg(const char **p, const char *end, struct seg *s)
{
	const char *q = *p;
	if (q >= end)
		return 0;
	const char *nl = q;
	while (nl < end && *nl != '\n')
		nl++;
	s->lo = hex(&q, nl);
	q++; /* '-' */
	s->hi = hex(&q, nl);
	q++;
	s->prot = s->shared = 0;
	if (q + 4 <= nl) {
		s->prot = (q[0] == 'r' ? PROT_READ : 0) | (q[1] == 'w' ? PROT_WRITE : 0) |
			  (q[2] == 'x' ? PROT_EXEC : 0);
		s->shared = q[3] == 's';
	}
	/* the path is the sixth field */
	const char *path = q;
	for (int f = 0; f < 4 && path < nl; f++) {
		while (path < nl && *path != ' ')
			path++;
		while (path < nl && *path == ' ')
			path++;
	}
	s->special = path < nl && *path == '[' && path + 2 < nl && path[1] == 'v'; /* vdso, vvar, vsyscall */
	s->ours = 0;
	static const char tag[] = "/memfd:" SHARE_NAME;
	for (const char *t = path; t + sizeof tag - 1 <= nl && !s->ours; t++)
		s->ours = memcmp(t, tag, sizeof tag - 1) == 0;
	*p = nl + 1;
	return 1;
}

static int page_zero(const uint64_t *w)
{
	for (unsigned i = 0; i < PAGE_SIZE / 8; i++)
		if (w[i])
			return 0;
	return 1;
}

/* Moves [lo, hi) (one mapping, protection prot) onto new memory with the
 * same contents: a MAP_SHARED memfd (shared) or private anonymous memory. */
static long move(uint64_t lo, uint64_t hi, int prot, int shared)
{
	uint64_t n = hi - lo;
	long tmp;
	if (shared) {
		long fd = lsys2(__NR_memfd_create, SHARE_NAME, 1 /* MFD_CLOEXEC */);
		if (fd < 0)
			return fd;
		long e = lsys2(__NR_ftruncate, fd, n);
		tmp = e < 0 ? e : lsys6(__NR_mmap, 0, n, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		lsys1(__NR_close, fd);
	} else {
		tmp = lsys6(__NR_mmap, 0, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	}
	if (lerr(tmp))
		return tmp;
	if (!(prot & PROT_READ))
		lsys3(__NR_mprotect, lo, n, prot | PROT_READ);
	for (uint64_t off = 0; off < n; off += PAGE_SIZE) /* zero pages stay holes */
		if (!page_zero((const uint64_t *)(lo + off)))
			memcpy((char *)tmp + off, (const char *)(lo + off), PAGE_SIZE);
	long r = lsys3(__NR_mprotect, tmp, n, prot);
	if (r == 0)
		r = lsys5(__NR_mremap, tmp, n, n, MREMAP_MAYMOVE | MREMAP_FIXED, lo);
	if (lerr(r)) {
		lsys2(__NR_munmap, tmp, n);
		if (!(prot & PROT_READ))
			lsys3(__NR_mprotect, lo, n, prot);
		return r;
	}
	return 0;
}

long sys_minherit(struct sysctx *c)
{
	static const int adv[] = { [0] = MADV_DOFORK, [1] = MADV_DOFORK, [2] = MADV_DONTFORK,
				   [3] = MADV_WIPEONFORK };
	int inh = ARG_INT(c, 2);
	if (inh < 0 || inh > 3)
		return -EINVAL;
	uint64_t lo = c->a[0] & ~(uint64_t)(PAGE_SIZE - 1), hi = ALIGN_UP(c->a[0] + c->a[1], PAGE_SIZE);
	if (hi < lo)
		return -EINVAL;
	uint64_t tlo = (uint64_t)__executable_start, thi = ALIGN_UP((uint64_t)_end, PAGE_SIZE);
	char *maps;
	long n = read_maps(&maps);
	if (n < 0)
		return n;
	long e = 0;
	const char *p = maps, *end = maps + n;
	struct seg s;
	while (!e && next_seg(&p, end, &s)) {
		uint64_t a = s.lo > lo ? s.lo : lo, b = s.hi < hi ? s.hi : hi;
		if (a >= b || s.special || (a < thi && b > tlo))
			continue;
		int want_shared = inh == 0;
		if (want_shared ? !s.shared : s.ours)
			e = move(a, b, s.prot, want_shared);
		if (e)
			break;
		long m = lsys3(__NR_madvise, a, b - a, adv[inh]);
		if (inh >= 2)
			e = m; /* as before: WIPEONFORK wants private anonymous memory */
		else /* undoes an earlier INHERIT_ZERO */
			lsys3(__NR_madvise, a, b - a, MADV_KEEPONFORK);
	}
	rt_free(maps);
	return e;
}
