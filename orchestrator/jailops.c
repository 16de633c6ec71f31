/* Executor actions on one jail; see jailops.h. */
#include "jailops.h"
#include "../translator/jail/signame.h"
#include "../netplane/sweep.h"
#include "events.h"
#include "imagestore.h"
#include "jailnet.h"
#include "monitor_spawn.h"
#include "state.h"
#include "../common/fsutil.h"
#include "../translator/jail/jail.h"
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void jail_path(const struct cli *c, const char *id, const char *file, char *out, size_t size)
{
	if (file)
		snprintf(out, size, "%s/jails/%s/%s", c->root, id, file);
	else
		snprintf(out, size, "%s/jails/%s", c->root, id);
}

static void new_id(char id[65])
{
	unsigned char b[32];
	if (getrandom(b, sizeof b, 0) != sizeof b) /* never short for 32 bytes */
		for (size_t i = 0; i < sizeof b; i++)
			b[i] = (unsigned char)(rand() ^ (int)time(NULL));
	for (int i = 0; i < 32; i++)
		sprintf(id + 2 * i, "%02x", b[i]);
}

/* Docker-style generated names: adjective_scientist. */
static void new_name(const char *id, char *out, size_t size)
{
	static const char *const adj[] = { "brave", "calm", "eager", "fond", "keen", "lucid", "merry", "nifty",
					   "quiet", "sharp", "stoic", "tender", "vivid", "wise", "zen", "bold" };
	static const char *const who[] = { "mckusick", "joy", "bostic", "karels", "leffler", "babaoglu",
					   "thompson", "ritchie", "kamp", "watson", "jolitz", "hubbard",
					   "greenman", "dillon", "rwatson", "jhb" };
	unsigned a = (unsigned)strtoul((char[3]){ id[0], id[1], 0 }, NULL, 16);
	unsigned b = (unsigned)strtoul((char[3]){ id[2], id[3], 0 }, NULL, 16);
	snprintf(out, size, "%s_%s_%.4s", adj[a % 16], who[b % 16], id + 4);
}

/* The ids of jails whose name (exact) or id prefix matches ref. */
static int lookup_rows(sqlite3 *db, const char *sql, const char *ref, char id[65])
{
	sqlite3_stmt *st;
	int n = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, ref, -1, SQLITE_TRANSIENT);
	while (sqlite3_step(st) == SQLITE_ROW && n < 2)
		if (n++ == 0)
			snprintf(id, 65, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return n;
}

int jail_lookup(struct cli *c, const char *ref, char id[65], struct lerr *e)
{
	sqlite3 *db = cli_db(c, e);
	if (!db)
		return -1;
	if (!*ref)
		return lerr_set(e, LX_LOCHS, "no such jail: \"\"");
	if (lookup_rows(db, "SELECT id FROM jails WHERE name = ?1", ref, id) == 1)
		return 0;
	int n = lookup_rows(db, "SELECT id FROM jails WHERE substr(id, 1, length(?1)) = ?1", ref, id);
	if (n == 1)
		return 0;
	if (n > 1)
		return lerr_set(e, LX_LOCHS, "jail reference %s is ambiguous: give more of the id or the name", ref);
	return lerr_set(e, LX_LOCHS, "no such jail: %s", ref);
}

int jailop_create(struct cli *c, const struct svc_spec *s, const char *hash, char id[65], struct lerr *e)
{
	return jailop_create_with(c, s, hash, NULL, id, e);
}

int jailop_create_with(struct cli *c, const struct svc_spec *s, const char *hash, const struct jail_create_opts *o,
		       char id[65], struct lerr *e)
{
	sqlite3 *db = cli_db(c, e);
	if (!db)
		return -1;
	struct image img;
	if (image_resolve(c->root, s->image, &img, e) < 0)
		return -1;
	char name[256], dir[4096], sub[4096];
	new_id(id);
	if (s->name)
		snprintf(name, sizeof name, "%s", s->name);
	else
		new_name(id, name, sizeof name);
	jail_path(c, id, NULL, dir, sizeof dir);
	/* From the address (in the config) to the record: no sweep frees it. */
	int guard = netplane_create_lock(c->root);
	char *config = jail_runtime_config(c, id, name, s, &img, o, e);
	int rc = -1;
	if (!config)
		goto out;
	/* The record first, then the directory: a crash in between leaves a
	 * record that rm removes (a missing directory is fine), never a
	 * directory that no record names. */
	json_t *spec = svc_to_json(s);
	json_object_set_new(spec, "name", json_string(name));
	char *spec_text = json_dumps(spec, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(spec);
	const char *p[] = { id, name, img.id, s->image, s->project ? s->project : "", s->service ? s->service : "",
			    spec_text, hash };
	rc = state_exec(db, e, "INSERT INTO jails(id, name, image, image_ref, project, service, spec, config_hash, state, created)"
			" VALUES(?, ?, ?, ?, ?, ?, ?, ?, 'created', strftime('%Y-%m-%dT%H:%M:%fZ','now'))", 8, p);
	free(spec_text);
	if (rc < 0) {
		if (strstr(e->msg, "UNIQUE"))
			lerr_set(e, LX_LOCHS, "the jail name \"%s\" is already in use; remove or rename that jail first", name);
		goto out;
	}
	rc = -1;
	if (mkdir_p(dir, 0700) < 0) {
		lerr_sys(e, "jail directory %s", dir);
		goto undo;
	}
	snprintf(sub, sizeof sub, "%s/upper", dir);
	int ok = mkdir(sub, 0755) == 0;
	snprintf(sub, sizeof sub, "%s/work", dir);
	ok = ok && mkdir(sub, 0700) == 0;
	jail_path(c, id, "config.json", sub, sizeof sub);
	if (!ok || write_file_replace(sub, config, strlen(config), 0600) < 0) {
		lerr_sys(e, "jail directory %s", dir);
		goto undo;
	}
	rc = 0;
	json_t *attrs = json_pack("{s:s, s:s}", "name", name, "image", s->image);
	char *attrs_text = json_dumps(attrs, JSON_COMPACT);
	state_event(db, "jail", "create", id, attrs_text); /* lochs events names jails after they are gone */
	free(attrs_text);
	json_decref(attrs);
	goto out;
undo:
	rm_rf(dir);
	state_exec(db, NULL, "DELETE FROM jails WHERE id = ?", 1, p);
out:
	/* The address was taken with the config: a failed create gives it back. */
	if (rc < 0)
		jailnet_release(db, id);
	if (guard >= 0)
		close(guard);
	free(config);
	image_release(&img);
	return rc;
}

/* config.json is derived from the record (spec and image id) and written
 * without fsync: when a crash left it unreadable, it is made again. */
static int config_ensure(struct cli *c, const char *id, struct lerr *e)
{
	char path[4096];
	jail_path(c, id, "config.json", path, sizeof path);
	struct jail_config cfg;
	struct lerr ignored;
	if (jail_config_load(path, &cfg, &ignored) == 0) {
		jail_config_free(&cfg);
		return 0;
	}
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(cli_db(c, e), "SELECT spec, name, image FROM jails WHERE id = ?", -1, &st, NULL) != SQLITE_OK)
		return lerr_set(e, LX_LOCHS, "no such jail: %.12s", id);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	int rc = lerr_set(e, LX_LOCHS, "no such jail: %.12s", id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		json_t *j = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
		struct svc_spec s;
		struct image img;
		if (svc_from_json(j, &s, e) == 0) {
			if (image_resolve(c->root, (const char *)sqlite3_column_text(st, 2), &img, e) == 0) {
				char *text = jail_runtime_config(c, id, (const char *)sqlite3_column_text(st, 1), &s, &img, NULL, e);
				rc = !text ? -1 : write_file_replace(path, text, strlen(text), 0600) == 0 ? 0 : lerr_sys(e, "%s", path);
				free(text);
				image_release(&img);
			}
			svc_free(&s);
		}
		json_decref(j);
	}
	sqlite3_finalize(st);
	return rc;
}

/* A start by the user (or restore) ends a stop by the user: the restart
 * policy applies again, as after docker start. */
static int spawn(struct cli *c, const char *id, int attach_wait, struct lerr *e)
{
	const char *p[] = { id };
	jail_cgroup_prewarm();
	if (config_ensure(c, id, e) < 0 || jailnet_files(c, id, e) < 0 ||
	    state_exec(cli_db(c, e), e, "UPDATE jails SET stopped_by_user = 0 WHERE id = ?", 1, p) < 0)
		return -1;
	return monitor_spawn(c->root, id, attach_wait, e);
}

int jailop_start(struct cli *c, const char *id, struct lerr *e)
{
	return spawn(c, id, 0, e);
}

int jailop_start_attached(struct cli *c, const char *id, struct lerr *e)
{
	return spawn(c, id, 1, e);
}

/* state, pid and monitor pid of a jail record. */
static int jail_row(sqlite3 *db, const char *id, char state[16], int *pid, int *mon)
{
	sqlite3_stmt *st;
	sqlite3_prepare_v2(db, "SELECT state, pid, monitor_pid FROM jails WHERE id = ?", -1, &st, NULL);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	int rc = -1;
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(state, 16, "%s", (const char *)sqlite3_column_text(st, 0));
		*pid = sqlite3_column_int(st, 1);
		*mon = sqlite3_column_int(st, 2);
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

/* A jail whose pid 1 runs: frozen or not. */
static int live(const char *state)
{
	return !strcmp(state, "running") || !strcmp(state, "paused");
}

/* Waits until the monitor pid is gone (it exits after the jail for good). */
static int wait_gone(int pid, int ms)
{
	for (int t = 0; proc_running(pid); t += 10) {
		if (t >= ms)
			return -1;
		usleep(10000);
	}
	return 0;
}

/* jailop_stop; 1 when the jail was running and is now stopped. Each
 * signal is a "kill" event, as with Docker. */
/* What stop sends and waits when not told: the jail's stop_signal and
 * stop_grace_period from its spec (compose), else its image's STOPSIGNAL
 * (as docker stop), else SIGTERM and 10 s. */
static void stop_defaults(const char *root, sqlite3 *db, const char *id, int *sig, int *timeout_ms)
{
	sqlite3_stmt *st;
	json_t *j = NULL, *icfg = NULL;
	if (sqlite3_prepare_v2(db, "SELECT spec, image FROM jails WHERE id = ?", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
			j = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
		if (j && !json_object_get(j, "stop_signal") && sqlite3_column_text(st, 1))
			icfg = store_read_json(root, (const char *)sqlite3_column_text(st, 1), NULL);
		sqlite3_finalize(st);
	}
	const char *name = json_string_value(json_object_get(j, "stop_signal"));
	if (!name)
		name = json_string_value(json_object_get(json_object_get(icfg, "config"), "StopSignal"));
	long long grace = json_integer_value(json_object_get(j, "stop_grace_ms"));
	if (!*sig)
		*sig = name && signal_by_name(name) > 0 ? signal_by_name(name) : SIGTERM;
	if (*timeout_ms < 0)
		*timeout_ms = grace > 0 ? (int)grace : 10000;
	json_decref(icfg);
	json_decref(j);
}

static int stop_jail(struct cli *c, const char *id, int sig, int timeout, struct lerr *e)
{
	sqlite3 *db = cli_db(c, e);
	char state[16];
	int pid, mon;
	if (!db || jail_row(db, id, state, &pid, &mon) < 0)
		return lerr_set(e, LX_LOCHS, "no such jail: %.12s", id);
	const char *p[] = { id };
	if (state_exec(db, e, "UPDATE jails SET stopped_by_user = 1 WHERE id = ?", 1, p) < 0)
		return -1;
	if (!live(state) || pid <= 0)
		return 0;
	/* A frozen jail cannot act on SIGTERM: thaw it first. */
	if (!strcmp(state, "paused") && jailop_pause(c, id, 0, e) < 0)
		return -1;
	int ms = timeout < 0 ? -1 : timeout * 1000;
	stop_defaults(c->root, db, id, &sig, &ms);
	kill(pid, sig);
	event_kill(db, id, sig);
	if (wait_gone(mon, ms) < 0) {
		kill(pid, SIGKILL);
		event_kill(db, id, SIGKILL);
		wait_gone(mon, 10000);
	}
	return 1;
}

int jailop_stop(struct cli *c, const char *id, int sig, int timeout, struct lerr *e)
{
	int rc = stop_jail(c, id, sig, timeout, e);
	if (rc > 0) /* after the monitor's "die", as Docker orders them */
		state_event(c->db, "jail", "stop", id, NULL);
	return rc < 0 ? -1 : 0;
}

int jailop_signal(struct cli *c, const char *id, int sig, struct lerr *e)
{
	sqlite3 *db = cli_db(c, e);
	char state[16];
	int pid, mon;
	if (!db || jail_row(db, id, state, &pid, &mon) < 0)
		return lerr_set(e, LX_LOCHS, "no such jail: %.12s", id);
	if (!strcmp(state, "paused"))
		return lerr_set(e, LX_LOCHS, "jail %.12s is paused: unpause it first", id);
	if (strcmp(state, "running") != 0 || pid <= 0 || !proc_running(mon))
		return lerr_set(e, LX_LOCHS, "jail %.12s is not running", id);
	if (kill(pid, sig) < 0)
		return lerr_sys(e, "signal to jail %.12s", id);
	event_kill(db, id, sig);
	return 0;
}

int jailop_wait(struct cli *c, const char *id, int *code, struct lerr *e)
{
	sqlite3 *db = cli_db(c, e);
	if (!db)
		return -1;
	for (unsigned n = 0;; n++) {
		char state[16];
		int pid, mon;
		if (jail_row(db, id, state, &pid, &mon) < 0)
			return lerr_set(e, LX_LOCHS, "no such jail: %.12s", id);
		if (!live(state) || !proc_running(mon))
			break;
		usleep(n < 100 ? 10000 : 100000); /* a long wait polls less often */
	}
	sqlite3_stmt *st;
	sqlite3_prepare_v2(db, "SELECT coalesce(exit_code, -1) FROM jails WHERE id = ?", -1, &st, NULL);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	*code = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_finalize(st);
	return 0;
}

int jailop_remove(struct cli *c, const char *id, int force, struct lerr *e)
{
	sqlite3 *db = cli_db(c, e);
	char state[16], dir[4096];
	int pid, mon;
	if (!db || jail_row(db, id, state, &pid, &mon) < 0)
		return lerr_set(e, LX_LOCHS, "no such jail: %.12s", id);
	if (live(state) && proc_running(mon)) {
		if (!force)
			return lerr_set(e, LX_LOCHS, "cannot remove running jail %.12s: stop it first or use rm -f", id);
		if (stop_jail(c, id, SIGKILL, 0, e) < 0) /* kill, die, destroy: no "stop" */
			return -1;
	} else if (monitor_alive(mon)) {
		/* A monitor without a running jail: waiting for the client of a
		 * killed `lochs run`, or backing off before a restart. */
		kill(mon, SIGTERM);
		wait_gone(mon, 5000);
	}
	if (!monitor_alive(mon))
		monitor_remains_clean(id);
	const char *p[] = { id };
	if (state_exec(db, e, "DELETE FROM jails WHERE id = ?", 1, p) < 0)
		return -1;
	jailnet_release(db, id);
	jail_path(c, id, NULL, dir, sizeof dir);
	if (rm_rf(dir) < 0 && errno != ENOENT)
		return lerr_sys(e, "removing %s", dir);
	state_event(db, "jail", "destroy", id, NULL);
	return 0;
}

int jailop_running_pid(struct cli *c, const char *id, const char *ref, pid_t *pid, struct lerr *e)
{
	sqlite3 *db = cli_db(c, e);
	char state[16];
	int p, mon;
	if (!db || jail_row(db, id, state, &p, &mon) < 0)
		return lerr_set(e, LX_LOCHS, "no such jail: %s", ref);
	if (!strcmp(state, "paused"))
		return lerr_set(e, LX_LOCHS, "jail %s is paused: unpause it first", ref);
	if (strcmp(state, "running") != 0 || p <= 0 || mon <= 0 || !proc_running(mon))
		return lerr_set(e, LX_LOCHS, "jail %s is not running", ref);
	*pid = p;
	return 0;
}

int jailop_pause(struct cli *c, const char *id, int pause, struct lerr *e)
{
	sqlite3 *db = cli_db(c, e);
	char state[16];
	int pid, mon;
	if (!db || jail_row(db, id, state, &pid, &mon) < 0)
		return lerr_set(e, LX_LOCHS, "no such jail: %.12s", id);
	if (!live(state) || !proc_running(mon))
		return lerr_set(e, LX_LOCHS, "jail %.12s is not running", id);
	if (!strcmp(state, pause ? "paused" : "running"))
		return lerr_set(e, LX_LOCHS, "jail %.12s is %s", id, pause ? "already paused" : "not paused");
	if (jail_freeze(id, pause, e) < 0)
		return -1;
	const char *p[] = { id };
	if (state_exec(db, e, pause ? "UPDATE jails SET state = 'paused' WHERE id = ? AND state = 'running'"
				    : "UPDATE jails SET state = 'running' WHERE id = ? AND state = 'paused'", 1, p) < 0)
		return -1;
	state_event(db, "jail", pause ? "pause" : "unpause", id, NULL);
	return 0;
}
