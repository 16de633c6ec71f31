/* stop, kill, restart, rm (one-jail desired states through the
 * reconciler: imperative.h), wait, pause, unpause. */
#include "cli.h"
#include "imperative.h"
#include "jailops.h"
#include "../translator/jail/signame.h"
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Applies fn to every JAIL argument after the flags; prints each name. */
static int each(struct cli *c, const char *cmd, int i, int argc, char **argv, struct lerr *e,
		int (*fn)(struct cli *, const char *, void *, struct lerr *), void *arg)
{
	if (i >= argc)
		return lerr_usage(e, cmd, "at least one jail is required");
	int failed = 0;
	for (; i < argc; i++) {
		char id[65];
		struct lerr one = { 0 };
		if (jail_lookup(c, argv[i], id, &one) < 0 || fn(c, id, arg, &one) < 0) {
			cli_each_error(e, &one, &failed);
			continue;
		}
		printf("%s\n", argv[i]);
	}
	return failed ? -1 : 0;
}

static int parse_time(const char *cmd, const char *v, int *out, struct lerr *e)
{
	char *end;
	long t = strtol(v, &end, 10);
	if (*end || end == v || t < 0 || t > 86400)
		return lerr_usage(e, cmd, "invalid time '%s' (seconds)", v);
	*out = (int)t;
	return 0;
}

static int do_stop(struct cli *c, const char *id, void *arg, struct lerr *e)
{
	struct imp_ctx x = { .c = c, .timeout = *(int *)arg };
	return imperative_existing(&x, id, WANT_STOPPED, 0, 0, e);
}

static int cmd_stop(struct cli *c, int argc, char **argv, struct lerr *e)
{
	int t = -1, i = 1; /* -1: the jail's stop_grace_period (10 s) */
	for (; i < argc && argv[i][0] == '-'; i++) {
		if ((!strcmp(argv[i], "-t") || !strcmp(argv[i], "--time")) && i + 1 < argc) {
			if (parse_time("stop", argv[++i], &t, e) < 0)
				return -1;
		} else
			return lerr_usage(e, "stop", "unknown flag %s", argv[i]);
	}
	return each(c, "stop", i, argc, argv, e, do_stop, &t);
}
LOCHS_COMMAND(stop, "stop", cmd_stop, "stop [-t SECONDS] JAIL...", "Stop jails (their stop signal, SIGTERM by default, then SIGKILL after -t seconds)");

static int do_kill(struct cli *c, const char *id, void *arg, struct lerr *e)
{
	struct imp_ctx x = { .c = c, .signal = *(int *)arg };
	return imperative_existing(&x, id, WANT_RUNNING, 0, 1, e);
}

static int cmd_kill(struct cli *c, int argc, char **argv, struct lerr *e)
{
	int sig = SIGKILL, i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if ((!strcmp(argv[i], "-s") || !strcmp(argv[i], "--signal")) && i + 1 < argc) {
			if ((sig = signal_by_name(argv[++i])) <= 0)
				return lerr_usage(e, "kill", "invalid signal '%s'", argv[i]);
		} else
			return lerr_usage(e, "kill", "unknown flag %s", argv[i]);
	}
	return each(c, "kill", i, argc, argv, e, do_kill, &sig);
}
LOCHS_COMMAND(kill, "kill", cmd_kill, "kill [-s SIGNAL] JAIL...", "Send a signal to a jail's main process (default KILL)");

/* A running jail stopped and started again, a stopped one started. */
static int do_restart(struct cli *c, const char *id, void *arg, struct lerr *e)
{
	struct imp_ctx x = { .c = c, .timeout = *(int *)arg };
	return imperative_existing(&x, id, WANT_RUNNING, 1, 0, e);
}

static int cmd_restart(struct cli *c, int argc, char **argv, struct lerr *e)
{
	int t = -1, i = 1; /* -1: the jail's stop_grace_period (10 s) */
	for (; i < argc && argv[i][0] == '-'; i++) {
		if ((!strcmp(argv[i], "-t") || !strcmp(argv[i], "--time")) && i + 1 < argc) {
			if (parse_time("restart", argv[++i], &t, e) < 0)
				return -1;
		} else
			return lerr_usage(e, "restart", "unknown flag %s", argv[i]);
	}
	return each(c, "restart", i, argc, argv, e, do_restart, &t);
}
LOCHS_COMMAND(restart, "restart", cmd_restart, "restart [-t SECONDS] JAIL...", "Restart jails");

struct rm_opts {
	int force, volumes;
};

static int do_rm(struct cli *c, const char *id, void *arg, struct lerr *e)
{
	const struct rm_opts *o = arg;
	struct imp_ctx x = { .c = c, .force = o->force, .volumes = o->volumes };
	return imperative_existing(&x, id, WANT_ABSENT, 0, 0, e);
}

static int cmd_rm(struct cli *c, int argc, char **argv, struct lerr *e)
{
	struct rm_opts o = { 0, 0 };
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-f") || !strcmp(argv[i], "--force"))
			o.force = 1;
		else if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "--volumes"))
			o.volumes = 1;
		else if (!strcmp(argv[i], "-fv") || !strcmp(argv[i], "-vf"))
			o.force = o.volumes = 1;
		else
			return lerr_usage(e, "rm", "unknown flag %s", argv[i]);
	}
	return each(c, "rm", i, argc, argv, e, do_rm, &o);
}
LOCHS_COMMAND(rm, "rm", cmd_rm, "rm [-f] [-v] JAIL...", "Remove jails");

static int cmd_wait(struct cli *c, int argc, char **argv, struct lerr *e)
{
	if (argc < 2)
		return lerr_usage(e, "wait", "at least one jail is required");
	for (int i = 1; i < argc; i++) {
		char id[65];
		int code;
		if (jail_lookup(c, argv[i], id, e) < 0 || jailop_wait(c, id, &code, e) < 0)
			return -1;
		printf("%d\n", code);
	}
	return 0;
}
LOCHS_COMMAND(wait, "wait", cmd_wait, "wait JAIL...", "Block until jails stop, then print their exit codes");

static int do_pause(struct cli *c, const char *id, void *arg, struct lerr *e)
{
	return jailop_pause(c, id, *(int *)arg, e);
}

static int cmd_pause(struct cli *c, int argc, char **argv, struct lerr *e)
{
	int pause = !strcmp(argv[0], "pause");
	return each(c, argv[0], 1, argc, argv, e, do_pause, &pause);
}
LOCHS_COMMAND(pause, "pause", cmd_pause, "pause JAIL...", "Suspend all processes of jails (cgroup freezer)");
LOCHS_COMMAND(unpause, "unpause", cmd_pause, "unpause JAIL...", "Resume the processes of paused jails");
