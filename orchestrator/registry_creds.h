/* Stored registry credentials (lochs login/logout): a file in Docker's
 * config.json shape, {"auths": {"HOST": {"auth": "base64(user:password)"}}},
 * at $REGISTRY_AUTH_FILE (podman's variable; --authfile sets it), else
 * ROOT/auth.json beside the state it serves (lochs runs as root on one
 * state root; tests and several roots each keep their own logins). The
 * file is mode 0600 from its first byte on (made with mkstemp, renamed over
 * the old one under an flock), so it is never readable by others. pull and
 * push look a host up here first, then in the config file's "auths". */
#pragma once
#include <stddef.h>
#include <jansson.h>
#include "../common/err.h"

/* The credentials file in use. */
void creds_path(const char *root, char *out, size_t size);
/* base64("user:password") of host from the credentials file, else from
 * the config file cfg (config_load); 1 found, 0 none, -1 with e set when
 * the credentials file is not valid JSON. */
int creds_lookup(const char *root, json_t *cfg, const char *host, char *out, size_t size, struct lerr *e);
/* Stores (b64 set) or removes (b64 NULL) host's entry; *had (when not
 * NULL) says whether there was one. */
int creds_set(const char *root, const char *host, const char *b64, int *had, struct lerr *e);
