/* The executor's actions on one jail (the reconciler plans, these act).
 * Each leaves either the finished result or nothing: a failed create
 * removes its directory and record. */
#pragma once
#include "cli.h"
#include "../specs/service.h"
#include <sys/types.h>

/* Creates the record (state "created") and ROOT/jails/ID with its
 * config.json; id gets the new jail's id, name its (maybe generated) name. */
int jailop_create(struct cli *c, const struct svc_spec *s, const char *hash, char id[65], struct lerr *e);
/* How a jail is made beyond its spec (NULL: as jailop_create). */
struct jail_create_opts {
	const char *inherit;  /* a Compose recreate: the replaced jail, whose
			       * anonymous volumes at the image's VOLUME paths
			       * the new one takes over (Compose without -V) */
	int no_image_volumes; /* a build step: the image's VOLUME paths stay in
			       * the jail's own layer, no anonymous volume */
};
int jailop_create_with(struct cli *c, const struct svc_spec *s, const char *hash, const struct jail_create_opts *o,
		       char id[65], struct lerr *e);
/* Starts the jail's monitor, which starts the jail (attach_wait: it waits
 * for the first attach client first, so no output is missed). */
int jailop_start(struct cli *c, const char *id, struct lerr *e);
/* The same, for a client about to attach: the monitor starts the jail
 * once the first attach client connected, so no output is missed. */
int jailop_start_attached(struct cli *c, const char *id, struct lerr *e);
/* Stops: sig to pid 1, SIGKILL after timeout seconds; sig 0 and timeout
 * -1 are the jail's stop_signal and stop_grace_period (SIGTERM, 10 s);
 * marks it stopped by the user so no restart policy brings it back. */
int jailop_stop(struct cli *c, const char *id, int sig, int timeout, struct lerr *e);
/* Sends sig to the jail's main process (running jails only). */
int jailop_signal(struct cli *c, const char *id, int sig, struct lerr *e);
/* Waits until the jail is not running; *code gets its exit code. */
int jailop_wait(struct cli *c, const char *id, int *code, struct lerr *e);
/* Removes a stopped jail (force: a running one is killed first). */
int jailop_remove(struct cli *c, const char *id, int force, struct lerr *e);
/* The host pid of a running jail's pid 1; "jail REF is not running"
 * (or paused) otherwise. */
int jailop_running_pid(struct cli *c, const char *id, const char *ref, pid_t *pid, struct lerr *e);
/* pause (1) freezes the jail's processes (cgroup freezer) and records
 * state "paused"; unpause (0) thaws them, state "running" again. */
int jailop_pause(struct cli *c, const char *id, int pause, struct lerr *e);
/* "uid[:gid]" numeric, or a user name looked up in the passwd file
 * (NULL: names are unknown). */
int user_resolve(const char *user, const char *passwd, unsigned *uid, unsigned *gid, struct lerr *e);
/* Finds a jail by name, full id or unique id prefix. */
int jail_lookup(struct cli *c, const char *ref, char id[65], struct lerr *e);
/* inspect: o's "Mounts", Docker's shape (Type, Name for volumes, Source,
 * Destination, RW...), from the jail's config.json. */
void jail_mounts_inspect(const struct cli *c, const char *id, json_t *o);
/* ROOT/jails/ID, or a file in it. */
void jail_path(const struct cli *c, const char *id, const char *file, char *out, size_t size);
/* The runtime config.json of a new jail (translator/jail/jail.h): the
 * spec's mounts and an anonymous volume at each of the image's VOLUME
 * paths they leave free (made again: the same volumes). o may be NULL. */
struct image;
char *jail_runtime_config(const struct cli *c, const char *id, const char *name, const struct svc_spec *s,
			  const struct image *img, const struct jail_create_opts *o, struct lerr *e);
