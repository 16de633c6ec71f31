/* __sysctl(2) and __sysctlbyname(2): a table of the MIBs FreeBSD's libc,
 * rtld, libthr and Go read (startup.md §4), with FreeBSD's numbers where
 * they are static and our own where FreeBSD assigns them at boot. */
#include "../trap/dispatch.h"
#include "../rt/rt.h"
#include "../loader/process.h"
#include "sysctl.h"
#include "rtmsg.h"
#include "xlate.h"
#include "jail.h"
#include <asm-generic/errno.h>

/* Reply helpers: copy out with FreeBSD's truncation rule (ENOMEM). */
long sysctl_out(struct sysctl_req *r, const void *p, size_t n)
{
	if (r->oldlenp) {
		if (!r->old) {
			*r->oldlenp = n;
			return 0;
		}
		size_t have = *r->oldlenp;
		size_t c = n < have ? n : have;
		memcpy(r->old, p, c);
		*r->oldlenp = c;
		if (c < n)
			return -ENOMEM;
	}
	return 0;
}

static long out_int(struct sysctl_req *r, int v) { return sysctl_out(r, &v, sizeof v); }
static long out_long(struct sysctl_req *r, long v) { return sysctl_out(r, &v, sizeof v); }
static long out_str(struct sysctl_req *r, const char *s) { return sysctl_out(r, s, strlen(s) + 1); }

static char hostname[256];

static void uname_field(int which, char *buf, size_t size)
{
	char u[6][65];
	lsys1(__NR_uname, u);
	rt_strlcpy(buf, u[which], size);
}

static long h_ostype(struct sysctl_req *r) { return out_str(r, "FreeBSD"); }
static long h_osrelease(struct sysctl_req *r) { return out_str(r, fbsd_osrelease); }
static long h_osreldate(struct sysctl_req *r) { return out_int(r, fbsd_osreldate); }
static long h_osrevision(struct sysctl_req *r) { return out_int(r, 199506); }
static long h_version(struct sysctl_req *r)
{
	char v[128];
	rt_snprintf(v, sizeof v, "FreeBSD %s BSDulator\n", fbsd_osrelease);
	return out_str(r, v);
}
static long h_hostname(struct sysctl_req *r)
{
	if (r->new) {
		if (r->newlen > 255)
			return -EINVAL;
		long e = jail_current() ? jail_set_hostname(r->new, r->newlen)
					: lsys2(__NR_sethostname, r->new, r->newlen);
		if (lerr(e))
			return e;
	}
	if (!jail_hostname(hostname, sizeof hostname)) /* a jail's host.hostname */
		uname_field(1, hostname, sizeof hostname);
	return out_str(r, hostname);
}
static long h_domainname(struct sysctl_req *r)
{
	char d[65];
	if (r->new) {
		long e = lsys2(__NR_setdomainname, r->new, r->newlen);
		if (lerr(e))
			return e;
	}
	uname_field(5, d, sizeof d);
	return out_str(r, strcmp(d, "(none)") == 0 ? "" : d);
}

static int ncpu(void)
{
	uint64_t m[16] = { 0 };
	long r = lsys3(__NR_sched_getaffinity, 0, sizeof m, m);
	int n = 0;
	for (long i = 0; !lerr(r) && i < r / 8; i++)
		n += __builtin_popcountll(m[i]);
	return n ? n : 1;
}

static long h_ncpu(struct sysctl_req *r) { return out_int(r, ncpu()); }
static long h_maxid(struct sysctl_req *r) { return out_int(r, ncpu() - 1); }
static long h_maxcpus(struct sysctl_req *r) { return out_int(r, 256); }
static long h_cpusetsize(struct sysctl_req *r) { return out_int(r, 32); }
static long h_pagesize(struct sysctl_req *r) { return out_int(r, 4096); }
static long h_pagesizes(struct sysctl_req *r)
{
	unsigned long ps[3] = { 4096, 2UL << 20, 1UL << 30 };
	return sysctl_out(r, ps, sizeof ps);
}
static long h_amd64(struct sysctl_req *r) { return out_str(r, "amd64"); }
static long h_model(struct sysctl_req *r) { return out_str(r, "BSDulator virtual x86-64 CPU"); }
static long h_byteorder(struct sysctl_req *r) { return out_int(r, 1234); }
static long h_one(struct sysctl_req *r) { return out_int(r, 1); }
static long h_zero(struct sysctl_req *r) { return out_int(r, 0); }
static long h_physmem(struct sysctl_req *r)
{
	long info[16];
	lsys1(__NR_sysinfo, info);
	/* struct sysinfo: totalram at +32, mem_unit (u32) at +104 */
	unsigned unit = *(unsigned *)((char *)info + 104);
	return out_long(r, (long)(info[4] * (unit ? unit : 1)));
}
static long h_availpages(struct sysctl_req *r)
{
	long info[16];
	lsys1(__NR_sysinfo, info);
	unsigned unit = *(unsigned *)((char *)info + 104);
	return out_long(r, (long)(info[4] * (unit ? unit : 1) / 4096));
}
static long h_pid_max(struct sysctl_req *r) { return out_int(r, 99999); }
static long h_fscale(struct sysctl_req *r) { return out_int(r, 2048); } /* FSCALE */
static long h_ccpu(struct sysctl_req *r) { return out_int(r, 1948); }   /* exp(-1/20) * FSCALE */
/* vfs.conflist: struct xvfsconf[] (getvfsbyname, lsvfs) for the names the
 * statfs conversion reports (abi/statconv.c). */
static long h_conflist(struct sysctl_req *r)
{
	static const struct { const char *name; int typenum, flags; } fs[] = {
		{ "ufs", 0x35, 0 }, { "zfs", 0xde, 0x800000 }, { "tmpfs", 0x87, 0x400000 },
		{ "nfs", 0x3a, 0x20000 }, { "smbfs", 0x3b, 0x20000 },
		{ "procfs", 0x02, 0x80000 }, { "linsysfs", 0x8a, 0x80000 }, { "devfs", 0x71, 0x80000 },
		{ "fusefs", 0xed, 0x20000 }, { "cd9660", 0xbd, 0x40000 }, { "msdosfs", 0x32, 0x200000 },
		{ "ntfs", 0x24, 0x200000 }, { "p9fs", 0x8d, 0x20000 },
	};
	struct xvfsconf { /* 48 bytes */
		uint64_t vfsops;
		char name[16];
		int typenum, refcount, flags, pad;
		uint64_t next;
	} v[ARRAY_LEN(fs)];
	memset(v, 0, sizeof v);
	for (size_t i = 0; i < ARRAY_LEN(fs); i++) {
		rt_strlcpy(v[i].name, fs[i].name, sizeof v[i].name);
		v[i].typenum = fs[i].typenum;
		v[i].flags = fs[i].flags;
	}
	return sysctl_out(r, v, sizeof v);
}
static long h_usrstack(struct sysctl_req *r) { return out_long(r, (long)proc.usrstack); }
static long h_ps_strings(struct sysctl_req *r) { return out_long(r, (long)proc.ps_strings); }
static long h_arandom(struct sysctl_req *r)
{
	unsigned char buf[256];
	size_t n = r->oldlenp ? *r->oldlenp : 0;
	if (n > sizeof buf)
		n = sizeof buf;
	lsys3(__NR_getrandom, buf, n, 0);
	if (!r->old && r->oldlenp) {
		*r->oldlenp = sizeof buf;
		return 0;
	}
	return sysctl_out(r, buf, n);
}
static long h_argmax(struct sysctl_req *r) { return out_int(r, 524288); }
static long h_iovmax(struct sysctl_req *r) { return out_int(r, 1024); }
static long h_ngroups(struct sysctl_req *r) { return out_int(r, 1023); }
static long h_maxfiles(struct sysctl_req *r) { return out_int(r, 1048576); }
static long h_maxproc(struct sysctl_req *r) { return out_int(r, 99999); }
static long h_somaxconn(struct sysctl_req *r) { return out_int(r, 4096); }
static long h_securelevel(struct sysctl_req *r) { return out_int(r, -1); }
static long h_maxphys(struct sysctl_req *r) { return out_long(r, 1048576); }
static long h_localbase(struct sysctl_req *r) { return out_str(r, "/usr/local"); }
static long h_cs_path(struct sysctl_req *r) { return out_str(r, "/usr/bin:/bin:/usr/sbin:/sbin"); }
static long h_boottime(struct sysctl_req *r)
{
	struct ftimespec now, up;
	lsys2(__NR_clock_gettime, 0, &now);
	lsys2(__NR_clock_gettime, 7 /* BOOTTIME */, &up);
	struct ftimeval tv = { now.tv_sec - up.tv_sec, 0 };
	return sysctl_out(r, &tv, sizeof tv);
}
static long h_hostuuid(struct sysctl_req *r)
{
	char id[64] = "00000000-0000-0000-0000-000000000000";
	long fd = lsys4(__NR_openat, -100, "/proc/sys/kernel/random/boot_id", 0, 0);
	if (!lerr(fd)) {
		long n = lsys3(__NR_read, fd, id, 36);
		if (n == 36)
			id[36] = 0;
		lsys1(__NR_close, fd);
	}
	return out_str(r, id);
}

static const struct sysctl_oid oids[] = {
	{ "kern.ostype", { 1, 1 }, 2, 'A', h_ostype },
	{ "kern.osrelease", { 1, 2 }, 2, 'A', h_osrelease },
	{ "kern.osrevision", { 1, 3 }, 2, 'I', h_osrevision },
	{ "kern.version", { 1, 4 }, 2, 'A', h_version },
	{ "kern.maxproc", { 1, 6 }, 2, 'I', h_maxproc },
	{ "kern.maxfiles", { 1, 7 }, 2, 'I', h_maxfiles },
	{ "kern.argmax", { 1, 8 }, 2, 'I', h_argmax },
	{ "kern.securelevel", { 1, 9 }, 2, 'I', h_securelevel },
	{ "kern.hostname", { 1, 10 }, 2, 'A', h_hostname },
	{ "kern.ngroups", { 1, 18 }, 2, 'I', h_ngroups },
	{ "kern.boottime", { 1, 21 }, 2, 'S', h_boottime },
	{ "kern.domainname", { 1, 22 }, 2, 'A', h_domainname },
	{ "kern.osreldate", { 1, 24 }, 2, 'I', h_osreldate },
	{ "kern.maxfilesperproc", { 1, 27 }, 2, 'I', h_maxfiles },
	{ "kern.pid_max", { 1, 0x104 }, 2, 'I', h_pid_max },
	{ "kern.fscale", { 1, 0x105 }, 2, 'I', h_fscale },
	{ "kern.ccpu", { 1, 0x106 }, 2, 'I', h_ccpu },
	{ "kern.devname", { 1, 0x107 }, 2, 'A', sysctl_devname },
	{ "kern.ps_strings", { 1, 32 }, 2, 'L', h_ps_strings },
	{ "kern.usrstack", { 1, 33 }, 2, 'L', h_usrstack },
	{ "kern.iov_max", { 1, 35 }, 2, 'I', h_iovmax },
	{ "kern.hostuuid", { 1, 36 }, 2, 'A', h_hostuuid },
	{ "kern.arandom", { 1, 37 }, 2, 'S', h_arandom },
	{ "kern.maxphys", { 1, 38 }, 2, 'L', h_maxphys },
	/* dynamic in FreeBSD: numbers of our own, >= 0x100 */
	{ "kern.smp.maxcpus", { 1, 0x100, 1 }, 3, 'I', h_maxcpus },
	{ "kern.smp.cpus", { 1, 0x100, 2 }, 3, 'I', h_ncpu },
	{ "kern.smp.maxid", { 1, 0x100, 3 }, 3, 'I', h_maxid },
	{ "kern.sched.cpusetsize", { 1, 0x101, 1 }, 3, 'I', h_cpusetsize },
	{ "kern.ipc.somaxconn", { 1, 30, 0x100 }, 3, 'I', h_somaxconn },
	{ "kern.ipc.soacceptqueue", { 1, 30, 0x101 }, 3, 'I', h_somaxconn },
	{ "kern.features.inet", { 1, 0x102, 1 }, 3, 'I', h_one },
	{ "kern.features.inet6", { 1, 0x102, 2 }, 3, 'I', h_one },
	{ "security.jail.jailed", { 0x103, 1, 1 }, 3, 'I', sysctl_jailed },
	{ "vm.overcommit", { 2, 12 }, 2, 'I', h_zero },
	{ "net.inet.ip.forwarding", { 4, 2, 0, 1 }, 4, 'I', sysctl_ipforwarding },
	{ "net.inet6.ip6.forwarding", { 4, 28, 41, 1 }, 4, 'I', sysctl_ip6forwarding },
	{ "vfs.conflist", { 3, 0x100 }, 2, 'S', h_conflist },
	{ "hw.machine", { 6, 1 }, 2, 'A', h_amd64 },
	{ "hw.model", { 6, 2 }, 2, 'A', h_model },
	{ "hw.ncpu", { 6, 3 }, 2, 'I', h_ncpu },
	{ "hw.byteorder", { 6, 4 }, 2, 'I', h_byteorder },
	{ "hw.physmem", { 6, 5 }, 2, 'L', h_physmem },
	{ "hw.usermem", { 6, 6 }, 2, 'L', h_physmem },
	{ "hw.pagesize", { 6, 7 }, 2, 'I', h_pagesize },
	{ "hw.floatingpoint", { 6, 10 }, 2, 'I', h_one },
	{ "hw.machine_arch", { 6, 11 }, 2, 'A', h_amd64 },
	{ "hw.realmem", { 6, 12 }, 2, 'L', h_physmem },
	{ "hw.pagesizes", { 6, 0x100 }, 2, 'S', h_pagesizes },
	{ "hw.availpages", { 6, 0x101 }, 2, 'L', h_availpages },
	{ "p1003_1b.pagesize", { 9, 20 }, 2, 'I', h_pagesize },
	{ "user.cs_path", { 8, 1 }, 2, 'A', h_cs_path },
	{ "user.localbase", { 8, 21 }, 2, 'A', h_localbase },
};

const struct sysctl_oid *sysctl_find_name(const char *name, size_t len)
{
	for (size_t i = 0; i < ARRAY_LEN(oids); i++)
		if (strlen(oids[i].name) == len && memcmp(oids[i].name, name, len) == 0)
			return &oids[i];
	return sysctl_jail_name(name, len);
}

static const struct sysctl_oid *find_mib(const int *mib, unsigned len)
{
	for (size_t i = 0; i < ARRAY_LEN(oids); i++)
		if (oids[i].len == len && memcmp(oids[i].mib, mib, len * sizeof(int)) == 0)
			return &oids[i];
	return sysctl_jail_mib(mib, len);
}

/* {0,4}: u_int kind followed by the format string (sys/sysctl.h). */
/* The OIDs a write may change (others: EPERM, as a jail sees most). */
static int writable(const struct sysctl_oid *o)
{
	return o->fn == h_hostname || o->fn == h_domainname || o->fn == sysctl_devname ||
	       o->fn == sysctl_ipforwarding || o->fn == sysctl_ip6forwarding;
}

static long oidfmt(struct sysctl_req *r, const struct sysctl_oid *o)
{
	char buf[24];
	uint32_t kind;
	const char *fmt;
	switch (o->type) {
	case 'I': kind = 2; fmt = "I"; break;
	case 'A': kind = 3; fmt = "A"; break;
	case 'L': kind = 7; fmt = "L"; break;
	default:
		kind = sysctl_jail_fmt(o->type, &fmt);
		if (!kind) {
			kind = 5;
			fmt = "S";
		}
		break;
	}
	/* CTLFLAG_RD, and CTLFLAG_WR where a write is taken: sysctl(8)
	 * refuses "NAME=VALUE" on an OID without it. */
	if (o->type == 'I' || o->type == 'A' || o->type == 'L')
		kind |= 0x80000000u | (writable(o) ? 0x40000000u : 0);
	memcpy(buf, &kind, 4);
	rt_strlcpy(buf + 4, fmt, sizeof buf - 4);
	return sysctl_out(r, buf, 4 + strlen(fmt) + 1);
}

/* {0,2}: the OID following mib in table order (for sysctl -a). */
static long oidnext(struct sysctl_req *r, const int *mib, unsigned len)
{
	const size_t n = ARRAY_LEN(oids);
	size_t i = 0;
	const struct sysctl_oid *o = NULL;
	if (len) {
		o = find_mib(mib, len);
		if (!o)
			return -ENOENT;
		i = (o >= oids && o < oids + n) ? (size_t)(o - oids) + 1 : n + sysctl_jail_index(o) + 1;
	}
	/* then security.jail.* (abi/jailsysctl.c), skipping its node */
	do
		o = i < n ? &oids[i] : sysctl_jail_at(i - n);
	while (o && o->type == 'N' && ++i);
	if (!o)
		return -ENOENT;
	return sysctl_out(r, o->mib, o->len * sizeof(int));
}

static long meta(struct sysctl_req *r, const int *mib, unsigned len)
{
	switch (mib[1]) {
	case 1: { /* NAME */
		const struct sysctl_oid *o = find_mib(mib + 2, len - 2);
		return o ? out_str(r, o->name) : -ENOENT;
	}
	case 2:
	case 7:
		return oidnext(r, mib + 2, len - 2);
	case 3: { /* NAME2OID */
		size_t n = r->newlen;
		const char *name = r->new;
		while (n && name[n - 1] == 0)
			n--;
		const struct sysctl_oid *o = name ? sysctl_find_name(name, n) : NULL;
		if (!o)
			return -ENOENT;
		return sysctl_out(r, o->mib, o->len * sizeof(int));
	}
	case 4: {
		const struct sysctl_oid *o = find_mib(mib + 2, len - 2);
		return o ? oidfmt(r, o) : -ENOENT;
	}
	}
	return -ENOENT;
}

long sys___sysctl(struct sysctx *c)
{
	const int *mib = ARG_PTR(c, 0);
	unsigned len = (unsigned)c->a[1];
	struct sysctl_req r = { ARG_PTR(c, 2), ARG_PTR(c, 3), ARG_PTR(c, 4), c->a[5] };
	if (len < 2 || len > 24)
		return -EINVAL;
	if (mib[0] == 0)
		return meta(&r, mib, len);
	long k = sysctl_proc(&r, mib, len);
	if (k == -ENOSYS)
		k = sysctl_net(&r, mib, len);
	if (k != -ENOSYS)
		return k;
	const struct sysctl_oid *o = find_mib(mib, len);
	if (!o) {
		DEBUG("sysctl: unknown mib {%d,%d,%d...}\n", mib[0], mib[1], len > 2 ? mib[2] : -1);
		return -ENOENT;
	}
	if (r.new && !writable(o))
		return -EPERM;
	return o->fn(&r);
}

long sys___sysctlbyname(struct sysctx *c)
{
	const char *name = ARG_PTR(c, 0);
	size_t n = c->a[1];
	while (n && name[n - 1] == 0)
		n--;
	const struct sysctl_oid *o = sysctl_find_name(name, n);
	if (!o) {
		DEBUG("sysctl: unknown name %s\n", name);
		return -ENOENT;
	}
	c->a[0] = (uint64_t)o->mib;
	c->a[1] = o->len;
	return sys___sysctl(c);
}
