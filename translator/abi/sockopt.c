/* Socket option names, FreeBSD -> Linux (constants.md "SOL_SOCKET options"
 * and "IPPROTO_* and common IP/IPv6/TCP options"). Pure: no system calls. */
#include "sock.h"

#define L_ENOPROTOOPT 92
#define L_IPPROTO_IP 0
#define L_IPPROTO_TCP 6
#define L_IPPROTO_UDP 17
#define L_IPPROTO_IPV6 41

struct optrow {
	int f, l;
	enum sockopt_kind kind;
};

static const struct optrow sol_socket[] = {
	{ 0x1, 1, SO_K_INT },           /* SO_DEBUG */
	{ 0x2, 30, SO_K_INT },          /* SO_ACCEPTCONN */
	{ 0x4, 2, SO_K_INT },           /* SO_REUSEADDR */
	{ 0x8, 9, SO_K_INT },           /* SO_KEEPALIVE */
	{ 0x10, 5, SO_K_INT },          /* SO_DONTROUTE */
	{ 0x20, 6, SO_K_INT },          /* SO_BROADCAST */
	{ 0x40, 0, SO_K_IGNORE },       /* SO_USELOOPBACK */
	{ 0x80, 13, SO_K_RAW },         /* SO_LINGER: struct linger, same */
	{ 0x100, 10, SO_K_INT },        /* SO_OOBINLINE */
	{ 0x200, 15, SO_K_INT },        /* SO_REUSEPORT */
	{ 0x400, 29, SO_K_INT },        /* SO_TIMESTAMP */
	{ FSO_NOSIGPIPE, 0, SO_K_NOSIGPIPE },
	{ 0x4000, 0, SO_K_IGNORE },     /* SO_NO_OFFLOAD */
	{ 0x8000, 0, SO_K_IGNORE },     /* SO_NO_DDP */
	{ 0x10000, 15, SO_K_INT },      /* SO_REUSEPORT_LB ~ Linux SO_REUSEPORT */
	{ 0x1001, 7, SO_K_BUFSIZE },    /* SO_SNDBUF */
	{ 0x1002, 8, SO_K_BUFSIZE },    /* SO_RCVBUF */
	{ 0x1003, 19, SO_K_SETONLY_OK },/* SO_SNDLOWAT: fixed on Linux */
	{ 0x1004, 18, SO_K_INT },       /* SO_RCVLOWAT */
	{ 0x1005, 21, SO_K_RAW },       /* SO_SNDTIMEO: struct timeval, same */
	{ 0x1006, 20, SO_K_RAW },       /* SO_RCVTIMEO */
	{ 0x1007, 4, SO_K_ERRNO },      /* SO_ERROR */
	{ 0x1008, 3, SO_K_INT },        /* SO_TYPE: SOCK_* values agree */
	{ 0x1014, 0, SO_K_IGNORE },     /* SO_SETFIB: only fib 0 here */
	{ 0x1016, 38, SO_K_INT },       /* SO_PROTOCOL */
	{ 0x1018, 47, SO_K_INT },       /* SO_MAX_PACING_RATE */
	{ 0x1019, 39, SO_K_FAMILY },    /* SO_DOMAIN */
};

static const struct optrow ip_opts[] = {
	{ 1, 4, SO_K_RAW },    /* IP_OPTIONS */
	{ 2, 3, SO_K_INT },    /* IP_HDRINCL */
	{ 3, 1, SO_K_INT },    /* IP_TOS */
	{ 4, 2, SO_K_INT },    /* IP_TTL */
	{ 5, 6, SO_K_INT },    /* IP_RECVOPTS */
	{ 6, 7, SO_K_INT },    /* IP_RECVRETOPTS */
	{ 7, 8, SO_K_INT },    /* IP_RECVDSTADDR -> IP_PKTINFO (cmsg rewritten) */
	{ 8, 7, SO_K_RAW },    /* IP_RETOPTS */
	{ 9, 32, SO_K_RAW },   /* IP_MULTICAST_IF: in_addr or ip_mreqn, same */
	{ 10, 33, SO_K_RAW },  /* IP_MULTICAST_TTL: u_char or int on both */
	{ 11, 34, SO_K_RAW },  /* IP_MULTICAST_LOOP */
	{ 12, 35, SO_K_RAW },  /* IP_ADD_MEMBERSHIP: ip_mreq(n), same */
	{ 13, 36, SO_K_RAW },  /* IP_DROP_MEMBERSHIP */
	{ 19, 0, SO_K_IGNORE },/* IP_PORTRANGE: one ephemeral range here */
	{ 24, 19, SO_K_INT },  /* IP_BINDANY ~ IP_FREEBIND */
	{ 65, 12, SO_K_INT },  /* IP_RECVTTL */
	{ 66, 21, SO_K_INT },  /* IP_MINTTL */
	{ 68, 13, SO_K_INT },  /* IP_RECVTOS */
};

static const struct optrow ipv6_opts[] = {
	{ 4, 16, SO_K_INT },   /* IPV6_UNICAST_HOPS */
	{ 9, 17, SO_K_INT },   /* IPV6_MULTICAST_IF (u_int ifindex) */
	{ 10, 18, SO_K_INT },  /* IPV6_MULTICAST_HOPS */
	{ 11, 19, SO_K_INT },  /* IPV6_MULTICAST_LOOP */
	{ 12, 20, SO_K_RAW },  /* IPV6_JOIN_GROUP: ipv6_mreq, same */
	{ 13, 21, SO_K_RAW },  /* IPV6_LEAVE_GROUP */
	{ 14, 0, SO_K_IGNORE },/* IPV6_PORTRANGE */
	{ 26, 7, SO_K_INT },   /* IPV6_CHECKSUM */
	{ 27, 26, SO_K_INT },  /* IPV6_V6ONLY */
	{ 36, 49, SO_K_INT },  /* IPV6_RECVPKTINFO */
	{ 37, 51, SO_K_INT },  /* IPV6_RECVHOPLIMIT */
	{ 46, 50, SO_K_RAW },  /* IPV6_PKTINFO */
	{ 57, 66, SO_K_INT },  /* IPV6_RECVTCLASS */
	{ 61, 67, SO_K_INT },  /* IPV6_TCLASS */
	{ 62, 62, SO_K_INT },  /* IPV6_DONTFRAG */
};

static const struct optrow tcp_opts[] = {
	{ 1, 1, SO_K_INT },      /* TCP_NODELAY */
	{ 2, 2, SO_K_INT },      /* TCP_MAXSEG */
	{ 4, 3, SO_K_INT },      /* TCP_NOPUSH ~ TCP_CORK */
	{ 8, 0, SO_K_IGNORE },   /* TCP_NOOPT */
	{ 64, 13, SO_K_RAW },    /* TCP_CONGESTION: name string */
	{ 128, 0, SO_K_IGNORE }, /* TCP_KEEPINIT */
	{ 256, 4, SO_K_INT },    /* TCP_KEEPIDLE (seconds on both) */
	{ 512, 5, SO_K_INT },    /* TCP_KEEPINTVL */
	{ 1024, 6, SO_K_INT },   /* TCP_KEEPCNT */
	{ 1025, 23, SO_K_INT },  /* TCP_FASTOPEN */
};

static const struct optrow local_opts[] = {
	{ 1, 17, SO_K_PEERCRED }, /* LOCAL_PEERCRED -> SO_PEERCRED */
	{ 2, 16, SO_K_LOCALCREDS }, /* LOCAL_CREDS -> SO_PASSCRED */
	{ 3, 16, SO_K_LOCALCREDS }, /* LOCAL_CREDS_PERSISTENT -> SO_PASSCRED */
	{ 4, 0, SO_K_IGNORE },    /* LOCAL_CONNWAIT */
};

static int lookup(const struct optrow *t, unsigned n, int name, int llevel, struct sockopt_xl *x)
{
	for (unsigned i = 0; i < n; i++)
		if (t[i].f == name) {
			x->level = llevel;
			x->name = t[i].l;
			x->kind = t[i].kind;
			return 0;
		}
	return -L_ENOPROTOOPT;
}

#define LOOKUP(t, name, lvl, x) lookup(t, sizeof t / sizeof t[0], name, lvl, x)

int sockopt_f2l(int level, int name, int unix_level0, struct sockopt_xl *x)
{
	switch (level) {
	case FSOL_SOCKET:
		return LOOKUP(sol_socket, name, LSOL_SOCKET, x);
	case L_IPPROTO_IP:
		if (unix_level0) /* SOL_LOCAL: LOCAL_* options live at SOL_SOCKET */
			return LOOKUP(local_opts, name, LSOL_SOCKET, x);
		return LOOKUP(ip_opts, name, L_IPPROTO_IP, x);
	case L_IPPROTO_IPV6:
		return LOOKUP(ipv6_opts, name, L_IPPROTO_IPV6, x);
	case L_IPPROTO_TCP:
		return LOOKUP(tcp_opts, name, L_IPPROTO_TCP, x);
	case L_IPPROTO_UDP:
		return -L_ENOPROTOOPT;
	default:
		return -L_ENOPROTOOPT;
	}
}
