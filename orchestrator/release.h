/* FreeBSD release distribution sets: which release a "freebsd:TAG"
 * reference names, where its sets are, and their MANIFEST (pure). */
#pragma once
#include <stddef.h>

#define RELEASE_DEFAULT_MIRROR "https://download.freebsd.org/releases/amd64/"

/* 1 when norm (a normalized reference) is "freebsd:TAG". */
int release_is_ref(const char *norm);
/* "14.3" -> "14.3", "15" -> "15.0", "13.5" -> "13.5"; -1 with *why
 * otherwise (including "latest": a release must be named). */
int release_version(const char *tag, char *out, size_t size, const char **why);
/* A set's URL: mirror with "{version}" replaced, or, for a mirror
 * without it, the root of a release tree as on the official site
 * (MIRROR/14.3-RELEASE/base.txz). */
void release_url(const char *mirror, const char *version, const char *file, char *out, size_t size);
/* Finds `file`'s line in a MANIFEST (FILE<TAB>SHA256<TAB>COUNT<TAB>...)
 * and copies its sha256; -1 with *why when absent or malformed. */
int release_manifest_sha256(const char *manifest, const char *file, char hex[65], const char **why);
