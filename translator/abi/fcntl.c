/* fcntl(2): every FreeBSD F_* command (constants.md "fcntl(2)"). */
#include "../trap/dispatch.h"
#include "../rt/rt.h"
#include "xlate.h"
#include "fs.h"
#include "kqhook.h"
#include <asm-generic/errno.h>
#include <linux/fcntl.h>

long fd_dup2(int old, int new, int cloexec); /* file.c */

#define FF_DUPFD 0
#define FF_GETFD 1
#define FF_SETFD 2
#define FF_GETFL 3
#define FF_SETFL 4
#define FF_GETOWN 5
#define FF_SETOWN 6
#define FF_OGETLK 7
#define FF_OSETLK 8
#define FF_OSETLKW 9
#define FF_DUP2FD 10
#define FF_GETLK 11
#define FF_SETLK 12
#define FF_SETLKW 13
#define FF_SETLK_REMOTE 14
#define FF_READAHEAD 15
#define FF_RDAHEAD 16
#define FF_DUPFD_CLOEXEC 17
#define FF_DUP2FD_CLOEXEC 18
#define FF_ADD_SEALS 19
#define FF_GET_SEALS 20
#define FF_ISUNIONSTACK 21
#define FF_KINFO 22

#define S_FMT 0170000
#define S_FIFO 0010000
#define S_CHR 0020000
#define S_DIR 0040000
#define S_BLK 0060000
#define S_REG 0100000
#define S_LNK 0120000
#define S_SOCK 0140000
#define PIPEFS_MAGIC 0x50495045

/* Record locks: `size` is 32 (struct flock) or 24 (struct __oflock). */
static long vnode_type(int fd);

static long do_lock(int fd, int lcmd, struct fflock *u, size_t size)
{
	UADDR_GUARD(u, size);
	long v = vnode_type(fd); /* kern_fcntl: DTYPE_VNODE only, else EBADF */
	if (lerr(v))
		return v;
	struct fflock f = { 0 };
	memcpy(&f, u, size);
	struct lflock l;
	if (flock_f2l(&f, &l))
		return -EINVAL;
	long r = lcmd == F_SETLKW ? bsys(__NR_fcntl, fd, lcmd, &l, 0, 0, 0)
				  : lsys3(__NR_fcntl, fd, lcmd, &l);
	if (lerr(r) || lcmd != F_GETLK)
		return lerr(r) ? r : 0;
	flock_l2f(&l, &f);
	memcpy(u, &f, size);
	return 0;
}

/* FreeBSD answers EBADF for commands that need a vnode (regular file,
 * directory, device, link): not pipes, sockets, anonymous files, O_PATH. */
static long vnode_type(int fd)
{
	struct lstatx x;
	long r = fs_statx(fd, "", AT_EMPTY_PATH, &x);
	if (lerr(r))
		return r;
	uint32_t t = x.stx_mode & S_FMT;
	if (t == 0 || t == S_FIFO || t == S_SOCK)
		return -EBADF;
	return 0;
}

static long need_vnode(int fd)
{
	long fl = lsys3(__NR_fcntl, fd, F_GETFL, 0);
	if (lerr(fl))
		return fl;
	if (fl & O_PATH)
		return -EBADF;
	return vnode_type(fd);
}

/* struct kinfo_file (sys/user.h), KINFO_FILE_SIZE = 1392 on amd64. */
struct fkinfo_file {
	int32_t kf_structsize;
	int32_t kf_type;
	int32_t kf_fd;
	int32_t kf_ref_count;
	int32_t kf_flags;
	int32_t kf_pad0;
	int64_t kf_offset;
	union {
		struct {
			int32_t kf_file_type;
			int32_t kf_spareint[3];
			uint64_t kf_spareint64[30];
			uint64_t kf_file_fsid;
			uint64_t kf_file_rdev;
			uint64_t kf_file_fileid;
			uint64_t kf_file_size;
			uint32_t kf_file_fsid_freebsd11;
			uint32_t kf_file_rdev_freebsd11;
			uint16_t kf_file_mode;
			uint16_t kf_file_pad0;
			uint32_t kf_file_pad1;
		} kf_file;
		struct {
			uint32_t kf_sock_sendq;
			int32_t kf_sock_domain0;
			int32_t kf_sock_type0;
			int32_t kf_sock_protocol0;
		} kf_sock;
		uint8_t kf_un_size[304];
	} kf_un;
	uint16_t kf_status;
	uint16_t kf_pad1;
	int32_t kf_ispare0;
	uint64_t kf_cap_rights[2];
	uint64_t kf_cap_spare;
	char kf_path[1024];
};
_Static_assert(sizeof(struct fkinfo_file) == 1392, "kinfo_file");
_Static_assert(FS_OFF(struct fkinfo_file, kf_status) == 336, "kf_status");
_Static_assert(FS_OFF(struct fkinfo_file, kf_path) == 368, "kf_path");

#define KF_TYPE_VNODE 1
#define KF_TYPE_SOCKET 2
#define KF_TYPE_PIPE 3
#define KF_TYPE_FIFO 4
#define KF_TYPE_UNKNOWN 255
#define KF_ATTR_VALID 1

static int vtype_of(uint32_t t)
{
	switch (t) {
	case S_REG: return 1;
	case S_DIR: return 2;
	case S_BLK: return 3;
	case S_CHR: return 4;
	case S_LNK: return 5;
	case S_SOCK: return 6;
	case S_FIFO: return 7;
	default: return 0;
	}
}

/* F_KINFO: what the descriptor is and, for files, its path. */
static long do_kinfo(int fd, struct fkinfo_file *u)
{
	UADDR_GUARD(u, sizeof *u);
	if (u->kf_structsize != (int32_t)sizeof *u)
		return -EINVAL;
	long fl = lsys3(__NR_fcntl, fd, F_GETFL, 0);
	if (lerr(fl))
		return fl;
	struct lstatx x;
	long r = fs_statx(fd, "", AT_EMPTY_PATH, &x);
	if (lerr(r))
		return r;
	struct fbstat st;
	stat_from_statx(&x, &st);
	struct fkinfo_file k;
	memset(&k, 0, sizeof k);
	k.kf_structsize = sizeof k;
	k.kf_fd = fd;
	k.kf_ref_count = 1;
	uint32_t t = x.stx_mode & S_FMT;
	if (t == S_SOCK) {
		k.kf_type = KF_TYPE_SOCKET;
	} else if (t == S_FIFO) {
		struct lstatfs sf;
		k.kf_type = !fs_fstatfs(fd, &sf) && sf.f_type == PIPEFS_MAGIC ? KF_TYPE_PIPE : KF_TYPE_FIFO;
	} else if (t == 0) {
		k.kf_type = KF_TYPE_UNKNOWN;
	} else {
		k.kf_type = KF_TYPE_VNODE;
	}
	if (!(fl & O_PATH)) {
		int acc = fl & O_ACCMODE;
		k.kf_flags |= (acc == O_RDONLY || acc == O_RDWR) ? 0x1 : 0;
		k.kf_flags |= (acc == O_WRONLY || acc == O_RDWR) ? 0x2 : 0;
	}
	k.kf_flags |= (fl & O_APPEND ? 0x4 : 0) | (fl & FASYNC ? 0x8 : 0) | (fl & O_SYNC ? 0x10 : 0) |
		      (fl & O_NONBLOCK ? 0x20 : 0) | (fl & O_DIRECT ? 0x40 : 0) |
		      (fl & O_NOFOLLOW ? 0x400 : 0);
	long off = lsys3(__NR_lseek, fd, 0, 1 /* SEEK_CUR */);
	k.kf_offset = lerr(off) ? 0 : off;
	if (k.kf_type == KF_TYPE_VNODE || k.kf_type == KF_TYPE_FIFO) {
		k.kf_un.kf_file.kf_file_type = vtype_of(t);
		k.kf_un.kf_file.kf_file_fsid = st.st_dev;
		k.kf_un.kf_file.kf_file_rdev = st.st_rdev;
		k.kf_un.kf_file.kf_file_fileid = st.st_ino;
		k.kf_un.kf_file.kf_file_size = (uint64_t)st.st_size;
		k.kf_un.kf_file.kf_file_fsid_freebsd11 = (uint32_t)st.st_dev;
		k.kf_un.kf_file.kf_file_rdev_freebsd11 = (uint32_t)st.st_rdev;
		k.kf_un.kf_file.kf_file_mode = st.st_mode;
	} else if (k.kf_type == KF_TYPE_SOCKET) {
		/* SOL_SOCKET: SO_DOMAIN 39, SO_TYPE 3, SO_PROTOCOL 38 */
		int v = 0, len = sizeof v;
		if (!lsys5(__NR_getsockopt, fd, 1, 39, &v, &len))
			k.kf_un.kf_sock.kf_sock_domain0 = v == 10 ? 28 /* AF_INET6 */ : v;
		len = sizeof v;
		if (!lsys5(__NR_getsockopt, fd, 1, 3, &v, &len))
			k.kf_un.kf_sock.kf_sock_type0 = v;
		len = sizeof v;
		if (!lsys5(__NR_getsockopt, fd, 1, 38, &v, &len))
			k.kf_un.kf_sock.kf_sock_protocol0 = v;
	}
	k.kf_status = KF_ATTR_VALID;
	if (k.kf_type == KF_TYPE_VNODE || k.kf_type == KF_TYPE_FIFO) {
		char p[32];
		rt_snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
		long n = lsys4(__NR_readlinkat, AT_FDCWD, p, k.kf_path, sizeof k.kf_path - 1);
		static const char del[] = " (deleted)";
		if (lerr(n) || k.kf_path[0] != '/' ||
		    (n >= (long)sizeof del - 1 && !memcmp(k.kf_path + n - (sizeof del - 1), del, sizeof del - 1)))
			n = 0; /* FreeBSD has no path for an unlinked file */
		memset(k.kf_path + n, 0, sizeof k.kf_path - (size_t)n);
	}
	memcpy(u, &k, sizeof k);
	return 0;
}

long sys_fcntl(struct sysctx *c)
{
	int fd = ARG_INT(c, 0), cmd = ARG_INT(c, 1);
	long arg = (long)c->a[2];
	long r;
	FD_GUARD(fd);
	switch (cmd) {
	case FF_DUPFD:
	case FF_DUPFD_CLOEXEC:
		r = lsys3(__NR_fcntl, fd, cmd == FF_DUPFD ? F_DUPFD : F_DUPFD_CLOEXEC, (long)(int)arg);
		if (!lerr(r))
			net_fd_dup(fd, (int)r);
		return r;
	case FF_DUP2FD:
		return fd_dup2(fd, (int)arg, 0);
	case FF_DUP2FD_CLOEXEC:
		return fd_dup2(fd, (int)arg, 1);
	case FF_GETFD:
		r = lsys3(__NR_fcntl, fd, F_GETFD, 0);
		return lerr(r) ? r : (r & FD_CLOEXEC);
	case FF_SETFD:
		return lsys3(__NR_fcntl, fd, F_SETFD, arg & FD_CLOEXEC);
	case FF_GETFL:
		r = lsys3(__NR_fcntl, fd, F_GETFL, 0);
		return lerr(r) ? r : (long)oflags_l2f((uint32_t)r & ~(uint32_t)O_CLOEXEC);
	case FF_SETFL:
		return lsys3(__NR_fcntl, fd, F_SETFL, oflags_f2l((uint32_t)arg));
	case FF_GETOWN:
		return lsys3(__NR_fcntl, fd, F_GETOWN, 0);
	case FF_SETOWN:
		return lsys3(__NR_fcntl, fd, F_SETOWN, (long)(int)arg);
	case FF_OGETLK:
		return do_lock(fd, F_GETLK, (void *)arg, FOFLOCK_SIZE);
	case FF_OSETLK:
		return do_lock(fd, F_SETLK, (void *)arg, FOFLOCK_SIZE);
	case FF_OSETLKW:
		return do_lock(fd, F_SETLKW, (void *)arg, FOFLOCK_SIZE);
	case FF_GETLK:
		return do_lock(fd, F_GETLK, (void *)arg, sizeof(struct fflock));
	case FF_SETLK:
	case FF_SETLK_REMOTE: /* lockd's variant; l_sysid has no meaning here */
		return do_lock(fd, F_SETLK, (void *)arg, sizeof(struct fflock));
	case FF_SETLKW:
		return do_lock(fd, F_SETLKW, (void *)arg, sizeof(struct fflock));
	case FF_READAHEAD:
	case FF_RDAHEAD:
		/* Read-ahead hints: Linux decides on its own. */
		return need_vnode(fd);
	case FF_ADD_SEALS:
		return lsys3(__NR_fcntl, fd, F_ADD_SEALS, (long)(int)arg);
	case FF_GET_SEALS:
		return lsys3(__NR_fcntl, fd, F_GET_SEALS, 0);
	case FF_ISUNIONSTACK:
		r = need_vnode(fd);
		return lerr(r) ? r : 0; /* no union mounts */
	case FF_KINFO:
		return do_kinfo(fd, (void *)arg);
	default:
		return -EINVAL;
	}
}
