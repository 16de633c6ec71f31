/* Probe: kern.proc with KERN_PROC_INC_THREAD (0x10), what ps -H reads. FreeBSD's
 * sysctl_out_proc gives one kinfo_proc per thread (fill_kinfo_thread with
 * preferthread): the process's row with the thread's ki_tid, ki_tdname
 * (td_name, which starts as p_comm and thr_set_name changes), ki_stat and
 * ki_wmesg (the sleep's name: "uwait" for _umtx_op waits, "nanslp" for
 * nanosleep); without the flag, one row with the first thread's id, except
 * for KERN_PROC_ALL, which always lists threads.
 * kinfo_proc offsets: structs.md (kinfo_proc, 1088 bytes). */
#include "probe.h"
#include "umtx/uthr.h"

enum { SYS_thr_set_name = 464, SYS___sysctl_ = 202 };
#define KERN_PROC_ALL 0
#define KERN_PROC_PID 1
#define KERN_PROC_PROC 8
#define KERN_PROC_INC_THREAD 0x10
#define KI_SIZE 1088
#define KI_PID 72
#define KI_STAT 388
#define KI_TDNAME 394
#define KI_WMESG 411
#define KI_COMM 447
#define KI_NUMTHREADS 596
#define KI_TID 600
#define SSLEEP 3
#define MAXROWS 4096

static volatile long gate;     /* worker A sleeps in UMTX_OP_WAIT on it */
static volatile u32 stop, named;
static u8 rows[MAXROWS * KI_SIZE];

static int i32(const u8 *k, int off) { int v; memcpy(&v, k + off, 4); return v; }

static void worker_umtx(void *arg)
{
	(void)arg;
	SYS(SYS_thr_set_name, -1, "probe-umtx");
	__atomic_store_n(&named, 1, __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(&gate, __ATOMIC_SEQ_CST))
		umtx((void *)&gate, UMTX_OP_WAIT, 0, 0, 0);
}

static void worker_nap(void *arg)
{
	(void)arg;
	while (!ld32(&stop))
		sleep_ms(200);
}

/* kern.proc.<op>[.<arg>]: the rows (at most MAXROWS) into rows; count or -1. */
static long getrows(int op, int arg, int nmib)
{
	int mib[4] = {1 /* CTL_KERN */, 14 /* KERN_PROC */, op, arg};
	u64 len = sizeof rows;
	sysret r = SYS(SYS___sysctl_, mib, nmib, rows, &len, 0, 0);
	if (r.cf || len % KI_SIZE)
		return -1;
	return (long)(len / KI_SIZE);
}

/* This process's row for thread tid in rows[0..n), or NULL. */
static const u8 *row_of(long n, int pid, long tid)
{
	for (long i = 0; i < n; i++)
		if (i32(rows + i * KI_SIZE, KI_PID) == pid && i32(rows + i * KI_SIZE, KI_TID) == tid)
			return rows + i * KI_SIZE;
	return 0;
}

static int str_is(const u8 *k, int off, const char *s)
{
	return rt_streq((const char *)k + off, s);
}

int main(int argc, char **argv, char **envp)
{
	(void)argc, (void)argv, (void)envp;
	struct uthr a, b;
	int pid = (int)SYS(SYS_getpid).val;
	long me = self_tid();
	long n;

	if (!CHECK_EQ("start a thread that waits in _umtx_op", uthr_start(&a, worker_umtx, 0), 0) ||
	    !CHECK_EQ("start a thread that naps", uthr_start(&b, worker_nap, 0), 0))
		return rt_done();
	CHECK("the umtx thread named itself", await32(&named, 1));
	CHECK_OK("thr_set_name of the other thread", SYS(SYS_thr_set_name, b.tid, "probe-nap"));

	/* both workers asleep (retried: a sample may catch one awake) */
	const u8 *ka = 0, *kb = 0, *km = 0;
	for (int i = 0; i < 50; i++) {
		n = getrows(KERN_PROC_PID | KERN_PROC_INC_THREAD, pid, 4);
		ka = row_of(n, pid, a.tid), kb = row_of(n, pid, b.tid), km = row_of(n, pid, me);
		if (ka && kb && str_is(ka, KI_WMESG, "uwait") && str_is(kb, KI_WMESG, "nanslp"))
			break;
		sleep_ms(20);
	}
	CHECK_EQ("kern.proc.pid|INC_THREAD: one row per thread", n, 3);
	if (CHECK("a row for the main thread (thr_self)", km != 0)) {
		CHECK("main thread: ki_tdname = ki_comm (never named)", str_is(km, KI_TDNAME, (const char *)km + KI_COMM));
		CHECK("main thread: ki_comm procthr", str_is(km, KI_COMM, "procthr"));
		CHECK_EQ("main thread: ki_numthreads 3", i32(km, KI_NUMTHREADS), 3);
	}
	if (CHECK("a row for the umtx thread", ka != 0)) {
		CHECK("umtx thread: ki_tdname probe-umtx (its own thr_set_name)", str_is(ka, KI_TDNAME, "probe-umtx"));
		CHECK_EQ("umtx thread: ki_stat SSLEEP", ka[KI_STAT], SSLEEP);
		CHECK("umtx thread: ki_wmesg uwait", str_is(ka, KI_WMESG, "uwait"));
		CHECK("umtx thread: ki_comm procthr", str_is(ka, KI_COMM, "procthr"));
	}
	if (CHECK("a row for the napping thread", kb != 0)) {
		CHECK("napping thread: ki_tdname probe-nap (named by another thread)", str_is(kb, KI_TDNAME, "probe-nap"));
		CHECK_EQ("napping thread: ki_stat SSLEEP", kb[KI_STAT], SSLEEP);
		CHECK("napping thread: ki_wmesg nanslp", str_is(kb, KI_WMESG, "nanslp"));
	}

	n = getrows(KERN_PROC_PID, pid, 4);
	CHECK_EQ("kern.proc.pid without INC_THREAD: one row", n, 1);
	if (n == 1) {
		CHECK_EQ("... with the main thread's id", i32(rows, KI_TID), me);
		CHECK_EQ("... and ki_numthreads 3", i32(rows, KI_NUMTHREADS), 3);
	}

	/* sysctl_kern_proc: KERN_PROC_ALL (what ps -H asks for) always lists
	 * threads; KERN_PROC_PROC (plain ps) only with KERN_PROC_INC_THREAD. */
	static const struct { int op; const char *what; long want; } all[] = {
		{KERN_PROC_ALL, "kern.proc.all: 3 rows of this process", 3},
		{KERN_PROC_PROC, "kern.proc.proc: 1 row of this process", 1},
		{KERN_PROC_PROC | KERN_PROC_INC_THREAD, "kern.proc.proc|INC_THREAD: 3 rows of this process", 3},
	};
	for (int j = 0; j < 3; j++) {
		long mine = 0;
		n = getrows(all[j].op, 0, 3);
		for (long i = 0; i < n; i++)
			mine += i32(rows + i * KI_SIZE, KI_PID) == pid;
		CHECK_EQ(all[j].what, mine, all[j].want);
	}

	__atomic_store_n(&gate, 1, __ATOMIC_SEQ_CST);
	umtx((void *)&gate, UMTX_OP_WAKE, 1, 0, 0);
	__atomic_store_n(&stop, 1, __ATOMIC_SEQ_CST);
	uthr_join(&a);
	uthr_join(&b);
	return rt_done();
}
