/* network connect / disconnect (orchestrator/jailconnect.h). */
#include "cli.h"
#include "jailconnect.h"
#include <stdlib.h>
#include <string.h>

static int cmd_connect(struct cli *c, int argc, char **argv, struct lerr *e)
{
	const char *ip = NULL, *ip6 = NULL;
	char **aliases = calloc((size_t)argc + 1, sizeof *aliases);
	int na = 0, i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i], *eq = strchr(a, '=');
		size_t klen = eq ? (size_t)(eq - a) : strlen(a);
		const char *v = eq ? eq + 1 : i + 1 < argc ? argv[i + 1] : NULL;
		int is_ip = klen == 4 && !strncmp(a, "--ip", 4), is_ip6 = klen == 5 && !strncmp(a, "--ip6", 5);
		int is_alias = klen == 7 && !strncmp(a, "--alias", 7);
		if (!is_ip && !is_ip6 && !is_alias) {
			free(aliases);
			return lerr_usage(e, "network connect", "unknown flag %s", a);
		}
		if (!v) {
			free(aliases);
			return lerr_usage(e, "network connect", "flag %.*s needs an argument", (int)klen, a);
		}
		if (!eq)
			i++;
		if (is_ip)
			ip = v;
		else if (is_ip6)
			ip6 = v;
		else
			aliases[na++] = (char *)v;
	}
	int rc = argc - i != 2 ? lerr_usage(e, "network connect", "want NETWORK JAIL")
			       : jail_connect(c, argv[i], argv[i + 1], ip, ip6, aliases, e);
	free(aliases);
	return rc;
}
LOCHS_COMMAND(network_connect, "network connect", cmd_connect, "network connect [--ip IP] [--ip6 IP] [--alias NAME] NETWORK JAIL",
	      "Connect a jail to a network (live when it runs)");

static int cmd_disconnect(struct cli *c, int argc, char **argv, struct lerr *e)
{
	int i = 1;
	/* -f is accepted like Docker's; a disconnect is never refused for use. */
	for (; i < argc && argv[i][0] == '-'; i++)
		if (strcmp(argv[i], "-f") && strcmp(argv[i], "--force"))
			return lerr_usage(e, "network disconnect", "unknown flag %s", argv[i]);
	if (argc - i != 2)
		return lerr_usage(e, "network disconnect", "want NETWORK JAIL");
	return jail_disconnect(c, argv[i], argv[i + 1], e);
}
LOCHS_COMMAND(network_disconnect, "network disconnect", cmd_disconnect, "network disconnect [-f] NETWORK JAIL",
	      "Disconnect a jail from a network (live when it runs)");
