/* The build cache: ROOT/buildcache.db, one row per step key (the chain of
 * parent + instruction + inputs) with the layer it made ("" for none) and
 * when. A row whose layer blob is gone (image prune collected it) is a
 * miss, so the step runs again. Kept apart from lochs.db: a cache that
 * can be deleted at any time, with no schema of the state to follow. */
#include "build_int.h"
#include <string.h>
#include <unistd.h>

int bcache_open(struct bctx *b, struct lerr *e)
{
	char p[4200];
	snprintf(p, sizeof p, "%s/buildcache.db", b->c->root);
	if (sqlite3_open_v2(p, &b->cache, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		lerr_set(e, LX_LOCHS, "%s: %s", p, b->cache ? sqlite3_errmsg(b->cache) : "cannot open");
		sqlite3_close(b->cache);
		b->cache = NULL;
		return -1;
	}
	sqlite3_busy_timeout(b->cache, 10000);
	if (sqlite3_exec(b->cache,
			 "PRAGMA journal_mode=WAL;"
			 "CREATE TABLE IF NOT EXISTS steps(key TEXT PRIMARY KEY, layer TEXT NOT NULL, diff_id TEXT NOT NULL,"
			 " media TEXT NOT NULL, size INTEGER NOT NULL, created TEXT NOT NULL)",
			 NULL, NULL, NULL) != SQLITE_OK)
		return lerr_set(e, LX_LOCHS, "%s: %s", p, sqlite3_errmsg(b->cache));
	return 0;
}

int bcache_get(struct bctx *b, const char *key, struct blayer *layer, int *has_layer, char created[40])
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(b->cache, "SELECT layer, diff_id, media, size, created FROM steps WHERE key = ?", -1, &st,
			       NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	int rc = -1;
	if (sqlite3_step(st) == SQLITE_ROW) {
		memset(layer, 0, sizeof *layer);
		snprintf(layer->digest, sizeof layer->digest, "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(layer->diff_id, sizeof layer->diff_id, "%s", (const char *)sqlite3_column_text(st, 1));
		snprintf(layer->media, sizeof layer->media, "%s", (const char *)sqlite3_column_text(st, 2));
		layer->size = sqlite3_column_int64(st, 3);
		snprintf(created, 40, "%s", (const char *)sqlite3_column_text(st, 4));
		*has_layer = layer->digest[0] != 0;
		char blob[4096];
		store_blob_path(b->c->root, layer->digest, blob, sizeof blob);
		rc = !*has_layer || (blob[0] && access(blob, F_OK) == 0) ? 0 : -1;
	}
	sqlite3_finalize(st);
	return rc;
}

void bcache_put(struct bctx *b, const char *key, const struct blayer *layer, const char *created)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(b->cache, "INSERT OR REPLACE INTO steps VALUES(?, ?, ?, ?, ?, ?)", -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, layer ? layer->digest : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, layer ? layer->diff_id : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, layer ? layer->media : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, layer ? layer->size : 0);
	sqlite3_bind_text(st, 6, created, -1, SQLITE_STATIC);
	sqlite3_step(st); /* a lost row only costs a rebuild of the step */
	sqlite3_finalize(st);
}
