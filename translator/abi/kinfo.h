/* FreeBSD amd64 struct kinfo_proc (sys/sys/user.h, KINFO_PROC_SIZE 1088)
 * and the pure conversion from Linux /proc/PID facts (abi/kinfo.c).
 *
 * The layout is the one shared by FreeBSD 10 through 15: the only field
 * that moved is the controlling tty, a 32-bit dev_t at 100 until FreeBSD 11
 * (ki_tdev_freebsd11 since 12) and a 64-bit ki_tdev at 560 since 12 (inside
 * FreeBSD 10's ki_spareints, so filling both is harmless). */
#pragma once
#include <stddef.h>
#include <stdint.h>

#define KI_SIZE 1088

struct kinfo_timeval {
	int64_t tv_sec, tv_usec;
};
struct kinfo_rusage { /* struct rusage, 144 bytes */
	struct kinfo_timeval ru_utime, ru_stime;
	int64_t ru_long[14]; /* maxrss ... nivcsw */
};

struct kinfo_proc {
	int32_t ki_structsize;
	int32_t ki_layout;
	uint64_t ki_ptrs[8];       /* args paddr addr tracep textvp fd vmspace wchan */
	int32_t ki_pid, ki_ppid, ki_pgid, ki_tpgid, ki_sid, ki_tsid;
	int16_t ki_jobc, ki_spare_short1;
	uint32_t ki_tdev_freebsd11;
	uint32_t ki_siglist[4], ki_sigmask[4], ki_sigignore[4], ki_sigcatch[4];
	uint32_t ki_uid, ki_ruid, ki_svuid, ki_rgid, ki_svgid;
	int16_t ki_ngroups, ki_spare_short2;
	uint32_t ki_groups[16];
	uint64_t ki_size;          /* bytes */
	int64_t ki_rssize, ki_swrss, ki_tsize, ki_dsize, ki_ssize; /* pages */
	uint16_t ki_xstat, ki_acflag;
	uint32_t ki_pctcpu;        /* fixpt_t, FSCALE 2048 */
	uint32_t ki_estcpu, ki_slptime, ki_swtime, ki_cow;
	uint64_t ki_runtime;       /* microseconds */
	struct kinfo_timeval ki_start, ki_childtime;
	int64_t ki_flag, ki_kiflag;
	int32_t ki_traceflag;
	char ki_stat;
	int8_t ki_nice;
	char ki_lock, ki_rqindex;
	uint8_t ki_oncpu_old, ki_lastcpu_old;
	char ki_tdname[17];
	char ki_wmesg[9];
	char ki_login[18];
	char ki_lockname[9];
	char ki_comm[20];
	char ki_emul[17];
	char ki_loginclass[18];
	char ki_moretdname[4];
	char ki_sparestrings[46];
	int32_t ki_spareints[2];
	uint64_t ki_tdev;
	int32_t ki_oncpu, ki_lastcpu, ki_tracer, ki_flag2, ki_fibnum;
	uint32_t ki_cr_flags;
	int32_t ki_jid, ki_numthreads, ki_tid;
	uint8_t ki_pri[4];         /* class level native user */
	struct kinfo_rusage ki_rusage, ki_rusage_ch;
	uint64_t ki_pcb, ki_kstack, ki_udata, ki_tdaddr, ki_pd;
	uint64_t ki_spareptrs[5];
	int64_t ki_sparelongs[12];
	int64_t ki_sflag, ki_tdflags;
};

_Static_assert(sizeof(struct kinfo_proc) == KI_SIZE, "kinfo_proc size");
_Static_assert(offsetof(struct kinfo_proc, ki_pid) == 72, "ki_pid");
_Static_assert(offsetof(struct kinfo_proc, ki_ppid) == 76, "ki_ppid");
_Static_assert(offsetof(struct kinfo_proc, ki_pgid) == 80, "ki_pgid");
_Static_assert(offsetof(struct kinfo_proc, ki_tpgid) == 84, "ki_tpgid");
_Static_assert(offsetof(struct kinfo_proc, ki_sid) == 88, "ki_sid");
_Static_assert(offsetof(struct kinfo_proc, ki_tdev_freebsd11) == 100, "ki_tdev11");
_Static_assert(offsetof(struct kinfo_proc, ki_uid) == 168, "ki_uid");
_Static_assert(offsetof(struct kinfo_proc, ki_svgid) == 184, "ki_svgid");
_Static_assert(offsetof(struct kinfo_proc, ki_ngroups) == 188, "ki_ngroups");
_Static_assert(offsetof(struct kinfo_proc, ki_groups) == 192, "ki_groups");
_Static_assert(offsetof(struct kinfo_proc, ki_size) == 256, "ki_size");
_Static_assert(offsetof(struct kinfo_proc, ki_rssize) == 264, "ki_rssize");
_Static_assert(offsetof(struct kinfo_proc, ki_pctcpu) == 308, "ki_pctcpu");
_Static_assert(offsetof(struct kinfo_proc, ki_runtime) == 328, "ki_runtime");
_Static_assert(offsetof(struct kinfo_proc, ki_start) == 336, "ki_start");
_Static_assert(offsetof(struct kinfo_proc, ki_flag) == 368, "ki_flag");
_Static_assert(offsetof(struct kinfo_proc, ki_stat) == 388, "ki_stat");
_Static_assert(offsetof(struct kinfo_proc, ki_nice) == 389, "ki_nice");
_Static_assert(offsetof(struct kinfo_proc, ki_tdname) == 394, "ki_tdname");
_Static_assert(offsetof(struct kinfo_proc, ki_wmesg) == 411, "ki_wmesg");
_Static_assert(offsetof(struct kinfo_proc, ki_login) == 420, "ki_login");
_Static_assert(offsetof(struct kinfo_proc, ki_comm) == 447, "ki_comm");
_Static_assert(offsetof(struct kinfo_proc, ki_emul) == 467, "ki_emul");
_Static_assert(offsetof(struct kinfo_proc, ki_sparestrings) == 506, "ki_sparestrings");
_Static_assert(offsetof(struct kinfo_proc, ki_tdev) == 560, "ki_tdev");
_Static_assert(offsetof(struct kinfo_proc, ki_flag2) == 580, "ki_flag2");
_Static_assert(offsetof(struct kinfo_proc, ki_jid) == 592, "ki_jid");
_Static_assert(offsetof(struct kinfo_proc, ki_numthreads) == 596, "ki_numthreads");
_Static_assert(offsetof(struct kinfo_proc, ki_tid) == 600, "ki_tid");
_Static_assert(offsetof(struct kinfo_proc, ki_pri) == 604, "ki_pri");
_Static_assert(offsetof(struct kinfo_proc, ki_rusage) == 608, "ki_rusage");
_Static_assert(offsetof(struct kinfo_proc, ki_rusage_ch) == 752, "ki_rusage_ch");
_Static_assert(offsetof(struct kinfo_proc, ki_pcb) == 896, "ki_pcb");
_Static_assert(offsetof(struct kinfo_proc, ki_sflag) == 1072, "ki_sflag");
_Static_assert(offsetof(struct kinfo_proc, ki_tdflags) == 1080, "ki_tdflags");

/* ki_stat */
#define KI_SIDL 1
#define KI_SRUN 2
#define KI_SSLEEP 3
#define KI_SSTOP 4
#define KI_SZOMB 5
/* ki_flag, ki_kiflag, ki_tdflags */
#define KI_P_CONTROLT 0x2
#define KI_P_SYSTEM 0x200
#define KI_P_INMEM 0x10000000
#define KI_CTTY 0x1
#define KI_SLEADER 0x2
#define KI_TDF_SINTR 0x8
#define KI_NODEV ((uint64_t)-1)
#define KI_FSCALE 2048

/* What Linux tells about one process (/proc/PID/{stat,status,cmdline}). */
struct lproc {
	int pid, ppid, pgid, sid, tty_nr, tpgid;
	char state;
	char comm[20];          /* stat's comm, or the FreeBSD program's basename */
	unsigned long kflags;   /* stat field 9 (PF_KTHREAD 0x200000) */
	unsigned long utime, stime, cutime, cstime; /* clock ticks */
	long nice, num_threads;
	unsigned long long starttime; /* ticks after boot */
	unsigned long vsize;    /* bytes */
	long rss;               /* pages */
	unsigned uid[3], gid[3]; /* real, effective, saved */
	int ngroups;
	unsigned groups[16];
	int translated;         /* runs under bsdulator: a FreeBSD program */
};

/* Clock facts for the conversion. */
struct kinfo_clock {
	long hz;                /* USER_HZ, the unit of /proc/PID/stat times */
	int64_t boot_sec, boot_usec; /* wall-clock time of boot */
	unsigned long long uptime_ticks;
};

/* Parses /proc/PID/stat; 0 or -1 when malformed. */
int kinfo_parse_stat(const char *s, size_t n, struct lproc *p);
/* Parses the Uid:, Gid: and Groups: lines of /proc/PID/status. */
void kinfo_parse_status(const char *s, size_t n, struct lproc *p);
/* A bsdulator process's /proc/PID/cmdline ("bsdulator [--root R]
 * [--exe-fd N] [--argv0 A] [--] PROGRAM ARGS...", argv[0] named
 * bsdulator): rewrites s (*n bytes) in place into the FreeBSD program's
 * NUL-separated argv (A or PROGRAM, ARGS...), copies PROGRAM into prog and
 * returns 1. Returns 0 and changes nothing for any other cmdline. */
int kinfo_guest_cmdline(char *s, size_t *n, char *prog, size_t progsz);
/* Fills k from p. */
void kinfo_fill(struct kinfo_proc *k, const struct lproc *p, const struct kinfo_clock *c);
/* Linux wait channel (/proc/PID/task/TID/wchan) -> FreeBSD wmesg: the
 * name FreeBSD gives the same sleep, "" when running or hidden. */
void kinfo_wmesg(char *out, size_t size, const char *wchan);
/* ki_wmesg and ki_wchan (ki_ptrs[7]) of k from its Linux wait channel,
 * for a sleeping k (ki_stat set); cleared otherwise. */
void kinfo_set_wait(struct kinfo_proc *k, const char *wchan);
/* One thread's row (KERN_PROC_INC_THREAD, FreeBSD fill_kinfo_thread):
 * k, its process's row, gets the thread's id, state, times, name and wait
 * channel. t: the thread's /proc/PID/task/TID/stat. */
void kinfo_fill_thread(struct kinfo_proc *k, const struct lproc *t, const struct kinfo_clock *c,
		       const char *tdname, const char *wchan);
/* Linux tty_nr -> FreeBSD dev_t (NODEV when none). */
uint64_t kinfo_tdev(int tty_nr);
