/* A scratch folder holding a lochs.yml for the specs unit tests: made by
 * the group setup, removed by its teardown. */
#pragma once
#include <stdio.h>
#include <stdlib.h>

static char dir[64], file[128];

/* prefix: /tmp/NAME, to which a unique suffix is added. */
static int projdir_setup(const char *prefix)
{
	snprintf(dir, sizeof dir, "%s_XXXXXX", prefix);
	if (!mkdtemp(dir))
		return -1;
	snprintf(file, sizeof file, "%s/lochs.yml", dir);
	return 0;
}

static int teardown(void **s)
{
	char cmd[128];
	(void)s;
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}
