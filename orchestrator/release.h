/* FreeBSD release distribution sets: which release a "freebsd:TAG"
 * reference names, where its sets are, and their MANIFEST (pure). */
#pragma once
#include <stddef.h>

#define RELEASE_DEFAULT_MIRROR "https://download.freebsd.org/releases/amd64/"

/* 1 when norm (a normalized reference) is "freebsd:TAG". */
int release_is_ref(const char *norm);
/* The image made of a release's base.txz: all of it, or a variant
 * (FreeBSD publishes no smaller distribution sets, so base.txz is cut). */
enum release_variant {
	RELEASE_FULL,
	RELEASE_MINIMAL, /* "-minimal": no headers, docs, manuals, tests, debug files, static libraries, lib32, boot */
	RELEASE_RESCUE,  /* "-rescue": /rescue (static tools) with /etc, /root, /var, /tmp; PATH=/rescue */
};
/* "14.3" -> "14.3", "15" -> "15.0", "13.5-minimal" -> "13.5" (variant
 * MINIMAL), "14.3-rescue"; -1 with *why otherwise (including "latest": a
 * release must be named). variant may be NULL. */
int release_version(const char *tag, char *out, size_t size, enum release_variant *variant, const char **why);
/* 1 when the base.txz entry `path` (with or without "./") belongs in the
 * variant's image. */
int release_variant_keeps(enum release_variant v, const char *path);
/* A set's URL: mirror with "{version}" replaced, or, for a mirror
 * without it, the root of a release tree as on the official site
 * (MIRROR/14.3-RELEASE/base.txz). */
void release_url(const char *mirror, const char *version, const char *file, char *out, size_t size);
/* Finds `file`'s line in a MANIFEST (FILE<TAB>SHA256<TAB>COUNT<TAB>...)
 * and copies its sha256; -1 with *why when absent or malformed. */
int release_manifest_sha256(const char *manifest, const char *file, char hex[65], const char **why);
