/* See watch.h: develop.watch actions and the drift check. */
#include "watch.h"
#include "jailcp.h"
#include "project_pin.h"
#include "project_run.h"
#include "compose_jails.h"
#include "../reconciler/drift.h"
#include "../reconciler/project.h"
#include "../reconciler/watchpath.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void watch_rule_root(const struct compose_project *p, const struct compose_watch *r, char *out, size_t size)
{
	char buf[PATH_MAX];
	const char *path = r->path;
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	snprintf(buf, sizeof buf, "%s%s%s", path[0] == '/' ? "" : p->dir, path[0] == '/' || !*path ? "" : "/",
		 strcmp(path, ".") ? path : "");
	/* Normalised as inotify reports paths (the folder is a realpath). */
	if (!realpath(buf, out))
		snprintf(out, size, "%s", buf);
}

/* One changed path into one jail: copied over (a directory with its
 * contents), or removed there when it is gone from the host. */
static int sync_one(struct cli *c, const struct observed_jail *j, const char *host, const char *dst, struct lerr *e)
{
	struct stat st;
	char src[PATH_MAX + 3];
	if (lstat(host, &st) < 0) {
		char *argv[] = { "exec", (char *)j->id, "/bin/rm", "-rf", "--", (char *)dst, NULL };
		printf("Removing %s:%s\n", j->name, dst);
		return cli_run(c, 6, argv, e) == 0 ? 0 : lerr_set(e, LX_LOCHS, "cannot remove %s in %s", dst, j->name);
	}
	/* A target bind-mounted from the path itself is already there (and a
	 * copy onto itself would change the file again: an endless loop). */
	struct stat in;
	char seen[PATH_MAX + 32];
	snprintf(seen, sizeof seen, "/proc/%d/root%s", j->pid, dst);
	if (j->pid > 0 && stat(seen, &in) == 0 && in.st_dev == st.st_dev && in.st_ino == st.st_ino)
		return 0;
	snprintf(src, sizeof src, "%s%s", host, S_ISDIR(st.st_mode) ? "/." : "");
	printf("Syncing %s to %s:%s\n", host, j->name, dst);
	if (jail_copy_in(c, src, j->id, dst, 0, 0, e) == 0)
		return 0;
	/* As Compose does, the target's missing folders are made (cp
	 * itself wants the parent there, as docker cp does). */
	char parent[PATH_MAX];
	snprintf(parent, sizeof parent, "%s", dst);
	char *slash = strrchr(parent, '/');
	if (slash && slash != parent)
		*slash = 0;
	char *argv[] = { "exec", (char *)j->id, "/bin/mkdir", "-p", "--", parent, NULL };
	struct lerr ignored;
	if (cli_run(c, 6, argv, &ignored) != 0)
		return -1;
	return jail_copy_in(c, src, j->id, dst, 0, 0, e);
}

/* The rule's changes into every jail of the service; 1 when any matched. */
static int sync_rule(struct cli *c, const struct compose_project *p, const struct compose_service *s,
		     const struct compose_watch *r, char *const *changed, const struct observed_jail *have, int nhave,
		     int *failed, struct lerr *e)
{
	char root[PATH_MAX], rel[PATH_MAX], dst[PATH_MAX * 2];
	int hit = 0;
	watch_rule_root(p, r, root, sizeof root);
	for (char *const *ch = changed; *ch; ch++) {
		if (!watch_path_match(root, r->ignore, *ch, rel, sizeof rel))
			continue;
		hit = 1;
		if (strncmp(r->action, "sync", 4))
			continue;
		watch_path_target(r->target, rel, dst, sizeof dst);
		for (int h = 0; h < nhave; h++) {
			struct lerr one;
			if (!strcmp(have[h].service, s->name) && sync_one(c, &have[h], *ch, dst, &one) < 0) {
				fprintf(stderr, "lochs: watch: %s\n", one.msg);
				*e = one;
				*failed = 1;
			}
		}
	}
	return hit;
}

int watch_check(const struct compose_project *p, struct lerr *e)
{
	for (int i = 0; i < p->nsvcs; i++)
		for (int r = 0; r < p->svcs[i].nwatch; r++)
			if (!strcmp(p->svcs[i].watch[r].action, "rebuild") && !p->svcs[i].build_context)
				return lerr_set(e, LX_LOCHS, "%s:%d: services.%s.develop.watch: rebuild needs build:", p->file,
						p->svcs[i].line, p->svcs[i].name);
	return 0;
}

/* The service's image built again (project_build: its tag moves when
 * the build differs, so the apply that follows rolls it out). */
static int rebuild(struct cli *c, const struct compose_project *p, const struct compose_service *s, struct lerr *e)
{
	struct lerr one;
	printf("Rebuilding service %s\n", s->name);
	if (project_build(c, p, s, 0, &one) == 0)
		return 1;
	fprintf(stderr, "lochs: watch: %s\n", one.msg);
	*e = one;
	return -1;
}

int watch_act(struct cli *c, const struct compose_project *p, char *const *changed, struct lerr *e)
{
	sqlite3 *db = cli_db(c, e);
	struct observed_jail *have = NULL;
	int nhave = 0, failed = 0, built = 0;
	if (!db || observe_jails(db, p->name, &have, &nhave, e) < 0)
		return -1;
	for (int i = 0; i < p->nsvcs; i++) {
		const struct compose_service *s = &p->svcs[i];
		int restart = 0, build = 0;
		for (int r = 0; r < s->nwatch; r++)
			if (sync_rule(c, p, s, &s->watch[r], changed, have, nhave, &failed, e)) {
				restart |= strstr(s->watch[r].action, "restart") != NULL;
				build |= !strcmp(s->watch[r].action, "rebuild");
			}
		if (build) {
			int rc = rebuild(c, p, s, e);
			built |= rc > 0;
			failed |= rc < 0;
		} else if (restart) {
			char *argv[] = { "restart", s->name, NULL };
			struct lerr one;
			printf("Restarting service %s\n", s->name);
			if (compose_each(c, p, 2, argv, &one) < 0) {
				fprintf(stderr, "lochs: watch: %s\n", one.msg);
				*e = one;
				failed = 1;
			}
		}
	}
	free(have);
	return failed ? -1 : built;
}

/* How each jail that is not running ended (restart policy inputs). */
static void read_ends(sqlite3 *db, const struct observed_jail *have, int nhave, struct jail_end *ends)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT coalesce(exit_code, -1), stopped_by_user, restart_count FROM jails WHERE id = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return;
	for (int h = 0; h < nhave; h++) {
		ends[h] = (struct jail_end){ -1, 0, 0 };
		if (!strcmp(have[h].state, "running"))
			continue;
		sqlite3_bind_text(st, 1, have[h].id, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) == SQLITE_ROW)
			ends[h] = (struct jail_end){ sqlite3_column_int(st, 0), sqlite3_column_int(st, 1),
						     sqlite3_column_int(st, 2) };
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
}

int watch_drift(struct cli *c, const struct compose_project *p, char *why, size_t size, struct lerr *e)
{
	sqlite3 *db = cli_db(c, e);
	struct project_state st;
	struct observed_jail *have = NULL;
	int nhave = 0, rc = -1;
	if (!db || project_desired(p, &st, e) < 0)
		return -1;
	project_pin_images(c, &st);
	if (observe_jails(db, p->name, &have, &nhave, e) == 0) {
		struct jail_end *ends = calloc((size_t)nhave + 1, sizeof *ends);
		if (ends) {
			read_ends(db, have, nhave, ends);
			rc = reconcile_drift(st.want, st.nwant, have, nhave, ends, why, size);
		} else {
			lerr_set(e, LX_LOCHS, "out of memory");
		}
		free(ends);
	}
	free(have);
	project_state_free(&st);
	return rc;
}
