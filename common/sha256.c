#include "sha256.h"
#include <errno.h>
#include <fcntl.h>
/* Nettle, not libcrypto: loading libcrypto (4.7 MB, its relocations and
 * constructors) cost about half a millisecond of every jail start, which
 * hashes its config; nettle (0.3 MB) is loaded by libarchive anyway. Its
 * header names its functions sha256_*, as ours are: call them by their
 * nettle_ names. */
#include <nettle/sha2.h>
#undef sha256_init
#undef sha256_update
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int sha256_init(struct sha256 *s, struct lerr *e)
{
	struct sha256_ctx *c = malloc(sizeof *c);
	if (!c)
		return lerr_set(e, LX_LOCHS, "sha256: out of memory");
	nettle_sha256_init(c);
	s->md = c;
	return 0;
}

void sha256_update(struct sha256 *s, const void *data, size_t len)
{
	nettle_sha256_update(s->md, len, data);
}

void sha256_final(struct sha256 *s, char hex[65])
{
	unsigned char d[SHA256_DIGEST_SIZE];
	nettle_sha256_digest(s->md, sizeof d, d);
	for (unsigned i = 0; i < sizeof d; i++)
		sprintf(hex + 2 * i, "%02x", d[i]);
	hex[64] = 0;
	sha256_abort(s);
}

void sha256_abort(struct sha256 *s)
{
	free(s->md);
	s->md = NULL;
}

void sha256_buf(const void *data, size_t len, char hex[65])
{
	struct sha256 s = { 0 };
	if (sha256_init(&s, NULL) < 0) {
		hex[0] = 0;
		return;
	}
	sha256_update(&s, data, len);
	sha256_final(&s, hex);
}

int sha256_file(const char *path, char hex[65], long long *size, struct lerr *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return lerr_sys(e, "%s", path);
	struct sha256 s = { 0 };
	if (sha256_init(&s, e) < 0) {
		close(fd);
		return -1;
	}
	static char buf[1 << 16];
	long long total = 0;
	for (;;) {
		ssize_t r = read(fd, buf, sizeof buf);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			lerr_sys(e, "reading %s", path);
			sha256_abort(&s);
			close(fd);
			return -1;
		}
		if (r == 0)
			break;
		sha256_update(&s, buf, (size_t)r);
		total += r;
	}
	close(fd);
	sha256_final(&s, hex);
	if (size)
		*size = total;
	return 0;
}

int sha256_is_hex(const char *s)
{
	size_t n = strspn(s, "0123456789abcdef");
	return n == 64 && s[64] == 0;
}
