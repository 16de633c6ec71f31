/* Probe: sockets on loopback only (127.0.0.1, ::1, AF_UNIX).
 * Values: constants.md "Socket domains, types, flags", "SOL_SOCKET options",
 * "MSG_* flags", "IPPROTO_* and common IP/IPv6/TCP options", errno;
 * layouts: structs.md §4 (sockaddr_in/in6/un with the sa_len byte, msghdr
 * with 4-byte lengths, 12-byte cmsghdr with data at +16).
 * Semantics from FreeBSD's uipc_syscalls.c: accept(2) inherits O_NONBLOCK
 * from the listening socket (ACCEPT4_INHERIT), accept4(2) takes only its
 * flags; getsockname/getpeername copy min(len, sa_len) bytes and return that
 * length; an AF_UNIX socket reports the address it was bound with.
 * usage: socket SCRATCH_DIR   (an existing, writable directory, short path) */
#include "probe.h"

#define LOOPBACK4 0x0100007fu /* 127.0.0.1 in network order */

static int sock(int domain, int type)
{
	sysret r = SYS(SYS_socket, domain, type, 0);
	return r.cf ? -1 : (int)r.val;
}

static long getopt_int(int fd, int level, int name, u32 *len)
{
	int v = -12345;
	*len = sizeof v;
	sysret r = SYS(SYS_getsockopt, fd, level, name, &v, len);
	return r.cf ? -1000 - r.val : v;
}

static int setopt_int(int fd, int level, int name, int v)
{
	return !SYS(SYS_setsockopt, fd, level, name, &v, sizeof v).cf;
}

static void check_fdflags(const char *what, int fd, int cloexec, int nonblock)
{
	CHECK_EQ(rt_tag(what, "F_GETFD: FD_CLOEXEC"), SYS(SYS_fcntl, fd, F_GETFD).val & FD_CLOEXEC, cloexec ? FD_CLOEXEC : 0);
	CHECK_EQ(rt_tag(what, "F_GETFL: O_NONBLOCK 0x4"), SYS(SYS_fcntl, fd, F_GETFL).val & O_NONBLOCK, nonblock ? O_NONBLOCK : 0);
}

static void check_sin(const char *what, const struct fbsd_sockaddr_in *sa, u32 len, u16 port)
{
	CHECK_EQ(rt_tag(what, "length 16"), len, 16);
	CHECK_EQ(rt_tag(what, "sin_len byte 16"), sa->sin_len, 16);
	CHECK_EQ(rt_tag(what, "sin_family byte AF_INET 2"), sa->sin_family, AF_INET);
	CHECK_EQ(rt_tag(what, "sin_addr 127.0.0.1"), sa->sin_addr, LOOPBACK4);
	if (port)
		CHECK_EQ(rt_tag(what, "sin_port"), sa->sin_port, port);
}

/* Waits (poll, 2 s) until fd is writable: used after a non-blocking connect. */
static void wait_out(int fd)
{
	struct fbsd_pollfd p = {fd, POLLOUT, 0};
	SYS(SYS_poll, &p, 1, 2000);
}

static void tcp4(void)
{
	struct fbsd_sockaddr_in sa = {16, AF_INET, 0, LOOPBACK4, {0}}, got, peer;
	struct fbsd_timeval tv = {3, 0};
	u8 raw[32], pat[32];
	char buf[16];
	int s, c, a, c2, a2;
	u32 len;
	u16 port;
	long t0;
	sysret r;

	s = sock(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (!CHECK("socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK)", s >= 0))
		return;
	check_fdflags("listener", s, 1, 1);
	CHECK("setsockopt SOL_SOCKET 0xffff SO_REUSEADDR 4", setopt_int(s, SOL_SOCKET, SO_REUSEADDR, 1));
	CHECK("getsockopt SO_REUSEADDR is on", getopt_int(s, SOL_SOCKET, SO_REUSEADDR, &len) != 0);
	CHECK_EQ("getsockopt SO_REUSEADDR length 4", len, 4);
	CHECK_EQ("getsockopt SO_TYPE 0x1008 = SOCK_STREAM", getopt_int(s, SOL_SOCKET, SO_TYPE, &len), SOCK_STREAM);
	CHECK_EQ("getsockopt SO_ERROR 0x1007 = 0", getopt_int(s, SOL_SOCKET, SO_ERROR, &len), 0);
	CHECK("setsockopt SO_RCVBUF 0x1002 = 65536", setopt_int(s, SOL_SOCKET, SO_RCVBUF, 65536));
	CHECK("getsockopt SO_RCVBUF >= 65536", getopt_int(s, SOL_SOCKET, SO_RCVBUF, &len) >= 65536);
	CHECK_OK("bind 127.0.0.1:0", SYS(SYS_bind, s, &sa, sizeof sa));
	CHECK_OK("listen", SYS(SYS_listen, s, 8));
	len = sizeof got;
	memset(&got, 0, sizeof got);
	CHECK_OK("getsockname", SYS(SYS_getsockname, s, &got, &len));
	check_sin("getsockname", &got, len, 0);
	port = got.sin_port;
	CHECK("getsockname: a port was assigned", port != 0);
	/* A short buffer: FreeBSD copies min(len, sa_len) bytes and returns it. */
	memset(raw, 0xa5, sizeof raw);
	memset(pat, 0xa5, sizeof pat);
	len = 8;
	CHECK_OK("getsockname with len 8", SYS(SYS_getsockname, s, raw, &len));
	CHECK_EQ("... returns len 8 (min of buffer and sa_len)", len, 8);
	rt_check_mem("... first 8 bytes", raw, &got, 8);
	rt_check_mem("... nothing written past 8 bytes", raw + 8, pat, sizeof raw - 8);
	CHECK_ERR("accept on an empty non-blocking listener -> EAGAIN 35", SYS(SYS_accept, s, 0, 0), EAGAIN);

	sa.sin_port = port;
	c = sock(AF_INET, SOCK_STREAM);
	check_fdflags("plain socket", c, 0, 0);
	CHECK_OK("connect to the listener", SYS(SYS_connect, c, &sa, sizeof sa));
	CHECK("setsockopt IPPROTO_TCP TCP_NODELAY 1", setopt_int(c, IPPROTO_TCP, TCP_NODELAY, 1));
	CHECK("getsockopt TCP_NODELAY is on", getopt_int(c, IPPROTO_TCP, TCP_NODELAY, &len) != 0);
	len = sizeof peer;
	memset(&peer, 0, sizeof peer);
	CHECK_OK("getpeername of the client", SYS(SYS_getpeername, c, &peer, &len));
	check_sin("getpeername", &peer, len, port);
	wait_out(c);
	len = sizeof peer;
	memset(&peer, 0, sizeof peer);
	r = SYS(SYS_accept4, s, &peer, &len, SOCK_CLOEXEC);
	a = (int)r.val;
	if (!CHECK_OK("accept4(SOCK_CLOEXEC)", r))
		return;
	check_fdflags("accept4(SOCK_CLOEXEC) on a non-blocking listener", a, 1, 0);
	len = sizeof got;
	SYS(SYS_getsockname, c, &got, &len);
	check_sin("accept4 peer address", &peer, 16, got.sin_port);
	CHECK_ERR("accept4 with an unknown flag -> EINVAL 22", SYS(SYS_accept4, s, 0, 0, 0x1), EINVAL);

	SYS(SYS_setsockopt, a, SOL_SOCKET, 0x1006 /* SO_RCVTIMEO */, &tv, sizeof tv); /* guard only */
	CHECK_EQ("send 5 bytes", SYS(SYS_sendto, c, "hello", 5, 0, 0, 0).val, 5);
	memset(buf, 0, sizeof buf);
	CHECK_EQ("recv MSG_PEEK 0x2 sees 5 bytes", SYS(SYS_recvfrom, a, buf, sizeof buf, MSG_PEEK, 0, 0).val, 5);
	rt_check_mem("... 'hello'", buf, "hello", 5);
	memset(buf, 0, sizeof buf);
	CHECK_EQ("recv after the peek still gets 5", SYS(SYS_recvfrom, a, buf, sizeof buf, 0, 0, 0).val, 5);
	rt_check_mem("... 'hello' again", buf, "hello", 5);
	t0 = rt_now_ns(CLOCK_MONOTONIC);
	CHECK_ERR("recv MSG_DONTWAIT 0x80 on an empty socket -> EAGAIN 35",
		SYS(SYS_recvfrom, a, buf, sizeof buf, MSG_DONTWAIT, 0, 0), EAGAIN);
	CHECK("... without waiting (not the SO_RCVTIMEO guard)", rt_now_ns(CLOCK_MONOTONIC) - t0 < 1000000000L);

	/* accept(2) inherits O_NONBLOCK from the listener (ACCEPT4_INHERIT). */
	c2 = sock(AF_INET, SOCK_STREAM);
	CHECK_OK("second connect", SYS(SYS_connect, c2, &sa, sizeof sa));
	wait_out(c2);
	r = SYS(SYS_accept, s, 0, 0);
	a2 = (int)r.val;
	if (CHECK_OK("accept(2)", r))
		check_fdflags("accept(2) on a non-blocking listener", a2, 0, 1);

	rt_signal(SIGPIPE, SIG_IGN, 0);
	CHECK_OK("shutdown(SHUT_WR)", SYS(SYS_shutdown, c, SHUT_WR));
	CHECK_EQ("peer reads EOF (0) after SHUT_WR", SYS(SYS_recvfrom, a, buf, sizeof buf, 0, 0, 0).val, 0);
	CHECK_ERR("send after SHUT_WR -> EPIPE 32", SYS(SYS_sendto, c, "x", 1, 0, 0, 0), 32);
	SYS(SYS_close, c2);
	SYS(SYS_close, a2);
	SYS(SYS_close, a);
	SYS(SYS_close, c);
	SYS(SYS_close, s);

	/* The listener is closed now: the port refuses connections. */
	c = sock(AF_INET, SOCK_STREAM);
	CHECK_ERR("connect to a closed port -> ECONNREFUSED 61", SYS(SYS_connect, c, &sa, sizeof sa), ECONNREFUSED);
	SYS(SYS_close, c);
	c = sock(AF_INET, SOCK_STREAM | SOCK_NONBLOCK);
	r = SYS(SYS_connect, c, &sa, sizeof sa);
	CHECK("non-blocking connect to a closed port: EINPROGRESS 36 or ECONNREFUSED",
		r.cf && (r.val == EINPROGRESS || r.val == ECONNREFUSED));
	if (r.cf && r.val == EINPROGRESS) {
		wait_out(c);
		CHECK_EQ("SO_ERROR after the refused connect = ECONNREFUSED 61",
			getopt_int(c, SOL_SOCKET, SO_ERROR, &len), ECONNREFUSED);
	}
	SYS(SYS_close, c);
}

static void tcp6(void)
{
	struct fbsd_sockaddr_in6 sa, got;
	u8 lo6[16] = {[15] = 1};
	int s, c, a;
	u32 len;
	sysret r;

	memset(&sa, 0, sizeof sa);
	sa.sin6_len = 28, sa.sin6_family = AF_INET6;
	memcpy(sa.sin6_addr, lo6, 16);
	s = sock(AF_INET6, SOCK_STREAM);
	if (!CHECK("socket(AF_INET6 28)", s >= 0))
		return;
	CHECK("setsockopt IPPROTO_IPV6 IPV6_V6ONLY 27", setopt_int(s, IPPROTO_IPV6, IPV6_V6ONLY, 1));
	CHECK("getsockopt IPV6_V6ONLY is on", getopt_int(s, IPPROTO_IPV6, IPV6_V6ONLY, &len) != 0);
	r = SYS(SYS_bind, s, &sa, sizeof sa);
	if (r.cf && r.val == 49 /* EADDRNOTAVAIL */) {
		rt_note("no ::1 here: IPv6 part skipped");
		SYS(SYS_close, s);
		return;
	}
	CHECK_OK("bind [::1]:0", r);
	CHECK_OK("listen", SYS(SYS_listen, s, 4));
	len = sizeof got;
	memset(&got, 0, sizeof got);
	CHECK_OK("getsockname (v6)", SYS(SYS_getsockname, s, &got, &len));
	CHECK_EQ("getsockname (v6) length 28", len, 28);
	CHECK_EQ("sin6_len byte 28", got.sin6_len, 28);
	CHECK_EQ("sin6_family byte AF_INET6 28", got.sin6_family, AF_INET6);
	rt_check_mem("sin6_addr ::1", got.sin6_addr, lo6, 16);
	CHECK("v6 port assigned", got.sin6_port != 0);
	c = sock(AF_INET6, SOCK_STREAM);
	CHECK_OK("connect [::1]", SYS(SYS_connect, c, &got, sizeof got));
	len = sizeof sa;
	memset(&sa, 0, sizeof sa);
	r = SYS(SYS_accept, s, &sa, &len);
	a = (int)r.val;
	CHECK_OK("accept (v6)", r);
	CHECK_EQ("accept (v6) peer length 28", len, 28);
	CHECK_EQ("accept (v6) peer sin6_len 28, family 28", sa.sin6_len * 100 + sa.sin6_family, 28 * 100 + AF_INET6);
	SYS(SYS_close, a);
	SYS(SYS_close, c);
	SYS(SYS_close, s);
}

/* socketpair + SCM_RIGHTS: a pipe's read end travels and is read through. */
static void unix_pair(void)
{
	struct { struct fbsd_cmsghdr h; u32 pad; int fd; int spare[5]; } ctl;
	struct fbsd_msghdr m;
	struct fbsd_iovec iov;
	int sv[2] = {-1, -1}, p[2] = {-1, -1}, fd;
	char buf[32];
	sysret r;

	_Static_assert(__builtin_offsetof(__typeof__(ctl), fd) == FBSD_CMSG_DATA_OFF, "CMSG_DATA");
	CHECK_OK("socketpair(AF_UNIX, SOCK_STREAM)", SYS(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, sv));
	CHECK_OK("pipe2", SYS(SYS_pipe2, p, 0));
	SYS(SYS_write, p[1], "through the pipe", 16);
	memset(&ctl, 0, sizeof ctl);
	ctl.h = (struct fbsd_cmsghdr){16 + 4, SOL_SOCKET, SCM_RIGHTS};
	ctl.fd = p[0];
	iov = (struct fbsd_iovec){"F", 1};
	m = (struct fbsd_msghdr){0, 0, &iov, 1, &ctl, 24 /* CMSG_SPACE(4) */, 0};
	CHECK_EQ("sendmsg with SCM_RIGHTS", SYS(SYS_sendmsg, sv[0], &m, 0).val, 1);
	SYS(SYS_close, p[0]);
	memset(&ctl, 0, sizeof ctl);
	ctl.fd = -1;
	iov = (struct fbsd_iovec){buf, sizeof buf};
	m = (struct fbsd_msghdr){0, 0, &iov, 1, &ctl, sizeof ctl, 0};
	r = SYS(SYS_recvmsg, sv[1], &m, 0);
	CHECK_EQ("recvmsg gets the 1 data byte", r.val, 1);
	CHECK_EQ("... data 'F'", buf[0], 'F');
	CHECK("... msg_controllen >= CMSG_LEN(4) 20", m.msg_controllen >= 20 && m.msg_controllen <= 24);
	CHECK_EQ("... msg_flags: no MSG_CTRUNC", m.msg_flags & MSG_CTRUNC, 0);
	CHECK_EQ("cmsg_len @0 = 20 (12-byte header, data at +16)", ctl.h.cmsg_len, 20);
	CHECK_EQ("cmsg_level @4 = SOL_SOCKET 0xffff", ctl.h.cmsg_level, SOL_SOCKET);
	CHECK_EQ("cmsg_type @8 = SCM_RIGHTS 1", ctl.h.cmsg_type, SCM_RIGHTS);
	fd = ctl.fd;
	CHECK("received descriptor at +16 is valid", fd >= 0 && !SYS(SYS_fcntl, fd, F_GETFD).cf);
	memset(buf, 0, sizeof buf);
	CHECK_EQ("read through the received descriptor", SYS(SYS_read, fd, buf, sizeof buf).val, 16);
	rt_check_mem("... the bytes written to the pipe", buf, "through the pipe", 16);
	SYS(SYS_close, fd);
	CHECK_OK("shutdown(SHUT_WR) on the pair", SYS(SYS_shutdown, sv[0], SHUT_WR));
	CHECK_EQ("other end reads EOF", SYS(SYS_read, sv[1], buf, sizeof buf).val, 0);
	rt_close2(sv);
	SYS(SYS_close, p[1]);
}

/* A socket bound to a path reports exactly the address it was bound with
 * (uipc_bindat keeps a copy; getsockaddr set its sa_len to the bind length).
 * Bound here with the NUL counted (3 + strlen, as Go does). */
/* Binds a unix socket to sun with namelen blen, listens, and checks that
 * getsockname of it, of a dup of it and of a socket it accepted report blen
 * bytes with sun_len = blen. */
static void unix_bound_len(const struct fbsd_sockaddr_un *sun, u32 blen)
{
	struct fbsd_sockaddr_un got;
	unsigned long n = rt_strlen(sun->sun_path);
	const char *what = blen == sizeof *sun ? "bound with sizeof(sockaddr_un) 106" : "bound with SUN_LEN";
	int fd[3], s, c;
	u32 len;

	s = fd[0] = sock(AF_UNIX, SOCK_STREAM);
	CHECK_OK(rt_tag(what, "bind"), SYS(SYS_bind, s, sun, blen));
	CHECK_OK(rt_tag(what, "listen"), SYS(SYS_listen, s, 2));
	fd[1] = (int)SYS(SYS_dup, s).val;
	c = sock(AF_UNIX, SOCK_STREAM);
	CHECK_OK(rt_tag(what, "connect"), SYS(SYS_connect, c, sun, 2 + n));
	fd[2] = (int)SYS(SYS_accept, s, 0, 0).val;
	for (int i = 0; i < 3; i++) {
		const char *which = i == 0 ? "getsockname" : i == 1 ? "getsockname of a dup" : "getsockname of the accepted";
		len = sizeof got;
		memset(&got, 0x5a, sizeof got);
		CHECK_OK(rt_tag(what, which), SYS(SYS_getsockname, fd[i], &got, &len));
		CHECK_EQ(rt_tag(which, "length = the bind length"), len, blen);
		CHECK_EQ(rt_tag(which, "sun_len = the bind length"), got.sun_len, blen);
		rt_check_mem(rt_tag(which, "sun_path"), got.sun_path, sun->sun_path, n);
		/* a short buffer gets a prefix and the copied length */
		len = 4;
		memset(&got, 0x5a, sizeof got);
		SYS(SYS_getsockname, fd[i], &got, &len);
		CHECK_EQ(rt_tag(which, "with len 4: 4"), len, 4);
		CHECK_EQ(rt_tag(which, "with len 4: byte 4 untouched"), (u8)got.sun_path[2], 0x5a);
	}
	for (int i = 0; i < 3; i++)
		SYS(SYS_close, fd[i]);
	SYS(SYS_close, c);
	SYS(SYS_unlink, sun->sun_path);
}

static void unix_path(const char *dir)
{
	struct fbsd_sockaddr_un sun, got;
	unsigned long n;
	int s, c;
	u32 len;

	memset(&sun, 0, sizeof sun);
	rt_join(sun.sun_path, dir, "probe.sock");
	n = rt_strlen(sun.sun_path);
	if (!CHECK("scratch path fits in sun_path[104]", n < 100))
		return;
	sun.sun_len = (u8)(3 + n), sun.sun_family = AF_UNIX;
	s = sock(AF_UNIX, SOCK_STREAM);
	CHECK_OK("bind AF_UNIX to a path", SYS(SYS_bind, s, &sun, 3 + n));
	CHECK_OK("listen (unix)", SYS(SYS_listen, s, 2));
	len = sizeof got;
	memset(&got, 0x5a, sizeof got);
	CHECK_OK("getsockname (unix)", SYS(SYS_getsockname, s, &got, &len));
	CHECK_EQ("getsockname (unix) length = the bind length", len, 3 + n);
	CHECK_EQ("sun_len byte = the bind length", got.sun_len, 3 + n);
	CHECK_EQ("sun_family byte AF_UNIX 1", got.sun_family, AF_UNIX);
	rt_check_mem("sun_path = the bound path", got.sun_path, sun.sun_path, n + 1);
	c = sock(AF_UNIX, SOCK_STREAM);
	CHECK_OK("connect to the path", SYS(SYS_connect, c, &sun, 3 + n));
	len = sizeof got;
	memset(&got, 0x5a, sizeof got);
	CHECK_OK("getpeername (unix)", SYS(SYS_getpeername, c, &got, &len));
	CHECK_EQ("getpeername sun_family 1", got.sun_family, AF_UNIX);
	rt_check_mem("getpeername sun_path", got.sun_path, sun.sun_path, n + 1);
	SYS(SYS_close, c);
	SYS(SYS_close, s);
	SYS(SYS_unlink, sun.sun_path);
	/* FreeBSD keeps the address as bound, sa_len = bind's namelen
	 * (getsockaddr, uipc_bindat), and getsockname copies that back
	 * (uipc_sockaddr): SUN_LEN (no NUL) or the whole sockaddr_un. An
	 * accepted socket carries the listener's address (unp_connect). */
	unix_bound_len(&sun, 2 + n);
	unix_bound_len(&sun, sizeof sun);
}
int main(int argc, char **argv, char **envp)
{
	if (argc < 2) {
		rt_note("usage: socket SCRATCH_DIR");
		return 2;
	}
	tcp4();
	tcp6();
	unix_pair();
	unix_path(argv[1]);
	return rt_done();
}
