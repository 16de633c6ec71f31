/* Raw Linux system calls for the freestanding translator (no libc). */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <asm/unistd.h>

static inline long lsys6(long n, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

#define lsys0(n) lsys6((n), 0, 0, 0, 0, 0, 0)
#define lsys1(n, a) lsys6((n), (long)(a), 0, 0, 0, 0, 0)
#define lsys2(n, a, b) lsys6((n), (long)(a), (long)(b), 0, 0, 0, 0)
#define lsys3(n, a, b, c) lsys6((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define lsys4(n, a, b, c, d) lsys6((n), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define lsys5(n, a, b, c, d, e) lsys6((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)
#define lsys6l(n, a, b, c, d, e, f) \
	lsys6((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

/* A Linux result in [-4095, -1] is -errno. */
static inline int lerr(long r) { return r < 0 && r > -4096; }

/* Blocking host syscall that a guest signal may interrupt (trap/blocking.c):
 * the guest's signal mask is in force for its duration, and it returns
 * -EINTR if a guest signal became pending before the call started, so no
 * wake-up is ever lost. */
long blocking_call(long n, long a, long b, long c, long d, long e, long f);
#define bsys(n, a, b, c, d, e, f) \
	blocking_call((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))
