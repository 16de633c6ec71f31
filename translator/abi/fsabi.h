/* File-system ABI: FreeBSD structures (structs.md) beside the Linux kernel
 * structures they are converted from, and the pure conversions between
 * them (fsconv.c, statconv.c, dirconv.c, termios.c). No system calls and no
 * Linux/libc headers here, so tests/unit links these files directly. */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include "fbsd.h"

#define FS_OFF(t, f) __builtin_offsetof(t, f)

/* ---- *at() flags (constants.md "*at() flags") ---- */
#define FAT_FDCWD (-100)
#define FAT_EACCESS 0x100
#define FAT_SYMLINK_NOFOLLOW 0x200
#define FAT_SYMLINK_FOLLOW 0x400
#define FAT_REMOVEDIR 0x800
#define FAT_RESOLVE_BENEATH 0x2000
#define FAT_EMPTY_PATH 0x4000

#define LAT_SYMLINK_NOFOLLOW 0x100
#define LAT_REMOVEDIR 0x200
#define LAT_EACCESS 0x200
#define LAT_SYMLINK_FOLLOW 0x400
#define LAT_EMPTY_PATH 0x1000

/* Translates FreeBSD AT_* flags to Linux ones. Bits outside `allowed` give
 * -1 (the caller answers EINVAL, as FreeBSD does). AT_RESOLVE_BENEATH has no
 * Linux flag: it is dropped here and reported through *beneath. */
long atflags_f2l(uint32_t fflags, uint32_t allowed, int *beneath);

/* ---- fcntl(2) record locks ---- */
struct fflock {
	int64_t l_start;
	int64_t l_len;
	int32_t l_pid;
	int16_t l_type;
	int16_t l_whence;
	int32_t l_sysid;
	int32_t pad;
};
_Static_assert(sizeof(struct fflock) == 32, "fflock");
_Static_assert(FS_OFF(struct fflock, l_pid) == 16, "fflock.l_pid");
_Static_assert(FS_OFF(struct fflock, l_type) == 20, "fflock.l_type");
_Static_assert(FS_OFF(struct fflock, l_whence) == 22, "fflock.l_whence");
_Static_assert(FS_OFF(struct fflock, l_sysid) == 24, "fflock.l_sysid");
/* struct __oflock (F_OGETLK/F_OSETLK/F_OSETLKW): the same without l_sysid. */
#define FOFLOCK_SIZE 24

struct lflock {
	int16_t l_type;
	int16_t l_whence;
	int32_t pad;
	int64_t l_start;
	int64_t l_len;
	int32_t l_pid;
	int32_t pad2;
};
_Static_assert(sizeof(struct lflock) == 32, "lflock");

#define FF_RDLCK 1
#define FF_UNLCK 2
#define FF_WRLCK 3
#define LF_RDLCK 0
#define LF_WRLCK 1
#define LF_UNLCK 2

/* 0, or -1 for an unknown l_type (FreeBSD: EINVAL). */
int flock_f2l(const struct fflock *f, struct lflock *l);
void flock_l2f(const struct lflock *l, struct fflock *f);

/* ---- timestamps for utimes/utimensat ---- */
#define FUTIME_NOW (-1L)
#define FUTIME_OMIT (-2L)
#define LUTIME_NOW ((1L << 30) - 1)
#define LUTIME_OMIT ((1L << 30) - 2)
struct ltimespec {
	int64_t tv_sec, tv_nsec;
};
/* FreeBSD timespec[2] -> Linux, special nsec values renumbered. */
void utimens_f2l(const struct ftimespec in[2], struct ltimespec out[2]);
/* timeval[2] -> timespec[2]; -1 if tv_usec is out of range. */
int utimes_f2l(const struct ftimeval in[2], struct ltimespec out[2]);

/* ---- stat ---- */
struct lstatx_ts {
	int64_t tv_sec;
	uint32_t tv_nsec;
	int32_t reserved;
};
struct lstatx {
	uint32_t stx_mask;
	uint32_t stx_blksize;
	uint64_t stx_attributes;
	uint32_t stx_nlink;
	uint32_t stx_uid;
	uint32_t stx_gid;
	uint16_t stx_mode;
	uint16_t spare0;
	uint64_t stx_ino;
	uint64_t stx_size;
	uint64_t stx_blocks;
	uint64_t stx_attributes_mask;
	struct lstatx_ts stx_atime, stx_btime, stx_ctime, stx_mtime;
	uint32_t stx_rdev_major, stx_rdev_minor;
	uint32_t stx_dev_major, stx_dev_minor;
	uint64_t stx_mnt_id;
	uint64_t spare3[13];
};
_Static_assert(sizeof(struct lstatx) == 256, "lstatx");
_Static_assert(FS_OFF(struct lstatx, stx_btime) == 80, "stx_btime");
_Static_assert(FS_OFF(struct lstatx, stx_rdev_major) == 128, "stx_rdev_major");
_Static_assert(FS_OFF(struct lstatx, stx_mnt_id) == 144, "stx_mnt_id");

#define LSTATX_TYPE 0x1U
#define LSTATX_MODE 0x2U
#define LSTATX_BASIC_STATS 0x7ffU
#define LSTATX_BTIME 0x800U
#define LSTATX_MNT_ID 0x1000U
#define LSTATX_ATTR_IMMUTABLE 0x10
#define LSTATX_ATTR_APPEND 0x20
#define LSTATX_ATTR_NODUMP 0x40

/* struct stat, ino64 (FreeBSD 12+), 224 bytes */
struct fbstat {
	uint64_t st_dev;
	uint64_t st_ino;
	uint64_t st_nlink;
	uint16_t st_mode;
	int16_t st_bsdflags;
	uint32_t st_uid;
	uint32_t st_gid;
	int32_t st_padding1;
	uint64_t st_rdev;
	struct ftimespec st_atim, st_mtim, st_ctim, st_birthtim;
	int64_t st_size;
	int64_t st_blocks;
	int32_t st_blksize;
	uint32_t st_flags;
	uint64_t st_gen;
	uint64_t st_spare[10];
};
_Static_assert(sizeof(struct fbstat) == 224, "fstat");
_Static_assert(FS_OFF(struct fbstat, st_mode) == 24, "st_mode");
_Static_assert(FS_OFF(struct fbstat, st_rdev) == 40, "st_rdev");
_Static_assert(FS_OFF(struct fbstat, st_birthtim) == 96, "st_birthtim");
_Static_assert(FS_OFF(struct fbstat, st_size) == 112, "st_size");
_Static_assert(FS_OFF(struct fbstat, st_blksize) == 128, "st_blksize");
_Static_assert(FS_OFF(struct fbstat, st_gen) == 136, "st_gen");

/* struct freebsd11_stat, 120 bytes */
struct fbstat11 {
	uint32_t st_dev;
	uint32_t st_ino;
	uint16_t st_mode;
	uint16_t st_nlink;
	uint32_t st_uid;
	uint32_t st_gid;
	uint32_t st_rdev;
	struct ftimespec st_atim, st_mtim, st_ctim;
	int64_t st_size;
	int64_t st_blocks;
	int32_t st_blksize;
	uint32_t st_flags;
	uint32_t st_gen;
	int32_t st_lspare;
	struct ftimespec st_birthtim;
};
_Static_assert(sizeof(struct fbstat11) == 120, "fstat11");
_Static_assert(FS_OFF(struct fbstat11, st_rdev) == 20, "st11_rdev");
_Static_assert(FS_OFF(struct fbstat11, st_atim) == 24, "st11_atim");
_Static_assert(FS_OFF(struct fbstat11, st_size) == 72, "st11_size");
_Static_assert(FS_OFF(struct fbstat11, st_birthtim) == 104, "st11_birthtim");

/* chflags(2) bits (sys/stat.h) */
#define FUF_NODUMP 0x1
#define FSF_IMMUTABLE 0x20000
#define FSF_APPEND 0x40000

/* FreeBSD makedev()/major()/minor() (sys/types.h, 12+). */
uint64_t fdev_make(uint32_t major, uint32_t minor);
uint32_t fdev_major(uint64_t dev);
uint32_t fdev_minor(uint64_t dev);
/* Linux mknod(2) dev_t argument (new_encode_dev) from major/minor. */
uint32_t ldev_encode(uint32_t major, uint32_t minor);

void stat_from_statx(const struct lstatx *x, struct fbstat *s);
/* freebsd11_cvtstat: truncates dev/ino/rdev, clamps nlink. */
void stat11_from_stat(const struct fbstat *s, struct fbstat11 *o);

/* ---- statfs ---- */
struct lstatfs {
	int64_t f_type;
	int64_t f_bsize;
	uint64_t f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	int32_t f_fsid[2];
	int64_t f_namelen;
	int64_t f_frsize;
	int64_t f_flags;
	int64_t f_spare[4];
};
_Static_assert(sizeof(struct lstatfs) == 120, "lstatfs");

#define FMFSNAMELEN 16
#define FMNAMELEN 1024
#define FSTATFS_VERSION 0x20140518U
#define FSTATFS11_VERSION 0x20030518U
/* The part both statfs generations share; they differ in the path sizes. */
#define FBSTATFS_HEAD \
	uint32_t f_version; \
	uint32_t f_type; \
	uint64_t f_flags; \
	uint64_t f_bsize; \
	uint64_t f_iosize; \
	uint64_t f_blocks; \
	uint64_t f_bfree; \
	int64_t f_bavail; \
	uint64_t f_files; \
	int64_t f_ffree; \
	uint64_t f_syncwrites, f_asyncwrites, f_syncreads, f_asyncreads; \
	uint64_t f_spare[10]; \
	uint32_t f_namemax; \
	uint32_t f_owner; \
	int32_t f_fsid[2]; \
	char f_charspare[80]; \
	char f_fstypename[FMFSNAMELEN]

struct fbstatfs {
	FBSTATFS_HEAD;
	char f_mntfromname[FMNAMELEN];
	char f_mntonname[FMNAMELEN];
};
_Static_assert(sizeof(struct fbstatfs) == 2344, "fstatfs");
_Static_assert(FS_OFF(struct fbstatfs, f_namemax) == 184, "f_namemax");
_Static_assert(FS_OFF(struct fbstatfs, f_fstypename) == 280, "f_fstypename");
_Static_assert(FS_OFF(struct fbstatfs, f_mntonname) == 1320, "f_mntonname");

struct fbstatfs11 {
	FBSTATFS_HEAD;
	char f_mntfromname[88];
	char f_mntonname[88];
};
_Static_assert(sizeof(struct fbstatfs11) == 472, "fstatfs11");
_Static_assert(FS_OFF(struct fbstatfs11, f_mntonname) == 384, "f11_mntonname");

/* MNT_* (sys/mount.h) */
#define FMNT_RDONLY 0x1ULL
#define FMNT_SYNCHRONOUS 0x2ULL
#define FMNT_NOEXEC 0x4ULL
#define FMNT_NOSUID 0x8ULL
#define FMNT_LOCAL 0x1000ULL
#define FMNT_ROOTFS 0x4000ULL
#define FMNT_NOATIME 0x10000000ULL
#define FMNT_NOSYMFOLLOW 0x400000ULL

/* FreeBSD file-system type name for a Linux f_type magic. `local` is set
 * for disk/memory file systems (MNT_LOCAL). */
const char *fstypename(int64_t magic, int *local);
/* Fills *f from Linux statfs data; names may be NULL. */
void statfs_from_linux(const struct lstatfs *l, const char *mnton, const char *mntfrom,
		       struct fbstatfs *f);
void statfs11_from_statfs(const struct fbstatfs *s, struct fbstatfs11 *o);

/* ---- directory entries ---- */
struct ldirent64 {
	uint64_t d_ino;
	int64_t d_off;
	uint16_t d_reclen;
	uint8_t d_type;
	char d_name[];
};
struct fdirent {
	uint64_t d_fileno;
	int64_t d_off;
	uint16_t d_reclen;
	uint8_t d_type;
	uint8_t d_pad0;
	uint16_t d_namlen;
	uint16_t d_pad1;
	char d_name[256];
};
_Static_assert(sizeof(struct fdirent) == 280, "fdirent");
_Static_assert(FS_OFF(struct fdirent, d_name) == 24, "fdirent.d_name");
struct fdirent11 {
	uint32_t d_fileno;
	uint16_t d_reclen;
	uint8_t d_type;
	uint8_t d_namlen;
	char d_name[256];
};
_Static_assert(sizeof(struct fdirent11) == 264, "fdirent11");

#define FDIRENT_LEN(namlen) (((size_t)24 + (namlen) + 1 + 7) & ~(size_t)7)
#define FDIRENT11_LEN(namlen) (((size_t)8 + (namlen) + 1 + 3) & ~(size_t)3)

struct dirconv {
	size_t out_len;      /* bytes written to the FreeBSD buffer */
	size_t in_used;      /* Linux bytes consumed */
	int64_t next_off;    /* d_off of the last record converted */
	int converted;       /* records converted */
};
/* Converts Linux dirent64 records into FreeBSD ones (ino64 layout, or
 * freebsd11 when compat11) while they fit in `out_size`. Records the old
 * layout cannot hold (names of 256+ bytes) are skipped like FreeBSD does. */
void dirents_l2f(const void *in, size_t in_len, void *out, size_t out_size, int compat11,
		 struct dirconv *r);

/* ---- pathconf ---- */
#define FPC_LINK_MAX 1
#define FPC_MAX_CANON 2
#define FPC_MAX_INPUT 3
#define FPC_NAME_MAX 4
#define FPC_PATH_MAX 5
#define FPC_PIPE_BUF 6
#define FPC_CHOWN_RESTRICTED 7
#define FPC_NO_TRUNC 8
#define FPC_VDISABLE 9
#define FPC_ALLOC_SIZE_MIN 10
#define FPC_FILESIZEBITS 12
#define FPC_2_SYMLINKS 13
#define FPC_REC_INCR_XFER_SIZE 14
#define FPC_REC_MAX_XFER_SIZE 15
#define FPC_REC_MIN_XFER_SIZE 16
#define FPC_REC_XFER_ALIGN 17
#define FPC_SYMLINK_MAX 18
#define FPC_MIN_HOLE_SIZE 21
#define FPC_ASYNC_IO 53
#define FPC_PRIO_IO 54
#define FPC_SYNC_IO 55
#define FPC_ACL_EXTENDED 59
#define FPC_ACL_PATH_MAX 60
#define FPC_CAP_PRESENT 61
#define FPC_INF_PRESENT 62
#define FPC_MAC_PRESENT 63
#define FPC_ACL_NFS4 64
/* pathconf(name) for a file of type `mode` (S_IFMT bits) on a file system
 * described by *sf: 0 with *val set, or -1 = EINVAL (unknown name or not
 * applicable to this kind of file). *val may be -1 (no limit). */
int pathconf_value(int name, uint32_t mode, const struct lstatfs *sf, long *val);

/* ---- termios ---- */
#define FNCCS 20
struct ftermios {
	uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
	uint8_t c_cc[FNCCS];
	uint32_t c_ispeed, c_ospeed;
};
_Static_assert(sizeof(struct ftermios) == 44, "ftermios");
#define LNCCS 19
struct ltermios2 {
	uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
	uint8_t c_line;
	uint8_t c_cc[LNCCS];
	uint32_t c_ispeed, c_ospeed;
};
_Static_assert(sizeof(struct ltermios2) == 44, "ltermios2");
void termios_l2f(const struct ltermios2 *l, struct ftermios *f);
void termios_f2l(const struct ftermios *f, struct ltermios2 *l);
