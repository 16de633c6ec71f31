/* lochs push: the requests (registry_upload.c), a blob's way into a
 * repository (registry_push_blob.c) and the push of an image
 * (registry_push.c). */
#pragma once
#include "registry.h"

/* One request; the body is len bytes of buf, or of file fd from off. */
struct reg_req {
	const char *method; /* HEAD, POST, PUT, PATCH, DELETE */
	const char *url;    /* full URL (reg_url) */
	const char *ctype;  /* Content-Type of the body, or NULL */
	const char *crange; /* Content-Range ("0-1023"), or NULL */
	const char *buf;
	int fd;
	long long off, len;
	void (*progress)(void *u, long long sent); /* bytes of this body sent */
	void *pu;
	/* out */
	long status;
	char location[4096];
	char digest[80];  /* Docker-Content-Digest */
	char error[300];  /* the registry's error (code: message) when status >= 300 */
};
/* -1 only on transport errors: the status is the caller's to judge. */
int reg_request(struct reg *r, struct reg_req *q, struct lerr *e);
/* An absolute URL for loc (a Location: absolute, or a path on the registry). */
void reg_url(struct reg *r, const char *loc, char *out, size_t size);

/* Blobs above this size go up in PATCH chunks of this size, smaller ones
 * in one PUT: $LOCHS_PUSH_CHUNK_SIZE bytes, else 64 MiB (below the body
 * limits proxies in front of registries tend to have). */
int push_chunk_size(long long *n, struct lerr *e);

struct push_blob {
	const char *digest;
	long long size;
	const char *path;    /* the blob's file, or NULL with buf */
	const char *buf;
	const char *mount_from; /* another repository on the registry holding it, or NULL */
	void (*progress)(void *u, long long sent); /* bytes of the blob sent so far */
	void *pu;
};
enum push_result { PUSH_EXISTS, PUSH_MOUNTED, PUSH_UPLOADED };
/* Puts the blob into repo: nothing when it is there (HEAD), a mount when
 * mount_from has it, else an upload. Returns a push_result or -1. */
int push_blob(struct reg *r, const char *repo, const struct push_blob *b, int *chunks, struct lerr *e);

/* lochs push SRC [DEST]: the stored image SRC to DEST (a registry
 * reference; SRC itself when NULL). id and name (600 bytes) get the image
 * id and the reference pushed to. */
int registry_push(const char *root, const char *src, const char *dest, int tls_verify, int tty, char id[72],
		  char *name, struct lerr *e);
/* argv's --tls-verify[=true|false] (push, login): 1 with *tls set, else 0. */
int registry_tls_flag(const char *a, int *tls);
