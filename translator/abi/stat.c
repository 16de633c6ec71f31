/* stat and statfs families: fstat/fstatat (ino64 and freebsd11 layouts),
 * statfs/fstatfs/getfsstat (FreeBSD 12 and freebsd11 layouts). */
#include "../trap/dispatch.h"
#include "../rt/rt.h"
#include "xlate.h"
#include "fs.h"
#include <asm-generic/errno.h>
#include <linux/fcntl.h>

long fs_statx(int dirfd, const char *path, int lflags, struct lstatx *x)
{
	/* AT_NO_AUTOMOUNT: what Linux's own stat(2) family implies */
	return lsys5(__NR_statx, dirfd, path, lflags | AT_NO_AUTOMOUNT,
		     LSTATX_BASIC_STATS | LSTATX_BTIME | LSTATX_MNT_ID, x);
}

long fs_fstatfs(int fd, struct lstatfs *sf)
{
	return lsys2(__NR_fstatfs, fd, sf);
}

#define STAT_FLAGS (FAT_SYMLINK_NOFOLLOW | FAT_RESOLVE_BENEATH | FAT_EMPTY_PATH)

#define PIPEFS_MAGIC 0x50495045
#define L_FIONREAD 0x541b

/* pipe_stat/soo_stat: what FreeBSD reports for descriptors that are not
 * vnodes: a bare S_IFIFO (no permission bits, no links) with the bytes
 * waiting as st_size; a socket's mode says it can be read and written. */
static void fd_stat_fixup(int fd, struct fbstat *st)
{
	uint32_t t = st->st_mode & 0170000;
	struct lstatfs sf;
	int n = 0;
	if (t == 0010000 && !fs_fstatfs(fd, &sf) && sf.f_type == PIPEFS_MAGIC) {
		lsys3(__NR_ioctl, fd, L_FIONREAD, &n);
		st->st_mode = 0010000;
		st->st_nlink = 0;
		st->st_blksize = 4096;
		st->st_size = n;
		st->st_blocks = (n + 4095) / 4096;
	} else if (t == 0) {
		/* kqueue_stat/eventfd_stat (anonymous inodes here): S_IFIFO only */
		memset(st, 0, sizeof *st);
		st->st_mode = 0010000;
		return;
	} else if (t == 0140000) {
		if (lerr(lsys3(__NR_ioctl, fd, L_FIONREAD, &n)))
			n = 0; /* listening */
		st->st_mode = 0140000 | 0666;
		st->st_nlink = 0;
		st->st_size = n;
		st->st_blocks = 0;
	} else {
		return;
	}
	st->st_rdev = 0;
	st->st_birthtim.tv_sec = st->st_birthtim.tv_nsec = 0;
}

static long do_fstat(int fd, void *ubuf, int compat11);

static long do_fstatat(int dirfd, const char *path, int fflag, void *ubuf, int compat11)
{
	DIRFD_GUARD(dirfd);
	/* /dev/stdin and the like: what open would give (devfd.c). */
	if (devfd_number(path) >= 0 && !(fflag & FAT_SYMLINK_NOFOLLOW))
		return do_fstat(devfd_number(path), ubuf, compat11);
	int beneath;
	long lf = atflags_f2l((uint32_t)fflag, STAT_FLAGS, &beneath);
	if (lf < 0)
		return -EINVAL;
	UADDR_GUARD(ubuf, compat11 ? sizeof(struct fbstat11) : sizeof(struct fbstat));
	struct atpath a;
	long r = at_begin(&a, dirfd, path, beneath, 1, !(fflag & FAT_SYMLINK_NOFOLLOW));
	if (lerr(r))
		return r;
	struct lstatx x;
	r = fs_statx(a.dirfd, a.path, (int)lf | (a.tmpfd >= 0 ? AT_EMPTY_PATH : 0), &x);
	at_done(&a);
	if (lerr(r))
		return r;
	struct fbstat st;
	stat_from_statx(&x, &st);
	if (path && !path[0] && (fflag & FAT_EMPTY_PATH) && dirfd != FAT_FDCWD)
		fd_stat_fixup(dirfd, &st);
	if (compat11) {
		struct fbstat11 o;
		stat11_from_stat(&st, &o);
		memcpy(ubuf, &o, sizeof o);
	} else {
		memcpy(ubuf, &st, sizeof st);
	}
	return 0;
}

static long do_fstat(int fd, void *ubuf, int compat11)
{
	FD_GUARD(fd);
	if (fd < 0)
		return -EBADF;
	return do_fstatat(fd, "", FAT_EMPTY_PATH, ubuf, compat11);
}

long sys_fstat(struct sysctx *c)
{
	return do_fstat(ARG_INT(c, 0), ARG_PTR(c, 1), 0);
}

long sys_fstatat(struct sysctx *c)
{
	return do_fstatat(ARG_INT(c, 0), ARG_PTR(c, 1), ARG_INT(c, 3), ARG_PTR(c, 2), 0);
}

long sys_freebsd11_stat(struct sysctx *c)
{
	return do_fstatat(FAT_FDCWD, ARG_PTR(c, 0), 0, ARG_PTR(c, 1), 1);
}

long sys_freebsd11_lstat(struct sysctx *c)
{
	return do_fstatat(FAT_FDCWD, ARG_PTR(c, 0), FAT_SYMLINK_NOFOLLOW, ARG_PTR(c, 1), 1);
}

long sys_freebsd11_fstat(struct sysctx *c)
{
	return do_fstat(ARG_INT(c, 0), ARG_PTR(c, 1), 1);
}

long sys_freebsd11_fstatat(struct sysctx *c)
{
	return do_fstatat(ARG_INT(c, 0), ARG_PTR(c, 1), ARG_INT(c, 3), ARG_PTR(c, 2), 1);
}

/* ---- statfs ---- */

/* Reads a whole (procfs) file into a fresh rt_pages buffer, NUL-terminated. */
static char *read_file(const char *path, size_t *size)
{
	long fd = lsys4(__NR_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC, 0);
	if (lerr(fd))
		return NULL;
	size_t cap = 65536, len = 0;
	char *buf = rt_pages(cap);
	while (buf) {
		if (len + 1 >= cap) {
			char *nb = rt_pages(cap * 2);
			if (nb)
				memcpy(nb, buf, len);
			rt_pages_free(buf, cap);
			buf = nb;
			cap *= 2;
			continue;
		}
		long n = lsys3(__NR_read, fd, buf + len, cap - 1 - len);
		if (lerr(n) || n == 0)
			break;
		len += (size_t)n;
	}
	lsys1(__NR_close, fd);
	if (buf) {
		buf[len] = 0;
		*size = cap;
	}
	return buf;
}

struct mnt {
	unsigned long id;
	char *on, *from, *type;
};

/* Splits one mountinfo line in place ("36 35 98:0 /root /mnt opts - type src
 * superopts"); octal escapes in paths are decoded. 0 on success. */
static int parse_mnt(char *line, struct mnt *m)
{
	char *f[10];
	int n = 0;
	char *p = line;
	int dash = -1;
	while (*p && n < 10) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		f[n] = p;
		while (*p && *p != ' ')
			p++;
		if (*p)
			*p++ = 0;
		if (dash < 0 && f[n][0] == '-' && f[n][1] == 0)
			dash = n;
		n++;
		if (dash >= 0 && n >= dash + 3)
			break;
	}
	if (dash < 5 || n < dash + 3)
		return -1;
	m->id = 0;
	for (char *q = f[0]; *q >= '0' && *q <= '9'; q++)
		m->id = m->id * 10 + (unsigned long)(*q - '0');
	m->on = f[4];
	m->type = f[dash + 1];
	m->from = f[dash + 2];
	for (char **s = (char *[]){ m->on, m->from }, **e = s + 2; s < e; s++) {
		char *r = *s, *w = *s;
		while (*r) {
			if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
			    r[3] >= '0' && r[3] <= '7') {
				*w++ = (char)((r[1] - '0') << 6 | (r[2] - '0') << 3 | (r[3] - '0'));
				r += 4;
			} else {
				*w++ = *r++;
			}
		}
		*w = 0;
	}
	return 0;
}

/* kern_do_statfs: only privileged callers see the file-system id. */
static void hide_fsid(struct fbstatfs *f)
{
	if (lsys0(__NR_geteuid) != 0)
		f->f_fsid[0] = f->f_fsid[1] = 0;
}

/* Fills *f for the file system of `fd` (statfs data + mount names). */
static long statfs_fd(int fd, struct fbstatfs *f)
{
	struct lstatfs l;
	long r = fs_fstatfs(fd, &l);
	if (lerr(r))
		return r;
	struct lstatx x;
	/* getvnode_path: pipes, sockets, kqueues, eventfds have no file system */
	uint32_t t = 1;
	if (!fs_statx(fd, "", AT_EMPTY_PATH, &x))
		t = x.stx_mode & 0170000;
	if (t == 0 || t == 0140000 || (t == 0010000 && l.f_type == PIPEFS_MAGIC))
		return -EINVAL;
	const char *on = NULL, *from = NULL;
	size_t size = 0;
	char *buf = NULL;
	if (!fs_statx(fd, "", AT_EMPTY_PATH, &x) && (x.stx_mask & LSTATX_MNT_ID) &&
	    (buf = read_file("/proc/self/mountinfo", &size))) {
		for (char *line = buf; *line;) {
			char *nl = strchr(line, '\n');
			if (nl)
				*nl = 0;
			struct mnt m;
			if (!parse_mnt(line, &m) && m.id == x.stx_mnt_id) {
				on = m.on;
				from = m.from;
				break;
			}
			if (!nl)
				break;
			line = nl + 1;
		}
	}
	statfs_from_linux(&l, on, from, f);
	hide_fsid(f);
	if (buf)
		rt_pages_free(buf, size);
	return 0;
}

static long do_statfs(int dirfd, const char *path, void *ubuf, int compat11)
{
	UADDR_GUARD(ubuf, compat11 ? sizeof(struct fbstatfs11) : sizeof(struct fbstatfs));
	long fd = dirfd;
	PATH_GUARD(path);
	if (path) {
		fd = lsys4(__NR_openat, AT_FDCWD, path, O_PATH | O_CLOEXEC, 0);
		if (lerr(fd))
			return fd;
	}
	struct fbstatfs *f = rt_malloc(sizeof *f);
	long r = f ? statfs_fd((int)fd, f) : -ENOMEM;
	if (path)
		lsys1(__NR_close, fd);
	if (!lerr(r)) {
		if (compat11) {
			struct fbstatfs11 o;
			statfs11_from_statfs(f, &o);
			memcpy(ubuf, &o, sizeof o);
		} else {
			memcpy(ubuf, f, sizeof *f);
		}
	}
	rt_free(f);
	return r;
}

long sys_statfs(struct sysctx *c)
{
	return do_statfs(-1, ARG_PTR(c, 0), ARG_PTR(c, 1), 0);
}

long sys_fstatfs(struct sysctx *c)
{
	FD_GUARD(ARG_INT(c, 0));
	return do_statfs(ARG_INT(c, 0), NULL, ARG_PTR(c, 1), 0);
}

long sys_freebsd11_statfs(struct sysctx *c)
{
	return do_statfs(-1, ARG_PTR(c, 0), ARG_PTR(c, 1), 1);
}

long sys_freebsd11_fstatfs(struct sysctx *c)
{
	FD_GUARD(ARG_INT(c, 0));
	return do_statfs(ARG_INT(c, 0), NULL, ARG_PTR(c, 1), 1);
}

/* getfsstat: every mount of /proc/self/mountinfo; with buf NULL only the
 * count. Mounts that cannot be statfs'd (gone, no permission) are left out. */
#define FMNT_WAIT 1
#define FMNT_NOWAIT 2

static long do_getfsstat(void *ubuf, long bufsize, int mode, int compat11)
{
	if (bufsize < 0 || (mode != FMNT_WAIT && mode != FMNT_NOWAIT))
		return -EINVAL;
	size_t rec = compat11 ? sizeof(struct fbstatfs11) : sizeof(struct fbstatfs);
	size_t max = ubuf && bufsize > 0 ? (size_t)bufsize / rec : 0;
	if (ubuf && max)
		UADDR_GUARD(ubuf, max * rec);
	size_t size;
	char *buf = read_file("/proc/self/mountinfo", &size);
	if (!buf)
		return -EIO;
	struct fbstatfs *f = rt_malloc(sizeof *f);
	long count = 0;
	for (char *line = buf; f && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		struct mnt m;
		struct lstatfs l;
		if (!parse_mnt(line, &m) && !lerr(lsys2(__NR_statfs, m.on, &l))) {
			if (ubuf) {
				if ((size_t)count >= max)
					break;
				statfs_from_linux(&l, m.on, m.from, f);
				hide_fsid(f);
				char *dst = (char *)ubuf + (size_t)count * rec;
				if (compat11) {
					struct fbstatfs11 o;
					statfs11_from_statfs(f, &o);
					memcpy(dst, &o, sizeof o);
				} else {
					memcpy(dst, f, sizeof *f);
				}
			}
			count++;
		}
		if (!nl)
			break;
		line = nl + 1;
	}
	rt_free(f);
	rt_pages_free(buf, size);
	return count;
}

long sys_getfsstat(struct sysctx *c)
{
	return do_getfsstat(ARG_PTR(c, 0), (long)c->a[1], ARG_INT(c, 2), 0);
}

long sys_freebsd11_getfsstat(struct sysctx *c)
{
	return do_getfsstat(ARG_PTR(c, 0), (long)c->a[1], ARG_INT(c, 2), 1);
}
