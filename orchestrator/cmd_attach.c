/* attach: the user's terminal to a running jail's stdio, through its
 * monitor's attach socket; the jail's exit status is attach's. Stdin goes
 * to the jail when it was started with -i or -t (--no-stdin: never). */
#include "attach.h"
#include "cli.h"
#include "jailops.h"
#include "../translator/jail/jail.h"
#include <string.h>

static int cmd_attach(struct cli *c, int argc, char **argv, struct lerr *e)
{
	int no_stdin = 0, i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--no-stdin"))
			no_stdin = 1;
		else if (!strcmp(argv[i], "--sig-proxy=false") || !strcmp(argv[i], "--sig-proxy"))
			; /* the monitor owns the jail's signals either way */
		else
			return lerr_usage(e, "attach", "unknown flag %s", argv[i]);
	}
	if (i + 1 != argc)
		return lerr_usage(e, "attach", "exactly one jail is required");
	char id[65], path[4096];
	pid_t pid;
	struct jail_config cfg = { 0 };
	if (jail_lookup(c, argv[i], id, e) < 0 || jailop_running_pid(c, id, argv[i], &pid, e) < 0)
		return -1;
	jail_path(c, id, "config.json", path, sizeof path);
	if (jail_config_load(path, &cfg, e) < 0)
		return -1;
	int tty = cfg.tty, in = !no_stdin && (cfg.open_stdin || cfg.tty);
	jail_config_free(&cfg);
	int sock = attach_connect(c, id, e);
	return sock < 0 ? -1 : attach_relay(sock, in, tty, e);
}
LOCHS_COMMAND(attach, "attach", cmd_attach, "attach [--no-stdin] JAIL",
	      "Attach the terminal to a running jail's input and output");
