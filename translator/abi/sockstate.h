/* Socket state shared by the socket files and the close hook. */
#pragma once
#include <stdint.h>
#include "sock.h"

/* SO_NOSIGPIPE has no Linux counterpart: remembered per descriptor and
 * applied as MSG_NOSIGNAL on every send. */
#define SF_NOSIGPIPE 0x1
#define SF_CREDS 0x2        /* LOCAL_CREDS: sockcred on the next message */
#define SF_CREDS2 0x4       /* LOCAL_CREDS_PERSISTENT: sockcred2 on every one */
#define SF_ROUTE 0x8        /* a PF_ROUTE socket (routesock.c): writes are requests */
#define SF_FNETLINK 0x10    /* a FreeBSD AF_NETLINK socket (fnetlink.c): messages rewritten */
#define SF_SOERROR 0x20     /* sockerr.c holds the socket's pending error */
#define SF_SUNLEN 0x40      /* sockunix.c holds the unix address's bound length */
void sock_set_flag(int fd, int flag, int on);
int sock_flags(int fd);
void sock_set_nosigpipe(int fd, int on);
int sock_nosigpipe(int fd);
/* The pending socket error (sockerr.c), a Linux errno or 0. peek: the kept
 * one, or with ask the kernel's (then kept); take: the kept one, cleared;
 * recv: the -errno a receive must fail with (peek: MSG_PEEK), or 0. */
int sock_error_peek(int fd, int ask);
int sock_error_take(int fd);
long sock_error_recv(int fd, int peek);
void sock_error_dup(int oldfd, int newfd);
/* Unix sockets' bound length (sockunix.c): recorded by bind (flen: its
 * namelen), carried by dup and accept; name_out writes getsockname's
 * answer with it and returns 1, or returns 0 when it has none. */
void sock_unix_bound(int fd, uint32_t flen);
void sock_unix_dup(int oldfd, int newfd);
int sock_unix_name_out(int fd, const struct lsockaddr_buf *la, uint32_t llen, void *name,
		       uint32_t *namelen);
/* Forgets everything about fd (new socket, or closed). */
void sock_fd_reset(int fd);
/* Linux send flags for FreeBSD flags on socket s (adds MSG_NOSIGNAL). */
int sock_send_flags(int s, int fflags);
/* Writes a Linux address to a guest (name, *namelen) pair, FreeBSD style. */
void sock_name_out(const struct lsockaddr_buf *la, uint32_t llen, void *name, uint32_t *namelen);
/* PF_ROUTE (routesock.c, rsqueue.c): a netlink socket whose writes are
 * FreeBSD requests and whose reads are FreeBSD routing messages. */
long routesock_open(int ftype, int proto);
long routesock_write(int fd, const void *buf, uint64_t len);
struct rs_iov {
	void *base;
	uint64_t len;
};
/* One message into iov; lflags: Linux MSG_DONTWAIT/MSG_PEEK; *fflags gets
 * FreeBSD MSG_TRUNC. Bytes, or -errno. */
long routesock_recv(int fd, const struct rs_iov *iov, int iovcnt, int lflags, int *fflags);
/* SO_USELOOPBACK, which only routing sockets honour. */
long routesock_setopt(int fd, const void *val, int len);
/* shutdown(2): netlink has none; route(8) shuts reading before it writes. */
long routesock_shutdown(int fd, int how);
