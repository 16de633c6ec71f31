/* The crash sweep of a state root; see sweep.h. */
#include "sweep.h"
#include "firewall.h"
#include "ipam.h"
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <unistd.h>

static int lock(const char *root, int how)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/create.lock", root);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0)
		flock(fd, how);
	return fd;
}

int netplane_create_lock(const char *root)
{
	return lock(root, LOCK_SH);
}

int netplane_sweep(sqlite3 *db, const char *root, struct lerr *e)
{
	if (!db)
		return -1;
	int fd = lock(root, LOCK_EX);
	int rc = ipam_sweep(db) < 0 ? lerr_set(e, LX_LOCHS, "state database: %s", sqlite3_errmsg(db))
				    : firewall_sweep(db, e);
	if (fd >= 0)
		close(fd);
	return rc;
}
