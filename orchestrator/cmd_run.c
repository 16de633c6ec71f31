/* run, create, start: one-service desired states through the reconciler. */
#include "attach.h"
#include "cli.h"
#include "detachkeys.h"
#include "imperative.h"
#include "jailops.h"
#include "../translator/jail/jail.h"
#include "../reconciler/reconciler.h"
#include "../specs/flagtable.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmd_run(struct cli *c, int argc, char **argv, struct lerr *e)
{
	struct svc_spec s;
	int detach;
	struct detach_keys k;
	if (svc_from_args("run", argc, argv, &s, &detach, e) < 0)
		return -1;
	if (s.detach_keys && detach) { /* not kept with the jail, as in create */
		svc_free(&s);
		return lerr_usage(e, "run", "--detach-keys is not kept with a detached jail: give it to attach");
	}
	if (!detach && detach_keys_resolve(c, s.detach_keys, &k, e) < 0) {
		svc_free(&s);
		return -1;
	}
	jail_cgroup_prewarm();
	char id[65];
	/* Foreground: the monitor waits for this attach before it starts the
	 * jail (attach_wait), so no output is missed. */
	struct imp_ctx x = { .c = c, .attach = !detach, .force = 1 };
	int rc = imperative_new(&x, &s, WANT_RUNNING, id, e);
	if (rc == 0 && detach) {
		printf("%s\n", id);
	} else if (rc == 0) {
		int sock = attach_connect(c, id, e);
		rc = sock < 0 ? -1 : attach_relay(sock, s.interactive, s.tty, &k, e);
	}
	svc_free(&s);
	return rc;
}
LOCHS_COMMAND_FLAGS(run, "run", cmd_run, "run [OPTIONS] IMAGE [COMMAND] [ARG...]",
		    "Create and start a jail from an image (foreground unless -d)", svc_run_flags);

static int cmd_create(struct cli *c, int argc, char **argv, struct lerr *e)
{
	struct svc_spec s;
	int detach;
	if (svc_from_args("create", argc, argv, &s, &detach, e) < 0)
		return -1;
	if (s.detach_keys) { /* not kept with the jail: attach and start -a take them */
		svc_free(&s);
		return lerr_usage(e, "create", "--detach-keys is not kept with the jail: give it to start -a or attach");
	}
	char id[65];
	struct imp_ctx x = { .c = c, .force = 1 };
	int rc = imperative_new(&x, &s, WANT_CREATED, id, e);
	if (rc == 0)
		printf("%s\n", id);
	svc_free(&s);
	return rc;
}
LOCHS_COMMAND_FLAGS(create, "create", cmd_create, "create [OPTIONS] IMAGE [COMMAND] [ARG...]",
		    "Create a jail without starting it", svc_run_flags);

static int cmd_start(struct cli *c, int argc, char **argv, struct lerr *e)
{
	int attach = 0, in = 0, i = 1, f;
	const char *keys = NULL;
	struct detach_keys k;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if ((f = attach_keys_flag("start", argc, argv, &i, &keys, e)) < 0)
			return -1;
		else if (f)
			;
		else if (!strcmp(argv[i], "-a") || !strcmp(argv[i], "--attach"))
			attach = 1;
		else if (!strcmp(argv[i], "-i") || !strcmp(argv[i], "--interactive"))
			in = 1;
		else if (!strcmp(argv[i], "-ai") || !strcmp(argv[i], "-ia"))
			attach = in = 1;
		else
			return lerr_usage(e, "start", "unknown flag %s", argv[i]);
	}
	attach |= in; /* Docker's start -i attaches too */
	if ((keys || attach) && detach_keys_resolve(c, keys, &k, e) < 0)
		return -1;
	if (i >= argc)
		return lerr_usage(e, "start", "at least one jail is required");
	int rc = 0;
	for (; i < argc; i++) {
		char id[65];
		struct imp_ctx x = { .c = c, .attach = attach };
		if (jail_lookup(c, argv[i], id, e) < 0 || imperative_existing(&x, id, WANT_RUNNING, 0, 0, e) < 0)
			return -1;
		if (attach) /* a running jail: attached to as it is */
			return attach_jail(c, id, in, &k, e);
		printf("%s\n", argv[i]);
	}
	return rc;
}
LOCHS_COMMAND(start, "start", cmd_start, "start [-a] [-i] [--detach-keys KEYS] JAIL...", "Start one or more created or stopped jails");
