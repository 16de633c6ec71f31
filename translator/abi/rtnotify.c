/* What a FreeBSD routing socket reports when the network changes, made
 * from the rtnetlink notifications a PF_ROUTE socket's descriptor is
 * subscribed to (routesock.c): a new link is RTM_IFANNOUNCE arrival, a
 * removed one departure, any other link change RTM_IFINFO (rt_ifmsg); an
 * address added or removed is RTM_NEWADDR / RTM_DELADDR (rt_newaddrmsg);
 * a route FreeBSD would list (netstat -rn) added or removed is RTM_ADD /
 * RTM_DELETE. Everything else (neighbours, broadcast and multicast routes,
 * IPv6 cache clones) is skipped. */
#include "../rt/rt.h"
#include "routesock.h"
#include "rtmsg.h"
#include "nlreq.h"
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#define RTM_ADD_F 0x1
#define RTM_DELETE_F 0x2
#define RTM_NEWADDR_F 0xc
#define RTM_DELADDR_F 0xd
#define IFAN_ARRIVAL 0
#define IFAN_DEPARTURE 1

static size_t link_msg(const struct nlmsghdr *h, uint8_t *out, size_t cap)
{
	struct nr_link l;
	if (!nr_parse_link(h, &l))
		return 0;
	if (h->nlmsg_type == RTM_DELLINK)
		return rt_msg_announce(l.index, l.name, IFAN_DEPARTURE, out, cap);
	/* register_netdevice reports a new link with every bit changed. */
	const struct ifinfomsg *ifi = NLMSG_DATA(h);
	if (ifi->ifi_change == ~0u)
		return rt_msg_announce(l.index, l.name, IFAN_ARRIVAL, out, cap);
	return rt_msg_ifinfo(&l, out, cap);
}

static size_t addr_msg(const struct nlmsghdr *h, uint8_t *out, size_t cap)
{
	struct nr_addr a;
	struct nr_link l;
	if (!nr_parse_addr(h, &a))
		return 0;
	/* The link's sockaddr_dl (RTA_IFP); gone with a removed link. */
	int have = nr_get_link(a.index, &l) == 0;
	if (have)
		nr_fill_brd(&a, &l);
	return rt_msg_ifa(h->nlmsg_type == RTM_NEWADDR ? RTM_NEWADDR_F : RTM_DELADDR_F,
			  have ? &l : 0, &a, out, cap);
}

static size_t route_msg(const struct nlmsghdr *h, uint8_t *out, size_t cap, struct nr_route *r)
{
	const struct rtmsg *rm = NLMSG_DATA(h);
	if ((rm->rtm_flags & RTM_F_CLONED) || !nl_parse_route(h, r))
		return 0;
	size_t n = rt_encode_routes(0, r, 1, out, cap);
	if (n > cap)
		return 0;
	out[3] = h->nlmsg_type == RTM_NEWROUTE ? RTM_ADD_F : RTM_DELETE_F; /* rtm_type */
	return n;
}

size_t rtn_translate(const struct nlmsghdr *h, uint8_t *out, size_t cap, struct nr_route *r,
		     int *is_route)
{
	*is_route = 0;
	switch (h->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
		return link_msg(h, out, cap);
	case RTM_NEWADDR:
	case RTM_DELADDR:
		return addr_msg(h, out, cap);
	case RTM_NEWROUTE:
	case RTM_DELROUTE:
		*is_route = 1;
		return route_msg(h, out, cap, r);
	default:
		return 0;
	}
}
