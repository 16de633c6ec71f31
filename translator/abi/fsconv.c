/* Pure file-system value translations: *at() flags, record locks,
 * timestamps, device numbers, pathconf values. No system calls. */
#include "fsabi.h"

long atflags_f2l(uint32_t f, uint32_t allowed, int *beneath)
{
	static const struct { uint32_t f, l; } map[] = {
		{ FAT_EACCESS, LAT_EACCESS },
		{ FAT_SYMLINK_NOFOLLOW, LAT_SYMLINK_NOFOLLOW },
		{ FAT_SYMLINK_FOLLOW, LAT_SYMLINK_FOLLOW },
		{ FAT_REMOVEDIR, LAT_REMOVEDIR },
		{ FAT_EMPTY_PATH, LAT_EMPTY_PATH },
	};
	if (f & ~allowed)
		return -1;
	long l = 0;
	for (unsigned i = 0; i < sizeof map / sizeof map[0]; i++)
		if (f & map[i].f)
			l |= map[i].l;
	if (beneath)
		*beneath = !!(f & FAT_RESOLVE_BENEATH);
	return l;
}

int flock_f2l(const struct fflock *f, struct lflock *l)
{
	switch (f->l_type) {
	case FF_RDLCK: l->l_type = LF_RDLCK; break;
	case FF_WRLCK: l->l_type = LF_WRLCK; break;
	case FF_UNLCK: l->l_type = LF_UNLCK; break;
	default: return -1;
	}
	l->l_whence = f->l_whence;
	l->pad = 0;
	l->l_start = f->l_start;
	l->l_len = f->l_len;
	l->l_pid = f->l_pid;
	l->pad2 = 0;
	return 0;
}

void flock_l2f(const struct lflock *l, struct fflock *f)
{
	switch (l->l_type) {
	case LF_RDLCK: f->l_type = FF_RDLCK; break;
	case LF_WRLCK: f->l_type = FF_WRLCK; break;
	default: f->l_type = FF_UNLCK; break;
	}
	f->l_whence = l->l_whence;
	f->l_start = l->l_start;
	f->l_len = l->l_len;
	f->l_pid = l->l_pid;
	f->l_sysid = 0;
}

void utimens_f2l(const struct ftimespec in[2], struct ltimespec out[2])
{
	for (int i = 0; i < 2; i++) {
		out[i].tv_sec = in[i].tv_sec;
		if (in[i].tv_nsec == FUTIME_NOW)
			out[i].tv_nsec = LUTIME_NOW;
		else if (in[i].tv_nsec == FUTIME_OMIT)
			out[i].tv_nsec = LUTIME_OMIT;
		else if (in[i].tv_nsec == LUTIME_NOW || in[i].tv_nsec == LUTIME_OMIT)
			out[i].tv_nsec = -3; /* out of range for FreeBSD too: EINVAL */
		else
			out[i].tv_nsec = in[i].tv_nsec;
	}
}

int utimes_f2l(const struct ftimeval in[2], struct ltimespec out[2])
{
	for (int i = 0; i < 2; i++) {
		if (in[i].tv_usec < 0 || in[i].tv_usec >= 1000000)
			return -1;
		out[i].tv_sec = in[i].tv_sec;
		out[i].tv_nsec = in[i].tv_usec * 1000;
	}
	return 0;
}

uint64_t fdev_make(uint32_t ma, uint32_t mi)
{
	return ((uint64_t)(ma & 0xffffff00U) << 32) | ((ma & 0xffU) << 8) |
	       ((uint64_t)(mi & 0xff00U) << 24) | (mi & 0xffff00ffU);
}

uint32_t fdev_major(uint64_t d)
{
	return (uint32_t)(((d >> 32) & 0xffffff00U) | ((d >> 8) & 0xffU));
}

uint32_t fdev_minor(uint64_t d)
{
	return (uint32_t)(((d >> 24) & 0xff00U) | (d & 0xffff00ffU));
}

uint32_t ldev_encode(uint32_t ma, uint32_t mi)
{
	return (mi & 0xff) | ((ma & 0xfff) << 8) | ((mi & ~0xffU) << 12);
}

/* Linux magics the pathconf answers depend on. */
#define M_EXT 0xef53
#define M_BTRFS 0x9123683e
#define M_XFS 0x58465342
#define M_TMPFS 0x01021994
#define M_PIPEFS 0x50495045
#define M_SOCKFS 0x534f434b

int pathconf_value(int name, uint32_t mode, const struct lstatfs *sf, long *val)
{
	uint32_t type = mode & 0170000;
	int tty = type == 0020000; /* character devices answer the tty names */
	if (sf->f_type == M_PIPEFS || sf->f_type == M_SOCKFS || type == 0140000) {
		/* kern_fpathconf: pipes and sockets know only _PC_PIPE_BUF. */
		if (name != FPC_PIPE_BUF)
			return -1;
		*val = 512;
		return 0;
	}
	switch (name) {
	case FPC_LINK_MAX:
		*val = sf->f_type == M_EXT ? 65000 : sf->f_type == M_BTRFS ? 65535
		     : (sf->f_type == M_XFS || sf->f_type == M_TMPFS) ? 2147483647 : 32767;
		return 0;
	case FPC_NAME_MAX:
		*val = sf->f_namelen > 0 && sf->f_namelen < 255 ? sf->f_namelen : 255;
		return 0;
	case FPC_PATH_MAX:
	case FPC_SYMLINK_MAX:
		*val = 1024;
		return 0;
	case FPC_PIPE_BUF:
		if (type != 0040000 && type != 0010000)
			return -1;
		*val = 512;
		return 0;
	case FPC_CHOWN_RESTRICTED:
	case FPC_NO_TRUNC:
	case FPC_2_SYMLINKS:
		*val = 1;
		return 0;
	case FPC_MAX_CANON:
	case FPC_MAX_INPUT:
		if (!tty)
			return -1;
		*val = 255;
		return 0;
	case FPC_VDISABLE:
		if (!tty)
			return -1;
		*val = 0xff;
		return 0;
	case FPC_ALLOC_SIZE_MIN:
		*val = sf->f_frsize > 0 ? sf->f_frsize : 4096;
		return 0;
	case FPC_FILESIZEBITS:
		*val = 64;
		return 0;
	case FPC_REC_INCR_XFER_SIZE:
	case FPC_REC_MIN_XFER_SIZE:
	case FPC_MIN_HOLE_SIZE:
		*val = sf->f_bsize > 0 ? sf->f_bsize : 4096;
		return 0;
	case FPC_REC_MAX_XFER_SIZE:
		*val = -1; /* no limit */
		return 0;
	case FPC_REC_XFER_ALIGN:
		*val = 4096;
		return 0;
	case FPC_ASYNC_IO:
		*val = 200112; /* _POSIX_ASYNCHRONOUS_IO */
		return 0;
	case FPC_PRIO_IO:
	case FPC_SYNC_IO:
	case FPC_ACL_EXTENDED:
	case FPC_ACL_NFS4:
	case FPC_CAP_PRESENT:
	case FPC_INF_PRESENT:
	case FPC_MAC_PRESENT:
		*val = 0;
		return 0;
	case FPC_ACL_PATH_MAX:
		*val = 3;
		return 0;
	default:
		return -1;
	}
}
