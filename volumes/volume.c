/* Volume records, usage and seeding; see volume.h. */
#include "volume.h"
#include "lview.h"
#include "volume_drop.h"
#include "../common/fsutil.h"
#include "../orchestrator/state.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

/* The usage table lives with the volumes code that alone writes it.
 * target (where the jail mounts it) came later: an older table gets it. */
static sqlite3 *vdb(struct cli *c, struct lerr *e)
{
	sqlite3 *db = cli_db(c, e);
	sqlite3_stmt *probe;
	if (db && sqlite3_exec(db, "CREATE TABLE IF NOT EXISTS volume_refs (volume TEXT NOT NULL, jail TEXT NOT NULL,"
				   " anonymous INTEGER NOT NULL DEFAULT 0, target TEXT NOT NULL DEFAULT '',"
				   " PRIMARY KEY(volume, jail))", 0, 0, 0) != SQLITE_OK) {
		lerr_set(e, LX_LOCHS, "state database: %s", sqlite3_errmsg(db));
		return NULL;
	}
	if (db && sqlite3_prepare_v2(db, "SELECT target FROM volume_refs", -1, &probe, NULL) == SQLITE_OK)
		sqlite3_finalize(probe);
	else if (db) /* fails harmlessly when another process added it first */
		sqlite3_exec(db, "ALTER TABLE volume_refs ADD COLUMN target TEXT NOT NULL DEFAULT ''", 0, 0, 0);
	return db;
}

void volume_data_path(const char *root, const char *name, char *out, size_t size)
{
	snprintf(out, size, "%s/volumes/%s/_data", root, name);
}

static void random_name(char out[65])
{
	unsigned char b[32] = { 0 };
	if (getrandom(b, sizeof b, 0) != sizeof b)
		for (size_t i = 0; i < sizeof b; i++)
			b[i] = (unsigned char)random();
	for (int i = 0; i < 32; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

int volume_create(struct cli *c, const char *name, json_t *labels, char *out, int *created, struct lerr *e)
{
	char gen[65], path[4096];
	if (!name) {
		random_name(gen);
		name = gen;
	}
	if (!volume_name_valid(name))
		return lerr_set(e, LX_LOCHS, "invalid volume name \"%s\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed", name);
	sqlite3 *db = vdb(c, e);
	if (!db)
		return -1;
	char *ltext = labels ? json_dumps(labels, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	const char *p[] = { name, ltext ? ltext : "{}" };
	int rc = state_exec(db, e, "INSERT OR IGNORE INTO volumes(name, created, labels)"
				   " VALUES(?, strftime('%Y-%m-%dT%H:%M:%SZ','now'), ?)", 2, p);
	free(ltext);
	if (rc < 0)
		return -1;
	int isnew = sqlite3_changes(db) > 0;
	volume_data_path(c->root, name, path, sizeof path);
	if (mkdir_p(path, 0755) < 0)
		return lerr_sys(e, "volume %s", name);
	if (isnew)
		state_event(db, "volume", "create", name, NULL);
	if (created)
		*created = isnew;
	if (out)
		snprintf(out, 256, "%s", name);
	return 0;
}

json_t *volume_json(struct cli *c, const char *name, struct lerr *e)
{
	sqlite3 *db = vdb(c, e);
	sqlite3_stmt *st;
	json_t *o = NULL;
	if (!db || sqlite3_prepare_v2(db, "SELECT created, labels FROM volumes WHERE name = ?", -1, &st, NULL) != SQLITE_OK) {
		if (db)
			lerr_set(e, LX_LOCHS, "state database: %s", sqlite3_errmsg(db));
		return NULL;
	}
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW) {
		char path[4096];
		volume_data_path(c->root, name, path, sizeof path);
		json_t *labels = json_loads((const char *)sqlite3_column_text(st, 1), 0, NULL);
		o = json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:{}}", "CreatedAt", (const char *)sqlite3_column_text(st, 0),
			      "Driver", "local", "Mountpoint", path, "Name", name, "Labels",
			      labels ? labels : json_object(), "Scope", "local", "Options");
	} else {
		lerr_set(e, LX_LOCHS, "no such volume: %s", name);
	}
	sqlite3_finalize(st);
	return o;
}

int volume_users(struct cli *c, const char *name, char *first, size_t size, struct lerr *e)
{
	sqlite3 *db = vdb(c, e);
	sqlite3_stmt *st;
	if (!db || sqlite3_prepare_v2(db, "SELECT j.name FROM volume_refs r JOIN jails j ON j.id = r.jail"
					  " WHERE r.volume = ? ORDER BY j.name", -1, &st, NULL) != SQLITE_OK)
		return db ? lerr_set(e, LX_LOCHS, "state database: %s", sqlite3_errmsg(db)) : -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	int n = 0;
	if (first && size)
		first[0] = 0;
	while (sqlite3_step(st) == SQLITE_ROW)
		if (n++ == 0 && first)
			snprintf(first, size, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return n;
}

static long long du_total;
static int du_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)path; (void)flag; (void)f;
	du_total += (long long)st->st_blocks * 512;
	return 0;
}

long long tree_size(const char *path)
{
	du_total = 0;
	nftw(path, du_one, 32, FTW_PHYS | FTW_MOUNT);
	return du_total;
}

int volume_remove(struct cli *c, const char *name, long long *freed, struct lerr *e)
{
	char user[256], dir[4096];
	sqlite3 *db = vdb(c, e);
	json_t *o = db ? volume_json(c, name, e) : NULL;
	if (!o)
		return -1;
	json_decref(o);
	int n = volume_users(c, name, user, sizeof user, e);
	if (n < 0)
		return -1;
	if (n > 0)
		return lerr_set(e, LX_LOCHS, "remove %s: volume is in use by jail %s", name, user);
	snprintf(dir, sizeof dir, "%s/volumes/%s", c->root, name);
	if (freed)
		*freed = tree_size(dir);
	return volume_drop(db, c->root, name, e);
}

int volume_names(struct cli *c, char ***names, int *n, struct lerr *e)
{
	sqlite3 *db = vdb(c, e);
	sqlite3_stmt *st;
	*names = NULL;
	*n = 0;
	if (!db || sqlite3_prepare_v2(db, "SELECT name FROM volumes ORDER BY name", -1, &st, NULL) != SQLITE_OK)
		return db ? lerr_set(e, LX_LOCHS, "state database: %s", sqlite3_errmsg(db)) : -1;
	int cap = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (*n + 1 >= cap) {
			cap = cap ? 2 * cap : 16;
			char **m = realloc(*names, (size_t)cap * sizeof *m);
			if (!m)
				break;
			*names = m;
		}
		(*names)[(*n)++] = strdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	return 0;
}

static int dir_empty(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	int empty = 1;
	while (d && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			empty = 0;
	if (d)
		closedir(d);
	return empty;
}

/* Docker's copy-up: the image's directory at target into the empty volume. */
static int seed(const char *data, const char *const *lowerdirs, int nlower, const char *target, struct lerr *e)
{
	struct lview v;
	char rel[4096];
	struct lent ent;
	if (lview_open(&v, lowerdirs, nlower, e) < 0)
		return -1;
	int rc = 0;
	if (lview_resolve(&v, target, 1, rel, sizeof rel) == 0 && lview_lookup(&v, rel, &ent) == 0 &&
	    S_ISDIR(ent.st.st_mode)) {
		int fd = open(data, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			rc = lerr_sys(e, "%s", data);
		else {
			rc = lview_copy(&v, rel, fd, NULL, 0, e);
			close(fd);
		}
		if (rc < 0)
			lerr_wrap(e, "seeding the volume from the image's %s", target);
	}
	lview_close(&v);
	return rc;
}

/* The anonymous volume jail mounts at target, if it has one: "" when not. */
static void anonymous_at(sqlite3 *db, const char *jail, const char *target, char out[256])
{
	sqlite3_stmt *st;
	out[0] = 0;
	if (!jail || sqlite3_prepare_v2(db, "SELECT volume FROM volume_refs WHERE jail = ? AND target = ? AND anonymous = 1",
					-1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(st, 1, jail, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, target, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(out, 256, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

int volume_attach(struct cli *c, const struct vol_attach *a, char vname[256], char *src, size_t size, struct lerr *e)
{
	char target[4096], had[256] = "";
	sqlite3 *db = vdb(c, e);
	if (!db)
		return -1;
	vol_clean_path(a->target, target, sizeof target);
	/* Anonymous: the jail's own when its config is made again, else the
	 * one the jail it replaces had there (Compose keeps those), else new. */
	if (!a->name)
		anonymous_at(db, a->jail, target, had);
	if (!a->name && !had[0])
		anonymous_at(db, a->from, target, had);
	const char *name = a->name ? a->name : had[0] ? had : NULL;
	json_t *labels = a->name ? NULL : json_pack("{s:s}", "com.docker.volume.anonymous", "");
	int rc = volume_create(c, name, labels, vname, NULL, e);
	json_decref(labels);
	if (rc < 0)
		return -1;
	const char *p[] = { vname, a->jail, a->name ? "0" : "1", target };
	if (state_exec(db, e, "INSERT OR IGNORE INTO volume_refs(volume, jail, anonymous, target) VALUES(?, ?, ?, ?)",
		       4, p) < 0)
		return -1;
	volume_data_path(c->root, vname, src, size);
	return dir_empty(src) ? seed(src, a->lowerdirs, a->nlower, target, e) : 0;
}

int volume_remove_anonymous(struct cli *c, const char *jail, struct lerr *e)
{
	sqlite3 *db = vdb(c, e);
	return db ? volume_drop_anonymous(db, c->root, jail, e) : -1;
}

int volume_prune_all(struct cli *c, long long *freed, int verbose, struct lerr *e)
{
	char **names;
	int n, header = 0;
	*freed = 0;
	if (volume_names(c, &names, &n, e) < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		long long f = 0;
		struct lerr one = { 0 };
		if (volume_users(c, names[i], NULL, 0, &one) == 0 && volume_remove(c, names[i], &f, &one) == 0) {
			if (verbose && !header++)
				printf("Deleted Volumes:\n");
			if (verbose)
				printf("%s\n", names[i]);
			*freed += f;
		}
		free(names[i]);
	}
	free(names);
	if (verbose && header)
		printf("\n");
	return 0;
}
