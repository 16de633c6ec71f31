/* Probe 2: struct stat layouts (structs.md §1) for fstatat/fstat (ino64, 224 B)
 * and the compat11 stat/fstat/lstat (struct freebsd11_stat, 120 B).
 * usage: stat DIR SIZE 0xMODE NLINK INO UID GID MTIME_SEC MTIME_NSEC BLKSIZE BLOCKS
 * DIR holds: f (regular file described by the numbers, from `stat -c`),
 * a hard link to it (so NLINK is 2), l -> f (symlink), d (directory). */
#include "probe.h"

static struct {
	long size, mode, nlink, ino, uid, gid, msec, mnsec, blksize, blocks;
} want;

/* Buffers are poisoned and one word larger than the struct, to catch both
 * unwritten fields and writes past the FreeBSD size (e.g. a Linux layout). */
static union { struct fbsd_stat st; u8 raw[sizeof(struct fbsd_stat) + 8]; } sb;
static union { struct fbsd11_stat st; u8 raw[sizeof(struct fbsd11_stat) + 8]; } ob;
/* 0xee: a poisoned st_mode reads 0xeeee, S_IFWHT, which no check expects. */
static const u8 poison[8] = {0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee};

static sysret do_fstatat(long dirfd, const char *path, int flags)
{
	memset(&sb, 0xee, sizeof sb);
	return SYS(SYS_fstatat, dirfd, path, &sb, flags);
}

static void check_file_stat(void)
{
	static const u8 zero[9 * 8];
	CHECK_EQ("st_size @112", sb.st.st_size, want.size);
	CHECK_EQ("st_mode @24", sb.st.st_mode, want.mode);
	CHECK_EQ("st_nlink @16", sb.st.st_nlink, want.nlink);
	CHECK_EQ("st_ino @8", sb.st.st_ino, want.ino);
	CHECK_EQ("st_uid @28", sb.st.st_uid, want.uid);
	CHECK_EQ("st_gid @32", sb.st.st_gid, want.gid);
	CHECK_EQ("st_mtim.tv_sec @64", sb.st.st_mtim.tv_sec, want.msec);
	CHECK_EQ("st_mtim.tv_nsec @72", sb.st.st_mtim.tv_nsec, want.mnsec);
	CHECK_EQ("st_blksize @128", sb.st.st_blksize, want.blksize);
	CHECK_EQ("st_blocks @120 (512-byte units)", sb.st.st_blocks, want.blocks);
	CHECK_EQ("st_rdev @40 is 0 for a regular file", sb.st.st_rdev, 0);
	rt_check_mem("st_spare @152..223 zeroed", sb.st.st_spare, zero, sizeof zero);
	rt_check_mem("nothing written past 224 bytes", sb.raw + sizeof sb.st, poison, 8);
}

static void check_compat11(void)
{
	/* freebsd11_cvtstat truncates silently by default (vfs.ino64_trunc_error=0). */
	CHECK_EQ("compat11 st_ino @4 (low 32 bits)", ob.st.st_ino, (u32)want.ino);
	CHECK_EQ("compat11 st_mode @8", ob.st.st_mode, want.mode);
	CHECK_EQ("compat11 st_nlink @10", ob.st.st_nlink, want.nlink);
	CHECK_EQ("compat11 st_uid @12", ob.st.st_uid, want.uid);
	CHECK_EQ("compat11 st_mtim @40", ob.st.st_mtim.tv_sec, want.msec);
	CHECK_EQ("compat11 st_mtim.tv_nsec @48", ob.st.st_mtim.tv_nsec, want.mnsec);
	CHECK_EQ("compat11 st_size @72", ob.st.st_size, want.size);
	CHECK_EQ("compat11 st_blksize @88", ob.st.st_blksize, want.blksize);
	rt_check_mem("compat11 nothing written past 120 bytes", ob.raw + sizeof ob.st, poison, 8);
}

int main(int argc, char **argv, char **envp)
{
	char f[512], l[512], d[512];
	const char *dir = argv[1];
	sysret r;
	long fd, dfd;

	if (argc < 12) {
		rt_note("usage: stat DIR SIZE 0xMODE NLINK INO UID GID MTIME_SEC MTIME_NSEC BLKSIZE BLOCKS");
		return 2;
	}
	want.size = rt_atol(argv[2]);
	want.mode = rt_atol(argv[3]); /* 0x-prefixed hex */
	want.nlink = rt_atol(argv[4]);
	want.ino = rt_atol(argv[5]);
	want.uid = rt_atol(argv[6]);
	want.gid = rt_atol(argv[7]);
	want.msec = rt_atol(argv[8]);
	want.mnsec = rt_atol(argv[9]);
	want.blksize = rt_atol(argv[10]);
	want.blocks = rt_atol(argv[11]);
	rt_join(f, dir, "f");
	rt_join(l, dir, "l");
	rt_join(d, dir, "d");

	/* 552 fstatat, ino64 struct stat */
	if (CHECK_OK("fstatat(AT_FDCWD, f)", do_fstatat(AT_FDCWD, f, 0)))
		check_file_stat();
	/* AT_SYMLINK_NOFOLLOW is 0x200 on FreeBSD (Linux: AT_REMOVEDIR). */
	CHECK_OK("fstatat(l, AT_SYMLINK_NOFOLLOW)", do_fstatat(AT_FDCWD, l, AT_SYMLINK_NOFOLLOW));
	CHECK_EQ("symlink: S_IFLNK", sb.st.st_mode & 0xf000, 0xa000);
	CHECK_EQ("symlink: st_size = strlen(target)", sb.st.st_size, 1);
	CHECK_OK("fstatat(l) follows", do_fstatat(AT_FDCWD, l, 0));
	CHECK_EQ("followed symlink: same st_ino as f", sb.st.st_ino, want.ino);
	CHECK_OK("fstatat(d)", do_fstatat(AT_FDCWD, d, 0));
	CHECK_EQ("directory: S_IFDIR", sb.st.st_mode & 0xf000, 0x4000);
	CHECK_ERR("fstatat(missing) -> ENOENT", do_fstatat(AT_FDCWD, "/nonexistent/x", 0), ENOENT);
	/* kern_statat accepts only NOFOLLOW|RESOLVE_BENEATH|EMPTY_PATH; 0x100 is Linux's NOFOLLOW. */
	CHECK_ERR("fstatat(flag 0x100) -> EINVAL", do_fstatat(AT_FDCWD, f, 0x100), EINVAL);

	/* Relative lookups: a directory fd, and AT_FDCWD arriving as a 32-bit
	 * value 0x00000000ffffff9c (syscalls.md "Argument width"). */
	r = SYS(SYS_open, dir, O_RDONLY | O_DIRECTORY);
	CHECK_OK("open(DIR, O_DIRECTORY)", r);
	dfd = r.val;
	CHECK_OK("fstatat(dirfd, \"f\")", do_fstatat(dfd, "f", 0));
	CHECK_EQ("fstatat(dirfd, \"f\") st_ino", sb.st.st_ino, want.ino);
	SYS(SYS_close, dfd);
	CHECK_OK("chdir(DIR)", SYS(SYS_chdir, dir));
	CHECK_OK("fstatat(0xffffff9c zero-extended, \"f\")", do_fstatat(0xffffff9cL, "f", 0));
	CHECK_EQ("fstatat(32-bit AT_FDCWD) st_ino", sb.st.st_ino, want.ino);

	/* 551 fstat on an open descriptor */
	r = SYS(SYS_open, f, O_RDONLY);
	CHECK_OK("open(f)", r);
	fd = r.val;
	memset(&sb, 0xee, sizeof sb);
	if (CHECK_OK("fstat(fd) #551", SYS(SYS_fstat, fd, &sb)))
		check_file_stat();

	/* COMPAT11 generation: 189 fstat, 188 stat, 190 lstat (syscalls.md table) */
	memset(&ob, 0xee, sizeof ob);
	if (CHECK_OK("freebsd11 fstat #189", SYS(SYS_freebsd11_fstat, fd, &ob)))
		check_compat11();
	memset(&ob, 0xee, sizeof ob);
	if (CHECK_OK("freebsd11 stat #188", SYS(SYS_freebsd11_stat, f, &ob)))
		check_compat11();
	memset(&ob, 0xee, sizeof ob);
	CHECK_OK("freebsd11 lstat #190 on symlink", SYS(SYS_freebsd11_lstat, l, &ob));
	CHECK_EQ("freebsd11 lstat: S_IFLNK", ob.st.st_mode & 0xf000, 0xa000);
	SYS(SYS_close, fd);
	return rt_done();
}
