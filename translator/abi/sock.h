/* Sockets: FreeBSD layouts (structs.md §4), Linux counterparts, and the
 * pure converters in sockaddr.c, sockopt.c and msghdr.c. No Linux UAPI
 * headers here, so the unit tests can include it next to libc. */
#pragma once
#include <stddef.h>
#include <stdint.h>

/* Address families (constants.md "Socket domains"). */
#define FAF_UNSPEC 0
#define FAF_UNIX 1
#define FAF_INET 2
#define FAF_INET6 28
#define LAF_INET6 10

#define FSOCK_CLOEXEC 0x10000000
#define FSOCK_NONBLOCK 0x20000000
#define LSOCK_CLOEXEC 0x80000
#define LSOCK_NONBLOCK 0x800

#define FSOL_SOCKET 0xffff
#define LSOL_SOCKET 1
#define FSOCK_MAXADDRLEN 255

/* FreeBSD sockaddrs: a length byte, then a one-byte family. */
struct fsockaddr {
	uint8_t sa_len, sa_family;
	char sa_data[14];
};
struct fsockaddr_un {
	uint8_t sun_len, sun_family;
	char sun_path[104];
};
_Static_assert(sizeof(struct fsockaddr_un) == 106, "fsockaddr_un");
#define FSOCKADDR_IN_LEN 16
#define FSOCKADDR_IN6_LEN 28
#define LSOCKADDR_UN_PATH 108

/* Big enough for any Linux sockaddr the kernel returns (sockaddr_storage). */
struct lsockaddr_buf {
	uint16_t family;
	char data[126];
} __attribute__((aligned(8)));

/* FreeBSD guest sockaddr (flen bytes) -> Linux. 0 or -linux_errno. */
int sa_f2l(const void *fsa, uint32_t flen, struct lsockaddr_buf *out, uint32_t *llen);
/* Linux sockaddr (llen bytes) -> FreeBSD, writing at most cap bytes to out.
 * Returns the full FreeBSD length (sa_len); FreeBSD reports
 * min(full, cap) to the caller. */
uint32_t sa_l2f(const void *lsa, uint32_t llen, void *out, uint32_t cap);
int family_f2l(int f);
int family_l2f(int l);

/* msghdr/cmsghdr (structs.md §4). */
struct fmsghdr {
	uint64_t msg_name;
	uint32_t msg_namelen, pad0;
	uint64_t msg_iov;
	int32_t msg_iovlen, pad1;
	uint64_t msg_control;
	uint32_t msg_controllen;
	int32_t msg_flags;
};
_Static_assert(sizeof(struct fmsghdr) == 48, "fmsghdr");
_Static_assert(offsetof(struct fmsghdr, msg_iovlen) == 24, "msg_iovlen");
_Static_assert(offsetof(struct fmsghdr, msg_controllen) == 40, "msg_controllen");

struct lmsghdr {
	uint64_t msg_name;
	int32_t msg_namelen, pad0;
	uint64_t msg_iov;
	uint64_t msg_iovlen;
	uint64_t msg_control;
	uint64_t msg_controllen;
	int32_t msg_flags, pad1;
};
_Static_assert(sizeof(struct lmsghdr) == 56, "lmsghdr");

struct fcmsghdr {
	uint32_t cmsg_len;
	int32_t cmsg_level, cmsg_type;
};
_Static_assert(sizeof(struct fcmsghdr) == 12, "fcmsghdr");
struct lcmsghdr {
	uint64_t cmsg_len;
	int32_t cmsg_level, cmsg_type;
};
#define CMSG_HDR 16 /* data offset on both sides: _ALIGN(12) and 16 */
#define CMSG_AL(n) (((n) + 7) & ~(size_t)7)

struct fcmsgcred {
	int32_t cmcred_pid;
	uint32_t cmcred_uid, cmcred_euid, cmcred_gid;
	int16_t cmcred_ngroups, pad;
	uint32_t cmcred_groups[16];
};
_Static_assert(sizeof(struct fcmsgcred) == 84, "cmsgcred");
_Static_assert(offsetof(struct fcmsgcred, cmcred_groups) == 20, "cmcred_groups");

struct fxucred {
	uint32_t cr_version;
	uint32_t cr_uid;
	int16_t cr_ngroups, pad;
	uint32_t cr_groups[16];
	uint32_t pad2;
	union {
		uint64_t unused1;
		int32_t cr_pid;
	};
};
_Static_assert(sizeof(struct fxucred) == 88, "xucred");
_Static_assert(offsetof(struct fxucred, cr_groups) == 12, "cr_groups");
_Static_assert(offsetof(struct fxucred, cr_pid) == 80, "cr_pid");

struct lucred {
	int32_t pid;
	uint32_t uid, gid;
};

/* MSG_* flags (constants.md). */
#define FMSG_OOB 0x1
#define FMSG_PEEK 0x2
#define FMSG_DONTROUTE 0x4
#define FMSG_EOR 0x8
#define FMSG_TRUNC 0x10
#define FMSG_CTRUNC 0x20
#define FMSG_WAITALL 0x40
#define FMSG_DONTWAIT 0x80
#define FMSG_EOF 0x100
#define FMSG_NBIO 0x4000
#define FMSG_NOSIGNAL 0x20000
#define FMSG_CMSG_CLOEXEC 0x40000
#define FMSG_WAITFORONE 0x80000
#define LMSG_TRUNC 0x20
#define LMSG_CTRUNC 0x8
#define LMSG_DONTWAIT 0x40
#define LMSG_NOSIGNAL 0x4000
#define LMSG_CMSG_CLOEXEC 0x40000000

/* Flags a caller passes (send/recv): unknown bits -> *bad = 1. */
int msgflags_f2l(int f, int *bad);
/* msg_flags the kernel returns. */
int msgflags_l2f(int l);

/* Control messages. FreeBSD -> Linux for sendmsg: writes at most lcap
 * bytes, sets *llen; 0 or -linux_errno. `self` supplies SCM_CREDS. */
int cmsg_f2l(const void *fctl, uint32_t flen, void *lctl, size_t lcap, size_t *llen,
	     const struct lucred *self);
/* Linux -> FreeBSD for recvmsg: writes at most fcap bytes, returns the bytes
 * used and adds FMSG_CTRUNC to *fflags when something did not fit. File
 * descriptors that did not fit are stored in drop[] (up to ndrop_max) for
 * the caller to close; *ndrop counts them. */
uint32_t cmsg_l2f(const void *lctl, size_t llen, void *fctl, uint32_t fcap, int *fflags,
		  int *drop, int ndrop_max, int *ndrop);
/* Same, with the layout Linux SCM_CREDENTIALS becomes: struct cmsgcred
 * (a sender's SCM_CREDS), struct sockcred (receiver set LOCAL_CREDS) or
 * struct sockcred2 as SCM_CREDS2 (LOCAL_CREDS_PERSISTENT). *gotcreds is
 * set when credentials were delivered. */
#define CRED_CMSGCRED 0
#define CRED_SOCKCRED 1
#define CRED_SOCKCRED2 2
uint32_t cmsg_l2f_creds(const void *lctl, size_t llen, void *fctl, uint32_t fcap, int *fflags,
			int *drop, int ndrop_max, int *ndrop, int credfmt, int *gotcreds);

struct fsockcred {
	uint32_t sc_uid, sc_euid, sc_gid, sc_egid;
	int32_t sc_ngroups;
	uint32_t sc_groups[1];
};
_Static_assert(sizeof(struct fsockcred) == 24, "sockcred");
struct fsockcred2 {
	int32_t sc_version, sc_pid;
	uint32_t sc_uid, sc_euid, sc_gid, sc_egid;
	int32_t sc_ngroups;
	uint32_t sc_groups[1];
};
_Static_assert(sizeof(struct fsockcred2) == 32, "sockcred2");

/* Socket options (sockopt.c). */
enum sockopt_kind {
	SO_K_INT,      /* int-sized value, same meaning */
	SO_K_RAW,      /* pass bytes through (timeval, linger, mreq, strings) */
	SO_K_BUFSIZE,  /* Linux reports double the size set */
	SO_K_ERRNO,    /* value is an errno */
	SO_K_FAMILY,   /* value is an address family */
	SO_K_NOSIGPIPE,
	SO_K_PEERCRED, /* LOCAL_PEERCRED -> struct xucred */
	SO_K_IGNORE,   /* accepted and ignored on set; 0 on get */
	SO_K_SETONLY_OK, /* Linux cannot set it: accept set, pass get */
	SO_K_LOCALCREDS, /* LOCAL_CREDS(_PERSISTENT): SO_PASSCRED + remembered */
};
struct sockopt_xl {
	int level, name; /* Linux */
	enum sockopt_kind kind;
};
/* unix_level0: the socket is AF_UNIX (FreeBSD level 0 is then SOL_LOCAL).
 * Returns 0 and fills *x, or -linux_errno (ENOPROTOOPT) if unknown. */
int sockopt_f2l(int level, int name, int unix_level0, struct sockopt_xl *x);

#define FSO_NOSIGPIPE 0x800
