/* The OCI image layout under ROOT/images and the extracted layers under
 * ROOT/layers (see imagestore.h). index.json is only rewritten whole
 * (write_file_atomic) under an flock of index.lock, so readers need no
 * lock and writers never lose each other's tags. */
#include "imagestore.h"
#include "imageref.h"
#include "layer_extract.h"
#include "../common/fsutil.h"
#include "../common/sha256.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define P 4096

static void path(char *out, const char *root, const char *rel)
{
	snprintf(out, P, "%s/%s", root, rel);
}

static const char *hex_of(const char *digest)
{
	if (!digest || strncmp(digest, "sha256:", 7) || !sha256_is_hex(digest + 7))
		return NULL;
	return digest + 7;
}

int store_init(const char *root, struct lerr *e)
{
	char p[P];
	path(p, root, "images/blobs/sha256");
	if (mkdir_p(p, 0755) < 0)
		return lerr_sys(e, "%s", p);
	path(p, root, "images/tmp");
	if (mkdir_p(p, 0700) < 0)
		return lerr_sys(e, "%s", p);
	path(p, root, "layers");
	if (mkdir_p(p, 0755) < 0)
		return lerr_sys(e, "%s", p);
	static const char layout[] = "{\"imageLayoutVersion\":\"1.0.0\"}\n";
	path(p, root, "images/oci-layout");
	if (access(p, F_OK) < 0 && write_file_atomic(p, layout, sizeof layout - 1, 0644) < 0)
		return lerr_sys(e, "%s", p);
	return 0;
}

void store_blob_path(const char *root, const char *digest, char *out, size_t size)
{
	const char *h = hex_of(digest);
	if (h)
		snprintf(out, size, "%s/images/blobs/sha256/%s", root, h);
	else if (size)
		out[0] = 0;
}

void store_tmp_dir(const char *root, char *out, size_t size)
{
	snprintf(out, size, "%s/images/tmp", root);
}

/* Renames src to the blob of hex (a duplicate is simply dropped). */
static int move_blob(const char *root, const char *src, const char *hex, struct lerr *e)
{
	char dst[P];
	snprintf(dst, sizeof dst, "%s/images/blobs/sha256/%s", root, hex);
	if (access(dst, F_OK) == 0) {
		unlink(src);
		return 0;
	}
	chmod(src, 0444);
	if (rename(src, dst) < 0)
		return lerr_sys(e, "storing blob %s", dst);
	return 0;
}

int store_add_blob_file(const char *root, const char *src, char digest[72], long long *size, struct lerr *e)
{
	char hex[65];
	if (sha256_file(src, hex, size, e) < 0)
		return -1;
	if (digest[0] && (!hex_of(digest) || strcmp(hex_of(digest), hex)))
		return lerr_set(e, LX_LOCHS, "%s: digest mismatch: got sha256:%s, expected %s", src, hex, digest);
	snprintf(digest, 72, "sha256:%s", hex);
	return move_blob(root, src, hex, e);
}

int store_add_blob_buf(const char *root, const void *data, size_t len, char digest[72], struct lerr *e)
{
	char hex[65], p[P];
	sha256_buf(data, len, hex);
	snprintf(digest, 72, "sha256:%s", hex);
	snprintf(p, sizeof p, "%s/images/blobs/sha256/%s", root, hex);
	if (access(p, F_OK) == 0)
		return 0;
	if (write_file_atomic(p, data, len, 0444) < 0)
		return lerr_sys(e, "%s", p);
	return 0;
}

json_t *store_read_json(const char *root, const char *digest, struct lerr *e)
{
	char p[P];
	store_blob_path(root, digest, p, sizeof p);
	json_error_t je;
	json_t *j = p[0] ? json_load_file(p, 0, &je) : NULL;
	if (!j)
		lerr_set(e, LX_LOCHS, "image store: blob %s missing or not JSON", digest);
	return j;
}

static int lock_file(const char *root, const char *name, int op, struct lerr *e)
{
	char p[P];
	snprintf(p, sizeof p, "%s/images/%s", root, name);
	int fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return lerr_sys(e, "%s", p);
	while (flock(fd, op) < 0) {
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK)
			lerr_sys(e, "locking %s", p);
		close(fd);
		return errno == EWOULDBLOCK ? -2 : -1;
	}
	return fd;
}

int store_writer_begin(const char *root, struct lerr *e)
{
	if (store_init(root, e) < 0)
		return -1;
	return lock_file(root, "gc.lock", LOCK_SH, e);
}

void store_writer_end(int fd)
{
	if (fd >= 0)
		close(fd);
}

/* index.json, or an empty index when there is none yet. */
static json_t *index_load(const char *root, struct lerr *e)
{
	char p[P];
	path(p, root, "images/index.json");
	if (access(p, F_OK) < 0)
		return json_pack("{s:i, s:s, s:[]}", "schemaVersion", 2, "mediaType", MT_INDEX, "manifests");
	json_error_t je;
	json_t *j = json_load_file(p, 0, &je);
	if (!j || !json_is_array(json_object_get(j, "manifests"))) {
		json_decref(j);
		lerr_set(e, LX_LOCHS, "%s: not an OCI index: %s", p, je.text);
		return NULL;
	}
	return j;
}

static int index_save(const char *root, json_t *idx, struct lerr *e)
{
	char p[P];
	path(p, root, "images/index.json");
	char *s = json_dumps(idx, JSON_INDENT(2));
	if (!s)
		return lerr_set(e, LX_LOCHS, "out of memory");
	int rc = write_file_atomic(p, s, strlen(s), 0644);
	free(s);
	return rc < 0 ? lerr_sys(e, "%s", p) : 0;
}

/* Locks and loads the index for a change; *fd is the lock. */
static json_t *index_begin(const char *root, int *fd, struct lerr *e)
{
	if (store_init(root, e) < 0 || (*fd = lock_file(root, "index.lock", LOCK_EX, e)) < 0)
		return NULL;
	json_t *idx = index_load(root, e);
	if (!idx)
		close(*fd);
	return idx;
}

static int index_end(const char *root, json_t *idx, int fd, int save, struct lerr *e)
{
	int rc = save ? index_save(root, idx, e) : 0;
	json_decref(idx);
	close(fd);
	return rc;
}

static const char *ann(json_t *desc, const char *key)
{
	return json_string_value(json_object_get(json_object_get(desc, "annotations"), key));
}

static const char *dstr(json_t *desc, const char *key)
{
	const char *s = json_string_value(json_object_get(desc, key));
	return s ? s : "";
}

/* The image id (config digest) of an index entry. */
static void desc_id(const char *root, json_t *desc, char id[72])
{
	const char *a = ann(desc, ANN_ID);
	id[0] = 0;
	if (a) {
		snprintf(id, 72, "%s", a);
		return;
	}
	json_t *m = store_read_json(root, dstr(desc, "digest"), NULL);
	snprintf(id, 72, "%s", dstr(json_object_get(m, "config"), "digest"));
	json_decref(m);
}

static json_t *new_desc(const char *digest, long long size, const char *id, const char *ref)
{
	json_t *a = json_pack("{s:s}", ANN_ID, id);
	if (ref)
		json_object_set_new(a, ANN_REF, json_string(ref));
	return json_pack("{s:s, s:s, s:I, s:o}", "mediaType", MT_MANIFEST, "digest", digest, "size", (json_int_t)size,
			 "annotations", a);
}

/* Number of entries of the index for manifest digest. */
static int count_digest(json_t *list, const char *digest)
{
	size_t i;
	json_t *d;
	int n = 0;
	json_array_foreach (list, i, d)
		n += !strcmp(dstr(d, "digest"), digest);
	return n;
}

int image_commit(const char *root, const char *digest, long long size, const char *id, const char *ref, struct lerr *e)
{
	int fd;
	json_t *idx = index_begin(root, &fd, e);
	if (!idx)
		return -1;
	json_t *list = json_object_get(idx, "manifests");
	for (size_t i = 0; i < json_array_size(list);) {
		json_t *d = json_array_get(list, i);
		const char *r = ann(d, ANN_REF);
		if (ref && r && !strcmp(r, ref)) {
			if (!strcmp(dstr(d, "digest"), digest))
				return index_end(root, idx, fd, 0, e); /* already so */
			/* The tag moves: its old image stays, untagged. */
			json_incref(d);
			json_array_remove(list, i);
			if (!count_digest(list, dstr(d, "digest")))
				json_array_append_new(list, new_desc(dstr(d, "digest"), json_integer_value(json_object_get(d, "size")),
								     ann(d, ANN_ID) ? ann(d, ANN_ID) : "", NULL));
			json_decref(d);
			continue;
		}
		if (!r && !strcmp(dstr(d, "digest"), digest)) {
			if (!ref)
				return index_end(root, idx, fd, 0, e);
			json_array_remove(list, i); /* no longer dangling */
			continue;
		}
		i++;
	}
	json_array_append_new(list, new_desc(digest, size, id, ref));
	return index_end(root, idx, fd, 1, e);
}

/* Extracts blob file `blob` as layer hex: ROOT/layers/<hex>/root. */
static int extract_layer(const char *root, const char *blob, const char *hex, struct lerr *e)
{
	char final[P], tmp[P], rootdir[P + 8];
	snprintf(final, sizeof final, "%s/layers/%s", root, hex);
	if (access(final, F_OK) == 0)
		return 0;
	snprintf(tmp, sizeof tmp, "%s/layers/.tmp-%s.%d", root, hex, (int)getpid());
	rm_rf(tmp);
	if (mkdir_p(tmp, 0755) < 0)
		return lerr_sys(e, "%s", tmp);
	snprintf(rootdir, sizeof rootdir, "%s/root", tmp);
	if (layer_extract(blob, rootdir, e) < 0) {
		rm_rf(tmp);
		return -1;
	}
	if (rename(tmp, final) < 0) {
		int err = errno;
		rm_rf(tmp);
		if (err != EEXIST && err != ENOTEMPTY)
			return errno = err, lerr_sys(e, "%s", final);
	}
	return 0;
}

int image_layer_dir(const char *root, const char *digest, char *out, size_t size, struct lerr *e)
{
	const char *hex = hex_of(digest);
	if (!hex)
		return lerr_set(e, LX_LOCHS, "bad layer digest %s", digest);
	snprintf(out, size, "%s/layers/%s/root", root, hex);
	if (access(out, F_OK) == 0)
		return 0;
	int w = store_writer_begin(root, e);
	if (w < 0)
		return -1;
	char blob[P];
	store_blob_path(root, digest, blob, sizeof blob);
	int rc = access(blob, F_OK) < 0 ? lerr_set(e, LX_LOCHS, "image store: layer blob %s missing", digest)
					: extract_layer(root, blob, hex, e);
	store_writer_end(w);
	return rc;
}

static const char *layer_media_type(const char *filter)
{
	if (!strcmp(filter, "none"))
		return MT_LAYER_TAR;
	if (!strcmp(filter, "gzip"))
		return MT_LAYER_GZIP;
	if (!strcmp(filter, "zstd"))
		return MT_LAYER_ZSTD;
	if (!strcmp(filter, "xz"))
		return MT_LAYER_XZ;
	return NULL;
}

int image_create(const char *root, const struct new_layer *layers, int nlayers, json_t *config, const char *ref,
		 char id_out[72], struct lerr *e)
{
	int w = store_writer_begin(root, e);
	if (w < 0)
		return -1;
	json_t *diffs = json_array(), *descs = json_array();
	int rc = -1;
	for (int i = 0; i < nlayers; i++) {
		char hex[65], diff[65], filter[32], digest[80];
		long long size;
		const char *mt = layers[i].media_type;
		if (layer_diff_id(layers[i].path, diff, filter, sizeof filter, e) < 0)
			goto out;
		if (!mt && !(mt = layer_media_type(filter))) {
			lerr_set(e, LX_LOCHS, "%s: %s compression is not supported (use gzip, xz, zstd or none)",
				 layers[i].path, filter);
			goto out;
		}
		if (sha256_file(layers[i].path, hex, &size, e) < 0)
			goto out;
		/* Extract (and so vet) before storing: a hostile archive leaves nothing. */
		if (extract_layer(root, layers[i].path, hex, e) < 0 || move_blob(root, layers[i].path, hex, e) < 0)
			goto out;
		snprintf(digest, sizeof digest, "sha256:%s", hex);
		json_array_append_new(diffs, json_sprintf("sha256:%s", diff));
		json_array_append_new(descs, json_pack("{s:s, s:s, s:I}", "mediaType", mt, "digest", digest, "size",
						       (json_int_t)size));
	}
	json_object_set_new(config, "rootfs", json_pack("{s:s, s:O}", "type", "layers", "diff_ids", diffs));
	char *cs = json_dumps(config, JSON_COMPACT);
	char cdig[72], mdig[72];
	if (!cs || store_add_blob_buf(root, cs, strlen(cs), cdig, e) < 0) {
		free(cs);
		goto out;
	}
	json_t *man = json_pack("{s:i, s:s, s:{s:s, s:s, s:I}, s:O}", "schemaVersion", 2, "mediaType", MT_MANIFEST, "config",
				"mediaType", MT_CONFIG, "digest", cdig, "size", (json_int_t)strlen(cs), "layers", descs);
	free(cs);
	char *ms = json_dumps(man, JSON_COMPACT);
	json_decref(man);
	if (ms && store_add_blob_buf(root, ms, strlen(ms), mdig, e) == 0 &&
	    image_commit(root, mdig, (long long)strlen(ms), cdig, ref, e) == 0) {
		snprintf(id_out, 72, "%s", cdig);
		rc = 0;
	}
	free(ms);
out:
	json_decref(diffs);
	json_decref(descs);
	store_writer_end(w);
	return rc;
}

/* Finds the entry for ref (a tag, then an id or id prefix). */
static json_t *find(const char *root, json_t *idx, const char *ref, struct lerr *e)
{
	json_t *list = json_object_get(idx, "manifests"), *d, *hit = NULL;
	char norm[256], id[72];
	const char *why;
	size_t i;
	if (ref_normalize(ref, norm, sizeof norm, &why) == 0)
		json_array_foreach (list, i, d)
			if (ann(d, ANN_REF) && !strcmp(ann(d, ANN_REF), norm))
				return d;
	const char *pfx = ref_id_prefix(ref);
	char first[72] = "";
	json_array_foreach (list, i, d) {
		desc_id(root, d, id);
		if (!pfx || strncmp(id + 7, pfx, strlen(pfx)))
			continue;
		if (first[0] && strcmp(first, id)) {
			lerr_set(e, LX_LOCHS, "image id prefix %s is ambiguous", ref);
			return NULL;
		}
		snprintf(first, sizeof first, "%s", id);
		if (!hit)
			hit = d;
	}
	if (!hit)
		lerr_set(e, LX_LOCHS, "no such image: %s", ref);
	return hit;
}

int image_resolve(const char *root, const char *ref, struct image *img, struct lerr *e)
{
	memset(img, 0, sizeof *img);
	/* "@sha256:M": a stored manifest no tag names (a build's steps). */
	json_t *idx = ref[0] == '@' && hex_of(ref + 1) ? json_pack("{s:[{s:s}]}", "manifests", "digest", ref + 1)
						      : index_load(root, e);
	if (!idx)
		return -1;
	json_t *d = ref[0] == '@' ? json_array_get(json_object_get(idx, "manifests"), 0) : find(root, idx, ref, e);
	json_t *man = NULL, *cfg = NULL;
	int rc = -1;
	if (!d || !(man = store_read_json(root, dstr(d, "digest"), e)))
		goto out;
	snprintf(img->manifest, sizeof img->manifest, "%s", dstr(d, "digest"));
	snprintf(img->id, sizeof img->id, "%s", dstr(json_object_get(man, "config"), "digest"));
	json_t *layers = json_object_get(man, "layers"), *l;
	size_t i;
	if (json_array_size(layers) > IMAGE_MAX_LAYERS) {
		lerr_set(e, LX_LOCHS, "%s: more than %d layers", ref, IMAGE_MAX_LAYERS);
		goto out;
	}
	json_array_foreach (layers, i, l)
		snprintf(img->layers[img->nlayers++], sizeof img->layers[0], "%s", dstr(l, "digest"));
	if (!(cfg = store_read_json(root, img->id, e)))
		goto out;
	img->config = json_object_get(cfg, "config");
	img->config = img->config ? json_incref(img->config) : json_object();
	rc = 0;
out:
	json_decref(cfg);
	json_decref(man);
	json_decref(idx);
	return rc;
}

void image_release(struct image *img)
{
	json_decref(img->config);
	img->config = NULL;
}

int image_list(const char *root, struct image_entry **out, int *n, struct lerr *e)
{
	*out = NULL;
	*n = 0;
	json_t *idx = index_load(root, e), *d;
	if (!idx)
		return -1;
	json_t *list = json_object_get(idx, "manifests");
	struct image_entry *v = calloc(json_array_size(list) + 1, sizeof *v);
	size_t i;
	json_array_foreach (list, i, d) {
		struct image_entry *x = &v[(*n)++];
		snprintf(x->manifest, sizeof x->manifest, "%s", dstr(d, "digest"));
		snprintf(x->ref, sizeof x->ref, "%s", ann(d, ANN_REF) ? ann(d, ANN_REF) : "");
		json_t *m = store_read_json(root, x->manifest, NULL), *l;
		snprintf(x->id, sizeof x->id, "%s", dstr(json_object_get(m, "config"), "digest"));
		x->size = json_integer_value(json_object_get(json_object_get(m, "config"), "size"));
		size_t j;
		json_array_foreach (json_object_get(m, "layers"), j, l)
			x->size += json_integer_value(json_object_get(l, "size"));
		json_t *c = store_read_json(root, x->id, NULL);
		snprintf(x->created, sizeof x->created, "%s", dstr(c, "created"));
		json_decref(c);
		json_decref(m);
	}
	json_decref(idx);
	*out = v;
	return 0;
}

int image_tag(const char *root, const char *src, const char *dst, struct lerr *e)
{
	json_t *idx = index_load(root, e);
	if (!idx)
		return -1;
	json_t *d = find(root, idx, src, e);
	char digest[72], id[72];
	long long size = 0;
	if (d) {
		snprintf(digest, sizeof digest, "%s", dstr(d, "digest"));
		size = json_integer_value(json_object_get(d, "size"));
		desc_id(root, d, id);
	}
	json_decref(idx);
	return d ? image_commit(root, digest, size, id, dst, e) : -1;
}

int image_untag(const char *root, const char *ref, const char *id, int keep, struct lerr *e)
{
	int fd;
	json_t *idx = index_begin(root, &fd, e);
	if (!idx)
		return -1;
	json_t *list = json_object_get(idx, "manifests"), *gone = json_array(), *d;
	char did[72];
	for (size_t i = 0; i < json_array_size(list);) {
		d = json_array_get(list, i);
		const char *r = ann(d, ANN_REF);
		desc_id(root, d, did);
		if (ref ? (r && !strcmp(r, ref)) : !strcmp(did, id)) {
			if (r)
				printf("Untagged: %s\n", r);
			json_array_append(gone, d);
			json_array_remove(list, i);
			continue;
		}
		i++;
	}
	size_t i;
	json_array_foreach (gone, i, d) {
		desc_id(root, d, did);
		int left = 0;
		size_t j;
		json_t *o;
		json_array_foreach (list, j, o) {
			char oid[72];
			desc_id(root, o, oid);
			left += !strcmp(oid, did);
		}
		if (left)
			continue;
		if (keep)
			json_array_append_new(list, new_desc(dstr(d, "digest"), json_integer_value(json_object_get(d, "size")),
							     did, NULL));
		else
			printf("Deleted: %s\n", did);
	}
	json_decref(gone);
	return index_end(root, idx, fd, 1, e);
}

/* Adds digest and everything it references to the set `keep`. */
static void mark(const char *root, json_t *keep, const char *digest, int depth)
{
	const char *h = hex_of(digest);
	if (!h || depth > 3)
		return;
	json_object_set_new(keep, h, json_true());
	json_t *m = store_read_json(root, digest, NULL), *x;
	if (!json_is_object(m)) {
		json_decref(m);
		return;
	}
	size_t i;
	const char *cd = json_string_value(json_object_get(json_object_get(m, "config"), "digest"));
	if (cd && hex_of(cd))
		json_object_set_new(keep, hex_of(cd), json_true());
	json_array_foreach (json_object_get(m, "layers"), i, x)
		if (hex_of(dstr(x, "digest")))
			json_object_set_new(keep, hex_of(dstr(x, "digest")), json_true());
	json_array_foreach (json_object_get(m, "manifests"), i, x)
		mark(root, keep, dstr(x, "digest"), depth + 1);
	json_decref(m);
}

/* Removes entries of dir not in keep (and stale ".tmp-" ones). */
static long long sweep(const char *dir, json_t *keep, int tree)
{
	long long freed = 0;
	DIR *dp = opendir(dir);
	struct dirent *de;
	while (dp && (de = readdir(dp))) {
		if (de->d_name[0] == '.' && strncmp(de->d_name, ".tmp-", 5))
			continue;
		if (json_object_get(keep, de->d_name))
			continue;
		char p[P];
		snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
		struct stat st;
		if (!tree && lstat(p, &st) == 0)
			freed += st.st_size;
		if (tree ? rm_rf(p) : unlink(p)) {
			/* left for the next collection */
		}
	}
	if (dp)
		closedir(dp);
	return freed;
}

int store_gc(const char *root, long long *freed, struct lerr *e)
{
	*freed = 0;
	if (store_init(root, e) < 0)
		return -1;
	int g = lock_file(root, "gc.lock", LOCK_EX | LOCK_NB, e);
	if (g == -2)
		return 0; /* a writer is busy: collect next time */
	if (g < 0)
		return -1;
	int fd;
	json_t *idx = index_begin(root, &fd, e);
	if (!idx) {
		close(g);
		return -1;
	}
	json_t *keep = json_object(), *d;
	size_t i;
	json_array_foreach (json_object_get(idx, "manifests"), i, d)
		mark(root, keep, dstr(d, "digest"), 0);
	char p[P];
	path(p, root, "images/blobs/sha256");
	*freed = sweep(p, keep, 0);
	path(p, root, "layers");
	sweep(p, keep, 1);
	json_decref(keep);
	index_end(root, idx, fd, 0, e);
	close(g);
	return 0;
}
