/* net.inet.ip.forwarding and net.inet6.ip6.forwarding: the calling
 * process's own network stack (a jail's netns is its vnet), read and
 * written through Linux /proc/sys/net (per network namespace), under
 * --root through the translator's /proc descriptor. Writing needs
 * CAP_NET_ADMIN in that namespace: EPERM otherwise, as in a jail without
 * vnet. */
#include "../trap/dispatch.h"
#include "../rt/rt.h"
#include "../loader/process.h"
#include "sysctl.h"
#include <asm-generic/errno.h>
#include <asm-generic/fcntl.h>

static long knob(struct sysctl_req *r, const char *file)
{
	int dir = proc.proc_fd >= 0 ? proc.proc_fd : -100;
	const char *path = proc.proc_fd >= 0 ? file + 6 : file; /* past "/proc/" */
	char buf[16] = "";
	long fd = lsys4(__NR_openat, dir, path, O_RDONLY | O_CLOEXEC, 0);
	if (lerr(fd))
		return fd == -ENOENT ? -ENOENT : fd;
	long n = lsys3(__NR_read, fd, buf, sizeof buf - 1);
	lsys1(__NR_close, fd);
	if (lerr(n))
		return n;
	int old = buf[0] == '1';
	long rc = sysctl_out(r, &old, sizeof old);
	if (rc < 0 || !r->new)
		return rc;
	if (r->newlen != sizeof(int))
		return -EINVAL;
	fd = lsys4(__NR_openat, dir, path, O_WRONLY | O_CLOEXEC, 0);
	if (lerr(fd))
		return fd == -EACCES ? -EPERM : fd;
	n = lsys3(__NR_write, fd, *(const int *)r->new ? "1\n" : "0\n", 2);
	lsys1(__NR_close, fd);
	return lerr(n) ? (n == -EACCES ? -EPERM : n) : 0;
}

long sysctl_ipforwarding(struct sysctl_req *r) { return knob(r, "/proc/sys/net/ipv4/ip_forward"); }
long sysctl_ip6forwarding(struct sysctl_req *r) { return knob(r, "/proc/sys/net/ipv6/conf/all/forwarding"); }
