/* FreeBSD <-> Linux value translations: errno, signals, open flags. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "abi/xlate.h"

static void errno_table(void **state)
{
	(void)state;
	assert_int_equal(errno_l2f(2), 2);    /* ENOENT */
	assert_int_equal(errno_l2f(11), 35);  /* EAGAIN */
	assert_int_equal(errno_l2f(35), 11);  /* EDEADLK */
	assert_int_equal(errno_l2f(38), 78);  /* ENOSYS */
	assert_int_equal(errno_l2f(110), 60); /* ETIMEDOUT */
	assert_int_equal(errno_l2f(111), 61); /* ECONNREFUSED */
	assert_int_equal(errno_l2f(39), 66);  /* ENOTEMPTY */
	assert_int_equal(errno_l2f(95), 45);  /* EOPNOTSUPP */
	assert_int_equal(errno_l2f(40), 62);  /* ELOOP */
	for (int e = 1; e < 134; e++) {
		int f = errno_l2f(e);
		assert_true(f >= 1 && f <= 97);
	}
}

static void signal_numbers_round_trip(void **state)
{
	(void)state;
	assert_int_equal(sig_f2l(10), 7);   /* SIGBUS */
	assert_int_equal(sig_f2l(16), 23);  /* SIGURG */
	assert_int_equal(sig_f2l(20), 17);  /* SIGCHLD */
	assert_int_equal(sig_f2l(30), 10);  /* SIGUSR1 */
	assert_int_equal(sig_f2l(12), 34);  /* guest SIGSYS is not the trap's */
	for (int f = 1; f <= 33; f++)
		assert_int_equal(sig_l2f(sig_f2l(f)), f);
	for (int f = FSIGRTMIN; f < FSIGRTMIN + 28; f++)
		assert_int_equal(sig_l2f(sig_f2l(f)), f);
	assert_int_equal(sig_l2f(31), 0);
	assert_int_equal(sig_f2l(FSIGRTMAX), 0);
}

static void signal_sets(void **state)
{
	(void)state;
	fsigset_t s = { { 0, 0, 0, 0 } };
	fsig_add(&s, FSIGUSR1);
	fsig_add(&s, FSIGCHLD);
	fsig_add(&s, FSIGRTMIN);
	uint64_t l = sigset_f2l(&s);
	assert_int_equal(l, (1ULL << 9) | (1ULL << 16) | (1ULL << 36));
	fsigset_t back;
	sigset_l2f(l, &back);
	assert_memory_equal(&s, &back, sizeof s);
}

static void open_flags(void **state)
{
	(void)state;
	assert_int_equal(oflags_f2l(0x200 | 0x400 | 0x1), 0x40 | 0x200 | 0x1);
	assert_int_equal(oflags_f2l(0x100000), 0x80000);
	assert_int_equal(oflags_f2l(0x4 | 0x8), 0x800 | 0x400);
	assert_int_equal(oflags_l2f(0x800 | 0x2), 0x4 | 0x2);
	assert_int_equal(oflags_f2l(0x80), 0x101000);
	assert_int_equal(oflags_l2f(0x101000), 0x80);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(errno_table),
		cmocka_unit_test(signal_numbers_round_trip),
		cmocka_unit_test(signal_sets),
		cmocka_unit_test(open_flags),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
