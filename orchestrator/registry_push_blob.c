/* One blob into a repository: HEAD (already there), a cross-repository
 * mount, or an upload session: POST, then one PUT ?digest= with the whole
 * blob (monolithic), or PATCH chunks with Content-Range each followed by
 * the Location the registry answers, closed by an empty PUT ?digest=. */
#include "registry_push.h"
#include <curl/curl.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define OCTETS "application/octet-stream"

int push_chunk_size(long long *n, struct lerr *e)
{
	const char *s = getenv("LOCHS_PUSH_CHUNK_SIZE");
	char *end = NULL;
	*n = 64LL << 20;
	if (!s || !*s)
		return 0;
	long long v = strtoll(s, &end, 10);
	if (v <= 0 || *end)
		return lerr_set(e, LX_LOCHS, "LOCHS_PUSH_CHUNK_SIZE=%s: not a number of bytes", s);
	*n = v;
	return 0;
}

static int fail(struct lerr *e, const char *repo, const char *digest, const char *what, struct reg_req *q)
{
	return lerr_set(e, LX_LOCHS, "%s: blob %.19s: %s: %s", repo, digest, what, q->error[0] ? q->error : "failed");
}

/* Where a chunk's progress goes: the blob's progress from chunk offset base. */
struct relay {
	const struct push_blob *b;
	long long base;
};
static void relay(void *u, long long sent)
{
	struct relay *x = u;
	if (x->b->progress)
		x->b->progress(x->b->pu, x->base + sent);
}

/* POST of an upload session, or of a mount: 1 mounted, 0 loc names the
 * session to upload to, -1 error. */
static int start(struct reg *r, const char *repo, const struct push_blob *b, char *loc, size_t lsize, struct lerr *e)
{
	char url[4096];
	int n = snprintf(url, sizeof url, "%s/v2/%s/blobs/uploads/", r->base, repo);
	if (b->mount_from)
		snprintf(url + n, sizeof url - (size_t)n, "?mount=%s&from=%s", b->digest, b->mount_from);
	struct reg_req q = { .method = "POST", .url = url, .fd = -1 };
	if (reg_request(r, &q, e) < 0)
		return -1;
	if (q.status == 201 && b->mount_from)
		return 1;
	if (q.status != 202 || !q.location[0])
		return fail(e, repo, b->digest, "starting the upload", &q);
	reg_url(r, q.location, loc, lsize);
	return 0;
}

/* Sends len bytes from off to loc (PATCH with a range, or the closing PUT
 * with ?digest=); loc becomes the next Location. */
static int send_part(struct reg *r, const char *repo, const struct push_blob *b, int fd, char *loc, size_t lsize,
		long long off, long long len, int last, struct lerr *e)
{
	char url[4200], range[64];
	struct relay x = { b, off };
	struct reg_req q = { .method = last ? "PUT" : "PATCH", .url = url, .ctype = OCTETS, .buf = b->buf ? b->buf + off : NULL,
			     .fd = fd, .off = off, .len = len, .progress = relay, .pu = &x };
	if (last) {
		char *esc = curl_easy_escape(NULL, b->digest, 0);
		snprintf(url, sizeof url, "%s%cdigest=%s", loc, strchr(loc, '?') ? '&' : '?', esc ? esc : b->digest);
		curl_free(esc);
	} else {
		snprintf(url, sizeof url, "%s", loc);
		snprintf(range, sizeof range, "%lld-%lld", off, off + len - 1);
		q.crange = range;
	}
	if (reg_request(r, &q, e) < 0)
		return -1;
	if (last) {
		if (q.status != 201)
			return fail(e, repo, b->digest, "completing the upload", &q);
		if (q.digest[0] && strcmp(q.digest, b->digest))
			return lerr_set(e, LX_LOCHS, "%s: blob %.19s: the registry stored %s", repo, b->digest, q.digest);
		return 0;
	}
	if (q.status != 202 || !q.location[0])
		return fail(e, repo, b->digest, "uploading a chunk", &q);
	reg_url(r, q.location, loc, lsize);
	return 0;
}

int push_blob(struct reg *r, const char *repo, const struct push_blob *b, int *chunks, struct lerr *e)
{
	char url[4096], loc[4096];
	snprintf(url, sizeof url, "%s/v2/%s/blobs/%s", r->base, repo, b->digest);
	struct reg_req q = { .method = "HEAD", .url = url, .fd = -1 };
	if (reg_request(r, &q, e) < 0)
		return -1;
	if (q.status == 200)
		return PUSH_EXISTS;
	if (q.status != 404)
		return fail(e, repo, b->digest, "checking for it", &q);
	int m = start(r, repo, b, loc, sizeof loc, e);
	if (m != 0)
		return m < 0 ? -1 : PUSH_MOUNTED;
	int fd = -1;
	if (!b->buf && (fd = open(b->path, O_RDONLY | O_CLOEXEC)) < 0)
		return lerr_sys(e, "%s", b->path);
	long long chunk, off = 0;
	if (push_chunk_size(&chunk, e) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	int rc = 0;
	*chunks = 0;
	/* Chunked: every byte goes in PATCHes, the PUT only closes. */
	while (rc == 0 && b->size > chunk && off < b->size) {
		long long n = b->size - off < chunk ? b->size - off : chunk;
		rc = send_part(r, repo, b, fd, loc, sizeof loc, off, n, 0, e);
		off += n;
		++*chunks;
	}
	if (rc == 0)
		rc = send_part(r, repo, b, fd, loc, sizeof loc, off, b->size - off, 1, e);
	if (fd >= 0)
		close(fd);
	if (rc < 0) { /* the registry need not keep a broken session until it expires */
		struct lerr ignored;
		struct reg_req d = { .method = "DELETE", .url = loc, .fd = -1 };
		reg_request(r, &d, &ignored);
	}
	return rc < 0 ? -1 : PUSH_UPLOADED;
}
