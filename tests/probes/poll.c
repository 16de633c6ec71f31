/* Probe: poll (209), select (93), ppoll (545) and pselect (522) on pipes.
 * Values: constants.md "poll(2) events" (POLLIN 0x1, POLLOUT 0x4, POLLHUP
 * 0x10, POLLNVAL 0x20, POLLRDNORM 0x40, POLLWRNORM = POLLOUT), structs.md §4
 * (pollfd 8 bytes, fd_set 128 bytes). Semantics from FreeBSD's pipe_poll
 * (sys_pipe.c): once the writer is gone the reader gets POLLIN|POLLHUP (for
 * events POLLIN) even with nothing buffered, and a writer whose reader is
 * gone gets POLLOUT|POLLHUP (Linux says POLLERR). select/ppoll/pselect
 * never write their timeout back (sys_generic.c copies it in only). */
#include "probe.h"

enum { SYS_pselect = 522 };

static short revents1(int fd, short events, int ms, long *ret)
{
	struct fbsd_pollfd p = {fd, events, (short)0x7777};
	sysret r = SYS(SYS_poll, &p, 1, ms);
	*ret = r.cf ? -r.val : r.val;
	return p.revents;
}

static void test_poll(void)
{
	struct fbsd_pollfd pf[3];
	int p[2] = {-1, -1};
	long n, t0;
	char c;

	CHECK_OK("pipe2", SYS(SYS_pipe2, p, 0));
	pf[0] = (struct fbsd_pollfd){p[0], POLLIN | POLLRDNORM, 0x7777};
	pf[1] = (struct fbsd_pollfd){p[1], POLLOUT, 0x7777};
	pf[2] = (struct fbsd_pollfd){-1, POLLIN, 0x7777};
	CHECK_EQ("poll: only the write end is ready", SYS(SYS_poll, pf, 3, 0).val, 1);
	CHECK_EQ("empty pipe: reader revents 0", pf[0].revents, 0);
	CHECK_EQ("writer revents = POLLOUT 0x4", pf[1].revents, POLLOUT);
	CHECK_EQ("fd -1 is ignored: revents 0", pf[2].revents, 0);
	CHECK_EQ("writer with POLLWRNORM (= 0x4) gets 0x4", revents1(p[1], POLLWRNORM, 0, &n), POLLWRNORM);

	t0 = rt_now_ns(CLOCK_MONOTONIC);
	CHECK_EQ("poll 100 ms on an empty pipe: revents 0", revents1(p[0], POLLIN, 100, &n), 0);
	CHECK_EQ("... returns 0", n, 0);
	CHECK("... after >= 100 ms", rt_ms_since(t0) >= 99);
	CHECK("... and < 3 s", rt_ms_since(t0) < 3000);

	SYS(SYS_write, p[1], "x", 1);
	CHECK_EQ("data: POLLIN|POLLRDNORM = 0x41", revents1(p[0], POLLIN | POLLRDNORM, -1, &n),
		POLLIN | POLLRDNORM);
	CHECK_EQ("... poll returns 1", n, 1);
	CHECK_EQ("asking only POLLIN reports only POLLIN", revents1(p[0], POLLIN, 0, &n), POLLIN);
	SYS(SYS_read, p[0], &c, 1);
	SYS(SYS_close, p[1]);
	CHECK_EQ("writer closed, empty: POLLIN|POLLHUP 0x11", revents1(p[0], POLLIN, 0, &n), POLLIN | POLLHUP);
	CHECK_EQ("writer closed, asked nothing: POLLHUP 0x10 alone", revents1(p[0], 0, 0, &n), POLLHUP);
	SYS(SYS_close, p[0]);
	CHECK_EQ("closed descriptor: POLLNVAL 0x20", revents1(p[0], POLLIN, 0, &n), POLLNVAL);
	CHECK_EQ("... counted in the result", n, 1);

	CHECK_OK("pipe2", SYS(SYS_pipe2, p, 0));
	SYS(SYS_close, p[0]);
	CHECK_EQ("reader closed: writer gets POLLOUT|POLLHUP 0x14", revents1(p[1], POLLOUT, 0, &n), POLLOUT | POLLHUP);
	SYS(SYS_close, p[1]);
}

#define FDSET(s, fd) ((s)[(fd) / 64] |= 1ul << ((fd) % 64))
#define FDISSET(s, fd) (!!((s)[(fd) / 64] & (1ul << ((fd) % 64))))

static void test_select(void)
{
	u64 rs[16], ws[16];
	struct fbsd_timeval tv;
	int p[2] = {-1, -1};
	long t0;
	sysret r;

	_Static_assert(sizeof rs == 128, "fd_set");
	CHECK_OK("pipe2", SYS(SYS_pipe2, p, 0));
	memset(rs, 0, sizeof rs), memset(ws, 0, sizeof ws);
	FDSET(rs, p[0]), FDSET(ws, p[1]);
	tv = (struct fbsd_timeval){0, 0};
	r = SYS(SYS_select, p[1] + 1, rs, ws, 0, &tv);
	CHECK_EQ("select: 1 ready (the write end)", r.val, 1);
	CHECK_EQ("select: read bit cleared", FDISSET(rs, p[0]), 0);
	CHECK_EQ("select: write bit kept", FDISSET(ws, p[1]), 1);

	memset(rs, 0, sizeof rs);
	FDSET(rs, p[0]);
	tv = (struct fbsd_timeval){0, 100000};
	t0 = rt_now_ns(CLOCK_MONOTONIC);
	r = SYS(SYS_select, p[0] + 1, rs, 0, 0, &tv);
	CHECK_EQ("select 100 ms timeout returns 0", r.val, 0);
	CHECK("... after >= 100 ms", rt_ms_since(t0) >= 99);
	CHECK("... and < 3 s", rt_ms_since(t0) < 3000);
	CHECK_EQ("... timeval not written back (tv_usec)", tv.tv_usec, 100000);
	CHECK_EQ("... set cleared on timeout", FDISSET(rs, p[0]), 0);

	SYS(SYS_write, p[1], "y", 1);
	memset(rs, 0, sizeof rs);
	FDSET(rs, p[0]);
	tv = (struct fbsd_timeval){5, 0};
	r = SYS(SYS_select, p[0] + 1, rs, 0, 0, &tv);
	CHECK_EQ("select with data: 1", r.val, 1);
	CHECK_EQ("... read bit set", FDISSET(rs, p[0]), 1);
	CHECK_EQ("... timeval not written back (tv_sec)", tv.tv_sec, 5);
	r = SYS(SYS_select, p[0] + 1, rs, 0, 0, 0);
	CHECK_EQ("select with a NULL timeout and data ready: 1", r.val, 1);

	SYS(SYS_close, p[1]);
	memset(rs, 0, sizeof rs);
	FDSET(rs, p[1]);
	tv = (struct fbsd_timeval){0, 0};
	CHECK_ERR("select on a closed descriptor -> EBADF 9", SYS(SYS_select, p[1] + 1, rs, 0, 0, &tv), EBADF);
	SYS(SYS_close, p[0]);
}

static int usr1_calls;
static void on_usr1(int sig)
{
	usr1_calls++;
}

/* ppoll/pselect replace the signal mask for the duration of the wait. */
static void test_sigmask(long me)
{
	struct fbsd_pollfd pf;
	struct fbsd_timespec ts;
	fbsd_sigset blk = {{0}}, none = {{0}}, now;
	u64 rs[16];
	int p[2] = {-1, -1};
	long t0;
	sysret r;

	CHECK_OK("pipe2", SYS(SYS_pipe2, p, 0));
	SIGSET_ADD(blk, SIGUSR1);
	CHECK_EQ("handler for SIGUSR1", rt_signal(SIGUSR1, (void *)on_usr1, 0), 0);
	CHECK_OK("block SIGUSR1", SYS(SYS_sigprocmask, SIG_BLOCK, &blk, 0));
	SYS(SYS_kill, me, SIGUSR1);
	CHECK_EQ("blocked: handler not run yet", usr1_calls, 0);

	pf = (struct fbsd_pollfd){p[0], POLLIN, 0};
	ts = (struct fbsd_timespec){0, 100000000};
	t0 = rt_now_ns(CLOCK_MONOTONIC);
	r = SYS(SYS_ppoll, &pf, 1, &ts, 0);
	CHECK_EQ("ppoll, NULL mask, signal stays blocked: times out with 0", r.val, 0);
	CHECK("... after >= 100 ms", rt_ms_since(t0) >= 99);
	CHECK_EQ("... timespec not written back", ts.tv_nsec, 100000000);
	CHECK_EQ("... handler did not run", usr1_calls, 0);
	r = SYS(SYS_ppoll, &pf, 1, &ts, &blk);
	CHECK_EQ("ppoll with a mask still blocking SIGUSR1: 0", r.val, 0);
	CHECK_EQ("... handler did not run", usr1_calls, 0);

	ts = (struct fbsd_timespec){5, 0};
	t0 = rt_now_ns(CLOCK_MONOTONIC);
	r = SYS(SYS_ppoll, &pf, 1, &ts, &none);
	CHECK_ERR("ppoll with an empty mask: pending SIGUSR1 -> EINTR 4", r, EINTR);
	CHECK("... at once (< 2 s)", rt_ms_since(t0) < 2000);
	CHECK_EQ("... handler ran once", usr1_calls, 1);
	CHECK_EQ("... timespec not written back", ts.tv_sec, 5);
	SYS(SYS_sigprocmask, SIG_BLOCK, 0, &now);
	CHECK_EQ("old mask restored after ppoll: SIGUSR1 blocked", now.bits[0] & blk.bits[0], blk.bits[0]);

	SYS(SYS_kill, me, SIGUSR1);
	memset(rs, 0, sizeof rs);
	FDSET(rs, p[0]);
	r = SYS(SYS_pselect, p[0] + 1, rs, 0, 0, &ts, &none);
	CHECK_ERR("pselect with an empty mask: pending SIGUSR1 -> EINTR 4", r, EINTR);
	CHECK_EQ("... handler ran again", usr1_calls, 2);
	SYS(SYS_sigprocmask, SIG_BLOCK, 0, &now);
	CHECK_EQ("old mask restored after pselect", now.bits[0] & blk.bits[0], blk.bits[0]);

	SYS(SYS_write, p[1], "z", 1);
	r = SYS(SYS_ppoll, &pf, 1, 0, &none);
	CHECK_EQ("ppoll, NULL timeout, data ready: 1", r.val, 1);
	CHECK_EQ("... revents POLLIN", pf.revents, POLLIN);
	SYS(SYS_sigprocmask, SIG_UNBLOCK, &blk, 0);
	rt_close2(p);
}

int main(int argc, char **argv, char **envp)
{
	test_poll();
	test_select();
	test_sigmask(SYS(SYS_getpid).val);
	return rt_done();
}
