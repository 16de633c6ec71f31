/* Probe: memory mapping calls. Values: constants.md "mmap/mprotect/madvise/
 * msync"; numbers: syscalls.md §2. Error cases follow FreeBSD's
 * sys/vm/vm_mmap.c (kern_mmap, kern_msync, kern_break in vm_unix.c) and
 * vm_page_advise() for what MADV_DONTNEED keeps.
 * usage: mman SCRATCH_DIR   (an existing, writable directory) */
#include "probe.h"
#include "touch.h"

enum {
	SYS_break = 17, SYS_msync = 65, SYS_mprotect = 74, SYS_madvise = 75,
	SYS_mincore = 78, SYS_minherit = 250, SYS_pwrite = 476,
};
#define PROT_NONE 0x0
#define PROT_EXEC 0x4
#define EACCES 13
#define PROT_RW (PROT_READ | PROT_WRITE)
#define PROT_MAX(p) ((p) << 16)
#define MAP_FIXED 0x10
#define MAP_STACK 0x400
#define MAP_GUARD 0x2000
#define MAP_EXCL 0x4000
#define MAP_ALIGNED(n) ((n) << 24)
#define MAP_ALIGNED_SUPER MAP_ALIGNED(1)
#define MAP_AP (MAP_ANON | MAP_PRIVATE)
#define MS_SYNC 0x0
#define MS_ASYNC 0x1
#define MS_INVALIDATE 0x2
#define MADV_DONTNEED 4
#define MADV_FREE 5
#define INHERIT_NONE 2
#define INHERIT_ZERO 3
#define PAGE 4096L
#define MiB (1L << 20)

extern char _end[]; /* end of .bss (linker) */

static sysret mm(void *addr, long len, int prot, int flags, int fd, long off)
{
	return SYS(SYS_mmap, addr, len, prot, flags, fd, off);
}

static u8 *mm_ok(const char *name, long len, int prot, int flags)
{
	sysret r = mm(0, len, prot, flags, -1, 0);
	CHECK_OK(name, r);
	return r.cf ? 0 : (u8 *)r.val;
}

static void anon(void)
{
	u8 *p = mm_ok("mmap MAP_ANON|MAP_PRIVATE (0x1002) read/write", 2 * PAGE, PROT_RW, MAP_AP);
	if (!p)
		return;
	CHECK_EQ("address is page aligned", (u64)p & (PAGE - 1), 0);
	CHECK("anonymous memory starts zeroed", p[0] == 0 && p[2 * PAGE - 1] == 0);
	p[0] = 0x5a;
	p[PAGE + 1] = 0xa5;
	CHECK("written bytes read back", p[0] == 0x5a && p[PAGE + 1] == 0xa5);
	SYS(SYS_munmap, p, 2 * PAGE);
	/* kern_mmap: anonymous needs fd -1 and pos 0; SHARED|PRIVATE together
	 * is invalid; a zero length is invalid for p_osrel >= P_OSREL_MAP_ANON. */
	CHECK_ERR("MAP_ANON with fd 0 -> EINVAL", mm(0, PAGE, PROT_RW, MAP_AP, 0, 0), EINVAL);
	CHECK_ERR("MAP_ANON with pos 4096 -> EINVAL", mm(0, PAGE, PROT_RW, MAP_AP, -1, PAGE), EINVAL);
	CHECK_ERR("MAP_SHARED|MAP_PRIVATE -> EINVAL",
		mm(0, PAGE, PROT_RW, MAP_ANON | MAP_SHARED | MAP_PRIVATE, -1, 0), EINVAL);
	CHECK_ERR("length 0 -> EINVAL", mm(0, 0, PROT_RW, MAP_AP, -1, 0), EINVAL);
	/* PROT_MAX(p) = p << 16 (FreeBSD 13+): the maximum protection, accepted */
	p = mm_ok("prot PROT_READ|PROT_WRITE | PROT_MAX(PROT_READ|PROT_WRITE) (0x30003)", PAGE,
		PROT_RW | PROT_MAX(PROT_RW), MAP_AP);
	if (p) {
		CHECK_EQ("PROT_MAX mapping is writable", touch_store(p, 1), 0);
		SYS(SYS_munmap, p, PAGE);
	}
	/* MAP_STACK 0x400 needs fd -1 and both PROT_READ and PROT_WRITE */
	p = mm_ok("mmap MAP_STACK (0x400) read/write", 4 * PAGE, PROT_RW, MAP_STACK | MAP_PRIVATE);
	if (p) {
		CHECK_EQ("MAP_STACK memory is writable", touch_store(p + 4 * PAGE - 1, 7), 0);
		SYS(SYS_munmap, p, 4 * PAGE);
	}
	CHECK_ERR("MAP_STACK with PROT_READ only -> EINVAL",
		mm(0, PAGE, PROT_READ, MAP_STACK | MAP_PRIVATE, -1, 0), EINVAL);
}

static char path[512];
static u8 zeros[2 * PAGE];

static void file_shared(const char *dir)
{
	char buf[8] = {0};
	u8 *p;
	long fd;
	sysret r;

	rt_join(path, dir, "mman.dat");
	r = SYS(SYS_open, path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (!CHECK_OK("open scratch file", r))
		return;
	fd = r.val;
	CHECK_EQ("file is two pages long", SYS(SYS_write, fd, zeros, sizeof zeros).val, sizeof zeros);
	r = mm(0, 2 * PAGE, PROT_RW, MAP_SHARED, fd, 0);
	if (CHECK_OK("mmap file MAP_SHARED read/write", r)) {
		p = (u8 *)r.val;
		memcpy(p + PAGE + 100, "through", 7);
		SYS(SYS_pread, fd, buf, 7, PAGE + 100);
		rt_check_mem("a store to the mapping is seen by pread", buf, "through", 7);
		SYS(SYS_pwrite, fd, "back", 4, 10);
		rt_check_mem("a pwrite is seen through the mapping", p + 10, "back", 4);
		CHECK_OK("msync MS_SYNC (0)", SYS(SYS_msync, p, 2 * PAGE, MS_SYNC));
		CHECK_OK("msync MS_ASYNC (1)", SYS(SYS_msync, p, 2 * PAGE, MS_ASYNC));
		CHECK_OK("msync MS_INVALIDATE (2)", SYS(SYS_msync, p, 2 * PAGE, MS_INVALIDATE));
		/* kern_msync: "only one of these flags is allowed" */
		CHECK_ERR("msync MS_ASYNC|MS_INVALIDATE -> EINVAL",
			SYS(SYS_msync, p, 2 * PAGE, MS_ASYNC | MS_INVALIDATE), EINVAL);
		SYS(SYS_munmap, p, 2 * PAGE);
	}
	/* A mapping at file offset 4096 sees the second page. */
	r = mm(0, PAGE, PROT_READ, MAP_SHARED, fd, PAGE);
	if (CHECK_OK("mmap MAP_SHARED at file offset 4096", r)) {
		rt_check_mem("offset mapping shows the second page", (u8 *)r.val + 100, "through", 7);
		SYS(SYS_munmap, r.val, PAGE);
	}
	SYS(SYS_close, fd);
	SYS(SYS_unlink, path);
}

/* A MAP_GUARD reservation, then MAP_FIXED and MAP_EXCL inside it. */
static void fixed(void)
{
	u8 *base, *q;
	sysret r;

	CHECK_ERR("MAP_GUARD with PROT_READ -> EINVAL", mm(0, PAGE, PROT_READ, MAP_GUARD, -1, 0), EINVAL);
	CHECK_ERR("MAP_GUARD|MAP_PRIVATE -> EINVAL", mm(0, PAGE, PROT_NONE, MAP_GUARD | MAP_PRIVATE, -1, 0),
		EINVAL);
	base = mm_ok("MAP_GUARD (0x2000), fd -1, PROT_NONE: 16 pages reserved", 16 * PAGE, PROT_NONE,
		MAP_GUARD);
	if (!base)
		return;
	CHECK_EQ("touching the guard -> SIGSEGV", touch_load(base, 0), SIGSEGV);
	r = mm(base + 4 * PAGE, 2 * PAGE, PROT_RW, MAP_FIXED | MAP_AP, -1, 0);
	CHECK_OK("MAP_FIXED at page 4 of the reservation", r);
	CHECK_EQ("MAP_FIXED returns exactly that address", r.val, base + 4 * PAGE);
	CHECK_EQ("MAP_FIXED memory is writable", touch_store(base + 5 * PAGE, 3), 0);
	/* vm_map_fixed(MAP_CHECK_EXCL) -> KERN_NO_SPACE -> ENOMEM */
	CHECK_ERR("MAP_FIXED|MAP_EXCL (0x4010) over that mapping -> ENOMEM 12",
		mm(base + 4 * PAGE, PAGE, PROT_RW, MAP_FIXED | MAP_EXCL | MAP_AP, -1, 0), ENOMEM);
	CHECK_EQ("the mapping survived the refused MAP_EXCL", base[5 * PAGE], 3);
	SYS(SYS_munmap, base + 12 * PAGE, 4 * PAGE);
	r = mm(base + 12 * PAGE, 2 * PAGE, PROT_RW, MAP_FIXED | MAP_EXCL | MAP_AP, -1, 0);
	CHECK_OK("MAP_FIXED|MAP_EXCL on a free range", r);
	CHECK_EQ("MAP_FIXED|MAP_EXCL returns that address", r.val, base + 12 * PAGE);
	CHECK_ERR("MAP_EXCL without MAP_FIXED -> EINVAL",
		mm(0, PAGE, PROT_RW, MAP_EXCL | MAP_AP, -1, 0), EINVAL);
	CHECK_ERR("MAP_FIXED at an unaligned address -> EINVAL",
		mm(base + 8 * PAGE + 1, PAGE, PROT_RW, MAP_FIXED | MAP_AP, -1, 0), EINVAL);
	SYS(SYS_munmap, base, 16 * PAGE);

	/* MAP_ALIGNED(n): 2^n alignment; MAP_ALIGNED_SUPER: superpage (2 MiB)
	 * alignment for a mapping that can hold one; n below PAGE_SHIFT or
	 * >= 64 is EINVAL. Four tries, so chance cannot pass for alignment. */
	int ok21 = 1, oksup = 1;
	for (int i = 0; i < 4; i++) {
		r = mm(0, 64 * 1024, PROT_RW, MAP_ALIGNED(21) | MAP_AP, -1, 0);
		ok21 &= !r.cf && (r.val & (2 * MiB - 1)) == 0;
		q = (u8 *)r.val;
		if (!r.cf)
			SYS(SYS_munmap, q, 64 * 1024);
		r = mm(0, 4 * MiB, PROT_RW, MAP_ALIGNED_SUPER | MAP_AP, -1, 0);
		oksup &= !r.cf && (r.val & (2 * MiB - 1)) == 0;
		if (!r.cf)
			SYS(SYS_munmap, r.val, 4 * MiB);
	}
	CHECK("MAP_ALIGNED(21) (0x15000000): 2 MiB-aligned addresses", ok21);
	CHECK("MAP_ALIGNED_SUPER (0x1000000), 4 MiB: 2 MiB-aligned addresses", oksup);
	CHECK_ERR("MAP_ALIGNED(11) -> EINVAL", mm(0, PAGE, PROT_RW, MAP_ALIGNED(11) | MAP_AP, -1, 0), EINVAL);
	CHECK_ERR("MAP_ALIGNED(64) -> EINVAL", mm(0, PAGE, PROT_RW, MAP_ALIGNED(64) | MAP_AP, -1, 0), EINVAL);
}

static void faults(void)
{
	u8 *p = mm_ok("mmap two pages", 2 * PAGE, PROT_RW, MAP_AP), v = 0;
	if (!p)
		return;
	p[0] = 9;
	CHECK_OK("munmap the second page", SYS(SYS_munmap, p + PAGE, PAGE));
	CHECK_EQ("load from the unmapped page -> SIGSEGV", touch_load(p + PAGE + 8, 0), SIGSEGV);
	CHECK_EQ("si_code SEGV_MAPERR 1", touch_fault.code, SEGV_MAPERR);
	CHECK_EQ("si_addr = the address loaded", touch_fault.addr, p + PAGE + 8);
	CHECK_EQ("the first page still loads", touch_load(p, &v), 0);
	CHECK_OK("mprotect PROT_READ", SYS(SYS_mprotect, p, PAGE, PROT_READ));
	CHECK_EQ("store to the read-only page -> SIGSEGV", touch_store(p + 16, 1), SIGSEGV);
	CHECK_EQ("si_code SEGV_ACCERR 2", touch_fault.code, SEGV_ACCERR);
	CHECK_EQ("load from the read-only page works", touch_load(p, &v), 0);
	CHECK_EQ("and sees the old byte", v, 9);
	CHECK_OK("mprotect PROT_READ|PROT_WRITE", SYS(SYS_mprotect, p, PAGE, PROT_RW));
	CHECK_EQ("store works again", touch_store(p + 16, 1), 0);
	SYS(SYS_munmap, p, PAGE);
}

/* PROT_MAX: the mapping's maximum protection (vm_map_entry max_protection).
 * kern_mmap and kern_mprotect refuse prot beyond the PROT_MAX given (EINVAL)
 * and bits outside PROT_ALL|PROT_MAX(PROT_ALL) (EINVAL); vm_map_protect
 * refuses a protection or a new maximum beyond the entry's maximum with
 * KERN_PROTECTION_FAILURE (EACCES). munmap and a new mapping drop it. */
static void protmax(void)
{
	u8 *p = mm_ok("mmap PROT_READ | PROT_MAX(PROT_READ), two pages", 2 * PAGE,
		PROT_READ | PROT_MAX(PROT_READ), MAP_AP), v = 0;
	if (!p)
		return;
	CHECK_ERR("mprotect PROT_READ|PROT_WRITE beyond PROT_MAX -> EACCES",
		SYS(SYS_mprotect, p, PAGE, PROT_RW), EACCES);
	CHECK_EQ("... and the page stays read-only", touch_store(p, 1), SIGSEGV);
	CHECK_ERR("mprotect of both pages with PROT_EXEC -> EACCES",
		SYS(SYS_mprotect, p, 2 * PAGE, PROT_READ | PROT_EXEC), EACCES);
	CHECK_OK("mprotect PROT_NONE (within the maximum)", SYS(SYS_mprotect, p, PAGE, PROT_NONE));
	CHECK_OK("mprotect PROT_READ again", SYS(SYS_mprotect, p, PAGE, PROT_READ));
	CHECK_EQ("loads work", touch_load(p, &v), 0);
	CHECK_ERR("mprotect raising the maximum PROT_MAX(PROT_RW) -> EACCES",
		SYS(SYS_mprotect, p, PAGE, PROT_READ | PROT_MAX(PROT_RW)), EACCES);
	/* the first page unmapped and mapped again without PROT_MAX: no bound;
	 * the second keeps its own */
	CHECK_OK("munmap the first page", SYS(SYS_munmap, p, PAGE));
	CHECK_OK("map it again, MAP_FIXED, no PROT_MAX", mm(p, PAGE, PROT_READ, MAP_AP | MAP_FIXED, -1, 0));
	CHECK_OK("mprotect PROT_READ|PROT_WRITE there works", SYS(SYS_mprotect, p, PAGE, PROT_RW));
	CHECK_EQ("and stores work", touch_store(p, 1), 0);
	CHECK_ERR("the second page still refuses PROT_WRITE -> EACCES",
		SYS(SYS_mprotect, p + PAGE, PAGE, PROT_RW), EACCES);
	SYS(SYS_munmap, p, 2 * PAGE);

	/* mprotect with PROT_MAX lowers the bound of an unbounded mapping */
	p = mm_ok("mmap PROT_READ|PROT_WRITE (no PROT_MAX)", PAGE, PROT_RW, MAP_AP);
	if (!p)
		return;
	CHECK_OK("mprotect PROT_READ | PROT_MAX(PROT_READ)",
		SYS(SYS_mprotect, p, PAGE, PROT_READ | PROT_MAX(PROT_READ)));
	CHECK_ERR("then PROT_READ|PROT_WRITE -> EACCES", SYS(SYS_mprotect, p, PAGE, PROT_RW), EACCES);
	CHECK_OK("munmap it", SYS(SYS_munmap, p, PAGE));
	CHECK_OK("map it again, MAP_FIXED", mm(p, PAGE, PROT_READ, MAP_AP | MAP_FIXED, -1, 0));
	CHECK_OK("the new mapping has no bound: PROT_READ|PROT_WRITE works",
		SYS(SYS_mprotect, p, PAGE, PROT_RW));
	SYS(SYS_munmap, p, PAGE);

	CHECK_ERR("mmap PROT_RW | PROT_MAX(PROT_READ) -> EINVAL",
		mm(0, PAGE, PROT_RW | PROT_MAX(PROT_READ), MAP_AP, -1, 0), EINVAL);
	CHECK_ERR("mmap prot with bit 0x8 -> EINVAL", mm(0, PAGE, PROT_READ | 0x8, MAP_AP, -1, 0), EINVAL);
	p = mm_ok("mmap PROT_RW", PAGE, PROT_RW, MAP_AP);
	if (!p)
		return;
	CHECK_ERR("mprotect PROT_RW | PROT_MAX(PROT_READ) -> EINVAL",
		SYS(SYS_mprotect, p, PAGE, PROT_RW | PROT_MAX(PROT_READ)), EINVAL);
	CHECK_ERR("mprotect prot with bit 0x8 -> EINVAL", SYS(SYS_mprotect, p, PAGE, PROT_READ | 0x8), EINVAL);
	SYS(SYS_munmap, p, PAGE);
}

static void advice(void)
{
	u8 *p = mm_ok("mmap four pages", 4 * PAGE, PROT_RW, MAP_AP);
	u8 vec[4] = {0xee, 0xee, 0xee, 0xee};
	if (!p)
		return;
	p[0] = 0x11;
	p[PAGE] = 0x22;
	CHECK_OK("mincore (78)", SYS(SYS_mincore, p, 4 * PAGE, vec));
	CHECK("mincore: touched pages have MINCORE_INCORE (bit 0)", (vec[0] & 1) && (vec[1] & 1));
	/* vm_page_advise(): DONTNEED deactivates, dirty pages go to the laundry:
	 * the contents stay (Linux's own MADV_DONTNEED would zero them). */
	CHECK_OK("madvise MADV_DONTNEED (4)", SYS(SYS_madvise, p, PAGE, MADV_DONTNEED));
	CHECK_EQ("MADV_DONTNEED keeps the data", p[0], 0x11);
	CHECK_OK("madvise MADV_FREE (5)", SYS(SYS_madvise, p + PAGE, PAGE, MADV_FREE));
	CHECK_EQ("a page freed with MADV_FREE is usable again", touch_store(p + PAGE, 0x33), 0);
	CHECK_ERR("madvise unknown advice 11 -> EINVAL", SYS(SYS_madvise, p, PAGE, 11), EINVAL);
	CHECK_ERR("madvise advice -1 -> EINVAL", SYS(SYS_madvise, p, PAGE, -1), EINVAL);
	SYS(SYS_munmap, p, 4 * PAGE);
}

/* A forked child's view of minherit regions; returns its wait4 status. */
static long child_touch(volatile u8 *none, volatile u8 *zero)
{
	long pid = rt_fork();
	if (pid == 0) {
		rt_signal(SIGSEGV, SIG_DFL, 0);
		if (zero)
			rt_exit(zero[0] == 0 && zero[PAGE - 1] == 0 ? 7 : 8);
		(void)none[0]; /* INHERIT_NONE: not mapped here */
		rt_exit(9);
	}
	return pid < 0 ? pid : rt_wait(pid);
}

static void inherit(void)
{
	u8 *n = mm_ok("mmap region for INHERIT_NONE", PAGE, PROT_RW, MAP_AP);
	u8 *z = mm_ok("mmap region for INHERIT_ZERO", PAGE, PROT_RW, MAP_AP);
	if (!n || !z)
		return;
	n[0] = 0x42;
	z[0] = 0x17;
	z[PAGE - 1] = 0x18;
	CHECK_OK("minherit INHERIT_NONE (2)", SYS(SYS_minherit, n, PAGE, INHERIT_NONE));
	CHECK_OK("minherit INHERIT_ZERO (3)", SYS(SYS_minherit, z, PAGE, INHERIT_ZERO));
	CHECK_ERR("minherit 7 -> EINVAL", SYS(SYS_minherit, z, PAGE, 7), EINVAL);
	CHECK_EQ("child touching the INHERIT_NONE region dies of SIGSEGV (status 11)",
		child_touch(n, 0), SIGSEGV);
	CHECK_EQ("child reads zeros in the INHERIT_ZERO region (exit 7)", child_touch(0, z), 7 << 8);
	CHECK("parent keeps its INHERIT_ZERO data", z[0] == 0x17 && z[PAGE - 1] == 0x18);
	CHECK_EQ("parent keeps its INHERIT_NONE data", n[0], 0x42);
	SYS(SYS_munmap, n, PAGE);
	SYS(SYS_munmap, z, PAGE);
}

/* A forked child stores v at p[off] (each pair of the list) and exits 0. */
static long child_store(volatile u8 *p, long off1, u8 v1, long off2, u8 v2)
{
	long pid = rt_fork();
	if (pid == 0) {
		p[off1] = v1;
		p[off2] = v2;
		rt_exit(0);
	}
	return pid < 0 ? pid : rt_wait(pid);
}

/* INHERIT_SHARE (0): after fork, parent and child share the pages, so the
 * child's stores reach the parent (vm_map_inherit, vmspace_fork); contents
 * and per-page protections stay; INHERIT_COPY makes a part private again;
 * holes in the range are skipped. */
static void inherit_share(void)
{
	volatile u8 *p = mm_ok("mmap three private pages", 3 * PAGE, PROT_RW, MAP_AP);
	if (!p)
		return;
	p[0] = 0x11;
	p[2 * PAGE + 5] = 0x22;
	CHECK_OK("mprotect the third page PROT_READ", SYS(SYS_mprotect, p + 2 * PAGE, PAGE, PROT_READ));
	CHECK_OK("minherit INHERIT_SHARE (0) of the three pages", SYS(SYS_minherit, p, 3 * PAGE, 0));
	CHECK("contents kept", p[0] == 0x11 && p[PAGE] == 0 && p[2 * PAGE + 5] == 0x22);
	CHECK_EQ("the third page is still read-only", touch_store((u8 *)p + 2 * PAGE, 1), SIGSEGV);
	CHECK_EQ("the first is still writable", touch_store((u8 *)p + 1, 0x12), 0);
	CHECK_EQ("a child stores into pages 1 and 2", child_store(p, 0, 0x77, PAGE, 0x66), 0);
	CHECK_EQ("the parent sees the child's store in page 1", p[0], 0x77);
	CHECK_EQ("and in page 2", p[PAGE], 0x66);
	CHECK_OK("minherit INHERIT_COPY (1) of the first page", SYS(SYS_minherit, p, PAGE, 1));
	CHECK_EQ("the first page kept its data", p[0], 0x77);
	CHECK_EQ("a child stores again", child_store(p, 0, 0x33, PAGE, 0x44), 0);
	CHECK_EQ("page 1 is the child's own copy now: the parent keeps 0x77", p[0], 0x77);
	CHECK_EQ("page 2 is still shared: the parent sees 0x44", p[PAGE], 0x44);
	SYS(SYS_munmap, (void *)p, 3 * PAGE);
	/* a hole in the range is skipped */
	p = mm_ok("mmap three pages again", 3 * PAGE, PROT_RW, MAP_AP);
	if (!p)
		return;
	SYS(SYS_munmap, (void *)(p + PAGE), PAGE);
	CHECK_OK("minherit INHERIT_SHARE over a hole", SYS(SYS_minherit, p, 3 * PAGE, 0));
	CHECK_EQ("a child stores around the hole", child_store(p, 0, 0x55, 2 * PAGE, 0x56), 0);
	CHECK("the parent sees both stores", p[0] == 0x55 && p[2 * PAGE] == 0x56);
	SYS(SYS_munmap, (void *)p, 3 * PAGE);
}

/* break(2) (kern_break): an address below the data segment returns the
 * current break unchanged (libc's initbrk uses break(0)); otherwise the
 * break moves to round_page(nsize), which is returned. The first break is
 * the page-rounded end of the last data segment (imgact_elf vm_daddr +
 * vm_dsize), i.e. of .bss. */
static void brk(void)
{
	u64 end = ((u64)_end + PAGE - 1) & ~(PAGE - 1);
	sysret r = SYS(SYS_break, 0);
	u8 *cur;

	if (!CHECK_OK("break(0)", r))
		return;
	CHECK_EQ("break(0) = page-rounded end of the program", r.val, end);
	cur = (u8 *)r.val;
	r = SYS(SYS_break, cur + 3 * PAGE - 100);
	CHECK_OK("break grows by three pages", r);
	CHECK_EQ("break returns the new, page-rounded break", r.val, cur + 3 * PAGE);
	CHECK("the new heap is zeroed and writable",
		touch_store(cur, 1) == 0 && touch_store(cur + 3 * PAGE - 1, 2) == 0 && cur[PAGE] == 0);
	CHECK_EQ("break(0) reports the grown break", SYS(SYS_break, 0).val, cur + 3 * PAGE);
	r = SYS(SYS_break, cur + PAGE);
	CHECK_EQ("break shrinks to one page", r.val, cur + PAGE);
	CHECK_EQ("memory past the lowered break -> SIGSEGV", touch_load(cur + 2 * PAGE, 0), SIGSEGV);
	CHECK_EQ("memory below it is kept", cur[0], 1);
	CHECK_EQ("break back to the start", SYS(SYS_break, cur).val, cur);
}

int main(int argc, char **argv, char **envp)
{
	if (argc < 2) {
		rt_note("usage: mman SCRATCH_DIR");
		return 2;
	}
	touch_install();
	anon();
	file_shared(argv[1]);
	fixed();
	faults();
	protmax();
	advice();
	inherit();
	inherit_share();
	brk();
	return rt_done();
}
