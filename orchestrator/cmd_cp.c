/* cp: files between a jail and the host, both ways. A stopped jail is read
 * through its layers (upper over the image's, whiteouts honoured) and
 * written in its upper dir; a running one through its mounted root
 * (/proc/PID/root), so its volumes and the overlay's caches see the same
 * files. Paths in the jail are resolved by lview_resolve as
 * RESOLVE_IN_ROOT would: no symlink in the jail leads to the host. */
#include "cli.h"
#include "jailcp.h"
#include "jailops.h"
#include "../volumes/jaillayers.h"
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* "JAIL:PATH" splits; a host path has no colon before its first slash. */
static int jail_arg(const char *a, char *jail, size_t size, const char **path)
{
	const char *colon = strchr(a, ':'), *slash = strchr(a, '/');
	if (!colon || (slash && slash < colon) || colon == a)
		return 0;
	snprintf(jail, size, "%.*s", (int)(colon - a), a);
	*path = colon + 1;
	return 1;
}

/* The jail's view and the root that writes go to (an O_PATH fd). */
struct jail_fs {
	struct lview v;
	int wfd;
};

static int jail_pid(struct cli *c, const char *id)
{
	sqlite3_stmt *st;
	int pid = 0;
	if (sqlite3_prepare_v2(c->db, "SELECT pid, monitor_pid FROM jails WHERE id = ? AND state = 'running'", -1, &st,
			       NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) == SQLITE_ROW && kill(sqlite3_column_int(st, 1), 0) == 0)
			pid = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	return pid;
}

static int jail_fs_open(struct cli *c, const char *ref, struct jail_fs *j, struct lerr *e)
{
	char id[65], path[4096];
	if (jail_lookup(c, ref, id, e) < 0)
		return -1;
	int pid = jail_pid(c, id);
	if (pid > 0) {
		snprintf(path, sizeof path, "/proc/%d/root", pid);
		const char *dirs[] = { path };
		if (lview_open(&j->v, dirs, 1, e) == 0) {
			j->wfd = j->v.fd[0];
			return 0;
		}
	}
	struct jail_layers l;
	jail_path(c, id, "config.json", path, sizeof path);
	if (jail_layers_load(path, &l, e) < 0)
		return -1;
	int rc = jail_layers_view(&l, &j->v, e);
	jail_layers_free(&l);
	j->wfd = j->v.fd[0]; /* the upper dir */
	return rc;
}

static const char *base(const char *p, char *buf, size_t size)
{
	snprintf(buf, size, "%s", p);
	size_t n = strlen(buf);
	while (n > 1 && buf[n - 1] == '/')
		buf[--n] = 0;
	char *s = strrchr(buf, '/');
	return s && s[1] ? s + 1 : buf;
}

/* SRC/. copies the directory's contents, not the directory. */
static int wants_contents(const char *p)
{
	size_t n = strlen(p);
	return n >= 2 && !strcmp(p + n - 2, "/.");
}

/* The name a copy gets inside an existing directory: SRC's own
 * (not a followed link's target), none for "/" or SRC/. (contents). */
static const char *copy_name(const char *src, char *buf, size_t size)
{
	const char *n = base(src, buf, size);
	return wants_contents(src) || !strcmp(n, "/") ? NULL : n;
}

static int copy_out(struct cli *c, const char *ref, const char *src, const char *dst, int follow, struct lerr *e)
{
	struct jail_fs j;
	char rel[PATH_MAX], b[PATH_MAX], parent[PATH_MAX];
	if (jail_fs_open(c, ref, &j, e) < 0)
		return -1;
	int rc = -1, fd;
	const char *name;
	struct stat st;
	if (lview_resolve(&j.v, src, follow, rel, sizeof rel) < 0) {
		lerr_sys(e, "could not find %s in jail %s", src, ref);
		goto out;
	}
	if (stat(dst, &st) == 0 && S_ISDIR(st.st_mode)) {
		fd = open(dst, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		name = copy_name(src, b, sizeof b);
	} else {
		snprintf(parent, sizeof parent, "%s", dst);
		fd = open(dirname(parent), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		name = base(dst, b, sizeof b);
	}
	if (fd < 0) {
		lerr_sys(e, "%s", dst);
		goto out;
	}
	rc = lview_copy(&j.v, rel, fd, name, 0, e);
	close(fd);
out:
	lview_close(&j.v);
	return rc;
}

/* Creates the missing directories of rel in the writable root, with the
 * merged view's metadata (a copy-up of the parents). */
static int make_parents(const struct jail_fs *j, const char *rel, struct lerr *e)
{
	char path[PATH_MAX];
	for (const char *p = rel; *p;) {
		p += strcspn(p, "/");
		snprintf(path, sizeof path, "%.*s", (int)(p - rel), rel);
		p += strspn(p, "/");
		struct lent ent;
		int fd = lview_openat(j->wfd, path, O_PATH);
		if (fd >= 0) {
			close(fd);
			continue;
		}
		if (lview_lookup(&j->v, path, &ent) < 0)
			return lerr_sys(e, "/%s", path);
		char parent[PATH_MAX];
		snprintf(parent, sizeof parent, "%s", path);
		char *s = strrchr(parent, '/');
		const char *name = s ? s + 1 : path;
		if (s)
			*s = 0;
		else
			parent[0] = 0;
		int pfd = lview_openat(j->wfd, parent, O_RDONLY | O_DIRECTORY);
		if (pfd < 0 || mkdirat(pfd, name, ent.st.st_mode & 07777) < 0 ||
		    fchownat(pfd, name, ent.st.st_uid, ent.st.st_gid, AT_SYMLINK_NOFOLLOW) < 0) {
			int err = errno;
			if (pfd >= 0)
				close(pfd);
			errno = err;
			return lerr_sys(e, "creating /%s", path);
		}
		close(pfd);
	}
	return 0;
}

/* The host side of copy_in as a one-layer view: its root dir and the
 * entry to copy in it. */
static int host_source(const char *src, int follow, struct lview *hv, char *hrel, size_t size, struct lerr *e)
{
	char dir[PATH_MAX], real[PATH_MAX], tmp[PATH_MAX];
	hrel[0] = 0;
	if (wants_contents(src) || follow) {
		if (!realpath(src, real))
			return lerr_sys(e, "%s", src);
		snprintf(dir, sizeof dir, "%s", real);
		if (!wants_contents(src) && strcmp(real, "/")) {
			snprintf(hrel, size, "%s", strrchr(real, '/') + 1);
			*strrchr(dir, '/') = 0;
			if (!*dir)
				strcpy(dir, "/");
		}
	} else {
		snprintf(tmp, sizeof tmp, "%s", src);
		if (!realpath(dirname(tmp), dir))
			return lerr_sys(e, "%s", src);
		snprintf(hrel, size, "%s", base(src, tmp, sizeof tmp));
		if (!strcmp(hrel, "/"))
			hrel[0] = 0;
	}
	const char *dirs[] = { dir };
	struct lent ent;
	if (lview_open(hv, dirs, 1, e) < 0)
		return -1;
	if (lview_lookup(hv, hrel, &ent) < 0) {
		lview_close(hv);
		return lerr_sys(e, "%s", src);
	}
	return 0;
}

int jail_copy_in(struct cli *c, const char *src, const char *ref, const char *dst, int follow, int archive,
		 struct lerr *e)
{
	char hrel[PATH_MAX], rel[PATH_MAX], parent[PATH_MAX], b[PATH_MAX];
	struct lview hv;
	struct jail_fs j;
	if (host_source(src, follow, &hv, hrel, sizeof hrel, e) < 0)
		return -1;
	if (jail_fs_open(c, ref, &j, e) < 0) {
		lview_close(&hv);
		return -1;
	}
	int rc = -1, fd;
	const char *name;
	struct lent ent;
	int found = lview_resolve(&j.v, dst, 1, rel, sizeof rel) == 0;
	if (!found && (errno != ENOENT || !*rel)) {
		lerr_sys(e, "%s in jail %s", dst, ref);
		goto out;
	}
	if (found && lview_lookup(&j.v, rel, &ent) == 0 && S_ISDIR(ent.st.st_mode)) {
		snprintf(parent, sizeof parent, "%s", rel); /* into the directory */
		name = copy_name(src, b, sizeof b);
	} else {
		if (!found && dst[strlen(dst) - 1] == '/') {
			lerr_set(e, LX_LOCHS, "no such directory %s in jail %s", dst, ref);
			goto out;
		}
		snprintf(parent, sizeof parent, "%s", rel);
		char *s = strrchr(parent, '/');
		name = base(rel, b, sizeof b);
		if (s)
			*s = 0;
		else
			parent[0] = 0;
	}
	if (make_parents(&j, parent, e) < 0)
		goto out;
	if ((fd = lview_openat(j.wfd, parent, O_RDONLY | O_DIRECTORY)) < 0) {
		lerr_sys(e, "/%s in jail %s", parent, ref);
		goto out;
	}
	rc = lview_copy(&hv, hrel, fd, name, !archive, e);
	close(fd);
out:
	lview_close(&j.v);
	lview_close(&hv);
	return rc;
}

static int cmd_cp(struct cli *c, int argc, char **argv, struct lerr *e)
{
	int follow = 0, archive = 0, i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "-L") || !strcmp(argv[i], "--follow-link"))
			follow = 1;
		else if (!strcmp(argv[i], "-a") || !strcmp(argv[i], "--archive"))
			archive = 1;
		else
			return lerr_usage(e, "cp", "unknown flag %s", argv[i]);
	}
	if (argc - i != 2)
		return lerr_usage(e, "cp", "requires exactly 2 arguments: JAIL:SRC DEST or SRC JAIL:DEST");
	char js[256], jd[256];
	const char *sp, *dp;
	int from = jail_arg(argv[i], js, sizeof js, &sp), to = jail_arg(argv[i + 1], jd, sizeof jd, &dp);
	if (from == to)
		return lerr_usage(e, "cp", "exactly one of SRC and DEST must be JAIL:PATH");
	if (!cli_db(c, e))
		return -1;
	if (from)
		return copy_out(c, js, *sp ? sp : "/", argv[i + 1], follow, e);
	return jail_copy_in(c, argv[i], jd, *dp ? dp : "/", follow, archive, e);
}
LOCHS_COMMAND(cp, "cp", cmd_cp, "cp [-L] [-a] JAIL:SRC DEST | SRC JAIL:DEST",
	      "Copy files between a jail and the host (-L follows a symlink SRC, -a keeps owners)");
