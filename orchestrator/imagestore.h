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
 * e->code = LX_LOCHS and "no such image: REF". "@sha256:<hex>" is a stored
 * manifest by its digest, tagged or not (the steps of a build). */
int image_resolve(const char *root, const char *ref, struct image *img, struct lerr *e);
void image_release(struct image *img);
/* The extracted directory of layer `digest` (extracting it now if needed). */
int image_layer_dir(const char *root, const char *digest, char *out, size_t size, struct lerr *e);

/* --- Building blocks for pulls, imports and loads ------------------------
 * A source (release sets, import, save/load, later the registry puller)
 * stores its blobs first (verified by digest), then the manifest, then
 * makes the image visible with image_commit. Keep a store_writer held
 * meanwhile so a concurrent rmi/prune does not collect the new blobs. */

#define MT_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define MT_CONFIG "application/vnd.oci.image.config.v1+json"
#define MT_INDEX "application/vnd.oci.image.index.v1+json"
#define MT_LAYER_TAR "application/vnd.oci.image.layer.v1.tar"
#define MT_LAYER_GZIP "application/vnd.oci.image.layer.v1.tar+gzip"
#define MT_LAYER_ZSTD "application/vnd.oci.image.layer.v1.tar+zstd"
/* OCI defines no xz layer; FreeBSD's base.txz is kept as shipped (its
 * digest is then the one in the release MANIFEST) under this type. */
#define MT_LAYER_XZ "application/vnd.lochs.image.layer.v1.tar+xz"
#define ANN_REF "org.opencontainers.image.ref.name"
#define ANN_ID "io.lochs.image.id" /* cached config digest of the manifest */

/* Creates ROOT/images (oci-layout, index.json, blobs/sha256) and ROOT/layers. */
int store_init(const char *root, struct lerr *e);
/* ROOT/images/blobs/sha256/<hex> for "sha256:<hex>"; "" for a bad digest. */
void store_blob_path(const char *root, const char *digest, char *out, size_t size);
/* A scratch directory on the store's file system: ROOT/images/tmp. */
void store_tmp_dir(const char *root, char *out, size_t size);
/* Moves file src (on the store's file system) into the store; its digest
 * is computed, and must equal *digest when that is set. */
int store_add_blob_file(const char *root, const char *src, char digest[72], long long *size, struct lerr *e);
int store_add_blob_buf(const char *root, const void *data, size_t len, char digest[72], struct lerr *e);
/* A blob's contents (JSON parsed), NULL with e set. */
json_t *store_read_json(const char *root, const char *digest, struct lerr *e);

/* Held (shared) by writers, taken exclusively by garbage collection. */
int store_writer_begin(const char *root, struct lerr *e);
void store_writer_end(int fd);

/* Makes manifest `digest` (size bytes, config `id`) the image named ref
 * (normalized "name:tag"; NULL = untagged). An image that loses its last
 * tag this way stays as an untagged ("dangling") image. */
int image_commit(const char *root, const char *digest, long long size, const char *id, const char *ref, struct lerr *e);

/* Writes an image from layer files (moved into the store) and an OCI
 * config (its rootfs.diff_ids are filled in here): config and manifest
 * blobs, then image_commit. id_out gets the image id. */
struct new_layer {
	const char *path;       /* archive file on the store's file system */
	const char *media_type; /* NULL: chosen from the compression found */
};
int image_create(const char *root, const struct new_layer *layers, int nlayers, json_t *config, const char *ref,
		 char id_out[72], struct lerr *e);

/* --- Listing and removal ------------------------------------------------ */
struct image_entry {
	char manifest[72], id[72];
	char ref[256];    /* "" for an untagged image */
	char created[40]; /* RFC 3339 from the config */
	long long size;   /* config + layer blobs */
};
/* All descriptors of index.json (one per tag, one per untagged image). */
int image_list(const char *root, struct image_entry **out, int *n, struct lerr *e);
/* Adds tag dst (normalized) to the image src resolves to. */
int image_tag(const char *root, const char *src, const char *dst, struct lerr *e);
/* Removes index entries: tag ref (normalized) when ref is a tag, else
 * every entry with image id `id`. `keep` leaves an untagged entry (the
 * image is in use). Prints Docker's "Untagged:"/"Deleted:" lines. */
int image_untag(const char *root, const char *ref, const char *id, int keep, struct lerr *e);
/* Deletes blobs and extracted layers no index entry references; skipped
 * (0) while another lochs writes to the store. *freed gets the bytes. */
int store_gc(const char *root, long long *freed, struct lerr *e);
