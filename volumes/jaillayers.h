/* A jail's layers as its config.json names them (cp, diff). */
#pragma once
#include <jansson.h>
#include "../common/err.h"
#include "lview.h"

struct jail_layers {
	json_t *cfg;              /* owns the strings below */
	const char *upper;
	const char *lower[LV_MAX]; /* top first */
	int nlower;
};

int jail_layers_load(const char *config_path, struct jail_layers *l, struct lerr *e);
void jail_layers_free(struct jail_layers *l);
/* The merged view: upper over the lower layers. */
int jail_layers_view(const struct jail_layers *l, struct lview *v, struct lerr *e);
