/* Probe: system calls FreeBSD 15 added that its libc makes in ordinary
 * use: timerfd (585-587; sys/sys/timerfd.h, sys_timerfd.c) and exterrctl
 * (592), which 15's libc calls from a constructor (uexterr_gen.c). The
 * getgroups/setgroups pair of 15 (595/596) is in groups.c. */
#include "probe.h"

enum { SYS_timerfd_create = 585, SYS_timerfd_gettime = 586, SYS_timerfd_settime = 587,
       SYS_exterrctl = 592 };
enum { CLOCK_UPTIME = 5, CLOCK_THREAD_CPUTIME_ID = 14 };
#define TFD_NONBLOCK 0x4
#define TFD_CLOEXEC 0x100000
#define TFD_TIMER_ABSTIME 0x1
#define F_GETFD 1
#define F_GETFL 3
#define O_NONBLOCK 0x4
#define EXTERRCTL_ENABLE 1
#define EXTERRCTL_DISABLE 2
#define UEXTERROR_VER 0x10010002

struct itimerspec { struct fbsd_timespec it_interval, it_value; };

static void timerfd(void)
{
	sysret r = SYS(SYS_timerfd_create, CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	CHECK_OK("timerfd_create(CLOCK_MONOTONIC 4, NONBLOCK|CLOEXEC)", r);
	int fd = (int)r.val;
	CHECK_EQ("TFD_CLOEXEC = FD_CLOEXEC", SYS(SYS_fcntl, fd, F_GETFD).val & 1, 1);
	CHECK_EQ("TFD_NONBLOCK = O_NONBLOCK", SYS(SYS_fcntl, fd, F_GETFL).val & O_NONBLOCK, O_NONBLOCK);
	unsigned long n = 0;
	CHECK_ERR("read of an unarmed timer -> EAGAIN", SYS(SYS_read, fd, &n, 8), EAGAIN);

	struct itimerspec t = {{0, 0}, {0, 20 * 1000 * 1000}}, cur;
	CHECK_OK("timerfd_settime 20 ms", SYS(SYS_timerfd_settime, fd, 0, &t, 0));
	CHECK_OK("timerfd_gettime", SYS(SYS_timerfd_gettime, fd, &cur));
	CHECK("time left is at most 20 ms", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec <= 20000000);
	struct fbsd_pollfd p = {fd, POLLIN, 0};
	CHECK_EQ("poll wakes when it expires", SYS(SYS_poll, &p, 1, 5000).val, 1);
	CHECK_EQ("read: 8 bytes", SYS(SYS_read, fd, &n, 8).val, 8);
	CHECK_EQ("one expiration", n, 1);

	struct itimerspec past = {{0, 0}, {1, 0}};
	CHECK_OK("absolute time in the past", SYS(SYS_timerfd_settime, fd, TFD_TIMER_ABSTIME, &past, 0));
	CHECK_EQ("expires at once", SYS(SYS_read, fd, &n, 8).val, 8);
	CHECK_ERR("settime flags 0x10 -> EINVAL", SYS(SYS_timerfd_settime, fd, 0x10, &t, 0), EINVAL);
	SYS(SYS_close, fd);

	sysret u = SYS(SYS_timerfd_create, CLOCK_UPTIME, 0);
	CHECK_OK("timerfd_create(CLOCK_UPTIME 5)", u);
	SYS(SYS_close, u.val);
	sysret w = SYS(SYS_timerfd_create, CLOCK_REALTIME, 0);
	CHECK_OK("timerfd_create(CLOCK_REALTIME)", w);
	SYS(SYS_close, w.val);
	CHECK_ERR("a CPU clock -> EINVAL", SYS(SYS_timerfd_create, CLOCK_THREAD_CPUTIME_ID, 0), EINVAL);
	CHECK_ERR("unknown flags -> EINVAL", SYS(SYS_timerfd_create, CLOCK_MONOTONIC, 0x8), EINVAL);
}

static void exterr(void)
{
	static unsigned int ue[64] = {UEXTERROR_VER}, bad[64] = {0x10010001};
	CHECK_OK("exterrctl(ENABLE, 0, uexterror) as 15's libc does", SYS(SYS_exterrctl, EXTERRCTL_ENABLE, 0, ue));
	CHECK_ERR("another version -> EINVAL", SYS(SYS_exterrctl, EXTERRCTL_ENABLE, 0, bad), EINVAL);
	CHECK_OK("exterrctl(DISABLE)", SYS(SYS_exterrctl, EXTERRCTL_DISABLE, 0, 0));
	CHECK_ERR("unknown op -> EINVAL", SYS(SYS_exterrctl, 99, 0, 0), EINVAL);
}

int main(int argc, char **argv, char **envp)
{
	(void)argc, (void)argv, (void)envp;
	timerfd();
	exterr();
	return rt_done();
}
