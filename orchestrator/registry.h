/* OCI registries (distribution API v2): references as Docker spells them,
 * the WWW-Authenticate challenge, platform selection from an index (pure,
 * unit-tested), the libcurl client and the puller (the pusher:
 * registry_push.h). */
#pragma once
#include <stddef.h>
#include <jansson.h>
#include "../common/err.h"

#define MT_DOCKER_MANIFEST "application/vnd.docker.distribution.manifest.v2+json"
#define MT_DOCKER_LIST "application/vnd.docker.distribution.manifest.list.v2+json"

/* "alpine" -> docker.io, library/alpine, latest; "127.0.0.1:5000/a/b@sha256:..."
 * keeps the host and the digest (tag then empty unless given too). */
struct regref {
	char host[256];   /* "docker.io", "127.0.0.1:5000" */
	char repo[256];   /* "library/alpine" */
	char tag[129];    /* "" when pulled by digest only */
	char digest[72];  /* "sha256:<hex>" or "" */
};
int regref_parse(const char *s, struct regref *r, const char **why);
/* The store's name: "alpine:latest", "127.0.0.1:5000/a/b:1"; "" for a
 * digest-only reference (the image stays untagged). */
void regref_name(const struct regref *r, char *out, size_t size);
/* The host the API lives on (docker.io -> registry-1.docker.io). */
const char *regref_api_host(const struct regref *r);
/* 1 when host[:port] names 127.0.0.0/8, ::1 or localhost. */
int host_is_loopback(const char *host);
/* 1 when s's first path component is a registry host (has '.' or ':' or
 * is "localhost"), as Docker decides it. */
int ref_has_host(const char *s);

struct www_auth {
	char scheme[16]; /* "Bearer", "Basic" */
	char realm[1024], service[256], scope[512];
};
/* Parses one WWW-Authenticate value; -1 when it is not one. */
int www_auth_parse(const char *hdr, struct www_auth *a);

/* The descriptor of index (an OCI index or Docker manifest list) for
 * os/arch (borrowed), or NULL with "os/arch, ..." of what there is in avail. */
json_t *index_pick_platform(json_t *index, const char *os, const char *arch, char *avail, size_t asize);
/* 1 for the layer media types lochs extracts (tar, gzip, zstd; OCI and Docker;
 * and the xz of release sets lochs pushed). */
int layer_type_supported(const char *mt);

/* --- The client (registry_client.c) -------------------------------------- */
struct reg {
	char host[256];      /* API host[:port] */
	char base[300];      /* "https://HOST" or "http://HOST" */
	int verify;          /* verify TLS certificates */
	char auth[4200];     /* "Authorization: ..." header, or "" */
	char basic[512];     /* base64 user:password from the config, or "" */
	struct www_auth chal; /* the Bearer challenge, to renew the token */
	char scope[2048];
};
/* Reaches /v2/ of host (tls_verify -1: default, see registry_client.c),
 * authenticating for scope ("repository:REPO:pull") as the challenge says. */
int reg_open(struct reg *r, const char *root, const char *host, int tls_verify, const char *scope, struct lerr *e);
/* The same with Basic credentials basic (base64 user:password) instead of
 * the stored ones (lochs login checks them this way). */
int reg_open_basic(struct reg *r, const char *root, const char *host, int tls_verify, const char *scope,
		   const char *basic, struct lerr *e);
/* A fresh bearer token for the same scope (one that expired during a
 * long push); -1 when the registry does not use tokens. */
int reg_reauth(struct reg *r, struct lerr *e);
/* GET BASE/v2/path; *status gets the HTTP code (body returned for any),
 * ctype the Content-Type. NULL only on transport errors. */
char *reg_get(struct reg *r, const char *path, const char *accept, size_t *len, long *status, char *ctype,
	      size_t csize, struct lerr *e);
/* A libcurl easy handle for BASE/v2/path with the auth header (hdrs
 * must be freed with curl_slist_free_all after the transfer). */
void *reg_easy(struct reg *r, const char *path, void **hdrs, char *errbuf);
/* The same for a full URL (an upload's Location); the auth header only
 * when it is on the registry. *hdrs may hold headers to send already. */
void *reg_easy_url(struct reg *r, const char *url, void **hdrs, char *errbuf);
/* "Name: value\r\n" (len bytes, a libcurl header line) -> value into out
 * when the name matches (case-insensitive). */
void reg_header_value(const char *line, size_t len, const char *name, char *out, size_t size);

/* --- Blobs in parallel (registry_fetch.c) -------------------------------- */
struct blob_job {
	char digest[72];
	long long size;      /* from the descriptor, for progress */
	char path[4096];     /* verified file (PATH.part while downloading) */
};
int registry_fetch_blobs(struct reg *r, const char *repo, struct blob_job *jobs, int n, int tty, struct lerr *e);

/* --- Where blobs came from and went to (registry_blobsrc.c) ------------- */
/* Another repository than repo on host known to hold digest, into out; 0 none. */
int blobsrc_other_repo(const char *root, const char *digest, const char *host, const char *repo, char *out,
		       size_t size);
/* Notes that host/repo holds the config and layers of manifest (after a
 * pull or a push); -1 when the record cannot be written (not an error). */
int blobsrc_record(const char *root, const char *host, const char *repo, json_t *manifest);

/* lochs pull REGISTRY/REPO[:TAG|@DIGEST] into the store. */
int registry_pull(const char *root, const char *ref, int tls_verify, int tty, struct lerr *e);
