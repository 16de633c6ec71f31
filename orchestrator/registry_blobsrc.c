/* Where blobs are known to live in registries, so that a push can mount a
 * blob from another repository of the same registry instead of uploading
 * it (Docker keeps the same record). ROOT/images/blob-sources.json:
 *   {"sha256:<hex>": ["127.0.0.1:5000/lochs-test", ...], ...}
 * newest first, at most SRC_MAX per blob; blobs gone from the store are
 * dropped whenever the file is written. A stale entry costs one mount
 * attempt that the registry answers by starting a plain upload. */
#include "registry.h"
#include "imagestore.h"
#include "../common/fsutil.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#define SRC_MAX 4

static void src_file(const char *root, char *out, size_t size, const char *suffix)
{
	snprintf(out, size, "%s/images/blob-sources.json%s", root, suffix);
}

static json_t *src_load(const char *root)
{
	char p[4096];
	src_file(root, p, sizeof p, "");
	json_t *j = json_load_file(p, 0, NULL);
	if (!json_is_object(j)) { /* none yet, or unreadable: start afresh */
		json_decref(j);
		j = json_object();
	}
	return j;
}

int blobsrc_other_repo(const char *root, const char *digest, const char *host, const char *repo, char *out,
		       size_t size)
{
	json_t *j = src_load(root), *v;
	size_t i, hl = strlen(host);
	int found = 0;
	json_array_foreach (json_object_get(j, digest), i, v) {
		const char *s = json_string_value(v);
		if (s && !strncmp(s, host, hl) && s[hl] == '/' && strcmp(s + hl + 1, repo)) {
			snprintf(out, size, "%s", s + hl + 1);
			found = 1;
			break;
		}
	}
	json_decref(j);
	return found;
}

int blobsrc_record(const char *root, const char *host, const char *repo, json_t *manifest)
{
	char p[4096], lock[4200], where[600];
	src_file(root, p, sizeof p, "");
	src_file(root, lock, sizeof lock, ".lock");
	snprintf(where, sizeof where, "%s/%s", host, repo);
	int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	while (flock(fd, LOCK_EX) < 0 && errno == EINTR)
		;
	json_t *j = src_load(root), *v, *layers = json_object_get(manifest, "layers");
	size_t n = json_array_size(layers);
	for (size_t k = 0; k <= n; k++) {
		json_t *desc = k < n ? json_array_get(layers, k) : json_object_get(manifest, "config");
		const char *dg = json_string_value(json_object_get(desc, "digest"));
		if (!dg)
			continue;
		json_t *list = json_array(), *old = json_object_get(j, dg);
		size_t i;
		json_array_append_new(list, json_string(where));
		json_array_foreach (old, i, v)
			if (json_string_value(v) && strcmp(json_string_value(v), where) && json_array_size(list) < SRC_MAX)
				json_array_append(list, v);
		json_object_set_new(j, dg, list);
	}
	const char *d;
	void *tmp;
	json_object_foreach_safe (j, tmp, d, v) {
		char blob[4096];
		store_blob_path(root, d, blob, sizeof blob);
		if (!blob[0] || access(blob, F_OK) < 0)
			json_object_del(j, d);
	}
	char *s = json_dumps(j, JSON_COMPACT);
	int rc = s ? write_file_atomic(p, s, strlen(s), 0644) : -1;
	free(s);
	json_decref(j);
	close(fd);
	return rc;
}
