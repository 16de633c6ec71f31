/* Small helpers shared by the commands' argument loops (cli.h). */
#include "cli.h"
#include <stdio.h>
#include <string.h>

void cli_each_error(struct lerr *e, const struct lerr *one, int *failed)
{
	if (*failed)
		fprintf(stderr, "lochs: %s\n", e->msg);
	*e = *one;
	*failed = 1;
}

int cli_format_flag(const char *cmd, int argc, char **argv, int *i, int *json, struct lerr *e)
{
	if (strcmp(argv[*i], "--format") && strncmp(argv[*i], "--format=", 9))
		return 0;
	const char *v = argv[*i][8] == '=' ? argv[*i] + 9 : *i + 1 < argc ? argv[++*i] : NULL;
	if (!v)
		return lerr_usage(e, cmd, "flag needs an argument: --format");
	if (strcmp(v, "json") && strcmp(v, "table"))
		return lerr_usage(e, cmd, "invalid format '%s' (json or table)", v);
	*json = !strcmp(v, "json");
	return 1;
}
