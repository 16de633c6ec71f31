/* File-system translations: *at flags, record locks, timestamps, device
 * numbers, stat/statfs layouts, directory records, termios, pathconf. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "abi/fsabi.h"

static void at_flags(void **state)
{
	(void)state;
	int b = -1;
	assert_int_equal(atflags_f2l(0, 0, &b), 0);
	assert_int_equal(b, 0);
	assert_int_equal(atflags_f2l(FAT_SYMLINK_NOFOLLOW, FAT_SYMLINK_NOFOLLOW, NULL), LAT_SYMLINK_NOFOLLOW);
	assert_int_equal(atflags_f2l(FAT_REMOVEDIR, FAT_REMOVEDIR, NULL), LAT_REMOVEDIR);
	assert_int_equal(atflags_f2l(FAT_EACCESS, FAT_EACCESS, NULL), LAT_EACCESS);
	assert_int_equal(atflags_f2l(FAT_EMPTY_PATH | FAT_SYMLINK_FOLLOW, ~0U, NULL),
			 LAT_EMPTY_PATH | LAT_SYMLINK_FOLLOW);
	assert_int_equal(atflags_f2l(FAT_RESOLVE_BENEATH, FAT_RESOLVE_BENEATH, &b), 0);
	assert_int_equal(b, 1);
	/* a flag the call does not take, or an unknown bit: EINVAL */
	assert_int_equal(atflags_f2l(FAT_REMOVEDIR, FAT_SYMLINK_NOFOLLOW, NULL), -1);
	assert_int_equal(atflags_f2l(0x1, ~0U & ~1U, NULL), -1);
}

static void record_locks(void **state)
{
	(void)state;
	struct fflock f = { .l_start = 31415, .l_len = 271828, .l_pid = 7, .l_type = FF_WRLCK,
			    .l_whence = 1, .l_sysid = 9 };
	struct lflock l;
	assert_int_equal(flock_f2l(&f, &l), 0);
	assert_int_equal(l.l_type, LF_WRLCK);
	assert_int_equal(l.l_whence, 1);
	assert_int_equal(l.l_start, 31415);
	assert_int_equal(l.l_len, 271828);
	f.l_type = FF_RDLCK;
	flock_f2l(&f, &l);
	assert_int_equal(l.l_type, LF_RDLCK);
	f.l_type = FF_UNLCK;
	flock_f2l(&f, &l);
	assert_int_equal(l.l_type, LF_UNLCK);
	f.l_type = 0;
	assert_int_equal(flock_f2l(&f, &l), -1);

	struct lflock k = { .l_type = LF_WRLCK, .l_whence = 0, .l_start = 31414, .l_len = 271829, .l_pid = 42 };
	struct fflock o;
	memset(&o, 0x55, sizeof o);
	flock_l2f(&k, &o);
	assert_int_equal(o.l_type, FF_WRLCK);
	assert_int_equal(o.l_start, 31414);
	assert_int_equal(o.l_len, 271829);
	assert_int_equal(o.l_pid, 42);
	assert_int_equal(o.l_whence, 0);
	assert_int_equal(o.l_sysid, 0);
	k.l_type = LF_RDLCK;
	flock_l2f(&k, &o);
	assert_int_equal(o.l_type, FF_RDLCK);
	k.l_type = LF_UNLCK;
	flock_l2f(&k, &o);
	assert_int_equal(o.l_type, FF_UNLCK);
}

static void timestamps(void **state)
{
	(void)state;
	struct ftimespec in[2] = { { 5, FUTIME_NOW }, { 6, FUTIME_OMIT } };
	struct ltimespec out[2];
	utimens_f2l(in, out);
	assert_int_equal(out[0].tv_nsec, LUTIME_NOW);
	assert_int_equal(out[1].tv_nsec, LUTIME_OMIT);
	in[0].tv_nsec = 123;
	in[1].tv_nsec = LUTIME_NOW; /* Linux's magic is just out of range here */
	utimens_f2l(in, out);
	assert_int_equal(out[0].tv_nsec, 123);
	assert_int_equal(out[0].tv_sec, 5);
	assert_true(out[1].tv_nsec < 0);

	struct ftimeval tv[2] = { { 1, 2 }, { 3, 999999 } };
	assert_int_equal(utimes_f2l(tv, out), 0);
	assert_int_equal(out[0].tv_nsec, 2000);
	assert_int_equal(out[1].tv_sec, 3);
	assert_int_equal(out[1].tv_nsec, 999999000);
	tv[1].tv_usec = 1000000;
	assert_int_equal(utimes_f2l(tv, out), -1);
	tv[1].tv_usec = -1;
	assert_int_equal(utimes_f2l(tv, out), -1);
}

static void device_numbers(void **state)
{
	(void)state;
	/* small numbers: the classic (major << 8) | minor on both systems */
	assert_int_equal(fdev_make(8, 1), 0x801);
	assert_int_equal(ldev_encode(8, 1), 0x801);
	uint32_t majors[] = { 0, 1, 136, 254, 255, 256, 4095, 0x123456 };
	uint32_t minors[] = { 0, 1, 255, 256, 0x1234, 0xfffff, 0x12345678 };
	for (unsigned i = 0; i < sizeof majors / sizeof majors[0]; i++)
		for (unsigned j = 0; j < sizeof minors / sizeof minors[0]; j++) {
			uint64_t d = fdev_make(majors[i], minors[j]);
			assert_int_equal(fdev_major(d), majors[i]);
			assert_int_equal(fdev_minor(d), minors[j]);
		}
	/* Linux new_encode_dev: minor's high bits above bit 20 */
	assert_int_equal(ldev_encode(136, 0x12345), (0x45 | (136 << 8) | (0x123 << 20)));
}

static void stat_layout(void **state)
{
	(void)state;
	struct lstatx x;
	memset(&x, 0, sizeof x);
	x.stx_mask = LSTATX_BASIC_STATS | LSTATX_BTIME;
	x.stx_dev_major = 254;
	x.stx_dev_minor = 0;
	x.stx_rdev_major = 136;
	x.stx_rdev_minor = 3;
	x.stx_ino = 0x123456789aULL;
	x.stx_nlink = 70000;
	x.stx_mode = 0100644;
	x.stx_uid = 1000;
	x.stx_gid = 100;
	x.stx_size = 12345;
	x.stx_blocks = 24;
	x.stx_blksize = 4096;
	x.stx_atime.tv_sec = 1;
	x.stx_atime.tv_nsec = 2;
	x.stx_mtime.tv_sec = 3;
	x.stx_mtime.tv_nsec = 4;
	x.stx_ctime.tv_sec = 5;
	x.stx_ctime.tv_nsec = 6;
	x.stx_btime.tv_sec = 7;
	x.stx_btime.tv_nsec = 8;
	x.stx_attributes = LSTATX_ATTR_APPEND | LSTATX_ATTR_NODUMP;
	struct fbstat s;
	stat_from_statx(&x, &s);
	const unsigned char *b = (const unsigned char *)&s;
	uint64_t v64;
	uint16_t v16;
	memcpy(&v64, b + 8, 8);
	assert_int_equal(v64, 0x123456789aULL); /* st_ino @8 */
	memcpy(&v64, b + 16, 8);
	assert_int_equal(v64, 70000); /* st_nlink @16 */
	memcpy(&v16, b + 24, 2);
	assert_int_equal(v16, 0100644); /* st_mode @24 */
	memcpy(&v64, b + 112, 8);
	assert_int_equal(v64, 12345); /* st_size @112 */
	assert_int_equal(s.st_dev, 254 << 8);
	assert_int_equal(s.st_rdev, (136 << 8) | 3);
	assert_int_equal(s.st_birthtim.tv_sec, 7);
	assert_int_equal(s.st_birthtim.tv_nsec, 8);
	assert_int_equal(s.st_mtim.tv_nsec, 4);
	assert_int_equal(s.st_blksize, 4096);
	assert_int_equal(s.st_flags, FSF_APPEND | FUF_NODUMP);
	assert_int_equal(s.st_gen, 0);

	x.stx_mask &= ~LSTATX_BTIME;
	stat_from_statx(&x, &s);
	assert_int_equal(s.st_birthtim.tv_sec, -1);
	assert_int_equal(s.st_birthtim.tv_nsec, 0);

	struct fbstat11 o;
	stat11_from_stat(&s, &o);
	assert_int_equal(o.st_ino, 0x3456789a); /* truncated */
	assert_int_equal(o.st_nlink, 0xffff);   /* clamped */
	assert_int_equal(o.st_mode, 0100644);
	assert_int_equal(o.st_rdev, (136 << 8) | 3);
	assert_int_equal(o.st_size, 12345);
	assert_int_equal(o.st_birthtim.tv_sec, -1);
	assert_int_equal(o.st_ctim.tv_sec, 5);
}

static void statfs_layout(void **state)
{
	(void)state;
	struct lstatfs l;
	memset(&l, 0, sizeof l);
	l.f_type = 0xef53;
	l.f_bsize = 4096;
	l.f_frsize = 1024;
	l.f_blocks = 1000;
	l.f_bfree = 500;
	l.f_bavail = 400;
	l.f_files = 100;
	l.f_ffree = 50;
	l.f_namelen = 255;
	l.f_fsid[0] = 11;
	l.f_fsid[1] = 22;
	l.f_flags = 0x1 | 0x2 | 0x400; /* ST_RDONLY | ST_NOSUID | ST_NOATIME */
	struct fbstatfs f;
	statfs_from_linux(&l, "/", "/dev/vda", &f);
	assert_int_equal(f.f_version, FSTATFS_VERSION);
	assert_string_equal(f.f_fstypename, "ufs");
	assert_string_equal(f.f_mntonname, "/");
	assert_string_equal(f.f_mntfromname, "/dev/vda");
	assert_int_equal(f.f_bsize, 1024);
	assert_int_equal(f.f_iosize, 4096);
	assert_int_equal(f.f_blocks, 1000);
	assert_int_equal(f.f_bavail, 400);
	assert_int_equal(f.f_namemax, 255);
	assert_int_equal(f.f_fsid[1], 22);
	assert_int_equal(f.f_flags, FMNT_RDONLY | FMNT_NOSUID | FMNT_NOATIME | FMNT_LOCAL | FMNT_ROOTFS);

	l.f_type = 0x01021994;
	l.f_flags = 0;
	statfs_from_linux(&l, "/tmp", "tmpfs", &f);
	assert_string_equal(f.f_fstypename, "tmpfs");
	assert_int_equal(f.f_flags, FMNT_LOCAL);
	statfs_from_linux(&l, "/dev", "devtmpfs", &f);
	assert_string_equal(f.f_fstypename, "devfs");
	l.f_type = 0x6969;
	statfs_from_linux(&l, "/net", "srv:/x", &f);
	assert_string_equal(f.f_fstypename, "nfs");
	assert_int_equal(f.f_flags & FMNT_LOCAL, 0);

	char longname[200];
	memset(longname, 'a', sizeof longname - 1);
	longname[sizeof longname - 1] = 0;
	statfs_from_linux(&l, longname, "x", &f);
	struct fbstatfs11 o;
	statfs11_from_statfs(&f, &o);
	assert_int_equal(o.f_version, FSTATFS11_VERSION);
	assert_int_equal(o.f_blocks, 1000);
	assert_string_equal(o.f_fstypename, "nfs");
	assert_int_equal(strlen(o.f_mntonname), 87); /* truncated to 88 with NUL */

	int local;
	assert_string_equal(fstypename(0x9123683e, &local), "zfs");
	assert_int_equal(local, 1);
}

/* Builds a Linux dirent64 record. */
static size_t put_l(char *buf, uint64_t ino, int64_t off, unsigned char type, const char *name)
{
	size_t len = (19 + strlen(name) + 1 + 7) & ~7UL;
	struct ldirent64 *d = (void *)buf;
	memset(buf, 0, len);
	d->d_ino = ino;
	d->d_off = off;
	d->d_reclen = (uint16_t)len;
	d->d_type = type;
	memcpy(d->d_name, name, strlen(name));
	return len;
}

static void directory_records(void **state)
{
	(void)state;
	char in[4096], out[4096];
	size_t n = 0;
	n += put_l(in + n, 10, 100, 4, ".");
	n += put_l(in + n, 2, 200, 4, "..");
	n += put_l(in + n, 0x1234567890ULL, 300, 8, "file-with-a-name");
	struct dirconv r;
	dirents_l2f(in, n, out, sizeof out, 0, &r);
	assert_int_equal(r.converted, 3);
	assert_int_equal(r.in_used, n);
	assert_int_equal(r.next_off, 300);
	assert_int_equal(r.out_len, 32 + 32 + 48);
	struct fdirent *d = (void *)out;
	assert_int_equal(d->d_fileno, 10);
	assert_int_equal(d->d_off, 100);
	assert_int_equal(d->d_reclen, 32);
	assert_int_equal(d->d_type, 4);
	assert_int_equal(d->d_namlen, 1);
	assert_string_equal(d->d_name, ".");
	d = (void *)(out + 64);
	assert_int_equal(d->d_fileno, 0x1234567890ULL);
	assert_int_equal(d->d_namlen, 16);
	assert_int_equal(d->d_reclen, 48);
	assert_string_equal(d->d_name, "file-with-a-name");

	/* room for two records only: the third stays for the next call */
	dirents_l2f(in, n, out, 64 + 40, 0, &r);
	assert_int_equal(r.converted, 2);
	assert_int_equal(r.out_len, 64);
	assert_int_equal(r.next_off, 200);
	assert_int_equal(r.in_used, 24 + 24);
	/* not even one */
	dirents_l2f(in, n, out, 16, 0, &r);
	assert_int_equal(r.converted, 0);
	assert_int_equal(r.in_used, 0);

	/* freebsd11: 32-bit fileno, 4-byte aligned records */
	dirents_l2f(in, n, out, sizeof out, 1, &r);
	assert_int_equal(r.converted, 3);
	struct fdirent11 *e = (void *)out;
	assert_int_equal(e->d_reclen, 12);
	assert_int_equal(e->d_namlen, 1);
	e = (void *)(out + 12 + 12);
	assert_int_equal(e->d_fileno, 0x34567890);
	assert_int_equal(e->d_reclen, (8 + 16 + 1 + 3) & ~3);
	assert_string_equal(e->d_name, "file-with-a-name");
	assert_int_equal(r.out_len, 12 + 12 + 28);
}

static void directory_long_names(void **state)
{
	(void)state;
	char in[4096], out[4096], name[300];
	memset(name, 'x', 280);
	name[280] = 0;
	size_t n = put_l(in, 5, 50, 8, name);
	n += put_l(in + n, 6, 60, 8, "ok");
	struct dirconv r;
	dirents_l2f(in, n, out, sizeof out, 1, &r);
	assert_int_equal(r.converted, 1); /* the 280-byte name is skipped */
	assert_int_equal(r.in_used, n);
	assert_int_equal(r.next_off, 60);
	assert_string_equal(((struct fdirent11 *)out)->d_name, "ok");
	dirents_l2f(in, n, out, sizeof out, 0, &r);
	assert_int_equal(r.converted, 2);
	assert_int_equal(((struct fdirent *)out)->d_namlen, 280);
	assert_int_equal(((struct fdirent *)out)->d_reclen, FDIRENT_LEN(280));
}

static void termios_round_trip(void **state)
{
	(void)state;
	/* a typical Linux cooked tty at 38400 */
	struct ltermios2 l;
	memset(&l, 0, sizeof l);
	l.c_iflag = 0x100 | 0x400 | 0x2000 | 0x4000;   /* ICRNL IXON IMAXBEL IUTF8 */
	l.c_oflag = 0x1 | 0x4;                         /* OPOST ONLCR */
	l.c_cflag = 0xf | 0x30 | 0x80;                 /* B38400 CS8 CREAD */
	l.c_lflag = 0x1 | 0x2 | 0x8 | 0x10 | 0x20 | 0x200 | 0x800 | 0x8000;
	l.c_cc[0] = 3;   /* VINTR ^C */
	l.c_cc[2] = 127; /* VERASE */
	l.c_cc[4] = 4;   /* VEOF ^D */
	l.c_cc[6] = 1;   /* VMIN */
	l.c_cc[5] = 0;   /* VTIME */
	l.c_cc[11] = 0;  /* VEOL disabled */
	l.c_ispeed = l.c_ospeed = 38400;
	struct ftermios f;
	termios_l2f(&l, &f);
	assert_int_equal(f.c_iflag, 0x100 | 0x200 | 0x2000 | 0x4000);
	assert_int_equal(f.c_oflag, 0x1 | 0x2);
	assert_int_equal(f.c_cflag, 0x300 | 0x800);
	assert_int_equal(f.c_lflag, 0x80 | 0x100 | 0x8 | 0x2 | 0x4 | 0x40 | 0x1 | 0x400);
	assert_int_equal(f.c_cc[8], 3);     /* VINTR */
	assert_int_equal(f.c_cc[3], 127);   /* VERASE */
	assert_int_equal(f.c_cc[0], 4);     /* VEOF */
	assert_int_equal(f.c_cc[16], 1);    /* VMIN */
	assert_int_equal(f.c_cc[17], 0);    /* VTIME stays a number */
	assert_int_equal(f.c_cc[1], 0xff);  /* VEOL: _POSIX_VDISABLE */
	assert_int_equal(f.c_cc[18], 0xff); /* VSTATUS: none on Linux */
	assert_int_equal(f.c_ispeed, 38400);
	assert_int_equal(f.c_ospeed, 38400);

	struct ltermios2 back;
	termios_f2l(&f, &back);
	assert_int_equal(back.c_iflag, l.c_iflag);
	assert_int_equal(back.c_oflag, l.c_oflag);
	assert_int_equal(back.c_cflag, l.c_cflag);
	assert_int_equal(back.c_lflag, l.c_lflag);
	assert_memory_equal(back.c_cc, l.c_cc, 17);
	assert_int_equal(back.c_ospeed, 38400);

	/* raw mode at 115200 with flow control; speed codes */
	f.c_lflag = 0;
	f.c_iflag = 0;
	f.c_cflag = 0x300 | 0x800 | 0x30000 | 0x8000; /* CS8 CREAD CRTSCTS CLOCAL */
	f.c_ispeed = 0;
	f.c_ospeed = 115200;
	termios_f2l(&f, &back);
	assert_int_equal(back.c_cflag, 0x30 | 0x80 | 0x80000000U | 0x800 | 0x1002);
	assert_int_equal(back.c_ispeed, 115200);
	termios_l2f(&back, &f);
	assert_int_equal(f.c_cflag, 0x300 | 0x800 | 0x30000 | 0x8000);
	assert_int_equal(f.c_ispeed, 115200);
	/* a non-standard speed travels as BOTHER + number */
	f.c_ospeed = 12345;
	f.c_ispeed = 9600;
	termios_f2l(&f, &back);
	assert_int_equal(back.c_cflag & 0x100f, 0x1000);
	assert_int_equal((back.c_cflag >> 16) & 0x100f, 13); /* B9600 */
	assert_int_equal(back.c_ospeed, 12345);
	/* Linux filled only the code: speeds come from it */
	memset(&l, 0, sizeof l);
	l.c_cflag = 13 | (0x1002U << 16);
	termios_l2f(&l, &f);
	assert_int_equal(f.c_ospeed, 9600);
	assert_int_equal(f.c_ispeed, 115200);
}

static void pathconf_values(void **state)
{
	(void)state;
	struct lstatfs sf;
	memset(&sf, 0, sizeof sf);
	sf.f_type = 0xef53;
	sf.f_bsize = 4096;
	sf.f_frsize = 4096;
	sf.f_namelen = 255;
	long v;
	assert_int_equal(pathconf_value(FPC_NAME_MAX, 0100644, &sf, &v), 0);
	assert_int_equal(v, 255);
	assert_int_equal(pathconf_value(FPC_PATH_MAX, 0040755, &sf, &v), 0);
	assert_int_equal(v, 1024);
	assert_int_equal(pathconf_value(FPC_LINK_MAX, 0100644, &sf, &v), 0);
	assert_int_equal(v, 65000);
	assert_int_equal(pathconf_value(FPC_PIPE_BUF, 0100644, &sf, &v), -1);
	assert_int_equal(pathconf_value(FPC_PIPE_BUF, 0040755, &sf, &v), 0);
	assert_int_equal(v, 512);
	assert_int_equal(pathconf_value(FPC_MAX_CANON, 0100644, &sf, &v), -1);
	assert_int_equal(pathconf_value(FPC_VDISABLE, 0020620, &sf, &v), 0);
	assert_int_equal(v, 0xff);
	assert_int_equal(pathconf_value(FPC_REC_MAX_XFER_SIZE, 0100644, &sf, &v), 0);
	assert_int_equal(v, -1);
	assert_int_equal(pathconf_value(9999, 0100644, &sf, &v), -1);
	sf.f_type = 0x50495045; /* a pipe knows only PIPE_BUF */
	assert_int_equal(pathconf_value(FPC_PIPE_BUF, 0010600, &sf, &v), 0);
	assert_int_equal(v, 512);
	assert_int_equal(pathconf_value(FPC_NAME_MAX, 0010600, &sf, &v), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(at_flags),
		cmocka_unit_test(record_locks),
		cmocka_unit_test(timestamps),
		cmocka_unit_test(device_numbers),
		cmocka_unit_test(stat_layout),
		cmocka_unit_test(statfs_layout),
		cmocka_unit_test(directory_records),
		cmocka_unit_test(directory_long_names),
		cmocka_unit_test(termios_round_trip),
		cmocka_unit_test(pathconf_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
