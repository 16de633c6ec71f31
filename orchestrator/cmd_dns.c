/* _dns (hidden): the embedded DNS server of the state root, started on
 * demand by lochs when a jail on a user network starts (netplane/dnsctl.h)
 * and gone when the last user network is. */
#include "cli.h"
#include "../netplane/dnsd.h"

static int cmd_dns(struct cli *c, int argc, char **argv, struct lerr *e)
{
	if (argc != 1)
		return lerr_usage(e, "_dns", "takes no arguments");
	return dnsd_run(c->root, e) < 0 ? -1 : 0;
}

LOCHS_COMMAND(dns, "_dns", cmd_dns, "_dns", "Serve names on the user networks (started by lochs)");
