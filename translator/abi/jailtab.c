/* The jail table shared by one translator tree (see jail.h), jail(2),
 * jail_attach(2) and jail_remove(2). */
#include "../trap/dispatch.h"
#include "../rt/rt.h"
#include "fbsd.h"
#include "jail.h"
#include <asm-generic/errno.h>
#include <linux/mman.h>

struct jailtab {
	volatile int lock;
	int lastjid;
	struct jailrec j[JAIL_MAX];
};

static int tab_fd = -1;
static int cur_jid;
static struct jailtab *tab;

const char *const jail_allow_names[] = {
	"set_hostname", "sysvipc", "raw_sockets", "chflags", "mount", "quotas", "socket_af",
	"mount.devfs", "mount.nullfs", "mount.procfs", "mount.tmpfs", "mount.zfs",
	"mount.fdescfs", "mount.linprocfs", "mount.linsysfs", NULL,
};

static int park(int fd)
{
	long n = lsys3(__NR_fcntl, fd, 1030 /* F_DUPFD_CLOEXEC */, 1000);
	if (lerr(n))
		return fd;
	lsys1(__NR_close, fd);
	return (int)n;
}

void jail_boot(int fd, int jid)
{
	if (fd < 0) {
		long m = lsys2(__NR_memfd_create, "bsdulator-jails", 1 /* MFD_CLOEXEC */);
		if (lerr(m))
			return;
		if (lerr(lsys2(__NR_ftruncate, m, sizeof(struct jailtab)))) {
			lsys1(__NR_close, m);
			return;
		}
		fd = park((int)m);
	} else {
		lsys3(__NR_fcntl, fd, 2 /* F_SETFD */, 1 /* FD_CLOEXEC */);
	}
	tab_fd = fd;
	cur_jid = jid;
}

int jail_table_fd(void) { return tab_fd; }
int jail_current(void) { return cur_jid; }

static struct jailtab *map(void)
{
	if (!tab && tab_fd >= 0) {
		long p = lsys6(__NR_mmap, 0, sizeof(struct jailtab), PROT_READ | PROT_WRITE, MAP_SHARED, tab_fd, 0);
		if (!lerr(p))
			tab = (struct jailtab *)p;
	}
	return tab;
}

struct jailrec *jail_lock(void)
{
	struct jailtab *t = map();
	if (!t)
		return NULL;
	/* The lock word holds the owner's tid. A handler that faulted on guest
	 * memory (EFAULT) never unlocked: its own thread, or a dead owner, takes
	 * the lock back. */
	int me = (int)lsys0(__NR_gettid), zero = 0;
	for (unsigned spins = 0;; spins++) {
		if (__atomic_compare_exchange_n(&t->lock, &zero, me, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			break;
		int owner = zero;
		zero = 0;
		if (owner == me || ((spins & 63) == 63 && lsys2(__NR_kill, owner, 0) == -ESRCH)) {
			__atomic_store_n(&t->lock, me, __ATOMIC_RELAXED);
			break;
		}
		lsys0(__NR_sched_yield);
	}
	for (int i = 0; i < JAIL_MAX; i++) /* non-persistent jails end with their processes */
		if (t->j[i].jid)
			jail_free_if_unused(&t->j[i]);
	return t->j;
}

struct jailrec *jail_lock_if_any(void)
{
	struct jailtab *t = map();
	return t && __atomic_load_n(&t->lastjid, __ATOMIC_RELAXED) ? jail_lock() : NULL;
}

void jail_unlock(void)
{
	if (tab)
		__atomic_store_n(&tab->lock, 0, __ATOMIC_RELEASE);
}

struct jailrec *jail_by_jid(struct jailrec *t, int jid)
{
	for (int i = 0; jid > 0 && i < JAIL_MAX; i++)
		if (t[i].jid == jid)
			return &t[i];
	return NULL;
}

struct jailrec *jail_by_name(struct jailrec *t, const char *name)
{
	for (int i = 0; i < JAIL_MAX; i++)
		if (t[i].jid && strcmp(t[i].name, name) == 0)
			return &t[i];
	return NULL;
}

struct jailrec *jail_new(struct jailrec *t)
{
	for (int i = 0; i < JAIL_MAX; i++) {
		if (t[i].jid)
			continue;
		struct jailrec *j = &t[i];
		memset(j, 0, sizeof *j);
		j->jid = ++tab->lastjid;
		rt_snprintf(j->name, sizeof j->name, "%d", j->jid);
		rt_strlcpy(j->path, "/", sizeof j->path);
		j->iv[JI_SECURELEVEL] = -1;
		j->iv[JI_ENFORCE_STATFS] = 2;
		j->iv[JI_HOST] = 1; /* JAIL_SYS_NEW */
		j->iv[JI_PARENT] = cur_jid;
		j->iv[JI_CPUSET] = j->jid + 1; /* a set of its own, as FreeBSD gives */
		j->iv[JI_OSRELDATE] = fbsd_osreldate;
		rt_strlcpy(j->osrelease, fbsd_osrelease, sizeof j->osrelease);
		struct jailrec *p = jail_by_jid(t, cur_jid);
		if (p) {
			rt_strlcpy(j->hostname, p->hostname, sizeof j->hostname);
		} else {
			char u[6][65];
			lsys1(__NR_uname, u);
			rt_strlcpy(j->hostname, u[1], sizeof j->hostname);
		}
		return j;
	}
	return NULL;
}

void jail_free_if_unused(struct jailrec *j)
{
	if (j && !j->iv[JI_PERSIST] && !jail_has_members(j))
		j->jid = 0;
}

long jail_do_attach(struct jailrec *j)
{
	if (strcmp(j->path, "/") != 0) {
		long r = lsys1(__NR_chdir, j->path);
		if (!lerr(r))
			r = lsys1(__NR_chroot, ".");
		if (lerr(r))
			return r;
	}
	lsys1(__NR_chdir, "/");
	jail_member_add(j, (int)lsys0(__NR_getpid));
	cur_jid = j->jid;
	return 0;
}

int jail_hostname(char *buf, size_t size)
{
	if (!cur_jid)
		return 0;
	struct jailrec *t = jail_lock();
	struct jailrec *j = t ? jail_by_jid(t, cur_jid) : NULL;
	if (j)
		rt_strlcpy(buf, j->hostname, size);
	jail_unlock();
	return j != NULL;
}

long jail_set_hostname(const char *name, size_t len)
{
	struct jailrec *t = jail_lock();
	struct jailrec *j = t ? jail_by_jid(t, cur_jid) : NULL;
	long r = -EPERM;
	if (j && j->iv[JI_ALLOW + 0] && len < sizeof j->hostname) {
		memcpy(j->hostname, name, len);
		j->hostname[len] = 0;
		r = 0;
	}
	jail_unlock();
	return r;
}

static int is_root(void)
{
	return lsys0(__NR_geteuid) == 0;
}

/* A jail we may see: ours or one created from inside ours. */
static struct jailrec *visible(struct jailrec *t, int jid)
{
	return jail_visible_from_here(t, jid) ? jail_by_jid(t, jid) : NULL;
}

long sys_jail_attach(struct sysctx *c)
{
	if (!is_root())
		return -EPERM;
	struct jailrec *t = jail_lock();
	if (!t)
		return -ENOMEM;
	struct jailrec *j = visible(t, ARG_INT(c, 0));
	long r = j ? jail_do_attach(j) : -EINVAL;
	jail_unlock();
	return r;
}

long sys_jail_remove(struct sysctx *c)
{
	if (!is_root())
		return -EPERM;
	struct jailrec *t = jail_lock();
	if (!t)
		return -ENOMEM;
	struct jailrec *j = visible(t, ARG_INT(c, 0));
	long r = -EINVAL;
	if (j && j->jid != cur_jid) {
		/* Its processes die, and so do the jails created inside it. */
		for (int i = 0; i < JAIL_MAX; i++) {
			if (t[i].jid && t[i].iv[JI_PARENT] == j->jid) {
				jail_kill_members(&t[i]);
				t[i].jid = 0;
			}
		}
		jail_kill_members(j);
		j->jid = 0;
		r = 0;
	}
	jail_unlock();
	return r;
}

/* jail(2): struct jail version 0 (path, hostname, one host-order IPv4) or
 * 2 (path, hostname, jailname, ip4s, ip6s, ip4, ip6); creates a
 * non-persistent jail and attaches to it. */
long sys_jail(struct sysctx *c)
{
	const uint8_t *u = ARG_PTR(c, 0);
	uint32_t version;
	if (!u)
		return -EFAULT;
	memcpy(&version, u, 4);
	if (version != 0 && version != 2)
		return -EINVAL;
	if (!is_root())
		return -EPERM;
	const char *path, *host, *name = NULL;
	uint32_t ip4s = 0, ip6s = 0, v0ip = 0;
	const uint32_t *ip4 = NULL;
	const uint8_t *ip6 = NULL;
	memcpy(&path, u + 8, 8);
	memcpy(&host, u + 16, 8);
	if (version == 0) {
		memcpy(&v0ip, u + 24, 4);
		ip4s = v0ip != 0;
	} else {
		memcpy(&name, u + 24, 8);
		memcpy(&ip4s, u + 32, 4);
		memcpy(&ip6s, u + 36, 4);
		memcpy(&ip4, u + 40, 8);
		memcpy(&ip6, u + 48, 8);
	}
	if (ip4s > JAIL_NIP4 || ip6s > JAIL_NIP6 || !path)
		return -EINVAL;
	struct jailrec *t = jail_lock();
	if (!t)
		return -ENOMEM;
	long r = -EAGAIN;
	if (name && *name && jail_by_name(t, name))
		r = -EEXIST;
	else {
		struct jailrec *j = jail_new(t);
		if (j) {
			rt_strlcpy(j->path, path, sizeof j->path);
			if (host)
				rt_strlcpy(j->hostname, host, sizeof j->hostname);
			if (name && *name)
				rt_strlcpy(j->name, name, sizeof j->name);
			j->nip4 = (int)ip4s;
			if (version == 0 && ip4s)
				j->ip4[0] = __builtin_bswap32(v0ip);
			for (uint32_t i = 0; version == 2 && i < ip4s; i++)
				j->ip4[i] = ip4[i];
			j->nip6 = (int)ip6s;
			for (uint32_t i = 0; i < ip6s; i++)
				memcpy(j->ip6[i], ip6 + 16 * i, 16);
			r = jail_do_attach(j);
			if (lerr(r))
				j->jid = 0;
			else
				r = j->jid;
		}
	}
	jail_unlock();
	return r;
}
