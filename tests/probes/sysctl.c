/* Probe: __sysctl (202) and __sysctlbyname (570).
 * MIB numbers: constants.md "sysctl top-level and well-known MIB numbers";
 * conventions (name->OID {0,3}, byname without NUL, dynamic OIDs for
 * kern.smp.maxcpus) and the values kern.usrstack = AT_USRSTACKBASE,
 * kern.ps_strings = AT_PS_STRINGS, kern.osreldate = AT_OSRELDATE:
 * startup.md §2/§4. Truncation as FreeBSD's kern_sysctl.c: a short buffer
 * gets the bytes that fit, ENOMEM, and *oldlenp = the buffer size; strings
 * are reported with their NUL; kern.arandom gives at most 256 bytes a call.
 * usage: sysctl OSRELEASE OSRELDATE   (what the translator should report) */
#include "probe.h"

enum { AT_EXECPATH = 15, AT_OSRELDATE = 18, AT_PS_STRINGS = 32, AT_USRSTACKBASE = 35 };

static sysret sysctl(const int *mib, int n, void *old, u64 *oldlen, const void *new, u64 newlen)
{
	return SYS(SYS___sysctl, mib, n, old, oldlen, new, newlen);
}

/* Name -> OID through {0,3}; returns the number of components (or -errno). */
static int name2oid(const char *name, int *oid)
{
	static const int q[2] = {CTL_SYSCTL, CTL_SYSCTL_NAME2OID};
	u64 len = CTL_MAXNAME * sizeof(int);
	sysret r = sysctl(q, 2, oid, &len, name, rt_strlen(name));
	return r.cf ? (int)-r.val : (int)(len / sizeof(int));
}

static long read_long(const int *mib, int n, u64 want_len)
{
	long v = 0;
	u64 len = want_len;
	sysret r = sysctl(mib, n, &v, &len, 0, 0);
	if (r.cf || len != want_len)
		return -1;
	return want_len == 4 ? (long)(int)v : v;
}

static long byname_long(const char *name, u64 want_len)
{
	long v = 0;
	u64 len = want_len;
	sysret r = SYS(SYS___sysctlbyname, name, rt_strlen(name), &v, &len, 0, 0);
	if (r.cf || len != want_len)
		return -1;
	return want_len == 4 ? (long)(int)v : v;
}

static void oids(void)
{
	int oid[CTL_MAXNAME], n;
	long maxcpus, ncpu;

	n = name2oid("kern.osreldate", oid);
	CHECK_EQ("name2oid kern.osreldate: 2 components", n, 2);
	CHECK_EQ("... = {1, 24}", oid[0] * 100 + oid[1], CTL_KERN * 100 + KERN_OSRELDATE);
	n = name2oid("hw.pagesize", oid);
	CHECK_EQ("name2oid hw.pagesize = {6, 7}", n * 10000 + oid[0] * 100 + oid[1], 20000 + CTL_HW * 100 + HW_PAGESIZE);
	n = name2oid("kern.smp.maxcpus", oid);
	CHECK_EQ("name2oid kern.smp.maxcpus: 3 components", n, 3);
	CHECK_EQ("... under kern (1)", oid[0], CTL_KERN);
	maxcpus = read_long(oid, n, 4);
	ncpu = read_long((const int[]){CTL_HW, HW_NCPU}, 2, 4);
	CHECK("hw.ncpu {6,3} >= 1", ncpu >= 1);
	CHECK("kern.smp.maxcpus (by its OID) >= hw.ncpu", maxcpus >= ncpu && ncpu >= 1);
	CHECK_EQ("__sysctlbyname kern.smp.maxcpus agrees", byname_long("kern.smp.maxcpus", 4), maxcpus);
	CHECK_EQ("__sysctlbyname hw.ncpu agrees", byname_long("hw.ncpu", 4), ncpu);
	CHECK_EQ("name2oid of an unknown name -> ENOENT 2", name2oid("kern.lochs.no.such.name", oid), -ENOENT);
}

static void release(const char *osrelease, long osreldate)
{
	char buf[256];
	u64 len, aux;

	CHECK_EQ("kern.osreldate {1,24} = expected", read_long((const int[]){CTL_KERN, KERN_OSRELDATE}, 2, 4), osreldate);
	CHECK_EQ("__sysctlbyname kern.osreldate", byname_long("kern.osreldate", 4), osreldate);
	if (rt_aux(AT_OSRELDATE, &aux))
		CHECK_EQ("AT_OSRELDATE agrees with kern.osreldate", aux, osreldate);
	len = sizeof buf;
	memset(buf, 0, sizeof buf);
	CHECK_OK("kern.ostype {1,1}", sysctl((const int[]){CTL_KERN, KERN_OSTYPE}, 2, buf, &len, 0, 0));
	CHECK("... = \"FreeBSD\"", rt_streq(buf, "FreeBSD"));
	CHECK_EQ("... length 8 (with the NUL)", len, 8);
	len = sizeof buf;
	memset(buf, 0, sizeof buf);
	CHECK_OK("kern.osrelease {1,2}", sysctl((const int[]){CTL_KERN, KERN_OSRELEASE}, 2, buf, &len, 0, 0));
	CHECK("... = expected release", rt_streq(buf, osrelease));
	if (!rt_streq(buf, osrelease))
		rt_note(buf);
	CHECK_EQ("... length strlen + 1", len, rt_strlen(osrelease) + 1);
	len = sizeof buf;
	memset(buf, 0, sizeof buf);
	CHECK_OK("__sysctlbyname kern.osrelease", SYS(SYS___sysctlbyname, "kern.osrelease", 14, buf, &len, 0, 0));
	CHECK("... = expected release", rt_streq(buf, osrelease));
	len = sizeof buf;
	memset(buf, 0, sizeof buf);
	CHECK_OK("__sysctlbyname kern.ostype", SYS(SYS___sysctlbyname, "kern.ostype", 11, buf, &len, 0, 0));
	CHECK("... = \"FreeBSD\"", rt_streq(buf, "FreeBSD"));
}

static void values(const char *self)
{
	const int pathname[4] = {CTL_KERN, KERN_PROC, KERN_PROC_PATHNAME, -1};
	char path[1024], tail[64];
	u64 len, aux;
	long v;

	CHECK_EQ("hw.pagesize {6,7} = 4096", read_long((const int[]){CTL_HW, HW_PAGESIZE}, 2, 4), 4096);
	CHECK_EQ("__sysctlbyname hw.pagesize = 4096", byname_long("hw.pagesize", 4), 4096);
	v = read_long((const int[]){CTL_KERN, KERN_USRSTACK}, 2, 8);
	if (CHECK("AT_USRSTACKBASE 35 present", rt_aux(AT_USRSTACKBASE, &aux)))
		CHECK_EQ("kern.usrstack {1,33} (8 bytes) = AT_USRSTACKBASE", v, aux);
	CHECK_EQ("__sysctlbyname kern.usrstack agrees", byname_long("kern.usrstack", 8), v);
	v = read_long((const int[]){CTL_KERN, KERN_PS_STRINGS}, 2, 8);
	if (CHECK("AT_PS_STRINGS 32 present", rt_aux(AT_PS_STRINGS, &aux)))
		CHECK_EQ("kern.ps_strings {1,32} (8 bytes) = AT_PS_STRINGS", v, aux);
	CHECK_EQ("__sysctlbyname kern.ps_strings agrees", byname_long("kern.ps_strings", 8), v);

	len = sizeof path;
	memset(path, 0, sizeof path);
	CHECK_OK("kern.proc.pathname {1,14,12,-1}", sysctl(pathname, 4, path, &len, 0, 0));
	CHECK("... is absolute", path[0] == '/');
	rt_join(tail, "", self);
	CHECK("... ends with /<probe name>", rt_ends_with(path, tail));
	CHECK_EQ("... length strlen + 1", len, rt_strlen(path) + 1);
	if (rt_aux(AT_EXECPATH, &aux))
		CHECK("... names the same file as AT_EXECPATH", rt_ends_with((char *)aux, tail));
	len = 0;
	CHECK_OK("kern.proc.pathname size query (old = NULL)", sysctl(pathname, 4, 0, &len, 0, 0));
	CHECK_EQ("... reports strlen + 1", len, rt_strlen(path) + 1);
}

static void arandom(void)
{
	const int mib[2] = {CTL_KERN, KERN_ARND};
	u8 a[512], b[512];
	u64 len;

	memset(a, 0, sizeof a), memset(b, 0, sizeof b);
	len = 32;
	CHECK_OK("kern.arandom {1,37} 32 bytes", sysctl(mib, 2, a, &len, 0, 0));
	CHECK_EQ("... returns 32", len, 32);
	len = 32;
	sysctl(mib, 2, b, &len, 0, 0);
	CHECK("two reads differ", memcmp(a, b, 32) != 0);
	CHECK("nothing written past 32 bytes", a[32] == 0 && a[100] == 0);
	len = sizeof a;
	CHECK_OK("kern.arandom asking 512", sysctl(mib, 2, a, &len, 0, 0));
	CHECK_EQ("... gives at most 256 bytes", len, 256);
	len = 16;
	CHECK_OK("__sysctlbyname kern.arandom 16", SYS(SYS___sysctlbyname, "kern.arandom", 12, b, &len, 0, 0));
	CHECK_EQ("... returns 16", len, 16);
}

static void errors(void)
{
	char buf[16];
	u64 len;
	sysret r;

	len = sizeof buf;
	CHECK_ERR("unknown OID {1, 9999} -> ENOENT 2", sysctl((const int[]){CTL_KERN, 9999}, 2, buf, &len, 0, 0), ENOENT);
	len = sizeof buf;
	CHECK_ERR("__sysctlbyname unknown name -> ENOENT 2",
		SYS(SYS___sysctlbyname, "kern.lochs_nothing", 18, buf, &len, 0, 0), ENOENT);
	len = 0;
	CHECK_OK("kern.ostype size query", sysctl((const int[]){CTL_KERN, KERN_OSTYPE}, 2, 0, &len, 0, 0));
	CHECK_EQ("... reports 8", len, 8);

	memset(buf, '#', sizeof buf);
	len = 4;
	r = sysctl((const int[]){CTL_KERN, KERN_OSTYPE}, 2, buf, &len, 0, 0);
	CHECK_ERR("kern.ostype into 4 bytes -> ENOMEM 12", r, ENOMEM);
	rt_check_mem("... partial copy \"Free\"", buf, "Free", 4);
	CHECK_EQ("... byte 4 untouched", buf[4], '#');
	CHECK_EQ("... *oldlenp = 4 (the bytes copied)", len, 4);
	memset(buf, '#', sizeof buf);
	len = 2;
	r = sysctl((const int[]){CTL_HW, HW_PAGESIZE}, 2, buf, &len, 0, 0);
	CHECK_ERR("hw.pagesize into 2 bytes -> ENOMEM 12", r, ENOMEM);
	rt_check_mem("... partial copy of 4096's low bytes", buf, "\x00\x10", 2);
	CHECK_EQ("... byte 2 untouched", buf[2], '#');
	memset(buf, '#', sizeof buf);
	len = 3;
	r = SYS(SYS___sysctlbyname, "kern.ostype", 11, buf, &len, 0, 0);
	CHECK_ERR("__sysctlbyname kern.ostype into 3 bytes -> ENOMEM", r, ENOMEM);
	rt_check_mem("... partial copy \"Fre\"", buf, "Fre#", 4);
}

int main(int argc, char **argv, char **envp)
{
	const char *self = argv[0];

	if (argc < 3) {
		rt_note("usage: sysctl OSRELEASE OSRELDATE");
		return 2;
	}
	for (const char *p = argv[0]; *p; p++)
		if (*p == '/')
			self = p + 1;
	oids();
	release(argv[1], rt_atol(argv[2]));
	values(self);
	arandom();
	errors();
	return rt_done();
}
