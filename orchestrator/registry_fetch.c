/* Blobs in parallel with libcurl multi (up to FETCH_PARALLEL at a time),
 * each resumed with a Range request from PATH.part left by an interrupted
 * pull, verified by sha256 before it is renamed to PATH. */
#include "registry.h"
#include "progress.h"
#include "../common/sha256.h"
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FETCH_PARALLEL 3

struct xfer {
	struct blob_job *job;
	CURL *c;
	void *hdrs;
	FILE *out;
	char part[4200];
	curl_off_t have, now; /* bytes before this transfer, bytes so far */
	int checked;          /* the response code was looked at */
	char errbuf[CURL_ERROR_SIZE];
};

struct fetch {
	struct xfer *x;
	int n, tty, last;
	long long total;
};

static size_t on_data(char *d, size_t sz, size_t nm, void *u)
{
	struct xfer *x = u;
	if (!x->checked) {
		long code = 0;
		x->checked = 1;
		curl_easy_getinfo(x->c, CURLINFO_RESPONSE_CODE, &code);
		/* The server ignored Range and sends everything: start over. */
		if (code == 200 && x->have) {
			if (!freopen(NULL, "wb", x->out))
				return 0;
			x->have = 0;
		}
		if (code >= 300)
			return sz * nm; /* an error page: not written, judged at the end */
	}
	return fwrite(d, sz, nm, x->out) == nm ? sz * nm : 0;
}

static void draw(struct fetch *f)
{
	long long now = 0;
	for (int i = 0; i < f->n; i++)
		now += f->x[i].have + f->x[i].now;
	if (f->tty)
		progress_bar("Downloading", now, f->total, &f->last);
}

static int on_progress(void *u, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
	struct xfer *x = u;
	x->now = dn;
	return 0;
}

static int start(struct reg *r, const char *repo, struct xfer *x, CURLM *m, struct lerr *e)
{
	char path[400];
	struct stat st;
	snprintf(x->part, sizeof x->part, "%s.part", x->job->path);
	x->have = stat(x->part, &st) == 0 ? st.st_size : 0;
	x->now = 0;
	x->checked = 0;
	if (!(x->out = fopen(x->part, x->have ? "ab" : "wb")))
		return lerr_sys(e, "%s", x->part);
	snprintf(path, sizeof path, "%s/blobs/%s", repo, x->job->digest);
	x->c = reg_easy(r, path, &x->hdrs, x->errbuf);
	if (!x->c)
		return lerr_set(e, LX_LOCHS, "cannot start libcurl");
	curl_easy_setopt(x->c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(x->c, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(x->c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(x->c, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(x->c, CURLOPT_XFERINFODATA, x);
	curl_easy_setopt(x->c, CURLOPT_PRIVATE, x);
	if (x->have)
		curl_easy_setopt(x->c, CURLOPT_RESUME_FROM_LARGE, x->have);
	curl_multi_add_handle(m, x->c);
	return 0;
}

static void finish_handle(struct xfer *x, CURLM *m)
{
	curl_multi_remove_handle(m, x->c);
	curl_easy_cleanup(x->c);
	curl_slist_free_all(x->hdrs);
	x->c = NULL;
	x->hdrs = NULL;
	if (x->out)
		fclose(x->out);
	x->out = NULL;
}

/* Judges a finished transfer: 0 done, 1 to retry from scratch, -1 error. */
static int judge(struct xfer *x, CURLcode rc, struct lerr *e)
{
	long code = 0;
	curl_easy_getinfo(x->c, CURLINFO_RESPONSE_CODE, &code);
	const char *d = x->job->digest;
	if (rc == CURLE_RANGE_ERROR || code == 416 || (x->have && rc == CURLE_OK && code >= 400 && code != 404)) {
		unlink(x->part);
		return x->have ? 1 : lerr_set(e, LX_LOCHS, "blob %s: HTTP %ld", d, code);
	}
	if (rc != CURLE_OK)
		return lerr_set(e, LX_LOCHS, "blob %s: %s", d, x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc));
	if (code != 200 && code != 206) {
		unlink(x->part);
		return lerr_set(e, LX_LOCHS, "blob %s: HTTP %ld", d, code);
	}
	return 0;
}

static int verify(struct xfer *x, int tty, struct lerr *e)
{
	char hex[65];
	if (sha256_file(x->part, hex, NULL, e) < 0)
		return -1;
	if (strcmp(hex, x->job->digest + 7)) {
		unlink(x->part);
		return lerr_set(e, LX_LOCHS, "blob %s: digest mismatch (got sha256:%s): refusing the image", x->job->digest,
				hex);
	}
	if (rename(x->part, x->job->path) < 0)
		return lerr_sys(e, "%s", x->job->path);
	if (!tty)
		printf("%.12s: Download complete\n", x->job->digest + 7);
	return 0;
}

int registry_fetch_blobs(struct reg *r, const char *repo, struct blob_job *jobs, int n, int tty, struct lerr *e)
{
	struct fetch f = { calloc((size_t)n + 1, sizeof(struct xfer)), n, tty, -1, 0 };
	CURLM *m = curl_multi_init();
	int next = 0, running = 0, rc = 0, retried[n + 1];
	memset(retried, 0, sizeof retried);
	for (int i = 0; i < n; i++) {
		f.x[i].job = &jobs[i];
		f.total += jobs[i].size;
		if (!tty)
			printf("%.12s: Pulling fs layer (%.1f MB)\n", jobs[i].digest + 7, jobs[i].size / 1e6);
	}
	fflush(stdout);
	while (rc == 0 && (next < n || running)) {
		while (rc == 0 && next < n && running < FETCH_PARALLEL) {
			rc = start(r, repo, &f.x[next++], m, e);
			running++;
		}
		int still;
		curl_multi_perform(m, &still);
		CURLMsg *msg;
		int left;
		while (rc == 0 && (msg = curl_multi_info_read(m, &left))) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			struct xfer *x;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
			int j = judge(x, msg->data.result, e);
			finish_handle(x, m);
			running--;
			if (j == 1 && !retried[x - f.x]++) {
				rc = start(r, repo, x, m, e);
				running++;
			} else if (j != 0) {
				rc = -1;
			} else {
				x->have += x->now;
				x->now = 0;
				rc = verify(x, tty, e);
			}
		}
		draw(&f);
		if (rc == 0 && running)
			curl_multi_poll(m, NULL, 0, 200, NULL);
	}
	if (tty && f.last >= 0)
		printf("\n");
	for (int i = 0; i < n; i++)
		if (f.x[i].c)
			finish_handle(&f.x[i], m); /* the .part stays for a resumed pull */
	curl_multi_cleanup(m);
	free(f.x);
	fflush(stdout);
	return rc;
}
