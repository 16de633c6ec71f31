/* The jail's network endpoints over raw rtnetlink (lochs-monitor stays
 * libc-only, so no libnl here). The parent creates each veth pair with the
 * jail end already in the child's network namespace (IFLA_NET_NS_PID),
 * named as its endpoint says (ethN) with its MAC, and the host end on the
 * bridge and up; the child then gives it its address, brings it up and
 * adds the default route. The host end needs no removal: it goes with the
 * jail's netns. `lochs network connect` adds one to a running jail the
 * same way (veth_add, then veth_setup inside its netns). */
#include "jail_int.h"
#include <errno.h>
#include <arpa/inet.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct nlreq {
	struct nlmsghdr *h;
	char buf[1024] __attribute__((aligned(NLMSG_ALIGNTO)));
};

static void *req_start(struct nlreq *r, int type, int flags, size_t hdrlen)
{
	memset(r->buf, 0, sizeof r->buf);
	r->h = (struct nlmsghdr *)r->buf;
	r->h->nlmsg_type = (unsigned short)type;
	r->h->nlmsg_flags = (unsigned short)(NLM_F_REQUEST | NLM_F_ACK | flags);
	r->h->nlmsg_len = (unsigned)NLMSG_LENGTH(hdrlen);
	return NLMSG_DATA(r->h);
}

static struct rtattr *attr(struct nlreq *r, int type, const void *data, size_t len)
{
	struct rtattr *a = (struct rtattr *)(r->buf + NLMSG_ALIGN(r->h->nlmsg_len));
	a->rta_type = (unsigned short)type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(a), data, len);
	r->h->nlmsg_len = (unsigned)(NLMSG_ALIGN(r->h->nlmsg_len) + RTA_ALIGN(a->rta_len));
	return a;
}

/* A nest's length is known at its end. */
static void nest_end(struct nlreq *r, struct rtattr *a)
{
	a->rta_len = (unsigned short)((char *)r->buf + r->h->nlmsg_len - (char *)a);
}

/* Sends the request and reads its ACK: 0, or -1 with errno. */
static int talk(struct nlreq *r)
{
	int s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (s < 0)
		return -1;
	struct sockaddr_nl k = { .nl_family = AF_NETLINK };
	char ack[1024] __attribute__((aligned(NLMSG_ALIGNTO)));
	int rc = -1, err = EPROTO;
	r->h->nlmsg_seq = 1;
	if (sendto(s, r->buf, r->h->nlmsg_len, 0, (struct sockaddr *)&k, sizeof k) < 0) {
		err = errno;
	} else {
		ssize_t n;
		while ((n = recv(s, ack, sizeof ack, 0)) < 0 && errno == EINTR)
			;
		struct nlmsghdr *h = (struct nlmsghdr *)ack;
		if (n < 0)
			err = errno;
		else if (NLMSG_OK(h, (unsigned)n) && h->nlmsg_type == NLMSG_ERROR) {
			err = -((struct nlmsgerr *)NLMSG_DATA(h))->error;
			rc = err ? -1 : 0;
		}
	}
	close(s);
	errno = err;
	return rc;
}

static int parse_mac(const char *s, unsigned char mac[6])
{
	unsigned v[6];
	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6)
		return -1;
	for (int i = 0; i < 6; i++)
		mac[i] = (unsigned char)v[i];
	return 0;
}

/* lochs + 6 hex of the jail id + 4 of the network's name (FNV-1a): one
 * name per endpoint, the same at every start, and free of the endpoint's
 * position (a disconnect leaves the others' names as they were). */
void veth_host_name(const char *id, const char *network, char out[IFNAMSIZ])
{
	uint32_t h = 2166136261u;
	for (const char *p = network; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	snprintf(out, IFNAMSIZ, "lochs%.6s%04x", id, (unsigned)(h >> 16) ^ (h & 0xffff));
}

/* The host end of this jail's last run, when the kernel has not yet
 * dismantled its old netns (that cleanup is asynchronous): a quick
 * restart would find the name taken. The name is this jail's own. */
static int link_delete(const char *host)
{
	struct nlreq r;
	struct ifinfomsg *ifi = req_start(&r, RTM_DELLINK, 0, sizeof *ifi);
	ifi->ifi_family = AF_UNSPEC;
	attr(&r, IFLA_IFNAME, host, strlen(host) + 1);
	return talk(&r);
}

int veth_add(const char *id, const struct jail_net *n, pid_t pid, struct lerr *e)
{
	char host[IFNAMSIZ];
	unsigned char mac[6];
	unsigned br = if_nametoindex(n->bridge);
	if (!br)
		return lerr_sys(e, "network %s: bridge %s", n->network, n->bridge);
	veth_host_name(id, n->network, host);
	struct nlreq r;
	struct ifinfomsg *ifi = req_start(&r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, sizeof *ifi);
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_flags = ifi->ifi_change = IFF_UP;
	attr(&r, IFLA_IFNAME, host, strlen(host) + 1);
	attr(&r, IFLA_MASTER, &br, sizeof br);
	struct rtattr *info = attr(&r, IFLA_LINKINFO, NULL, 0);
	attr(&r, IFLA_INFO_KIND, "veth", 4);
	struct rtattr *data = attr(&r, IFLA_INFO_DATA, NULL, 0);
	struct rtattr *pa = attr(&r, VETH_INFO_PEER, &(struct ifinfomsg){ .ifi_family = AF_UNSPEC }, sizeof *ifi);
	attr(&r, IFLA_IFNAME, n->ifname, strlen(n->ifname) + 1);
	if (*n->mac && parse_mac(n->mac, mac) == 0)
		attr(&r, IFLA_ADDRESS, mac, sizeof mac);
	uint32_t p = (uint32_t)pid;
	attr(&r, IFLA_NET_NS_PID, &p, sizeof p);
	nest_end(&r, pa);
	nest_end(&r, data);
	nest_end(&r, info);
	int rc = talk(&r);
	if (rc < 0 && errno == EEXIST) {
		struct nlreq again = r;
		again.h = (struct nlmsghdr *)again.buf;
		link_delete(host);
		rc = talk(&again);
	}
	return rc < 0 ? lerr_sys(e, "network %s: veth %s on %s", n->network, host, n->bridge) : 0;
}

int veth_remove(const char *id, const char *network, struct lerr *e)
{
	char host[IFNAMSIZ];
	veth_host_name(id, network, host);
	return link_delete(host) < 0 && errno != ENODEV ? lerr_sys(e, "network %s: deleting %s", network, host) : 0;
}

int veth_create(const struct jail_config *c, pid_t pid, struct lerr *e)
{
	for (int i = 0; i < c->nnets; i++)
		if (veth_add(c->id, &c->nets[i], pid, e) < 0)
			return -1;
	return 0;
}

/* The endpoint's IPv6 address (no duplicate detection: the IPAM made it
 * unique, and DAD would hold it "tentative" for a second after start) and
 * with route the IPv6 default route. */
static int setup6(const struct jail_net *n, unsigned idx, int route, struct lerr *e)
{
	char ip[64];
	snprintf(ip, sizeof ip, "%s", n->address6);
	char *slash = strchr(ip, '/');
	struct in6_addr a, gw;
	if (!slash || inet_pton(AF_INET6, (*slash = 0, ip), &a) != 1 || atoi(slash + 1) < 1 || atoi(slash + 1) > 128)
		return lerr_set(e, LX_LOCHS, "network %s: bad IPv6 address %s", n->network, n->address6);
	struct nlreq r;
	struct ifaddrmsg *ifa = req_start(&r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, sizeof *ifa);
	ifa->ifa_family = AF_INET6, ifa->ifa_prefixlen = (unsigned char)atoi(slash + 1), ifa->ifa_index = idx;
	ifa->ifa_flags = IFA_F_NODAD;
	attr(&r, IFA_LOCAL, &a, sizeof a);
	attr(&r, IFA_ADDRESS, &a, sizeof a);
	if (talk(&r) < 0)
		return lerr_sys(e, "network %s: address %s", n->network, n->address6);
	if (!route || !n->gateway6 || !*n->gateway6)
		return 0;
	if (inet_pton(AF_INET6, n->gateway6, &gw) != 1)
		return lerr_set(e, LX_LOCHS, "network %s: bad IPv6 gateway %s", n->network, n->gateway6);
	struct rtmsg *rt = req_start(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, sizeof *rt);
	rt->rtm_family = AF_INET6, rt->rtm_table = RT_TABLE_MAIN, rt->rtm_protocol = RTPROT_BOOT;
	rt->rtm_scope = RT_SCOPE_UNIVERSE, rt->rtm_type = RTN_UNICAST;
	attr(&r, RTA_GATEWAY, &gw, sizeof gw);
	attr(&r, RTA_OIF, &idx, sizeof idx);
	return talk(&r) < 0 ? lerr_sys(e, "network %s: IPv6 default route via %s", n->network, n->gateway6) : 0;
}

int veth_setup(const struct jail_net *n, int route, struct lerr *e)
{
	char ip[64];
	snprintf(ip, sizeof ip, "%s", n->address);
	char *slash = strchr(ip, '/');
	*slash = 0;
	struct in_addr a, gw;
	int prefix = atoi(slash + 1);
	unsigned idx = if_nametoindex(n->ifname);
	if (!idx)
		return lerr_sys(e, "network %s: %s", n->network, n->ifname);
	if (inet_pton(AF_INET, ip, &a) != 1 || prefix < 0 || prefix > 32)
		return lerr_set(e, LX_LOCHS, "network %s: bad address %s", n->network, n->address);
	struct nlreq r;
	struct ifaddrmsg *ifa = req_start(&r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, sizeof *ifa);
	ifa->ifa_family = AF_INET, ifa->ifa_prefixlen = (unsigned char)prefix, ifa->ifa_index = idx;
	attr(&r, IFA_LOCAL, &a, sizeof a);
	attr(&r, IFA_ADDRESS, &a, sizeof a);
	if (talk(&r) < 0)
		return lerr_sys(e, "network %s: address %s", n->network, n->address);
	struct ifinfomsg *ifi = req_start(&r, RTM_NEWLINK, 0, sizeof *ifi);
	ifi->ifi_index = (int)idx, ifi->ifi_flags = ifi->ifi_change = IFF_UP;
	if (talk(&r) < 0)
		return lerr_sys(e, "network %s: bringing up %s", n->network, n->ifname);
	if (n->address6 && *n->address6 && setup6(n, idx, route, e) < 0)
		return -1;
	if (!route || !*n->gateway)
		return 0;
	if (inet_pton(AF_INET, n->gateway, &gw) != 1)
		return lerr_set(e, LX_LOCHS, "network %s: bad gateway %s", n->network, n->gateway);
	struct rtmsg *rt = req_start(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, sizeof *rt);
	rt->rtm_family = AF_INET, rt->rtm_table = RT_TABLE_MAIN, rt->rtm_protocol = RTPROT_BOOT;
	rt->rtm_scope = RT_SCOPE_UNIVERSE, rt->rtm_type = RTN_UNICAST;
	attr(&r, RTA_GATEWAY, &gw, sizeof gw);
	attr(&r, RTA_OIF, &idx, sizeof idx);
	if (talk(&r) < 0)
		return lerr_sys(e, "network %s: default route via %s", n->network, n->gateway);
	return 0;
}

int veth_configure(const struct jail_config *c, struct lerr *e)
{
	/* One default route: through the first network that is not internal
	 * (an internal network has no way out). */
	int routed = 0;
	for (int i = 0; i < c->nnets; i++) {
		int route = !routed && !c->nets[i].internal;
		if (veth_setup(&c->nets[i], route, e) < 0)
			return -1;
		routed |= route;
	}
	return 0;
}
