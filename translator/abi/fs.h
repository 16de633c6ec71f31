/* Shared helpers of the file-system and descriptor system calls
 * (file.c, fcntl.c, stat.c, dirent.c, path.c, fattr.c, ioctl.c, fdnew.c). */
#pragma once
#include <stdint.h>
#include "fsabi.h"

#include "fdguard.h"
/* Directory descriptor of an *at() call: AT_FDCWD passes. */
#define DIRFD_GUARD(fd) do { if ((fd) != FAT_FDCWD && fd_reserved(fd)) return -9; } while (0)
/* Before the guest installs a descriptor at `fd` (dup2, F_DUP2FD): if it is
 * ours, move ours elsewhere. 0 or -errno. */
long fd_evict(int fd);

/* A guest pointer the translator itself dereferences: NULL and the first
 * page, or ranges past the user half, give EFAULT before we touch them. */
static inline int uaddr_ok(const void *p, uint64_t len)
{
	uint64_t a = (uint64_t)p;
	return a >= 4096 && a + len >= a && a + len <= 0x800000000000ULL;
}
#define UADDR_GUARD(p, len) do { if (!uaddr_ok((p), (len))) return -14 /* EFAULT */; } while (0)

/* namei's copyinstr(MAXPATHLEN): a path of 1024 bytes or more (with its
 * NUL) is ENAMETOOLONG on FreeBSD, where Linux allows 4096. NULL passes (the
 * Linux call answers EFAULT). */
static inline long path_check(const char *p)
{
	if (!p)
		return 0;
	for (int i = 0; i < 1024; i++)
		if (!p[i])
			return 0;
	return -36; /* ENAMETOOLONG */
}
#define PATH_GUARD(p) do { long pg_ = path_check(p); if (pg_) return pg_; } while (0)

/* devfd.c: N for "/dev/fd/N", "/dev/stdin" (0), "/dev/stdout" (1),
 * "/dev/stderr" (2), else -1; opening one duplicates N (-errno). */
int devfd_number(const char *path);
long devfd_open(int n, uint32_t fbsd_flags);

/* statx() with Linux AT_* flags; fills *x. 0 or -errno. */
long fs_statx(int dirfd, const char *path, int lflags, struct lstatx *x);
/* Linux fstatfs() of a descriptor. */
long fs_fstatfs(int fd, struct lstatfs *sf);

/* Path argument of an *at() call after AT_RESOLVE_BENEATH handling: when
 * `beneath`, the path is resolved below dirfd with openat2(RESOLVE_BENEATH)
 * and (dirfd, path) is replaced by a descriptor for the parent directory and
 * the last component (or, when `whole`, an O_PATH descriptor for the object
 * itself and "" for use with AT_EMPTY_PATH). at_done() closes it. */
struct atpath {
	int dirfd;
	const char *path;
	int tmpfd;
	char last[256];
};
long at_begin(struct atpath *a, int dirfd, const char *path, int beneath, int whole, int follow);
void at_done(struct atpath *a);

/* ioctl(2) of the tty group, shared with posix_openpt. */
long tty_unlock_master(int fd);
