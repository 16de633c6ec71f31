/* FreeBSD amd64 ABI types and constants the translator needs everywhere.
 * Layouts from shared/freebsd-abi/structs.md; area-specific types live in
 * the area's own header. Names carry an F/f prefix to stay apart from the
 * Linux UAPI headers. */
#pragma once
#include <stdint.h>

/* errno (sys/sys/errno.h) */
#define FE_PERM 1
#define FE_NOENT 2
#define FE_SRCH 3
#define FE_INTR 4
#define FE_IO 5
#define FE_BADF 9
#define FE_CHILD 10
#define FE_DEADLK 11
#define FE_NOMEM 12
#define FE_ACCES 13
#define FE_FAULT 14
#define FE_EXIST 17
#define FE_NOTDIR 20
#define FE_ISDIR 21
#define FE_INVAL 22
#define FE_MFILE 24
#define FE_NOTTY 25
#define FE_NOSPC 28
#define FE_SPIPE 29
#define FE_PIPE 32
#define FE_RANGE 34
#define FE_AGAIN 35
#define FE_INPROGRESS 36
#define FE_NOTSOCK 38
#define FE_NOPROTOOPT 42
#define FE_OPNOTSUPP 45
#define FE_AFNOSUPPORT 47
#define FE_TIMEDOUT 60
#define FE_NAMETOOLONG 63
#define FE_NOSYS 78
#define FE_OVERFLOW 84

/* A handler returns >= 0, or -linux_errno, or FERR(freebsd_errno) for the
 * FreeBSD-only values that have no Linux counterpart. */
#define FERR_BASE 1000L
#define FERR(e) (-(FERR_BASE + (e)))

/* Signals (sys/sys/signal.h) */
#define FSIG_MAXSIG 128
#define FSIGHUP 1
#define FSIGINT 2
#define FSIGQUIT 3
#define FSIGILL 4
#define FSIGTRAP 5
#define FSIGABRT 6
#define FSIGEMT 7
#define FSIGFPE 8
#define FSIGKILL 9
#define FSIGBUS 10
#define FSIGSEGV 11
#define FSIGSYS 12
#define FSIGPIPE 13
#define FSIGALRM 14
#define FSIGTERM 15
#define FSIGURG 16
#define FSIGSTOP 17
#define FSIGTSTP 18
#define FSIGCONT 19
#define FSIGCHLD 20
#define FSIGTTIN 21
#define FSIGTTOU 22
#define FSIGIO 23
#define FSIGWINCH 28
#define FSIGINFO 29
#define FSIGUSR1 30
#define FSIGUSR2 31
#define FSIGTHR 32
#define FSIGLIBRT 33
#define FSIGRTMIN 65
#define FSIGRTMAX 126

typedef struct {
	uint32_t bits[4];
} fsigset_t;

static inline int fsig_ismember(const fsigset_t *s, int sig)
{
	return (s->bits[(sig - 1) >> 5] >> ((sig - 1) & 31)) & 1;
}
static inline void fsig_add(fsigset_t *s, int sig)
{
	s->bits[(sig - 1) >> 5] |= 1U << ((sig - 1) & 31);
}
static inline void fsig_del(fsigset_t *s, int sig)
{
	s->bits[(sig - 1) >> 5] &= ~(1U << ((sig - 1) & 31));
}
static inline int fsig_isempty(const fsigset_t *s)
{
	return !(s->bits[0] | s->bits[1] | s->bits[2] | s->bits[3]);
}

#define FSIG_BLOCK 1
#define FSIG_UNBLOCK 2
#define FSIG_SETMASK 3

#define FSA_ONSTACK 0x1
#define FSA_RESTART 0x2
#define FSA_RESETHAND 0x4
#define FSA_NOCLDSTOP 0x8
#define FSA_NODEFER 0x10
#define FSA_NOCLDWAIT 0x20
#define FSA_SIGINFO 0x40

#define FSS_ONSTACK 1
#define FSS_DISABLE 4
#define FMINSIGSTKSZ 2048

#define FSI_USER 0x10001
#define FSI_QUEUE 0x10002
#define FSI_TIMER 0x10003
#define FSI_ASYNCIO 0x10004
#define FSI_MESGQ 0x10005
#define FSI_KERNEL 0x10006
#define FSI_LWP 0x10007

struct fsigaction {
	uint64_t handler; /* SIG_DFL 0, SIG_IGN 1 */
	int32_t flags;
	fsigset_t mask;
} __attribute__((packed, aligned(8)));
_Static_assert(sizeof(struct fsigaction) == 32, "fsigaction");

struct fstack {
	uint64_t ss_sp;
	uint64_t ss_size;
	int32_t ss_flags;
	int32_t pad;
};
_Static_assert(sizeof(struct fstack) == 24, "fstack");

struct fsiginfo {
	int32_t si_signo, si_errno, si_code, si_pid;
	uint32_t si_uid;
	int32_t si_status;
	uint64_t si_addr;
	uint64_t si_value;
	union {
		int32_t trapno;
		struct { int32_t timerid, overrun; } timer;
		int64_t band;
		int32_t spare[10];
	} reason;
};
_Static_assert(sizeof(struct fsiginfo) == 80, "fsiginfo");

struct fmcontext {
	uint64_t mc_onstack, mc_rdi, mc_rsi, mc_rdx, mc_rcx, mc_r8, mc_r9, mc_rax, mc_rbx,
		mc_rbp, mc_r10, mc_r11, mc_r12, mc_r13, mc_r14, mc_r15;
	uint32_t mc_trapno;
	uint16_t mc_fs, mc_gs;
	uint64_t mc_addr;
	uint32_t mc_flags;
	uint16_t mc_es, mc_ds;
	uint64_t mc_err, mc_rip, mc_cs, mc_rflags, mc_rsp, mc_ss;
	int64_t mc_len, mc_fpformat, mc_ownedfp;
	uint8_t mc_fpstate[512] __attribute__((aligned(16)));
	uint64_t mc_fsbase, mc_gsbase, mc_xfpustate, mc_xfpustate_len;
	int64_t mc_spare[4];
} __attribute__((aligned(16)));
_Static_assert(sizeof(struct fmcontext) == 800, "fmcontext");

#define F_MC_HASSEGS 0x1
#define F_MC_HASBASES 0x2
#define F_MC_HASFPXSTATE 0x4
#define F_MC_FPFMT_XMM 0x10002
#define F_MC_FPOWNED_FPU 0x20001

struct fucontext {
	fsigset_t uc_sigmask;
	struct fmcontext uc_mcontext;
	uint64_t uc_link;
	struct fstack uc_stack;
	int32_t uc_flags;
	int32_t spare[4];
} __attribute__((aligned(16)));
_Static_assert(sizeof(struct fucontext) == 880, "fucontext");

struct fsigframe {
	uint64_t sf_ahu;
	uint64_t pad;
	struct fucontext sf_uc;
	struct fsiginfo sf_si;
};
_Static_assert(sizeof(struct fsigframe) == 976, "fsigframe");
_Static_assert(__builtin_offsetof(struct fsigframe, sf_uc) == 16, "sf_uc");
_Static_assert(__builtin_offsetof(struct fsigframe, sf_si) == 896, "sf_si");

struct ftimespec {
	int64_t tv_sec, tv_nsec;
};
struct ftimeval {
	int64_t tv_sec, tv_usec;
};

/* Release the translator reports (kern.osrelease etc.); BSDULATOR_OSRELEASE
 * overrides at start-up. */
extern char fbsd_osrelease[32];
extern int fbsd_osreldate;
