/* Probe: a socket's pending error in kevent. FreeBSD's filt_soread and
 * filt_sowrite report EV_EOF with fflags = so_error and leave so_error set;
 * getsockopt(SO_ERROR) or a receive then hands it out once and clears it
 * (soreceive: queued data first; MSG_PEEK leaves it). Scenario: a
 * non-blocking TCP connect to a closed loopback port (ECONNREFUSED 61).
 * Constants: constants.md (kqueue filters/flags, errno, socket options). */
#include "probe.h"

#define LOOPBACK4 0x0100007fu /* 127.0.0.1 in network order */

#define K(id, filt, fl) ((struct fbsd_kevent){.ident = (u64)(id), .filter = (filt), .flags = (fl)})

/* The address of a loopback port nothing listens on (bound, then closed). */
static int closed_port(struct fbsd_sockaddr_in *sa)
{
	u32 len = sizeof *sa;
	*sa = (struct fbsd_sockaddr_in){16, AF_INET, 0, LOOPBACK4, {0}};
	int s = (int)SYS(SYS_socket, AF_INET, SOCK_STREAM, 0).val;
	int ok = !SYS(SYS_bind, s, sa, sizeof *sa).cf && !SYS(SYS_getsockname, s, sa, &len).cf;
	SYS(SYS_close, s);
	return ok;
}

/* A socket whose non-blocking connect to sa was refused, registered in a
 * new kqueue for READ and WRITE; -1 if the connect did not start. */
static int refused(const struct fbsd_sockaddr_in *sa, int *kq)
{
	int c = (int)SYS(SYS_socket, AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0).val;
	sysret r = SYS(SYS_connect, c, sa, sizeof *sa);
	if (!r.cf || r.val != EINPROGRESS) {
		rt_note("connect did not report EINPROGRESS: scenario skipped");
		SYS(SYS_close, c);
		return -1;
	}
	struct fbsd_kevent ch[2] = {K(c, EVFILT_READ, EV_ADD), K(c, EVFILT_WRITE, EV_ADD)};
	*kq = (int)SYS(SYS_kqueue).val;
	CHECK_OK("register READ and WRITE", SYS(SYS_kevent, *kq, ch, 2, 0, 0, 0));
	return c;
}

/* Collects the events (2 s at most) and checks that both filters fired
 * with EV_EOF and fflags = want. */
static void check_eof(const char *what, int kq, u32 want)
{
	struct fbsd_kevent ev[2];
	struct fbsd_timespec ts = {2, 0};
	int seen = 0;
	for (int round = 0; round < 20 && seen != 3; round++) {
		memset(ev, 0, sizeof ev);
		sysret r = SYS(SYS_kevent, kq, 0, 0, ev, 2, &ts);
		if (r.cf || r.val == 0)
			break;
		for (long i = 0; i < r.val; i++) {
			int bit = ev[i].filter == EVFILT_READ ? 1 : 2;
			if (!(ev[i].flags & EV_EOF))
				continue; /* not yet refused */
			if (!(seen & bit)) {
				CHECK_EQ(rt_tag(what, bit == 1 ? "READ EV_EOF fflags" : "WRITE EV_EOF fflags"),
					 ev[i].fflags, want);
			}
			seen |= bit;
		}
	}
	CHECK_EQ(rt_tag(what, "READ and WRITE both EV_EOF"), seen, 3);
}

static long so_error(int fd)
{
	int v = -1;
	u32 len = sizeof v;
	sysret r = SYS(SYS_getsockopt, fd, SOL_SOCKET, SO_ERROR, &v, &len);
	return r.cf ? -1000 - r.val : v;
}

int main(int argc, char **argv, char **envp)
{
	struct fbsd_sockaddr_in sa;
	int kq, c;
	char b[8];

	if (!CHECK("a closed loopback port", closed_port(&sa)))
		return rt_done();

	/* getsockopt(SO_ERROR) after kevent reported it */
	if ((c = refused(&sa, &kq)) >= 0) {
		check_eof("refused", kq, ECONNREFUSED);
		check_eof("kevent again: so_error still set", kq, ECONNREFUSED);
		CHECK_EQ("SO_ERROR after kevent = ECONNREFUSED 61", so_error(c), ECONNREFUSED);
		CHECK_EQ("SO_ERROR again = 0 (cleared)", so_error(c), 0);
		check_eof("after SO_ERROR", kq, 0);
		SYS(SYS_close, c);
		SYS(SYS_close, kq);
	}

	/* a receive hands it out instead; MSG_PEEK leaves it */
	if ((c = refused(&sa, &kq)) >= 0) {
		check_eof("refused (2)", kq, ECONNREFUSED);
		CHECK_ERR("recvfrom MSG_PEEK -> ECONNREFUSED", SYS(SYS_recvfrom, c, b, sizeof b, MSG_PEEK, 0, 0),
			  ECONNREFUSED);
		CHECK_ERR("read -> ECONNREFUSED", SYS(SYS_read, c, b, sizeof b), ECONNREFUSED);
		sysret r = SYS(SYS_read, c, b, sizeof b);
		CHECK("read again -> 0 (EOF)", !r.cf && r.val == 0);
		CHECK_EQ("SO_ERROR after the read = 0", so_error(c), 0);
		check_eof("after read", kq, 0);
		SYS(SYS_close, c);
		SYS(SYS_close, kq);
	}
	return rt_done();
}
