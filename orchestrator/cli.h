/* The lochs command line: global options, then one command. Each command
 * lives in its own orchestrator/cmd_*.c and registers itself with
 * LOCHS_COMMAND, so adding one touches no shared table. */
#pragma once
#include <sqlite3.h>
#include <stddef.h>
#include "../common/err.h"

struct cli_flag;

struct cli {
	const char *root;  /* state root: --root, LOCHS_ROOT, /var/lib/lochs */
	sqlite3 *db;       /* opened on first cli_db() */
	int isatty_out;    /* stdout is a terminal (progress bars, tables) */
};

/* The state database, opened once. */
sqlite3 *cli_db(struct cli *c, struct lerr *e);

/* A command: argv[0] is its name; returns the exit status, or -1 with e
 * set (the CLI prints "lochs: MESSAGE" and exits with e->code). */
typedef int (*lochs_cmd_fn)(struct cli *c, int argc, char **argv, struct lerr *e);

struct lochs_command {
	const char *name;   /* "run", "image inspect" (two words for groups) */
	lochs_cmd_fn fn;
	const char *usage;  /* one line: "run [OPTIONS] IMAGE [COMMAND] [ARG...]" */
	const char *help;   /* one line of description */
	const struct cli_flag *flags; /* --help lists these (specs/flagtable.h), or NULL */
};

#define LOCHS_COMMAND_FLAGS(ident, NAME, FN, USAGE, HELP, FLAGS)                             \
	static const struct lochs_command lochs_cmd_##ident                                \
		__attribute__((used, section("lochs_cmds"), aligned(sizeof(void *)))) = { \
			NAME, FN, USAGE, HELP, FLAGS }
#define LOCHS_COMMAND(ident, NAME, FN, USAGE, HELP) LOCHS_COMMAND_FLAGS(ident, NAME, FN, USAGE, HELP, NULL)

/* Docker's decimal sizes: "77.9MB" (cmd_system.c). */
void human_size(long long n, char *out, size_t size);
/* The prune commands' "Are you sure? [y/N]" unless force; 1 to go on. */
int confirm(int force, const char *what);

/* Runs the command argv[0] ("exec", "logs") as if typed: how compose's
 * per-service commands reuse the jail commands. */
int cli_run(struct cli *c, int argc, char **argv, struct lerr *e);

/* Prints "Usage: lochs USAGE", the help line of the named command and
 * its flags when it has a table. */
void cli_print_usage(const char *cmd);

/* For commands over several names (rm A B C): makes one the command's
 * error, printing the one it replaces, so that every error is printed
 * once (the last by main()). *failed becomes 1. */
void cli_each_error(struct lerr *e, const struct lerr *one, int *failed);

/* argv[*i] is "--format V" or "--format=V" with V json or table: sets
 * *json, steps *i past V, returns 1; another flag: 0; a bad V: -1 with e
 * set ("invalid format 'xml'"). */
int cli_format_flag(const char *cmd, int argc, char **argv, int *i, int *json, struct lerr *e);
