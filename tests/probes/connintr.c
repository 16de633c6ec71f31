/* Probe: a non-blocking connect(2) is never EINTR, however often signals
 * arrive. FreeBSD's kern_connectat starts the connection and returns
 * EINPROGRESS without sleeping; callers read EINTR as "started, still
 * in progress" (Go's netFD.connect then waits for EVFILT_WRITE), so an
 * EINTR that skipped the connect leaves them waiting on a socket that never
 * connects. A fast ITIMER_REAL makes SIGALRM land at every point of the
 * call; racy by nature, so many rounds. */
#include "probe.h"

#define ROUNDS 3000
#define ITIMER_REAL 0
#define SOCK_STREAM 1

static volatile long alarms;
static void on_alrm(int sig)
{
	(void)sig;
	alarms++;
}

int main(int argc, char **argv, char **envp)
{
	(void)argc, (void)argv, (void)envp;
	struct fbsd_sockaddr_in sa = {16, AF_INET, 0, 0x0100007f, {0}};
	u32 len = sizeof sa;
	sysret r = SYS(SYS_socket, AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (!CHECK_OK("listening socket", r))
		return rt_done();
	int ls = (int)r.val;
	if (!CHECK_OK("bind 127.0.0.1:0", SYS(SYS_bind, ls, &sa, sizeof sa)) ||
	    !CHECK_OK("listen", SYS(SYS_listen, ls, 4096)) ||
	    !CHECK_OK("getsockname", SYS(SYS_getsockname, ls, &sa, &len)))
		return rt_done();
	CHECK_EQ("SIGALRM handler", rt_signal(SIGALRM, (void *)on_alrm, 0), 0);
	struct fbsd_itimerval it = {{0, 100}, {0, 100}};
	CHECK_OK("setitimer ITIMER_REAL every 100 us", SYS(SYS_setitimer, ITIMER_REAL, &it, 0));

	long eintr = 0, other = 0, last = 0;
	for (int i = 0; i < ROUNDS; i++) {
		r = SYS(SYS_socket, AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		if (r.cf)
			continue;
		int s = (int)r.val;
		r = SYS(SYS_connect, s, &sa, sizeof sa);
		if (r.cf && r.val == EINTR)
			eintr++;
		else if (r.cf && r.val != EINPROGRESS)
			other++, last = r.val;
		SYS(SYS_close, s);
		r = SYS(SYS_accept4, ls, 0, 0, 0);
		if (!r.cf)
			SYS(SYS_close, (int)r.val);
	}
	struct fbsd_itimerval off = {{0, 0}, {0, 0}};
	SYS(SYS_setitimer, ITIMER_REAL, &off, 0);
	rt_note_num("SIGALRM deliveries:", alarms);
	if (other)
		rt_note_num("connect's other errno:", last);
	CHECK("signals arrived during the rounds", alarms > 0);
	CHECK_EQ("non-blocking connect failed with EINTR", eintr, 0);
	CHECK_EQ("non-blocking connect failed otherwise (not EINPROGRESS)", other, 0);
	return rt_done();
}
