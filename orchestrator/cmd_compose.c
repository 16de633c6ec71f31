/* lochs compose [-f FILE] [-p NAME] config [--services|--quiet]: reads
 * lochs.yml (default ./lochs.yml, else ./compose.yaml, compose.yml,
 * docker-compose.yml) and prints the project as Lochs understands it. */
#include "cli.h"
#include "../specs/compose.h"
#include "../specs/compose_emit.h"
#include <stdio.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

static const char *default_file(void)
{
	static const char *const names[] = { "lochs.yml", "lochs.yaml", "compose.yaml", "compose.yml",
					     "docker-compose.yml", "docker-compose.yaml", NULL };
	for (int i = 0; names[i]; i++)
		if (access(names[i], F_OK) == 0)
			return names[i];
	return NULL;
}

static int config(struct compose_project *p, int argc, char **argv, struct lerr *e)
{
	int services = 0, quiet = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--services"))
			services = 1;
		else if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet"))
			quiet = 1;
		else
			return lerr_usage(e, "compose config", "unknown flag %s", argv[i]);
	}
	if (quiet)
		return 0;
	if (services) {
		for (int i = 0; i < p->nsvcs; i++)
			printf("%s\n", p->svcs[i].name);
		return 0;
	}
	return compose_emit(p, stdout) < 0 ? lerr_set(e, LX_LOCHS, "cannot write the configuration") : 0;
}

static int cmd_compose(struct cli *c, int argc, char **argv, struct lerr *e)
{
	const char *file = NULL, *project = NULL;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if ((!strcmp(argv[i], "-f") || !strcmp(argv[i], "--file")) && i + 1 < argc) {
			if (file)
				return lerr_usage(e, "compose", "several -f files are not merged yet: give one");
			file = argv[++i];
		} else if ((!strcmp(argv[i], "-p") || !strcmp(argv[i], "--project-name")) && i + 1 < argc) {
			project = argv[++i];
		} else {
			return lerr_usage(e, "compose", "unknown flag %s", argv[i]);
		}
	}
	if (i >= argc)
		return lerr_usage(e, "compose", "a command is required (config)");
	if (!file && !(file = default_file()))
		return lerr_set(e, LX_LOCHS, "no lochs.yml (or compose.yaml) here: use -f FILE");
	const char *sub = argv[i];
	if (strcmp(sub, "config"))
		return lerr_usage(e, "compose", "unknown command %s (this version has: config)", sub);
	struct compose_project p;
	if (compose_load(file, project, environ, &p, e) < 0)
		return -1;
	int rc = config(&p, argc - i, argv + i, e);
	compose_free(&p);
	(void)c;
	return rc;
}
LOCHS_COMMAND(compose, "compose", cmd_compose, "compose [-f FILE] [-p NAME] config [--services|--quiet]",
	      "Read a lochs.yml (Compose Specification) and print the project as Lochs understands it");
