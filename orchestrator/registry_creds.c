/* The credentials file of lochs login (see registry_creds.h). */
#include "registry_creds.h"
#include "config.h"
#include "../common/fsutil.h"
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

void creds_path(const char *root, char *out, size_t size)
{
	const char *env = getenv("REGISTRY_AUTH_FILE");
	if (env && *env)
		snprintf(out, size, "%s", env);
	else
		snprintf(out, size, "%s/auth.json", root);
}

int creds_lookup(const char *root, json_t *cfg, const char *host, char *out, size_t size, struct lerr *e)
{
	char path[4096];
	creds_path(root, path, sizeof path);
	json_t *j = config_load_file(path, e);
	if (!j)
		return -1;
	int found = config_auth(j, host, out, size) || config_auth(cfg, host, out, size);
	json_decref(j);
	return found;
}

/* Writes j to path through a mkstemp file (mode 0600 from the start),
 * fsynced and renamed over path. */
static int save(const char *path, json_t *j, struct lerr *e)
{
	char tmp[4200];
	snprintf(tmp, sizeof tmp, "%s.XXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0)
		return lerr_sys(e, "%s", path);
	char *s = json_dumps(j, JSON_INDENT(2));
	size_t len = s ? strlen(s) : 0, off = 0;
	int rc = s ? 0 : lerr_set(e, LX_LOCHS, "out of memory");
	while (rc == 0 && off < len) {
		ssize_t w = write(fd, s + off, len - off);
		if (w < 0 && errno != EINTR)
			rc = lerr_sys(e, "%s", tmp);
		off += w > 0 ? (size_t)w : 0;
	}
	if (rc == 0 && (write(fd, "\n", 1) != 1 || fsync(fd) < 0))
		rc = lerr_sys(e, "%s", tmp);
	if (close(fd) < 0 && rc == 0)
		rc = lerr_sys(e, "%s", tmp);
	if (rc == 0 && rename(tmp, path) < 0)
		rc = lerr_sys(e, "%s", path);
	if (rc < 0)
		unlink(tmp);
	free(s);
	return rc;
}

int creds_set(const char *root, const char *host, const char *b64, int *had, struct lerr *e)
{
	char path[4096], lock[4200], dir[4096];
	creds_path(root, path, sizeof path);
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = 0;
		/* The state root as state_open makes it; another file's folder private. */
		const char *env = getenv("REGISTRY_AUTH_FILE");
		if (mkdir_p(dir, env && *env ? 0700 : 0711) < 0)
			return lerr_sys(e, "%s", dir);
	}
	/* Concurrent logins: each reads and rewrites the file under the lock. */
	snprintf(lock, sizeof lock, "%s.lock", path);
	int lfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (lfd < 0)
		return lerr_sys(e, "%s", lock);
	while (flock(lfd, LOCK_EX) < 0 && errno == EINTR)
		;
	int rc = -1;
	json_t *j = config_load_file(path, e);
	if (!j)
		goto out;
	json_t *auths = json_object_get(j, "auths");
	if (!json_is_object(auths)) {
		auths = json_object();
		json_object_set_new(j, "auths", auths);
	}
	if (had)
		*had = json_object_get(auths, host) != NULL;
	if (b64)
		json_object_set_new(auths, host, json_pack("{s:s}", "auth", b64));
	else if (json_object_del(auths, host) < 0) {
		rc = 0; /* nothing to remove: the file stays as it is */
		goto out;
	}
	rc = save(path, j, e);
out:
	json_decref(j);
	close(lfd);
	return rc;
}
