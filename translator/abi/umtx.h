/* _umtx_op shared definitions (constants.md "_umtx_op operations", structs.md
 * §6, FreeBSD sys/sys/umtx.h and sys/sys/_umtx.h). */
#pragma once
#include <stdint.h>
#include "fbsd.h"

enum {
	UMTX_OP_WAIT = 2, UMTX_OP_WAKE = 3, UMTX_OP_MUTEX_TRYLOCK = 4, UMTX_OP_MUTEX_LOCK = 5,
	UMTX_OP_MUTEX_UNLOCK = 6, UMTX_OP_SET_CEILING = 7, UMTX_OP_CV_WAIT = 8,
	UMTX_OP_CV_SIGNAL = 9, UMTX_OP_CV_BROADCAST = 10, UMTX_OP_WAIT_UINT = 11,
	UMTX_OP_RW_RDLOCK = 12, UMTX_OP_RW_WRLOCK = 13, UMTX_OP_RW_UNLOCK = 14,
	UMTX_OP_WAIT_UINT_PRIVATE = 15, UMTX_OP_WAKE_PRIVATE = 16, UMTX_OP_MUTEX_WAIT = 17,
	UMTX_OP_MUTEX_WAKE = 18, UMTX_OP_SEM_WAIT = 19, UMTX_OP_SEM_WAKE = 20,
	UMTX_OP_NWAKE_PRIVATE = 21, UMTX_OP_MUTEX_WAKE2 = 22, UMTX_OP_SEM2_WAIT = 23,
	UMTX_OP_SEM2_WAKE = 24, UMTX_OP_SHM = 25, UMTX_OP_ROBUST_LISTS = 26,
	UMTX_OP_GET_MIN_TIMEOUT = 27, UMTX_OP_SET_MIN_TIMEOUT = 28,
};
#define UMTX_ABSTIME 1

struct umtx_time {
	struct ftimespec timeout;
	uint32_t flags, clockid;
};

struct sysctx;
long umtx_wait32(struct sysctx *c, volatile uint32_t *addr, uint32_t val, int private,
		 const void *uaddr1, const void *uaddr2);
long umtx_wake(void *addr, int n, int private);
/* Mutex, condition variable, rwlock, semaphore, SHM and robust-list ops
 * (abi/umtx_lock.c dispatches to the umtx_*.c files below). */
long umtx_lock_op(struct sysctx *c, void *obj, int op, uint64_t val, void *u1, void *u2);

/* ---- Objects and values (sys/sys/_umtx.h, sys/sys/umtx.h) ---- */

#define USYNC_PROCESS_SHARED 0x0001 /* every object's flags word */

struct umutex {
	volatile uint32_t m_owner; /* FreeBSD lwpid | UMUTEX_CONTESTED */
	uint32_t m_flags;
	uint32_t m_ceilings[2];
	uint64_t m_rb_lnk; /* next robust mutex of the owner's list */
	uint32_t m_spare[2];
};
_Static_assert(sizeof(struct umutex) == 32, "umutex");
#define UMUTEX_UNOWNED 0x0u
#define UMUTEX_CONTESTED 0x80000000u
#define UMUTEX_RB_OWNERDEAD (UMUTEX_CONTESTED | 0x10)
#define UMUTEX_RB_NOTRECOV (UMUTEX_CONTESTED | 0x11)
#define UMUTEX_PRIO_INHERIT 0x0004
#define UMUTEX_PRIO_PROTECT 0x0008
#define UMUTEX_ROBUST 0x0010
#define UMUTEX_NONCONSISTENT 0x0020
#define UMTX_RTP_PRIO_MAX 31 /* highest valid m_ceilings[] value */

/* libthr passes &pthread_cond.__has_kern_waiters as the ucond, so c_spare
 * may lie past the end of a private pthread_cond: only process-shared
 * conditions (which own a whole off-page) may use it. */
struct ucond {
	volatile uint32_t c_has_waiters;
	uint32_t c_flags;
	uint32_t c_clockid;
	uint32_t c_spare[1];
};
_Static_assert(sizeof(struct ucond) == 16, "ucond");
#define CVWAIT_CHECK_UNPARKING 0x01
#define CVWAIT_ABSTIME 0x02
#define CVWAIT_CLOCKID 0x04
#define FCLOCK_THREAD_CPUTIME_ID 14 /* CV clocks must be below this */

struct urwlock {
	volatile uint32_t rw_state;
	uint32_t rw_flags;
	volatile uint32_t rw_blocked_readers;
	volatile uint32_t rw_blocked_writers;
	uint32_t rw_spare[4];
};
_Static_assert(sizeof(struct urwlock) == 32, "urwlock");
#define URWLOCK_PREFER_READER 0x0002
#define URWLOCK_WRITE_OWNER 0x80000000u
#define URWLOCK_WRITE_WAITERS 0x40000000u
#define URWLOCK_READ_WAITERS 0x20000000u
#define URWLOCK_MAX_READERS 0x1fffffffu
#define URWLOCK_READER_COUNT(c) ((c) & URWLOCK_MAX_READERS)

struct usem2 {
	volatile uint32_t count; /* USEM_HAS_WAITERS | count */
	uint32_t flags;
};
_Static_assert(sizeof(struct usem2) == 8, "_usem2");
#define USEM_HAS_WAITERS 0x80000000u
#define USEM_MAX_COUNT 0x7fffffffu
#define USEM_COUNT(c) ((c) & USEM_MAX_COUNT)

/* The pre-11 semaphore of UMTX_OP_SEM_WAIT/WAKE (COMPAT_FREEBSD10, still in
 * GENERIC; compiler-rt's lock-based __atomic_* fallback uses it). */
struct usem {
	volatile uint32_t has_waiters;
	volatile uint32_t count;
	uint32_t flags;
};

#define UMTX_SHM_CREAT 0x0001
#define UMTX_SHM_LOOKUP 0x0002
#define UMTX_SHM_DESTROY 0x0004
#define UMTX_SHM_ALIVE 0x0008

struct umtx_robust_lists_params {
	uint64_t robust_list_offset;      /* address of the list head word */
	uint64_t robust_priv_list_offset; /* address of the private list head */
	uint64_t robust_inact_offset;     /* address of the "being changed" word */
};
_Static_assert(sizeof(struct umtx_robust_lists_params) == 24, "robust_lists_params");

/* FreeBSD-only errno values of the lock ops (sys/sys/errno.h). */
#define FE_NOTRECOVERABLE 95
#define FE_OWNERDEAD 96


/* ---- Shared machinery (abi/umtx_lock.c) ---- */

struct gthread;

/* A deadline on a Linux clock FUTEX_WAIT_BITSET understands (REALTIME or
 * MONOTONIC), computed once per call as FreeBSD's umtx_abs_timeout does. */
struct umtx_deadline {
	int set;
	int lclock;
	struct ftimespec ts;
};
/* From a FreeBSD clock id, ABSTIME flag and timespec: 0, -EINVAL. */
long umtx_deadline_init(struct umtx_deadline *d, int fclock, int absolute,
			const struct ftimespec *ts);
/* From the uaddr1-size convention (timespec, or struct _umtx_time when
 * uaddr1 > 16); uaddr2 NULL means no deadline. *abs_out = UMTX_ABSTIME given. */
long umtx_deadline_arg(struct umtx_deadline *d, const void *uaddr1, const void *uaddr2,
		       int *abs_out);
/* Time left until d (0 if past). */
void umtx_deadline_left(const struct umtx_deadline *d, struct ftimespec *left);

#define UMTX_BITS_ALL 0xffffffffu
/* Sleeps while *w == val: 0 woken, -EAGAIN value differed, -ETIMEDOUT,
 * -EINTR (a guest signal), other -errno. */
long umtx_fwait(volatile uint32_t *w, uint32_t val, uint32_t bits, int shared,
		const struct umtx_deadline *d);
/* Number of sleepers on w while *w == val (a snapshot), or -EAGAIN. */
int umtx_fcount(volatile uint32_t *w, uint32_t val, int shared);
/* Wakes up to n sleepers whose bits intersect; returns how many woke. */
int umtx_fwake(volatile uint32_t *w, int n, uint32_t bits, int shared);
/* Makes the trapped syscall run again after the pending guest signal's
 * handler, whatever SA_RESTART says (FreeBSD's ERESTART). */
long umtx_restart(struct sysctx *c);
uint32_t umtx_tid(const struct gthread *t);
/* Reads guest memory without faulting: 0, or -EFAULT. */
long umtx_peek(uint64_t addr, void *dst, uint64_t len);

/* ---- Per object kind ---- */

/* umtx_mutex.c: ops 4-7, 17, 18, 22. */
long umtx_mutex_op(struct sysctx *c, struct umutex *m, int op, uint64_t val, void *u1,
		   void *u2);
/* Releases m owned by FreeBSD thread id; rb marks the owner dead (robust
 * exit). 0, -EPERM, -EINVAL. Used by CV_WAIT and the robust-list walk. */
long umtx_mutex_unlock(struct umutex *m, uint32_t id, int rb);
/* umtx_cond.c: ops 8-10. */
long umtx_cv_op(struct sysctx *c, struct ucond *cv, int op, uint64_t val, void *u1,
		void *u2);
/* umtx_rwlock.c: ops 12-14. */
long umtx_rw_op(struct sysctx *c, struct urwlock *rw, int op, uint64_t val, void *u1,
		void *u2);
/* umtx_sem.c: ops 19, 20, 23, 24. */
long umtx_sem_op(struct sysctx *c, void *sem, int op, uint64_t val, void *u1, void *u2);
/* umtx_shm.c: op 25. */
long umtx_shm_op(struct sysctx *c, uint64_t flags, void *key);
/* Whether fd is one of the descriptors the SHM registry keeps for itself
 * (the guest must not see, close or dup2 over them). */
int umtx_shm_fd_reserved(int fd);
/* umtx_robust.c: op 26 and the thread/process exit walks. */
long umtx_robust_op(struct sysctx *c, uint64_t size, const void *params);
/* Marks the robust mutexes t still owns UMUTEX_RB_OWNERDEAD and wakes a
 * waiter of each (FreeBSD umtx_thread_exit). Call from thr_exit, in the
 * exiting thread, before its record is retired. */
void umtx_robust_thread_exit(struct gthread *t);
/* The same for every thread still registered (exit(), execve()). */
void umtx_robust_process_exit(void);
/* In a fork child: forget the robust lists of the parent's other threads
 * (they do not exist here; FreeBSD copies only the forking thread's). */
void umtx_fork_child(struct gthread *self);
