/* Probe runtime: raw FreeBSD syscalls, TAP-like checks, tiny string helpers.
 * No libc: the probes must exercise the translator, not a C library.
 *
 * A probe defines main(argc, argv, envp) and returns rt_done(); rt/start.S
 * provides _start and the FreeBSD ABI note. */
#ifndef PROBE_H
#define PROBE_H
#include "fbsd.h"

/* Result of one syscall in the FreeBSD convention (syscalls.md §1): on error
 * CF=1 and val is the positive errno; on success CF=0, val=rax, rdx=2nd value. */
typedef struct {
	long val;
	long rdx;
	int cf;
} sysret;

/* The carry flag is preset before `syscall` (clc, or stc when stc_first) so a
 * test can tell "the translator set/cleared CF" from "CF happened to be so".
 * r8-r10 and rdi/rsi are treated as clobbered (syscalls.md: r8-r10 UNVERIFIED). */
static inline __attribute__((always_inline)) sysret
rt_sys(int stc_first, long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	long rax = n, rdx = a3, rdi = a1, rsi = a2;
	unsigned char cf;
	if (stc_first)
		__asm__ volatile("stc\n\tsyscall\n\tsetc %[cf]"
			: "+a"(rax), "+d"(rdx), "+D"(rdi), "+S"(rsi), "+r"(r10), "+r"(r8),
			  "+r"(r9), [cf] "=qm"(cf) : : "rcx", "r11", "memory", "cc");
	else
		__asm__ volatile("clc\n\tsyscall\n\tsetc %[cf]"
			: "+a"(rax), "+d"(rdx), "+D"(rdi), "+S"(rsi), "+r"(r10), "+r"(r8),
			  "+r"(r9), [cf] "=qm"(cf) : : "rcx", "r11", "memory", "cc");
	return (sysret){rax, rdx, cf};
}

/* SYS(nr, args...) pads missing arguments with 0. SYS_STC presets CF=1. */
#define RT_SYS_(s, n, a, b, c, d, e, f, ...) \
	rt_sys(s, (long)(n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))
#define SYS(...) RT_SYS_(0, __VA_ARGS__, 0, 0, 0, 0, 0, 0)
#define SYS_STC(...) RT_SYS_(1, __VA_ARGS__, 0, 0, 0, 0, 0, 0)

__attribute__((noreturn)) void rt_exit(int code);

/* Checks print "ok - NAME" or "not ok - NAME: got X want Y" and count failures. */
int rt_check_eq(const char *name, long got, long want);
int rt_check_ok(const char *name, sysret r);           /* CF=0 */
int rt_check_err(const char *name, sysret r, long e);  /* CF=1 and rax=e */
int rt_check_mem(const char *name, const void *got, const void *want, unsigned long n);
#define CHECK_EQ(name, got, want) rt_check_eq(name, (long)(got), (long)(want))
#define CHECK(name, cond) rt_check_eq(name, !!(cond), 1)
#define CHECK_OK(name, r) rt_check_ok(name, r)
#define CHECK_ERR(name, r, e) rt_check_err(name, r, e)
/* Prints the closing "# done: N checks, M failed" line; returns the exit status. */
int rt_done(void);
void rt_note(const char *msg); /* "# msg" */
void rt_note_num(const char *msg, long v); /* "# msg v" */
/* "PREFIX NAME" in one of 4 rotating buffers, for checks run in variants. */
const char *rt_tag(const char *prefix, const char *name);

/* Defines NAME, an assembly signal-handler entry that passes the %rsp it was
 * entered with as a 5th argument and tail-jumps to FN, declared as
 * void FN(int sig, fbsd_siginfo *si, fbsd_ucontext *uc, void *addr, u64 rsp).
 * (FreeBSD passes rdi=sig, rsi=siginfo or si_code, rdx=ucontext, rcx=fault addr;
 * signals.md §2.) */
#define RT_SIG_ENTRY(name, fn)                                              \
	__asm__(".text\n.globl " #name "\n.type " #name ",@function\n" #name  \
		":\n\tmov %rsp, %r8\n\tjmp " #fn "\n");                       \
	void name(void)

/* Startup facts recorded by _start (startup.md §2). */
extern u64 rt_entry_rsp, rt_entry_rdi;
extern char **rt_envp;
extern u64 *rt_auxv;

/* Small process/time helpers shared by the probes. */
long rt_now_ns(int clock);          /* clock_gettime as nanoseconds (-errno on failure) */
long rt_ms_since(long t0_ns);       /* CLOCK_MONOTONIC milliseconds since rt_now_ns(4) = t0_ns */
void rt_sleep_ms(long ms);          /* nanosleep, resumed after signals */
int rt_signal(int sig, void *handler, int flags); /* sigaction, empty mask; 0 or errno */
long rt_fork(void);                 /* 0 in the child, pid in the parent, -errno */
long rt_wait(long pid);             /* wait4(pid, 0): the status word, or -errno */
int rt_aux(long type, u64 *val);    /* 1 and *val if the auxv has TYPE, else 0 */
void rt_close2(const int fd[2]);    /* closes both ends of a pipe or socketpair */

/* Strings and memory (the compiler may also call memcpy/memset itself). */
unsigned long rt_strlen(const char *s);
int rt_streq(const char *a, const char *b);
int rt_ends_with(const char *s, const char *suffix);
long rt_atol(const char *s); /* decimal, or hex with 0x */
char *rt_join(char *buf, const char *dir, const char *name); /* "dir/name" */
void *memcpy(void *d, const void *s, unsigned long n);
void *memset(void *d, int c, unsigned long n);
int memcmp(const void *a, const void *b, unsigned long n);

#endif
