/* See project_pin.h. */
#include "project_pin.h"
#include "imagestore.h"
#include <stdio.h>
#include <string.h>

void project_pin_images(struct cli *c, struct project_state *st)
{
	char ref[512] = "", id[72] = "";
	for (int w = 0; w < st->nwant; w++) {
		const struct svc_spec *s = st->want[w].spec;
		if (!s->image)
			continue;
		/* Replicas come one after another: resolve each reference once. */
		if (strcmp(ref, s->image)) {
			struct image img;
			struct lerr ignored;
			snprintf(ref, sizeof ref, "%s", s->image);
			id[0] = 0;
			if (image_resolve(c->root, s->image, &img, &ignored) == 0) {
				snprintf(id, sizeof id, "%s", img.id);
				image_release(&img);
			}
		}
		if (id[0])
			svc_config_hash_pinned(s, id, st->want[w].hash);
	}
}
