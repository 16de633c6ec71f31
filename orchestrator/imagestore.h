/* The image store: an OCI image layout under ROOT/images (oci-layout,
 * index.json, blobs/sha256/<hex>), tags as the index's
 * "org.opencontainers.image.ref.name" annotations ("freebsd:14.3";
 * a name without a tag means ":latest"), index.json rewritten atomically
 * under an flock so concurrent lochs processes never lose a tag.
 * Layers are also kept extracted, read-only, at ROOT/layers/<hex>/root
 * (hex of the layer blob digest) for overlayfs; extraction trusts nothing
 * in the archive (see layer_extract.h). */
#pragma once
#include <jansson.h>
#include "../common/err.h"

#define IMAGE_MAX_LAYERS 128

struct image {
	char id[72];          /* "sha256:<hex>" of the image config blob */
	char manifest[72];    /* "sha256:<hex>" of the manifest blob */
	int nlayers;
	char layers[IMAGE_MAX_LAYERS][72]; /* layer blob digests, bottom first */
	json_t *config;       /* the OCI image config's "config" object (Env, Cmd,
				 Entrypoint, WorkingDir, User, ExposedPorts, Volumes), owned */
};

/* Resolves a reference ("freebsd:14.3", "localhost:5000/app:1", an id or a
 * unique id prefix of at least 4 hex digits) to a stored image. Not found:
 * e->code = LX_LOCHS and "no such image: REF". */
int image_resolve(const char *root, const char *ref, struct image *img, struct lerr *e);
void image_release(struct image *img);
/* The extracted directory of layer `digest` (extracting it now if needed). */
int image_layer_dir(const char *root, const char *digest, char *out, size_t size, struct lerr *e);
