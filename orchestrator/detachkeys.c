#include "detachkeys.h"
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One key: "ctrl-X" or a single character; -1 when neither. */
static int key_byte(const char *k, size_t n)
{
	if (n == 1)
		return (unsigned char)k[0];
	if (n != 6 || strncmp(k, "ctrl-", 5) != 0)
		return -1;
	char x = k[5];
	if (x >= 'a' && x <= 'z')
		return x - 'a' + 1;
	static const char punct[] = "@[\\]^_"; /* ctrl-@ is NUL, ctrl-[ ESC (27) */
	const char *ctl = strchr(punct, x);
	if (!x || !ctl)
		return -1;
	return ctl == punct ? 0 : 26 + (int)(ctl - punct);
}

int detach_keys_parse(const char *spec, struct detach_keys *k, struct lerr *e)
{
	memset(k, 0, sizeof *k);
	for (const char *p = spec;;) {
		size_t n = strcspn(p, ",");
		int b = key_byte(p, n);
		if (b < 0 || k->len == DETACH_KEYS_MAX)
			return lerr_set(e, LX_LOCHS, "invalid detach keys '%s': %s", spec,
					b < 0 ? "keys are ctrl-a..ctrl-z, ctrl-@, ctrl-[, ctrl-\\, ctrl-], ctrl-^, ctrl-_ or one character, comma-separated"
					      : "too many keys");
		k->seq[k->len++] = (unsigned char)b;
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

int detach_keys_resolve(const struct cli *c, const char *flag, struct detach_keys *k, struct lerr *e)
{
	if (flag && *flag) /* "": the default, as Docker has it */
		return detach_keys_parse(flag, k, e);
	json_t *cfg = config_load(c->root, e);
	if (!cfg)
		return -1;
	json_t *v = json_object_get(cfg, "detachKeys");
	int rc = 0;
	if (v && (!json_is_string(v) || detach_keys_parse(json_string_value(v), k, e) < 0)) {
		char path[4096], why[sizeof e->msg];
		config_path(c->root, path, sizeof path);
		snprintf(why, sizeof why, "%s", json_is_string(v) ? e->msg : "not a string");
		rc = lerr_set(e, LX_LOCHS, "%s: detachKeys: %s", path, why);
	} else if (!v || !*json_string_value(v)) {
		rc = detach_keys_parse(DETACH_KEYS_DEFAULT, k, e);
	}
	json_decref(cfg);
	return rc;
}

size_t detach_keys_held(struct detach_keys *k, char *out)
{
	if (!k)
		return 0;
	size_t n = (size_t)k->matched;
	memcpy(out, k->seq, n);
	k->matched = 0;
	return n;
}

int detach_keys_filter(struct detach_keys *k, const char *in, size_t n, char *out, size_t *outn)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char b = (unsigned char)in[i];
		if (b == k->seq[k->matched]) {
			if (++k->matched == k->len) {
				k->matched = 0;
				*outn = o;
				return 1;
			}
			continue;
		}
		/* Not the sequence after all: what was held back goes first,
		 * and this byte may begin it anew (ctrl-p ctrl-p ctrl-q). */
		memcpy(out + o, k->seq, (size_t)k->matched);
		o += (size_t)k->matched;
		k->matched = b == k->seq[0];
		if (!k->matched)
			out[o++] = (char)b;
	}
	*outn = o;
	return 0;
}
