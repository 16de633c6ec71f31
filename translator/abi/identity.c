/* Process identity, limits and other small process-wide calls. */
#include "../trap/dispatch.h"
#include "../rt/rt.h"
#include "../loader/process.h"
#include "xlate.h"
#include "umtx.h"
#include "fs.h"
#include <asm-generic/errno.h>
#include <asm/prctl.h>
#include <linux/resource.h>

/* With BSDULATOR_DEBUG, say which unimplemented calls the program made. */
static void report_enosys(void)
{
	for (int i = 0; i < SYSTABLE_SIZE; i++)
		if (enosys_count[i])
			rt_dprintf(2, "bsdulator[debug]: unimplemented syscall %d (%s) called %u times\n", i,
				   systable[i].name ? systable[i].name : "unknown", enosys_count[i]);
}

long sys_exit(struct sysctx *c)
{
	if (rt_debug)
		report_enosys();
	umtx_robust_process_exit();
	rt_exit_group(ARG_INT(c, 0));
}

long sys_getpid(struct sysctx *c)
{
	(void)c;
	return lsys0(__NR_getpid);
}

long sys_getppid(struct sysctx *c) { (void)c; return lsys0(__NR_getppid); }
long sys_getuid(struct sysctx *c) { (void)c; return lsys0(__NR_getuid); }
long sys_geteuid(struct sysctx *c) { (void)c; return lsys0(__NR_geteuid); }
long sys_getgid(struct sysctx *c) { (void)c; return lsys0(__NR_getgid); }
long sys_getegid(struct sysctx *c) { (void)c; return lsys0(__NR_getegid); }
long sys_setuid(struct sysctx *c) { return lsys1(__NR_setuid, ARG_INT(c, 0)); }
long sys_setgid(struct sysctx *c) { return lsys1(__NR_setgid, ARG_INT(c, 0)); }
long sys_seteuid(struct sysctx *c) { return lsys3(__NR_setresuid, -1, ARG_INT(c, 0), -1); }
long sys_setegid(struct sysctx *c) { return lsys3(__NR_setresgid, -1, ARG_INT(c, 0), -1); }
long sys_setreuid(struct sysctx *c) { return lsys2(__NR_setreuid, ARG_INT(c, 0), ARG_INT(c, 1)); }
long sys_setregid(struct sysctx *c) { return lsys2(__NR_setregid, ARG_INT(c, 0), ARG_INT(c, 1)); }
long sys_setresuid(struct sysctx *c)
{
	return lsys3(__NR_setresuid, ARG_INT(c, 0), ARG_INT(c, 1), ARG_INT(c, 2));
}
long sys_setresgid(struct sysctx *c)
{
	return lsys3(__NR_setresgid, ARG_INT(c, 0), ARG_INT(c, 1), ARG_INT(c, 2));
}
long sys_getresuid(struct sysctx *c) { return lsys3(__NR_getresuid, c->a[0], c->a[1], c->a[2]); }
long sys_getresgid(struct sysctx *c) { return lsys3(__NR_getresgid, c->a[0], c->a[1], c->a[2]); }
/* FreeBSD 15 (595/596) and Linux: the supplementary groups only. */
long sys_getgroups(struct sysctx *c) { return lsys2(__NR_getgroups, ARG_INT(c, 0), c->a[1]); }
long sys_setgroups(struct sysctx *c) { return lsys2(__NR_setgroups, ARG_INT(c, 0), c->a[1]); }

/* FreeBSD 14 and older (79/80, compat14 in 15): the list starts with the
 * effective gid, cr_groups[0] (kern_prot.c). */
#define FBSD14_NGROUPS 1024 /* kern.ngroups 1023 + the egid */
long sys_freebsd14_getgroups(struct sysctx *c)
{
	unsigned int g[FBSD14_NGROUPS];
	long n = lsys2(__NR_getgroups, FBSD14_NGROUPS - 1, g + 1);
	if (lerr(n))
		return n;
	g[0] = (unsigned int)lsys0(__NR_getegid);
	n++;
	unsigned int size = (unsigned int)c->a[0];
	if (size == 0)
		return n;
	if (size < n)
		return -EINVAL;
	UADDR_GUARD((void *)c->a[1], n * sizeof g[0]);
	memcpy((void *)c->a[1], g, n * sizeof g[0]);
	return n;
}

long sys_freebsd14_setgroups(struct sysctx *c)
{
	unsigned int n = (unsigned int)c->a[0];
	const unsigned int *g = (const unsigned int *)c->a[1];
	if (n > FBSD14_NGROUPS)
		return -EINVAL;
	/* setgroups(0, NULL) keeps the egid and drops the rest. */
	if (n == 0)
		return lsys2(__NR_setgroups, 0, 0);
	UADDR_GUARD(g, n * sizeof g[0]);
	long r = lsys2(__NR_setgroups, n - 1, g + 1);
	return lerr(r) ? r : lsys3(__NR_setresgid, -1, g[0], -1);
}
long sys_issetugid(struct sysctx *c) { (void)c; return 0; }
long sys_umask(struct sysctx *c) { return lsys1(__NR_umask, ARG_INT(c, 0) & 0777); }
long sys_getpgrp(struct sysctx *c) { (void)c; return lsys1(__NR_getpgid, 0); }
long sys_getpgid(struct sysctx *c) { return lsys1(__NR_getpgid, ARG_INT(c, 0)); }
long sys_setpgid(struct sysctx *c) { return lsys2(__NR_setpgid, ARG_INT(c, 0), ARG_INT(c, 1)); }
long sys_getsid(struct sysctx *c) { return lsys1(__NR_getsid, ARG_INT(c, 0)); }
long sys_setsid(struct sysctx *c) { (void)c; return lsys0(__NR_setsid); }

long sys_getdtablesize(struct sysctx *c)
{
	(void)c;
	struct rlimit rl;
	long r = lsys2(__NR_getrlimit, RLIMIT_NOFILE, &rl);
	return lerr(r) ? r : (long)(rl.rlim_cur > 0x7fffffff ? 0x7fffffff : rl.rlim_cur);
}

/* kern_getrandom: flags beyond NONBLOCK 1|RANDOM 2|INSECURE 4 are EINVAL;
 * RANDOM changes nothing and INSECURE means NONBLOCK (Linux would refuse
 * RANDOM|INSECURE). */
long sys_getrandom(struct sysctx *c)
{
	unsigned f = (unsigned)c->a[2];
	if (f & ~7u)
		return -EINVAL;
	unsigned lf = f & 4 ? 4 : f & 1;
	long r = bsys(__NR_getrandom, c->a[0], c->a[1], lf, 0, 0, 0);
	if (r == -EINVAL && lf == 4) /* Linux before 5.6 has no GRND_INSECURE */
		r = bsys(__NR_getrandom, c->a[0], c->a[1], 1, 0, 0, 0);
	return r;
}

/* RLIMIT_* (constants.md): FreeBSD -> Linux, -1 for FreeBSD-only ones. */
static int rlimit_f2l(int r)
{
	static const signed char map[] = { 0, 1, 2, 3, 4, 5, 8, 6, 7, -1, 9, -1, -1, -1, -1, -1 };
	return r >= 0 && r < (int)sizeof map ? map[r] : -2;
}

#define F_RLIM_INFINITY 0x7fffffffffffffffUL

long sys_getrlimit(struct sysctx *c)
{
	int l = rlimit_f2l(ARG_INT(c, 0));
	uint64_t *out = ARG_PTR(c, 1);
	if (l == -2)
		return -EINVAL;
	if (l == -1) {
		out[0] = out[1] = F_RLIM_INFINITY;
		return 0;
	}
	struct rlimit rl;
	long r = lsys2(__NR_getrlimit, l, &rl);
	if (lerr(r))
		return r;
	out[0] = rl.rlim_cur > F_RLIM_INFINITY ? F_RLIM_INFINITY : rl.rlim_cur;
	out[1] = rl.rlim_max > F_RLIM_INFINITY ? F_RLIM_INFINITY : rl.rlim_max;
	return 0;
}

long sys_setrlimit(struct sysctx *c)
{
	int l = rlimit_f2l(ARG_INT(c, 0));
	const uint64_t *in = ARG_PTR(c, 1);
	if (l == -2)
		return -EINVAL;
	if (l == -1)
		return 0;
	struct rlimit rl = { in[0] >= F_RLIM_INFINITY ? ~0UL : in[0],
			     in[1] >= F_RLIM_INFINITY ? ~0UL : in[1] };
	return lsys2(__NR_setrlimit, l, &rl);
}

/* struct rusage has the same layout on both systems. */
long sys_getrusage(struct sysctx *c)
{
	return lsys2(__NR_getrusage, ARG_INT(c, 0), c->a[1]);
}

long sys_getpriority(struct sysctx *c)
{
	long r = lsys2(__NR_getpriority, ARG_INT(c, 0), ARG_INT(c, 1));
	if (lerr(r))
		return r;
	/* The kernel returns 20 - nice; FreeBSD returns nice itself, which may
	 * be negative, so write the result directly. */
	c->uc->uc_mcontext.rax = (uint64_t)(long)(20 - r);
	c->uc->uc_mcontext.eflags &= ~1UL;
	c->justreturn = 1;
	return 0;
}

long sys_setpriority(struct sysctx *c)
{
	return lsys3(__NR_setpriority, ARG_INT(c, 0), ARG_INT(c, 1), ARG_INT(c, 2));
}

/* sysarch(2): the guest owns the FS base; GS is the translator's, so the
 * guest's GS base is kept virtually. */
long sys_sysarch(struct sysctx *c)
{
	uint64_t *parms = ARG_PTR(c, 1);
	switch (ARG_INT(c, 0)) {
	case 128: /* AMD64_GET_FSBASE */
		return lsys2(__NR_arch_prctl, ARCH_GET_FS, parms);
	case 129: /* AMD64_SET_FSBASE */
		if (parms[0] >= 0x800000000000UL)
			return -EINVAL;
		return lsys2(__NR_arch_prctl, ARCH_SET_FS, parms[0]);
	case 130:
		parms[0] = (uint64_t)c->t->guest_gsbase;
		return 0;
	case 131:
		c->t->guest_gsbase = (long)parms[0];
		return 0;
	case 135: /* AMD64_GET_TLSBASE (15.x): ESRCH makes libthr use the FS base */
		return -ESRCH;
	}
	return -EINVAL;
}
