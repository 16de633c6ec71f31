/* umtx probe: UMTX_OP_SHM (25), the off-page registry of libthr's
 * process-shared objects (thr_pshared.c): _umtx_op(NULL, UMTX_OP_SHM, flag,
 * key, NULL) with exactly one of CREAT (returns a descriptor of a one-page
 * object for the key), LOOKUP (the same object, or ESRCH), DESTROY and
 * ALIVE (is the off-page mapped at this address still registered). The key
 * is an address; in shared memory every process that maps the same object
 * finds the same registration. */
#include "uthr.h"

enum { ESRCH = 3, ENOTTY = 25 };

static long shm(u32 flag, void *key)
{
	sysret r = umtx(0, UMTX_OP_SHM, flag, key, 0);
	return r.cf ? -r.val : r.val;
}

static volatile u32 *map_fd(long fd)
{
	sysret m = SYS(SYS_mmap, 0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	return m.cf ? 0 : (volatile u32 *)m.val;
}

static long private_key;

/* libthr's process-shared mutex: the umutex lives in the off-page, which
 * each process maps at an address of its own. */
struct offpage { struct umutex m; volatile u32 counter; };
#define ROUNDS 3000
static long pshared_rounds(void *key)
{
	long fd = shm(UMTX_SHM_LOOKUP, key);
	struct offpage *o = fd >= 0 ? (struct offpage *)map_fd(fd) : 0;
	if (!o)
		return -1;
	SYS(SYS_close, fd);
	u32 id = (u32)self_tid();
	long bad = 0;
	for (int i = 0; i < ROUNDS; i++) {
		bad += lock_kernel(&o->m, id) != 0;
		u32 v = o->counter;
		if ((i & 15) == 0)
			SYS(SYS_sched_yield);
		o->counter = v + 1;
		bad += unlock_kernel(&o->m, id) != 0;
	}
	return bad;
}

static void test_pshared_mutex(char *keys)
{
	void *key = keys + 512;
	long fd = shm(UMTX_SHM_CREAT, key);
	struct offpage *o = fd >= 0 ? (struct offpage *)map_fd(fd) : 0;
	if (!CHECK("pshared mutex: CREAT and map the off-page", o != 0))
		return;
	SYS(SYS_close, fd);
	o->m.m_flags = USYNC_PROCESS_SHARED;
	sysret f = SYS(SYS_fork);
	if (!f.cf && f.rdx == 1)
		rt_exit(pshared_rounds(key) == 0 ? 0 : 4);
	long bad = pshared_rounds(key); /* a second mapping, another address */
	int st = -1;
	if (CHECK_OK("fork", f))
		SYS(SYS_wait4, f.val, &st, 0, 0);
	CHECK_EQ("pshared mutex in the off-page: the child had no lock error", st, 0);
	CHECK_EQ("  neither had the parent", bad, 0);
	CHECK_EQ("  no increment lost across processes and mappings", o->counter, 2 * ROUNDS);
	CHECK_EQ("  DESTROY", shm(UMTX_SHM_DESTROY, key), 0);
}

int main(int argc, char **argv, char **envp)
{
	sysret m = SYS(SYS_mmap, 0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANON, -1, 0);
	if (!CHECK_OK("mmap(MAP_SHARED|MAP_ANON) for the keys", m))
		return rt_done();
	char *keys = (char *)m.val;
	void *key = keys + 64;

	CHECK_EQ("LOOKUP of a key nobody created: ESRCH", shm(UMTX_SHM_LOOKUP, key), -ESRCH);
	CHECK_EQ("two operations at once: EINVAL", shm(UMTX_SHM_CREAT | UMTX_SHM_LOOKUP, key), -EINVAL);
	CHECK_EQ("no operation: EINVAL", shm(0, key), -EINVAL);

	long fd = shm(UMTX_SHM_CREAT, key);
	CHECK("CREAT returns a descriptor", fd >= 0);
	volatile u32 *page = map_fd(fd);
	CHECK("  it maps one shared page", page != 0);
	if (!page)
		return rt_done();
	SYS(SYS_close, fd);
	CHECK_EQ("  fresh page is zeroed", page[0] | page[1023], 0);
	page[0] = 0x5eed;

	long fd2 = shm(UMTX_SHM_CREAT, key);
	volatile u32 *again = fd2 >= 0 ? map_fd(fd2) : 0;
	CHECK("CREAT of an existing key: the same object", again && again[0] == 0x5eed);
	long fd3 = shm(UMTX_SHM_LOOKUP, key);
	volatile u32 *look = fd3 >= 0 ? map_fd(fd3) : 0;
	CHECK("LOOKUP finds it", look && look[0] == 0x5eed);
	SYS(SYS_close, fd2);
	SYS(SYS_close, fd3);

	sysret f = SYS(SYS_fork);
	if (!f.cf && f.rdx == 1) {
		long cfd = shm(UMTX_SHM_LOOKUP, key);
		volatile u32 *cp = cfd >= 0 ? map_fd(cfd) : 0;
		if (!cp || cp[0] != 0x5eed)
			rt_exit(2);
		cp[1] = 0xc41d;
		rt_exit(0);
	}
	int st = -1;
	if (CHECK_OK("fork", f))
		SYS(SYS_wait4, f.val, &st, 0, 0);
	CHECK_EQ("a forked child LOOKUPs the same page", st, 0);
	CHECK_EQ("  and its store shows here", page[1], 0xc41d);

	CHECK_EQ("ALIVE on the mapped off-page: 0", shm(UMTX_SHM_ALIVE, (void *)page), 0);
	CHECK_EQ("DESTROY", shm(UMTX_SHM_DESTROY, key), 0);
	CHECK_EQ("  ALIVE on the old off-page: ENOTTY", shm(UMTX_SHM_ALIVE, (void *)page), -ENOTTY);
	CHECK_EQ("  the page itself stays mapped", page[0], 0x5eed);
	CHECK_EQ("  LOOKUP: ESRCH", shm(UMTX_SHM_LOOKUP, key), -ESRCH);
	CHECK_EQ("  DESTROY again: ESRCH", shm(UMTX_SHM_DESTROY, key), -ESRCH);
	long fd4 = shm(UMTX_SHM_CREAT, key);
	volatile u32 *fresh = fd4 >= 0 ? map_fd(fd4) : 0;
	CHECK("CREAT after DESTROY: a new, zeroed object", fresh && fresh[0] == 0 && fresh != page);
	SYS(SYS_close, fd4);
	f = SYS(SYS_fork);
	if (!f.cf && f.rdx == 1)
		rt_exit(shm(UMTX_SHM_DESTROY, key) == 0 ? 0 : 3);
	st = -1;
	if (CHECK_OK("fork", f))
		SYS(SYS_wait4, f.val, &st, 0, 0);
	CHECK_EQ("a forked child DESTROYs it", st, 0);
	CHECK_EQ("  ALIVE here on our mapping: ENOTTY", shm(UMTX_SHM_ALIVE, (void *)fresh), -ENOTTY);
	CHECK_EQ("  LOOKUP here: ESRCH", shm(UMTX_SHM_LOOKUP, key), -ESRCH);

	long pfd = shm(UMTX_SHM_CREAT, &private_key);
	CHECK("CREAT for a key in private memory", pfd >= 0);
	long pfd2 = shm(UMTX_SHM_LOOKUP, &private_key);
	CHECK("  LOOKUP finds it", pfd2 >= 0);
	CHECK_EQ("  another key in the same page is separate", shm(UMTX_SHM_LOOKUP, &private_key + 1),
		 -ESRCH);
	SYS(SYS_close, pfd);
	SYS(SYS_close, pfd2);
	CHECK_EQ("DESTROY of the private key", shm(UMTX_SHM_DESTROY, &private_key), 0);
	CHECK_EQ("ALIVE on an unmapped address: EFAULT", shm(UMTX_SHM_ALIVE, (void *)4096), -EFAULT);
	test_pshared_mutex(keys);
	return rt_done();
}
