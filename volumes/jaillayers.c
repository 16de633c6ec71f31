/* A jail's layers from its config.json; see jaillayers.h. */
#include "jaillayers.h"
#include <string.h>

int jail_layers_load(const char *config_path, struct jail_layers *l, struct lerr *e)
{
	json_error_t je;
	memset(l, 0, sizeof *l);
	l->cfg = json_load_file(config_path, 0, &je);
	if (!l->cfg)
		return lerr_set(e, LX_LOCHS, "%s: %s", config_path, je.text);
	l->upper = json_string_value(json_object_get(l->cfg, "upperdir"));
	json_t *lower = json_object_get(l->cfg, "lowerdirs");
	for (size_t i = 0; i < json_array_size(lower) && l->nlower < LV_MAX - 1; i++)
		l->lower[l->nlower++] = json_string_value(json_array_get(lower, i));
	if (!l->upper) {
		jail_layers_free(l);
		return lerr_set(e, LX_LOCHS, "%s: no upperdir", config_path);
	}
	return 0;
}

void jail_layers_free(struct jail_layers *l)
{
	json_decref(l->cfg);
	l->cfg = NULL;
}

int jail_layers_view(const struct jail_layers *l, struct lview *v, struct lerr *e)
{
	const char *dirs[LV_MAX];
	dirs[0] = l->upper;
	memcpy(dirs + 1, l->lower, (size_t)l->nlower * sizeof *dirs);
	return lview_open(v, dirs, l->nlower + 1, e);
}
