/* Which processes belong to which emulated jail (abi/jail.h). A member is
 * (pid, start time in ticks): a pid reused by an unrelated process after the
 * member died does not match, so jail_remove never signals a stranger. */
#include "../trap/dispatch.h"
#include "../rt/rt.h"
#include "jail.h"
#include "sysctl.h"
#include <asm-generic/errno.h>

static int alive(const struct jailmem *m)
{
	return m->pid > 0 && lsys2(__NR_kill, m->pid, 0) != -ESRCH;
}

/* Alive and still the same process. */
static int same(const struct jailmem *m)
{
	return alive(m) && proc_start_ticks(m->pid) == m->start;
}

void jail_member_add(struct jailrec *j, int pid)
{
	unsigned long long start = proc_start_ticks(pid);
	int slot = -1;
	for (int i = 0; i < j->nmem; i++) {
		if (j->mem[i].pid == pid && j->mem[i].start == start)
			return;
		if (slot < 0 && !alive(&j->mem[i]))
			slot = i;
	}
	if (slot < 0 && j->nmem < JAIL_MAX_MEM)
		slot = j->nmem++;
	if (slot >= 0) {
		j->mem[slot].pid = pid;
		j->mem[slot].start = start;
	}
}

int jail_has_members(const struct jailrec *j)
{
	for (int i = 0; i < j->nmem; i++)
		if (alive(&j->mem[i]))
			return 1;
	return 0;
}

int jail_of(struct jailrec *t, int pid, unsigned long long start)
{
	for (int k = 0; k < JAIL_MAX; k++)
		for (int i = 0; t[k].jid && i < t[k].nmem; i++)
			if (t[k].mem[i].pid == pid && t[k].mem[i].start == start)
				return t[k].jid;
	return 0;
}

void jail_kill_members(struct jailrec *j)
{
	int me = (int)lsys0(__NR_getpid);
	for (int i = 0; i < j->nmem; i++)
		if (j->mem[i].pid != me && same(&j->mem[i]))
			lsys2(__NR_kill, j->mem[i].pid, 9);
	j->nmem = 0;
}

int jail_visible_from_here(struct jailrec *t, int jid)
{
	int cur = jail_current();
	if (!cur || jid == cur)
		return 1;
	struct jailrec *j = jail_by_jid(t, jid);
	return j && j->iv[JI_PARENT] == cur;
}

long jail_clone(unsigned long flags, int *pidfd)
{
	struct jailrec *t = jail_current() ? jail_lock() : NULL;
	long r = lsys5(__NR_clone, flags, 0, pidfd, 0, 0);
	if (t && r != 0) { /* the parent; the child leaves the lock to it */
		struct jailrec *j = jail_by_jid(t, jail_current());
		if (j && r > 0)
			jail_member_add(j, (int)r);
		jail_unlock();
	}
	return r;
}
