/* Docker-shaped event rows (events.h). */
#include "events.h"
#include "imagestore.h"
#include "state.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void record(sqlite3 *db, const char *type, const char *action, const char *id, json_t *attrs)
{
	char *t = attrs ? json_dumps(attrs, JSON_COMPACT) : NULL;
	state_event(db, type, action, id, t);
	free(t);
	json_decref(attrs);
}

void event_image(const char *root, const char *action, const char *id, const char *name)
{
	struct lerr e;
	sqlite3 *db = state_open(root, &e);
	if (!db)
		return; /* the image operation itself succeeded: an event is not worth failing it */
	record(db, "image", action, id, json_pack("{s:s}", "name", name && *name ? name : id));
	state_close(db);
}

int image_prune_entry(const char *root, const struct image_entry *v, int n, int i, struct lerr *e)
{
	if (image_untag(root, v[i].ref[0] ? v[i].ref : NULL, v[i].id, 0, e) < 0)
		return -1;
	if (v[i].ref[0])
		event_image(root, "untag", v[i].id, v[i].ref);
	int later = 0; /* the image goes with its last entry */
	for (int j = i + 1; j < n; j++)
		later |= !strcmp(v[j].id, v[i].id);
	if (!later)
		event_image(root, "delete", v[i].id, v[i].id);
	return 0;
}

void event_kill(sqlite3 *db, const char *jail, int sig)
{
	char s[16];
	snprintf(s, sizeof s, "%d", sig);
	record(db, "jail", "kill", jail, json_pack("{s:s}", "signal", s));
}

void event_exec(sqlite3 *db, const char *jail, const char *exec_id, char *const *argv, int exit_code)
{
	if (exit_code >= 0) {
		char code[16];
		snprintf(code, sizeof code, "%d", exit_code);
		record(db, "jail", "exec_die", jail, json_pack("{s:s, s:s}", "execID", exec_id, "exitCode", code));
		return;
	}
	/* Docker names the command in the action: "exec_start: sh -c date". */
	size_t n = 16;
	for (char *const *a = argv; *a; a++)
		n += strlen(*a) + 1;
	char *create = malloc(n), *start = malloc(n);
	if (create && start) {
		strcpy(create, "exec_create:");
		for (char *const *a = argv; *a; a++)
			strcat(strcat(create, " "), *a);
		snprintf(start, n, "exec_start:%s", create + strlen("exec_create:"));
		record(db, "jail", create, jail, json_pack("{s:s}", "execID", exec_id));
		record(db, "jail", start, jail, json_pack("{s:s}", "execID", exec_id));
	}
	free(create);
	free(start);
}
