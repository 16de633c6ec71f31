/* Probe: FreeBSD threads. thr_new (455) and its start-up state: startup.md
 * "Thread creation" and structs.md §5 struct thr_param; thr_exit, thr_self,
 * thr_kill, thr_set_name: startup.md "Thread exit"/"Other thread calls" and
 * syscalls.md; error cases from kern_thr.c (sys_thr_new, sys_thr_kill) and
 * cpu_set_upcall. Threads and umtx helpers come from umtx/uthr.h. Only the
 * main thread runs CHECKs: the threads leave what they saw in memory. */
#include "probe.h"
#include "umtx/uthr.h"

enum { SYS_sysarch = 165, SYS_thr_kill = 433, SYS_thr_set_name = 464, SYS_cpuset_getaffinity = 487 };
enum { ESRCH = 3 };
#define SIGHUP 1
#define SI_LWP 0x10007          /* constants.md: si_code of thr_kill */
#define AMD64_GET_FSBASE 128    /* constants.md "sysarch(2) operations" */
#define CPU_LEVEL_WHICH 3
#define CPU_WHICH_TID 1
#define CPU_WHICH_PID 2
#define PID_MAX 99999           /* thread ids are above it (startup.md) */
#define STACK (64 * 1024)
#define THR_SUSPENDED 0x1       /* sys/thr.h */

struct worker {
	struct thr_param p;
	long ctid, ptid;        /* child_tid / parent_tid; thr_exit(&ctid) stores 1 */
	long seen_ctid, seen_ptid, rsp, ret0, rbp, self;
	u64 fsbase;
	long fsbase_err, name_err, longname_err;
	fbsd_sigset mask;
	volatile u32 started, stop;
	u64 tls[4];
};
static struct worker wa, wb, wc;
static volatile long entry_rdi;

/* The first instructions of a new thread: pass %rsp, [%rsp] and %rbp on. */
void thr_entry(void);
__asm__(".text\n.globl thr_entry\nthr_entry:\n"
	"	mov %rdi, entry_rdi(%rip)\n	mov %rsp, %rsi\n	mov (%rsp), %rdx\n	mov %rbp, %rcx\n"
	"	and $-16, %rsp\n	call thr_main\n	ud2\n");

void thr_main(struct worker *w, long rsp, long ret0, long rbp)
{
	w->seen_ctid = __atomic_load_n(&w->ctid, __ATOMIC_SEQ_CST);
	w->seen_ptid = __atomic_load_n(&w->ptid, __ATOMIC_SEQ_CST);
	w->rsp = rsp;
	w->ret0 = ret0;
	w->rbp = rbp;
	sysret r = SYS(SYS_sysarch, AMD64_GET_FSBASE, &w->fsbase);
	w->fsbase_err = r.cf ? r.val : 0;
	SYS(SYS_thr_self, &w->self);
	SYS(SYS_sigprocmask, SIG_BLOCK, 0, &w->mask);
	/* thr_set_name: <= 19 chars + NUL; copyinstr's ENAMETOOLONG is truncated */
	r = SYS(SYS_thr_set_name, -1, "lochs-worker");
	w->name_err = r.cf ? r.val : 0;
	r = SYS(SYS_thr_set_name, -1, "a-thread-name-much-longer-than-nineteen-chars");
	w->longname_err = r.cf ? r.val : 0;
	__atomic_store_n(&w->started, 1, __ATOMIC_SEQ_CST);
	while (!ld32(&w->stop))
		sleep_ms(1); /* signals sent to this thread run their handlers here */
	sleep_ms(30);        /* so the joiner is asleep in UMTX_OP_WAIT */
	for (;;)
		SYS(SYS_thr_exit, &w->ctid);
}

static sysret start(struct worker *w, int size)
{
	sysret m = SYS(SYS_mmap, 0, STACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
	if (m.cf)
		return m;
	w->tls[0] = (u64)w->tls;
	w->p.start_func = (void *)thr_entry;
	w->p.arg = w;
	w->p.stack_base = (char *)m.val;
	w->p.stack_size = STACK - 24; /* top not 16-aligned: the kernel rounds down */
	w->p.tls_base = w->tls;
	w->p.tls_size = sizeof w->tls;
	w->p.child_tid = &w->ctid;
	w->p.parent_tid = &w->ptid;
	return SYS(SYS_thr_new, &w->p, size);
}

/* thr_exit(&ctid) stores 1 and wakes the UMTX_OP_WAIT sleeper on that word,
 * libthr's pthread_join. 1 if that happened within 10 s. */
static int join(struct worker *w)
{
	struct umtx_time ut = {{10, 0}, 0, CLOCK_MONOTONIC};
	long tid = w->ctid;
	__atomic_store_n(&w->stop, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&w->ctid, __ATOMIC_SEQ_CST) == tid)
		if (umtx_err(&w->ctid, UMTX_OP_WAIT, tid, (void *)sizeof ut, &ut) == ETIMEDOUT)
			return 0;
	return w->ctid == 1;
}

static volatile long usr1_tid, usr1_code, usr1_count;
static volatile long hits_a, hits_b, hits_main, main_tid;

static void on_usr1(int sig, fbsd_siginfo *si, void *uc)
{
	long id = 0;
	SYS(SYS_thr_self, &id);
	usr1_tid = id;
	usr1_code = si->si_code;
	__atomic_add_fetch(&usr1_count, 1, __ATOMIC_SEQ_CST);
}

static void on_usr2(int sig, fbsd_siginfo *si, void *uc)
{
	long id = 0;
	SYS(SYS_thr_self, &id);
	if (id == wa.ctid || id == wb.ctid || id == main_tid)
		__atomic_add_fetch(id == wa.ctid ? &hits_a : id == wb.ctid ? &hits_b : &hits_main, 1,
			__ATOMIC_SEQ_CST);
}

static int await_long(volatile long *w, long v)
{
	for (int i = 0; i < 5000 && __atomic_load_n(w, __ATOMIC_SEQ_CST) < v; i++)
		sleep_ms(1);
	return *w >= v;
}

static void errors(void)
{
	struct worker *w = &wc;
	sysret r;

	/* Only this thread exists: nobody to signal (sys_thr_kill: ESRCH). */
	CHECK_ERR("thr_kill(-1, 0) with no other thread -> ESRCH 3", SYS(SYS_thr_kill, -1, 0), ESRCH);
	CHECK_ERR("thr_kill(-1, SIGUSR1) with no other thread -> ESRCH", SYS(SYS_thr_kill, -1, SIGUSR1), ESRCH);
	CHECK_EQ("... and the caller got no SIGUSR1", usr1_count, 0);
	CHECK_ERR("thr_kill of an unknown id -> ESRCH", SYS(SYS_thr_kill, 100, SIGUSR1), ESRCH);
	CHECK_ERR("thr_set_name of an unknown id -> ESRCH", SYS(SYS_thr_set_name, 100, "x"), ESRCH);
	r = start(w, sizeof w->p + 1);
	CHECK_ERR("thr_new with param_size 105 -> EINVAL", r, EINVAL);
	if (!r.cf && await32(&w->started, 1)) /* a thread: stop it before its stack goes */
		join(w);
	w->ctid = 0;
	w->p.tls_base = (void *)0x800000000000UL;
	CHECK_ERR("thr_new tls_base at VM_MAXUSER_ADDRESS -> EINVAL",
		SYS(SYS_thr_new, &w->p, sizeof w->p), EINVAL);
	w->p.tls_base = w->tls;
	SYS(SYS_munmap, w->p.stack_base, STACK);
	/* cpu_set_upcall stores the 0 return address: EFAULT if it cannot */
	CHECK_ERR("thr_new with an unmapped stack -> EFAULT", SYS(SYS_thr_new, &w->p, sizeof w->p), EFAULT);
	CHECK_EQ("no thread id was written", w->ctid, 0);
	/* param_size may be short: the rest reads as zero (sys_thr_new bzero) */
	memset(w, 0, sizeof *w);
	w->p.flags = 0x7fffffff;
	w->p.rtp = (void *)8; /* both beyond the 64 bytes passed */
	r = start(w, 64);
	CHECK_OK("thr_new with param_size 64 (no flags, no rtp)", r);
	if (!r.cf) {
		CHECK("that thread runs", await32(&w->started, 1));
		CHECK("and is joined", join(w));
	}
	/* THR_SUSPENDED (thr.h 0x1) is accepted and not acted on: thread_create
	 * makes every new thread runnable (sched_add), and thr_new(2) calls the
	 * flag "not currently implemented"; nothing (no thr_wake) is needed. */
	memset(w, 0, sizeof *w);
	w->p.flags = THR_SUSPENDED;
	r = start(w, sizeof w->p);
	CHECK_OK("thr_new with THR_SUSPENDED", r);
	if (!r.cf) {
		CHECK("that thread runs without thr_wake", await32(&w->started, 1));
		CHECK("and is joined", join(w));
	}
}

int main(int argc, char **argv, char **envp)
{
	fbsd_sigset old, hup = {{0}};
	struct worker *w = &wa;
	sysret r;

	main_tid = self_tid();
	rt_signal(SIGUSR1, (void *)on_usr1, SA_SIGINFO);
	rt_signal(SIGUSR2, (void *)on_usr2, SA_SIGINFO);
	errors();

	/* The creator's signal mask is inherited: SIGHUP blocked around thr_new. */
	SIGSET_ADD(hup, SIGHUP);
	SYS(SYS_sigprocmask, SIG_BLOCK, &hup, &old);
	fbsd_sigset want = old;
	SIGSET_ADD(want, SIGHUP);
	r = start(w, sizeof w->p);
	SYS(SYS_sigprocmask, SIG_SETMASK, &old, 0);
	if (!CHECK_OK("thr_new (455), param_size 104", r))
		return rt_done();
	CHECK("child_tid receives an id > PID_MAX 99999", w->ctid > PID_MAX);
	CHECK_EQ("parent_tid receives the same id", w->ptid, w->ctid);
	if (!CHECK("the thread starts", await32(&w->started, 1)))
		return rt_done();
	CHECK_EQ("both ids were stored before the thread ran: child_tid", w->seen_ctid, w->ctid);
	CHECK_EQ("... and parent_tid", w->seen_ptid, w->ctid);
	CHECK_EQ("start_func entered with %rdi = arg", entry_rdi, w);
	CHECK_EQ("%rsp = ((stack_base + stack_size) & ~0xF) - 8",
		w->rsp, ((long)(w->p.stack_base + w->p.stack_size) & ~0xFL) - 8);
	CHECK_EQ("%rsp = 8 mod 16", w->rsp & 15, 8);
	CHECK_EQ("0 stored at [%rsp] (fake return address)", w->ret0, 0);
	CHECK_EQ("%rbp = 0", w->rbp, 0);
	CHECK_EQ("sysarch(AMD64_GET_FSBASE 128) in the thread works", w->fsbase_err, 0);
	CHECK_EQ("the thread's fs base = tls_base", w->fsbase, w->tls);
	CHECK_EQ("thr_self (432) in the thread = its id", w->self, w->ctid);
	rt_check_mem("the thread's mask = the creator's at thr_new (SIGHUP blocked)", &w->mask, &want,
		sizeof want);
	CHECK_EQ("thr_set_name(-1, name) in the thread", w->name_err, 0);
	CHECK_EQ("thr_set_name(-1, 45-char name) truncates, no error", w->longname_err, 0);
	CHECK_OK("thr_set_name(that thread's id, name) from main",
		SYS(SYS_thr_set_name, w->ctid, "renamed"));
	CHECK_OK("thr_set_name(-1, name) in main", SYS(SYS_thr_set_name, -1, "lochs-main"));

	CHECK_OK("thr_kill(thread, SIGUSR1)", SYS(SYS_thr_kill, w->ctid, SIGUSR1));
	CHECK("the handler ran", await_long(&usr1_count, 1));
	CHECK_EQ("in that thread (thr_self in the handler)", usr1_tid, w->ctid);
	CHECK_EQ("si_code SI_LWP 0x10007", usr1_code, SI_LWP);
	CHECK_ERR("thr_kill(thread, 200) -> EINVAL", SYS(SYS_thr_kill, w->ctid, 200), EINVAL);

	r = start(&wb, sizeof wb.p);
	CHECK_OK("second thread", r);
	CHECK("second thread starts", !r.cf && await32(&wb.started, 1));
	CHECK_OK("thr_kill(-1, 0) with other threads", SYS(SYS_thr_kill, -1, 0));
	CHECK_OK("thr_kill(-1, SIGUSR2)", SYS(SYS_thr_kill, -1, SIGUSR2));
	CHECK("first thread got SIGUSR2", await_long(&hits_a, 1));
	CHECK("second thread got SIGUSR2", await_long(&hits_b, 1));
	sleep_ms(20);
	CHECK_EQ("the caller did not", hits_main, 0);
	CHECK("each exactly once", hits_a == 1 && hits_b == 1);

	u64 mask[4] = {0};
	int n = 0;
	CHECK_OK("cpuset_getaffinity(CPU_LEVEL_WHICH, CPU_WHICH_PID, -1, 32)",
		SYS(SYS_cpuset_getaffinity, CPU_LEVEL_WHICH, CPU_WHICH_PID, -1, sizeof mask, mask));
	for (int i = 0; i < 256; i++)
		n += (mask[i / 64] >> (i % 64)) & 1;
	CHECK("at least one CPU", n >= 1);
	CHECK_OK("cpuset_getaffinity(CPU_LEVEL_WHICH, CPU_WHICH_TID, a thread)",
		SYS(SYS_cpuset_getaffinity, CPU_LEVEL_WHICH, CPU_WHICH_TID, w->ctid, sizeof mask, mask));
	r = SYS(SYS_sched_yield);
	CHECK_OK("sched_yield (331)", r);
	CHECK_EQ("sched_yield returns 0", r.val, 0);

	long t0 = now_ns(CLOCK_MONOTONIC);
	CHECK("thr_exit(&child_tid) stores 1 and wakes UMTX_OP_WAIT on it", join(w));
	CHECK("... promptly (< 5 s)", now_ns(CLOCK_MONOTONIC) - t0 < 5000000000L);
	CHECK("second thread joined", join(&wb));
	return rt_done();
}
