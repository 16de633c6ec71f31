/* Downloads with libcurl: to memory (small files such as MANIFEST) or to a
 * file with sha256 verification. A file download resumes (HTTP Range) from
 * DEST.part left by an interrupted run; progress is a bar on a terminal and
 * plain lines otherwise. */
#pragma once
#include <stddef.h>
#include "../common/err.h"

/* A libcurl easy handle with lochs's defaults (redirects, timeouts, a
 * stall limit, failing on HTTP errors), errbuf its CURL_ERROR_SIZE buffer. */
void *http_easy(const char *url, char *errbuf);
/* A growing NUL-terminated buffer and its CURLOPT_WRITEFUNCTION. */
struct http_buf {
	char *p;
	size_t n, cap;
};
size_t http_buf_write(char *d, size_t sz, size_t nm, void *u);

/* The body of url, NUL-terminated, malloc'ed; NULL with e set naming the URL. */
char *http_get(const char *url, size_t *len, struct lerr *e);

struct http_file {
	const char *want_sha256; /* hex the file must have, or NULL */
	const char *label;       /* for progress lines ("base.txz") */
	int tty;                 /* draw a progress bar on stdout */
	long long mtime;         /* out: the server's Last-Modified, or -1 */
	char sha256[65];         /* out: the digest of the file */
};

/* Downloads url to dest (via dest.part, renamed when complete and verified).
 * A digest mismatch deletes the partial file. */
int http_download(const char *url, const char *dest, struct http_file *f, struct lerr *e);
