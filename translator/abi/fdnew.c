/* Descriptors of special objects: posix_openpt (pty masters), __specialfd
 * (eventfd), POSIX shared memory (shm_open2/shm_unlink/shm_rename). */
#include "../trap/dispatch.h"
#include "../rt/rt.h"
#include "xlate.h"
#include "fs.h"
#include <asm-generic/errno.h>
#include <linux/fcntl.h>

#define FO_RDWR 0x2
#define FO_ACCMODE 0x3
#define FO_CREAT 0x200
#define FO_TRUNC 0x400
#define FO_EXCL 0x800
#define FO_NOCTTY 0x8000
#define FO_CLOEXEC 0x100000

long sys_posix_openpt(struct sysctx *c)
{
	uint32_t flags = (uint32_t)c->a[0];
	if (flags & ~(uint32_t)(FO_ACCMODE | FO_NOCTTY | FO_CLOEXEC))
		return -EINVAL;
	long fd = lsys4(__NR_openat, AT_FDCWD, "/dev/ptmx", oflags_f2l(flags) | O_NOCTTY, 0);
	if (lerr(fd))
		return fd;
	/* FreeBSD ptys are usable at once: unlockpt() is a formality there. */
	tty_unlock_master((int)fd);
	return fd;
}

/* __specialfd(type, req, len) */
#define SPECIALFD_EVENTFD 1
#define FEFD_SEMAPHORE 0x1
#define FEFD_NONBLOCK 0x4
#define FEFD_CLOEXEC 0x100000

struct fspecialfd_eventfd {
	uint32_t initval;
	int32_t flags;
};

long sys___specialfd(struct sysctx *c)
{
	int type = ARG_INT(c, 0);
	const struct fspecialfd_eventfd *req = ARG_PTR(c, 1);
	if (type != SPECIALFD_EVENTFD || c->a[2] != sizeof *req)
		return -EINVAL;
	UADDR_GUARD(req, sizeof *req);
	struct fspecialfd_eventfd e = *req;
	if (e.flags & ~(FEFD_SEMAPHORE | FEFD_NONBLOCK | FEFD_CLOEXEC))
		return -EINVAL;
	int lf = (e.flags & FEFD_SEMAPHORE ? 1 : 0) | (e.flags & FEFD_NONBLOCK ? O_NONBLOCK : 0) |
		 (e.flags & FEFD_CLOEXEC ? O_CLOEXEC : 0);
	return lsys2(__NR_eventfd2, e.initval, lf);
}

/* ---- POSIX shared memory ---- */

#define SHM_ANON ((const char *)1)
#define FSHM_ALLOW_SEALING 0x1
#define FSHM_GROW_ON_WRITE 0x2
#define FSHM_LARGEPAGE 0x4
#define MFD_CLOEXEC 0x1U
#define MFD_ALLOW_SEALING 0x2U

/* A FreeBSD shm path ("/name", more slashes allowed) as a file under
 * /dev/shm: '%' and '/' are escaped so distinct names stay distinct. */
static long shm_path(const char *path, char *out, size_t size)
{
	UADDR_GUARD(path, 1);
	size_t len = strnlen(path, 1024);
	if (len >= 1024)
		return -ENAMETOOLONG;
	if (path[0] != '/')
		return -EINVAL;
	size_t n = (size_t)rt_snprintf(out, size, "/dev/shm/");
	size_t base = n;
	for (const char *p = path + 1; *p; p++) {
		if (n + 4 >= size || n - base > 250)
			return -ENAMETOOLONG;
		if (*p == '/' || *p == '%') {
			rt_snprintf(out + n, size - n, "%%%02x", (unsigned char)*p);
			n += 3;
		} else {
			out[n++] = *p;
		}
	}
	out[n] = 0;
	if (n == base)
		return -EINVAL; /* "/" alone */
	return 0;
}

static long do_shm_open(const char *path, uint32_t flags, int mode, int shmflags, const char *name)
{
	if (flags & ~(uint32_t)(FO_ACCMODE | FO_CREAT | FO_EXCL | FO_TRUNC | FO_CLOEXEC))
		return -EINVAL;
	if (shmflags & ~(FSHM_ALLOW_SEALING | FSHM_GROW_ON_WRITE | FSHM_LARGEPAGE))
		return -EINVAL;
	if (shmflags & FSHM_LARGEPAGE)
		return -EINVAL; /* no configurable large-page objects here */
	if (path == SHM_ANON) {
		if ((flags & FO_ACCMODE) != FO_RDWR)
			return -EINVAL;
		char mname[250];
		if (name) {
			UADDR_GUARD(name, 1);
			rt_strlcpy(mname, name, sizeof mname);
		} else {
			rt_strlcpy(mname, "shm_anon", sizeof mname);
		}
		unsigned mf = (flags & FO_CLOEXEC ? MFD_CLOEXEC : 0) |
			      (shmflags & FSHM_ALLOW_SEALING ? MFD_ALLOW_SEALING : 0);
		return lsys2(__NR_memfd_create, mname, mf);
	}
	char p[300];
	long r = shm_path(path, p, sizeof p);
	if (lerr(r))
		return r;
	return lsys4(__NR_openat, AT_FDCWD, p, oflags_f2l(flags) | O_NOFOLLOW, mode & 07777);
}

long sys_shm_open2(struct sysctx *c)
{
	return do_shm_open(ARG_PTR(c, 0), (uint32_t)c->a[1], ARG_INT(c, 2), ARG_INT(c, 3), ARG_PTR(c, 4));
}

/* shm_open(2) of FreeBSD <= 12 */
long sys_freebsd12_shm_open(struct sysctx *c)
{
	return do_shm_open(ARG_PTR(c, 0), (uint32_t)c->a[1], ARG_INT(c, 2), 0, NULL);
}

long sys_shm_unlink(struct sysctx *c)
{
	char p[300];
	long r = shm_path(ARG_PTR(c, 0), p, sizeof p);
	if (lerr(r))
		return r;
	return lsys3(__NR_unlinkat, AT_FDCWD, p, 0);
}

#define FSHM_RENAME_NOREPLACE 1
#define FSHM_RENAME_EXCHANGE 2

long sys_shm_rename(struct sysctx *c)
{
	int flags = ARG_INT(c, 2);
	if ((flags & ~(FSHM_RENAME_NOREPLACE | FSHM_RENAME_EXCHANGE)) ||
	    flags == (FSHM_RENAME_NOREPLACE | FSHM_RENAME_EXCHANGE))
		return -EINVAL;
	char from[300], to[300];
	long r = shm_path(ARG_PTR(c, 0), from, sizeof from);
	if (!lerr(r))
		r = shm_path(ARG_PTR(c, 1), to, sizeof to);
	if (lerr(r))
		return r;
	/* RENAME_NOREPLACE 1, RENAME_EXCHANGE 2: the same bits. */
	return lsys5(__NR_renameat2, AT_FDCWD, from, AT_FDCWD, to, flags);
}
