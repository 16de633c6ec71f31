/* Bridges; see bridge.h. */
#include "bridge.h"
#include "nlsock.h"
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/bridge.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

static int add_addr(struct nl_sock *sk, int ifindex, const struct np_cidr *c, struct lerr *e)
{
	struct rtnl_addr *ad = rtnl_addr_alloc();
	struct nl_addr *local = nl_addr_build(c->family, c->a, c->family == AF_INET ? 4 : 16);
	int err = -NLE_NOMEM;
	if (ad && local) {
		nl_addr_set_prefixlen(local, c->prefix);
		rtnl_addr_set_ifindex(ad, ifindex);
		rtnl_addr_set_local(ad, local);
		err = rtnl_addr_add(sk, ad, 0);
	}
	nl_addr_put(local);
	rtnl_addr_put(ad);
	if (err < 0) {
		char s[64];
		np_cidr_format(c, s, sizeof s);
		return nlsock_err(e, err, "address %s", s);
	}
	return 0;
}

static int setup(struct nl_sock *sk, const char *name, const struct np_cidr *gw, const struct np_cidr *gw6,
		 struct lerr *e)
{
	struct rtnl_link *link = NULL, *change = NULL;
	int err = rtnl_link_get_kernel(sk, 0, name, &link);
	if (err < 0)
		return nlsock_err(e, err, "bridge %s", name);
	int ifindex = rtnl_link_get_ifindex(link), rc = -1;
	if (add_addr(sk, ifindex, gw, e) < 0 || (gw6 && add_addr(sk, ifindex, gw6, e) < 0))
		goto out;
	if (!(change = rtnl_link_alloc())) {
		lerr_set(e, LX_LOCHS, "netlink: out of memory");
		goto out;
	}
	rtnl_link_set_flags(change, IFF_UP);
	if ((err = rtnl_link_change(sk, link, change, 0)) < 0) {
		nlsock_err(e, err, "bridge %s up", name);
		goto out;
	}
	rc = 0;
out:
	rtnl_link_put(change);
	rtnl_link_put(link);
	return rc;
}

int bridge_create(const char *name, const struct np_cidr *gw, const struct np_cidr *gw6, struct lerr *e)
{
	struct nl_sock *sk = nlsock_open(e);
	if (!sk)
		return -1;
	struct rtnl_link *br = rtnl_link_bridge_alloc();
	int rc = -1, err;
	if (!br) {
		lerr_set(e, LX_LOCHS, "netlink: out of memory");
		goto out;
	}
	rtnl_link_set_name(br, name);
	/* NLM_F_EXCL: an existing interface is never reconfigured here. */
	if ((err = rtnl_link_add(sk, br, NLM_F_CREATE | NLM_F_EXCL)) == -NLE_EXIST) {
		rc = 1;
		goto out;
	}
	if (err < 0) {
		nlsock_err(e, err, "create bridge %s", name);
		goto out;
	}
	if (setup(sk, name, gw, gw6, e) < 0) {
		rtnl_link_delete(sk, br);
		goto out;
	}
	rc = 0;
out:
	rtnl_link_put(br);
	nl_socket_free(sk);
	return rc;
}

int bridge_delete(const char *name, struct lerr *e)
{
	struct nl_sock *sk = nlsock_open(e);
	if (!sk)
		return -1;
	struct rtnl_link *l = rtnl_link_alloc();
	int err = -NLE_NOMEM;
	if (l) {
		rtnl_link_set_name(l, name);
		err = rtnl_link_delete(sk, l);
	}
	rtnl_link_put(l);
	nl_socket_free(sk);
	if (err < 0 && err != -NLE_NODEV && err != -NLE_OBJ_NOTFOUND)
		return nlsock_err(e, err, "delete bridge %s", name);
	return 0;
}

int bridge_exists(const char *name, struct lerr *e)
{
	struct nl_sock *sk = nlsock_open(e);
	if (!sk)
		return -1;
	struct rtnl_link *l = NULL;
	int err = rtnl_link_get_kernel(sk, 0, name, &l);
	rtnl_link_put(l);
	nl_socket_free(sk);
	if (err == -NLE_NODEV || err == -NLE_OBJ_NOTFOUND)
		return 0;
	return err < 0 ? nlsock_err(e, err, "link %s", name) : 1;
}

int bridge_list_lochs(char ***out, int *n, struct lerr *e)
{
	*out = NULL;
	*n = 0;
	struct nl_sock *sk = nlsock_open(e);
	if (!sk)
		return -1;
	struct nl_cache *cache = NULL;
	int err = rtnl_link_alloc_cache(sk, AF_UNSPEC, &cache);
	if (err < 0) {
		nl_socket_free(sk);
		return nlsock_err(e, err, "list links");
	}
	int cap = 0;
	for (struct nl_object *o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o)) {
		struct rtnl_link *l = (struct rtnl_link *)o;
		const char *name = rtnl_link_get_name(l), *type = rtnl_link_get_type(l);
		if (!name || strncmp(name, "lochs", 5) || !type || strcmp(type, "bridge"))
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 8;
			char **m = realloc(*out, (size_t)cap * sizeof **out);
			if (!m)
				break;
			*out = m;
		}
		(*out)[(*n)++] = strdup(name);
	}
	nl_cache_free(cache);
	nl_socket_free(sk);
	return 0;
}
