/* FreeBSD amd64 ABI values and layouts used by the probes.
 * Written from the shared freebsd-abi notes on purpose, NOT shared with the
 * translator's own headers: a probe must not inherit the translator's mistakes.
 * Every layout is pinned with _Static_assert against the offsets in structs.md. */
#ifndef PROBE_FBSD_H
#define PROBE_FBSD_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long u64;

/* syscalls.md §2 */
enum {
	SYS_syscall = 0, SYS_exit = 1, SYS_fork = 2, SYS_read = 3, SYS_write = 4,
	SYS_open = 5, SYS_close = 6, SYS_wait4 = 7, SYS_unlink = 10, SYS_chdir = 12,
	SYS_getpid = 20, SYS_getuid = 24, SYS_getsockname = 32, SYS_kill = 37,
	SYS_getppid = 39, SYS_sigaltstack = 53, SYS_munmap = 73, SYS_socket = 97,
	SYS_connect = 98, SYS_bind = 104, SYS_mkdir = 136, SYS_rmdir = 137,
	SYS_freebsd11_stat = 188, SYS_freebsd11_fstat = 189, SYS_freebsd11_lstat = 190,
	SYS___syscall = 198, SYS_clock_gettime = 232, SYS_nanosleep = 240,
	SYS_sigprocmask = 340, SYS_sigaction = 416, SYS_pread = 475, SYS_mmap = 477,
	SYS_lseek = 478, SYS_pipe2 = 542, SYS_fstat = 551, SYS_fstatat = 552,
};

/* constants.md: errno */
enum {
	EPERM = 1, ENOENT = 2, EBADF = 9, ECHILD = 10, ENOMEM = 12, EFAULT = 14,
	EEXIST = 17, ENOTDIR = 20, EINVAL = 22, ESPIPE = 29, EAGAIN = 35,
	ECONNREFUSED = 61, ENOTEMPTY = 66, ENOSYS = 78,
};

/* constants.md: open/fcntl/at/mmap/socket/wait/clock */
#define O_RDONLY 0x0
#define O_WRONLY 0x1
#define O_RDWR 0x2
#define O_NONBLOCK 0x4
#define O_CREAT 0x200
#define O_TRUNC 0x400
#define O_EXCL 0x800
#define O_DIRECTORY 0x20000
#define AT_FDCWD (-100)
#define AT_SYMLINK_NOFOLLOW 0x200
#define SEEK_SET 0
#define SEEK_CUR 1
#define PROT_READ 0x1
#define PROT_WRITE 0x2
#define MAP_PRIVATE 0x2
#define MAP_ANON 0x1000
#define AF_INET 2
#define SOCK_STREAM 1
#define WNOHANG 0x1
#define WUNTRACED 0x2
#define WCONTINUED 0x4
#define CLOCK_MONOTONIC 4

/* constants.md: signals, sigaction flags, si_code values */
enum {
	SIGINT = 2, SIGTRAP = 5, SIGABRT = 6, SIGFPE = 8, SIGKILL = 9, SIGSEGV = 11,
	SIGSYS = 12, SIGTERM = 15, SIGSTOP = 17, SIGCONT = 19, SIGUSR1 = 30,
	SIGUSR2 = 31, SIGRTMIN = 65, SIGILL = 4,
};
#define SIG_DFL ((void *)0)
#define SIG_IGN ((void *)1)
#define SIG_BLOCK 1
#define SIG_UNBLOCK 2
#define SIG_SETMASK 3
#define SA_ONSTACK 0x1
#define SA_RESETHAND 0x4
#define SA_SIGINFO 0x40
#define SS_ONSTACK 0x1
#define SS_DISABLE 0x4
#define SI_USER 0x10001
#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define FPE_INTDIV 2 /* Linux uses 1 */
#define ILL_PRVOPC 5
#define TRAP_BRKPT 1
/* signals.md §5: FreeBSD T_* trap codes (not hardware vectors) */
#define T_PRIVINFLT 1
#define T_BPTFLT 3
#define T_PAGEFLT 12
#define T_DIVIDE 18

/* structs.md §3 sigset_t: signal n is bit (n-1)&31 of word (n-1)>>5 */
typedef struct { u32 bits[4]; } fbsd_sigset;
#define SIGSET_ADD(s, n) ((s).bits[((n) - 1) >> 5] |= 1u << (((n) - 1) & 31))

struct fbsd_sigaction { /* structs.md §3, 32 bytes, no restorer */
	void *handler;
	int flags;
	fbsd_sigset mask;
};

typedef struct { /* structs.md §3 stack_t, 24 bytes */
	void *ss_sp;
	u64 ss_size;
	int ss_flags;
} fbsd_stack;

typedef struct { /* structs.md §3 siginfo_t, 80 bytes */
	int si_signo, si_errno, si_code, si_pid;
	u32 si_uid;
	int si_status;
	void *si_addr;
	u64 si_value;
	int si_trapno; /* _reason._fault._trapno */
	int reason_pad[9];
} fbsd_siginfo;

typedef struct { /* structs.md §3 mcontext_t, 800 bytes */
	long mc_onstack, mc_rdi, mc_rsi, mc_rdx, mc_rcx, mc_r8, mc_r9, mc_rax, mc_rbx,
		mc_rbp, mc_r10, mc_r11, mc_r12, mc_r13, mc_r14, mc_r15;
	u32 mc_trapno;
	u16 mc_fs, mc_gs;
	long mc_addr;
	u32 mc_flags;
	u16 mc_es, mc_ds;
	long mc_err, mc_rip, mc_cs, mc_rflags, mc_rsp, mc_ss, mc_len, mc_fpformat, mc_ownedfp;
	u8 mc_fpstate[512] __attribute__((aligned(16))); /* FXSAVE image */
	long mc_fsbase, mc_gsbase, mc_xfpustate, mc_xfpustate_len, mc_spare[4];
} fbsd_mcontext;

typedef struct { /* structs.md §3 ucontext_t, 880 bytes */
	fbsd_sigset uc_sigmask;
	fbsd_mcontext uc_mcontext;
	void *uc_link;
	fbsd_stack uc_stack;
	int uc_flags;
	int spare[4];
} fbsd_ucontext;

struct fbsd_timespec { long tv_sec, tv_nsec; };

struct fbsd_stat { /* structs.md §1, ino64, 224 bytes */
	u64 st_dev, st_ino, st_nlink;
	u16 st_mode;
	short st_bsdflags;
	u32 st_uid, st_gid;
	int st_padding1;
	u64 st_rdev;
	struct fbsd_timespec st_atim, st_mtim, st_ctim, st_birthtim;
	long st_size, st_blocks;
	u32 st_blksize, st_flags;
	u64 st_gen, st_filerev, st_spare[9];
};

struct fbsd11_stat { /* structs.md §1 struct freebsd11_stat, 120 bytes */
	u32 st_dev, st_ino;
	u16 st_mode, st_nlink;
	u32 st_uid, st_gid, st_rdev;
	struct fbsd_timespec st_atim, st_mtim, st_ctim;
	long st_size, st_blocks;
	u32 st_blksize, st_flags, st_gen;
	int st_lspare;
	struct fbsd_timespec st_birthtim;
};

struct fbsd_sockaddr_in { /* structs.md §4: sin_len byte first */
	u8 sin_len, sin_family;
	u16 sin_port;
	u32 sin_addr;
	char sin_zero[8];
};

#define OFF(t, f) __builtin_offsetof(t, f)
_Static_assert(sizeof(struct fbsd_sigaction) == 32 && OFF(struct fbsd_sigaction, flags) == 8 &&
	OFF(struct fbsd_sigaction, mask) == 12, "sigaction");
_Static_assert(sizeof(fbsd_stack) == 24 && OFF(fbsd_stack, ss_flags) == 16, "stack_t");
_Static_assert(sizeof(fbsd_siginfo) == 80 && OFF(fbsd_siginfo, si_addr) == 24 &&
	OFF(fbsd_siginfo, si_trapno) == 40, "siginfo");
_Static_assert(sizeof(fbsd_mcontext) == 800 && OFF(fbsd_mcontext, mc_trapno) == 128 &&
	OFF(fbsd_mcontext, mc_addr) == 136 && OFF(fbsd_mcontext, mc_err) == 152 &&
	OFF(fbsd_mcontext, mc_rip) == 160 && OFF(fbsd_mcontext, mc_rsp) == 184 &&
	OFF(fbsd_mcontext, mc_len) == 200 && OFF(fbsd_mcontext, mc_fpstate) == 224 &&
	OFF(fbsd_mcontext, mc_fsbase) == 736, "mcontext");
_Static_assert(sizeof(fbsd_ucontext) == 880 && OFF(fbsd_ucontext, uc_mcontext) == 16 &&
	OFF(fbsd_ucontext, uc_stack) == 824 && OFF(fbsd_ucontext, uc_flags) == 848, "ucontext");
_Static_assert(sizeof(struct fbsd_stat) == 224 && OFF(struct fbsd_stat, st_nlink) == 16 &&
	OFF(struct fbsd_stat, st_mode) == 24 && OFF(struct fbsd_stat, st_uid) == 28 &&
	OFF(struct fbsd_stat, st_mtim) == 64 && OFF(struct fbsd_stat, st_size) == 112 &&
	OFF(struct fbsd_stat, st_blocks) == 120 && OFF(struct fbsd_stat, st_blksize) == 128 &&
	OFF(struct fbsd_stat, st_spare) == 152, "stat");
_Static_assert(sizeof(struct fbsd11_stat) == 120 && OFF(struct fbsd11_stat, st_mode) == 8 &&
	OFF(struct fbsd11_stat, st_nlink) == 10 && OFF(struct fbsd11_stat, st_mtim) == 40 &&
	OFF(struct fbsd11_stat, st_size) == 72 && OFF(struct fbsd11_stat, st_blksize) == 88 &&
	OFF(struct fbsd11_stat, st_birthtim) == 104, "freebsd11_stat");
_Static_assert(sizeof(struct fbsd_sockaddr_in) == 16, "sockaddr_in");

#endif
