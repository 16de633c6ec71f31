/* Layer archives (tar, compressed or not) extracted without trusting them:
 * no absolute paths, no ".." components, nothing written through a
 * symlink (on disk before or created by the archive itself), hard links
 * only to files already extracted inside the root and not through
 * symlinks, no device nodes (whiteouts, below, are the store's own). The first offending entry is named in the
 * one-line error and the half-extracted tree is removed. */
#pragma once
#include <stddef.h>
#include "../common/err.h"

/* Pure: "./a//b/" -> "a/b", "." or "./" -> "" (the root itself). Returns 0,
 * or -1 with *why set for an absolute path or a ".." component. */
int layer_path_clean(const char *path, char *out, size_t size, const char **why);

/* OCI whiteouts (pure): for a cleaned path, WH_FILE when it is ".wh.NAME"
 * (target = the hidden "DIR/NAME"), WH_OPAQUE for "DIR/.wh..wh..opq"
 * (target = "DIR", "" the root), WH_OTHER for other ".wh..wh." names
 * (AUFS bookkeeping, skipped), WH_NONE for an ordinary entry. Extraction
 * turns them into overlayfs's forms, made by the store itself: a 0/0
 * character device, and the xattr trusted.overlay.opaque=y. */
enum { WH_NONE, WH_FILE, WH_OPAQUE, WH_OTHER };
int layer_whiteout(const char *clean, char *target, size_t size);

/* Extracts the tar archive at `archive` so that `dest` (which must not yet
 * exist) becomes its root: into a temporary sibling first, renamed into
 * place only when every entry was accepted. Another process finishing the
 * same dest first counts as success. */
int layer_extract(const char *archive, const char *dest, struct lerr *e);

/* The sha256 of the uncompressed stream (an OCI diff_id) and the name of
 * the compression found: "none", "gzip", "xz", "zstd", "bzip2", ... */
int layer_diff_id(const char *archive, char hex[65], char *filter, size_t fsize, struct lerr *e);
