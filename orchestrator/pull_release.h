/* lochs pull freebsd:VERSION: a FreeBSD release's base.txz, checked
 * against the set's MANIFEST, stored as-is as the image's single layer. */
#pragma once
#include "../common/err.h"

/* mirror: NULL for $LOCHS_FREEBSD_MIRROR, else the official site;
 * "{version}" in it is replaced by the version (release.h). */
#include <stddef.h>
/* stored (when not NULL) gets the name the image is stored under
 * ("freebsd:15" -> "freebsd:15.0"). */
int pull_release(const char *root, const char *mirror, const char *ref, int tty, char *stored, size_t size,
		 struct lerr *e);
