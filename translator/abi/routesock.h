/* PF_ROUTE sockets inside the translator: routesock.c (open, requests,
 * options), rsqueue.c (what a read returns), rtnotify.c (rtnetlink
 * notifications as FreeBSD routing messages). */
#pragma once
#include <stddef.h>
#include <stdint.h>

#define RS_MSGMAX 512 /* the longest message made here (RTM_GET answer: 432) */

struct nlmsghdr;
struct nr_route;
/* One rtnetlink notification as a FreeBSD routing message in out; 0 when
 * FreeBSD would say nothing. *is_route: it was a route change, *r holds it. */
size_t rtn_translate(const struct nlmsghdr *h, uint8_t *out, size_t cap, struct nr_route *r,
		     int *is_route);

/* Per-socket state, found by the socket's inode so dup, fork and any
 * descriptor number share it. */
void rs_attach(int fd);
/* Queues an answer for the writer (RTM_GET) and makes the descriptor
 * readable in order with the notifications (a netlink NOOP ack). */
long rs_answer(int fd, const void *msg, unsigned len);
/* The notification of a route this socket's writer changed carries the
 * writer's pid and rtm_seq (or is not delivered: SO_USELOOPBACK off). */
void rs_expect(int fd, int type, const struct nr_route *r, int32_t pid, int32_t seq);
void rs_set_loopback(int fd, int on);
/* shutdown: how 0 reading or 2 both: reads say EOF once the queue is empty
 * (writing is not tracked: requests still work, as route(8) expects). */
void rs_shutdown(int fd, int how);
