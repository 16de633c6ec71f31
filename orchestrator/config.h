/* The lochs configuration file: ROOT/config.json when it exists, else
 * /etc/lochs/config.json (a whole file, not merged; neither is needed):
 *   { "freebsd_mirror": "https://...",
 *     "insecure_registries": ["myreg.lan:5000"],
 *     "auths": { "myreg.lan:5000": { "auth": "base64(user:password)" }
 *                or { "username": "u", "password": "p" } },
 *     "detachKeys": "ctrl-p,ctrl-q" }
 * "auths" and "detachKeys" (detachkeys.h) are spelled as in Docker's
 * config.json. */
#pragma once
#include <stddef.h>
#include <jansson.h>
#include "../common/err.h"

#define CONFIG_SYSTEM "/etc/lochs/config.json"

/* The parsed file (an empty object when there is none), NULL with e set
 * when it is not valid JSON. */
json_t *config_load(const char *root, struct lerr *e);
/* Which file that is (for messages): ROOT/config.json or CONFIG_SYSTEM. */
void config_path(const char *root, char *out, size_t size);
/* The same for the JSON object file path (the credentials file too). */
json_t *config_load_file(const char *path, struct lerr *e);
/* The FreeBSD mirror: $LOCHS_FREEBSD_MIRROR, else the file's, else NULL. */
const char *config_freebsd_mirror(json_t *cfg);
/* 1 when host[:port] is listed in insecure_registries. */
int config_insecure(json_t *cfg, const char *host);
/* base64("user:password") for host into out; 0 when there is none. */
int config_auth(json_t *cfg, const char *host, char *out, size_t size);
/* base64("user:password") into out (Basic auth, lochs login); 0 when it
 * does not fit. */
int config_basic_encode(const char *user, const char *password, char *out, size_t size);
