/* lochs port JAIL [PORT[/proto]]: a jail's published ports, as Docker
 * prints them ("8080/tcp -> 0.0.0.0:18080"; with PORT only the host
 * addresses). */
#include "cli.h"
#include "jailops.h"
#include "../netplane/ports.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmd_port(struct cli *c, int argc, char **argv, struct lerr *e)
{
	if (argc < 2 || argc > 3)
		return lerr_usage(e, "port", "a jail and at most one port are expected");
	int want = 0;
	char proto[8] = "tcp";
	if (argc == 3) {
		char *end;
		long p = strtol(argv[2], &end, 10);
		if (*end == '/' && (!strcmp(end + 1, "tcp") || !strcmp(end + 1, "udp")))
			snprintf(proto, sizeof proto, "%s", end + 1);
		else if (*end)
			return lerr_usage(e, "port", "invalid port '%s' (PORT or PORT/tcp|udp)", argv[2]);
		if (p < 1 || p > 65535)
			return lerr_usage(e, "port", "invalid port '%s': port out of range", argv[2]);
		want = (int)p;
	}
	char id[65];
	struct np_binding *b;
	int n, shown = 0;
	sqlite3 *db = cli_db(c, e);
	if (!db || jail_lookup(c, argv[1], id, e) < 0 || ports_list(db, id, &b, &n, e) < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		char line[192];
		if (want && (b[i].jail_port != want || strcmp(b[i].proto, proto)))
			continue;
		portspec_format_binding(&b[i], line, sizeof line);
		/* With PORT: only what follows "->". */
		printf("%s\n", want ? strstr(line, "-> ") + 3 : line);
		shown++;
	}
	free(b);
	if (want && !shown)
		return lerr_set(e, 1, "No public port '%d/%s' published for %s", want, proto, argv[1]);
	return 0;
}
LOCHS_COMMAND(port, "port", cmd_port, "port JAIL [PORT[/PROTO]]", "List a jail's published ports");
