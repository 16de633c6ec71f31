/* System calls answered the way a FreeBSD kernel built without the
 * optional subsystem answers them: Capsicum (no options CAPABILITY_MODE /
 * CAPABILITIES: ENOSYS, sys/kern/sys_capability.c), RACCT/RCTL (ENOSYS),
 * an empty kernel environment (kenv), utrace with no ktrace reader, the
 * login class of a process that never set one ("default"), and FreeBSD
 * 15's extended errors, which this kernel never has any of to report. */
#include "../trap/dispatch.h"
#include "../rt/rt.h"
#include <asm-generic/errno.h>

long sys_nocap(struct sysctx *c) { return -ENOSYS; }  /* cap_* */
long sys_norctl(struct sysctx *c) { return -ENOSYS; } /* rctl_* */

/* exterrctl(op, flags, ptr): 15's libc enables it from a constructor with
 * a struct uexterror whose first word is its version (sys/exterrvar.h). */
#define EXTERRCTL_ENABLE 1
#define EXTERRCTL_DISABLE 2
#define UEXTERROR_VER 0x10010002u
long sys_exterrctl(struct sysctx *c)
{
	switch (ARG_INT(c, 0)) {
	case EXTERRCTL_ENABLE:
		if (!ARG_PTR(c, 2))
			return -EFAULT;
		return *(const uint32_t *)ARG_PTR(c, 2) == UEXTERROR_VER ? 0 : -EINVAL;
	case EXTERRCTL_DISABLE:
		return 0;
	}
	return -EINVAL;
}

long sys_utrace(struct sysctx *c)
{
	return c->a[1] > 2048 /* KTR_USER_MAXLEN */ ? -EINVAL : 0;
}

/* kenv(action, name, value, len): KENV_GET 0, SET 1, UNSET 2, DUMP 3
 * (DUMP_LOADER 4, DUMP_STATIC 5 in newer kernels). */
long sys_kenv(struct sysctx *c)
{
	int root = lsys0(__NR_geteuid) == 0;
	switch (ARG_INT(c, 0)) {
	case 0:
		return -ENOENT;
	case 1:
		return -EPERM; /* read-only: as inside a jail */
	case 2:
		return root ? -ENOENT : -EPERM;
	case 3:
	case 4:
	case 5:
		if (ARG_PTR(c, 2) && (int)c->a[3] > 0)
			*(char *)ARG_PTR(c, 2) = 0;
		return 0;
	}
	return -EINVAL;
}

static char loginclass[33] = "default"; /* MAXLOGNAME */

long sys_getloginclass(struct sysctx *c)
{
	size_t n = strlen(loginclass) + 1;
	if (c->a[1] < n)
		return -ERANGE;
	memcpy(ARG_PTR(c, 0), loginclass, n);
	return 0;
}

long sys_setloginclass(struct sysctx *c)
{
	const char *s = ARG_PTR(c, 0);
	if (lsys0(__NR_geteuid) != 0)
		return -EPERM;
	if (!s)
		return -EFAULT;
	if (strlen(s) >= sizeof loginclass)
		return -ENAMETOOLONG;
	rt_strlcpy(loginclass, s, sizeof loginclass);
	return 0;
}
