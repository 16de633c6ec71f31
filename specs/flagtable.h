/* A command's flags as one table: getopt_long's options and the --help
 * text both come from it, so no flag is parsed and left undocumented. */
#pragma once
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>

struct cli_flag {
	int id;            /* what getopt_long returns: the short letter, or a value >= 256 */
	const char *name;  /* long name without "--" */
	const char *alias; /* a second long name (Docker's other spelling), or NULL */
	const char *arg;   /* the value's placeholder ("NAME"); NULL: the flag takes none */
	const char *help;  /* one line */
};

/* getopt_long's tables for flags (ending with a NULL name): *opts is
 * malloc'ed; shortopts gets "+:" and the short letters ("+": the flags
 * end at the first operand; ":": a missing value is told apart). 0, or
 * -1 out of memory. */
int cli_flags_getopt(const struct cli_flag *flags, struct option **opts, char *shortopts, size_t size);

/* "Options:" then one line per flag, Docker's layout:
 * "  -d, --detach            Run in the background ...". */
void cli_flags_help(FILE *f, const struct cli_flag *flags);

/* run's and create's flags (cliflags.c). */
extern const struct cli_flag svc_run_flags[];
