/* Images named by FROM and COPY --from: from the store, else pulled.
 * NAME@sha256:D pins the content, so a stored D is used without asking
 * the registry (also with --pull). D may be an image index: its
 * freebsd/amd64 manifest is used, and the index, checked against D, is
 * kept in the store so the next build finds it offline. */
#include "build_int.h"
#include "registry.h"
#include "../common/sha256.h"
#include <stdlib.h>
#include <string.h>

/* "@sha256:C" of the freebsd/amd64 manifest of stored index D, or -1. */
static int stored_index_child(struct bctx *b, const char *digest, char child[80])
{
	json_t *j = store_read_json(b->c->root, digest, NULL);
	char avail[512];
	json_t *d = json_is_array(json_object_get(j, "manifests")) ?
			    index_pick_platform(j, "freebsd", "amd64", avail, sizeof avail) : NULL;
	const char *cd = json_string_value(json_object_get(d, "digest"));
	int ok = cd && !strncmp(cd, "sha256:", 7) && sha256_is_hex(cd + 7);
	if (ok)
		snprintf(child, 80, "@%s", cd);
	json_decref(j);
	return ok ? 0 : -1;
}

/* GETs manifest D of ref's repository into the store, checked against D. */
static int fetch_manifest(struct bctx *b, const char *ref, struct lerr *e)
{
	struct regref r;
	const char *why;
	if (regref_parse(ref, &r, &why) < 0)
		return lerr_set(e, LX_LOCHS, "%s: %s", ref, why);
	char scope[400], path[600], ctype[128], hex[65], got[72];
	snprintf(scope, sizeof scope, "repository:%s:pull", r.repo);
	struct reg g;
	if (reg_open(&g, b->c->root, regref_api_host(&r), -1, scope, e) < 0)
		return -1;
	snprintf(path, sizeof path, "%s/manifests/%s", r.repo, r.digest);
	size_t len;
	long status;
	char *body = reg_get(&g, path, MT_INDEX ", " MT_DOCKER_LIST ", " MT_MANIFEST ", " MT_DOCKER_MANIFEST, &len, &status,
			     ctype, sizeof ctype, e);
	if (!body)
		return -1;
	int rc = -1;
	sha256_buf(body, len, hex);
	if (status != 200)
		lerr_set(e, LX_LOCHS, "%s: manifest: HTTP %ld", ref, status);
	else if (strcmp(hex, r.digest + 7))
		lerr_set(e, LX_LOCHS, "%s: manifest digest mismatch: got sha256:%s", ref, hex);
	else
		rc = store_add_blob_buf(b->c->root, body, len, got, e);
	free(body);
	return rc;
}

int build_image_ref(struct bctx *b, const char *ref, int force, struct image *img, struct lerr *e)
{
	const char *at = strchr(ref, '@');
	char local[80], child[80];
	struct lerr ignored;
	if (!at) {
		if (!force && image_resolve(b->c->root, ref, img, &ignored) == 0)
			return 0;
		if (build_pull(b, ref, e) < 0)
			return lerr_wrap(e, "pulling %s", ref);
		return image_resolve(b->c->root, ref, img, e);
	}
	if (strncmp(at + 1, "sha256:", 7) || !sha256_is_hex(at + 8))
		return lerr_set(e, LX_LOCHS, "%s: invalid digest (want sha256:<64 hex digits>)", ref);
	snprintf(local, sizeof local, "@%s", at + 1);
	/* Stored: the manifest itself, or an index whose manifest is. */
	if (image_resolve(b->c->root, local, img, &ignored) == 0 ||
	    (stored_index_child(b, at + 1, child) == 0 && image_resolve(b->c->root, child, img, &ignored) == 0))
		return 0;
	if (build_pull(b, ref, e) < 0) /* the pull checks the digest */
		return lerr_wrap(e, "pulling %s", ref);
	if (image_resolve(b->c->root, local, img, &ignored) == 0)
		return 0;
	/* An index: the pull stored only its freebsd/amd64 manifest. */
	if (fetch_manifest(b, ref, e) < 0 || stored_index_child(b, at + 1, child) < 0)
		return lerr_wrap(e, "%s: no freebsd/amd64 image under this digest", ref);
	return image_resolve(b->c->root, child, img, e);
}
