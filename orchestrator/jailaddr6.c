/* A jail endpoint's IPv6 address, on networks made with --ipv6; see
 * jailnet.h. */
#include "jailnet.h"
#include "../netplane/cidr.h"
#include "../netplane/ipam.h"
#include "../netplane/netrec.h"
#include <stdio.h>
#include <string.h>

int jailnet_addr6(sqlite3 *db, const struct np_network *n, const char *id, const char *want, char cidr6[80],
		  char gw6[64], struct lerr *e)
{
	*cidr6 = *gw6 = 0;
	if (!*n->ipv6_subnet) {
		if (want)
			return lerr_set(e, LX_LOCHS, "--ip6 %s: network %s has no IPv6 subnet", want, n->name);
		return 0;
	}
	struct np_cidr net;
	char addr[64], range[64];
	if (np_cidr_parse(n->ipv6_subnet, &net, e) < 0 || ipam6_config(db, n->id, n->ipv6_subnet, gw6, range, e) < 0 ||
	    ipam_alloc6(db, n->id, id, want, addr, sizeof addr, e) < 0)
		return -1;
	snprintf(cidr6, 80, "%s/%d", addr, net.prefix);
	return 0;
}
