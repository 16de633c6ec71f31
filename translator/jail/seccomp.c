/* The jail's seccomp filter: an allow-list, the last step before exec (the
 * jail, not the translator, is the security boundary). Allowed: every
 * Linux syscall bsdulator issues (build/gen/seccomp_allow.h, generated from
 * translator/ by seccomp_gen.sh) and the usual calls of Linux programs,
 * which bsdulator runs natively. Refused with EPERM: the rest, and what
 * Docker's default profile refuses unless the jail holds the capability;
 * ENOSYS for numbers newer than we know (a libc then falls back) and for
 * clone3 (its flags are in memory, out of a filter's reach). Another
 * architecture or the x32 ABI kills the process. */
#include "jail_int.h"
#include "seccomp_allow.h"
#include <errno.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x80
#endif
#define X32_SYSCALL_BIT 0x40000000u
/* clone's low byte is the exit signal: CLONE_NEWTIME only for unshare */
#define NS_CLONE (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | \
		  CLONE_NEWCGROUP)

static const int bsdulator_calls[] = { SECCOMP_BSDULATOR_SYSCALLS };

/* Linux programs in a jail (bsdulator execs a Linux ELF as it is): what
 * glibc, musl and Go's runtime use besides the translator's set. */
static const int native_calls[] = {
	__NR_brk, __NR_access, __NR_open, __NR_creat, __NR_stat, __NR_lstat, __NR_newfstatat, __NR_readlink,
	__NR_getdents, __NR_mkdir, __NR_rmdir, __NR_unlink, __NR_rename, __NR_link, __NR_symlink, __NR_chmod,
	__NR_chown, __NR_lchown, __NR_utime, __NR_utimes, __NR_futimesat, __NR_mknod, __NR_pipe, __NR_dup2,
	__NR_select, __NR_poll, __NR_epoll_create, __NR_epoll_pwait, __NR_preadv2, __NR_pwritev2, __NR_alarm,
	__NR_pause, __NR_getpgrp, __NR_fork, __NR_vfork, __NR_time, __NR_mremap, __NR_restart_syscall,
	__NR_rt_tgsigqueueinfo, __NR_tkill, __NR_signalfd, __NR_signalfd4, __NR_eventfd, __NR_timerfd_gettime,
	__NR_timer_create, __NR_timer_settime, __NR_timer_gettime, __NR_timer_getoverrun, __NR_timer_delete,
	__NR_inotify_init, __NR_set_robust_list, __NR_get_robust_list, __NR_rseq, __NR_prlimit64,
	__NR_sched_setattr, __NR_sched_getattr, __NR_sched_get_priority_max, __NR_sched_get_priority_min,
	__NR_times, __NR_capget, __NR_capset, __NR_setfsuid, __NR_setfsgid, __NR_getxattr, __NR_lgetxattr,
	__NR_fgetxattr, __NR_setxattr, __NR_lsetxattr, __NR_fsetxattr, __NR_listxattr, __NR_llistxattr,
	__NR_flistxattr, __NR_removexattr, __NR_lremovexattr, __NR_fremovexattr, __NR_accept, __NR_sendmmsg,
	__NR_recvmmsg, __NR_tee, __NR_splice, __NR_vmsplice, __NR_sync_file_range, __NR_syncfs, __NR_readahead,
	__NR_mlock2, __NR_membarrier, __NR_pkey_alloc, __NR_pkey_free, __NR_pkey_mprotect, __NR_ioprio_get,
	__NR_ioprio_set, __NR_futex_waitv, __NR_seccomp, __NR_get_mempolicy, __NR_set_mempolicy, __NR_mbind,
	__NR_mq_open, __NR_mq_unlink, __NR_mq_timedsend, __NR_mq_timedreceive, __NR_mq_notify,
	__NR_mq_getsetattr, __NR_shmget, __NR_shmat, __NR_shmdt, __NR_shmctl, __NR_semget, __NR_semop,
	__NR_semtimedop, __NR_semctl, __NR_msgget, __NR_msgsnd, __NR_msgrcv, __NR_msgctl,
	__NR_landlock_create_ruleset, __NR_landlock_add_rule, __NR_landlock_restrict_self, __NR_exit,
	__NR_getpgid, __NR_fstatfs, __NR_vhangup,
};

/* Docker's default profile: refused unless the jail has the capability
 * (cap_add). Checked before the allow-lists: bsdulator issues some of
 * these (ptrace for PT_TRACE_ME, clock_settime, settimeofday), which then
 * fail with EPERM as the kernel would without the capability. */
static const struct gated {
	int nr, cap;
} gated_calls[] = {
	{ __NR_ptrace, CAP_SYS_PTRACE },
	{ __NR_clock_settime, CAP_SYS_TIME }, { __NR_settimeofday, CAP_SYS_TIME },
	{ __NR_adjtimex, CAP_SYS_TIME }, { __NR_clock_adjtime, CAP_SYS_TIME },
	{ __NR_reboot, CAP_SYS_BOOT }, { __NR_kexec_load, CAP_SYS_BOOT }, { __NR_kexec_file_load, CAP_SYS_BOOT },
	{ __NR_init_module, CAP_SYS_MODULE }, { __NR_finit_module, CAP_SYS_MODULE },
	{ __NR_delete_module, CAP_SYS_MODULE },
	{ __NR_mount, CAP_SYS_ADMIN }, { __NR_umount2, CAP_SYS_ADMIN }, { __NR_pivot_root, CAP_SYS_ADMIN },
	{ __NR_move_mount, CAP_SYS_ADMIN }, { __NR_fsopen, CAP_SYS_ADMIN }, { __NR_fsconfig, CAP_SYS_ADMIN },
	{ __NR_fsmount, CAP_SYS_ADMIN }, { __NR_fspick, CAP_SYS_ADMIN }, { __NR_open_tree, CAP_SYS_ADMIN },
	{ __NR_mount_setattr, CAP_SYS_ADMIN }, { __NR_setns, CAP_SYS_ADMIN }, { __NR_swapon, CAP_SYS_ADMIN },
	{ __NR_swapoff, CAP_SYS_ADMIN }, { __NR_quotactl, CAP_SYS_ADMIN }, { __NR_bpf, CAP_SYS_ADMIN },
	{ __NR_perf_event_open, CAP_SYS_ADMIN }, { __NR_fanotify_init, CAP_SYS_ADMIN },
	{ __NR_lookup_dcookie, CAP_SYS_ADMIN }, { __NR_syslog, CAP_SYS_ADMIN },
	{ __NR_open_by_handle_at, CAP_DAC_READ_SEARCH }, { __NR_name_to_handle_at, CAP_DAC_READ_SEARCH },
	{ __NR_acct, CAP_SYS_PACCT }, { __NR_iopl, CAP_SYS_RAWIO }, { __NR_ioperm, CAP_SYS_RAWIO },
};

struct prog {
	struct sock_filter f[1024];
	unsigned short n;
};

static void put(struct prog *p, unsigned short code, unsigned char jt, unsigned char jf, uint32_t k)
{
	if (p->n < sizeof p->f / sizeof p->f[0])
		p->f[p->n] = (struct sock_filter)BPF_JUMP(code, k, jt, jf);
	p->n++;
}

/* if (nr == n) return action */
static void on_nr(struct prog *p, int nr, uint32_t action)
{
	put(p, BPF_JMP | BPF_JEQ | BPF_K, 0, 1, (uint32_t)nr);
	put(p, BPF_RET | BPF_K, 0, 0, action);
}

/* if (nr == n) return (low 32 bits of args[0] & bad) ? EPERM : ALLOW */
static void on_flags(struct prog *p, int nr, uint32_t bad)
{
	put(p, BPF_JMP | BPF_JEQ | BPF_K, 0, 4, (uint32_t)nr);
	put(p, BPF_LD | BPF_W | BPF_ABS, 0, 0, offsetof(struct seccomp_data, args[0]));
	put(p, BPF_JMP | BPF_JSET | BPF_K, 0, 1, bad);
	put(p, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ERRNO | EPERM);
	put(p, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ALLOW);
}

/* The effective capabilities we hold now (the jail's, after security_apply). */
static uint64_t effective_caps(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	if (syscall(SYS_capget, &h, d) < 0)
		return 0;
	return d[0].effective | (uint64_t)d[1].effective << 32;
}

int jail_seccomp_install(const struct jail_config *c, struct lerr *e)
{
	if (c->privileged)
		return 0;
	static struct prog p;
	uint64_t caps = effective_caps();
	const uint32_t allow = SECCOMP_RET_ALLOW, eperm = SECCOMP_RET_ERRNO | EPERM;
	p.n = 0;
	put(&p, BPF_LD | BPF_W | BPF_ABS, 0, 0, offsetof(struct seccomp_data, arch));
	put(&p, BPF_JMP | BPF_JEQ | BPF_K, 1, 0, AUDIT_ARCH_X86_64);
	put(&p, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_KILL_PROCESS);
	put(&p, BPF_LD | BPF_W | BPF_ABS, 0, 0, offsetof(struct seccomp_data, nr));
	put(&p, BPF_JMP | BPF_JGE | BPF_K, 0, 1, X32_SYSCALL_BIT);
	put(&p, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_KILL_PROCESS);
	for (size_t i = 0; i < sizeof gated_calls / sizeof gated_calls[0]; i++) {
		const struct gated *g = &gated_calls[i];
		on_nr(&p, g->nr, caps >> g->cap & 1 ? allow : eperm);
	}
	on_nr(&p, __NR_clone3, SECCOMP_RET_ERRNO | ENOSYS);
	on_flags(&p, __NR_clone, NS_CLONE);
	on_flags(&p, __NR_unshare, NS_CLONE | CLONE_NEWTIME);
	/* personality: only the query and the default (PER_LINUX) */
	put(&p, BPF_JMP | BPF_JEQ | BPF_K, 0, 5, __NR_personality);
	put(&p, BPF_LD | BPF_W | BPF_ABS, 0, 0, offsetof(struct seccomp_data, args[0]));
	put(&p, BPF_JMP | BPF_JEQ | BPF_K, 2, 0, 0);
	put(&p, BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 0xffffffffu);
	put(&p, BPF_RET | BPF_K, 0, 0, eperm);
	put(&p, BPF_RET | BPF_K, 0, 0, allow);
	for (size_t i = 0; bsdulator_calls[i] >= 0; i++)
		on_nr(&p, bsdulator_calls[i], allow);
	for (size_t i = 0; i < sizeof native_calls / sizeof native_calls[0]; i++)
		on_nr(&p, native_calls[i], allow);
	put(&p, BPF_JMP | BPF_JGT | BPF_K, 0, 1, SECCOMP_MAX_KNOWN_NR);
	put(&p, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ERRNO | ENOSYS);
	put(&p, BPF_RET | BPF_K, 0, 0, eperm);
	if (p.n > sizeof p.f / sizeof p.f[0])
		return lerr_set(e, LX_LOCHS, "seccomp filter: %u instructions, room for %zu", p.n,
				sizeof p.f / sizeof p.f[0]);
	struct sock_fprog fp = { .len = p.n, .filter = p.f };
	/* no_new_privs is set (security_apply), so no CAP_SYS_ADMIN needed */
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fp, 0, 0) < 0)
		return lerr_sys(e, "installing the seccomp filter");
	return 0;
}
