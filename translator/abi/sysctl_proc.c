/* kern.proc.*: facts about a process (constants.md KERN_PROC_*). */
#include "../trap/dispatch.h"
#include "../rt/rt.h"
#include "../trap/signals.h"
#include "../loader/process.h"
#include "sysctl.h"
#include <asm-generic/errno.h>

long sysctl_proc(struct sysctl_req *r, const int *mib, unsigned len)
{
	if (len != 4 || mib[0] != 1 || mib[1] != 14)
		return -ENOSYS;
	int pid = mib[3];
	if (pid != -1 && pid != (int)lsys0(__NR_getpid))
		return -ESRCH; /* other processes: not yet */
	switch (mib[2]) {
	case 12: /* PATHNAME */
		return sysctl_out(r, proc.execpath, strlen(proc.execpath) + 1);
	case 36: /* AUXV */
		return sysctl_out(r, (void *)proc.auxv, proc.auxv_len);
	case 38: { /* PS_STRINGS */
		long v = (long)proc.ps_strings;
		return sysctl_out(r, &v, sizeof v);
	}
	case 41: { /* SIGTRAMP: struct kinfo_sigtramp */
		uint64_t k[6] = { sigtramp_addr, sigtramp_end, 0, 0, 0, 0 };
		return sysctl_out(r, k, sizeof k);
	}
	}
	return -ENOENT;
}
