/* _proxy ID FD (hidden): the [::1] userspace proxy of a jail's published
 * ports (netplane/proxy.h), started by its monitor for each run with the
 * ready pipe on FD; "none" there when the jail has nothing to proxy. */
#include "cli.h"
#include "../netplane/ports.h"
#include "../netplane/proxy.h"
#include "state.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int cmd_proxy(struct cli *c, int argc, char **argv, struct lerr *e)
{
	if (argc != 3)
		return lerr_usage(e, "_proxy", "a jail id and the ready descriptor are expected");
	int fd = atoi(argv[2]), n, k = 0;
	struct np_binding *b;
	sqlite3 *db = cli_db(c, e);
	if (!db || ports_list(db, argv[1], &b, &n, e) < 0)
		return -1;
	/* No database held while relaying. */
	state_close(db);
	c->db = NULL;
	for (int i = 0; i < n; i++)
		if (portspec_loopback6(&b[i]))
			b[k++] = b[i];
	if (!k) {
		if (write(fd, "none\n", 5) < 0) {
			/* the monitor went away */
		}
		free(b);
		return 0;
	}
	int rc = proxy_run(b, k, fd, e);
	free(b);
	return rc < 0 ? -1 : 0;
}

LOCHS_COMMAND(proxy, "_proxy", cmd_proxy, "_proxy ID FD", "Relay a jail's [::1] published ports (started by its monitor)");
