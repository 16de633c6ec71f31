/* Probe: the jail interface and the small calls base tools make.
 * jail_set/jail_get (507/506) take iovec name/value pairs; JAIL_CREATE 1,
 * JAIL_UPDATE 2, JAIL_ATTACH 4. Errors fill an "errmsg" pair. Then
 * jail_remove (508), jail_attach (436), old jail(2) (338, struct jail v2),
 * security.jail.jailed in the jailed process and a forked child, and
 * kern.hostname following host.hostname.
 * Calls answered like a kernel without Capsicum/RACCT: cap_* and rctl_*
 * ENOSYS; kenv (390) with an empty environment; utrace (335) 0;
 * getloginclass (523) "default"; pdkill/pdgetpid (519/520) on pdfork (518).
 * Jail creation needs root: as another user jail_set must fail EPERM and
 * the rest of the jail checks are skipped. */
#include "probe.h"

enum {
	SYS_utrace = 335, SYS_jail = 338, SYS_kenv = 390, SYS_jail_attach = 436,
	SYS_jail_get = 506, SYS_jail_set = 507, SYS_jail_remove = 508,
	SYS___cap_rights_get = 515, SYS_cap_enter = 516, SYS_cap_getmode = 517,
	SYS_pdfork = 518, SYS_pdkill = 519, SYS_pdgetpid = 520,
	SYS_getloginclass = 523, SYS_rctl_get_racct = 525, SYS_rctl_remove_rule = 529,
	SYS_cap_rights_limit = 533, SYS_cap_ioctls_limit = 534, SYS_cap_ioctls_get = 535,
	SYS_cap_fcntls_limit = 536, SYS_cap_fcntls_get = 537, SYS_geteuid_ = 25,
	SYS_sysctlbyname_ = 570, SYS_pipe2_ = 542,
	JAIL_CREATE = 1, JAIL_UPDATE = 2, JAIL_ATTACH = 4,
	ERANGE_ = 34, ENOENT_ = 2, EPERM_ = 1,
};

struct iov {
	void *base;
	unsigned long len;
};

static struct iov v[40];
static int nv;
static char errbuf[256];

static void add(const char *name, void *val, unsigned long len)
{
	v[nv].base = (void *)name;
	v[nv++].len = rt_strlen(name) + 1;
	v[nv].base = val;
	v[nv++].len = len;
}
static void adds(const char *name, const char *s) { add(name, (void *)s, rt_strlen(s) + 1); }
static void start(void)
{
	nv = 0;
	errbuf[0] = 0;
	add("errmsg", errbuf, sizeof errbuf);
}

static long sysctl_int(const char *name)
{
	int x = -1;
	unsigned long len = sizeof x;
	sysret r = SYS(SYS_sysctlbyname_, name, rt_strlen(name), &x, &len, 0, 0);
	return r.cf ? -r.val : x;
}

static void sysctl_str(const char *name, char *buf, unsigned long size)
{
	unsigned long len = size;
	buf[0] = 0;
	SYS(SYS_sysctlbyname_, name, rt_strlen(name), buf, &len, 0, 0);
}

static void nocap(void)
{
	u32 mode = 7;
	u64 rights[2] = { 0x200000000000000UL, 0x400000000000000UL };
	unsigned long cmds[1] = { 0 };
	u32 fl = 0;
	CHECK_ERR("cap_enter -> ENOSYS (no CAPABILITY_MODE)", SYS(SYS_cap_enter), ENOSYS);
	CHECK_ERR("cap_getmode -> ENOSYS", SYS(SYS_cap_getmode, &mode), ENOSYS);
	CHECK_ERR("cap_rights_limit -> ENOSYS", SYS(SYS_cap_rights_limit, 0, rights), ENOSYS);
	CHECK_ERR("__cap_rights_get -> ENOSYS", SYS(SYS___cap_rights_get, 0, 0, rights), ENOSYS);
	CHECK_ERR("cap_ioctls_limit -> ENOSYS", SYS(SYS_cap_ioctls_limit, 0, cmds, 1), ENOSYS);
	CHECK_ERR("cap_ioctls_get -> ENOSYS", SYS(SYS_cap_ioctls_get, 0, cmds, 1), ENOSYS);
	CHECK_ERR("cap_fcntls_limit -> ENOSYS", SYS(SYS_cap_fcntls_limit, 0, 0), ENOSYS);
	CHECK_ERR("cap_fcntls_get -> ENOSYS", SYS(SYS_cap_fcntls_get, 0, &fl), ENOSYS);
	CHECK_ERR("rctl_get_racct -> ENOSYS (no RACCT)", SYS(SYS_rctl_get_racct, "user:0", 7, errbuf, 16), ENOSYS);
	CHECK_ERR("rctl_remove_rule -> ENOSYS", SYS(SYS_rctl_remove_rule, "user:0", 7, 0, 0), ENOSYS);
}

static void small_calls(void)
{
	char buf[64];
	CHECK_ERR("kenv KENV_GET of any name -> ENOENT", SYS(SYS_kenv, 0, "smbios.bios.vendor", buf, sizeof buf), ENOENT_);
	sysret r = SYS(SYS_kenv, 3, 0, 0, 0);
	CHECK_OK("kenv KENV_DUMP size query", r);
	CHECK_EQ("kenv KENV_DUMP: an empty environment", r.val, 0);
	CHECK_ERR("kenv bad action -> EINVAL", SYS(SYS_kenv, 99, 0, 0, 0), EINVAL);
	r = SYS(SYS_utrace, "lochs", 5);
	CHECK_OK("utrace", r);
	CHECK_EQ("utrace returns 0", r.val, 0);
	memset(buf, 'x', sizeof buf);
	CHECK_OK("getloginclass", SYS(SYS_getloginclass, buf, sizeof buf));
	CHECK("getloginclass is \"default\"", rt_streq(buf, "default"));
	CHECK_ERR("getloginclass in 3 bytes -> ERANGE", SYS(SYS_getloginclass, buf, 3), ERANGE_);
}

static void procdesc(void)
{
	int fd = -1, pid = -1;
	sysret r = SYS(SYS_pdfork, &fd, 0);
	if (r.val == 0 && !r.cf) {
		rt_sleep_ms(20000);
		rt_exit(0);
	}
	if (!CHECK_OK("pdfork", r))
		return;
	CHECK("pdfork gave a descriptor", fd >= 0);
	CHECK_OK("pdgetpid", SYS(SYS_pdgetpid, fd, &pid));
	CHECK_EQ("pdgetpid = the pid pdfork returned", pid, r.val);
	CHECK_OK("pdkill SIGKILL", SYS(SYS_pdkill, fd, SIGKILL));
	CHECK_EQ("the child died of SIGKILL", rt_wait(r.val), SIGKILL);
	CHECK_ERR("pdkill bad signal -> EINVAL", SYS(SYS_pdkill, fd, 1000), EINVAL);
	CHECK_ERR("pdgetpid of stdin -> EBADF", SYS(SYS_pdgetpid, 0, &pid), EBADF);
	SYS(SYS_close, fd);
}

/* Old jail(2) from a child: it is jailed, its parent is not, and the
 * non-persistent jail goes with it. */
static void old_jail(void)
{
	struct { u32 version; u32 pad; const char *path, *host, *name; u32 ip4s, ip6s; void *ip4, *ip6; } j = {
		2, 0, "/", "oldhost", "oldjail", 0, 0, 0, 0
	};
	int p[2];
	long jid = -1;
	SYS(SYS_pipe2_, p, 0);
	long pid = rt_fork();
	if (pid == 0) {
		sysret r = SYS(SYS_jail, &j);
		long out = r.cf ? -r.val : r.val;
		SYS(SYS_write, p[1], &out, sizeof out);
		rt_exit(sysctl_int("security.jail.jailed") == 1 ? 0 : 1);
	}
	SYS(SYS_read, p[0], &jid, sizeof jid);
	CHECK("jail(2) v2 in a child returns a jid", jid > 0);
	CHECK_EQ("that child sees security.jail.jailed = 1", rt_wait(pid), 0);
	CHECK_EQ("its parent still sees 0", sysctl_int("security.jail.jailed"), 0);
	start();
	int k = (int)jid;
	add("jid", &k, sizeof k);
	CHECK_ERR("the non-persistent jail is gone with its process", SYS(SYS_jail_get, v, nv, 0), ENOENT_);
	rt_close2(p);
}

static void jails(void)
{
	char path[64], host[64], name[64];
	unsigned char ip[4] = { 192, 0, 2, 1 }, ipout[8];
	int jid = 0, cmax = 3, statfs = 1, one = 1, zero = 0;

	start();
	adds("name", "probe");
	adds("path", "/");
	adds("host.hostname", "probehost");
	add("ip4.addr", ip, 4);
	add("persist", 0, 0);
	add("children.max", &cmax, 4);
	add("enforce_statfs", &statfs, 4);
	add("allow.raw_sockets", 0, 0);
	add("allow.nosysvipc", 0, 0);
	sysret r = SYS(SYS_jail_set, v, nv, JAIL_CREATE);
	if (SYS(SYS_geteuid_).val != 0) {
		CHECK_ERR("jail_set as non-root -> EPERM", r, EPERM_);
		rt_note("not root: jail creation checks skipped");
		return;
	}
	if (!CHECK_OK("jail_set JAIL_CREATE", r))
		return;
	jid = (int)r.val;
	CHECK("jid > 0", jid > 0);
	CHECK_ERR("JAIL_CREATE of an existing name -> EEXIST", SYS(SYS_jail_set, v, nv, JAIL_CREATE), EEXIST);
	CHECK("  errmsg names it", rt_streq(errbuf, "jail \"probe\" already exists"));

	start();
	adds("name", "probe");
	add("bogus.param", &one, 4);
	CHECK_ERR("unknown parameter -> ENOENT", SYS(SYS_jail_set, v, nv, JAIL_UPDATE), ENOENT_);
	CHECK("  errmsg \"unknown parameter: bogus.param\"", rt_streq(errbuf, "unknown parameter: bogus.param"));
	start();
	adds("name", "nosuchjail");
	CHECK_ERR("JAIL_UPDATE of a missing jail -> ENOENT", SYS(SYS_jail_set, v, nv, JAIL_UPDATE), ENOENT_);
	CHECK_ERR("jail_set without CREATE or UPDATE -> EINVAL", SYS(SYS_jail_set, v, nv, JAIL_ATTACH), EINVAL);

	/* jail_get by name: every value back */
	char key[16] = "probe";
	int gjid = 0, gpersist = -1, gcmax = -1, gstatfs = -1, graw = -1, gipc = -1;
	start();
	add("name", key, 6); /* jail_get writes every value back, the key too */
	add("jid", &gjid, 4);
	add("path", path, sizeof path);
	add("host.hostname", host, sizeof host);
	add("ip4.addr", ipout, sizeof ipout);
	add("persist", &gpersist, 4);
	add("children.max", &gcmax, 4);
	add("enforce_statfs", &gstatfs, 4);
	add("allow.raw_sockets", &graw, 4);
	add("allow.sysvipc", &gipc, 4);
	r = SYS(SYS_jail_get, v, nv, 0);
	CHECK_OK("jail_get by name", r);
	CHECK_EQ("jail_get returns the jid", r.val, jid);
	CHECK_EQ("jid", gjid, jid);
	CHECK("path", rt_streq(path, "/"));
	CHECK("host.hostname", rt_streq(host, "probehost"));
	CHECK_EQ("ip4.addr length (one address)", v[11].len, 4);
	rt_check_mem("ip4.addr", ipout, ip, 4);
	CHECK_EQ("persist", gpersist, 1);
	CHECK_EQ("children.max", gcmax, 3);
	CHECK_EQ("enforce_statfs", gstatfs, 1);
	CHECK_EQ("allow.raw_sockets", graw, 1);
	CHECK_EQ("allow.sysvipc (set as allow.nosysvipc)", gipc, 0);
	start();
	add("name", key, 6);
	add("ip4.addr", 0, 0);
	CHECK_OK("jail_get ip4.addr with no buffer", SYS(SYS_jail_get, v, nv, 0));
	CHECK_EQ("  reports the size needed", v[5].len, 4);

	/* lastjid walks the jails in jid order */
	int last = 0;
	start();
	add("lastjid", &last, 4);
	add("name", name, sizeof name);
	r = SYS(SYS_jail_get, v, nv, 0);
	CHECK_EQ("jail_get lastjid=0 finds the jail", r.val, jid);
	CHECK("  with its name", rt_streq(name, "probe"));
	last = jid;
	CHECK_ERR("jail_get lastjid=jid -> ENOENT", SYS(SYS_jail_get, v, nv, 0), ENOENT_);

	/* a second jail, removed */
	start();
	adds("name", "probe2");
	add("persist", 0, 0);
	r = SYS(SYS_jail_set, v, nv, JAIL_CREATE);
	CHECK_OK("create a second jail", r);
	CHECK_EQ("  with the next jid", r.val, jid + 1);
	CHECK_OK("jail_remove", SYS(SYS_jail_remove, r.val));
	CHECK_ERR("jail_remove again -> EINVAL", SYS(SYS_jail_remove, r.val), EINVAL);
	start();
	add("name", name, 7);
	memcpy(name, "probe2", 7);
	CHECK_ERR("jail_get of a removed jail -> ENOENT", SYS(SYS_jail_get, v, nv, 0), ENOENT_);

	old_jail();

	/* attach: jailed, and so is a forked child; hostname follows */
	CHECK_EQ("security.jail.jailed = 0 before attach", sysctl_int("security.jail.jailed"), 0);
	start();
	add("jid", &jid, 4);
	add("persist", &zero, 4);
	r = SYS(SYS_jail_set, v, nv, JAIL_UPDATE | JAIL_ATTACH);
	CHECK_OK("jail_set JAIL_UPDATE|JAIL_ATTACH (persist off)", r);
	CHECK_EQ("  returns the jid", r.val, jid);
	CHECK_EQ("security.jail.jailed = 1 after attach", sysctl_int("security.jail.jailed"), 1);
	char hn[64];
	sysctl_str("kern.hostname", hn, sizeof hn);
	CHECK("kern.hostname is the jail's host.hostname", rt_streq(hn, "probehost"));
	long pid = rt_fork();
	if (pid == 0)
		rt_exit(sysctl_int("security.jail.jailed") == 1 ? 0 : 1);
	CHECK_EQ("a forked child is jailed too", rt_wait(pid), 0);
	CHECK_ERR("jail_remove of our own jail -> EINVAL (not visible)", SYS(SYS_jail_remove, jid), EINVAL);
	CHECK_ERR("jail_attach to an unknown jid -> EINVAL", SYS(SYS_jail_attach, 999), EINVAL);
	start();
	last = 0;
	add("lastjid", &last, 4);
	CHECK_ERR("inside the jail, no child jails are visible", SYS(SYS_jail_get, v, nv, 0), ENOENT_);
}

int main(int argc, char **argv, char **envp)
{
	nocap();
	small_calls();
	procdesc();
	jails();
	return rt_done();
}
