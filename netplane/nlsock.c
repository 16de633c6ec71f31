/* See nlsock.h. */
#include "nlsock.h"
#include <netlink/errno.h>
#include <stdarg.h>
#include <stdio.h>

struct nl_sock *nlsock_open(struct lerr *e)
{
	struct nl_sock *sk = nl_socket_alloc();
	if (!sk) {
		lerr_set(e, LX_LOCHS, "netlink: out of memory");
		return NULL;
	}
	int err = nl_connect(sk, NETLINK_ROUTE);
	if (err < 0) {
		nlsock_err(e, err, "netlink connect");
		nl_socket_free(sk);
		return NULL;
	}
	return sk;
}

int nlsock_err(struct lerr *e, int err, const char *fmt, ...)
{
	char what[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return lerr_set(e, LX_LOCHS, "%s: %s", what, nl_geterror(err));
}
