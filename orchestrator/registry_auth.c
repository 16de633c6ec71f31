/* The WWW-Authenticate challenge of a registry (pure):
 *   Bearer realm="https://auth.example/token",service="reg",scope="repository:a:pull" */
#include "registry.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Copies one value (quoted with \-escapes, or a bare token) to out; returns
 * the position after it. */
static const char *value(const char *p, char *out, size_t size)
{
	size_t n = 0;
	if (*p == '"') {
		for (p++; *p && *p != '"'; p++) {
			if (*p == '\\' && p[1])
				p++;
			if (n + 1 < size)
				out[n++] = *p;
		}
		if (*p == '"')
			p++;
	} else {
		for (; *p && *p != ',' && !isspace((unsigned char)*p); p++)
			if (n + 1 < size)
				out[n++] = *p;
	}
	if (size)
		out[n] = 0;
	return p;
}

int www_auth_parse(const char *hdr, struct www_auth *a)
{
	memset(a, 0, sizeof *a);
	const char *p = hdr;
	while (isspace((unsigned char)*p))
		p++;
	size_t n = strcspn(p, " \t");
	if (!n || n >= sizeof a->scheme)
		return -1;
	snprintf(a->scheme, sizeof a->scheme, "%.*s", (int)n, p);
	if (!strcasecmp(a->scheme, "bearer"))
		snprintf(a->scheme, sizeof a->scheme, "Bearer");
	else if (!strcasecmp(a->scheme, "basic"))
		snprintf(a->scheme, sizeof a->scheme, "Basic");
	for (p += n; *p;) {
		while (*p == ',' || isspace((unsigned char)*p))
			p++;
		size_t k = strcspn(p, "=, \t");
		if (!k || p[k] != '=')
			break;
		char key[32], tmp[1024];
		snprintf(key, sizeof key, "%.*s", (int)(k < 31 ? k : 31), p);
		p = value(p + k + 1, tmp, sizeof tmp);
		if (!strcasecmp(key, "realm"))
			snprintf(a->realm, sizeof a->realm, "%s", tmp);
		else if (!strcasecmp(key, "service"))
			snprintf(a->service, sizeof a->service, "%s", tmp);
		else if (!strcasecmp(key, "scope"))
			snprintf(a->scope, sizeof a->scope, "%s", tmp);
	}
	return !strcmp(a->scheme, "Bearer") && !a->realm[0] ? -1 : 0;
}
