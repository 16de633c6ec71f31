/* FreeBSD's own netlink (AF_NETLINK 38, FreeBSD 14's ifconfig, route,
 * netstat, arp through snl(3)) on Linux netlink: fnetlink.c is the socket
 * (open, send, receive, options), fnlmsg.c rewrites the messages. Facts:
 * FreeBSD sys/netlink/netlink.h, route/{common,interface,ifaddrs,route}.h. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#define FAF_NETLINK 38
#define FSOL_NETLINK 270 /* same level number as Linux */
#define FNETLINK_MSG_INFO 257 /* FreeBSD only: originator cmsg (not given) */

/* Rewrites the FreeBSD requests in in[0..len) for a Linux socket of
 * protocol proto (NETLINK_ROUTE 0, NETLINK_GENERIC 16) into out (cap bytes);
 * returns the length written, or -EMSGSIZE if it did not fit. */
long fnl_req_f2l(int proto, const uint8_t *in, size_t len, uint8_t *out, size_t cap);
/* Rewrites one Linux datagram (replies, acks, notifications; mcast: it
 * came to a multicast group) into out as FreeBSD sends it, dropping what
 * FreeBSD would not list; returns the length written (0: nothing left),
 * never more than cap. */
size_t fnl_rep_l2f(int proto, const uint8_t *in, size_t len, uint8_t *out, size_t cap, int mcast);

/* The socket (fnetlink.c), hooked from socket.c, sockmsg.c, sockoptsys.c
 * and file.c for descriptors marked SF_FNETLINK. */
struct rs_iov;
long fnl_open(int ftype, int proto);
long fnl_send(int fd, const struct rs_iov *iov, int iovcnt, int lflags);
/* One datagram into iov; name/namelen: the FreeBSD sockaddr_nl of the
 * sender (may be NULL); *fflags gets FreeBSD MSG_TRUNC. Bytes, or -errno. */
long fnl_recv(int fd, const struct rs_iov *iov, int iovcnt, int lflags, void *name,
	      uint32_t *namelen, int *fflags);
long fnl_setsockopt(int fd, int name, const void *val, int len);
long fnl_getsockopt(int fd, int name, void *val, uint32_t *len);
