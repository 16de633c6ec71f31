/* A minimal /dev: a small tmpfs with the character devices a program
 * expects, a private devpts instance (the jail's ptys are its own) with
 * ptmx, the fd links and a /dev/shm. Built detached, then attached. */
#include "jail_int.h"
#include <fcntl.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static const struct {
	const char *name;
	unsigned major, minor;
} nodes[] = {
	{ "null", 1, 3 }, { "zero", 1, 5 }, { "full", 1, 7 },
	{ "random", 1, 8 }, { "urandom", 1, 9 }, { "tty", 5, 0 },
};

static const char *const links[][2] = {
	{ "ptmx", "pts/ptmx" }, { "fd", "/proc/self/fd" }, { "stdin", "/proc/self/fd/0" },
	{ "stdout", "/proc/self/fd/1" }, { "stderr", "/proc/self/fd/2" },
};

int dev_setup(int rootfd, struct lerr *e)
{
	int dev = fs_new("tmpfs", "size=1m,mode=755,nr_inodes=64", MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC, e);
	if (dev < 0)
		return lerr_wrap(e, "/dev");
	int rc = -1, m;
	/* mknod honours the umask; the nodes must be 0666 */
	mode_t um = umask(0);
	for (size_t i = 0; i < sizeof nodes / sizeof nodes[0]; i++)
		if (mknodat(dev, nodes[i].name, S_IFCHR | 0666, makedev(nodes[i].major, nodes[i].minor)) < 0) {
			lerr_sys(e, "/dev/%s", nodes[i].name);
			goto out;
		}
	for (size_t i = 0; i < sizeof links / sizeof links[0]; i++)
		if (symlinkat(links[i][1], dev, links[i][0]) < 0) {
			lerr_sys(e, "/dev/%s", links[i][0]);
			goto out;
		}
	if (mkdirat(dev, "pts", 0755) < 0 || mkdirat(dev, "shm", 01777) < 0) {
		lerr_sys(e, "/dev/pts");
		goto out;
	}
	/* Attached before its submounts: older kernels cannot mount onto a
	 * detached tree. Every devpts mount is a new instance (Linux >= 4.7). */
	if (mount_at(rootfd, "/dev", dev, e) < 0)
		goto out;
	m = fs_new("devpts", "ptmxmode=0666,mode=0620,gid=5", MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC, e);
	if (m < 0 || mount_at(rootfd, "/dev/pts", m, e) < 0)
		goto out_m;
	close(m);
	m = fs_new("tmpfs", "mode=1777,size=64m", MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, e);
	if (m < 0 || mount_at(rootfd, "/dev/shm", m, e) < 0)
		goto out_m;
	rc = 0;
out_m:
	if (m >= 0)
		close(m);
out:
	umask(um);
	close(dev);
	return rc < 0 ? lerr_wrap(e, "/dev") : 0;
}
