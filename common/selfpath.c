#include "selfpath.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void sibling_path(const char *env, const char *name, char *out, size_t size)
{
	const char *v = getenv(env);
	if (v && *v) {
		snprintf(out, size, "%s", v);
		return;
	}
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	self[n > 0 ? n : 0] = 0;
	char *slash = strrchr(self, '/');
	if (slash)
		*slash = 0;
	snprintf(out, size, "%s/%s", slash ? self : ".", name);
}
