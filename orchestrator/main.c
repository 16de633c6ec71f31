/* lochs: global options and command dispatch. */
#include "cli.h"
#include "state.h"
#include "../specs/flagtable.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern const struct lochs_command __start_lochs_cmds[], __stop_lochs_cmds[];

static const char version[] = "0.1.0";

sqlite3 *cli_db(struct cli *c, struct lerr *e)
{
	if (!c->db)
		c->db = state_open(c->root, e);
	return c->db;
}

static const struct lochs_command *find(const char *name)
{
	for (const struct lochs_command *k = __start_lochs_cmds; k < __stop_lochs_cmds; k++)
		if (strcmp(k->name, name) == 0)
			return k;
	return NULL;
}

int cli_run(struct cli *c, int argc, char **argv, struct lerr *e)
{
	const struct lochs_command *k = find(argv[0]);
	if (!k)
		return lerr_set(e, LX_LOCHS, "'%s' is not a lochs command", argv[0]);
	return k->fn(c, argc, argv, e);
}

void cli_print_usage(const char *cmd)
{
	const struct lochs_command *k = find(cmd);
	if (!k)
		return;
	printf("Usage: lochs %s\n\n%s\n", k->usage, k->help);
	if (k->flags)
		cli_flags_help(stdout, k->flags);
}

static int cmp_cmd(const void *a, const void *b)
{
	return strcmp((*(const struct lochs_command *const *)a)->name, (*(const struct lochs_command *const *)b)->name);
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: lochs [--root DIR] COMMAND [ARG...]\n\n"
		   "Run FreeBSD jails on Linux.\n\nCommands:\n");
	size_t n = (size_t)(__stop_lochs_cmds - __start_lochs_cmds);
	const struct lochs_command **v = calloc(n ? n : 1, sizeof *v);
	for (size_t i = 0; v && i < n; i++)
		v[i] = &__start_lochs_cmds[i];
	if (v)
		qsort(v, n, sizeof *v, cmp_cmd);
	for (size_t i = 0; v && i < n; i++)
		if (v[i]->name[0] != '_')
			fprintf(f, "  %-16s %s\n", v[i]->name, v[i]->help);
	free(v);
	fprintf(f, "\nThe state root is --root, else $LOCHS_ROOT, else /var/lib/lochs.\n");
}

int main(int argc, char **argv)
{
	struct cli c = { .root = getenv("LOCHS_ROOT"), .isatty_out = isatty(1) };
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--root") && i + 1 < argc) {
			c.root = argv[++i];
		} else if (!strncmp(a, "--root=", 7)) {
			c.root = a + 7;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "--version") || !strcmp(a, "-v")) {
			printf("lochs version %s\n", version);
			return 0;
		} else {
			fprintf(stderr, "lochs: unknown option %s (see 'lochs --help')\n", a);
			return LX_LOCHS;
		}
	}
	if (!c.root || !*c.root)
		c.root = "/var/lib/lochs";
	if (i >= argc) {
		usage(stderr);
		return LX_LOCHS;
	}
	/* Two-word commands first ("image inspect"), then one word. */
	const struct lochs_command *k = NULL;
	int skip = 1;
	if (i + 1 < argc) {
		char two[128];
		snprintf(two, sizeof two, "%s %s", argv[i], argv[i + 1]);
		if ((k = find(two)))
			skip = 2;
	}
	if (!k)
		k = find(argv[i]);
	if (!k) {
		fprintf(stderr, "lochs: '%s' is not a lochs command (see 'lochs --help')\n", argv[i]);
		return LX_LOCHS;
	}
	char **sub = argv + i + skip - 1;
	int subc = argc - i - skip + 1;
	/* --help among the leading flags only: `exec JAIL cmd --help` is the
	 * jail's command asking for its own help. */
	for (int j = 1; j < subc && sub[j][0] == '-'; j++) {
		if (!strcmp(sub[j], "--"))
			break;
		if (!strcmp(sub[j], "--help")) {
			cli_print_usage(k->name);
			return 0;
		}
	}
	sub[0] = (char *)k->name;
	struct lerr e = { 0 };
	int rc = k->fn(&c, subc, sub, &e);
	if (rc < 0) {
		fprintf(stderr, "lochs: %s\n", e.msg[0] ? e.msg : "failed");
		rc = e.code ? e.code : LX_LOCHS;
	}
	if (c.db)
		state_close(c.db);
	return rc;
}

static int cmd_version(struct cli *c, int argc, char **argv, struct lerr *e)
{
	(void)c; (void)argc; (void)argv; (void)e;
	printf("lochs version %s\n", version);
	return 0;
}
LOCHS_COMMAND(version, "version", cmd_version, "version", "Show the lochs version");
