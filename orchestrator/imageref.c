#include "imageref.h"
#include <stdio.h>
#include <string.h>

int ref_normalize(const char *ref, char *out, size_t size, const char **why)
{
	if (!ref || !*ref)
		return *why = "empty reference", -1;
	const char *slash = strrchr(ref, '/');
	const char *colon = strrchr(slash ? slash : ref, ':');
	size_t nlen = colon ? (size_t)(colon - ref) : strlen(ref);
	const char *tag = colon ? colon + 1 : "latest";
	if (nlen == 0)
		return *why = "empty repository name", -1;
	if (strchr(ref, '@'))
		return *why = "digest references are not supported", -1;
	/* The first component may be a registry host with a port; upper case
	 * is allowed there only. */
	const char *first = memchr(ref, '/', nlen);
	int has_host = first && (memchr(ref, '.', (size_t)(first - ref)) || memchr(ref, ':', (size_t)(first - ref)) ||
				 ((size_t)(first - ref) == 9 && !strncmp(ref, "localhost", 9)));
	for (size_t i = 0; i < nlen; i++) {
		char c = ref[i];
		int in_host = has_host && ref + i < first;
		if (c >= 'A' && c <= 'Z' && !in_host)
			return *why = "repository name must be lowercase", -1;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("._-/", c) ||
		      (c == ':' && in_host)))
			return *why = "invalid character in repository name", -1;
		if (c == '/' && (i == 0 || i + 1 == nlen || ref[i + 1] == '/'))
			return *why = "empty path component in repository name", -1;
	}
	size_t tlen = strlen(tag);
	if (tlen == 0 || tlen > 128 || tag[0] == '.' || tag[0] == '-')
		return *why = "invalid tag", -1;
	if (strspn(tag, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") != tlen)
		return *why = "invalid character in tag", -1;
	if (nlen + 1 + tlen + 1 > size)
		return *why = "reference too long", -1;
	snprintf(out, size, "%.*s:%s", (int)nlen, ref, tag);
	return 0;
}

void ref_split(const char *norm, char *repo, size_t rsize, char *tag, size_t tsize)
{
	const char *slash = strrchr(norm, '/');
	const char *colon = strrchr(slash ? slash : norm, ':');
	size_t n = colon ? (size_t)(colon - norm) : strlen(norm);
	snprintf(repo, rsize, "%.*s", (int)n, norm);
	snprintf(tag, tsize, "%s", colon ? colon + 1 : "latest");
}

const char *ref_id_prefix(const char *s)
{
	if (!strncmp(s, "sha256:", 7))
		s += 7;
	size_t n = strspn(s, "0123456789abcdef");
	return n >= 4 && n <= 64 && s[n] == 0 ? s : NULL;
}
