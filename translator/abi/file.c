/* Descriptor I/O: open, read, write and friends. */
#include "../trap/dispatch.h"
#include "../rt/rt.h"
#include "../loader/process.h"
#include "xlate.h"
#include <asm-generic/errno.h>
#include <linux/fcntl.h>

/* The translator's own descriptor is invisible to the guest. */
int fd_reserved(int fd)
{
	return fd == proc.exe_fd;
}

#define GUARD_FD(fd) do { if (fd_reserved(fd)) return -EBADF; } while (0)

long sys_read(struct sysctx *c)
{
	GUARD_FD(ARG_INT(c, 0));
	return bsys(__NR_read, ARG_INT(c, 0), c->a[1], c->a[2], 0, 0, 0);
}

long sys_write(struct sysctx *c)
{
	GUARD_FD(ARG_INT(c, 0));
	return bsys(__NR_write, ARG_INT(c, 0), c->a[1], c->a[2], 0, 0, 0);
}

static long do_openat(int dirfd, const char *path, uint32_t ff, int mode)
{
	uint32_t lf = oflags_f2l(ff);
	if ((ff & 0x40000) && !(ff & 3)) /* O_EXEC/O_SEARCH: open for lookup only */
		lf |= O_PATH;
	return bsys(__NR_openat, dirfd, path, lf, mode & 07777, 0, 0);
}

long sys_openat(struct sysctx *c)
{
	return do_openat(ARG_INT(c, 0), ARG_PTR(c, 1), (uint32_t)c->a[2], ARG_INT(c, 3));
}

long sys_open(struct sysctx *c)
{
	return do_openat(AT_FDCWD, ARG_PTR(c, 0), (uint32_t)c->a[1], ARG_INT(c, 2));
}

long sys_close(struct sysctx *c)
{
	GUARD_FD(ARG_INT(c, 0));
	return lsys1(__NR_close, ARG_INT(c, 0));
}
