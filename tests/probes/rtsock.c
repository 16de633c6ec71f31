/* Probe: a PF_ROUTE socket reports what changes, as FreeBSD's rtsock.c
 * does, and routes of both families go in and out through it. Run as root
 * in a fresh network namespace (tests/probes/run.sh). Facts, kept here on
 * purpose rather than taken from the translator:
 *   net/route.h  rt_msghdr 152 bytes (rtm_index @4, rtm_flags @8, rtm_addrs
 *                @12, rtm_pid @16, rtm_seq @20); RTM_VERSION 5; RTM_ADD 1,
 *                RTM_DELETE 2, RTM_GET 4, RTM_NEWADDR 0xc, RTM_DELADDR 0xd,
 *                RTM_IFINFO 0xe; RTA_DST 1, RTA_GATEWAY 2, RTA_NETMASK 4,
 *                RTA_IFP 0x10, RTA_IFA 0x20; RTF_UP 1, RTF_DONE 0x40,
 *                RTF_STATIC 0x800; sockaddrs padded to 8 (SA_SIZE).
 *   net/if.h     ifa_msghdr 20 bytes (addrs @4, index @12); if_msghdr 168
 *                bytes (addrs @4, flags @8, index @12); rt_ifmsg sends no
 *                sockaddrs; rt_newaddrmsg: RTA_NETMASK|RTA_IFP|RTA_IFA(|BRD);
 *                if_announcemsghdr 24 bytes (index @4, name @6, what @22:
 *                IFAN_ARRIVAL 0, IFAN_DEPARTURE 1), type RTM_IFANNOUNCE 0x11.
 *   net/if_dl.h  sockaddr_dl: index @2, nlen @5, name @8; AF_LINK 18.
 *   sys/sockio.h SIOCAIFADDR 0x8044692b, SIOCDIFADDR 0x80206919,
 *                SIOCSIFFLAGS 0x80206910, SIOCGIFFLAGS 0xc0206911,
 *                SIOCGIFINDEX 0xc0206920, SIOCGIFCONF 0xc0106924.
 *   netinet6/in6_var.h  in6_aliasreq 136 bytes (addr @16, prefixmask @72,
 *                lifetime vltime @120 pltime @124): SIOCAIFADDR_IN6 =
 *                _IOW('i', 27, ...) 0x8088691b; in6_ifreq 288 bytes:
 *                SIOCDIFADDR_IN6 = _IOW('i', 25, ...) 0x81206919.
 *   sys/socket.h SOL_SOCKET 0xffff, SO_USELOOPBACK 0x40, MSG_DONTWAIT 0x80,
 *                SHUT_RD 0; AF_INET6 28.
 *   netinet/in.h net.inet.ip.forwarding = CTL_NET 4, PF_INET 2, IPPROTO_IP 0,
 *                IPCTL_FORWARDING 1. */
#include "probe.h"

#define SIOCSIFFLAGS 0x80206910u
#define SIOCGIFFLAGS 0xc0206911u
#define SIOCGIFINDEX 0xc0206920u
#define SIOCGIFCONF 0xc0106924u
#define SIOCAIFADDR 0x8044692bu
#define SIOCDIFADDR 0x80206919u
#define SIOCAIFADDR_IN6 0x8088691bu
#define SIOCDIFADDR_IN6 0x81206919u
#define SYS_ioctl 54
#define RTM_ADD 1
#define RTM_DELETE 2
#define RTM_GET 4
#define RTM_NEWADDR 0xc
#define RTM_DELADDR 0xd
#define RTM_IFINFO 0xe
#define RTM_IFANNOUNCE 0x11

typedef unsigned char u8;

static u8 msg[2048], req[512], buf[8192];
static long msglen;
static int lo; /* lo0's index */

static void zero(void *p, unsigned long n) { memset(p, 0, n); }

static unsigned sa_size(const u8 *sa) { return sa[0] ? 1 + ((sa[0] - 1u) | 7u) : 8; }

/* The sockaddr for RTA bit `want` in a message whose sockaddrs start at hdr. */
static const u8 *sa_of(const u8 *m, unsigned hdr, int addrs, int want)
{
	const u8 *p = m + hdr;
	for (int bit = 1; bit < 0x100; bit <<= 1) {
		if (!(addrs & bit))
			continue;
		if (bit == want)
			return p;
		p += sa_size(p);
	}
	return 0;
}

static int i32(const u8 *p) { return p[0] | p[1] << 8 | p[2] << 16 | p[3] << 24; }

static void sin4(u8 *sa, unsigned a, unsigned b, unsigned c, unsigned d)
{
	zero(sa, 16);
	sa[0] = 16, sa[1] = 2;
	sa[4] = (u8)a, sa[5] = (u8)b, sa[6] = (u8)c, sa[7] = (u8)d;
}

/* fd00:HI::LO */
static void sin6(u8 *sa, unsigned hi, unsigned lo6)
{
	zero(sa, 28);
	sa[0] = 28, sa[1] = 28;
	sa[8] = 0xfd, sa[10] = (u8)(hi >> 8), sa[11] = (u8)hi;
	sa[22] = (u8)(lo6 >> 8), sa[23] = (u8)lo6;
}

static void sdl_index(u8 *sa, int index)
{
	zero(sa, 56);
	sa[0] = 54, sa[1] = 18;
	sa[2] = (u8)index, sa[3] = (u8)(index >> 8);
}

static void ifname(void *r, const char *name)
{
	char *n = r;
	for (int i = 0; name[i]; i++)
		n[i] = name[i];
}

/* Message filters: what await() looks for. */
static int want_seq, want_index, want_up, want_family;
static u8 want_addr[16];

static int addr_is(const u8 *sa)
{
	if (!sa || sa[1] != want_family)
		return 0;
	return want_family == 2 ? !memcmp(sa + 4, want_addr, 4) : !memcmp(sa + 8, want_addr, 16);
}
static int ifa_match(void) { return addr_is(sa_of(msg, 20, i32(msg + 4), 0x20)); }
static int ifinfo_match(void) { return (msg[12] | msg[13] << 8) == want_index && (i32(msg + 8) & 1) == want_up; }
static int seq_match(void) { return i32(msg + 20) == want_seq; }
/* A route to 10.77.0.0/24 (want_addr) that nobody wrote: pid and seq 0. */
static int prefix_match(void)
{
	int addrs = i32(msg + 12);
	const u8 *dst = sa_of(msg, 152, addrs, 1), *mask = sa_of(msg, 152, addrs, 4);
	return dst && mask && dst[1] == 2 && !memcmp(dst + 4, want_addr, 3) && dst[7] == 0 &&
	       mask[6] == 255 && mask[7] == 0 && i32(msg + 16) == 0;
}

/* Reads rs until a message of TYPE that ok() accepts; poll waits up to 3 s
 * for each. 1 if found. */
static int await(int rs, int type, int (*ok)(void))
{
	for (int i = 0; i < 100; i++) {
		struct fbsd_pollfd p = {rs, POLLIN, 0};
		sysret r = SYS(SYS_poll, &p, 1, 3000);
		if (r.cf || r.val != 1)
			return 0;
		r = SYS(SYS_read, rs, msg, sizeof msg);
		if (r.cf)
			return 0;
		msglen = r.val;
		if (msg[2] == 5 && msg[3] == type && (!ok || ok()))
			return 1;
	}
	return 0;
}

/* Reads whatever rs holds without waiting; 1 if a message of TYPE that
 * ok() accepts was among it. */
static int drained_has(int rs, int type, int (*ok)(void))
{
	int found = 0;
	for (int i = 0; i < 100; i++) {
		sysret r = SYS(SYS_recvfrom, rs, msg, sizeof msg, 0x80 /* MSG_DONTWAIT */, 0, 0);
		if (r.cf)
			break;
		msglen = r.val;
		if (msg[3] == type && (!ok || ok()))
			found = 1;
	}
	return found;
}

/* An RTM_ADD/DELETE/GET request for fd00:HI::/plen (family 28) or
 * 10.HI.0.0/plen (family 2) through lo0; returns its length. */
static int route_req(int type, int family, unsigned hi, int plen, int seq, int with_gw)
{
	zero(req, sizeof req);
	u8 *p = req + 152;
	int addrs = 1;
	if (family == 2)
		sin4(p, 10, hi, type == RTM_GET ? 1 : 0, type == RTM_GET ? 2 : 0), p += 16;
	else
		sin6(p, hi, type == RTM_GET ? 5 : 0), p += 32;
	if (with_gw) {
		sdl_index(p, lo), p += 56;
		addrs |= 2;
	}
	if (plen >= 0) {
		if (family == 2) {
			sin4(p, 0, 0, 0, 0);
			for (int i = 0; i < plen / 8; i++)
				p[4 + i] = 0xff;
			p += 16;
		} else {
			zero(p, 32);
			p[0] = 28, p[1] = 28;
			for (int i = 0; i < plen / 8; i++)
				p[8 + i] = 0xff;
			p += 32;
		}
		addrs |= 4;
	}
	int len = (int)(p - req);
	req[0] = (u8)len, req[1] = (u8)(len >> 8);
	req[2] = 5, req[3] = (u8)type;
	req[8] = 0x1, req[9] = 0x8; /* RTF_UP|RTF_STATIC */
	req[12] = (u8)addrs;
	req[20] = (u8)seq;
	return len;
}

/* Does NET_RT_DUMP of family hold the route through lo0 whose dst is 10.HI.0.0
 * / fd00:HI::? */
static int dump_has(int family, unsigned hi)
{
	int mib[6] = {4, 17, 0, family, 1 /* NET_RT_DUMP */, 0};
	u64 len = sizeof buf;
	if (SYS(SYS___sysctl, mib, 6, buf, &len, 0, 0).cf)
		return -1;
	u8 d[32];
	if (family == 2)
		sin4(d, 10, hi, 0, 0);
	for (u64 off = 0; off + 152 <= len;) {
		const u8 *m = buf + off;
		unsigned ml = m[0] | m[1] << 8;
		const u8 *dst = m + 152;
		if (!ml)
			break;
		if ((m[4] | m[5] << 8) == lo && dst[1] == family &&
		    (family == 2 ? !memcmp(dst + 4, d + 4, 4)
				 : dst[8] == 0xfd && dst[10] == (u8)(hi >> 8) && dst[11] == (u8)hi))
			return 1;
		off += ml;
	}
	return 0;
}

static void routes(int rs, int family, unsigned hi, int plen)
{
	const char *f = family == 2 ? "[inet]" : "[inet6]";
	int pid = (int)SYS(SYS_getpid).val, len;
	len = route_req(RTM_ADD, family, hi, plen, 101, 1);
	CHECK_EQ(rt_tag(f, "write RTM_ADD through lo0"), SYS(SYS_write, rs, req, len).val, len);
	want_seq = 101;
	CHECK(rt_tag(f, "... echoed as RTM_ADD with rtm_seq"), await(rs, RTM_ADD, seq_match));
	CHECK_EQ(rt_tag(f, "... our rtm_pid, RTF_DONE"), (i32(msg + 16) == pid) + ((msg[8] & 0x40) != 0), 2);
	CHECK_EQ(rt_tag(f, "... rtm_index lo0"), msg[4] | msg[5] << 8, lo);
	len = route_req(RTM_ADD, family, hi, plen, 102, 1);
	CHECK_ERR(rt_tag(f, "the same RTM_ADD again: EEXIST"), SYS(SYS_write, rs, req, len), 17);
	CHECK_EQ(rt_tag(f, "NET_RT_DUMP lists it"), dump_has(family, hi), 1);

	len = route_req(RTM_GET, family, hi, -1, 103, 0);
	CHECK_EQ(rt_tag(f, "write RTM_GET of an address inside"), SYS(SYS_write, rs, req, len).val, len);
	want_seq = 103;
	CHECK(rt_tag(f, "... answered"), await(rs, RTM_GET, seq_match));
	int addrs = i32(msg + 12);
	const u8 *dst = sa_of(msg, 152, addrs, 1), *mask = sa_of(msg, 152, addrs, 4);
	CHECK_EQ(rt_tag(f, "... RTA_DST|RTA_NETMASK, rtm_index lo0"),
		 (addrs & 5) == 5 && (msg[4] | msg[5] << 8) == lo, 1);
	if (family == 2)
		CHECK_EQ(rt_tag(f, "... 10.HI.0.0/16"), dst && mask && dst[4] == 10 && dst[5] == hi &&
			 dst[6] == 0 && mask[4] == 0xff && mask[5] == 0xff && mask[6] == 0, 1);
	else
		CHECK_EQ(rt_tag(f, "... fd00:HI::/64"), dst && mask && dst[8] == 0xfd && dst[11] == (u8)hi &&
			 dst[23] == 0 && mask[15] == 0xff && mask[16] == 0, 1);

	len = route_req(RTM_DELETE, family, hi, plen, 104, 0);
	CHECK_EQ(rt_tag(f, "write RTM_DELETE"), SYS(SYS_write, rs, req, len).val, len);
	want_seq = 104;
	CHECK(rt_tag(f, "... echoed as RTM_DELETE with rtm_seq"), await(rs, RTM_DELETE, seq_match));
	CHECK_EQ(rt_tag(f, "... gone from NET_RT_DUMP"), dump_has(family, hi), 0);
	len = route_req(RTM_GET, family, hi, -1, 105, 0);
	CHECK_ERR(rt_tag(f, "RTM_GET after the delete: ESRCH"), SYS(SYS_write, rs, req, len), 3);
}

static void addr_events(int rs, int s)
{
	struct { char name[16]; u8 addr[16], brd[16], mask[16]; int vhid; } a;
	zero(&a, sizeof a);
	ifname(&a, "lo0");
	sin4(a.addr, 10, 77, 0, 1);
	sin4(a.mask, 255, 255, 255, 0);

	int kq = (int)SYS(SYS_kqueue).val;
	struct fbsd_kevent k = {.ident = (u64)rs, .filter = EVFILT_READ, .flags = EV_ADD}, e;
	CHECK_OK("kevent EV_ADD EVFILT_READ on the routing socket", SYS(SYS_kevent, kq, &k, 1, 0, 0, 0));
	struct fbsd_timespec ts0 = {0, 0}, ts3 = {3, 0};
	drained_has(rs, 0, 0); /* whatever bringing lo up still reports */
	CHECK_EQ("... nothing to read yet", SYS(SYS_kevent, kq, 0, 0, &e, 1, &ts0).val, 0);

	CHECK_OK("SIOCAIFADDR lo0 10.77.0.1/24", SYS(SYS_ioctl, s, SIOCAIFADDR, &a));
	zero(&e, sizeof e);
	CHECK_EQ("... kevent: the socket is readable", SYS(SYS_kevent, kq, 0, 0, &e, 1, &ts3).val, 1);
	CHECK_EQ("... for the routing socket", e.ident == (u64)rs && e.filter == EVFILT_READ, 1);
	SYS(SYS_close, kq);
	want_family = 2;
	u8 v4[4] = {10, 77, 0, 1};
	memcpy(want_addr, v4, 4);
	CHECK("... RTM_NEWADDR 10.77.0.1", await(rs, RTM_NEWADDR, ifa_match));
	int addrs = i32(msg + 4);
	const u8 *mask = sa_of(msg, 20, addrs, 4), *ifp = sa_of(msg, 20, addrs, 0x10);
	CHECK_EQ("... RTA_NETMASK|RTA_IFP|RTA_IFA, ifam_index lo0", (addrs & 0x34) == 0x34 && (msg[12] | msg[13] << 8) == lo, 1);
	CHECK_EQ("... netmask 255.255.255.0", mask && mask[4] == 255 && mask[6] == 255 && mask[7] == 0, 1);
	CHECK_EQ("... ifp sockaddr_dl lo0", ifp && ifp[1] == 18 && ifp[5] == 3 && !memcmp(ifp + 8, "lo0", 3), 1);
	CHECK("... RTM_ADD of the prefix route 10.77.0.0/24, rtm_pid 0", await(rs, RTM_ADD, prefix_match));

	struct { char name[16]; u8 sa[16]; } q;
	zero(&q, sizeof q);
	ifname(&q, "lo0");
	sin4(q.sa, 10, 77, 0, 1);
	CHECK_OK("SIOCDIFADDR lo0 10.77.0.1", SYS(SYS_ioctl, s, SIOCDIFADDR, &q));
	CHECK("... RTM_DELADDR 10.77.0.1", await(rs, RTM_DELADDR, ifa_match));

	zero(&q, sizeof q);
	ifname(&q, "lo0");
	CHECK_OK("SIOCGIFFLAGS lo0", SYS(SYS_ioctl, s, SIOCGIFFLAGS, &q));
	short fl = (short)(q.sa[0] | q.sa[1] << 8);
	q.sa[0] = (u8)(fl & ~1);
	CHECK_OK("SIOCSIFFLAGS lo0 down", SYS(SYS_ioctl, s, SIOCSIFFLAGS, &q));
	want_index = lo, want_up = 0;
	CHECK("... RTM_IFINFO lo0 without IFF_UP", await(rs, RTM_IFINFO, ifinfo_match));
	CHECK_EQ("... if_msghdr alone (168 bytes, no sockaddrs)", msglen == 168 && i32(msg + 4) == 0, 1);
	q.sa[0] = (u8)(fl | 1);
	CHECK_OK("SIOCSIFFLAGS lo0 up", SYS(SYS_ioctl, s, SIOCSIFFLAGS, &q));
	want_up = 1;
	CHECK("... RTM_IFINFO lo0 with IFF_UP", await(rs, RTM_IFINFO, ifinfo_match));
}

/* SIOCGIFCONF holds lo0 with an AF_LINK entry and, if want6, fd00:77::1. */
static void ifconf(int s, int want6)
{
	struct { int len, pad; void *buf; } c = {sizeof buf, 0, buf};
	CHECK_OK(want6 ? "SIOCGIFCONF" : "SIOCGIFCONF again", SYS(SYS_ioctl, s, SIOCGIFCONF, &c));
	int link = 0, v6 = 0;
	for (int off = 0; off + 32 <= c.len;) {
		const u8 *e = buf + off;
		unsigned sl = e[16];
		if (rt_streq((const char *)e, "lo0") && e[17] == 18 && e[18] == (u8)lo && e[21] == 3 &&
		    !memcmp(e + 24, "lo0", 3))
			link = 1;
		if (rt_streq((const char *)e, "lo0") && e[17] == 28 && e[24] == 0xfd && e[27] == 0x77 && e[39] == 1)
			v6 = 1;
		off += sl > 16 ? 16 + (int)sl : 32;
	}
	CHECK_EQ(want6 ? "... lo0's AF_LINK entry (index, name)" : "... AF_LINK entry still first", link, 1);
	CHECK_EQ(want6 ? "... lo0 with fd00:77::1" : "... fd00:77::1 gone", v6, want6);
}

static void addr6_events(int rs, int rs4)
{
	int s6 = (int)SYS(SYS_socket, 28, 2, 0).val;
	u8 a[136];
	zero(a, sizeof a);
	ifname(a, "lo0");
	sin6(a + 16, 0x77, 1);
	a[72] = 28, a[73] = 28;
	for (int i = 0; i < 8; i++)
		a[80 + i] = 0xff; /* /64 */
	memset(a + 120, 0xff, 8); /* ND6_INFINITE_LIFETIME */
	CHECK_OK("SIOCAIFADDR_IN6 lo0 fd00:77::1/64", SYS(SYS_ioctl, s6, SIOCAIFADDR_IN6, a));
	want_family = 28;
	zero(want_addr, 16);
	want_addr[0] = 0xfd, want_addr[3] = 0x77, want_addr[15] = 1;
	CHECK("... RTM_NEWADDR fd00:77::1", await(rs, RTM_NEWADDR, ifa_match));
	const u8 *mask = sa_of(msg, 20, i32(msg + 4), 4);
	CHECK_EQ("... prefixmask /64", mask && mask[15] == 0xff && mask[16] == 0, 1);
	CHECK_EQ("... not on an AF_INET routing socket", drained_has(rs4, RTM_NEWADDR, ifa_match), 0);
	ifconf(s6, 1);
	u8 q[288];
	zero(q, sizeof q);
	ifname(q, "lo0");
	sin6(q + 16, 0x77, 1);
	CHECK_OK("SIOCDIFADDR_IN6 lo0 fd00:77::1", SYS(SYS_ioctl, s6, SIOCDIFADDR_IN6, q));
	CHECK("... RTM_DELADDR fd00:77::1", await(rs, RTM_DELADDR, ifa_match));
	ifconf(s6, 0);
	SYS(SYS_close, s6);
}

/* SO_USELOOPBACK off: the writer's own socket does not get its change back;
 * another routing socket of the process gets it with the writer's pid/seq. */
static void noloop(int rs)
{
	int rs2 = (int)SYS(SYS_socket, 17, 3, 0).val, off = 0;
	CHECK_OK("setsockopt SO_USELOOPBACK 0", SYS(SYS_setsockopt, rs2, 0xffff, 0x40, &off, 4));
	int len = route_req(RTM_ADD, 2, 79, 16, 77, 1);
	CHECK_EQ("RTM_ADD 10.79.0.0/16 from that socket", SYS(SYS_write, rs2, req, len).val, len);
	want_seq = 77;
	CHECK("... another socket sees it with rtm_seq", await(rs, RTM_ADD, seq_match));
	CHECK_EQ("... and the writer's pid", i32(msg + 16), SYS(SYS_getpid).val);
	CHECK_EQ("... not echoed to the writer", drained_has(rs2, RTM_ADD, seq_match), 0);
	/* route(8) shuts reading before it writes requests. */
	CHECK_OK("shutdown(SHUT_RD) on that socket", SYS(SYS_shutdown, rs2, 0));
	len = route_req(RTM_DELETE, 2, 79, 16, 78, 0);
	CHECK_EQ("... RTM_DELETE through it still works", SYS(SYS_write, rs2, req, len).val, len);
	want_seq = 78;
	CHECK("... seen by the other socket", await(rs, RTM_DELETE, seq_match));
	CHECK_EQ("... a read there says EOF", SYS(SYS_read, rs2, msg, sizeof msg).val, 0);
	SYS(SYS_close, rs2);
}

/* net.inet.ip.forwarding: `now` is what Linux's ip_forward says in this
 * namespace; it is flipped, and the runner checks Linux sees the flip. */
static int want_what;
static int announce_match(void) { return msglen == 24 && !memcmp(msg + 6, "rtv0", 5) && msg[22] == want_what; }

/* The runner creates and removes the link rtv0 once a byte comes through
 * the fifo: RTM_IFANNOUNCE arrival, then departure. */
static void announce(int rs, const char *fifo)
{
	drained_has(rs, 0, 0);
	int w = (int)SYS(SYS_open, fifo, 1 /* O_WRONLY */).val;
	CHECK_EQ("tell the runner to add and remove rtv0", SYS(SYS_write, w, "x", 1).val, 1);
	SYS(SYS_close, w);
	want_what = 0;
	CHECK("... RTM_IFANNOUNCE arrival of rtv0", await(rs, RTM_IFANNOUNCE, announce_match));
	CHECK("... if_announcemsghdr index > lo0's", (msg[4] | msg[5] << 8) > lo);
	want_what = 1;
	CHECK("... RTM_IFANNOUNCE departure of rtv0", await(rs, RTM_IFANNOUNCE, announce_match));
}

static void forwarding(int now)
{
	int mib[4] = {4, 2, 0, 1}, v = -1, flip = !now;
	u64 len = sizeof v;
	CHECK_OK("sysctl net.inet.ip.forwarding", SYS(SYS___sysctl, mib, 4, &v, &len, 0, 0));
	CHECK_EQ("... Linux's ip_forward", v, now);
	len = sizeof v;
	CHECK_OK("... flipped", SYS(SYS___sysctl, mib, 4, &v, &len, &flip, sizeof flip));
	CHECK_EQ("... returning the old value", v, now);
	len = sizeof v;
	const char *n = "net.inet.ip.forwarding";
	CHECK_OK("sysctlbyname net.inet.ip.forwarding", SYS(SYS___sysctlbyname, n, rt_strlen(n), &v, &len, 0, 0));
	CHECK_EQ("... the new value", v, flip);
}

/* usage: rtsock IP_FORWARD [FIFO]  IP_FORWARD: Linux's net.ipv4.ip_forward in
 * this namespace; FIFO: where the runner waits to add and remove a link. */
int main(int argc, char **argv)
{
	if (argc < 2)
		return rt_note("usage: rtsock IP_FORWARD"), 2;
	sysret r = SYS(SYS_socket, 17 /* PF_ROUTE */, 3 /* SOCK_RAW */, 0);
	CHECK_OK("socket(PF_ROUTE, SOCK_RAW, 0)", r);
	int rs = (int)r.val;
	r = SYS(SYS_socket, 17, 3, 2 /* AF_INET */);
	CHECK_OK("socket(PF_ROUTE, SOCK_RAW, AF_INET)", r);
	int rs4 = (int)r.val;
	int s = (int)SYS(SYS_socket, 2, 2, 0).val;
	struct { char name[16]; int val, pad[3]; } q;
	zero(&q, sizeof q);
	ifname(&q, "lo0");
	CHECK_OK("SIOCGIFINDEX lo0", SYS(SYS_ioctl, s, SIOCGIFINDEX, &q));
	lo = q.val;

	addr_events(rs, s);
	addr6_events(rs, rs4);
	routes(rs, 2, 78, 16);
	routes(rs, 28, 78, 64);
	noloop(rs);
	forwarding(rt_streq(argv[1], "1"));
	if (argc > 2)
		announce(rs, argv[2]);
	return rt_done();
}
