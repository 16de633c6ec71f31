/* See watchpath.h. */
#include "watchpath.h"
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

/* One pattern against rel: whole path prefixes (at each slash) for a
 * pattern with a slash, each name for one without. */
static int ignored_by(const char *pat, const char *rel)
{
	char p[1024], part[4096];
	snprintf(p, sizeof p, "%s", pat[0] == '/' ? pat + 1 : pat);
	size_t n = strlen(p);
	while (n > 0 && p[n - 1] == '/')
		p[--n] = 0;
	if (!n)
		return 0;
	int anchored = strchr(p, '/') != NULL;
	for (const char *s = rel, *end; *s; s = *end ? end + 1 : end) {
		end = s + strcspn(s, "/");
		if (anchored)
			snprintf(part, sizeof part, "%.*s", (int)(end - rel), rel);
		else
			snprintf(part, sizeof part, "%.*s", (int)(end - s), s);
		if (fnmatch(p, part, FNM_PATHNAME) == 0)
			return 1;
	}
	return 0;
}

int watch_path_match(const char *root, char *const *ignore, const char *changed, char *rel, size_t size)
{
	size_t n = strlen(root);
	while (n > 1 && root[n - 1] == '/')
		n--;
	if (strncmp(changed, root, n) || (changed[n] && changed[n] != '/' && !(n == 1 && root[0] == '/')))
		return 0;
	const char *r = changed + n;
	while (*r == '/')
		r++;
	for (; ignore && *ignore; ignore++)
		if (ignored_by(*ignore, r))
			return 0;
	snprintf(rel, size, "%s", r);
	return 1;
}

void watch_path_target(const char *target, const char *rel, char *out, size_t size)
{
	size_t n = strlen(target);
	while (n > 1 && target[n - 1] == '/')
		n--;
	snprintf(out, size, "%.*s%s%s", (int)n, target, *rel ? "/" : "", rel);
}
