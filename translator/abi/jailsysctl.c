/* security.jail.*: jailed and the legacy *_allowed knobs for the
 * calling process's jail, and the security.jail.param.* descriptions
 * libjail reads (sysctl {0,3} name2oid, {0,4} format; a string's value is
 * its maximum length in decimal). sysctl.c falls back to this table. */
#include "../rt/rt.h"
#include "sysctl.h"
#include "jail.h"
#include <asm-generic/errno.h>

static int out_i(struct sysctl_req *r, int v) { return (int)sysctl_out(r, &v, sizeof v); }
static long out_s(struct sysctl_req *r, const char *s) { return sysctl_out(r, s, strlen(s) + 1); }

/* An iv[] value of the caller's jail, or dflt outside one. */
static int cur_iv(int idx, int dflt)
{
	if (!jail_current())
		return dflt;
	struct jailrec *t = jail_lock();
	struct jailrec *j = t ? jail_by_jid(t, jail_current()) : NULL;
	int v = j ? j->iv[idx] : dflt;
	jail_unlock();
	return v;
}

long sysctl_jailed(struct sysctl_req *r) { return out_i(r, jail_current() != 0); }
static long h_enforce(struct sysctl_req *r) { return out_i(r, cur_iv(JI_ENFORCE_STATFS, 0)); }
static long h_sethost(struct sysctl_req *r) { return out_i(r, cur_iv(JI_ALLOW + 0, 1)); }
static long h_sysvipc(struct sysctl_req *r) { return out_i(r, cur_iv(JI_ALLOW + 1, 1)); }
static long h_raw(struct sysctl_req *r) { return out_i(r, cur_iv(JI_ALLOW + 2, 1)); }
static long h_chflags(struct sysctl_req *r) { return out_i(r, cur_iv(JI_ALLOW + 3, 1)); }
static long h_mount(struct sysctl_req *r) { return out_i(r, cur_iv(JI_ALLOW + 4, 1)); }
static long h_unixip(struct sysctl_req *r) { return out_i(r, !cur_iv(JI_ALLOW + 6, 1)); }
static long h_maxaf(struct sysctl_req *r) { return out_i(r, 255); }
static long h_zero(struct sysctl_req *r) { return out_i(r, 0); }
static long h_len32(struct sysctl_req *r) { return out_s(r, "32"); }
static long h_len64(struct sysctl_req *r) { return out_s(r, "64"); }
static long h_len256(struct sysctl_req *r) { return out_s(r, "256"); }
static long h_len1024(struct sysctl_req *r) { return out_s(r, "1024"); }
static long h_sz4(struct sysctl_req *r) { size_t s = 4; return sysctl_out(r, &s, sizeof s); }
static long h_sz16(struct sysctl_req *r) { size_t s = 16; return sysctl_out(r, &s, sizeof s); }

#define J(n) { "security.jail." n
#define P(n) { "security.jail.param." n
/* type letters beyond sysctl.c's: N node (not walked), i/r
 * writable/read-only int, a string, B boolean, J jailsys enum, 4/6 address arrays */
static const struct sysctl_oid joids[] = {
	{ "security.jail.param", { 0x103, 1, 100 }, 3, 'N', h_zero },
	P("jid"), { 0x103, 1, 100, 1 }, 4, 'i', h_zero },
	P("name"), { 0x103, 1, 100, 2 }, 4, 'a', h_len256 },
	P("path"), { 0x103, 1, 100, 3 }, 4, 'a', h_len1024 },
	P("host.hostname"), { 0x103, 1, 100, 4 }, 4, 'a', h_len256 },
	P("host.domainname"), { 0x103, 1, 100, 5 }, 4, 'a', h_len256 },
	P("host.hostuuid"), { 0x103, 1, 100, 6 }, 4, 'a', h_len64 },
	P("osrelease"), { 0x103, 1, 100, 7 }, 4, 'a', h_len32 },
	P("osreldate"), { 0x103, 1, 100, 8 }, 4, 'r', h_zero },
	P("host"), { 0x103, 1, 100, 9 }, 4, 'J', h_zero },
	P("ip4"), { 0x103, 1, 100, 10 }, 4, 'J', h_zero },
	P("ip6"), { 0x103, 1, 100, 11 }, 4, 'J', h_zero },
	P("vnet"), { 0x103, 1, 100, 12 }, 4, 'J', h_zero },
	P("ip4.addr"), { 0x103, 1, 100, 13 }, 4, '4', h_sz4 },
	P("ip6.addr"), { 0x103, 1, 100, 14 }, 4, '6', h_sz16 },
	P("persist"), { 0x103, 1, 100, 15 }, 4, 'B', h_zero },
	P("dying"), { 0x103, 1, 100, 16 }, 4, 'D', h_zero },
	P("parent"), { 0x103, 1, 100, 17 }, 4, 'r', h_zero },
	P("children.max"), { 0x103, 1, 100, 18 }, 4, 'i', h_zero },
	P("children.cur"), { 0x103, 1, 100, 19 }, 4, 'r', h_zero },
	P("securelevel"), { 0x103, 1, 100, 20 }, 4, 'i', h_zero },
	P("enforce_statfs"), { 0x103, 1, 100, 21 }, 4, 'i', h_zero },
	P("devfs_ruleset"), { 0x103, 1, 100, 22 }, 4, 'i', h_zero },
	P("cpuset.id"), { 0x103, 1, 100, 23 }, 4, 'r', h_zero },
	P("allow.set_hostname"), { 0x103, 1, 100, 40 }, 4, 'B', h_zero },
	P("allow.sysvipc"), { 0x103, 1, 100, 41 }, 4, 'B', h_zero },
	P("allow.raw_sockets"), { 0x103, 1, 100, 42 }, 4, 'B', h_zero },
	P("allow.chflags"), { 0x103, 1, 100, 43 }, 4, 'B', h_zero },
	P("allow.mount"), { 0x103, 1, 100, 44 }, 4, 'B', h_zero },
	P("allow.quotas"), { 0x103, 1, 100, 45 }, 4, 'B', h_zero },
	P("allow.socket_af"), { 0x103, 1, 100, 46 }, 4, 'B', h_zero },
	P("allow.mount.devfs"), { 0x103, 1, 100, 47 }, 4, 'B', h_zero },
	P("allow.mount.nullfs"), { 0x103, 1, 100, 48 }, 4, 'B', h_zero },
	P("allow.mount.procfs"), { 0x103, 1, 100, 49 }, 4, 'B', h_zero },
	P("allow.mount.tmpfs"), { 0x103, 1, 100, 50 }, 4, 'B', h_zero },
	P("allow.mount.zfs"), { 0x103, 1, 100, 51 }, 4, 'B', h_zero },
	P("allow.mount.fdescfs"), { 0x103, 1, 100, 52 }, 4, 'B', h_zero },
	P("allow.mount.linprocfs"), { 0x103, 1, 100, 53 }, 4, 'B', h_zero },
	P("allow.mount.linsysfs"), { 0x103, 1, 100, 54 }, 4, 'B', h_zero },
	/* after the parameters: the {0,2} walk of libjail stops at a new prefix */
	J("enforce_statfs"), { 0x103, 1, 2 }, 3, 'I', h_enforce },
	J("set_hostname_allowed"), { 0x103, 1, 3 }, 3, 'I', h_sethost },
	J("sysvipc_allowed"), { 0x103, 1, 4 }, 3, 'I', h_sysvipc },
	J("allow_raw_sockets"), { 0x103, 1, 5 }, 3, 'I', h_raw },
	J("chflags_allowed"), { 0x103, 1, 6 }, 3, 'I', h_chflags },
	J("mount_allowed"), { 0x103, 1, 7 }, 3, 'I', h_mount },
	J("socket_unixiproute_only"), { 0x103, 1, 8 }, 3, 'I', h_unixip },
	J("jail_max_af_ips"), { 0x103, 1, 9 }, 3, 'I', h_maxaf },
};

const struct sysctl_oid *sysctl_jail_name(const char *name, size_t len)
{
	for (size_t i = 0; i < ARRAY_LEN(joids); i++)
		if (strlen(joids[i].name) == len && memcmp(joids[i].name, name, len) == 0)
			return &joids[i];
	return NULL;
}

const struct sysctl_oid *sysctl_jail_mib(const int *mib, unsigned len)
{
	for (size_t i = 0; i < ARRAY_LEN(joids); i++)
		if (joids[i].len == len && memcmp(joids[i].mib, mib, len * sizeof(int)) == 0)
			return &joids[i];
	return NULL;
}

/* {0,2} walks sysctl.c's table, then this one. */
const struct sysctl_oid *sysctl_jail_at(size_t i)
{
	return i < ARRAY_LEN(joids) ? &joids[i] : NULL;
}

size_t sysctl_jail_index(const struct sysctl_oid *o)
{
	return (size_t)(o - joids);
}

#define RD 0x80000000u /* CTLFLAG_RD */
#define RW 0xc0000000u /* CTLFLAG_RD | CTLFLAG_WR: what jls -s prints */

/* {0,4} kind and format of the letters above; 0 when not ours. */
unsigned sysctl_jail_fmt(char type, const char **fmt)
{
	switch (type) {
	case 'N': *fmt = "N"; return 1;
	case 'i': *fmt = "I"; return RW | 2;
	case 'r': *fmt = "I"; return RD | 2;
	case 'a': *fmt = "A"; return RW | 3;
	case 'B': *fmt = "B"; return RW | 2;
	case 'D': *fmt = "B"; return RD | 2;
	case 'J': *fmt = "E,jailsys"; return RW | 2;
	case '4': *fmt = "S,in_addr,a"; return RW | 5;
	case '6': *fmt = "S,in6_addr,a"; return RW | 5;
	}
	return 0;
}
