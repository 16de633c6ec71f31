/* Directory reading: getdirentries (ino64 and freebsd11) and getdents, on
 * top of Linux getdents64. The directory offset stays the Linux one, so
 * d_off, *basep and lseek(2) on the directory agree with each other. */
#include "../trap/dispatch.h"
#include "../rt/rt.h"
#include "xlate.h"
#include "fs.h"
#include <asm-generic/errno.h>

#define DIRBUF 8192

static long do_getdirentries(int fd, char *ubuf, uint64_t count, int64_t *basep, int compat11)
{
	FD_GUARD(fd);
	if (count > INT64_MAX)
		return -EINVAL;
	if (compat11 && count > 65536)
		count = 65536; /* freebsd11_kern_getdirentries' limit */
	UADDR_GUARD(ubuf, 1); /* the rest faults into EFAULT if it must */
	if (basep)
		UADDR_GUARD(basep, sizeof *basep);
	long loff = lsys3(__NR_lseek, fd, 0, 1 /* SEEK_CUR */);
	if (lerr(loff))
		return loff == -ESPIPE ? -EINVAL : loff;
	char tmp[DIRBUF];
	/* A FreeBSD record is at most 4/3 of its Linux one (24-byte header vs
	 * 19): asking for 3/4 of the room normally converts without a rewind. */
	size_t want = compat11 ? count : count / 4 * 3;
	for (;;) {
		size_t n = want < sizeof tmp ? want : sizeof tmp;
		long r = lsys3(__NR_getdents64, fd, tmp, n);
		if (r == -EINVAL && n < count && n < sizeof tmp) {
			want = count; /* room for one long name */
			continue;
		}
		if (r == -ENOTDIR)
			return -EINVAL;
		if (lerr(r))
			return r;
		if (r == 0)
			break;
		struct dirconv dc;
		dirents_l2f(tmp, (size_t)r, ubuf, count, compat11, &dc);
		if (dc.in_used < (size_t)r) /* give back what did not fit */
			lsys3(__NR_lseek, fd, dc.in_used ? dc.next_off : loff, 0);
		if (dc.converted) {
			if (basep)
				*basep = loff;
			return (long)dc.out_len;
		}
		if (!dc.in_used)
			return -EINVAL; /* buffer too small for one entry */
		/* everything read was skipped (compat11 long names): go on */
		loff = dc.next_off;
	}
	if (basep)
		*basep = loff;
	return 0;
}

long sys_getdirentries(struct sysctx *c)
{
	return do_getdirentries(ARG_INT(c, 0), ARG_PTR(c, 1), c->a[2], ARG_PTR(c, 3), 0);
}

long sys_freebsd11_getdirentries(struct sysctx *c)
{
	return do_getdirentries(ARG_INT(c, 0), ARG_PTR(c, 1), (uint32_t)c->a[2], ARG_PTR(c, 3), 1);
}

long sys_freebsd11_getdents(struct sysctx *c)
{
	return do_getdirentries(ARG_INT(c, 0), ARG_PTR(c, 1), c->a[2], NULL, 1);
}
