#include "http.h"
#include "progress.h"
#include "../common/sha256.h"
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void init_once(void)
{
	static int done;
	if (!done++)
		curl_global_init(CURL_GLOBAL_DEFAULT);
}

void *http_easy(const char *url, char *errbuf)
{
	init_once();
	CURL *c = curl_easy_init();
	if (!c)
		return NULL;
	errbuf[0] = 0;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
	/* A stalled mirror fails instead of hanging: under 1 KB/s for 60 s. */
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1024L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "lochs/0.1");
	return c;
}

static int curl_fail(struct lerr *e, const char *url, CURLcode rc, const char *errbuf)
{
	return lerr_set(e, LX_LOCHS, "%s: %s", url, errbuf[0] ? errbuf : curl_easy_strerror(rc));
}

size_t http_buf_write(char *d, size_t sz, size_t nm, void *u)
{
	struct http_buf *m = u;
	size_t len = sz * nm;
	if (m->n + len + 1 > m->cap) {
		size_t cap = (m->n + len + 1) * 2;
		char *np = realloc(m->p, cap);
		if (!np)
			return 0;
		m->p = np;
		m->cap = cap;
	}
	memcpy(m->p + m->n, d, len);
	m->n += len;
	m->p[m->n] = 0;
	return len;
}

char *http_get(const char *url, size_t *len, struct lerr *e)
{
	char errbuf[CURL_ERROR_SIZE];
	struct http_buf m = { 0 };
	CURL *c = http_easy(url, errbuf);
	if (!c)
		return lerr_set(e, LX_LOCHS, "%s: cannot start libcurl", url), NULL;
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, http_buf_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &m);
	CURLcode rc = curl_easy_perform(c);
	curl_easy_cleanup(c);
	if (rc != CURLE_OK) {
		free(m.p);
		return curl_fail(e, url, rc, errbuf), NULL;
	}
	if (!m.p)
		m.p = calloc(1, 1);
	if (len)
		*len = m.n;
	return m.p;
}

struct progress {
	const struct http_file *f;
	curl_off_t base; /* bytes already there when resuming */
	int last;        /* last percentage drawn */
};

static int on_progress(void *u, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ut, curl_off_t un)
{
	struct progress *p = u;
	if (dltotal > 0)
		progress_bar(p->f->label, p->base + dlnow, p->base + dltotal, &p->last);
	return 0;
}

static int fetch(const char *url, const char *part, struct http_file *f, int resume, struct lerr *e)
{
	struct stat st;
	curl_off_t have = resume && stat(part, &st) == 0 ? st.st_size : 0;
	FILE *out = fopen(part, have ? "ab" : "wb");
	if (!out)
		return lerr_sys(e, "%s", part);
	char errbuf[CURL_ERROR_SIZE];
	CURL *c = http_easy(url, errbuf);
	if (!c) {
		fclose(out);
		return lerr_set(e, LX_LOCHS, "%s: cannot start libcurl", url);
	}
	struct progress p = { f, have, -1 };
	curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
	curl_easy_setopt(c, CURLOPT_FILETIME, 1L);
	if (have)
		curl_easy_setopt(c, CURLOPT_RESUME_FROM_LARGE, have);
	if (f->tty) {
		curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
		curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
		curl_easy_setopt(c, CURLOPT_XFERINFODATA, &p);
	}
	CURLcode rc = curl_easy_perform(c);
	long code = 0, ftime = -1;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_getinfo(c, CURLINFO_FILETIME, &ftime);
	curl_easy_cleanup(c);
	if (f->tty && p.last >= 0)
		printf("\n");
	if (fclose(out) != 0 && rc == CURLE_OK)
		return lerr_sys(e, "%s", part);
	f->mtime = ftime;
	/* A server that ignores Range answers 200 with the whole file. */
	if (rc == CURLE_OK && have && code == 200)
		return 1;
	if (rc == CURLE_RANGE_ERROR || (have && code == 416))
		return 1;
	if (rc != CURLE_OK)
		return curl_fail(e, url, rc, errbuf);
	return 0;
}

int http_download(const char *url, const char *dest, struct http_file *f, struct lerr *e)
{
	char part[4096];
	snprintf(part, sizeof part, "%s.part", dest);
	if (!f->tty)
		printf("Downloading %s\n", url);
	int r = fetch(url, part, f, 1, e);
	if (r == 1)
		r = fetch(url, part, f, 0, e); /* resume refused: from scratch */
	if (r < 0)
		return -1; /* the partial file stays for the next try */
	if (sha256_file(part, f->sha256, NULL, e) < 0)
		return -1;
	if (f->want_sha256 && strcmp(f->want_sha256, f->sha256) != 0) {
		unlink(part);
		return lerr_set(e, LX_LOCHS, "%s: sha256 mismatch: got %s, expected %s", url, f->sha256, f->want_sha256);
	}
	if (rename(part, dest) < 0)
		return lerr_sys(e, "%s", dest);
	if (!f->tty)
		printf("Downloaded %s\n", f->label);
	return 0;
}
