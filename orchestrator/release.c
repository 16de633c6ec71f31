#include "release.h"
#include <stdio.h>
#include <string.h>

int release_is_ref(const char *norm)
{
	return !strncmp(norm, "freebsd:", 8);
}

int release_version(const char *tag, char *out, size_t size, enum release_variant *variant, const char **why)
{
	unsigned major, minor;
	char rest, num[32];
	enum release_variant v = RELEASE_FULL;
	if (!strcmp(tag, "latest"))
		return *why = "name a release, e.g. freebsd:14.3", -1;
	const char *dash = strchr(tag, '-');
	if (dash) {
		if (!strcmp(dash, "-minimal"))
			v = RELEASE_MINIMAL;
		else if (!strcmp(dash, "-rescue"))
			v = RELEASE_RESCUE;
		else
			return *why = "unknown variant (use -minimal or -rescue)", -1;
	}
	snprintf(num, sizeof num, "%.*s", dash ? (int)(dash - tag) : (int)strlen(tag), tag);
	if (variant)
		*variant = v;
	int n = sscanf(num, "%u.%u%c", &major, &minor, &rest);
	if (n == 2 && strspn(num, "0123456789.") == strlen(num)) {
		snprintf(out, size, "%u.%u", major, minor);
		return 0;
	}
	if (sscanf(num, "%u%c", &major, &rest) == 1 && strspn(num, "0123456789") == strlen(num)) {
		snprintf(out, size, "%u.0", major);
		return 0;
	}
	return *why = "not a FreeBSD release version (like 14.3, 15)", -1;
}

/* path is "DIR" or under "DIR/". */
static int under(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	return !strncmp(path, dir, n) && (path[n] == 0 || path[n] == '/');
}

int release_variant_keeps(enum release_variant v, const char *path)
{
	static const char *const minimal_drops[] = {
		"boot", "usr/include", "usr/lib/debug", "usr/lib32", "usr/libdata/lint", "usr/tests",
		"usr/share/doc", "usr/share/examples", "usr/share/man", "usr/share/info", "usr/share/games",
		"usr/share/dict", "usr/share/openssl/man", NULL,
	};
	static const char *const rescue_keeps[] = { "rescue", "etc", "root", "var", "tmp", "dev", "COPYRIGHT", NULL };
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	if (!*path || !strcmp(path, "."))
		return 1;
	if (v == RELEASE_MINIMAL) {
		for (int i = 0; minimal_drops[i]; i++)
			if (under(path, minimal_drops[i]))
				return 0;
		size_t n = strlen(path);
		return !(under(path, "usr/lib") && n > 2 && !strcmp(path + n - 2, ".a"));
	}
	if (v == RELEASE_RESCUE) {
		for (int i = 0; rescue_keeps[i]; i++)
			if (under(path, rescue_keeps[i]))
				return 1;
		return 0;
	}
	return 1;
}

void release_url(const char *mirror, const char *version, const char *file, char *out, size_t size)
{
	char dir[2048];
	const char *v = strstr(mirror, "{version}");
	if (v)
		snprintf(dir, sizeof dir, "%.*s%s%s", (int)(v - mirror), mirror, version, v + 9);
	else /* the root of a release tree, like the official site */
		snprintf(dir, sizeof dir, "%s%s%s-RELEASE", mirror, *mirror && mirror[strlen(mirror) - 1] == '/' ? "" : "/", version);
	size_t n = strlen(dir);
	snprintf(out, size, "%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/", file);
}

int release_manifest_sha256(const char *manifest, const char *file, char hex[65], const char **why)
{
	size_t flen = strlen(file);
	for (const char *l = manifest; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		if (strncmp(l, file, flen) || l[flen] != '\t')
			continue;
		const char *h = l + flen + 1;
		size_t n = strspn(h, "0123456789abcdefABCDEF");
		if (n != 64 || (h[64] != '\t' && h[64] != '\n' && h[64] != '\r' && h[64] != 0))
			return *why = "malformed MANIFEST line", -1;
		for (int i = 0; i < 64; i++)
			hex[i] = (char)(h[i] >= 'A' && h[i] <= 'F' ? h[i] - 'A' + 'a' : h[i]);
		hex[64] = 0;
		return 0;
	}
	return *why = "not listed in MANIFEST", -1;
}
