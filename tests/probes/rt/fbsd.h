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
	SYS_recvmsg = 27, SYS_sendmsg = 28, SYS_recvfrom = 29, SYS_accept = 30,
	SYS_getpeername = 31, SYS_dup = 41, SYS_setitimer = 83, SYS_dup2 = 90, SYS_fcntl = 92,
	SYS_select = 93, SYS_setsockopt = 105, SYS_listen = 106, SYS_gettimeofday = 116,
	SYS_getsockopt = 118, SYS_sendto = 133, SYS_shutdown = 134, SYS_socketpair = 135,
	SYS___sysctl = 202, SYS_poll = 209, SYS_clock_getres = 234,
	SYS_clock_nanosleep = 244, SYS_kqueue = 362, SYS_freebsd11_kevent = 363,
	SYS_accept4 = 541, SYS_ppoll = 545, SYS_kevent = 560, SYS___sysctlbyname = 570,
};

/* constants.md: errno */
enum {
	EPERM = 1, ENOENT = 2, EINTR = 4, EBADF = 9, ECHILD = 10, ENOMEM = 12, EFAULT = 14,
	EEXIST = 17, ENOTDIR = 20, EINVAL = 22, ESPIPE = 29, EAGAIN = 35,
	ECONNREFUSED = 61, ENOTEMPTY = 66, ENOSYS = 78,
	EINPROGRESS = 36, ENOTCONN = 57,
};

/* constants.md: open/fcntl/at/mmap/socket/sockopt/MSG/wait/clock */
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
#define O_CLOEXEC 0x100000
#define F_GETFD 1
#define F_GETFL 3
#define FD_CLOEXEC 1
#define MAP_SHARED 0x1
#define AF_UNIX 1
#define AF_INET6 28
#define SOCK_DGRAM 2
#define SOCK_CLOEXEC 0x10000000
#define SOCK_NONBLOCK 0x20000000
#define SHUT_RD 0
#define SHUT_WR 1
#define SOL_SOCKET 0xffff
#define SO_REUSEADDR 0x4
#define SO_SNDBUF 0x1001
#define SO_RCVBUF 0x1002
#define SO_ERROR 0x1007
#define SO_TYPE 0x1008
#define IPPROTO_TCP 6
#define IPPROTO_IPV6 41
#define TCP_NODELAY 1
#define IPV6_V6ONLY 27
#define SCM_RIGHTS 1
#define MSG_PEEK 0x2
#define MSG_TRUNC 0x10
#define MSG_CTRUNC 0x20
#define MSG_DONTWAIT 0x80
#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 4
#define TIMER_ABSTIME 1
#define ITIMER_REAL 0
/* constants.md "poll(2) events" */
#define POLLIN 0x1
#define POLLPRI 0x2
#define POLLOUT 0x4
#define POLLERR 0x8
#define POLLHUP 0x10
#define POLLNVAL 0x20
#define POLLRDNORM 0x40
#define POLLWRNORM 0x4
/* constants.md "kqueue/kevent filters and flags" */
#define EVFILT_READ (-1)
#define EVFILT_WRITE (-2)
#define EVFILT_PROC (-5)
#define EVFILT_SIGNAL (-6)
#define EVFILT_TIMER (-7)
#define EVFILT_USER (-11)
#define EV_ADD 0x1
#define EV_DELETE 0x2
#define EV_ENABLE 0x4
#define EV_DISABLE 0x8
#define EV_ONESHOT 0x10
#define EV_CLEAR 0x20
#define EV_RECEIPT 0x40
#define EV_ERROR 0x4000
#define EV_EOF 0x8000
#define NOTE_FFOR 0x80000000u
#define NOTE_FFLAGSMASK 0xffffffu
#define NOTE_TRIGGER 0x1000000u
#define NOTE_EXIT 0x80000000u
#define NOTE_USECONDS 0x4
/* constants.md "sysctl top-level and well-known MIB numbers" */
#define CTL_SYSCTL 0
#define CTL_KERN 1
#define CTL_HW 6
#define CTL_SYSCTL_NAME2OID 3
#define CTL_MAXNAME 24
#define KERN_OSTYPE 1
#define KERN_OSRELEASE 2
#define KERN_PROC 14
#define KERN_OSRELDATE 24
#define KERN_PS_STRINGS 32
#define KERN_USRSTACK 33
#define KERN_ARND 37
#define KERN_PROC_PATHNAME 12
#define HW_NCPU 3
#define HW_PAGESIZE 7

/* constants.md: signals, sigaction flags, si_code values */
enum {
	SIGINT = 2, SIGTRAP = 5, SIGABRT = 6, SIGFPE = 8, SIGKILL = 9, SIGSEGV = 11,
	SIGSYS = 12, SIGPIPE = 13, SIGALRM = 14, SIGTERM = 15, SIGCHLD = 20, SIGSTOP = 17, SIGCONT = 19, SIGUSR1 = 30,
	SIGUSR2 = 31, SIGRTMIN = 65, SIGILL = 4,
};
#define SIG_DFL ((void *)0)
#define SIG_IGN ((void *)1)
#define SIG_BLOCK 1
#define SIG_UNBLOCK 2
#define SIG_SETMASK 3
#define SA_ONSTACK 0x1
#define SA_RESTART 0x2
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
struct fbsd_timeval { long tv_sec, tv_usec; };        /* structs.md §2 */
struct fbsd_itimerval { struct fbsd_timeval it_interval, it_value; };

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

struct fbsd_sockaddr_in6 { /* structs.md §4, 28 bytes */
	u8 sin6_len, sin6_family;
	u16 sin6_port;
	u32 sin6_flowinfo;
	u8 sin6_addr[16];
	u32 sin6_scope_id;
};

struct fbsd_sockaddr_un { /* structs.md §4, 106 bytes, sun_path 104 */
	u8 sun_len, sun_family;
	char sun_path[104];
};

struct fbsd_iovec { void *iov_base; u64 iov_len; };

struct fbsd_msghdr { /* structs.md §4, 48 bytes: iovlen int, controllen 4 bytes */
	void *msg_name;
	u32 msg_namelen;
	struct fbsd_iovec *msg_iov;
	int msg_iovlen;
	void *msg_control;
	u32 msg_controllen;
	int msg_flags;
};

struct fbsd_cmsghdr { u32 cmsg_len; int cmsg_level, cmsg_type; }; /* 12 bytes, data at +16 */
#define FBSD_CMSG_DATA_OFF 16

struct fbsd_pollfd { int fd; short events, revents; };

struct fbsd_kevent { /* structs.md §4 struct kevent (560), 64 bytes */
	u64 ident;
	short filter;
	u16 flags;
	u32 fflags;
	long data;
	void *udata;
	u64 ext[4];
};

struct fbsd_kevent11 { /* structs.md §4 struct kevent_freebsd11 (363), 32 bytes */
	u64 ident;
	short filter;
	u16 flags;
	u32 fflags;
	long data;
	void *udata;
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
_Static_assert(sizeof(struct fbsd_sockaddr_in6) == 28 && OFF(struct fbsd_sockaddr_in6, sin6_addr) == 8,
	"sockaddr_in6");
_Static_assert(sizeof(struct fbsd_sockaddr_un) == 106, "sockaddr_un");
_Static_assert(sizeof(struct fbsd_msghdr) == 48 && OFF(struct fbsd_msghdr, msg_iov) == 16 &&
	OFF(struct fbsd_msghdr, msg_iovlen) == 24 && OFF(struct fbsd_msghdr, msg_control) == 32 &&
	OFF(struct fbsd_msghdr, msg_controllen) == 40 && OFF(struct fbsd_msghdr, msg_flags) == 44, "msghdr");
_Static_assert(sizeof(struct fbsd_cmsghdr) == 12, "cmsghdr");
_Static_assert(sizeof(struct fbsd_pollfd) == 8, "pollfd");
_Static_assert(sizeof(struct fbsd_kevent) == 64 && OFF(struct fbsd_kevent, filter) == 8 &&
	OFF(struct fbsd_kevent, flags) == 10 && OFF(struct fbsd_kevent, fflags) == 12 &&
	OFF(struct fbsd_kevent, data) == 16 && OFF(struct fbsd_kevent, udata) == 24 &&
	OFF(struct fbsd_kevent, ext) == 32, "kevent");
_Static_assert(sizeof(struct fbsd_kevent11) == 32 && OFF(struct fbsd_kevent11, udata) == 24, "kevent11");
_Static_assert(sizeof(struct fbsd_itimerval) == 32, "itimerval");

#endif
