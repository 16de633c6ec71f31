/* run, create, start: one-service desired states through the reconciler. */
#include "attach.h"
#include "cli.h"
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
	if (svc_from_args("run", argc, argv, &s, &detach, e) < 0)
		return -1;
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
		rc = sock < 0 ? -1 : attach_relay(sock, s.interactive, s.tty, e);
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
	int attach = 0, i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-a") || !strcmp(argv[i], "--attach"))
			attach = 1;
		else
			return lerr_usage(e, "start", "unknown flag %s", argv[i]);
	}
	if (i >= argc)
		return lerr_usage(e, "start", "at least one jail is required");
	int rc = 0;
	for (; i < argc; i++) {
		char id[65];
		struct imp_ctx x = { .c = c, .attach = attach };
		if (jail_lookup(c, argv[i], id, e) < 0 || imperative_existing(&x, id, WANT_RUNNING, 0, 0, e) < 0)
			return -1;
		if (attach) { /* a running jail: attached to as it is */
			int sock = attach_connect(c, id, e);
			return sock < 0 ? -1 : attach_relay(sock, 0, 0, e);
		}
		printf("%s\n", argv[i]);
	}
	return rc;
}
LOCHS_COMMAND(start, "start", cmd_start, "start [-a] JAIL...", "Start one or more created or stopped jails");
