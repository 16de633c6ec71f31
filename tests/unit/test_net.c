/* Socket and event translations: sockaddr, MSG_* flags and control
 * messages, socket option names, poll bits, struct kevent. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "abi/sock.h"
#include "abi/poll.h"
#include "abi/kevent.h"
#include "abi/rtmsg.h"

static void sockaddr_inet(void **state)
{
	(void)state;
	uint8_t f[16] = { 16, 2, 0x1f, 0x90, 127, 0, 0, 1 };
	struct lsockaddr_buf l;
	uint32_t llen;
	assert_int_equal(sa_f2l(f, 16, &l, &llen), 0);
	assert_int_equal(llen, 16);
	assert_int_equal(l.family, 2);
	assert_memory_equal(l.data, f + 2, 6);
	struct lsockaddr_buf bad;
	assert_int_equal(sa_f2l(f, 8, &bad, &llen), -22);

	uint8_t back[16];
	memset(back, 0xaa, sizeof back);
	assert_int_equal(sa_l2f(&l, 16, back, sizeof back), 16);
	assert_memory_equal(back, f, 16);
	/* Truncation: never past the buffer, full length reported. */
	uint8_t small[6];
	memset(small, 0xaa, sizeof small);
	assert_int_equal(sa_l2f(&l, 16, small, 4), 16);
	assert_memory_equal(small, f, 4);
	assert_int_equal(small[4], 0xaa);
}

static void sockaddr_inet6(void **state)
{
	(void)state;
	uint8_t f[28] = { 28, 28, 0x1f, 0x90, 0, 0, 0, 1 };
	f[23] = 1; /* ::1 */
	f[24] = 5; /* scope id */
	struct lsockaddr_buf l;
	uint32_t llen;
	assert_int_equal(sa_f2l(f, 28, &l, &llen), 0);
	assert_int_equal(llen, 28);
	assert_int_equal(l.family, 10);
	uint8_t back[32];
	assert_int_equal(sa_l2f(&l, 28, back, sizeof back), 28);
	assert_memory_equal(back, f, 28);
	assert_int_equal(sa_f2l(f, 24, &l, &llen), -22);
}

static void sockaddr_unix(void **state)
{
	(void)state;
	struct fsockaddr_un f;
	memset(&f, 0, sizeof f);
	f.sun_family = 1;
	strcpy(f.sun_path, "/tmp/sock");
	f.sun_len = 2 + 9 + 1;
	struct lsockaddr_buf l;
	uint32_t llen;
	assert_int_equal(sa_f2l(&f, f.sun_len, &l, &llen), 0);
	assert_int_equal(l.family, 1);
	assert_string_equal(l.data, "/tmp/sock");
	assert_int_equal(llen, 2 + 9 + 1);
	/* namelen without the NUL (SUN_LEN) works too. */
	assert_int_equal(sa_f2l(&f, 2 + 9, &l, &llen), 0);
	assert_string_equal(l.data, "/tmp/sock");
	/* No abstract namespace, no autobind: an empty path is a lookup of "". */
	assert_int_equal(sa_f2l(&f, 2, &l, &llen), -2);
	f.sun_path[0] = 0;
	assert_int_equal(sa_f2l(&f, 12, &l, &llen), -2);
	assert_int_equal(sa_f2l(&f, 107, &l, &llen), -22);

	uint8_t lin[110] = { 1, 0 };
	strcpy((char *)lin + 2, "/tmp/sock");
	struct fsockaddr_un back;
	assert_int_equal(sa_l2f(lin, 2 + 10, &back, sizeof back), 12);
	assert_int_equal(back.sun_len, 12);
	assert_int_equal(back.sun_family, 1);
	assert_string_equal(back.sun_path, "/tmp/sock");
	/* Unnamed and Linux-abstract names read back as sun_noname. */
	memset(&back, 0xaa, sizeof back);
	assert_int_equal(sa_l2f(lin, 2, &back, sizeof back), 16);
	assert_int_equal(back.sun_len, 16);
	assert_int_equal(back.sun_path[0], 0);
	uint8_t at[40] = { 1, 0 };
	strcpy((char *)at + 2, "/proc/self/fd/12/x.sock");
	assert_int_equal(sa_l2f(at, 2 + 24, &back, sizeof back), 2 + 7);
	assert_string_equal(back.sun_path, "x.sock");
	uint8_t abs[8] = { 1, 0, 0, 'a', 'b' };
	assert_int_equal(sa_l2f(abs, 5, &back, sizeof back), 16);
}

static void sockaddr_family(void **state)
{
	(void)state;
	uint8_t f[16] = { 16, 99 };
	struct lsockaddr_buf l;
	uint32_t llen;
	assert_int_equal(sa_f2l(f, 16, &l, &llen), -97);
	assert_int_equal(sa_f2l(f, 1, &l, &llen), -22);
	assert_int_equal(sa_f2l(f, 256, &l, &llen), -36);
	assert_int_equal(family_f2l(28), 10);
	assert_int_equal(family_l2f(10), 28);
	assert_int_equal(family_l2f(2), 2);
}

static void msg_flags(void **state)
{
	(void)state;
	int bad;
	assert_int_equal(msgflags_f2l(0x80, &bad), 0x40); /* DONTWAIT */
	assert_false(bad);
	assert_int_equal(msgflags_f2l(0x40, &bad), 0x100); /* WAITALL */
	assert_int_equal(msgflags_f2l(0x20000, &bad), 0x4000); /* NOSIGNAL */
	assert_int_equal(msgflags_f2l(0x40000, &bad), 0x40000000); /* CMSG_CLOEXEC */
	assert_int_equal(msgflags_f2l(0x3 | 0x8, &bad), 0x3 | 0x80);
	msgflags_f2l(0x1000000, &bad);
	assert_true(bad);
	assert_int_equal(msgflags_l2f(0x20), 0x10); /* TRUNC */
	assert_int_equal(msgflags_l2f(0x8), 0x20);  /* CTRUNC */
	assert_int_equal(msgflags_l2f(0x80), 0x8);  /* EOR */
	assert_int_equal(msgflags_l2f(0x40), 0x80); /* DONTWAIT */
}

static void cmsg_rights_both_ways(void **state)
{
	(void)state;
	uint8_t f[64] __attribute__((aligned(8)));
	memset(f, 0, sizeof f);
	struct fcmsghdr h = { 16 + 8, 0xffff, 1 };
	memcpy(f, &h, sizeof h);
	int fds[2] = { 5, 7 };
	memcpy(f + 16, fds, 8);
	uint8_t l[128] __attribute__((aligned(8)));
	size_t llen;
	struct lucred self = { 100, 1000, 1000 };
	assert_int_equal(cmsg_f2l(f, 24, l, sizeof l, &llen, &self), 0);
	assert_int_equal(llen, 24);
	struct lcmsghdr lh;
	memcpy(&lh, l, sizeof lh);
	assert_int_equal(lh.cmsg_len, 24);
	assert_int_equal(lh.cmsg_level, 1);
	assert_int_equal(lh.cmsg_type, 1);
	assert_memory_equal(l + 16, fds, 8);

	uint8_t back[64];
	int ff = 0, drop[4], nd;
	assert_int_equal(cmsg_l2f(l, llen, back, sizeof back, &ff, drop, 4, &nd), 24);
	assert_int_equal(ff, 0);
	assert_int_equal(nd, 0);
	assert_memory_equal(back, f, 24);
	/* Room for one descriptor only: the other is handed back to close. */
	ff = 0;
	assert_int_equal(cmsg_l2f(l, llen, back, 20, &ff, drop, 4, &nd), 20);
	assert_int_equal(ff, 0x20);
	assert_int_equal(nd, 1);
	assert_int_equal(drop[0], 7);
}

static void cmsg_creds(void **state)
{
	(void)state;
	uint8_t f[128] __attribute__((aligned(8)));
	memset(f, 0, sizeof f);
	struct fcmsghdr h = { 16 + sizeof(struct fcmsgcred), 0xffff, 3 };
	memcpy(f, &h, sizeof h);
	uint8_t l[128] __attribute__((aligned(8)));
	size_t llen;
	struct lucred self = { 100, 1000, 2000 };
	assert_int_equal(cmsg_f2l(f, h.cmsg_len, l, sizeof l, &llen, &self), 0);
	struct lcmsghdr lh;
	memcpy(&lh, l, sizeof lh);
	assert_int_equal(lh.cmsg_type, 2); /* SCM_CREDENTIALS */
	assert_int_equal(lh.cmsg_len, 16 + 12);
	assert_memory_equal(l + 16, &self, 12);

	uint8_t back[128];
	int ff = 0, drop[1], nd;
	uint32_t n = cmsg_l2f(l, llen, back, sizeof back, &ff, drop, 1, &nd);
	assert_int_equal(n, 16 + 88);
	struct fcmsghdr bh;
	memcpy(&bh, back, sizeof bh);
	assert_int_equal(bh.cmsg_len, 16 + 84);
	assert_int_equal(bh.cmsg_type, 3);
	struct fcmsgcred cc;
	memcpy(&cc, back + 16, sizeof cc);
	assert_int_equal(cc.cmcred_pid, 100);
	assert_int_equal(cc.cmcred_uid, 1000);
	assert_int_equal(cc.cmcred_euid, 1000);
	assert_int_equal(cc.cmcred_gid, 2000);
	/* LOCAL_CREDS: struct sockcred; LOCAL_CREDS_PERSISTENT: sockcred2. */
	int got;
	n = cmsg_l2f_creds(l, llen, back, sizeof back, &ff, drop, 1, &nd, CRED_SOCKCRED, &got);
	assert_int_equal(n, 16 + 24);
	assert_int_equal(got, 1);
	memcpy(&bh, back, sizeof bh);
	assert_int_equal(bh.cmsg_type, 3);
	struct fsockcred sc;
	memcpy(&sc, back + 16, sizeof sc);
	assert_int_equal(sc.sc_uid, 1000);
	assert_int_equal(sc.sc_egid, 2000);
	assert_int_equal(sc.sc_ngroups, 1);
	n = cmsg_l2f_creds(l, llen, back, sizeof back, &ff, drop, 1, &nd, CRED_SOCKCRED2, &got);
	assert_int_equal(n, 16 + 32);
	memcpy(&bh, back, sizeof bh);
	assert_int_equal(bh.cmsg_type, 8); /* SCM_CREDS2 */
	struct fsockcred2 sc2;
	memcpy(&sc2, back + 16, sizeof sc2);
	assert_int_equal(sc2.sc_pid, 100);
	assert_int_equal(sc2.sc_gid, 2000);
	/* Does not fit: skipped and flagged. */
	ff = 0;
	assert_int_equal(cmsg_l2f(l, llen, back, 40, &ff, drop, 1, &nd), 0);
	assert_int_equal(ff, 0x20);
	/* Malformed input is EINVAL. */
	h.cmsg_len = 200;
	memcpy(f, &h, sizeof h);
	assert_int_equal(cmsg_f2l(f, 100, l, sizeof l, &llen, &self), -22);
}

static void cmsg_timestamp(void **state)
{
	(void)state;
	uint8_t l[32] __attribute__((aligned(8)));
	struct lcmsghdr lh = { 32, 1, 29 };
	memcpy(l, &lh, sizeof lh);
	int64_t tv[2] = { 12, 34 };
	memcpy(l + 16, tv, 16);
	uint8_t back[32];
	int ff = 0, drop[1], nd;
	assert_int_equal(cmsg_l2f(l, 32, back, 32, &ff, drop, 1, &nd), 32);
	struct fcmsghdr bh;
	memcpy(&bh, back, sizeof bh);
	assert_int_equal(bh.cmsg_len, 32);
	assert_int_equal(bh.cmsg_level, 0xffff);
	assert_int_equal(bh.cmsg_type, 2);
	assert_memory_equal(back + 16, tv, 16);
}

static void sockopts(void **state)
{
	(void)state;
	struct sockopt_xl x;
	assert_int_equal(sockopt_f2l(0xffff, 0x4, 0, &x), 0); /* SO_REUSEADDR */
	assert_int_equal(x.level, 1);
	assert_int_equal(x.name, 2);
	assert_int_equal(sockopt_f2l(0xffff, 0x1007, 0, &x), 0);
	assert_int_equal(x.kind, SO_K_ERRNO);
	assert_int_equal(x.name, 4);
	assert_int_equal(sockopt_f2l(0xffff, 0x1006, 0, &x), 0); /* SO_RCVTIMEO */
	assert_int_equal(x.name, 20);
	assert_int_equal(sockopt_f2l(0xffff, 0x800, 0, &x), 0);
	assert_int_equal(x.kind, SO_K_NOSIGPIPE);
	assert_int_equal(sockopt_f2l(41, 27, 0, &x), 0); /* IPV6_V6ONLY */
	assert_int_equal(x.name, 26);
	assert_int_equal(sockopt_f2l(6, 256, 0, &x), 0); /* TCP_KEEPIDLE */
	assert_int_equal(x.name, 4);
	assert_int_equal(sockopt_f2l(6, 1024, 0, &x), 0);
	assert_int_equal(x.name, 6);
	assert_int_equal(sockopt_f2l(0, 3, 0, &x), 0); /* IP_TOS */
	assert_int_equal(x.name, 1);
	assert_int_equal(sockopt_f2l(0, 1, 1, &x), 0); /* LOCAL_PEERCRED */
	assert_int_equal(x.kind, SO_K_PEERCRED);
	assert_int_equal(sockopt_f2l(0xffff, 0x7777, 0, &x), -92);
	assert_int_equal(sockopt_f2l(1, 2, 0, &x), -92); /* Linux SOL_SOCKET means nothing */
}

static void poll_bits(void **state)
{
	(void)state;
	assert_int_equal(pollev_f2l(0x1 | 0x4), 0x1 | 0x4);
	assert_int_equal(pollev_f2l(0x40 | 0x80), 0x40 | 0x80);
	assert_int_equal(pollev_f2l(0x100), 0x200);  /* WRBAND */
	assert_int_equal(pollev_f2l(0x4000), 0x2000); /* RDHUP */
	assert_int_equal(pollev_l2f(0x100), 0x4);     /* WRNORM */
	assert_int_equal(pollev_l2f(0x200), 0x100);
	assert_int_equal(pollev_l2f(0x2000), 0x4000);
	assert_int_equal(pollev_l2f(0x8 | 0x10 | 0x20), 0x8 | 0x10 | 0x20);
	/* pipe end-of-file (FreeBSD pipe_poll) */
	assert_int_equal(pollev_pipe_eof(0x1, 0x10), 0x1 | 0x10);      /* reader: IN|HUP */
	assert_int_equal(pollev_pipe_eof(0x1 | 0x40, 0x11), 0x51);     /* data left too */
	assert_int_equal(pollev_pipe_eof(0, 0x10), 0x10);              /* HUP unasked */
	assert_int_equal(pollev_pipe_eof(0x4, 0x8 | 0x4), 0x4 | 0x10); /* writer: OUT|HUP */
	assert_int_equal(pollev_pipe_eof(0x4, 0x8), 0x4 | 0x10);
	assert_int_equal(pollev_pipe_eof(0x2000 | 0x1, 0x10), 0);      /* POLLINIGNEOF */
	assert_int_equal(pollev_pipe_eof(0x1, 0x1), 0x1);              /* no EOF: unchanged */
}

static void kevent_layouts(void **state)
{
	(void)state;
	struct fkevent11 a = { 7, EVFILT_READ, EV_ADD | EV_CLEAR, 3, -5, 0x1234 };
	struct fkevent k;
	memset(&k, 0xaa, sizeof k);
	kev_from11(&a, &k);
	assert_int_equal(k.ident, 7);
	assert_int_equal(k.filter, -1);
	assert_int_equal(k.flags, 0x21);
	assert_int_equal(k.data, -5);
	assert_int_equal(k.udata, 0x1234);
	assert_int_equal(k.ext[0] | k.ext[3], 0);
	struct fkevent11 b;
	kev_to11(&k, &b);
	assert_memory_equal(&a, &b, sizeof a);
}

static void kevent_filters(void **state)
{
	(void)state;
	assert_int_equal(ktimer_ns(5, 0), 5000000);
	assert_int_equal(ktimer_ns(5, NOTE_SECONDS), 5000000000LL);
	assert_int_equal(ktimer_ns(5, NOTE_USECONDS), 5000);
	assert_int_equal(ktimer_ns(5, NOTE_NSECONDS | NOTE_ABSTIME), 5);
	assert_int_equal(ktimer_ns(-1, 0), -1);
	assert_int_equal(ktimer_ns(1, NOTE_SECONDS | NOTE_USECONDS), -1);
	assert_int_equal(kuser_fflags(0xf0, NOTE_FFAND | 0x30), 0x30);
	assert_int_equal(kuser_fflags(0xf0, NOTE_FFOR | 0x3), 0xf3);
	assert_int_equal(kuser_fflags(0xf0, NOTE_FFCOPY | 0x3), 0x3);
	assert_int_equal(kuser_fflags(0xf0, NOTE_TRIGGER | 0x3), 0xf0);
	/* inotify -> EVFILT_VNODE notes */
	assert_int_equal(kvnode_notes(0x2, 0), NOTE_WRITE);
	assert_int_equal(kvnode_notes(0x4 | 0x8, 0), NOTE_ATTRIB | NOTE_CLOSE_WRITE);
	assert_int_equal(kvnode_notes(0x400, 0), NOTE_DELETE);
	assert_int_equal(kvnode_notes(0x800, 0), NOTE_RENAME);
	assert_int_equal(kvnode_notes(0x100, 1), NOTE_WRITE);
	assert_int_equal(kvnode_notes(0x40000000 | 0x200, 1), NOTE_WRITE | NOTE_LINK);
	assert_int_equal(kvnode_notes(0x2 | 0x20, 1), 0); /* a child's own changes */
}

static void route_iflist(void **state)
{
	(void)state;
	struct nr_link l = { .index = 4, .name = "eth0", .lflags = 0x1043, .arphrd = 1, .mtu = 1400,
			     .hwlen = 6, .hw = { 2, 0xfc, 0, 0, 0, 1 } };
	struct nr_addr a[3] = {
		{ .index = 4, .family = 2, .prefixlen = 24, .addr = { 192, 0, 2, 2 },
		  .brd = { 192, 0, 2, 255 }, .has_brd = 1 },
		{ .index = 4, .family = 28, .prefixlen = 64, .addr = { 0xfe, 0x80, [15] = 1 } },
		{ .index = 4, .family = 2, .prefixlen = -1, .addr = { 224, 0, 0, 1 } },
	};
	uint8_t b[1024];
	size_t n = rt_encode(NET_RT_IFLIST, 0, 0, &l, 1, a, 3, b, sizeof b);
	/* if_msghdr 168 + sockaddr_dl 56; ifa 20 + 16*3; ifa 20 + 32*2 */
	assert_int_equal(n, 224 + 68 + 84);
	assert_int_equal(b[0] | b[1] << 8, 224);
	assert_int_equal(b[2], 5);    /* RTM_VERSION */
	assert_int_equal(b[3], 0xe);  /* RTM_IFINFO */
	assert_int_equal(b[4], 0x10); /* RTA_IFP */
	assert_int_equal(b[8] | b[9] << 8, 0x8043); /* UP|BROADCAST|RUNNING|MULTICAST */
	assert_int_equal(b[12], 4);
	assert_int_equal(b[16], 6);   /* if_data.ifi_type IFT_ETHER */
	assert_int_equal(b[24] | b[25] << 8, 1400);
	const uint8_t *sdl = b + 168;
	assert_int_equal(sdl[0], 56);
	assert_int_equal(sdl[1], 18); /* AF_LINK */
	assert_int_equal(sdl[5], 4);  /* nlen */
	assert_int_equal(sdl[6], 6);  /* alen */
	assert_memory_equal(sdl + 8, "eth0", 4);
	assert_int_equal(sdl[12], 2);
	const uint8_t *ifa = b + 224;
	assert_int_equal(ifa[0], 68);
	assert_int_equal(ifa[3], 0xc); /* RTM_NEWADDR */
	assert_int_equal(ifa[4], 0x4 | 0x20 | 0x80);
	assert_int_equal(ifa[20], 16); /* netmask sockaddr_in */
	assert_int_equal(ifa[24 + 2], 255);
	assert_int_equal(ifa[24 + 3], 0);
	assert_int_equal(ifa[36 + 4], 192);
	assert_int_equal(ifa[52 + 7], 255); /* broadcast */
	const uint8_t *ifa6 = b + 292;
	assert_int_equal(ifa6[20], 28);
	assert_int_equal(ifa6[21], 28);
	assert_int_equal(ifa6[52 + 8], 0xfe);
	assert_int_equal(ifa6[52 + 24], 4); /* scope id of the link-local address */
	/* Only IPv6 addresses, and the L variant's header lengths. */
	n = rt_encode(NET_RT_IFLIST, 28, 0, &l, 1, a, 3, b, sizeof b);
	assert_int_equal(n, 224 + 84);
	n = rt_encode(NET_RT_IFLISTL, 0, 0, &l, 1, a, 3, b, sizeof b);
	assert_int_equal(n, 176 + 56 + 176 + 48 + 176 + 64);
	assert_int_equal(b[16] | b[17] << 8, 176); /* ifm_len */
	assert_int_equal(b[18] | b[19] << 8, 24);  /* ifm_data_off */
	assert_int_equal(rt_encode(NET_RT_IFLIST, 0, 9, &l, 1, a, 3, b, sizeof b), 0);
	/* Multicast groups: ifma_msghdr 16 + sockaddr_dl 56 + sockaddr_in 16. */
	n = rt_encode(NET_RT_IFMALIST, 0, 0, &l, 1, a, 3, b, sizeof b);
	assert_int_equal(n, 88);
	assert_int_equal(b[3], 0xf);
	assert_int_equal(b[72 + 4], 224);
	/* Never past the buffer. */
	memset(b, 0x5a, sizeof b);
	assert_int_equal(rt_encode(NET_RT_IFLIST, 0, 0, &l, 1, a, 3, b, 100), 376);
	assert_int_equal(b[100], 0x5a);
	assert_int_equal(ifflags_l2f(0x1000 | 0x8 | 0x1), 0x8009);
}

static void cmsg_ip_dstaddr(void **state)
{
	(void)state;
	uint8_t l[32] __attribute__((aligned(8)));
	struct lcmsghdr lh = { 28, 0, 8 }; /* IP_PKTINFO */
	memcpy(l, &lh, sizeof lh);
	uint8_t pi[12] = { 2, 0, 0, 0, 127, 0, 0, 1, 127, 0, 0, 9 };
	memcpy(l + 16, pi, 12);
	uint8_t back[32];
	int ff = 0, drop[1], nd;
	assert_int_equal(cmsg_l2f(l, 28, back, sizeof back, &ff, drop, 1, &nd), 24);
	struct fcmsghdr bh;
	memcpy(&bh, back, sizeof bh);
	assert_int_equal(bh.cmsg_len, 20);
	assert_int_equal(bh.cmsg_level, 0);
	assert_int_equal(bh.cmsg_type, 7); /* IP_RECVDSTADDR */
	assert_memory_equal(back + 16, pi + 8, 4);
	/* IP_SENDSRCADDR on the way out */
	uint8_t f[24] __attribute__((aligned(8))) = { 0 };
	struct fcmsghdr fh = { 20, 0, 7 };
	memcpy(f, &fh, sizeof fh);
	memcpy(f + 16, pi + 4, 4);
	uint8_t out[64] __attribute__((aligned(8)));
	size_t llen;
	struct lucred self = { 1, 2, 3 };
	assert_int_equal(cmsg_f2l(f, 20, out, sizeof out, &llen, &self), 0);
	memcpy(&lh, out, sizeof lh);
	assert_int_equal(lh.cmsg_type, 8);
	assert_int_equal(lh.cmsg_len, 28);
	assert_memory_equal(out + 16 + 4, pi + 4, 4);
	struct sockopt_xl x;
	assert_int_equal(sockopt_f2l(0, 7, 0, &x), 0);
	assert_int_equal(x.name, 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sockaddr_inet),      cmocka_unit_test(sockaddr_inet6),
		cmocka_unit_test(sockaddr_unix),      cmocka_unit_test(sockaddr_family),
		cmocka_unit_test(msg_flags),          cmocka_unit_test(cmsg_rights_both_ways),
		cmocka_unit_test(cmsg_creds),         cmocka_unit_test(cmsg_timestamp),
		cmocka_unit_test(sockopts),           cmocka_unit_test(poll_bits),
		cmocka_unit_test(kevent_layouts),     cmocka_unit_test(kevent_filters),
		cmocka_unit_test(route_iflist),       cmocka_unit_test(cmsg_ip_dstaddr),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
