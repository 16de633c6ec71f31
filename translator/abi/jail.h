/* The emulated FreeBSD jail table (abi/jailtab.c), shared by every
 * translator of one tree: a memfd mapped MAP_SHARED, created by the first
 * translator and handed to child translators with --jail FD:JID (the JID
 * the process is attached to; 0 = not jailed). Fork shares the mapping. */
#pragma once
#include <stdint.h>
#include <stddef.h>

#define JAIL_MAX 32
#define JAIL_MAX_MEM 256 /* member processes tracked per jail */
#define JAIL_NIP4 8
#define JAIL_NIP6 4

/* Integer-valued parameters, stored in jailrec.iv[]. */
enum {
	JI_PERSIST, JI_CHILDREN_MAX, JI_CHILDREN_CUR, JI_SECURELEVEL, JI_ENFORCE_STATFS,
	JI_DEVFS_RULESET, JI_HOST, JI_IP4, JI_IP6, JI_VNET, JI_PARENT, JI_DYING,
	JI_OSRELDATE, JI_HOSTID, JI_CPUSET,
	JI_ALLOW, /* allow.* booleans follow, in jail_allow_names order */
	JI_N = JI_ALLOW + 16
};

struct jailrec {
	int jid; /* 0: free slot */
	int iv[JI_N];
	int nip4, nip6;
	uint32_t ip4[JAIL_NIP4];
	uint8_t ip6[JAIL_NIP6][16];
	int nmem; /* high-water mark of mem[] */
	struct jailmem { int pid; unsigned long long start; } mem[JAIL_MAX_MEM];
	char name[256], path[1024], hostname[256], domainname[256], hostuuid[64], osrelease[32];
};

extern const char *const jail_allow_names[];

/* The table, locked; NULL when it cannot be mapped. jail_unlock() after. */
struct jailrec *jail_lock(void);
void jail_unlock(void);
/* jail_lock() once any jail was ever created here, else NULL (no locking). */
struct jailrec *jail_lock_if_any(void);
/* Slot lookups on a locked table. */
struct jailrec *jail_by_jid(struct jailrec *t, int jid);
struct jailrec *jail_by_name(struct jailrec *t, const char *name);
struct jailrec *jail_new(struct jailrec *t); /* fresh record with the next jid, or NULL */
void jail_free_if_unused(struct jailrec *j);  /* non-persistent with no live process: gone */
/* Attaches this process (chroot to its path unless "/"). Table locked. */
long jail_do_attach(struct jailrec *j);

/* Membership (abi/jailmember.c): every process attached to a jail and every
 * process forked by one is recorded with its start time, so a reused pid is
 * never taken for a member. All on a locked table. */
void jail_member_add(struct jailrec *j, int pid);
int jail_has_members(const struct jailrec *j);
int jail_of(struct jailrec *t, int pid, unsigned long long start); /* jid, 0 = none */
void jail_kill_members(struct jailrec *j);
/* Whether a process in jail jid is visible from the caller's jail: its own
 * jail or one created inside it (all, when the caller is not jailed). */
int jail_visible_from_here(struct jailrec *t, int jid);
/* Fork under the table lock, so jail_remove never misses a new member. */
long jail_clone(unsigned long flags, int *pidfd);

/* This process's jail (0: none), and the descriptor for --jail. */
int jail_current(void);
int jail_table_fd(void);
/* Loader: --jail FD:JID given (fd >= 0) or a fresh table (fd < 0). */
void jail_boot(int fd, int jid);
/* A copy of the attached jail's hostname; 0 when not jailed. */
int jail_hostname(char *buf, size_t size);
/* sethostname inside a jail: -EPERM unless allow.set_hostname. */
long jail_set_hostname(const char *name, size_t len);
