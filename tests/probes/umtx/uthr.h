/* Threads and _umtx_op for the umtx probes, on raw FreeBSD system calls.
 * Layouts and values come from the shared freebsd-abi notes (structs.md §6,
 * constants.md "_umtx_op operations and flags", startup.md thr_new) and
 * FreeBSD's sys/umtx.h, not from the translator's headers.
 *
 * Threads run a function on their own mmap'ed stack with a small TLS block
 * (%fs:0 points at itself, as the amd64 TLS ABI wants) and end with
 * thr_exit(&done), which stores 1 and wakes the joiner. Only the main
 * thread may call the CHECK macros (the runtime's counters are not atomic):
 * threads leave their results in memory. */
#ifndef UTHR_H
#define UTHR_H
#include "probe.h"

enum {
	SYS_thr_exit = 431, SYS_thr_self = 432, SYS__umtx_op = 454, SYS_thr_new = 455,
	SYS_sched_yield = 331,
};
enum { EBUSY = 16, EDEADLK = 11, ETIMEDOUT = 60, ENOTRECOVERABLE = 95, EOWNERDEAD = 96 };
#define MAP_SHARED 0x1
#define CLOCK_REALTIME 0

enum {
	UMTX_OP_WAIT = 2, UMTX_OP_WAKE = 3, UMTX_OP_MUTEX_TRYLOCK = 4, UMTX_OP_MUTEX_LOCK = 5,
	UMTX_OP_MUTEX_UNLOCK = 6, UMTX_OP_SET_CEILING = 7, UMTX_OP_CV_WAIT = 8,
	UMTX_OP_CV_SIGNAL = 9, UMTX_OP_CV_BROADCAST = 10, UMTX_OP_RW_RDLOCK = 12,
	UMTX_OP_RW_WRLOCK = 13, UMTX_OP_RW_UNLOCK = 14, UMTX_OP_MUTEX_WAIT = 17,
	UMTX_OP_MUTEX_WAKE = 18, UMTX_OP_SEM_WAIT = 19, UMTX_OP_SEM_WAKE = 20,
	UMTX_OP_MUTEX_WAKE2 = 22, UMTX_OP_SEM2_WAIT = 23, UMTX_OP_SEM2_WAKE = 24,
	UMTX_OP_SHM = 25, UMTX_OP_ROBUST_LISTS = 26,
};
#define UMTX_ABSTIME 1
#define USYNC_PROCESS_SHARED 0x1
#define UMUTEX_CONTESTED 0x80000000u
#define UMUTEX_RB_OWNERDEAD (UMUTEX_CONTESTED | 0x10)
#define UMUTEX_RB_NOTRECOV (UMUTEX_CONTESTED | 0x11)
#define UMUTEX_PRIO_INHERIT 0x4
#define UMUTEX_PRIO_PROTECT 0x8
#define UMUTEX_ROBUST 0x10
#define UMUTEX_NONCONSISTENT 0x20
#define CVWAIT_ABSTIME 0x2
#define CVWAIT_CLOCKID 0x4
#define URWLOCK_PREFER_READER 0x2
#define URWLOCK_WRITE_OWNER 0x80000000u
#define URWLOCK_WRITE_WAITERS 0x40000000u
#define URWLOCK_READ_WAITERS 0x20000000u
#define USEM_HAS_WAITERS 0x80000000u
#define UMTX_SHM_CREAT 0x1
#define UMTX_SHM_LOOKUP 0x2
#define UMTX_SHM_DESTROY 0x4
#define UMTX_SHM_ALIVE 0x8

struct umutex { volatile u32 m_owner; u32 m_flags; u32 m_ceilings[2]; u64 m_rb_lnk; u32 m_spare[2]; };
struct ucond { volatile u32 c_has_waiters; u32 c_flags; u32 c_clockid; u32 c_spare[1]; };
struct urwlock { volatile u32 rw_state; u32 rw_flags; volatile u32 rw_blocked_readers;
	volatile u32 rw_blocked_writers; u32 rw_spare[4]; };
struct usem2 { volatile u32 count; u32 flags; };
struct usem { volatile u32 has_waiters; volatile u32 count; u32 flags; };
struct umtx_time { struct fbsd_timespec timeout; u32 flags, clockid; };
struct robust_params { u64 list, priv_list, inact; };
struct thr_param {
	void *start_func, *arg;
	char *stack_base;
	u64 stack_size;
	void *tls_base;
	u64 tls_size;
	long *child_tid, *parent_tid;
	int flags, pad;
	void *rtp;
	u64 spare[3];
};
_Static_assert(sizeof(struct umutex) == 32 && OFF(struct umutex, m_rb_lnk) == 16, "umutex");
_Static_assert(sizeof(struct ucond) == 16 && sizeof(struct urwlock) == 32, "ucond/urwlock");
_Static_assert(sizeof(struct umtx_time) == 24 && sizeof(struct thr_param) == 104, "umtx_time");

static inline sysret umtx(void *obj, int op, u64 val, void *u1, void *u2)
{
	return SYS(SYS__umtx_op, obj, op, val, u1, u2);
}
/* 0 or the FreeBSD errno. */
static inline long umtx_err(void *obj, int op, u64 val, void *u1, void *u2)
{
	sysret r = umtx(obj, op, val, u1, u2);
	return r.cf ? r.val : 0;
}

static inline u32 cas32(volatile u32 *w, u32 old, u32 new)
{
	__atomic_compare_exchange_n(w, &old, new, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	return old; /* the value seen: == old on success */
}
static inline u32 ld32(volatile u32 *w) { return __atomic_load_n(w, __ATOMIC_SEQ_CST); }
static inline void add32(volatile u32 *w, u32 v) { __atomic_add_fetch(w, v, __ATOMIC_SEQ_CST); }

static inline long self_tid(void)
{
	long id = 0;
	SYS(SYS_thr_self, &id);
	return id;
}

static inline long now_ns(int clock)
{
	struct fbsd_timespec ts;
	SYS(SYS_clock_gettime, clock, &ts);
	return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static inline void sleep_ms(long ms)
{
	struct fbsd_timespec ts = {ms / 1000, (ms % 1000) * 1000000};
	SYS(SYS_nanosleep, &ts, 0);
}

/* An absolute deadline ms from now on clock. */
static inline struct umtx_time abs_in(long ms, int clock)
{
	long t = now_ns(clock) + ms * 1000000L;
	struct umtx_time ut = {{t / 1000000000L, t % 1000000000L}, UMTX_ABSTIME, (u32)clock};
	return ut;
}

/* Spin until *w == v or about 5 s pass: 1 if reached. */
static inline int await32(volatile u32 *w, u32 v)
{
	for (int i = 0; i < 5000; i++) {
		if (ld32(w) == v)
			return 1;
		sleep_ms(1);
	}
	return 0;
}

#define UTHR_STACK (128 * 1024)
struct uthr {
	void (*fn)(void *);
	void *arg;
	volatile long done; /* thr_exit(&done) stores 1 */
	long tid;
	u64 tls[8];
};

static void uthr_entry(struct uthr *u)
{
	u->fn(u->arg);
	for (;;)
		SYS(SYS_thr_exit, &u->done);
}

static inline long uthr_start(struct uthr *u, void (*fn)(void *), void *arg)
{
	u->fn = fn;
	u->arg = arg;
	u->done = 0;
	u->tid = 0;
	u->tls[0] = (u64)u->tls;
	sysret m = SYS(SYS_mmap, 0, UTHR_STACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
	if (m.cf)
		return -m.val;
	struct thr_param p;
	memset(&p, 0, sizeof p);
	p.start_func = (void *)uthr_entry;
	p.arg = u;
	p.stack_base = (char *)m.val;
	p.stack_size = UTHR_STACK;
	p.tls_base = u->tls;
	p.tls_size = sizeof u->tls;
	p.child_tid = &u->tid;
	sysret r = SYS(SYS_thr_new, &p, sizeof p);
	return r.cf ? -r.val : 0;
}

static inline void uthr_join(struct uthr *u)
{
	while (!__atomic_load_n(&u->done, __ATOMIC_ACQUIRE))
		umtx((void *)&u->done, UMTX_OP_WAIT, 0, 0, 0);
}

/* libthr's mutex paths (thr_umtx.h): CAS fast path, kernel for the rest.
 * lock_kernel uses MUTEX_LOCK, lock_wait the MUTEX_WAIT loop of normal
 * mutexes; unlock_wake2 releases in userland and calls MUTEX_WAKE2. */
static inline long lock_kernel(struct umutex *m, u32 id)
{
	if (cas32(&m->m_owner, 0, id) == 0)
		return 0;
	return umtx_err(m, UMTX_OP_MUTEX_LOCK, 0, 0, 0);
}
static inline long unlock_kernel(struct umutex *m, u32 id)
{
	if (cas32(&m->m_owner, id, 0) == id)
		return 0;
	return umtx_err(m, UMTX_OP_MUTEX_UNLOCK, 0, 0, 0);
}
static inline void lock_wait(struct umutex *m, u32 id)
{
	for (;;) {
		u32 o = ld32(&m->m_owner);
		if ((o & ~UMUTEX_CONTESTED) == 0 && cas32(&m->m_owner, o, id | o) == o)
			return;
		umtx(m, UMTX_OP_MUTEX_WAIT, 0, 0, 0);
	}
}
static inline void unlock_wake2(struct umutex *m)
{
	u32 o;
	do
		o = ld32(&m->m_owner);
	while (cas32(&m->m_owner, o, 0) != o);
	if (o & UMUTEX_CONTESTED)
		umtx(m, UMTX_OP_MUTEX_WAKE2, m->m_flags, 0, 0);
}
#endif
