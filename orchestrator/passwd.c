/* --user: "uid[:gid]", or a name in a jail's /etc/passwd. */
#include "jailops.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int user_resolve(const char *user, const char *passwd, unsigned *uid, unsigned *gid, struct lerr *e)
{
	*uid = *gid = 0;
	if (!user || !*user || !strcmp(user, "root"))
		return 0;
	char name[256];
	snprintf(name, sizeof name, "%s", user);
	char *colon = strchr(name, ':');
	if (colon)
		*colon++ = 0;
	char *end;
	unsigned long u = strtoul(name, &end, 10);
	if (*name && !*end) {
		*uid = (unsigned)u;
		*gid = colon ? (unsigned)strtoul(colon, NULL, 10) : (unsigned)u;
		return 0;
	}
	FILE *f = passwd ? fopen(passwd, "re") : NULL;
	char line[1024];
	while (f && fgets(line, sizeof line, f)) {
		char *fields[4] = { 0 }, *save = NULL;
		int n = 0;
		for (char *t = strtok_r(line, ":", &save); t && n < 4; t = strtok_r(NULL, ":", &save))
			fields[n++] = t;
		if (n == 4 && !strcmp(fields[0], name)) {
			*uid = (unsigned)strtoul(fields[2], NULL, 10);
			*gid = colon ? (unsigned)strtoul(colon, NULL, 10) : (unsigned)strtoul(fields[3], NULL, 10);
			fclose(f);
			return 0;
		}
	}
	if (f)
		fclose(f);
	return lerr_set(e, LX_LOCHS, "unable to find user %s: no matching entries in /etc/passwd", name);
}
