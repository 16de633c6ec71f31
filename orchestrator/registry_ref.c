/* Registry references normalized as Docker does (pure). */
#include "registry.h"
#include "../common/sha256.h"
#include <stdio.h>
#include <string.h>

int ref_has_host(const char *s)
{
	const char *slash = strchr(s, '/');
	if (!slash)
		return 0;
	size_t n = (size_t)(slash - s);
	return memchr(s, '.', n) || memchr(s, ':', n) || (n == 9 && !strncmp(s, "localhost", 9));
}

int host_is_loopback(const char *host)
{
	char h[256];
	snprintf(h, sizeof h, "%s", host);
	char *colon = h[0] == '[' ? strchr(h, ']') : strrchr(h, ':');
	if (h[0] == '[')
		return colon && !strncmp(h, "[::1]", 5);
	if (colon)
		*colon = 0;
	return !strcmp(h, "localhost") || !strncmp(h, "127.", 4);
}

static int valid_repo(const char *s)
{
	if (!*s || *s == '/')
		return 0;
	for (const char *p = s; *p; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr("._-/", *p)))
			return 0;
		if (*p == '/' && (p[1] == '/' || !p[1]))
			return 0;
	}
	return 1;
}

int regref_parse(const char *s, struct regref *r, const char **why)
{
	char buf[512];
	memset(r, 0, sizeof *r);
	if (!s || !*s)
		return *why = "empty reference", -1;
	if (strlen(s) >= sizeof buf)
		return *why = "reference too long", -1;
	snprintf(buf, sizeof buf, "%s", s);
	char *at = strchr(buf, '@');
	if (at) {
		*at = 0;
		if (strncmp(at + 1, "sha256:", 7) || !sha256_is_hex(at + 8))
			return *why = "invalid digest (want sha256:<64 hex digits>)", -1;
		snprintf(r->digest, sizeof r->digest, "%s", at + 1);
	}
	char *name = buf;
	if (ref_has_host(buf)) {
		char *slash = strchr(buf, '/');
		*slash = 0;
		snprintf(r->host, sizeof r->host, "%s", buf);
		name = slash + 1;
	} else {
		snprintf(r->host, sizeof r->host, "docker.io");
	}
	if (!strcmp(r->host, "index.docker.io"))
		snprintf(r->host, sizeof r->host, "docker.io");
	char *colon = strrchr(name, ':');
	if (colon && !strchr(colon, '/')) {
		*colon = 0;
		const char *t = colon + 1;
		size_t n = strlen(t);
		if (!n || n > 128 || t[0] == '.' || t[0] == '-' ||
		    strspn(t, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") != n)
			return *why = "invalid tag", -1;
		snprintf(r->tag, sizeof r->tag, "%s", t);
	} else if (!r->digest[0]) {
		snprintf(r->tag, sizeof r->tag, "latest");
	}
	if (!valid_repo(name))
		return *why = "invalid repository name (lower case letters, digits, '.', '_', '-' and '/')", -1;
	/* Docker Hub's official images live under library/. */
	if (!strcmp(r->host, "docker.io") && !strchr(name, '/'))
		snprintf(r->repo, sizeof r->repo, "library/%s", name);
	else if (snprintf(r->repo, sizeof r->repo, "%s", name) >= (int)sizeof r->repo)
		return *why = "repository name too long", -1;
	return 0;
}

void regref_name(const struct regref *r, char *out, size_t size)
{
	if (!r->tag[0]) {
		if (size)
			out[0] = 0;
		return;
	}
	if (strcmp(r->host, "docker.io"))
		snprintf(out, size, "%s/%s:%s", r->host, r->repo, r->tag);
	else if (!strncmp(r->repo, "library/", 8))
		snprintf(out, size, "%s:%s", r->repo + 8, r->tag);
	else
		snprintf(out, size, "%s:%s", r->repo, r->tag);
}

const char *regref_api_host(const struct regref *r)
{
	return strcmp(r->host, "docker.io") ? r->host : "registry-1.docker.io";
}
