/* pdkill(2) and pdgetpid(2) on the descriptor pdfork(2) returns, which is
 * a Linux pidfd (abi/proc.c). */
#include "../trap/dispatch.h"
#include "../rt/rt.h"
#include "../loader/process.h"
#include "xlate.h"
#include <asm-generic/errno.h>

#ifndef __NR_pidfd_send_signal
#define __NR_pidfd_send_signal 424
#endif

long sys_pdkill(struct sysctx *c)
{
	int f = ARG_INT(c, 1);
	int l = f ? sig_f2l(f) : 0;
	if (f < 0 || f > 128 || (f && !l))
		return -EINVAL;
	return lsys4(__NR_pidfd_send_signal, ARG_INT(c, 0), l, 0, 0);
}

/* The "Pid:" line of /proc/self/fdinfo/FD (read through the host /proc). */
long sys_pdgetpid(struct sysctx *c)
{
	char path[48], buf[512];
	int fd = ARG_INT(c, 0);
	if (fd < 0)
		return -EBADF;
	rt_snprintf(path, sizeof path, "%sself/fdinfo/%d", proc.proc_fd >= 0 ? "" : "/proc/", fd);
	long f = lsys4(__NR_openat, proc.proc_fd >= 0 ? proc.proc_fd : -100, path, 0x80000 /* O_CLOEXEC */, 0);
	if (lerr(f))
		return -EBADF;
	long n = lsys3(__NR_read, f, buf, sizeof buf - 1);
	lsys1(__NR_close, f);
	if (n <= 0)
		return -EBADF;
	buf[n] = 0;
	const char *p = buf;
	while (p && strncmp(p, "Pid:", 4) != 0) {
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	if (!p)
		return -EBADF;
	p += 4;
	while (*p == ' ' || *p == '\t')
		p++;
	int pid = 0;
	if (*p == '-')
		return -EBADF; /* the process was reaped */
	for (; *p >= '0' && *p <= '9'; p++)
		pid = pid * 10 + (*p - '0');
	int *out = ARG_PTR(c, 1);
	if (!out)
		return -EFAULT;
	*out = pid;
	return 0;
}
