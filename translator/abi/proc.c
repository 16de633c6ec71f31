/* Processes: fork family, execve, wait family, procctl. */
#include "../trap/dispatch.h"
#include "../trap/signals.h"
#include "../rt/rt.h"
#include "../loader/process.h"
#include "xlate.h"
#include "wait.h"
#include "umtx.h"
#include "jail.h"
#include <asm-generic/errno.h>
#include <linux/sched.h>
#include <linux/prctl.h>
#include <linux/wait.h>

void thread_list_reset_after_fork(struct gthread *t);

/* Clones the process; in the child the calling thread is the only one, and
 * the per-thread settings fork does not copy (SUD) are set again. */
static long do_fork(struct sysctx *c, unsigned long flags, int *pidfd)
{
	rt_heap_prefork();
	rt_lock(&gsigact_lock);
	long r = jail_clone(flags | 17 /* SIGCHLD */, pidfd);
	int child = r == 0;
	if (child) {
		rt_pid = (int)lsys0(__NR_getpid);
		gsigact_lock.v = 0;
		thread_attach(c->t);
		thread_list_reset_after_fork(c->t);
		umtx_fork_child(c->t);
	} else {
		rt_unlock(&gsigact_lock);
	}
	rt_heap_postfork(child);
	if (lerr(r))
		return r;
	c->rdx = child; /* FreeBSD: rdx = 1 in the child, 0 in the parent */
	return r;
}

long sys_fork(struct sysctx *c)
{
	return do_fork(c, 0, NULL);
}

/* vfork shares memory until exec on FreeBSD; a copy behaves the same for
 * every program that follows the vfork rules. */
long sys_vfork(struct sysctx *c)
{
	return do_fork(c, 0, NULL);
}

#define RFFDG 0x4
#define RFPROC 0x10
#define RFNOWAIT 0x40
#define RFCFDG 0x1000
#define RFSPAWN 0x80000000U
#define RFPROCDESC 0x10000000

long sys_rfork(struct sysctx *c)
{
	uint32_t f = (uint32_t)c->a[0];
	if (f & RFSPAWN)
		return do_fork(c, 0, NULL);
	if (!(f & RFPROC))
		return (f & ~(RFFDG | RFCFDG)) ? -EINVAL : 0;
	if (f & ~(RFPROC | RFFDG | RFNOWAIT | 0x20000 /* RFSTOPPED */ | 0x40000 /* RFHIGHPID */))
		return -EINVAL;
	return do_fork(c, 0, NULL);
}

long sys_pdfork(struct sysctx *c)
{
	int *fdp = ARG_PTR(c, 0);
	int pidfd = -1;
	long r = do_fork(c, CLONE_PIDFD, &pidfd);
	if (r > 0 && fdp)
		*fdp = pidfd;
	return r;
}

long sys_execve(struct sysctx *c)
{
	const char *path = ARG_PTR(c, 0);
	/* Execve keeps the signal mask: hand the new image the guest's. */
	uint64_t m = sigset_f2l(&c->t->sigmask), all = HANDLER_MASK;
	umtx_robust_process_exit(); /* this image's robust mutexes end with it */
	lsys4(__NR_rt_sigprocmask, 2, &m, 0, 8);
	long r = exec_program(path, ARG_PTR(c, 1), ARG_PTR(c, 2));
	lsys4(__NR_rt_sigprocmask, 2, &all, 0, 8);
	return r;
}

long sys_wait4(struct sysctx *c)
{
	int *status = ARG_PTR(c, 1);
	int lopt = wait_options_f2l(ARG_INT(c, 2));
	if (lopt < 0)
		return -EINVAL;
	int st = 0;
	long r = bsys(__NR_wait4, ARG_INT(c, 0), &st, lopt, c->a[3], 0, 0);
	if (r > 0 && status)
		*status = wait_status_l2f(st);
	return r;
}

/* wait6(idtype, id, status, options, wrusage, info) on waitid(2). */
long sys_wait6(struct sysctx *c)
{
	int idtype = wait_idtype_f2l(ARG_INT(c, 0));
	int lopt = wait_options_f2l(ARG_INT(c, 3));
	if (idtype < 0 || lopt < 0)
		return -EINVAL;
	int *status = ARG_PTR(c, 2);
	char *wru = ARG_PTR(c, 4);
	struct fsiginfo *info = ARG_PTR(c, 5);
	struct lsiginfo si;
	memset(&si, 0, sizeof si);
	char ru[144];
	memset(ru, 0, sizeof ru);
	long r = bsys(__NR_waitid, idtype, c->a[1], &si, lopt, ru, 0);
	if (lerr(r))
		return r;
	if (si.u.chld.pid == 0)
		return 0; /* WNOHANG and nothing to report */
	if (status)
		*status = wait_status_from_siginfo(si.si_code, si.u.chld.status);
	if (wru) {
		memcpy(wru, ru, 144);
		memset(wru + 144, 0, 144);
	}
	if (info)
		siginfo_l2f(&si, info, FSIGCHLD, NULL);
	return si.u.chld.pid;
}

#define PROC_REAP_ACQUIRE 2
#define PROC_REAP_RELEASE 3
#define PROC_TRACE_CTL 7
#define PROC_TRACE_STATUS 8
#define PROC_TRAPCAP_CTL 9
#define PROC_TRAPCAP_STATUS 10
#define PROC_PDEATHSIG_CTL 11
#define PROC_PDEATHSIG_STATUS 12
#define PROC_ASLR_CTL 13
#define PROC_ASLR_STATUS 14
#define PROC_NO_NEW_PRIVS_CTL 19
#define PROC_NO_NEW_PRIVS_STATUS 20

long sys_procctl(struct sysctx *c)
{
	int idtype = ARG_INT(c, 0), cmd = ARG_INT(c, 2);
	long id = (long)c->a[1];
	int *data = ARG_PTR(c, 3);
	long self = lsys0(__NR_getpid);
	if (idtype != 0 /* P_PID */ || (id != 0 && id != self))
		return -EINVAL;
	switch (cmd) {
	case PROC_PDEATHSIG_CTL: {
		int l = data[0] ? sig_f2l(data[0]) : 0;
		if (data[0] && !l)
			return -EINVAL;
		return lsys2(__NR_prctl, PR_SET_PDEATHSIG, l);
	}
	case PROC_PDEATHSIG_STATUS: {
		int l = 0;
		long r = lsys2(__NR_prctl, PR_GET_PDEATHSIG, &l);
		if (!lerr(r))
			data[0] = l ? sig_l2f(l) : 0;
		return r;
	}
	case PROC_REAP_ACQUIRE:
		return lsys2(__NR_prctl, PR_SET_CHILD_SUBREAPER, 1);
	case PROC_REAP_RELEASE:
		return lsys2(__NR_prctl, PR_SET_CHILD_SUBREAPER, 0);
	case PROC_TRACE_CTL:
	case PROC_TRAPCAP_CTL:
	case PROC_ASLR_CTL:
		return 0;
	case PROC_TRACE_STATUS:
		data[0] = 0; /* tracing allowed, not traced */
		return 0;
	case PROC_TRAPCAP_STATUS:
		data[0] = 2; /* PROC_TRAPCAP_CTL_DISABLE */
		return 0;
	case PROC_ASLR_STATUS:
		data[0] = 1 | 0x80000000; /* ASLR_FORCE_ENABLE | ASLR_ACTIVE */
		return 0;
	case PROC_NO_NEW_PRIVS_CTL:
		return data[0] == 1 ? lsys5(__NR_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) : -EINVAL;
	case PROC_NO_NEW_PRIVS_STATUS: {
		long r = lsys5(__NR_prctl, PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
		if (lerr(r))
			return r;
		data[0] = r ? 1 : 2;
		return 0;
	}
	}
	return -EINVAL;
}

static char login_name[33];

long sys_getlogin(struct sysctx *c)
{
	size_t n = (uint32_t)c->a[1];
	if (n > sizeof login_name)
		n = sizeof login_name;
	if (strlen(login_name) + 1 > n)
		return -ERANGE;
	rt_strlcpy(ARG_PTR(c, 0), login_name, n);
	return 0;
}

long sys_setlogin(struct sysctx *c)
{
	const char *name = ARG_PTR(c, 0);
	if (strnlen(name, sizeof login_name) >= sizeof login_name)
		return -EINVAL;
	rt_strlcpy(login_name, name, sizeof login_name);
	return 0;
}

/* ptrace(2): only PT_TRACE_ME (0), which a child calls before execve so its
 * parent may trace the new program. It takes effect at execve: traced now,
 * every trapped syscall (a SIGSYS) would stop the child. Tracing FreeBSD
 * programs through the translator is not supported. */
long sys_ptrace(struct sysctx *c)
{
	if (ARG_INT(c, 0) != 0)
		return -EPERM;
	proc.trace_me = 1;
	return 0;
}
