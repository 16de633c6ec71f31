/* Process-wide facts the loader establishes and syscalls report. */
#pragma once
#include <stdint.h>

struct process {
	int exe_fd;                  /* the translator binary, for execve */
	int proc_fd;                 /* the host /proc (kern.proc), open across --root */
	char execpath[1024];         /* guest path of the running program */
	uint64_t usrstack;           /* top of the main stack */
	uint64_t stacklim;
	uint64_t ps_strings;
	uint64_t auxv;               /* guest auxv, for kern.proc.auxv */
	uint64_t auxv_len;
	uint64_t brk_start, brk_cur; /* break(2) area */
	int trace_me;                /* PT_TRACE_ME, applied at execve */
};
extern struct process proc;

/* Replaces the process image with `path` (already resolved inside the
 * guest root). FreeBSD ELFs and #! scripts run under a fresh translator;
 * Linux ELFs run natively. Returns -errno only on failure. */
long exec_program(const char *path, char *const argv[], char *const envp[]);
/* Starts the guest in the current (fresh) translator; never returns. */
_Noreturn void start_guest(const char *path, char *const argv[], char *const envp[]);
