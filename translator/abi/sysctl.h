#pragma once
#include <stddef.h>

struct sysctl_req {
	void *old;
	size_t *oldlenp;
	const void *new;
	size_t newlen;
};

struct sysctl_oid {
	const char *name;
	int mib[6];
	unsigned len;
	char type; /* I int, L long, A string, S opaque */
	long (*fn)(struct sysctl_req *r);
};

/* Copies n bytes to the caller's buffer, FreeBSD style. */
long sysctl_out(struct sysctl_req *r, const void *p, size_t n);
const struct sysctl_oid *sysctl_find_name(const char *name, size_t len);
/* kern.proc.* (abi/sysctl_proc.c); -ENOSYS when mib is not kern.proc. */
long sysctl_proc(struct sysctl_req *r, const int *mib, unsigned len);
/* Start time of pid in ticks after boot (its /proc stat field 22); 0 when gone. */
unsigned long long proc_start_ticks(int pid);
/* kern.devname (abi/sysctl_proc.c): the /dev name of the dev_t in r->new. */
long sysctl_devname(struct sysctl_req *r);
/* net.inet.ip.forwarding, net.inet6.ip6.forwarding (abi/sysctl_inet.c). */
long sysctl_ipforwarding(struct sysctl_req *r);
long sysctl_ip6forwarding(struct sysctl_req *r);
/* security.jail.* (abi/jailsysctl.c): the fallback table of sysctl.c. */
long sysctl_jailed(struct sysctl_req *r);
const struct sysctl_oid *sysctl_jail_name(const char *name, size_t len);
const struct sysctl_oid *sysctl_jail_mib(const int *mib, unsigned len);
unsigned sysctl_jail_fmt(char type, const char **fmt);
const struct sysctl_oid *sysctl_jail_at(size_t i);
size_t sysctl_jail_index(const struct sysctl_oid *o);
