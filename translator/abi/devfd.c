/* FreeBSD's /dev/fd/N and /dev/stdin, /dev/stdout, /dev/stderr (devfs,
 * or fdescfs on /dev/fd): opening one duplicates descriptor N
 * (dupfdopen), sharing its offset. On Linux they are links into
 * /proc/self/fd, which reopen the file and which a jail (no /proc, as on
 * FreeBSD) cannot follow, so the translator answers them itself. */
#include "../trap/dispatch.h"
#include "../rt/rt.h"
#include "fs.h"
#include <asm-generic/errno.h>
#include <linux/fcntl.h>

int devfd_number(const char *path)
{
	if (!path || strncmp(path, "/dev/", 5))
		return -1;
	const char *p = path + 5;
	if (!strcmp(p, "stdin"))
		return 0;
	if (!strcmp(p, "stdout"))
		return 1;
	if (!strcmp(p, "stderr"))
		return 2;
	if (strncmp(p, "fd/", 3) || !p[3])
		return -1;
	long n = 0;
	for (p += 3; *p; p++) {
		if (*p < '0' || *p > '9' || (n = n * 10 + (*p - '0')) > 0x7fffffff)
			return -1;
	}
	return (int)n;
}

long devfd_open(int n, uint32_t fbsd_flags)
{
	FD_GUARD(n);
	long have = lsys2(__NR_fcntl, n, F_GETFL);
	if (lerr(have))
		return have;
	/* FREAD/FWRITE are the access mode + 1: ask for no more than it has. */
	unsigned want = ((fbsd_flags & 3) + 1) & 3, got = (((unsigned)have & 3) + 1) & 3;
	if ((want | got) != got)
		return -EACCES;
	return lsys3(__NR_fcntl, n, fbsd_flags & 0x100000 /* O_CLOEXEC */ ? F_DUPFD_CLOEXEC : F_DUPFD, 0);
}
