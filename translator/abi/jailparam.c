/* jail_set(2) and jail_get(2): name/value iovec parameter lists against
 * the shared jail table (abi/jailtab.c). Errors fill an "errmsg"
 * parameter the way FreeBSD's kernel does (vfs_opterror). */
#include "../trap/dispatch.h"
#include "../rt/rt.h"
#include "jail.h"
#include <asm-generic/errno.h>

#define JAIL_CREATE 1
#define JAIL_UPDATE 2
#define JAIL_ATTACH 4
#define JAIL_DYING 8

struct fiov {
	void *base;
	size_t len;
};

/* types: i int, b boolean, j jailsys, s string, 4/6 address arrays,
 * k the jid key, r read-only int */
struct jparam {
	const char *name;
	char type;
	int idx; /* iv[] index, or string field number */
};

enum { S_NAME, S_PATH, S_HOSTNAME, S_DOMAIN, S_UUID, S_OSREL };

static const struct jparam params[] = {
	{ "jid", 'k', 0 },
	{ "name", 's', S_NAME },
	{ "path", 's', S_PATH },
	{ "host.hostname", 's', S_HOSTNAME },
	{ "host.domainname", 's', S_DOMAIN },
	{ "host.hostuuid", 's', S_UUID },
	{ "osrelease", 's', S_OSREL },
	{ "osreldate", 'i', JI_OSRELDATE },
	{ "host", 'j', JI_HOST },
	{ "ip4", 'j', JI_IP4 },
	{ "ip6", 'j', JI_IP6 },
	{ "vnet", 'j', JI_VNET },
	{ "ip4.addr", '4', 0 },
	{ "ip6.addr", '6', 0 },
	{ "persist", 'b', JI_PERSIST },
	{ "dying", 'r', JI_DYING },
	{ "parent", 'r', JI_PARENT },
	{ "children.max", 'i', JI_CHILDREN_MAX },
	{ "children.cur", 'r', JI_CHILDREN_CUR },
	{ "securelevel", 'i', JI_SECURELEVEL },
	{ "enforce_statfs", 'i', JI_ENFORCE_STATFS },
	{ "devfs_ruleset", 'i', JI_DEVFS_RULESET },
	{ "cpuset.id", 'r', JI_CPUSET },
};

static char *str_field(struct jailrec *j, int f, size_t *size)
{
	switch (f) {
	case S_NAME: *size = sizeof j->name; return j->name;
	case S_PATH: *size = sizeof j->path; return j->path;
	case S_HOSTNAME: *size = sizeof j->hostname; return j->hostname;
	case S_DOMAIN: *size = sizeof j->domainname; return j->domainname;
	case S_UUID: *size = sizeof j->hostuuid; return j->hostuuid;
	default: *size = sizeof j->osrelease; return j->osrelease;
	}
}

/* Finds a parameter; *neg is set for the "no" form of a boolean. */
static int lookup(const char *name, struct jparam *out, int *neg)
{
	*neg = 0;
	for (size_t i = 0; i < ARRAY_LEN(params); i++)
		if (strcmp(params[i].name, name) == 0) {
			*out = params[i];
			return 1;
		}
	const char *base = name;
	char tmp[64];
	if (strncmp(name, "allow.", 6) == 0)
		base = name + 6;
	else if (strcmp(name, "nopersist") == 0) {
		*out = (struct jparam){ "persist", 'b', JI_PERSIST };
		*neg = 1;
		return 1;
	} else
		return 0;
	/* allow.X, allow.noX, allow.mount.noX */
	const char *dot = strrchr(base, '.');
	const char *last = dot ? dot + 1 : base;
	int no = strncmp(last, "no", 2) == 0;
	if (no) {
		size_t pre = (size_t)(last - base);
		if (pre + strlen(last + 2) + 1 > sizeof tmp)
			return 0;
		memcpy(tmp, base, pre);
		rt_strlcpy(tmp + pre, last + 2, sizeof tmp - pre);
		base = tmp;
	}
	for (int i = 0; jail_allow_names[i]; i++)
		if (strcmp(jail_allow_names[i], base) == 0) {
			*out = (struct jparam){ jail_allow_names[i], 'b', JI_ALLOW + i };
			*neg = no;
			return 1;
		}
	/* "allow.mount" has the "no" form too, but mount.X would shadow it: done */
	return 0;
}

static void errmsg(struct fiov *v, unsigned n, const char *fmt, const char *s, long d)
{
	for (unsigned i = 0; i + 1 < n; i += 2)
		if (v[i].base && strcmp(v[i].base, "errmsg") == 0 && v[i + 1].base && v[i + 1].len) {
			char buf[256];
			if (s)
				rt_snprintf(buf, sizeof buf, fmt, s);
			else
				rt_snprintf(buf, sizeof buf, fmt, d);
			rt_strlcpy(v[i + 1].base, buf, v[i + 1].len);
		}
}

static long check_names(struct fiov *v, unsigned n)
{
	if (n & 1)
		return -EINVAL;
	for (unsigned i = 0; i < n; i += 2) {
		const char *nm = v[i].base;
		if (!nm || v[i].len == 0 || nm[v[i].len - 1] != 0)
			return -EINVAL;
	}
	return 0;
}

/* ip4.addr / ip6.addr: an array of addresses of `size` bytes each; a
 * non-empty list also turns the matching ip4/ip6 mode on. */
static long set_addrs(struct fiov *v, unsigned n, struct fiov *val, const char *nm, size_t size,
		      size_t max, void *dst, int *count, int *mode)
{
	if (val->len % size || val->len / size > max) {
		errmsg(v, n, "%s: invalid size", nm, 0);
		return -EINVAL;
	}
	*count = (int)(val->len / size);
	if (*count) {
		memcpy(dst, val->base, val->len);
		*mode = 1;
	}
	return 0;
}

static int get_int(struct fiov *val, int dflt)
{
	int x = dflt;
	if (val->base && val->len >= 4)
		memcpy(&x, val->base, 4);
	return x;
}

/* Key lookup: *jid from "jid" or a numeric "name", *name otherwise. */
static void find_key(struct fiov *v, unsigned n, int *jid, const char **name)
{
	*jid = 0;
	*name = NULL;
	for (unsigned i = 0; i < n; i += 2) {
		if (strcmp(v[i].base, "jid") == 0)
			*jid = get_int(&v[i + 1], 0);
		else if (strcmp(v[i].base, "name") == 0 && v[i + 1].base && v[i + 1].len)
			*name = v[i + 1].base;
	}
	if (!*jid && *name) {
		const char *p = *name;
		int x = 0;
		while (*p >= '0' && *p <= '9')
			x = x * 10 + (*p++ - '0');
		if (!*p && p != *name) {
			*jid = x;
			*name = NULL;
		}
	}
}

/* Applies one parameter to j (a scratch copy). */
static long set_one(struct fiov *v, unsigned n, struct jailrec *j, const char *nm, struct fiov *val)
{
	struct jparam p;
	int neg;
	if (strcmp(nm, "errmsg") == 0 || strcmp(nm, "jid") == 0)
		return 0;
	if (!lookup(nm, &p, &neg)) {
		errmsg(v, n, "unknown parameter: %s", nm, 0);
		return -ENOENT;
	}
	switch (p.type) {
	case 'b':
		j->iv[p.idx] = (val->base && val->len >= 4 ? get_int(val, 1) != 0 : 1) ^ neg;
		return 0;
	case 'i':
	case 'j':
		if (!val->base || val->len != 4) {
			errmsg(v, n, "%s: invalid size", nm, 0);
			return -EINVAL;
		}
		j->iv[p.idx] = get_int(val, 0);
		return 0;
	case 'r':
		return 0;
	case 's': {
		size_t size;
		char *f = str_field(j, p.idx, &size);
		const char *s = val->base;
		if (!s || !val->len || s[val->len - 1] != 0) {
			errmsg(v, n, "%s: not a string", nm, 0);
			return -EINVAL;
		}
		if (val->len > size) {
			errmsg(v, n, "%s too long", nm, 0);
			return -ENAMETOOLONG;
		}
		if (p.idx == S_NAME && (!*s || (s[0] >= '0' && s[0] <= '9'))) {
			errmsg(v, n, "name cannot be numeric (unless it is the jid)", NULL, 0);
			return -EINVAL;
		}
		rt_strlcpy(f, s, size);
		return 0;
	}
	case '4':
		return set_addrs(v, n, val, "ip4.addr", 4, JAIL_NIP4, j->ip4, &j->nip4, &j->iv[JI_IP4]);
	case '6':
		return set_addrs(v, n, val, "ip6.addr", 16, JAIL_NIP6, j->ip6, &j->nip6, &j->iv[JI_IP6]);
	}
	return -ENOENT;
}

static int is_root(void) { return lsys0(__NR_geteuid) == 0; }

long sys_jail_set(struct sysctx *c)
{
	struct fiov *v = ARG_PTR(c, 0);
	unsigned n = (unsigned)c->a[1];
	int flags = ARG_INT(c, 2);
	long r = check_names(v, n);
	if (r)
		return r;
	if ((flags & ~(JAIL_CREATE | JAIL_UPDATE | JAIL_ATTACH | JAIL_DYING)) ||
	    !(flags & (JAIL_CREATE | JAIL_UPDATE)))
		return -EINVAL;
	if (!is_root())
		return -EPERM;
	int jid;
	const char *name;
	find_key(v, n, &jid, &name);
	struct jailrec *t = jail_lock();
	if (!t)
		return -ENOMEM;
	int cur = jail_current();
	struct jailrec *j = jid ? jail_by_jid(t, jid) : name ? jail_by_name(t, name) : NULL;
	if (j && cur && j->jid != cur && j->iv[JI_PARENT] != cur)
		j = NULL;
	if (j && !(flags & JAIL_UPDATE)) {
		if (jid)
			errmsg(v, n, "jail %d already exists", NULL, jid);
		else
			errmsg(v, n, "jail \"%s\" already exists", name, 0);
		r = -EEXIST;
		goto out;
	}
	if (!j && !(flags & JAIL_CREATE)) {
		if (jid)
			errmsg(v, n, "jail %d not found", NULL, jid);
		else if (name)
			errmsg(v, n, "jail \"%s\" not found", name, 0);
		else
			errmsg(v, n, "no jail specified", NULL, 0);
		r = -ENOENT;
		goto out;
	}
	static struct jailrec scratch;
	int created = 0;
	if (!j) {
		if (jid && jid <= 0) {
			r = -EINVAL;
			goto out;
		}
		j = jail_new(t);
		if (!j) {
			errmsg(v, n, "too many jails", NULL, 0);
			r = -EAGAIN;
			goto out;
		}
		if (jid)
			j->jid = jid;
		created = 1;
	}
	scratch = *j;
	for (unsigned i = 0; i < n; i += 2) {
		r = set_one(v, n, &scratch, v[i].base, &v[i + 1]);
		if (r)
			break;
	}
	if (r) {
		if (created)
			j->jid = 0;
		goto out;
	}
	if (created && !name)
		rt_snprintf(scratch.name, sizeof scratch.name, "%d", scratch.jid);
	*j = scratch;
	r = j->jid;
	if (flags & JAIL_ATTACH) {
		long a = jail_do_attach(j);
		if (lerr(a)) {
			errmsg(v, n, "cannot attach to jail %d", NULL, j->jid);
			r = a;
		}
	}
	jail_free_if_unused(j);
out:
	jail_unlock();
	return r;
}

/* Copies a value out FreeBSD style: NULL base asks for the size. */
static long put(struct fiov *val, const void *p, size_t len, int exact)
{
	if (!val->base) {
		val->len = len;
		return 0;
	}
	if (exact ? val->len != len : val->len < len)
		return -EINVAL;
	memcpy(val->base, p, len);
	val->len = len;
	return 0;
}

static long get_one(struct fiov *v, unsigned n, struct jailrec *j, const char *nm, struct fiov *val)
{
	struct jparam p;
	int neg;
	if (strcmp(nm, "errmsg") == 0 || strcmp(nm, "lastjid") == 0)
		return 0;
	if (!lookup(nm, &p, &neg)) {
		errmsg(v, n, "unknown parameter: %s", nm, 0);
		return -ENOENT;
	}
	int x;
	switch (p.type) {
	case 'k':
		return put(val, &j->jid, 4, 1);
	case 'b':
		x = (j->iv[p.idx] != 0) ^ neg;
		return put(val, &x, 4, 1);
	case 'i':
	case 'j':
	case 'r':
		return put(val, &j->iv[p.idx], 4, 1);
	case 's': {
		size_t size;
		const char *f = str_field(j, p.idx, &size);
		size_t len = strlen(f) + 1;
		if (!val->base) {
			val->len = len;
			return 0;
		}
		if (val->len < len) {
			errmsg(v, n, "%s: value too long", nm, 0);
			return -ENAMETOOLONG;
		}
		memcpy(val->base, f, len);
		return 0;
	}
	case '4':
		return put(val, j->ip4, (size_t)j->nip4 * 4, 0);
	case '6':
		return put(val, j->ip6, (size_t)j->nip6 * 16, 0);
	}
	return -ENOENT;
}

long sys_jail_get(struct sysctx *c)
{
	struct fiov *v = ARG_PTR(c, 0);
	unsigned n = (unsigned)c->a[1];
	int flags = ARG_INT(c, 2);
	long r = check_names(v, n);
	if (r)
		return r;
	if (flags & ~JAIL_DYING)
		return -EINVAL;
	int jid, last = -1;
	const char *name;
	find_key(v, n, &jid, &name);
	for (unsigned i = 0; i < n; i += 2)
		if (strcmp(v[i].base, "lastjid") == 0)
			last = get_int(&v[i + 1], 0);
	struct jailrec *t = jail_lock();
	if (!t)
		return -ENOMEM;
	int cur = jail_current();
	struct jailrec *j = NULL;
	if (last >= 0) { /* libjail's key order: lastjid, a nonzero jid, name */
		for (int i = 0; i < JAIL_MAX; i++) {
			struct jailrec *k = &t[i];
			if (k->jid > last && (!cur || k->iv[JI_PARENT] == cur) && (!j || k->jid < j->jid))
				j = k;
		}
		if (!j)
			errmsg(v, n, "no jail after %d", NULL, last);
	} else if (jid || name) {
		j = jid ? jail_by_jid(t, jid) : jail_by_name(t, name);
		if (j && cur && j->iv[JI_PARENT] != cur)
			j = NULL;
		if (!j && jid)
			errmsg(v, n, "jail %d not found", NULL, jid);
		else if (!j)
			errmsg(v, n, "jail \"%s\" not found", name, 0);
	} else
		errmsg(v, n, "no jail specified", NULL, 0);
	if (!j) {
		jail_unlock();
		return -ENOENT;
	}
	r = j->jid;
	for (unsigned i = 0; i < n; i += 2) {
		long e = get_one(v, n, j, v[i].base, &v[i + 1]);
		if (e) {
			r = e;
			break;
		}
	}
	jail_unlock();
	return r;
}
