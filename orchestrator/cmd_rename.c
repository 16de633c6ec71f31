/* rename: a jail's name is only a record (the config hash leaves it out),
 * so a running jail keeps going. */
#include "cli.h"
#include "jailops.h"
#include "state.h"
#include "../common/fsutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* config.json's name, for tools reading the jail directory. */
static void rename_config(struct cli *c, const char *id, const char *name)
{
	char path[4096];
	jail_path(c, id, "config.json", path, sizeof path);
	json_t *o = json_load_file(path, 0, NULL);
	if (!o)
		return;
	json_object_set_new(o, "name", json_string(name));
	char *text = json_dumps(o, JSON_INDENT(2));
	if (text)
		write_file_atomic(path, text, strlen(text), 0600);
	free(text);
	json_decref(o);
}

static int cmd_rename(struct cli *c, int argc, char **argv, struct lerr *e)
{
	if (argc != 3)
		return lerr_usage(e, "rename", "requires exactly 2 arguments: JAIL NEW_NAME");
	const char *name = argv[2];
	char id[65];
	if (!*name || strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") != strlen(name) ||
	    !strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", name[0]))
		return lerr_set(e, LX_LOCHS, "invalid jail name \"%s\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed", name);
	sqlite3 *db = cli_db(c, e);
	if (!db || jail_lookup(c, argv[1], id, e) < 0)
		return -1;
	char old[256] = "";
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT name FROM jails WHERE id = ?", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) == SQLITE_ROW)
			snprintf(old, sizeof old, "%s", (const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	const char *p[] = { name, id };
	if (state_exec(db, e, "UPDATE jails SET name = ?1, spec = json_set(spec, '$.name', ?1) WHERE id = ?2", 2, p) < 0) {
		if (strstr(e->msg, "UNIQUE"))
			lerr_set(e, LX_LOCHS, "the jail name \"%s\" is already in use; remove or rename that jail first", name);
		return -1;
	}
	rename_config(c, id, name);
	json_t *attrs = json_pack("{s:s, s:s}", "name", name, "oldName", old);
	char *t = json_dumps(attrs, JSON_COMPACT);
	state_event(db, "jail", "rename", id, t);
	free(t);
	json_decref(attrs);
	return 0;
}
LOCHS_COMMAND(rename, "rename", cmd_rename, "rename JAIL NEW_NAME", "Rename a jail");
