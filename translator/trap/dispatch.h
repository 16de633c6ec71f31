/* System call dispatch: the context every handler receives. */
#pragma once
#include <stdint.h>
#include "thread.h"

struct sysctx {
	uint64_t a[8];          /* arguments, after the syscall/__syscall shift */
	struct lucontext *uc;   /* the trapped guest's registers; handlers may edit */
	struct gthread *t;
	uint64_t rdx;           /* second return value; starts as the guest's %rdx */
	int nr;                 /* FreeBSD syscall number */
	int justreturn;         /* registers already set (sigreturn, execve...) */
	int norestart;          /* EINTR is never turned into a restart */
};

typedef long (*sys_fn)(struct sysctx *);
struct sysent {
	const char *name;
	const char *args;
	sys_fn fn;
};

#define SYSTABLE_SIZE 640
extern const struct sysent systable[SYSTABLE_SIZE];

/* Integer arguments use only the low 32 bits (syscalls.md "Argument width"). */
#define ARG_INT(c, i) ((int)(uint32_t)(c)->a[i])
#define ARG_PTR(c, i) ((void *)(c)->a[i])

void sigsys_handler(int sig, struct lsiginfo *si, struct lucontext *uc);
/* Number of ENOSYS returns per syscall number, for diagnostics. */
extern unsigned enosys_count[SYSTABLE_SIZE];
