/* attach: the user's terminal to a running jail's stdio, through its
 * monitor's attach socket; the jail's exit status is attach's. Stdin goes
 * to the jail when it was started with -i or -t (--no-stdin: never); with
 * -t the detach keys (--detach-keys, detachkeys.h) leave it running. */
#include "attach.h"
#include "cli.h"
#include "detachkeys.h"
#include "jailops.h"
#include "../translator/jail/jail.h"
#include <string.h>

int attach_jail(struct cli *c, const char *id, int want_stdin, struct detach_keys *k, struct lerr *e)
{
	char path[4096];
	struct jail_config cfg = { 0 };
	jail_path(c, id, "config.json", path, sizeof path);
	if (jail_config_load(path, &cfg, e) < 0)
		return -1;
	int tty = cfg.tty, in = want_stdin && (cfg.open_stdin || cfg.tty);
	jail_config_free(&cfg);
	int sock = attach_connect(c, id, e);
	return sock < 0 ? -1 : attach_relay(sock, in, tty, k, e);
}

int attach_keys_flag(const char *cmd, int argc, char **argv, int *i, const char **keys, struct lerr *e)
{
	const char *a = argv[*i];
	if (!strncmp(a, "--detach-keys=", 14)) {
		*keys = a + 14;
		return 1;
	}
	if (strcmp(a, "--detach-keys"))
		return 0;
	if (*i + 1 >= argc)
		return lerr_usage(e, cmd, "flag --detach-keys needs an argument");
	*keys = argv[++*i];
	return 1;
}

static int cmd_attach(struct cli *c, int argc, char **argv, struct lerr *e)
{
	int no_stdin = 0, i = 1, f;
	const char *keys = NULL;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if ((f = attach_keys_flag("attach", argc, argv, &i, &keys, e)) < 0)
			return -1;
		else if (f)
			;
		else if (!strcmp(argv[i], "--no-stdin"))
			no_stdin = 1;
		else if (!strcmp(argv[i], "--sig-proxy=false") || !strcmp(argv[i], "--sig-proxy"))
			; /* the monitor owns the jail's signals either way */
		else
			return lerr_usage(e, "attach", "unknown flag %s", argv[i]);
	}
	if (i + 1 != argc)
		return lerr_usage(e, "attach", "exactly one jail is required");
	char id[65];
	pid_t pid;
	struct detach_keys k;
	if (detach_keys_resolve(c, keys, &k, e) < 0 || jail_lookup(c, argv[i], id, e) < 0 ||
	    jailop_running_pid(c, id, argv[i], &pid, e) < 0)
		return -1;
	return attach_jail(c, id, !no_stdin, &k, e);
}
LOCHS_COMMAND(attach, "attach", cmd_attach, "attach [--no-stdin] [--detach-keys KEYS] JAIL",
	      "Attach the terminal to a running jail's input and output (ctrl-p,ctrl-q detaches)");
