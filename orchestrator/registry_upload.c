/* The requests of a push (distribution API v2): HEAD of a blob, upload
 * sessions (POST, PATCH chunks with Content-Range, the closing PUT with
 * ?digest=), cross-repository mounts and the manifest PUT. Bodies are
 * streamed from the blob file, never read whole into memory. */
#include "registry_push.h"
#include "http.h"
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct call {
	struct reg_req *q;
	long long sent;
	struct http_buf body;
};

static size_t on_read(char *d, size_t sz, size_t nm, void *u)
{
	struct call *c = u;
	struct reg_req *q = c->q;
	size_t want = sz * nm;
	long long left = q->len - c->sent;
	if (left <= 0)
		return 0;
	if ((long long)want > left)
		want = (size_t)left;
	if (q->buf) {
		memcpy(d, q->buf + c->sent, want);
	} else {
		ssize_t n = pread(q->fd, d, want, (off_t)(q->off + c->sent));
		if (n <= 0)
			return CURL_READFUNC_ABORT; /* the file shrank: fail, never send short */
		want = (size_t)n;
	}
	c->sent += (long long)want;
	return want;
}

static size_t on_header(char *d, size_t sz, size_t nm, void *u)
{
	struct reg_req *q = ((struct call *)u)->q;
	reg_header_value(d, sz * nm, "Location", q->location, sizeof q->location);
	reg_header_value(d, sz * nm, "Docker-Content-Digest", q->digest, sizeof q->digest);
	return sz * nm;
}

static size_t on_body(char *d, size_t sz, size_t nm, void *u)
{
	struct call *c = u;
	if (c->body.n > 8192) /* an error document: its start is enough */
		return sz * nm;
	return http_buf_write(d, sz, nm, &c->body);
}

static int on_progress(void *u, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
	struct reg_req *q = ((struct call *)u)->q;
	if (q->progress)
		q->progress(q->pu, (long long)un);
	return 0;
}

/* The registry's own words for a failed request: the first error's
 * code and message of its JSON error document. */
static void error_text(struct reg_req *q, const char *body)
{
	json_t *j = body ? json_loads(body, 0, NULL) : NULL;
	json_t *e0 = json_array_get(json_object_get(j, "errors"), 0);
	const char *code = json_string_value(json_object_get(e0, "code"));
	const char *msg = json_string_value(json_object_get(e0, "message"));
	if (msg)
		snprintf(q->error, sizeof q->error, "%s%s%s", code ? code : "", code ? ": " : "", msg);
	else
		snprintf(q->error, sizeof q->error, "HTTP %ld", q->status);
	json_decref(j);
}

static int once(struct reg *r, struct reg_req *q, struct lerr *e)
{
	char errbuf[CURL_ERROR_SIZE], ct[200], cr[100];
	struct call c = { q, 0, { 0 } };
	struct curl_slist *h = curl_slist_append(NULL, "Expect:"); /* no 100-continue round trip */
	if (q->ctype) {
		snprintf(ct, sizeof ct, "Content-Type: %s", q->ctype);
		h = curl_slist_append(h, ct);
	}
	if (q->crange) {
		snprintf(cr, sizeof cr, "Content-Range: %s", q->crange);
		h = curl_slist_append(h, cr);
	}
	void *hv = h;
	CURL *k = reg_easy_url(r, q->url, &hv, errbuf);
	h = hv;
	if (!k) {
		curl_slist_free_all(h);
		return lerr_set(e, LX_LOCHS, "cannot start libcurl");
	}
	q->location[0] = q->digest[0] = q->error[0] = 0;
	/* A Location here names the next step, not a redirect to follow. */
	curl_easy_setopt(k, CURLOPT_FOLLOWLOCATION, strcmp(q->method, "HEAD") ? 0L : 1L);
	if (!strcmp(q->method, "HEAD")) {
		curl_easy_setopt(k, CURLOPT_NOBODY, 1L);
	} else if (!strcmp(q->method, "DELETE")) {
		curl_easy_setopt(k, CURLOPT_CUSTOMREQUEST, "DELETE");
	} else if (!strcmp(q->method, "POST") && !q->len) {
		curl_easy_setopt(k, CURLOPT_POST, 1L);
		curl_easy_setopt(k, CURLOPT_POSTFIELDSIZE, 0L);
	} else {
		curl_easy_setopt(k, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(k, CURLOPT_INFILESIZE_LARGE, (curl_off_t)q->len);
		curl_easy_setopt(k, CURLOPT_READFUNCTION, on_read);
		curl_easy_setopt(k, CURLOPT_READDATA, &c);
		if (strcmp(q->method, "PUT"))
			curl_easy_setopt(k, CURLOPT_CUSTOMREQUEST, q->method);
	}
	curl_easy_setopt(k, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(k, CURLOPT_HEADERDATA, &c);
	curl_easy_setopt(k, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(k, CURLOPT_WRITEDATA, &c);
	if (q->progress) {
		curl_easy_setopt(k, CURLOPT_NOPROGRESS, 0L);
		curl_easy_setopt(k, CURLOPT_XFERINFOFUNCTION, on_progress);
		curl_easy_setopt(k, CURLOPT_XFERINFODATA, &c);
	}
	CURLcode rc = curl_easy_perform(k);
	q->status = 0;
	curl_easy_getinfo(k, CURLINFO_RESPONSE_CODE, &q->status);
	curl_easy_cleanup(k);
	curl_slist_free_all(h);
	int ret = 0;
	if (rc != CURLE_OK)
		ret = lerr_set(e, LX_LOCHS, "%s %s: %s", q->method, q->url, errbuf[0] ? errbuf : curl_easy_strerror(rc));
	else if (q->status >= 300)
		error_text(q, c.body.p);
	free(c.body.p);
	return ret;
}

int reg_request(struct reg *r, struct reg_req *q, struct lerr *e)
{
	int rc = once(r, q, e);
	/* A bearer token expires (minutes on Docker Hub): a new one, once. */
	if (rc == 0 && q->status == 401 && reg_reauth(r, NULL) == 0)
		rc = once(r, q, e);
	return rc;
}

void reg_url(struct reg *r, const char *loc, char *out, size_t size)
{
	if (!strncmp(loc, "http://", 7) || !strncmp(loc, "https://", 8))
		snprintf(out, size, "%s", loc);
	else
		snprintf(out, size, "%s%s%s", r->base, loc[0] == '/' ? "" : "/", loc);
}
