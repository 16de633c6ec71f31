/* lochs push: a stored image to an OCI registry (distribution API v2).
 * The stored manifest goes up byte for byte, so the digest pushed is the
 * one a pull gets back; a config without os/architecture is given
 * freebsd/amd64 first (a new config, so a new manifest), one naming
 * another platform is refused. Blobs go up config last, each skipped when
 * the repository has it, mounted when another repository of the registry
 * is known to have it (registry_blobsrc.c), else uploaded. */
#include "registry_push.h"
#include "imageref.h"
#include "imagestore.h"
#include "progress.h"
#include "../common/fsutil.h"
#include "../common/sha256.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PUSH_OS "freebsd"
#define PUSH_ARCH "amd64"

/* The manifest and config to push (as stored, or with os/arch added). */
struct payload {
	char *man;      /* manifest bytes */
	size_t mlen;
	char mdigest[72];
	const char *mtype;
	json_t *mj;     /* parsed */
	char *cfg;      /* config bytes when made here, else NULL (the stored blob) */
	size_t clen;
};

static void payload_free(struct payload *p)
{
	free(p->man);
	free(p->cfg);
	json_decref(p->mj);
}

/* Reads the stored manifest and checks (or fills in) the config's platform. */
static int payload_load(const char *root, const char *src, const struct image *img, struct payload *p, struct lerr *e)
{
	char path[4096], hex[65];
	memset(p, 0, sizeof *p);
	store_blob_path(root, img->manifest, path, sizeof path);
	if (!(p->man = read_file(path, &p->mlen)) || !(p->mj = json_loadb(p->man, p->mlen, 0, NULL)))
		return lerr_set(e, LX_LOCHS, "image store: manifest %s missing or not JSON", img->manifest);
	json_t *cfg = store_read_json(root, img->id, e);
	if (!cfg)
		return -1;
	const char *os = json_string_value(json_object_get(cfg, "os"));
	const char *arch = json_string_value(json_object_get(cfg, "architecture"));
	int rc = 0;
	if ((os && strcmp(os, PUSH_OS)) || (arch && strcmp(arch, PUSH_ARCH))) {
		rc = lerr_set(e, LX_LOCHS, "%s is a %s/%s image: lochs pushes %s/%s images", src, os ? os : "?",
			      arch ? arch : "?", PUSH_OS, PUSH_ARCH);
	} else if (!os || !arch) {
		json_object_set_new(cfg, "os", json_string(PUSH_OS));
		json_object_set_new(cfg, "architecture", json_string(PUSH_ARCH));
		p->cfg = json_dumps(cfg, JSON_COMPACT);
		p->clen = p->cfg ? strlen(p->cfg) : 0;
		sha256_buf(p->cfg, p->clen, hex);
		json_t *cd = json_object_get(p->mj, "config");
		json_object_set_new(cd, "digest", json_sprintf("sha256:%s", hex));
		json_object_set_new(cd, "size", json_integer((json_int_t)p->clen));
		free(p->man);
		p->man = json_dumps(p->mj, JSON_COMPACT);
		p->mlen = p->man ? strlen(p->man) : 0;
		printf("Config: os/architecture set to %s/%s\n", PUSH_OS, PUSH_ARCH);
	}
	json_decref(cfg);
	sha256_buf(p->man, p->mlen, hex);
	snprintf(p->mdigest, sizeof p->mdigest, "sha256:%s", hex);
	p->mtype = json_string_value(json_object_get(p->mj, "mediaType"));
	if (!p->mtype)
		p->mtype = MT_MANIFEST;
	return rc;
}

/* The token scopes: push to repo, pull from every repository a blob may
 * be mounted from (space-separated, see reg_open). */
static void scopes(const char *root, const char *host, const char *repo, json_t *man, char *out, size_t size)
{
	json_t *layers = json_object_get(man, "layers");
	size_t nl = json_array_size(layers);
	int n = snprintf(out, size, "repository:%s:pull,push", repo);
	for (size_t i = 0; i <= nl; i++) {
		json_t *d = i < nl ? json_array_get(layers, i) : json_object_get(man, "config");
		char from[300], one[400];
		if (!blobsrc_other_repo(root, json_string_value(json_object_get(d, "digest")), host, repo, from, sizeof from))
			continue;
		snprintf(one, sizeof one, " repository:%s:pull", from);
		if (!strstr(out, one) && n + strlen(one) < size)
			n += snprintf(out + n, size - (size_t)n, "%s", one);
	}
}

struct bar {
	char label[16];
	long long size;
	int last;
};
static void on_sent(void *u, long long sent)
{
	struct bar *b = u;
	progress_bar(b->label, sent, b->size, &b->last);
}

/* Pushes one blob of the manifest (desc), saying what became of it. */
static int one_blob(const char *root, struct reg *r, const char *repo, json_t *desc, const struct payload *p,
		    int is_config, int tty, struct lerr *e)
{
	const char *digest = json_string_value(json_object_get(desc, "digest"));
	char path[4096], from[300];
	if (!digest || strncmp(digest, "sha256:", 7) || !sha256_is_hex(digest + 7))
		return lerr_set(e, LX_LOCHS, "image store: manifest has a bad digest %s", digest ? digest : "(none)");
	struct bar bar = { "", json_integer_value(json_object_get(desc, "size")), -1 };
	snprintf(bar.label, sizeof bar.label, "%.12s", digest + 7);
	store_blob_path(root, digest, path, sizeof path);
	struct push_blob b = { digest, bar.size, path, NULL, NULL, tty ? on_sent : NULL, &bar };
	struct stat st;
	if (is_config && p->cfg)
		b.buf = p->cfg, b.path = NULL;
	else if (stat(path, &st) < 0)
		return lerr_sys(e, "image store: blob %s", digest);
	else if (st.st_size != bar.size)
		return lerr_set(e, LX_LOCHS, "image store: blob %s is %lld bytes, its manifest says %lld", digest,
				(long long)st.st_size, bar.size);
	if (blobsrc_other_repo(root, digest, r->host, repo, from, sizeof from))
		b.mount_from = from;
	int chunks = 0, res = push_blob(r, repo, &b, &chunks, e);
	if (tty && bar.last >= 0)
		printf(res < 0 ? "\n" : "\r\033[K"); /* an error goes below the bar */
	if (res < 0)
		return -1;
	if (is_config)
		return 0; /* as docker, only layers get a line */
	if (res == PUSH_EXISTS)
		printf("%s: Layer already exists\n", bar.label);
	else if (res == PUSH_MOUNTED)
		printf("%s: Mounted from %s\n", bar.label, from);
	else if (chunks)
		printf("%s: Pushed (%.1f MB in %d chunks)\n", bar.label, bar.size / 1e6, chunks);
	else
		printf("%s: Pushed (%.1f MB)\n", bar.label, bar.size / 1e6);
	fflush(stdout);
	return 0;
}

static int put_manifest(struct reg *r, const struct regref *ref, const struct payload *p, struct lerr *e)
{
	char url[4096];
	snprintf(url, sizeof url, "%s/v2/%s/manifests/%s", r->base, ref->repo, ref->tag);
	struct reg_req q = { .method = "PUT", .url = url, .ctype = p->mtype, .buf = p->man, .fd = -1,
			     .len = (long long)p->mlen };
	if (reg_request(r, &q, e) < 0)
		return -1;
	if (q.status != 201 && q.status != 200)
		return lerr_set(e, LX_LOCHS, "%s/%s:%s: manifest: %s", ref->host, ref->repo, ref->tag, q.error);
	if (q.digest[0] && strcmp(q.digest, p->mdigest))
		return lerr_set(e, LX_LOCHS, "%s/%s:%s: the registry stored manifest %s, not %s", ref->host, ref->repo,
				ref->tag, q.digest, p->mdigest);
	return 0;
}

static int push(const char *root, struct reg *r, const struct regref *ref, struct payload *p, int tty,
		struct lerr *e)
{
	json_t *layers = json_object_get(p->mj, "layers"), *l;
	size_t i;
	json_array_foreach (layers, i, l)
		if (one_blob(root, r, ref->repo, l, p, 0, tty, e) < 0)
			return -1;
	if (one_blob(root, r, ref->repo, json_object_get(p->mj, "config"), p, 1, tty, e) < 0 ||
	    put_manifest(r, ref, p, e) < 0)
		return -1;
	blobsrc_record(root, r->host, ref->repo, p->mj);
	printf("%s: digest: %s size: %zu\n", ref->tag, p->mdigest, p->mlen);
	return 0;
}

int registry_push(const char *root, const char *src, const char *dest, int tls_verify, int tty, char id[72],
		  char *name, struct lerr *e)
{
	struct regref ref;
	const char *why, *d = dest ? dest : src;
	if (!strncmp(d, "docker://", 9))
		d += 9;
	if (!dest && ref_id_prefix(src))
		return lerr_set(e, LX_LOCHS, "push: %s is an image id: name where it goes (lochs push %s REGISTRY/REPO:TAG)",
				src, src);
	if (regref_parse(d, &ref, &why) < 0)
		return lerr_set(e, LX_LOCHS, "invalid reference format %s: %s", d, why);
	if (ref.digest[0])
		return lerr_set(e, LX_LOCHS, "push: %s: push to a tag, not a digest", d);
	long long chunk;
	if (push_chunk_size(&chunk, e) < 0) /* a bad setting stops the push before it starts */
		return -1;
	/* Keeps garbage collection (rmi, prune) off the blobs being sent. */
	int w = store_writer_begin(root, e);
	if (w < 0)
		return -1;
	struct image img;
	if (image_resolve(root, src, &img, e) < 0) {
		store_writer_end(w);
		return lerr_wrap(e, "push");
	}
	image_release(&img);
	snprintf(id, 72, "%s", img.id);
	regref_name(&ref, name, 600);
	struct payload p;
	struct reg r;
	char scope[2048];
	int rc = payload_load(root, src, &img, &p, e);
	if (rc == 0) {
		scopes(root, regref_api_host(&ref), ref.repo, p.mj, scope, sizeof scope);
		printf("The push refers to repository [%s/%s]\n", ref.host, ref.repo);
		fflush(stdout);
		rc = reg_open(&r, root, regref_api_host(&ref), tls_verify, scope, e);
	}
	if (rc == 0)
		rc = push(root, &r, &ref, &p, tty, e);
	payload_free(&p);
	store_writer_end(w);
	return rc;
}
