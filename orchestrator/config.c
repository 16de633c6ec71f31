#include "config.h"
#include <nettle/base64.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void config_path(const char *root, char *out, size_t size)
{
	snprintf(out, size, "%s/config.json", root);
	if (access(out, F_OK) < 0)
		snprintf(out, size, "%s", CONFIG_SYSTEM);
}

json_t *config_load(const char *root, struct lerr *e)
{
	char p[4096];
	config_path(root, p, sizeof p);
	return config_load_file(p, e);
}

json_t *config_load_file(const char *path, struct lerr *e)
{
	if (access(path, F_OK) < 0)
		return json_object();
	json_error_t je;
	json_t *j = json_load_file(path, 0, &je);
	if (!json_is_object(j)) {
		json_decref(j);
		lerr_set(e, LX_LOCHS, "%s:%d: %s", path, je.line, j ? "not a JSON object" : je.text);
		return NULL;
	}
	return j;
}

const char *config_freebsd_mirror(json_t *cfg)
{
	const char *env = getenv("LOCHS_FREEBSD_MIRROR");
	if (env && *env)
		return env;
	const char *m = json_string_value(json_object_get(cfg, "freebsd_mirror"));
	return m && *m ? m : NULL;
}

int config_insecure(json_t *cfg, const char *host)
{
	json_t *h;
	size_t i;
	json_array_foreach (json_object_get(cfg, "insecure_registries"), i, h)
		if (json_string_value(h) && !strcmp(json_string_value(h), host))
			return 1;
	return 0;
}

int config_auth(json_t *cfg, const char *host, char *out, size_t size)
{
	json_t *a = json_object_get(json_object_get(cfg, "auths"), host);
	const char *b64 = json_string_value(json_object_get(a, "auth"));
	const char *u = json_string_value(json_object_get(a, "username"));
	const char *pw = json_string_value(json_object_get(a, "password"));
	if (b64 && *b64)
		return snprintf(out, size, "%s", b64) < (int)size;
	return u && pw && config_basic_encode(u, pw, out, size);
}

int config_basic_encode(const char *user, const char *password, char *out, size_t size)
{
	char plain[512];
	int n = snprintf(plain, sizeof plain, "%s:%s", user, password);
	if (n < 0 || n >= (int)sizeof plain || size < (size_t)(4 * ((n + 2) / 3) + 1))
		return 0;
	base64_encode_raw(out, (size_t)n, (const uint8_t *)plain); /* no NUL of its own */
	out[BASE64_ENCODE_RAW_LENGTH(n)] = 0;
	return 1;
}
