/* lochs system firewall: writes the root's nftables table again from the
 * state database, dropping port rows of jails that are gone. prune and
 * restore do the same; the monitor runs it after a --rm jail with
 * published ports went (it has no libnftables of its own). */
#include "cli.h"
#include "../netplane/firewall.h"
#include "../netplane/sweep.h"
#include <stdio.h>

static int cmd_firewall(struct cli *c, int argc, char **argv, struct lerr *e)
{
	if (argc > 1)
		return lerr_usage(e, "system firewall", "no arguments expected");
	char table[32];
	sqlite3 *db = cli_db(c, e);
	if (!db || netplane_sweep(db, c->root, e) < 0)
		return -1;
	if (firewall_table(db, table) == 0 && c->isatty_out)
		printf("ip %s written\n", table);
	return 0;
}
LOCHS_COMMAND(system_firewall, "system firewall", cmd_firewall, "system firewall",
	      "Write the firewall table (published ports, NAT, isolation) again from the state");
