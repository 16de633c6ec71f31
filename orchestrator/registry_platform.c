/* Choosing the manifest of an index for a platform, and the layer types
 * lochs can extract (pure). */
#include "registry.h"
#include "imagestore.h"
#include <stdio.h>
#include <string.h>

json_t *index_pick_platform(json_t *index, const char *os, const char *arch, char *avail, size_t asize)
{
	json_t *d;
	size_t i, n = 0;
	if (asize)
		avail[0] = 0;
	json_array_foreach (json_object_get(index, "manifests"), i, d) {
		json_t *pl = json_object_get(d, "platform");
		const char *o = json_string_value(json_object_get(pl, "os"));
		const char *a = json_string_value(json_object_get(pl, "architecture"));
		const char *v = json_string_value(json_object_get(pl, "variant"));
		if (o && a && !strcmp(o, os) && !strcmp(a, arch))
			return d;
		/* Attestation manifests ("unknown/unknown") are not platforms. */
		if (!o || !a || !strcmp(o, "unknown"))
			continue;
		size_t len = strlen(avail);
		n += (size_t)snprintf(avail + len, asize - len, "%s%s/%s%s%s", len ? ", " : "", o, a, v ? "/" : "",
				      v ? v : "");
	}
	if (!n && asize)
		snprintf(avail, asize, "no platforms");
	return NULL;
}

int layer_type_supported(const char *mt)
{
	static const char *const ok[] = {
		MT_LAYER_TAR,
		MT_LAYER_GZIP,
		MT_LAYER_ZSTD,
		MT_LAYER_XZ, /* a release set lochs pushed (base.txz as shipped) */
		"application/vnd.docker.image.rootfs.diff.tar",
		"application/vnd.docker.image.rootfs.diff.tar.gzip",
		"application/vnd.docker.image.rootfs.diff.tar.zstd",
		/* non-distributable ("foreign") layers are not fetched */
	};
	for (size_t i = 0; mt && i < sizeof ok / sizeof ok[0]; i++)
		if (!strcmp(mt, ok[i]))
			return 1;
	return 0;
}
