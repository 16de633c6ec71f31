/* Probe: interface ioctls on an AF_INET datagram socket and net.route
 * NET_RT_DUMP. Numbers and layouts: FreeBSD sys/sockio.h (group 'i'),
 * net/if.h (struct ifreq 32 bytes, ifconf 16, ifaliasreq 68; IFF_UP 0x1,
 * IFF_LOOPBACK 0x8), net/route.h (rt_msghdr 152 bytes, RTA_DST 1,
 * RTA_NETMASK 4; RTM_GET 4, RTM_VERSION 5, RTA_IFP 0x10, RTF_UP 0x1,
 * RTF_DONE 0x40; sockaddr_dl: nlen at 5, name at 8). Linux lo is FreeBSD lo0.
 * usage: ifnet [add]   add: in a fresh network namespace, SIOCAIFADDR
 * 10.99.0.1/24 to lo0, see it in SIOCGIFCONF and the route table, and
 * leave it for the runner to find with ip(8). */
#include "probe.h"

#define SIOCSIFFLAGS 0x80206910u
#define SIOCGIFFLAGS 0xc0206911u
#define SIOCGIFADDR 0xc0206921u
#define SIOCGIFCONF 0xc0106924u
#define SIOCGIFNETMASK 0xc0206925u
#define SIOCGIFINDEX 0xc0206920u
#define SIOCGIFMTU 0xc0206933u
#define SIOCAIFADDR 0x8044692bu
#define SIOCDIFADDR 0x80206919u
#define SYS_ioctl 54

struct ifreq {
	char name[16];
	union {
		unsigned char sa[16];
		short flags[2];
		int val;
	};
};
struct ifconf {
	int len, pad;
	void *buf;
};
struct ifaliasreq {
	char name[16];
	unsigned char addr[16], brd[16], mask[16];
	int vhid;
};

static unsigned char ent[4096];
static unsigned char dump[16384];

static void sin(unsigned char *sa, unsigned a, unsigned b, unsigned c, unsigned d)
{
	for (int i = 0; i < 16; i++)
		sa[i] = 0;
	sa[0] = 16;
	sa[1] = 2;
	sa[4] = (unsigned char)a, sa[5] = (unsigned char)b, sa[6] = (unsigned char)c, sa[7] = (unsigned char)d;
}

static void req(struct ifreq *r, const char *name)
{
	unsigned char *p = (unsigned char *)r;
	for (unsigned i = 0; i < sizeof *r; i++)
		p[i] = 0;
	for (int i = 0; name[i]; i++)
		r->name[i] = name[i];
}

/* Does SIOCGIFCONF list NAME with the IPv4 address a.b.c.d? */
static int conf_has(int s, const char *name, unsigned addr)
{
	struct ifconf c = { sizeof ent, 0, ent };
	if (SYS(SYS_ioctl, s, SIOCGIFCONF, &c).cf)
		return -1;
	for (int off = 0; off + 32 <= c.len;) {
		const unsigned char *e = ent + off;
		unsigned sl = e[16];
		unsigned a = (unsigned)e[20] << 24 | (unsigned)e[21] << 16 | (unsigned)e[22] << 8 | e[23];
		if (rt_streq((const char *)e, name) && e[17] == 2 && a == addr)
			return 1;
		off += sl > 16 ? 16 + (int)sl : 32;
	}
	return 0;
}

/* Does NET_RT_DUMP hold 10.99.0.0/24 on interface INDEX? */
static int dump_has(int index)
{
	int mib[6] = {4 /* CTL_NET */, 17 /* PF_ROUTE */, 0, 2 /* AF_INET */, 1 /* NET_RT_DUMP */, 0};
	u64 len = sizeof dump;
	if (SYS(SYS___sysctl, mib, 6, dump, &len, 0, 0).cf)
		return -1;
	for (u64 off = 0; off + 152 <= len;) {
		const unsigned char *m = dump + off;
		unsigned ml = m[0] | m[1] << 8, idx = m[4] | m[5] << 8;
		int addrs = m[12] | m[13] << 8;
		const unsigned char *dst = m + 152;
		if (ml == 0)
			break;
		if ((addrs & 5) == 5 && idx == (unsigned)index && dst[1] == 2 && dst[4] == 10 &&
		    dst[5] == 99 && dst[6] == 0 && dst[7] == 0)
			return 1;
		off += ml;
	}
	return 0;
}

/* RTM_GET 127.0.0.1 on a PF_ROUTE socket: the answer is read back from the
 * same socket with our pid and sequence number and names lo0. */
static void route_get_lo(void)
{
	sysret r = SYS(SYS_socket, 17 /* PF_ROUTE */, 3 /* SOCK_RAW */, 0);
	CHECK_OK("socket(PF_ROUTE, SOCK_RAW)", r);
	int rs = (int)r.val;
	unsigned char *m = ent;
	for (unsigned i = 0; i < 168; i++)
		m[i] = 0;
	m[0] = 168;     /* rtm_msglen: header + one sockaddr_in */
	m[2] = 5;       /* RTM_VERSION */
	m[3] = 4;       /* RTM_GET */
	m[12] = 1;      /* rtm_addrs RTA_DST */
	m[20] = 77;     /* rtm_seq */
	sin(m + 152, 127, 0, 0, 1);
	CHECK_EQ("write RTM_GET 127.0.0.1", (int)SYS(SYS_write, rs, m, 168).val, 168);
	r = SYS(SYS_read, rs, ent, sizeof ent);
	CHECK_OK("read the answer", r);
	int pid = (int)SYS(SYS_getpid).val;
	CHECK_EQ("... RTM_GET, version 5", m[3] << 8 | m[2], 0x0405);
	CHECK_EQ("... rtm_seq 77, our rtm_pid", (m[20] == 77) + ((m[16] | m[17] << 8 | m[18] << 16 | m[19] << 24) == pid), 2);
	CHECK_EQ("... RTF_UP|RTF_DONE", m[8] & 0x41, 0x41);
	int addrs = m[12] | m[13] << 8;
	CHECK_EQ("... RTA_DST|RTA_IFP", addrs & 0x11, 0x11);
	/* dst (16), gateway sockaddr_dl (56), netmask (16), then the ifp sockaddr_dl */
	const unsigned char *dl = m + 152 + 16 + 56 + ((addrs & 4) ? 16 : 0);
	CHECK_EQ("... ifp is lo0", dl[1] == 18 && dl[5] == 3 && dl[8] == 'l' && dl[9] == 'o' && dl[10] == '0', 1);
	SYS(SYS_close, rs);
}

int main(int argc, char **argv)
{
	int add = argc > 1 && rt_streq(argv[1], "add");
	sysret r = SYS(SYS_socket, 2, 2, 0);
	CHECK_OK("socket(AF_INET, SOCK_DGRAM)", r);
	int s = (int)r.val;
	struct ifreq q;

	CHECK_EQ("SIOCGIFCONF lists lo0 with 127.0.0.1", conf_has(s, "lo0", 0x7f000001u), 1);
	req(&q, "lo0");
	CHECK_OK("SIOCGIFFLAGS lo0", SYS(SYS_ioctl, s, SIOCGIFFLAGS, &q));
	CHECK_EQ("... IFF_UP|IFF_LOOPBACK", q.flags[0] & 0x9, 0x9);
	req(&q, "lo0");
	CHECK_OK("SIOCGIFMTU lo0", SYS(SYS_ioctl, s, SIOCGIFMTU, &q));
	CHECK_EQ("... 65536", q.val, 65536);
	req(&q, "lo0");
	CHECK_OK("SIOCGIFNETMASK lo0", SYS(SYS_ioctl, s, SIOCGIFNETMASK, &q));
	CHECK_EQ("... 255.0.0.0", (u32)q.sa[4] << 24 | (u32)q.sa[5] << 16 | (u32)q.sa[6] << 8 | q.sa[7], 0xff000000u);
	req(&q, "lo0");
	CHECK_OK("SIOCGIFADDR lo0", SYS(SYS_ioctl, s, SIOCGIFADDR, &q));
	CHECK_EQ("... AF_INET 127.0.0.1", q.sa[1] << 24 | q.sa[4] << 16 | q.sa[7], 0x027f0001);
	req(&q, "lo0");
	CHECK_OK("SIOCGIFINDEX lo0", SYS(SYS_ioctl, s, SIOCGIFINDEX, &q));
	int index = q.val;
	CHECK("... > 0", index > 0);
	req(&q, "lo");
	CHECK_ERR("SIOCGIFFLAGS lo (Linux's name): ENXIO", SYS(SYS_ioctl, s, SIOCGIFFLAGS, &q), 6);
	req(&q, "lo0");
	CHECK_ERR("SIOCGIFFLAGS on a closed fd: EBADF", SYS(SYS_ioctl, 99, SIOCGIFFLAGS, &q), 9);
	route_get_lo();

	if (add) {
		struct ifaliasreq a;
		req((struct ifreq *)&a, "lo0");
		unsigned char *p = (unsigned char *)&a;
		for (unsigned i = 16; i < sizeof a; i++)
			p[i] = 0;
		sin(a.addr, 10, 99, 0, 1);
		sin(a.mask, 255, 255, 255, 0);
		CHECK_OK("SIOCAIFADDR lo0 10.99.0.1/24", SYS(SYS_ioctl, s, SIOCAIFADDR, &a));
		CHECK_EQ("SIOCGIFCONF lists lo0 with 10.99.0.1", conf_has(s, "lo0", 0x0a630001u), 1);
		CHECK_EQ("NET_RT_DUMP has 10.99.0.0/24 on lo0", dump_has(index), 1);
		sin(a.addr, 10, 99, 0, 2);
		CHECK_OK("SIOCAIFADDR lo0 10.99.0.2/24", SYS(SYS_ioctl, s, SIOCAIFADDR, &a));
		req(&q, "lo0");
		sin(q.sa, 10, 99, 0, 2);
		CHECK_OK("SIOCDIFADDR lo0 10.99.0.2", SYS(SYS_ioctl, s, SIOCDIFADDR, &q));
		CHECK_EQ("... gone from SIOCGIFCONF", conf_has(s, "lo0", 0x0a630002u), 0);
		CHECK_ERR("SIOCDIFADDR again: EADDRNOTAVAIL", SYS(SYS_ioctl, s, SIOCDIFADDR, &q), 49);
		req(&q, "lo0");
		q.flags[0] = 0x8; /* LOOPBACK without UP: down */
		CHECK_OK("SIOCSIFFLAGS lo0 down", SYS(SYS_ioctl, s, SIOCSIFFLAGS, &q));
		req(&q, "lo0");
		SYS(SYS_ioctl, s, SIOCGIFFLAGS, &q);
		CHECK_EQ("... IFF_UP clear", q.flags[0] & 0x1, 0);
		q.flags[0] |= 0x1;
		CHECK_OK("SIOCSIFFLAGS lo0 up", SYS(SYS_ioctl, s, SIOCSIFFLAGS, &q));
		SYS(SYS_ioctl, s, SIOCGIFFLAGS, &q);
		CHECK_EQ("... IFF_UP set", q.flags[0] & 0x1, 1);
	}
	return rt_done();
}
