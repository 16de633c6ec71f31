/* The crash sweep of a state root; see sweep.h. */
#include "sweep.h"
#include "firewall.h"
#include "ipam.h"
#include "../orchestrator/state.h"
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

static int lock(const char *root, int how)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/create.lock", root);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0)
		flock(fd, how);
	return fd;
}

int netplane_create_lock(const char *root)
{
	return lock(root, LOCK_SH);
}

/* Whether the jail's config.json (ROOT/jails/ID) lists an endpoint on
 * network; 1 when it cannot be read (then nothing is taken away). */
static int has_endpoint(const char *root, const char *id, const char *network)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/jails/%s/config.json", root, id);
	json_t *cfg = json_load_file(path, 0, NULL), *nets = json_object_get(cfg, "networks");
	int found = !cfg;
	for (size_t i = 0; !found && i < json_array_size(nets); i++)
		found = !strcmp(json_string_value(json_object_get(json_array_get(nets, i), "network")) ?: "", network);
	json_decref(cfg);
	return found;
}

/* Addresses (and aliases) of a living jail on a network its config does
 * not name: a network connect killed between taking the address and
 * writing the endpoint. Connects hold the create lock, so none is in
 * that gap now. */
static void endpoint_sweep(sqlite3 *db, const char *root)
{
	sqlite3_stmt *st;
	char (*gone)[2][65] = NULL;
	size_t n = 0;
	if (sqlite3_prepare_v2(db, "SELECT DISTINCT a.owner, a.network, n.name FROM ip_allocations a"
				   " JOIN networks n ON n.id = a.network JOIN jails j ON j.id = a.owner", -1, &st, NULL) != SQLITE_OK)
		return;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0), *net = (const char *)sqlite3_column_text(st, 1);
		if (has_endpoint(root, id, (const char *)sqlite3_column_text(st, 2)))
			continue;
		void *more = realloc(gone, (n + 1) * sizeof *gone);
		if (!more)
			break;
		gone = more;
		snprintf(gone[n][0], 65, "%s", id);
		snprintf(gone[n++][1], 65, "%s", net);
	}
	sqlite3_finalize(st);
	for (size_t i = 0; i < n; i++) {
		const char *p[] = { gone[i][0], gone[i][1] };
		state_exec(db, NULL, "DELETE FROM ip_allocations WHERE owner = ? AND network = ?", 2, p);
		state_exec(db, NULL, "DELETE FROM net_aliases WHERE jail = ? AND network = ?", 2, p);
	}
	free(gone);
}

int netplane_sweep(sqlite3 *db, const char *root, struct lerr *e)
{
	if (!db)
		return -1;
	int fd = lock(root, LOCK_EX);
	endpoint_sweep(db, root);
	int rc = ipam_sweep(db) < 0 ? lerr_set(e, LX_LOCHS, "state database: %s", sqlite3_errmsg(db))
				    : firewall_sweep(db, e);
	if (fd >= 0)
		close(fd);
	return rc;
}
