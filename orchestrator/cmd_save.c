/* lochs save -o FILE IMAGE... writes an OCI archive: a tar of an OCI image
 * layout (oci-layout, index.json naming each image by
 * org.opencontainers.image.ref.name = "name:tag" and, as docker save does,
 * io.containerd.image.name, blobs/sha256/...). lochs load -i FILE reads
 * that, OCI archives from skopeo (an index entry may be a multi-platform
 * index: freebsd/amd64 is taken) and docker-archive (manifest.json). The
 * archive is unpacked with the layers' untrusting extraction, and every
 * blob is checked against its digest as it enters the store. */
#include "cli.h"
#include "events.h"
#include "imageref.h"
#include "imagestore.h"
#include "layer_extract.h"
#include "registry.h"
#include "../common/fsutil.h"
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define ANN_CONTAINERD "io.containerd.image.name"

static int add_entry(struct archive *w, const char *name, const void *data, size_t len, const char *file, struct lerr *e)
{
	struct archive_entry *en = archive_entry_new();
	archive_entry_set_pathname(en, name);
	archive_entry_set_filetype(en, AE_IFREG);
	archive_entry_set_perm(en, 0644);
	archive_entry_set_mtime(en, time(NULL), 0);
	struct stat st;
	int fd = -1, rc = 0;
	if (file && ((fd = open(file, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &st) < 0)) {
		archive_entry_free(en);
		if (fd >= 0)
			close(fd);
		return lerr_sys(e, "%s", file);
	}
	archive_entry_set_size(en, file ? st.st_size : (la_int64_t)len);
	if (archive_write_header(w, en) != ARCHIVE_OK)
		rc = lerr_set(e, LX_LOCHS, "%s: %s", name, archive_error_string(w));
	else if (!file && archive_write_data(w, data, len) != (la_ssize_t)len)
		rc = lerr_set(e, LX_LOCHS, "%s: %s", name, archive_error_string(w));
	char buf[1 << 16];
	ssize_t n;
	while (rc == 0 && fd >= 0 && (n = read(fd, buf, sizeof buf)) > 0)
		if (archive_write_data(w, buf, (size_t)n) != n)
			rc = lerr_set(e, LX_LOCHS, "%s: %s", name, archive_error_string(w));
	if (fd >= 0)
		close(fd);
	archive_entry_free(en);
	return rc;
}

/* Writes a stored blob once (seen collects the digests written). */
static int add_blob(struct archive *w, const char *root, const char *digest, json_t *seen, struct lerr *e)
{
	char src[4096], name[100];
	if (json_object_get(seen, digest))
		return 0;
	json_object_set_new(seen, digest, json_true());
	store_blob_path(root, digest, src, sizeof src);
	if (!src[0])
		return lerr_set(e, LX_LOCHS, "bad digest %s", digest);
	snprintf(name, sizeof name, "blobs/sha256/%s", digest + 7);
	return add_entry(w, name, NULL, 0, src, e);
}

static int save_image(struct archive *w, const char *root, const char *ref, json_t *index, json_t *seen, struct lerr *e)
{
	struct image img;
	if (image_resolve(root, ref, &img, e) < 0)
		return -1;
	image_release(&img);
	json_t *man = store_read_json(root, img.manifest, e);
	if (!man)
		return -1;
	int rc = add_blob(w, root, img.manifest, seen, e);
	if (rc == 0)
		rc = add_blob(w, root, img.id, seen, e);
	for (int i = 0; rc == 0 && i < img.nlayers; i++)
		rc = add_blob(w, root, img.layers[i], seen, e);
	char blob[4096], norm[256];
	const char *why;
	struct stat st;
	store_blob_path(root, img.manifest, blob, sizeof blob);
	json_t *ann = json_object();
	/* A name given as a reference names the image; an id does not. */
	if (!ref_id_prefix(ref) && ref_normalize(ref, norm, sizeof norm, &why) == 0) {
		json_object_set_new(ann, ANN_REF, json_string(norm));
		json_object_set_new(ann, ANN_CONTAINERD, json_string(norm));
	}
	const char *mt = json_string_value(json_object_get(man, "mediaType"));
	json_array_append_new(json_object_get(index, "manifests"),
			      json_pack("{s:s, s:s, s:I, s:{s:s, s:s}, s:o}", "mediaType", mt ? mt : MT_MANIFEST, "digest",
					img.manifest, "size", (json_int_t)(stat(blob, &st) == 0 ? st.st_size : 0), "platform",
					"architecture", "amd64", "os", "freebsd", "annotations", ann));
	json_decref(man);
	if (rc == 0)
		event_image(root, "save", img.id, ref);
	return rc;
}

static int cmd_save(struct cli *c, int argc, char **argv, struct lerr *e)
{
	const char *out = NULL;
	int first = 0;
	for (int i = 1; i < argc; i++) {
		if ((!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) && i + 1 < argc)
			out = argv[++i];
		else if (!strncmp(argv[i], "--output=", 9))
			out = argv[i] + 9;
		else if (argv[i][0] == '-')
			return lerr_usage(e, "save", "unknown flag %s", argv[i]);
		else if (!first)
			first = i;
	}
	if (!first)
		return lerr_usage(e, "save", "requires at least one image");
	if (!out && isatty(1))
		return lerr_usage(e, "save", "refusing to write an archive to a terminal (use -o FILE)");
	struct archive *w = archive_write_new();
	archive_write_set_format_pax_restricted(w);
	int rc = archive_write_open_filename(w, out) == ARCHIVE_OK
			 ? 0
			 : lerr_set(e, LX_LOCHS, "%s: %s", out ? out : "stdout", archive_error_string(w));
	json_t *index = json_pack("{s:i, s:s, s:[]}", "schemaVersion", 2, "mediaType", MT_INDEX, "manifests");
	json_t *seen = json_object();
	static const char layout[] = "{\"imageLayoutVersion\":\"1.0.0\"}";
	if (rc == 0)
		rc = add_entry(w, "oci-layout", layout, sizeof layout - 1, NULL, e);
	for (int i = first; rc == 0 && i < argc; i++)
		if (argv[i][0] != '-' && (i == 1 || (strcmp(argv[i - 1], "-o") && strcmp(argv[i - 1], "--output"))))
			rc = save_image(w, c->root, argv[i], index, seen, e);
	char *s = rc == 0 ? json_dumps(index, JSON_COMPACT) : NULL;
	if (s)
		rc = add_entry(w, "index.json", s, strlen(s), NULL, e);
	free(s);
	if (archive_write_close(w) != ARCHIVE_OK && rc == 0)
		rc = lerr_set(e, LX_LOCHS, "%s: %s", out ? out : "stdout", archive_error_string(w));
	archive_write_free(w);
	json_decref(index);
	json_decref(seen);
	if (rc < 0 && out)
		unlink(out);
	return rc;
}
LOCHS_COMMAND(save, "save", cmd_save, "save -o FILE IMAGE [IMAGE...]", "Save images to an OCI archive");
LOCHS_COMMAND(image_save, "image save", cmd_save, "image save -o FILE IMAGE [IMAGE...]", "Save images to an OCI archive");

/* dir/rel when it is a regular file inside dir (no symlink on the way:
 * the archive could point one anywhere on the host). */
static int member(const char *dir, const char *rel, char *out, size_t size, struct lerr *e)
{
	char clean[PATH_MAX], real[PATH_MAX];
	const char *why;
	struct stat st;
	if (!rel || layer_path_clean(rel, clean, sizeof clean, &why) < 0 || !*clean)
		return lerr_set(e, LX_LOCHS, "archive: bad member name %s", rel ? rel : "(none)");
	snprintf(out, size, "%s/%s", dir, clean);
	if (lstat(out, &st) < 0 || !S_ISREG(st.st_mode) || !realpath(out, real) || strcmp(real, out))
		return lerr_set(e, LX_LOCHS, "archive: %s is missing or not a plain file", clean);
	return 0;
}

/* Moves blob digest from the unpacked layout into the store (verified). */
static int load_blob(const char *root, const char *dir, const char *digest, struct lerr *e)
{
	char have[4096], rel[100], src[PATH_MAX], d[72];
	store_blob_path(root, digest, have, sizeof have);
	if (!have[0])
		return lerr_set(e, LX_LOCHS, "archive: bad digest %s", digest ? digest : "(none)");
	if (access(have, F_OK) == 0)
		return 0;
	snprintf(rel, sizeof rel, "blobs/sha256/%s", digest + 7);
	if (member(dir, rel, src, sizeof src, e) < 0)
		return -1;
	snprintf(d, sizeof d, "%s", digest);
	return store_add_blob_file(root, src, d, NULL, e);
}

static json_t *layout_json(const char *dir, const char *digest, struct lerr *e)
{
	char rel[100], p[PATH_MAX];
	if (!digest || strncmp(digest, "sha256:", 7) || strlen(digest) != 71)
		return lerr_set(e, LX_LOCHS, "archive: bad digest"), NULL;
	snprintf(rel, sizeof rel, "blobs/sha256/%s", digest + 7);
	if (member(dir, rel, p, sizeof p, e) < 0)
		return NULL;
	json_t *j = json_load_file(p, 0, NULL);
	if (!j)
		lerr_set(e, LX_LOCHS, "archive: %s is not JSON", digest);
	return j;
}

/* The store's name for an index entry's annotations, "" for none. */
static void entry_name(json_t *d, char *out, size_t size)
{
	json_t *a = json_object_get(d, "annotations");
	const char *n = json_string_value(json_object_get(a, ANN_CONTAINERD));
	const char *r = json_string_value(json_object_get(a, ANN_REF));
	struct regref rr;
	const char *why;
	out[0] = 0;
	if (n && regref_parse(n, &rr, &why) == 0)
		regref_name(&rr, out, size);
	else if (r && strchr(r, ':') && ref_normalize(r, out, size, &why) < 0)
		out[0] = 0; /* skopeo's bare tags ("latest") name no repository */
}

static int load_manifest(const char *root, const char *dir, json_t *d, const char *name, struct lerr *e)
{
	const char *digest = json_string_value(json_object_get(d, "digest"));
	json_t *man = layout_json(dir, digest, e);
	if (!man)
		return -1;
	const char *mt = json_string_value(json_object_get(man, "mediaType"));
	if ((mt && !strcmp(mt, MT_INDEX)) || json_is_array(json_object_get(man, "manifests"))) {
		char avail[512];
		json_t *pick = index_pick_platform(man, "freebsd", "amd64", avail, sizeof avail);
		int rc = pick ? load_manifest(root, dir, pick, name, e)
			      : lerr_set(e, LX_LOCHS, "archive: no freebsd/amd64 image in %s (it has %s)", digest, avail);
		json_decref(man);
		return rc;
	}
	const char *cfg = json_string_value(json_object_get(json_object_get(man, "config"), "digest"));
	int rc = load_blob(root, dir, cfg, e);
	json_t *l;
	size_t i;
	json_array_foreach (json_object_get(man, "layers"), i, l)
		if (rc == 0)
			rc = load_blob(root, dir, json_string_value(json_object_get(l, "digest")), e);
	char ldir[4096], mdig[72];
	json_array_foreach (json_object_get(man, "layers"), i, l)
		if (rc == 0)
			rc = image_layer_dir(root, json_string_value(json_object_get(l, "digest")), ldir, sizeof ldir, e);
	snprintf(mdig, sizeof mdig, "%s", digest);
	struct stat st;
	char mpath[4096];
	store_blob_path(root, digest, mpath, sizeof mpath);
	if (rc == 0 && (rc = load_blob(root, dir, digest, e)) == 0 && stat(mpath, &st) == 0 &&
	    (rc = image_commit(root, mdig, st.st_size, cfg, name[0] ? name : NULL, e)) == 0) {
		if (name[0])
			printf("Loaded image: %s\n", name);
		else
			printf("Loaded image ID: %s\n", cfg);
		event_image(root, "load", cfg, name);
	}
	json_decref(man);
	return rc;
}

/* docker-archive: manifest.json [{Config, RepoTags, Layers}]. */
static int load_docker(const char *root, const char *dir, json_t *list, struct lerr *e)
{
	json_t *m;
	size_t i;
	json_array_foreach (list, i, m) {
		char p[PATH_MAX], paths[IMAGE_MAX_LAYERS][PATH_MAX], id[72], norm[256];
		struct new_layer layers[IMAGE_MAX_LAYERS];
		json_t *ls = json_object_get(m, "Layers"), *l;
		size_t j, n = json_array_size(ls);
		if (n > IMAGE_MAX_LAYERS)
			return lerr_set(e, LX_LOCHS, "archive: more than %d layers", IMAGE_MAX_LAYERS);
		if (member(dir, json_string_value(json_object_get(m, "Config")), p, sizeof p, e) < 0)
			return -1;
		json_t *cfg = json_load_file(p, 0, NULL);
		if (!json_is_object(cfg)) {
			json_decref(cfg);
			return lerr_set(e, LX_LOCHS, "archive: image config is not JSON");
		}
		int rc = 0;
		json_array_foreach (ls, j, l) {
			if (rc == 0)
				rc = member(dir, json_string_value(l), paths[j], sizeof paths[j], e);
			layers[j] = (struct new_layer){ paths[j], NULL };
		}
		const char *tag = json_string_value(json_array_get(json_object_get(m, "RepoTags"), 0));
		struct regref rr;
		const char *why;
		norm[0] = 0;
		if (tag && regref_parse(tag, &rr, &why) == 0)
			regref_name(&rr, norm, sizeof norm);
		/* Layers shared by two images were moved by the first one. */
		if (rc == 0)
			rc = image_create(root, layers, (int)n, cfg, norm[0] ? norm : NULL, id, e);
		json_decref(cfg);
		if (rc < 0)
			return -1;
		printf(norm[0] ? "Loaded image: %s\n" : "Loaded image ID: %s\n", norm[0] ? norm : id);
		event_image(root, "load", id, norm);
	}
	return 0;
}

static int cmd_load(struct cli *c, int argc, char **argv, struct lerr *e)
{
	const char *in = NULL;
	for (int i = 1; i < argc; i++) {
		if ((!strcmp(argv[i], "-i") || !strcmp(argv[i], "--input")) && i + 1 < argc)
			in = argv[++i];
		else if (!strncmp(argv[i], "--input=", 8))
			in = argv[i] + 8;
		else if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet"))
			continue;
		else
			return lerr_usage(e, "load", "unexpected argument %s", argv[i]);
	}
	if (!in)
		return lerr_usage(e, "load", "requires -i FILE");
	int w = store_writer_begin(c->root, e);
	if (w < 0)
		return -1;
	char tmp[4096], dir[4200], p[PATH_MAX];
	store_tmp_dir(c->root, tmp, sizeof tmp);
	snprintf(dir, sizeof dir, "%s/load.%d", tmp, (int)getpid());
	rm_rf(dir);
	int rc = layer_extract(in, dir, e);
	json_t *idx = NULL, *d;
	size_t i;
	if (rc == 0 && member(dir, "index.json", p, sizeof p, NULL) == 0) {
		idx = json_load_file(p, 0, NULL);
		if (!json_is_array(json_object_get(idx, "manifests")))
			rc = lerr_set(e, LX_LOCHS, "%s: index.json is not an OCI index", in);
		json_array_foreach (json_object_get(idx, "manifests"), i, d) {
			char name[300];
			entry_name(d, name, sizeof name);
			if (rc == 0)
				rc = load_manifest(c->root, dir, d, name, e);
		}
	} else if (rc == 0 && member(dir, "manifest.json", p, sizeof p, NULL) == 0) {
		idx = json_load_file(p, 0, NULL);
		rc = json_is_array(idx) ? load_docker(c->root, dir, idx, e)
					: lerr_set(e, LX_LOCHS, "%s: manifest.json is not a docker-archive manifest", in);
	} else if (rc == 0) {
		rc = lerr_set(e, LX_LOCHS, "%s: neither an OCI archive (index.json) nor a docker-archive (manifest.json)", in);
	}
	json_decref(idx);
	rm_rf(dir);
	store_writer_end(w);
	return rc < 0 ? lerr_wrap(e, "load %s", in) : 0;
}
LOCHS_COMMAND(load, "load", cmd_load, "load -i FILE", "Load images from an OCI archive or a docker-archive");
LOCHS_COMMAND(image_load, "image load", cmd_load, "image load -i FILE", "Load images from an OCI archive or a docker-archive");
