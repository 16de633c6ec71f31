/* SHA-256 (nettle) of buffers, files and streams, as 64 lower-case
 * hex digits: the digests of the image store and of downloads. */
#pragma once
#include <stddef.h>
#include "err.h"

struct sha256 {
	void *md; /* nettle's struct sha256_ctx */
};

int sha256_init(struct sha256 *s, struct lerr *e);
void sha256_update(struct sha256 *s, const void *data, size_t len);
/* Writes the hex digest (65 bytes with the NUL) and frees the context. */
void sha256_final(struct sha256 *s, char hex[65]);
/* Frees a context without a result (error paths). */
void sha256_abort(struct sha256 *s);

void sha256_buf(const void *data, size_t len, char hex[65]);
/* The digest of a file's contents; *size (when not NULL) gets its length. */
int sha256_file(const char *path, char hex[65], long long *size, struct lerr *e);
/* 1 when s is 64 lower-case hex digits. */
int sha256_is_hex(const char *s);
