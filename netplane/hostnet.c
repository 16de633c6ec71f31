/* See hostnet.h. */
#include "hostnet.h"
#include "nlsock.h"
#include <netlink/route/addr.h>
#include <netlink/route/route.h>
#include <stdlib.h>
#include <string.h>

static void push(struct np_cidr **out, size_t *n, struct nl_addr *a)
{
	if (!a || nl_addr_get_prefixlen(a) == 0)
		return;
	int fam = nl_addr_get_family(a);
	unsigned len = nl_addr_get_len(a);
	if (!((fam == AF_INET && len == 4) || (fam == AF_INET6 && len == 16)))
		return;
	struct np_cidr *m = realloc(*out, (*n + 1) * sizeof **out);
	if (!m)
		return;
	*out = m;
	struct np_cidr *c = &m[(*n)++];
	memset(c, 0, sizeof *c);
	c->family = fam;
	memcpy(c->a, nl_addr_get_binary_addr(a), len);
	c->prefix = (int)nl_addr_get_prefixlen(a);
}

int hostnet_prefixes(struct np_cidr **out, size_t *n, struct lerr *e)
{
	struct nl_sock *sk = nlsock_open(e);
	if (!sk)
		return -1;
	struct nl_cache *routes = NULL, *addrs = NULL;
	int err = rtnl_route_alloc_cache(sk, AF_UNSPEC, 0, &routes);
	if (err >= 0)
		err = rtnl_addr_alloc_cache(sk, &addrs);
	if (err < 0) {
		nl_cache_free(routes);
		nl_socket_free(sk);
		return nlsock_err(e, err, "read host routes");
	}
	for (struct nl_object *o = nl_cache_get_first(routes); o; o = nl_cache_get_next(o))
		push(out, n, rtnl_route_get_dst((struct rtnl_route *)o));
	/* An address's prefix covers its on-link subnet even where no route
	 * says so (a route deleted by hand). */
	for (struct nl_object *o = nl_cache_get_first(addrs); o; o = nl_cache_get_next(o))
		push(out, n, rtnl_addr_get_local((struct rtnl_addr *)o));
	nl_cache_free(addrs);
	nl_cache_free(routes);
	nl_socket_free(sk);
	return 0;
}
