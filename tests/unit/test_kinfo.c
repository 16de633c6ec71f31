/* kern.proc: Linux /proc/PID facts -> FreeBSD struct kinfo_proc. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "abi/kinfo.h"

static const char STAT[] =
	"4242 (my (odd) prog) S 4200 4242 4100 34817 4250 4194560 120 0 0 0 "
	"250 50 7 3 20 5 3 0 100000 12345678 300 18446744073709551615 1 1 0 0 0 0 0 "
	"0 0 0 17 1 0 0 0 0 0\n";

static const char STATUS[] =
	"Name:\tprog\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t4242\n"
	"Uid:\t1000\t1001\t1002\t1001\nGid:\t100\t101\t102\t101\n"
	"FDSize:\t64\nGroups:\t101 5 27 \nVmPeak:\t1 kB\n";

static void parse_stat(void **state)
{
	(void)state;
	struct lproc p;
	memset(&p, 0, sizeof p);
	assert_int_equal(kinfo_parse_stat(STAT, sizeof STAT - 1, &p), 0);
	assert_int_equal(p.pid, 4242);
	assert_string_equal(p.comm, "my (odd) prog");
	assert_int_equal(p.state, 'S');
	assert_int_equal(p.ppid, 4200);
	assert_int_equal(p.pgid, 4242);
	assert_int_equal(p.sid, 4100);
	assert_int_equal(p.tty_nr, 34817);
	assert_int_equal(p.tpgid, 4250);
	assert_int_equal(p.utime, 250);
	assert_int_equal(p.stime, 50);
	assert_int_equal(p.nice, 5);
	assert_int_equal(p.num_threads, 3);
	assert_int_equal(p.starttime, 100000);
	assert_int_equal(p.vsize, 12345678);
	assert_int_equal(p.rss, 300);
	assert_int_equal(kinfo_parse_stat("12 (x", 5, &p), -1);
	assert_int_equal(kinfo_parse_stat("12 (x) S 1 2", 12, &p), -1);
}

static void parse_status(void **state)
{
	(void)state;
	struct lproc p;
	memset(&p, 0, sizeof p);
	kinfo_parse_status(STATUS, sizeof STATUS - 1, &p);
	assert_int_equal(p.uid[0], 1000);
	assert_int_equal(p.uid[1], 1001);
	assert_int_equal(p.uid[2], 1002);
	assert_int_equal(p.gid[0], 100);
	assert_int_equal(p.gid[1], 101);
	assert_int_equal(p.gid[2], 102);
	assert_int_equal(p.ngroups, 3);
	assert_int_equal(p.groups[2], 27);
}

static void fill(void **state)
{
	(void)state;
	struct lproc p;
	memset(&p, 0, sizeof p);
	kinfo_parse_stat(STAT, sizeof STAT - 1, &p);
	kinfo_parse_status(STATUS, sizeof STATUS - 1, &p);
	p.translated = 1;
	struct kinfo_clock c = { 100, 1700000000, 900000, 200000 };
	struct kinfo_proc k;
	memset(&k, 0x55, sizeof k);
	kinfo_fill(&k, &p, &c);
	const unsigned char *raw = (const void *)&k;
	assert_int_equal(*(const int *)raw, 1088);
	assert_int_equal(*(const int *)(raw + 72), 4242);  /* ki_pid */
	assert_int_equal(*(const int *)(raw + 76), 4200);  /* ki_ppid */
	assert_int_equal(k.ki_pgid, 4242);
	assert_int_equal(k.ki_sid, 4100);
	assert_int_equal(k.ki_tpgid, 4250);
	/* tty_nr 34817 = major 136, minor 1 (/dev/pts/1) */
	assert_int_equal(k.ki_tdev, (136 << 8) | 1);
	assert_int_equal(k.ki_tdev_freebsd11, (136 << 8) | 1);
	assert_true(k.ki_flag & KI_P_CONTROLT);
	assert_true(k.ki_flag & KI_P_INMEM);
	assert_int_equal(k.ki_uid, 1001);
	assert_int_equal(k.ki_ruid, 1000);
	assert_int_equal(k.ki_svuid, 1002);
	assert_int_equal(k.ki_rgid, 100);
	assert_int_equal(k.ki_svgid, 102);
	assert_int_equal(k.ki_ngroups, 3); /* egid 101 first, then 5 and 27 */
	assert_int_equal(k.ki_groups[0], 101);
	assert_int_equal(k.ki_groups[1], 5);
	assert_int_equal(k.ki_groups[2], 27);
	assert_int_equal(k.ki_size, 12345678);
	assert_int_equal(k.ki_rssize, 300);
	assert_int_equal(k.ki_runtime, 3000000); /* 300 ticks */
	assert_int_equal(k.ki_rusage.ru_utime.tv_sec, 2);
	assert_int_equal(k.ki_rusage.ru_utime.tv_usec, 500000);
	/* boot 1700000000.9 + 1000 s */
	assert_int_equal(k.ki_start.tv_sec, 1700001000);
	assert_int_equal(k.ki_start.tv_usec, 900000);
	/* 300 ticks over 100000 ticks of life: 0.3% of FSCALE */
	assert_int_equal(k.ki_pctcpu, 300 * 2048 / 100000);
	assert_true(k.ki_swtime > 0);
	assert_int_equal(k.ki_stat, KI_SSLEEP);
	assert_true(k.ki_tdflags & KI_TDF_SINTR);
	assert_int_equal(k.ki_nice, 5);
	assert_string_equal(k.ki_comm, "my (odd) prog");
	assert_string_equal(k.ki_emul, "FreeBSD ELF64");
	assert_int_equal(k.ki_numthreads, 3);
	assert_int_equal(k.ki_tid, 104242);
	assert_int_equal(k.ki_kiflag & KI_SLEADER, 0);
	assert_int_equal(k.ki_wmesg[0], 0);
	assert_int_equal(k.ki_sflag, 0);

	p.state = 'R'; p.tty_nr = 0; p.sid = p.pid; p.translated = 0;
	kinfo_fill(&k, &p, &c);
	assert_int_equal(k.ki_stat, KI_SRUN);
	assert_true(k.ki_tdev == KI_NODEV);
	assert_int_equal(k.ki_tdev_freebsd11, 0xffffffffu);
	assert_int_equal(k.ki_tpgid, 0);
	assert_false(k.ki_flag & KI_P_CONTROLT);
	assert_true(k.ki_kiflag & KI_SLEADER);
	assert_string_equal(k.ki_emul, "Linux ELF64");
	p.state = 'T';
	kinfo_fill(&k, &p, &c);
	assert_int_equal(k.ki_stat, KI_SSTOP);
	p.state = 'Z';
	kinfo_fill(&k, &p, &c);
	assert_int_equal(k.ki_stat, KI_SZOMB);
	p.state = 'D';
	kinfo_fill(&k, &p, &c);
	assert_int_equal(k.ki_stat, KI_SSLEEP);
	assert_false(k.ki_tdflags & KI_TDF_SINTR);
	p.kflags = 0x200000;
	kinfo_fill(&k, &p, &c);
	assert_true(k.ki_flag & KI_P_SYSTEM);
}

static void guest_cmdline(void **state)
{
	(void)state;
	char prog[64];
	char a[] = "build/bin/bsdulator\0--root\0/r\0/bin/sh\0-c\0echo hi\0";
	size_t n = sizeof a - 1;
	assert_int_equal(kinfo_guest_cmdline(a, &n, prog, sizeof prog), 1);
	assert_string_equal(prog, "/bin/sh");
	assert_int_equal(n, sizeof "/bin/sh\0-c\0echo hi");
	assert_memory_equal(a, "/bin/sh\0-c\0echo hi\0", n);

	char b[] = "bsdulator\0--exe-fd\0" "1016\0--proc-fd\0" "1017\0--argv0\0sh\0--\0/bin/sh\0x\0";
	n = sizeof b - 1;
	assert_int_equal(kinfo_guest_cmdline(b, &n, prog, sizeof prog), 1);
	assert_string_equal(prog, "/bin/sh");
	assert_int_equal(n, 5);
	assert_memory_equal(b, "sh\0x\0", 5);

	char c[] = "/usr/bin/bash\0-c\0true\0";
	n = sizeof c - 1;
	assert_int_equal(kinfo_guest_cmdline(c, &n, prog, sizeof prog), 0);
	assert_int_equal(n, sizeof c - 1);

	char d[] = "bsdulator\0--root\0";
	n = sizeof d - 1;
	assert_int_equal(kinfo_guest_cmdline(d, &n, prog, sizeof prog), 0);

	/* an --argv0 longer than the room before ARGS keeps PROGRAM */
	char e[] = "bsdulator\0--argv0\0a-very-long-argv-zero-name\0--\0/x\0y\0";
	n = sizeof e - 1;
	assert_int_equal(kinfo_guest_cmdline(e, &n, prog, sizeof prog), 1);
	assert_memory_equal(e, "a-very-long-argv-zero-name\0y\0", n);
}

static void tdev(void **state)
{
	(void)state;
	assert_true(kinfo_tdev(0) == KI_NODEV);
	assert_int_equal(kinfo_tdev((136 << 8) | 3), (136 << 8) | 3);
	assert_int_equal(kinfo_tdev((4 << 8) | 1), (4 << 8) | 1);
}

/* Linux wait channels -> FreeBSD wmesg; running/hidden -> "", others cut
 * to WMESGLEN 8. */
static void wmesg(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{ "futex_do_wait", "uwait" }, { "do_epoll_wait", "kqread" },
		{ "hrtimer_nanosleep", "nanslp" }, { "sigsuspend.isra.0", "pause" },
		{ "0", "" }, { "some_long_kernel_function", "some_lon" },
	};
	char w[9];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		kinfo_wmesg(w, sizeof w, cases[i][0]);
		assert_string_equal(w, cases[i][1]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_stat),
		cmocka_unit_test(parse_status),
		cmocka_unit_test(fill),
		cmocka_unit_test(guest_cmdline),
		cmocka_unit_test(tdev),
		cmocka_unit_test(wmesg),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
