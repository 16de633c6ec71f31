/* The Linux x86-64 kernel's signal structures, as the kernel (not glibc)
 * lays them out: what our host signal handlers receive and what
 * rt_sigreturn consumes. */
#pragma once
#include <stdint.h>
#include <asm/sigcontext.h>

typedef struct {
	uint64_t sig[1];
} lsigset_t;

struct lstack {
	void *ss_sp;
	int ss_flags;
	int pad;
	uint64_t ss_size;
};

struct lucontext {
	uint64_t uc_flags;
	struct lucontext *uc_link;
	struct lstack uc_stack;
	struct sigcontext uc_mcontext; /* rip, rsp, eflags, fpstate pointer ... */
	lsigset_t uc_sigmask;
};

/* Kernel siginfo: 128 bytes, a union after the first three ints. */
struct lsiginfo {
	int si_signo, si_errno, si_code, pad0;
	union {
		struct { int pid; unsigned uid; } kill;
		struct { int tid, overrun; uint64_t value; } timer;
		struct { int pid; unsigned uid; uint64_t value; } rt;
		struct { int pid; unsigned uid; int status; int pad; long utime, stime; } chld;
		struct { uint64_t addr; short addr_lsb; } fault;
		struct { long band; int fd; } poll;
		struct { uint64_t call_addr; int syscall; unsigned arch; } sys;
		char pad[112];
	} u;
};

struct lsigaction {
	void *handler;
	unsigned long flags;
	void *restorer;
	lsigset_t mask;
};

#define L_SA_SIGINFO 0x4UL
#define L_SA_ONSTACK 0x08000000UL
#define L_SA_RESTART 0x10000000UL
#define L_SA_NODEFER 0x40000000UL
#define L_SA_RESTORER 0x04000000UL
#define L_SS_DISABLE 2
