/* See jailports.h. */
#include "jailports.h"
#include "imagestore.h"
#include "../netplane/firewall.h"
#include "../netplane/netrec.h"
#include "../netplane/ports.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --expose values, then the image's ExposedPorts keys; free the list. */
static char **exposed_ports(struct cli *c, const struct svc_spec *s, struct lerr *e)
{
	size_t n = 0;
	for (char **p = s->expose; p && *p; p++)
		n++;
	struct image img;
	if (image_resolve(c->root, s->image, &img, e) < 0)
		return NULL;
	json_t *ex = json_object_get(img.config, "ExposedPorts");
	char **v = calloc(n + json_object_size(ex) + 1, sizeof *v);
	size_t k = 0;
	if (v) {
		for (char **p = s->expose; p && *p; p++)
			v[k++] = strdup(*p);
		const char *key;
		json_t *val;
		json_object_foreach(ex, key, val)
			v[k++] = strdup(key);
	}
	image_release(&img);
	if (!v)
		lerr_set(e, LX_LOCHS, "out of memory");
	return v;
}

int jailports_reserve(struct cli *c, const char *id, const struct svc_spec *s, const struct np_network *n,
		      const char *addr, const char *addr6, struct lerr *e)
{
	int has_ports = s->ports && *s->ports;
	if (!has_ports && !s->publish_all)
		return 0;
	if (n->internal) {
		if (has_ports)
			return lerr_set(e, LX_LOCHS, "cannot publish ports on network %s: it is internal", n->name);
		return 0; /* -P: nothing leaves an internal network */
	}
	sqlite3 *db = cli_db(c, e);
	char **exposed = NULL;
	if (!db || (s->publish_all && !(exposed = exposed_ports(c, s, e))))
		return -1;
	int rc = ports_reserve(db, id, addr, addr6, s->ports, s->publish_all, exposed, e);
	for (char **p = exposed; p && *p; p++)
		free(*p);
	free(exposed);
	if (rc == 0 && firewall_sync(db, e) < 0) {
		struct lerr ignored;
		ports_release(db, id);
		firewall_sync(db, &ignored);
		rc = -1;
	}
	return rc;
}

void jailports_release(sqlite3 *db, const char *id)
{
	struct lerr ignored;
	if (db && ports_release(db, id) > 0)
		firewall_sync(db, &ignored);
}

json_t *jailports_json(sqlite3 *db, const char *id)
{
	struct np_binding *b;
	int n;
	json_t *o = json_object();
	struct lerr ignored;
	if (!db || ports_list(db, id, &b, &n, &ignored) < 0)
		return o;
	for (int i = 0; i < n; i++) {
		char key[16], port[8];
		snprintf(key, sizeof key, "%d/%s", b[i].jail_port, b[i].proto);
		snprintf(port, sizeof port, "%d", b[i].host_port);
		json_t *list = json_object_get(o, key);
		if (!list) {
			list = json_array();
			json_object_set_new(o, key, list);
		}
		json_array_append_new(list, json_pack("{s:s, s:s}", "HostIp", *b[i].host_ip ? b[i].host_ip : "0.0.0.0",
						      "HostPort", port));
	}
	free(b);
	return o;
}
