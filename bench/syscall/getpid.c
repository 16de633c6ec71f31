/* getpid loop: N raw getpid syscalls timed with CLOCK_MONOTONIC; prints
 * "N ELAPSED_NS". Built twice from this one file: for FreeBSD (tests/probes
 * runtime, no libc; run under bsdulator) and for Linux (cc; run natively),
 * so both sides execute the same loop and differ only in syscall numbers.
 * usage: getpid [N]   (default 1000000) */
#ifdef __FreeBSD__
#include "probe.h"
#define NR_GETPID 20 /* syscalls.md */
static long now_ns(void)
{
	struct fbsd_timespec ts;
	SYS(SYS_clock_gettime, CLOCK_MONOTONIC, &ts); /* 232, CLOCK_MONOTONIC = 4 */
	return ts.tv_sec * 1000000000L + ts.tv_nsec;
}
static void print2(long a, long b)
{
	char buf[48], *p = buf + sizeof buf;
	*--p = '\n';
	for (int i = 0; i < 2; i++, b = a) {
		if (i)
			*--p = ' ';
		do
			*--p = (char)('0' + b % 10);
		while (b /= 10);
	}
	SYS(SYS_write, 1, p, buf + sizeof buf - p);
}
#define atol rt_atol
#else
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#define NR_GETPID 39 /* Linux x86-64 */
static long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000L + ts.tv_nsec;
}
static void print2(long a, long b)
{
	printf("%ld %ld\n", a, b);
}
#endif

int main(int argc, char **argv, char **envp)
{
	long n = argc > 1 ? atol(argv[1]) : 1000000, t0, t1;

	t0 = now_ns();
	for (long i = 0; i < n; i++) {
		long rax = NR_GETPID;
		__asm__ volatile("syscall" : "+a"(rax) : : "rcx", "r11", "rdx", "r8", "r9", "r10", "memory", "cc");
	}
	t1 = now_ns();
	print2(n, t1 - t0);
	return 0;
}
