/* .lochignore (else .dockerignore): context paths COPY and ADD do not see.
 * Docker's rules: one pattern a line, # comments, a leading / ignored,
 * "**" any number of directories, "!" re-includes, the last match wins,
 * and a pattern matching a directory leaves out everything under it. */
#include "build_int.h"
#include "../common/fsutil.h"
#include "../specs/strv.h"
#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

/* Components p[0..np) against s[0..ns), "**" spanning any number. */
static int match_parts(char **p, int np, char **s, int ns)
{
	if (np == 0)
		return ns == 0;
	if (!strcmp(p[0], "**")) {
		for (int i = 0; i <= ns; i++)
			if (match_parts(p + 1, np - 1, s + i, ns - i))
				return 1;
		return 0;
	}
	return ns > 0 && fnmatch(p[0], s[0], 0) == 0 && match_parts(p + 1, np - 1, s + 1, ns - 1);
}

static int split(char *text, char **parts, int max)
{
	int n = 0;
	char *save = NULL;
	for (char *c = strtok_r(text, "/", &save); c && n < max; c = strtok_r(NULL, "/", &save))
		if (strcmp(c, "."))
			parts[n++] = c;
	return n;
}

/* The pattern matches rel or a directory above it. */
static int matches(const char *pattern, const char *rel)
{
	char pt[4096], rt[4096];
	char *p[128], *s[128];
	snprintf(pt, sizeof pt, "%s", pattern);
	snprintf(rt, sizeof rt, "%s", rel);
	int np = split(pt, p, 128), ns = split(rt, s, 128);
	if (!np)
		return 0;
	for (int k = 1; k <= ns; k++)
		if (match_parts(p, np, s, k))
			return 1;
	return 0;
}

int build_ignored(char **patterns, const char *rel)
{
	int out = 0;
	for (char **p = patterns; p && *p; p++) {
		int neg = **p == '!';
		if (matches(*p + neg, rel))
			out = !neg;
	}
	return out;
}

int build_has_exceptions(char **patterns)
{
	for (char **p = patterns; p && *p; p++)
		if (**p == '!')
			return 1;
	return 0;
}

int build_ignore_load(const char *ctxdir, char ***patterns, struct lerr *e)
{
	static const char *const names[] = { ".lochignore", ".dockerignore" };
	*patterns = NULL;
	for (int i = 0; i < 2; i++) {
		char path[4200];
		snprintf(path, sizeof path, "%s/%s", ctxdir, names[i]);
		size_t len;
		char *text = read_file(path, &len);
		if (!text)
			continue;
		char *save = NULL;
		for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
			while (isspace((unsigned char)*l))
				l++;
			size_t n = strlen(l);
			while (n && isspace((unsigned char)l[n - 1]))
				l[--n] = 0;
			if (!n || *l == '#')
				continue;
			char pat[4200];
			int neg = *l == '!';
			const char *body = l + neg;
			while (*body == '/')
				body++;
			snprintf(pat, sizeof pat, "%s%s", neg ? "!" : "", body);
			if (strv_push(patterns, pat) < 0) {
				free(text);
				return lerr_set(e, LX_LOCHS, "out of memory");
			}
		}
		free(text);
		break; /* .lochignore when there is one, else .dockerignore */
	}
	return 0;
}
