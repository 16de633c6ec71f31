/* The jail's privileges, after FreeBSD's jail defaults (README.md has the
 * table): a Docker-like reduced capability set without NET_RAW
 * (allow.raw_sockets=0) and MKNOD (allow.mknod=0), no_new_privs, the
 * configured uid/gid with no supplementary groups, and zero SysV IPC
 * limits unless sysvipc. */
#include "jail_int.h"
#include "capname.h"
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>


/* Docker's default set minus NET_RAW and MKNOD. */
static const int default_caps[] = {
	CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FOWNER, CAP_FSETID, CAP_KILL, CAP_SETGID, CAP_SETUID,
	CAP_SETPCAP, CAP_NET_BIND_SERVICE, CAP_SYS_CHROOT, CAP_AUDIT_WRITE, CAP_SETFCAP,
};

static int apply_list(uint64_t *set, char **names, int add, struct lerr *e)
{
	for (char **n = names; n && *n; n++) {
		int c = cap_number(*n);
		if (c == -1)
			return lerr_set(e, LX_LOCHS, "unknown capability %s", *n);
		uint64_t bits = c == -2 ? ~0ULL : 1ULL << c;
		*set = add ? *set | bits : *set & ~bits;
	}
	return 0;
}

int security_apply(const struct jail_config *c, struct lerr *e)
{
	uint64_t set = 0, have;
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	if (syscall(SYS_capget, &h, d) < 0)
		return lerr_sys(e, "reading capabilities");
	have = d[0].permitted | (uint64_t)d[1].permitted << 32;
	if (c->privileged)
		set = ~0ULL;
	else
		for (size_t i = 0; i < sizeof default_caps / sizeof default_caps[0]; i++)
			set |= 1ULL << default_caps[i];
	if (apply_list(&set, c->cap_add, 1, e) < 0 || apply_list(&set, c->cap_drop, 0, e) < 0)
		return -1;
	/* The host may withhold some (here: SYS_RESOURCE); keep what we have. */
	set &= have;
	/* Bounding set first (dropping needs CAP_SETPCAP, still held);
	 * numbers past the kernel's last capability fail with EINVAL. */
	for (int i = 0; i < 64; i++)
		if (!(set >> i & 1) && prctl(PR_CAPBSET_DROP, i, 0, 0, 0) < 0 && errno != EINVAL)
			return lerr_sys(e, "dropping capability %s", cap_name(i));
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	if (!c->privileged && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return lerr_sys(e, "no_new_privs");
	if (setgroups(0, NULL) < 0 || setresgid(c->gid, c->gid, c->gid) < 0)
		return lerr_sys(e, "group %u", c->gid);
	/* A non-root user loses every capability here, as with docker --user. */
	if (setresuid(c->uid, c->uid, c->uid) < 0)
		return lerr_sys(e, "user %u", c->uid);
	if (c->uid != 0)
		return 0;
	d[0].effective = d[0].permitted = d[0].inheritable = (uint32_t)set;
	d[1].effective = d[1].permitted = d[1].inheritable = (uint32_t)(set >> 32);
	if (syscall(SYS_capset, &h, d) < 0)
		return lerr_sys(e, "setting capabilities");
	return 0;
}

static void put_at(int dir, const char *path, const char *val)
{
	int fd = openat(dir, path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (write(fd, val, strlen(val)) < 0) {
		/* best effort: the IPC namespace stays private anyway */
	}
	close(fd);
}

void sysvipc_disable(int procfd)
{
	/* The writes apply to the writer's IPC namespace: the jail's. */
	put_at(procfd, "sys/kernel/shmmni", "0");
	put_at(procfd, "sys/kernel/msgmni", "0");
	put_at(procfd, "sys/kernel/sem", "0 0 0 0");
}
