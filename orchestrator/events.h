/* Events as Docker records them, beyond the plain state_event() rows:
 * image events (Actor ID the image id, attribute name the reference),
 * a jail's kill (the signal) and its exec_* events. `lochs events` shows
 * them (cmd_events.c). */
#pragma once
#include <sqlite3.h>
#include "../common/err.h"

/* pull, tag, untag, delete, import, load, save of image id (sha256:...)
 * under name (a reference, or the id). Opens the root's state database
 * itself: the image store works by root, without the CLI's handle. */
void event_image(const char *root, const char *action, const char *id, const char *name);
struct image_entry;
/* Prune of entry i of the store's list v (n entries): image_untag, then
 * the events, "untag" of its name and "delete" when no later entry of v
 * holds the same image. */
int image_prune_entry(const char *root, const struct image_entry *v, int n, int i, struct lerr *e);
/* "kill" with the signal's number, as Docker's attribute "signal". */
void event_kill(sqlite3 *db, const char *jail, int sig);
/* exec_create/exec_start ("ACTION: CMD ARG...") and exec_die (exitCode):
 * exit_code < 0 records the start, else the end. */
void event_exec(sqlite3 *db, const char *jail, const char *exec_id, char *const *argv, int exit_code);
