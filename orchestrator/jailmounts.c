/* inspect's Mounts: the user's mounts of a jail (its spec's and the
 * anonymous volumes of its image's VOLUME paths) as Docker shows them,
 * read from the config.json they were made into (entries with a "kind";
 * /etc/hosts and the like are the runtime's own and have none). */
#include "jailops.h"
#include <string.h>

void jail_mounts_inspect(const struct cli *c, const char *id, json_t *o)
{
	char path[4096];
	jail_path(c, id, "config.json", path, sizeof path);
	json_t *cfg = json_load_file(path, 0, NULL), *out = json_array(), *m;
	size_t i;
	json_array_foreach(json_object_get(cfg, "mounts"), i, m) {
		const char *kind = json_string_value(json_object_get(m, "kind"));
		if (!kind)
			continue;
		int vol = !strcmp(kind, "volume");
		json_t *x = json_pack("{s:s, s:s, s:s, s:s, s:b, s:s}", "Type", kind, "Source",
				      json_string_value(json_object_get(m, "source")) ?: "", "Destination",
				      json_string_value(json_object_get(m, "target")) ?: "", "Mode", "", "RW",
				      !json_is_true(json_object_get(m, "readonly")), "Propagation",
				      !strcmp(kind, "bind") ? "rprivate" : "");
		if (x && vol) {
			json_object_set(x, "Name", json_object_get(m, "volume"));
			json_object_set_new(x, "Driver", json_string("local"));
		}
		json_array_append_new(out, x);
	}
	json_object_set_new(o, "Mounts", out);
	json_decref(cfg);
}
