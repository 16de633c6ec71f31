/* Probe: the two generations of getgroups/setgroups. FreeBSD 14 and older
 * (79/80) put the effective gid first in the list (cr_groups[0]); FreeBSD
 * 15's new calls (595/596) see the supplementary groups only (kern_prot.c,
 * FreeBSD 15.0 release notes). usage: groups EGID [GID...] = the harness
 * shell's effective gid and supplementary groups (/proc/$$/status). As root,
 * a child also sets groups through both generations. */
#include "probe.h"

enum { SYS_getgroups14 = 79, SYS_setgroups14 = 80, SYS_getegid = 43,
       SYS_getgroups = 595, SYS_setgroups = 596 };

/* got[0..n) == want[0..n) and the call returned n. */
static void list_is(const char *name, sysret r, const unsigned *got, const unsigned *want, long n)
{
	CHECK_EQ(rt_tag(name, "count"), r.cf ? -r.val : r.val, n);
	for (long i = 0; i < n && !r.cf; i++)
		CHECK_EQ(rt_tag(name, "entry"), got[i], want[i]);
}

static void inherited(int argc, char **argv)
{
	unsigned want[64], got[64];
	long n = argc - 1;
	for (long i = 0; i < n && i < 64; i++)
		want[i] = (unsigned)rt_atol(argv[i + 1]);
	CHECK_EQ("getgroups(0) (79) = 1 + supplementary", SYS(SYS_getgroups14, 0, 0).val, n);
	CHECK_EQ("getgroups(0) (595) = supplementary", SYS(SYS_getgroups, 0, 0).val, n - 1);
	list_is("79: egid, then the shell's groups:", SYS(SYS_getgroups14, 64, got), got, want, n);
	list_is("595: the shell's groups:", SYS(SYS_getgroups, 64, got), got, want + 1, n - 1);
	if (n > 1)
		CHECK_ERR("79 with a list too short -> EINVAL", SYS(SYS_getgroups14, 1, got), EINVAL);
	CHECK_ERR("79 into a bad pointer -> EFAULT", SYS(SYS_getgroups14, 64, 8), EFAULT);
}

/* In a child (its groups are its own): both setgroups generations. */
static int set_in_child(void)
{
	unsigned got[8];
	static const unsigned three[] = {5, 7, 9}, one[] = {11}, e5_11[] = {5, 11};
	CHECK_OK("setgroups {5,7,9} (80)", SYS(SYS_setgroups14, 3, three));
	CHECK_EQ("80 made the first entry the egid", SYS(SYS_getegid).val, 5);
	list_is("595 after 80:", SYS(SYS_getgroups, 8, got), got, three + 1, 2);
	list_is("79 after 80:", SYS(SYS_getgroups14, 8, got), got, three, 3);
	CHECK_OK("setgroups {11} (596)", SYS(SYS_setgroups, 1, one));
	CHECK_EQ("596 left the egid", SYS(SYS_getegid).val, 5);
	list_is("79 after 596:", SYS(SYS_getgroups14, 8, got), got, e5_11, 2);
	CHECK_OK("setgroups(0) (80)", SYS(SYS_setgroups14, 0, 0));
	CHECK_EQ("80 with none keeps the egid", SYS(SYS_getegid).val, 5);
	CHECK_EQ("595 after setgroups(0): none", SYS(SYS_getgroups, 8, got).val, 0);
	return rt_done();
}

int main(int argc, char **argv, char **envp)
{
	(void)envp;
	CHECK_EQ("harness gave the egid", SYS(SYS_getegid).val, rt_atol(argv[1]));
	inherited(argc, argv);
	if (SYS(SYS_getuid).val != 0) {
		rt_note("not root: setgroups cases skipped");
		return rt_done();
	}
	long pid = rt_fork();
	if (pid == 0)
		rt_exit(set_in_child());
	CHECK_EQ("child's setgroups checks passed", rt_wait(pid), 0);
	return rt_done();
}
