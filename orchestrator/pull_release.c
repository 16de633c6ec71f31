#include "pull_release.h"
#include "http.h"
#include "imageref.h"
#include "imagestore.h"
#include "release.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The tag already names an image made from exactly this base.txz. */
static int up_to_date(const char *root, const char *ref, const char *hex)
{
	struct image img;
	if (image_resolve(root, ref, &img, NULL) < 0)
		return 0;
	int same = img.nlayers == 1 && !strcmp(img.layers[0] + 7, hex);
	image_release(&img);
	return same;
}

static json_t *release_config(const char *version, long long mtime)
{
	char created[40], rel[64], by[128];
	time_t t = mtime > 0 ? (time_t)mtime : time(NULL);
	strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	snprintf(rel, sizeof rel, "%s-RELEASE", version);
	snprintf(by, sizeof by, "FreeBSD %s base.txz", rel);
	return json_pack("{s:s, s:s, s:s, s:s, s:{s:[s], s:[s]}, s:[{s:s, s:s}]}", "created", created, "architecture", "amd64",
			 "os", "freebsd", "os.version", rel, "config", "Env", "PATH=/sbin:/bin:/usr/sbin:/usr/bin", "Cmd",
			 "/bin/sh", "history", "created", created, "created_by", by);
}

int pull_release(const char *root, const char *mirror, const char *ref, int tty, struct lerr *e)
{
	char norm[256], repo[256], tag[128], version[32], url[4096], hex[65];
	const char *why;
	if (ref_normalize(ref, norm, sizeof norm, &why) < 0)
		return lerr_set(e, LX_LOCHS, "invalid reference %s: %s", ref, why);
	ref_split(norm, repo, sizeof repo, tag, sizeof tag);
	if (release_version(tag, version, sizeof version, &why) < 0)
		return lerr_set(e, LX_LOCHS, "%s: %s", ref, why);
	if (!mirror || !*mirror)
		mirror = getenv("LOCHS_FREEBSD_MIRROR");
	if (!mirror || !*mirror)
		mirror = RELEASE_DEFAULT_MIRROR;
	snprintf(norm, sizeof norm, "freebsd:%s", version);
	printf("%s: Pulling from freebsd (FreeBSD %s-RELEASE)\n", version, version);
	release_url(mirror, version, "MANIFEST", url, sizeof url);
	char *manifest = http_get(url, NULL, e);
	if (!manifest)
		return -1;
	int bad = release_manifest_sha256(manifest, "base.txz", hex, &why);
	free(manifest);
	if (bad)
		return lerr_set(e, LX_LOCHS, "%s: base.txz: %s", url, why);
	if (up_to_date(root, norm, hex)) {
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
	printf("Extracting base.txz\n");
	fflush(stdout);
	json_t *cfg = release_config(version, hf.mtime);
	struct new_layer l = { file, MT_LAYER_XZ };
	char id[72];
	int rc = image_create(root, &l, 1, cfg, norm, id, e);
	json_decref(cfg);
	unlink(file); /* moved into the store on success */
	if (rc < 0)
		return -1;
	printf("Image ID: %s\nStatus: Downloaded newer image for %s\n%s\n", id, norm, norm);
	return 0;
}
