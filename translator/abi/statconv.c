/* Pure conversions for the stat and statfs families: Linux statx/statfs
 * results into FreeBSD struct stat, freebsd11_stat, statfs and
 * freebsd11_statfs. No system calls. */
#include "fsabi.h"

static void ts_from_statx(struct ftimespec *t, const struct lstatx_ts *x)
{
	t->tv_sec = x->tv_sec;
	t->tv_nsec = x->tv_nsec;
}

void stat_from_statx(const struct lstatx *x, struct fbstat *s)
{
	__builtin_memset(s, 0, sizeof *s);
	s->st_dev = fdev_make(x->stx_dev_major, x->stx_dev_minor);
	s->st_ino = x->stx_ino;
	s->st_nlink = x->stx_nlink;
	s->st_mode = x->stx_mode;
	s->st_uid = x->stx_uid;
	s->st_gid = x->stx_gid;
	s->st_rdev = fdev_make(x->stx_rdev_major, x->stx_rdev_minor);
	ts_from_statx(&s->st_atim, &x->stx_atime);
	ts_from_statx(&s->st_mtim, &x->stx_mtime);
	ts_from_statx(&s->st_ctim, &x->stx_ctime);
	if (x->stx_mask & LSTATX_BTIME) {
		ts_from_statx(&s->st_birthtim, &x->stx_btime);
	} else {
		/* vn_stat: a file system without birth times reports {-1, 0}. */
		s->st_birthtim.tv_sec = -1;
		s->st_birthtim.tv_nsec = 0;
	}
	s->st_size = (int64_t)x->stx_size;
	s->st_blocks = (int64_t)x->stx_blocks;
	s->st_blksize = (int32_t)x->stx_blksize;
	uint32_t fl = 0;
	if (x->stx_attributes & LSTATX_ATTR_NODUMP)
		fl |= FUF_NODUMP;
	if (x->stx_attributes & LSTATX_ATTR_IMMUTABLE)
		fl |= FSF_IMMUTABLE;
	if (x->stx_attributes & LSTATX_ATTR_APPEND)
		fl |= FSF_APPEND;
	s->st_flags = fl;
}

void stat11_from_stat(const struct fbstat *s, struct fbstat11 *o)
{
	__builtin_memset(o, 0, sizeof *o);
	o->st_dev = (uint32_t)s->st_dev;
	o->st_ino = (uint32_t)s->st_ino; /* truncated, as vfs.ino64_trunc_error=0 */
	o->st_mode = s->st_mode;
	o->st_nlink = s->st_nlink > 0xffff ? 0xffff : (uint16_t)s->st_nlink;
	o->st_uid = s->st_uid;
	o->st_gid = s->st_gid;
	o->st_rdev = (uint32_t)s->st_rdev;
	o->st_atim = s->st_atim;
	o->st_mtim = s->st_mtim;
	o->st_ctim = s->st_ctim;
	o->st_size = s->st_size;
	o->st_blocks = s->st_blocks;
	o->st_blksize = s->st_blksize;
	o->st_flags = s->st_flags;
	o->st_gen = (uint32_t)s->st_gen;
	o->st_birthtim = s->st_birthtim;
}

/* Linux f_type magic -> FreeBSD file-system name and vfsconf type number
 * (the numbers FreeBSD's lsvfs shows for GENERIC). File systems FreeBSD
 * has no driver for are reported as the FreeBSD one closest in use. */
static const struct fstype {
	int64_t magic;
	const char *name;
	uint32_t typenum;
	int local;
} fstypes[] = {
	{ 0xef53, "ufs", 0x35, 1 },             /* ext2/3/4 */
	{ 0x58465342, "ufs", 0x35, 1 },         /* xfs */
	{ 0xf2f52010, "ufs", 0x35, 1 },         /* f2fs */
	{ 0x3153464a, "ufs", 0x35, 1 },         /* jfs */
	{ 0x794c7630, "ufs", 0x35, 1 },         /* overlayfs */
	{ 0x9123683e, "zfs", 0xde, 1 },         /* btrfs */
	{ 0x2fc12fc1, "zfs", 0xde, 1 },         /* zfs */
	{ 0x01021994, "tmpfs", 0x87, 1 },       /* tmpfs, devtmpfs */
	{ 0x858458f6, "tmpfs", 0x87, 1 },       /* ramfs */
	{ 0x6969, "nfs", 0x3a, 0 },
	{ 0xfe534d42, "smbfs", 0x3b, 0 },       /* smb2 */
	{ 0xff534d42, "smbfs", 0x3b, 0 },       /* cifs */
	{ 0x517b, "smbfs", 0x3b, 0 },
	{ 0x9fa0, "procfs", 0x02, 1 },
	{ 0x62656572, "linsysfs", 0x8a, 1 },    /* sysfs */
	{ 0x1cd1, "devfs", 0x71, 1 },           /* devpts */
	{ 0x65735546, "fusefs", 0xed, 1 },
	{ 0x9660, "cd9660", 0xbd, 1 },
	{ 0x4d44, "msdosfs", 0x32, 1 },
	{ 0x2011bab0, "msdosfs", 0x32, 1 },     /* exfat */
	{ 0x5346544e, "ntfs", 0x24, 1 },
	{ 0x73717368, "ufs", 0x35, 1 },         /* squashfs */
	{ 0x01021997, "p9fs", 0x8d, 0 },        /* 9p */
};

static const struct fstype *fstype_of(int64_t magic)
{
	for (unsigned i = 0; i < sizeof fstypes / sizeof fstypes[0]; i++)
		if (fstypes[i].magic == magic)
			return &fstypes[i];
	return 0;
}

const char *fstypename(int64_t magic, int *local)
{
	const struct fstype *t = fstype_of(magic);
	if (local)
		*local = t ? t->local : 1;
	return t ? t->name : "ufs";
}

static void copy_name(char *dst, size_t size, const char *src)
{
	size_t i = 0;
	if (src)
		for (; src[i] && i + 1 < size; i++)
			dst[i] = src[i];
	for (; i < size; i++)
		dst[i] = 0;
}

/* Linux ST_* mount flags (statfs f_flags) */
#define LST_RDONLY 0x1
#define LST_NOSUID 0x2
#define LST_NOEXEC 0x8
#define LST_SYNCHRONOUS 0x10
#define LST_NOATIME 0x400
#define LST_NOSYMFOLLOW 0x2000

void statfs_from_linux(const struct lstatfs *l, const char *mnton, const char *mntfrom,
		       struct fbstatfs *f)
{
	__builtin_memset(f, 0, sizeof *f);
	const struct fstype *t = fstype_of(l->f_type);
	const char *name = t ? t->name : "ufs";
	f->f_type = t ? t->typenum : 0x35;
	if (l->f_type == 0x01021994 && mnton && !__builtin_strcmp(mnton, "/dev")) {
		name = "devfs"; /* devtmpfs */
		f->f_type = 0x71;
	}
	f->f_version = FSTATFS_VERSION;
	uint64_t fl = (!t || t->local) ? FMNT_LOCAL : 0;
	if (l->f_flags & LST_RDONLY)
		fl |= FMNT_RDONLY;
	if (l->f_flags & LST_NOSUID)
		fl |= FMNT_NOSUID;
	if (l->f_flags & LST_NOEXEC)
		fl |= FMNT_NOEXEC;
	if (l->f_flags & LST_SYNCHRONOUS)
		fl |= FMNT_SYNCHRONOUS;
	if (l->f_flags & LST_NOATIME)
		fl |= FMNT_NOATIME;
	if (l->f_flags & LST_NOSYMFOLLOW)
		fl |= FMNT_NOSYMFOLLOW;
	if (mnton && mnton[0] == '/' && mnton[1] == 0)
		fl |= FMNT_ROOTFS;
	f->f_flags = fl;
	/* FreeBSD f_bsize is the fragment (Linux f_frsize); f_iosize the
	 * preferred transfer size (Linux f_bsize). Counts are in f_bsize. */
	f->f_bsize = (uint64_t)(l->f_frsize > 0 ? l->f_frsize : l->f_bsize);
	f->f_iosize = (uint64_t)l->f_bsize;
	f->f_blocks = l->f_blocks;
	f->f_bfree = l->f_bfree;
	f->f_bavail = (int64_t)l->f_bavail;
	f->f_files = l->f_files;
	f->f_ffree = (int64_t)l->f_ffree;
	f->f_namemax = (uint32_t)l->f_namelen;
	f->f_owner = 0;
	f->f_fsid[0] = l->f_fsid[0];
	f->f_fsid[1] = l->f_fsid[1];
	copy_name(f->f_fstypename, sizeof f->f_fstypename, name);
	copy_name(f->f_mntfromname, sizeof f->f_mntfromname, mntfrom ? mntfrom : name);
	copy_name(f->f_mntonname, sizeof f->f_mntonname, mnton ? mnton : "/");
}

void statfs11_from_statfs(const struct fbstatfs *s, struct fbstatfs11 *o)
{
	__builtin_memcpy(o, s, FS_OFF(struct fbstatfs11, f_mntfromname));
	o->f_version = FSTATFS11_VERSION;
	copy_name(o->f_mntfromname, sizeof o->f_mntfromname, s->f_mntfromname);
	copy_name(o->f_mntonname, sizeof o->f_mntonname, s->f_mntonname);
}
