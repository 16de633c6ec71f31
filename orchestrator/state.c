#include "state.h"
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* Schema version 5 (1 plus networks and ip_allocations in 2, plus
 * port_bindings and net_aliases in 3, health in 4, network_ipv6 in 5; an older database gets what it lacks
 * by rerunning this). Jail states: created, running, paused,
 * exited, removing. */
static const char schema[] =
	"CREATE TABLE IF NOT EXISTS jails ("
	" id TEXT PRIMARY KEY,"          /* 64 hex digits */
	" name TEXT UNIQUE NOT NULL,"
	" image TEXT NOT NULL,"          /* image id (config digest) */
	" image_ref TEXT NOT NULL,"      /* as the user named it */
	" project TEXT NOT NULL DEFAULT '', service TEXT NOT NULL DEFAULT '',"
	" spec TEXT NOT NULL,"           /* the desired service spec, JSON */
	" config_hash TEXT NOT NULL,"
	" state TEXT NOT NULL,"
	" monitor_pid INTEGER NOT NULL DEFAULT 0, pid INTEGER NOT NULL DEFAULT 0,"
	" exit_code INTEGER, oom INTEGER NOT NULL DEFAULT 0,"
	" restart_count INTEGER NOT NULL DEFAULT 0, stopped_by_user INTEGER NOT NULL DEFAULT 0,"
	" created TEXT NOT NULL, started TEXT, finished TEXT);"
	"CREATE TABLE IF NOT EXISTS volumes ("
	" name TEXT PRIMARY KEY, created TEXT NOT NULL, labels TEXT NOT NULL DEFAULT '{}');"
	"CREATE TABLE IF NOT EXISTS events ("
	" seq INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),"
	" type TEXT NOT NULL, action TEXT NOT NULL, id TEXT NOT NULL, attrs TEXT NOT NULL DEFAULT '{}');"
	/* netplane/: a network's row names its bridge (netrec.h, ipam.h). */
	"CREATE TABLE IF NOT EXISTS networks ("
	" id TEXT PRIMARY KEY, name TEXT UNIQUE NOT NULL, driver TEXT NOT NULL,"
	" subnet TEXT NOT NULL, gateway TEXT NOT NULL, ip_range TEXT NOT NULL DEFAULT '',"
	" ipv6_subnet TEXT NOT NULL DEFAULT '', internal INTEGER NOT NULL DEFAULT 0,"
	" labels TEXT NOT NULL DEFAULT '{}', bridge TEXT UNIQUE NOT NULL, created TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS ip_allocations ("
	" network TEXT NOT NULL REFERENCES networks(id) ON DELETE CASCADE,"
	" address TEXT NOT NULL, owner TEXT NOT NULL, UNIQUE(network, address));"
	/* Version 3: published ports (one row per host port; a wildcard host_ip
	 * "" conflicts with every address, checked by netplane) and the DNS
	 * aliases of a jail's endpoint on a network. */
	"CREATE TABLE IF NOT EXISTS port_bindings ("
	" jail TEXT NOT NULL, proto TEXT NOT NULL, host_ip TEXT NOT NULL, host_port INTEGER NOT NULL,"
	" jail_ip TEXT NOT NULL, jail_port INTEGER NOT NULL, UNIQUE(proto, host_ip, host_port));"
	"CREATE TABLE IF NOT EXISTS net_aliases ("
	" jail TEXT NOT NULL, network TEXT NOT NULL REFERENCES networks(id) ON DELETE CASCADE,"
	" alias TEXT NOT NULL, UNIQUE(jail, network, alias));"
	/* Version 4: the health of jails with a health check (their monitor
	 * writes it as it changes; gone when the jail stops). */
	"CREATE TABLE IF NOT EXISTS health ("
	" jail TEXT PRIMARY KEY, status TEXT NOT NULL, failing INTEGER NOT NULL DEFAULT 0, updated TEXT NOT NULL);"
	/* Version 5: an IPv6 network's gateway and --ip-range (netplane/ipam6.c;
	 * none: the subnet's first host, the whole subnet). */
	"CREATE TABLE IF NOT EXISTS network_ipv6 ("
	" network TEXT PRIMARY KEY REFERENCES networks(id) ON DELETE CASCADE,"
	" gateway TEXT NOT NULL, ip_range TEXT NOT NULL DEFAULT '');"
	"PRAGMA user_version = 5;";

static int fail(sqlite3 *db, struct lerr *e, const char *what)
{
	return lerr_set(e, LX_LOCHS, "state database: %s: %s", what, sqlite3_errmsg(db));
}

static int schema_version(sqlite3 *db)
{
	sqlite3_stmt *st;
	int v = -1;
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	return v;
}

sqlite3 *state_open(const char *root, struct lerr *e)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/lochs.db", root);
	if (mkdir(root, 0711) < 0) {
		struct stat st;
		if (stat(root, &st) < 0 || !S_ISDIR(st.st_mode)) {
			lerr_sys(e, "state root %s", root);
			return NULL;
		}
	}
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK) {
		lerr_set(e, LX_LOCHS, "state database %s: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 30000);
	/* Short-lived connections (each command, each monitor write) would
	 * otherwise checkpoint and fsync the WAL on every close. But no
	 * connection outlives its process, so each new one rebuilds the WAL
	 * index by reading every frame: checkpoints every 64 pages (not 1000)
	 * keep that read short (a 4 MiB WAL cost 1-2 ms a command). */
	sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
	sqlite3_wal_autocheckpoint(db, 64);
	/* Per connection; WAL and the schema persist, so an existing database
	 * (current user_version) skips them: every lochs command and monitor write
	 * opens the database, and the full setup costs milliseconds. */
	if (sqlite3_exec(db, "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;", 0, 0, 0) != SQLITE_OK ||
	    (schema_version(db) != 5 &&
	     (sqlite3_exec(db, "PRAGMA journal_mode=WAL", 0, 0, 0) != SQLITE_OK ||
	      sqlite3_exec(db, schema, 0, 0, 0) != SQLITE_OK))) {
		fail(db, e, path);
		sqlite3_close(db);
		return NULL;
	}
	return db;
}

void state_close(sqlite3 *db)
{
	sqlite3_close(db);
}

int state_begin(sqlite3 *db, struct lerr *e)
{
	return sqlite3_exec(db, "BEGIN IMMEDIATE", 0, 0, 0) == SQLITE_OK ? 0 : fail(db, e, "begin");
}

int state_commit(sqlite3 *db, struct lerr *e)
{
	return sqlite3_exec(db, "COMMIT", 0, 0, 0) == SQLITE_OK ? 0 : fail(db, e, "commit");
}

void state_rollback(sqlite3 *db)
{
	sqlite3_exec(db, "ROLLBACK", 0, 0, 0);
}

int state_exec(sqlite3 *db, struct lerr *e, const char *sql, int nparams, const char *const *params)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return fail(db, e, sql);
	for (int i = 0; i < nparams; i++)
		sqlite3_bind_text(st, i + 1, params[i], -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : fail(db, e, sql);
}

void state_event(sqlite3 *db, const char *type, const char *action, const char *id, const char *attrs)
{
	const char *p[] = { type, action, id, attrs ? attrs : "{}" };
	state_exec(db, NULL, "INSERT INTO events(type, action, id, attrs) VALUES(?, ?, ?, ?)", 4, p);
}
