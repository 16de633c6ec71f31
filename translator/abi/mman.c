/* Memory system calls (constants.md "mmap/mprotect/madvise/msync"). */
#include "../trap/dispatch.h"
#include "../rt/rt.h"
#include "../loader/process.h"
#include "xlate.h"
#include "mmaxprot.h"
#include <asm-generic/errno.h>
#include <linux/mman.h>

#define F_MAP_FIXED 0x10
#define F_MAP_STACK 0x400
#define F_MAP_ANON 0x1000
#define F_MAP_GUARD 0x2000
#define F_MAP_EXCL 0x4000
#define F_MAP_32BIT 0x80000
#define F_MAP_ALIGN_SHIFT 24
/* Flags with no effect here: HASSEMAPHORE, NOSYNC, NOCORE, PREFAULT_READ. */
#define F_MAP_KNOWN (0x3 | F_MAP_FIXED | 0x200 | F_MAP_STACK | 0x800 | F_MAP_ANON | F_MAP_GUARD | \
		     F_MAP_EXCL | 0x20000 | 0x40000 | F_MAP_32BIT | 0xff000000U)

#define F_PROT_BITS (7 | 7 << 16) /* PROT_READ|WRITE|EXEC and PROT_MAX() of them */

extern char __executable_start[], _end[];

/* The guest may not map over or unmap the translator itself. */
static int hits_translator(uint64_t addr, uint64_t len)
{
	uint64_t lo = (uint64_t)__executable_start, hi = ALIGN_UP((uint64_t)_end, PAGE_SIZE);
	return addr < hi && addr + len > lo;
}

long sys_mmap(struct sysctx *c)
{
	uint64_t addr = c->a[0], len = c->a[1];
	int fprot = ARG_INT(c, 2);
	int prot = fprot & 7, maxp = (fprot >> 16) & 7; /* PROT_MAX(): mmaxprot.c */
	uint32_t flags = (uint32_t)c->a[3];
	int fd = ARG_INT(c, 4);
	uint64_t pos = c->a[5];
	if (flags & ~F_MAP_KNOWN)
		return -EINVAL;
	if (len == 0)
		return -EINVAL;
	/* kern_mmap's argument checks (sys/vm/vm_mmap.c) */
	if ((fprot & ~F_PROT_BITS) || (maxp && (maxp & prot) != prot))
		return -EINVAL;
	if ((flags & 0x3) == 0x3) /* SHARED|PRIVATE; Linux would read MAP_SHARED_VALIDATE */
		return -EINVAL;
	if ((flags & F_MAP_ANON) && (fd != -1 || pos != 0))
		return -EINVAL;
	if ((flags & F_MAP_STACK) && (ARG_INT(c, 2) & 3) != 3) /* needs PROT_READ|PROT_WRITE */
		return -EINVAL;
	long lf = flags & 0x3;
	if (flags & (F_MAP_ANON | F_MAP_GUARD | F_MAP_STACK)) {
		if (fd != -1 && (flags & (F_MAP_GUARD | F_MAP_STACK)))
			return -EINVAL;
		lf |= MAP_ANONYMOUS;
		fd = -1;
		pos = 0;
	}
	if (flags & F_MAP_GUARD) {
		if (prot || (flags & 0x3))
			return -EINVAL;
		lf |= MAP_PRIVATE | MAP_NORESERVE;
	}
	if (!(lf & 0x3))
		lf |= MAP_PRIVATE; /* FreeBSD accepts neither SHARED nor PRIVATE */
	if (flags & F_MAP_32BIT)
		lf |= MAP_32BIT;
	if (flags & F_MAP_FIXED) {
		if (addr & (PAGE_SIZE - 1))
			return -EINVAL;
		if (hits_translator(addr, len))
			return -ENOMEM;
		lf |= (flags & F_MAP_EXCL) ? MAP_FIXED_NOREPLACE : MAP_FIXED;
	} else if (flags & F_MAP_EXCL) {
		return -EINVAL;
	}
	unsigned align_shift = flags >> F_MAP_ALIGN_SHIFT;
	if (align_shift == 1) /* MAP_ALIGNED_SUPER */
		align_shift = len >= (2UL << 20) ? 21 : 0;
	if (align_shift && (align_shift < 12 || align_shift >= 64))
		return -EINVAL;
	if (align_shift > 12 && !(flags & F_MAP_FIXED)) {
		/* Over-reserve, then trim to the requested alignment. */
		uint64_t a = 1UL << align_shift;
		uint64_t span = ALIGN_UP(len, PAGE_SIZE) + a;
		long r = lsys6(__NR_mmap, 0, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (lerr(r))
			return r;
		uint64_t start = ALIGN_UP((uint64_t)r, a);
		if (start > (uint64_t)r)
			lsys2(__NR_munmap, r, start - (uint64_t)r);
		uint64_t end = start + ALIGN_UP(len, PAGE_SIZE);
		if ((uint64_t)r + span > end)
			lsys2(__NR_munmap, end, (uint64_t)r + span - end);
		addr = start;
		lf |= MAP_FIXED;
	}
	long r = lsys6(__NR_mmap, addr, len, prot, lf, fd, pos);
	if (r == -EEXIST)
		return -ENOMEM;
	if (lerr(r))
		return r;
	/* A new mapping's bound: PROT_MAX, or none (MAP_GUARD's PROT_NONE
	 * bound is not kept: rtld leaves many guards behind). */
	long e = maxprot_set((uint64_t)r, (uint64_t)r + ALIGN_UP(len, PAGE_SIZE),
			     maxp && !(flags & F_MAP_GUARD) ? maxp : MAXPROT_ALL);
	if (e) {
		lsys2(__NR_munmap, r, len);
		return e;
	}
	return r;
}

/* The page-aligned [*lo, *hi) a call on (addr, len) covers; -1 on wrap. */
static int page_range(uint64_t addr, uint64_t len, uint64_t *lo, uint64_t *hi)
{
	*lo = addr & ~(uint64_t)(PAGE_SIZE - 1);
	*hi = ALIGN_UP(addr + len, PAGE_SIZE);
	return *hi < *lo ? -1 : 0;
}

long sys_munmap(struct sysctx *c)
{
	if (hits_translator(c->a[0], c->a[1]))
		return -EINVAL;
	long r = lsys2(__NR_munmap, c->a[0], c->a[1]);
	uint64_t lo, hi;
	if (r == 0 && page_range(c->a[0], c->a[1], &lo, &hi) == 0)
		maxprot_forget(lo, hi);
	return r;
}

long sys_mprotect(struct sysctx *c)
{
	if (hits_translator(c->a[0], c->a[1]))
		return -EACCES;
	/* kern_mprotect: a PROT_MAX lowers the bound first (never raises it),
	 * then prot must stay within the bound (vm_map_protect). */
	int fprot = ARG_INT(c, 2);
	int prot = fprot & 7, maxp = (fprot >> 16) & 7;
	uint64_t lo, hi;
	if ((fprot & ~F_PROT_BITS) || page_range(c->a[0], c->a[1], &lo, &hi) < 0)
		return -EINVAL;
	if (maxp && (maxp & prot) != prot)
		return -EINVAL;
	if (!maxprot_allows(lo, hi, maxp ? maxp : prot))
		return -EACCES;
	long r = lsys3(__NR_mprotect, c->a[0], c->a[1], prot);
	if (r == 0 && maxp)
		r = maxprot_set(lo, hi, maxp);
	return r;
}

long sys_madvise(struct sysctx *c)
{
	int adv = ARG_INT(c, 2);
	switch (adv) {
	case 0: case 1: case 2: case 3:
		break;
	case 4: /* MADV_DONTNEED only deactivates: the data stays (vm_page_advise) */
		adv = MADV_COLD;
		break;
	case 5: /* MADV_FREE */
		adv = 8;
		break;
	case 6: case 7: case 8: case 9: case 10: /* NOSYNC AUTOSYNC NOCORE CORE PROTECT */
		return 0;
	default:
		return -EINVAL;
	}
	long r = lsys3(__NR_madvise, c->a[0], c->a[1], adv);
	return r == -EINVAL && (adv == 8 || adv == MADV_COLD) ? 0 : r; /* hints only */
}

long sys_mincore(struct sysctx *c)
{
	return lsys3(__NR_mincore, c->a[0], c->a[1], c->a[2]);
}

long sys_msync(struct sysctx *c)
{
	int f = ARG_INT(c, 2);
	if ((f & 3) == 3) /* kern_msync: MS_ASYNC|MS_INVALIDATE; other bits are ignored */
		return -EINVAL;
	int lf = (f & 1 ? MS_ASYNC : MS_SYNC) | (f & 2 ? MS_INVALIDATE : 0);
	return lsys3(__NR_msync, c->a[0], c->a[1], lf);
}

long sys_mlock(struct sysctx *c) { return lsys2(__NR_mlock, c->a[0], c->a[1]); }
long sys_munlock(struct sysctx *c) { return lsys2(__NR_munlock, c->a[0], c->a[1]); }
/* MCL_CURRENT 1 and MCL_FUTURE 2 have the same values on both systems. */
long sys_mlockall(struct sysctx *c) { return lsys1(__NR_mlockall, ARG_INT(c, 0) & 3); }
long sys_munlockall(struct sysctx *c) { (void)c; return lsys0(__NR_munlockall); }

/* break(2): grows or shrinks an anonymous area after the program image and
 * returns the new, page-rounded break; an address below the area returns the
 * current break unchanged (kern_break; libc's sbrk starts with break(0)). */
long sys_break(struct sysctx *c)
{
	uint64_t want = ALIGN_UP(c->a[0], PAGE_SIZE);
	uint64_t cur = ALIGN_UP(proc.brk_cur, PAGE_SIZE);
	if (want < proc.brk_start)
		return (long)cur;
	if (want > cur) {
		long r = lsys6(__NR_mmap, cur, want - cur, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (lerr(r))
			return -ENOMEM;
	} else if (want < cur) {
		lsys2(__NR_munmap, want, cur - want);
	}
	proc.brk_cur = want;
	return (long)want;
}
