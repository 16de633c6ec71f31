#include "pull_release.h"
#include "http.h"
#include "imageref.h"
#include "imagestore.h"
#include "release_variant.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *const variant_suffix[] = { "", "-minimal", "-rescue" };
#define LABEL_BASE "io.lochs.base.sha256"

/* The tag already names an image made from exactly this base.txz: its
 * only layer, or for a variant the base.txz its label names. */
static int up_to_date(const char *root, const char *ref, const char *hex, enum release_variant v)
{
	struct image img;
	if (image_resolve(root, ref, &img, NULL) < 0)
		return 0;
	const char *base = json_string_value(json_object_get(json_object_get(img.config, "Labels"), LABEL_BASE));
	int same = v == RELEASE_FULL ? img.nlayers == 1 && !strcmp(img.layers[0] + 7, hex) : base && !strcmp(base, hex);
	image_release(&img);
	return same;
}

static json_t *release_config(const char *version, enum release_variant v, const char *hex, long long mtime)
{
	char created[40], rel[64], by[160];
	time_t t = mtime > 0 ? (time_t)mtime : time(NULL);
	strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	snprintf(rel, sizeof rel, "%s-RELEASE", version);
	snprintf(by, sizeof by, "FreeBSD %s base.txz%s%s", rel, v ? ", variant " : "", variant_suffix[v] + (v ? 1 : 0));
	int rescue = v == RELEASE_RESCUE;
	json_t *c = json_pack("{s:s, s:s, s:s, s:s, s:{s:[s], s:[s]}, s:[{s:s, s:s}]}", "created", created, "architecture",
			      "amd64", "os", "freebsd", "os.version", rel, "config", "Env",
			      rescue ? "PATH=/rescue" : "PATH=/sbin:/bin:/usr/sbin:/usr/bin", "Cmd",
			      rescue ? "/rescue/sh" : "/bin/sh", "history", "created", created, "created_by", by);
	if (v != RELEASE_FULL)
		json_object_set_new(json_object_get(c, "config"), "Labels", json_pack("{s:s}", LABEL_BASE, hex));
	return c;
}

int pull_release(const char *root, const char *mirror, const char *ref, int tty, char *stored, size_t size,
		 struct lerr *e)
{
	char norm[256], repo[256], tag[128], version[32], url[4096], hex[65];
	const char *why;
	if (ref_normalize(ref, norm, sizeof norm, &why) < 0)
		return lerr_set(e, LX_LOCHS, "invalid reference %s: %s", ref, why);
	ref_split(norm, repo, sizeof repo, tag, sizeof tag);
	enum release_variant variant;
	if (release_version(tag, version, sizeof version, &variant, &why) < 0)
		return lerr_set(e, LX_LOCHS, "%s: %s", ref, why);
	if (!mirror || !*mirror)
		mirror = getenv("LOCHS_FREEBSD_MIRROR");
	if (!mirror || !*mirror)
		mirror = RELEASE_DEFAULT_MIRROR;
	snprintf(norm, sizeof norm, "freebsd:%s%s", version, variant_suffix[variant]);
	if (stored)
		snprintf(stored, size, "%s", norm);
	printf("%s: Pulling from freebsd (FreeBSD %s-RELEASE)\n", version, version);
	release_url(mirror, version, "MANIFEST", url, sizeof url);
	char *manifest = http_get(url, NULL, e);
	if (!manifest)
		return -1;
	int bad = release_manifest_sha256(manifest, "base.txz", hex, &why);
	free(manifest);
	if (bad)
		return lerr_set(e, LX_LOCHS, "%s: base.txz: %s", url, why);
	if (up_to_date(root, norm, hex, variant)) {
		printf("Status: Image is up to date for %s\n%s\n", norm, norm);
		return 0;
	}
	if (store_init(root, e) < 0)
		return -1;
	char tmp[4096], file[4096], blob[4096], digest[72];
	store_tmp_dir(root, tmp, sizeof tmp);
	snprintf(file, sizeof file, "%s/base-%s.txz", tmp, hex);
	snprintf(digest, sizeof digest, "sha256:%s", hex);
	store_blob_path(root, digest, blob, sizeof blob);
	struct http_file hf = { .want_sha256 = hex, .label = "base.txz", .tty = tty, .mtime = -1 };
	unlink(file);
	if (link(blob, file) < 0) { /* not stored yet: download it */
		release_url(mirror, version, "base.txz", url, sizeof url);
		if (http_download(url, file, &hf, e) < 0)
			return -1;
	}
	char cut[4096];
	struct new_layer l = { file, MT_LAYER_XZ };
	if (variant != RELEASE_FULL) {
		printf("Making the %s variant\n", variant_suffix[variant] + 1);
		fflush(stdout);
		snprintf(cut, sizeof cut, "%s/base-%s%s.tar.gz", tmp, hex, variant_suffix[variant]);
		if (release_variant_layer(file, cut, variant, e) < 0) {
			unlink(cut);
			unlink(file);
			return -1;
		}
		unlink(file);
		l = (struct new_layer){ cut, MT_LAYER_GZIP };
	}
	printf("Extracting base.txz\n");
	fflush(stdout);
	json_t *cfg = release_config(version, variant, hex, hf.mtime);
	char id[72];
	int rc = image_create(root, &l, 1, cfg, norm, id, e);
	json_decref(cfg);
	unlink(l.path); /* moved into the store on success */
	if (rc < 0)
		return -1;
	printf("Image ID: %s\nStatus: Downloaded newer image for %s\n%s\n", id, norm, norm);
	return 0;
}
