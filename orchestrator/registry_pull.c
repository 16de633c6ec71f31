/* lochs pull REGISTRY/REPO[:TAG|@DIGEST]: manifest (through an index to
 * the freebsd/amd64 entry), config and layers, every blob verified by its
 * digest before anything enters the store; layers are extracted (and so
 * vetted) before the tag is committed. */
#include "registry.h"
#include "imagestore.h"
#include "../common/sha256.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ACCEPT_MANIFESTS MT_MANIFEST ", " MT_INDEX ", " MT_DOCKER_MANIFEST ", " MT_DOCKER_LIST
#define PULL_OS "freebsd"
#define PULL_ARCH "amd64"

/* GETs manifest `what` (tag or digest) of repo; verified against `want`
 * when set, its digest in digest_out. */
static json_t *get_manifest(struct reg *r, const char *repo, const char *what, const char *want, char *body_out[],
			    size_t *len, char digest_out[72], struct lerr *e)
{
	char path[600], ctype[128], hex[65];
	long status;
	snprintf(path, sizeof path, "%s/manifests/%s", repo, what);
	char *body = reg_get(r, path, ACCEPT_MANIFESTS, len, &status, ctype, sizeof ctype, e);
	if (!body)
		return NULL;
	if (status == 404) {
		free(body);
		return lerr_set(e, LX_LOCHS, "manifest for %s/%s:%s not found: manifest unknown", r->host, repo, what), NULL;
	}
	if (status != 200) {
		free(body);
		return lerr_set(e, LX_LOCHS, "%s/%s: manifest %s: HTTP %ld", r->host, repo, what, status), NULL;
	}
	sha256_buf(body, *len, hex);
	snprintf(digest_out, 72, "sha256:%s", hex);
	if (want && strcmp(want, digest_out)) {
		free(body);
		return lerr_set(e, LX_LOCHS, "%s/%s: manifest digest mismatch: got %s, expected %s", r->host, repo,
				digest_out, want), NULL;
	}
	json_t *j = json_loadb(body, *len, 0, NULL);
	if (!json_is_object(j)) {
		json_decref(j);
		free(body);
		return lerr_set(e, LX_LOCHS, "%s/%s: manifest %s is not JSON", r->host, repo, what), NULL;
	}
	*body_out = body;
	return j;
}

static int is_index(json_t *m)
{
	const char *mt = json_string_value(json_object_get(m, "mediaType"));
	return (mt && (!strcmp(mt, MT_INDEX) || !strcmp(mt, MT_DOCKER_LIST))) ||
	       (!mt && json_is_array(json_object_get(m, "manifests")));
}

/* Downloads the config and the layers not yet stored into the store's tmp
 * directory, then moves them all in; jobs[i].path is each blob's file. */
static int fetch_blobs(const char *root, struct reg *r, const char *repo, json_t *man, int tty, struct lerr *e)
{
	json_t *layers = json_object_get(man, "layers"), *l;
	size_t nl = json_array_size(layers), i;
	if (nl > IMAGE_MAX_LAYERS)
		return lerr_set(e, LX_LOCHS, "%s: more than %d layers", repo, IMAGE_MAX_LAYERS);
	struct blob_job *jobs = calloc(nl + 2, sizeof *jobs);
	int n = 0, rc = -1;
	char tmp[4096], blob[4096];
	store_tmp_dir(root, tmp, sizeof tmp);
	json_t *cfg = json_object_get(man, "config");
	for (i = 0; i <= nl; i++) {
		l = i < nl ? json_array_get(layers, i) : cfg;
		const char *d = json_string_value(json_object_get(l, "digest"));
		const char *mt = json_string_value(json_object_get(l, "mediaType"));
		if (!d || strncmp(d, "sha256:", 7) || !sha256_is_hex(d + 7)) {
			lerr_set(e, LX_LOCHS, "%s: manifest has a bad digest %s", repo, d ? d : "(none)");
			goto out;
		}
		if (i < nl && !layer_type_supported(mt)) {
			lerr_set(e, LX_LOCHS, "%s: layer %s has unsupported media type %s", repo, d, mt ? mt : "(none)");
			goto out;
		}
		store_blob_path(root, d, blob, sizeof blob);
		if (access(blob, F_OK) == 0) {
			if (!tty && i < nl)
				printf("%.12s: Already exists\n", d + 7);
			continue;
		}
		int dup = 0;
		for (int k = 0; k < n; k++)
			dup |= !strcmp(jobs[k].digest, d);
		if (dup)
			continue;
		snprintf(jobs[n].digest, sizeof jobs[n].digest, "%s", d);
		jobs[n].size = json_integer_value(json_object_get(l, "size"));
		snprintf(jobs[n].path, sizeof jobs[n].path, "%s/pull-%s", tmp, d + 7);
		n++;
	}
	if (registry_fetch_blobs(r, repo, jobs, n, tty, e) < 0)
		goto out;
	rc = 0;
	for (int k = 0; k < n && rc == 0; k++)
		rc = store_add_blob_file(root, jobs[k].path, jobs[k].digest, NULL, e);
	json_array_foreach (layers, i, l) {
		char dir[4096];
		if (rc == 0 && !tty)
			printf("%.12s: Extracting\n", json_string_value(json_object_get(l, "digest")) + 7);
		if (rc == 0)
			rc = image_layer_dir(root, json_string_value(json_object_get(l, "digest")), dir, sizeof dir, e);
	}
out:
	free(jobs);
	return rc;
}

static int pull(const char *root, struct reg *r, const struct regref *ref, const char *name, int tty, struct lerr *e)
{
	char digest[72], *body = NULL;
	size_t len = 0;
	json_t *man = get_manifest(r, ref->repo, ref->digest[0] ? ref->digest : ref->tag, ref->digest[0] ? ref->digest : NULL,
				   &body, &len, digest, e);
	if (!man)
		return -1;
	char top[72];
	snprintf(top, sizeof top, "%s", digest);
	if (is_index(man)) {
		char avail[1024];
		json_t *d = index_pick_platform(man, PULL_OS, PULL_ARCH, avail, sizeof avail);
		const char *dd = json_string_value(json_object_get(d, "digest"));
		if (!dd) {
			json_decref(man);
			free(body);
			return lerr_set(e, LX_LOCHS, "%s/%s: no %s/%s image in the index (it has %s)", r->host, ref->repo, PULL_OS,
					PULL_ARCH, avail);
		}
		char want[72];
		snprintf(want, sizeof want, "%s", dd);
		json_decref(man);
		free(body);
		body = NULL;
		if (!(man = get_manifest(r, ref->repo, want, want, &body, &len, digest, e)))
			return -1;
		if (is_index(man)) {
			json_decref(man);
			free(body);
			return lerr_set(e, LX_LOCHS, "%s/%s: nested image indexes are not supported", r->host, ref->repo);
		}
	}
	struct image cur;
	int rc = -1;
	if (name[0] && image_resolve(root, name, &cur, NULL) == 0) {
		int same = !strcmp(cur.manifest, digest);
		image_release(&cur);
		if (same) {
			printf("Digest: %s\nStatus: Image is up to date for %s\n", top, name);
			rc = 0;
			goto out;
		}
	}
	if (!json_is_object(json_object_get(man, "config")) || !json_is_array(json_object_get(man, "layers"))) {
		lerr_set(e, LX_LOCHS, "%s/%s: not an image manifest (schema 2 or OCI)", r->host, ref->repo);
		goto out;
	}
	int w = store_writer_begin(root, e);
	if (w < 0)
		goto out;
	char mdig[72], id[72];
	const char *cd = json_string_value(json_object_get(json_object_get(man, "config"), "digest"));
	snprintf(id, sizeof id, "%s", cd ? cd : "");
	if (fetch_blobs(root, r, ref->repo, man, tty, e) == 0 && store_add_blob_buf(root, body, len, mdig, e) == 0 &&
	    image_commit(root, mdig, (long long)len, id, name[0] ? name : NULL, e) == 0) {
		blobsrc_record(root, r->host, ref->repo, man); /* for pushes that mount */
		printf("Digest: %s\n", top);
		if (name[0])
			printf("Status: Downloaded newer image for %s\n%s\n", name, name);
		else
			printf("Status: Downloaded image %s\n", id);
		rc = 0;
	}
	store_writer_end(w);
out:
	json_decref(man);
	free(body);
	return rc;
}

int registry_pull(const char *root, const char *s, int tls_verify, int tty, struct lerr *e)
{
	struct regref ref;
	const char *why;
	if (regref_parse(s, &ref, &why) < 0)
		return lerr_set(e, LX_LOCHS, "invalid reference format %s: %s", s, why);
	char name[600], scope[400];
	regref_name(&ref, name, sizeof name);
	printf("%s: Pulling from %s/%s\n", ref.tag[0] ? ref.tag : ref.digest, ref.host, ref.repo);
	fflush(stdout);
	snprintf(scope, sizeof scope, "repository:%s:pull", ref.repo);
	struct reg r;
	if (store_init(root, e) < 0 || reg_open(&r, root, regref_api_host(&ref), tls_verify, scope, e) < 0)
		return -1;
	return pull(root, &r, &ref, name, tty, e);
}
