/* One connected NETLINK_ROUTE socket for a netplane call. */
#pragma once
#include <netlink/netlink.h>
#include "../common/err.h"

struct nl_sock *nlsock_open(struct lerr *e);
/* libnl's negative error code as an lerr ("WHAT: MESSAGE"). */
int nlsock_err(struct lerr *e, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
