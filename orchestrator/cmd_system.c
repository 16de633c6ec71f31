/* info and system prune, with the helpers the prune commands share. */
#include "cli.h"
#include "events.h"
#include "imagestore.h"
#include "jailops.h"
#include "../common/selfpath.h"
#include "../common/sha256.h"
#include "../netplane/firewall.h"
#include "../netplane/sweep.h"
#include "../reconciler/reconciler.h"
#include "../volumes/volume.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

/* See cli.h. */
void human_size(long long n, char *out, size_t size)
{
	static const char *unit[] = { "B", "kB", "MB", "GB", "TB" };
	double v = (double)n;
	int i = 0;
	for (; v >= 1000 && i < 4; i++)
		v /= 1000;
	snprintf(out, size, "%.3g%s", v, unit[i]);
}

/* See cli.h. */
int confirm(int force, const char *what)
{
	if (force)
		return 1;
	printf("WARNING! This will remove %s.\nAre you sure you want to continue? [y/N] ", what);
	fflush(stdout);
	char line[16] = "";
	return fgets(line, sizeof line, stdin) && (line[0] == 'y' || line[0] == 'Y');
}


/* The cgroup version jails get: 2 when a v2 hierarchy has the memory and
 * pids controllers (translator/jail/cgroup.c decides the same way). */
static int cgroup_version(void)
{
	static const char *const files[] = { "/sys/fs/cgroup/cgroup.controllers",
					     "/sys/fs/cgroup/unified/cgroup.controllers" };
	for (int i = 0; i < 2; i++) {
		char *text = NULL;
		size_t n = 0;
		FILE *f = fopen(files[i], "re");
		if (f && getline(&text, &n, f) > 0 && strstr(text, "memory") && strstr(text, "pids")) {
			free(text);
			fclose(f);
			return 2;
		}
		free(text);
		if (f)
			fclose(f);
	}
	return 1;
}

/* Distinct image ids of the store. */
static int count_images(const char *root)
{
	struct image_entry *v;
	int n, distinct = 0;
	struct lerr e;
	if (image_list(root, &v, &n, &e) < 0)
		return 0;
	for (int i = 0; i < n; i++) {
		int seen = 0;
		for (int j = 0; j < i; j++)
			seen |= !strcmp(v[i].id, v[j].id);
		distinct += !seen;
	}
	free(v);
	return distinct;
}

static int cmd_info(struct cli *c, int argc, char **argv, struct lerr *e)
{
	if (argc > 1)
		return lerr_usage(e, argv[0], "unexpected argument %s", argv[1]);
	sqlite3 *db = cli_db(c, e);
	struct observed_jail *have;
	int n, running = 0, paused = 0, stopped = 0, nvol = 0;
	char **vols;
	if (!db || observe_jails(db, NULL, &have, &n, e) < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		if (!strcmp(have[i].state, "running"))
			running++;
		else if (!strcmp(have[i].state, "paused"))
			paused++;
		else
			stopped++;
	}
	free(have);
	if (volume_names(c, &vols, &nvol, e) < 0)
		return -1;
	for (int i = 0; i < nvol; i++)
		free(vols[i]);
	free(vols);
	struct utsname u;
	uname(&u);
	char tr[4096], digest[65] = "";
	sibling_path("LOCHS_BSDULATOR", "bsdulator", tr, sizeof tr);
	struct lerr ignore;
	if (sha256_file(tr, digest, NULL, &ignore) < 0)
		snprintf(digest, sizeof digest, "missing");
	printf("Jails: %d\n Running: %d\n Paused: %d\n Stopped: %d\n", n, running, paused, stopped);
	printf("Images: %d\nVolumes: %d\n", count_images(c->root), nvol);
	printf("Storage Driver: overlay\nVolume Driver: local\n");
	printf("Cgroup Version: %d\n", cgroup_version());
	printf("Kernel Version: %s\nOperating System: %s\nArchitecture: %s\n", u.release, u.sysname, u.machine);
	printf("CPUs: %ld\n", sysconf(_SC_NPROCESSORS_ONLN));
	printf("Lochs Root Dir: %s\n", c->root);
	char table[32];
	if (firewall_table(cli_db(c, e), table) == 0)
		printf("Firewall Table: ip %s\n", table);
	printf("BSDulator: %s\nBSDulator Version: sha256:%.12s\n", tr, digest);
	return 0;
}
LOCHS_COMMAND(info, "info", cmd_info, "info", "Show system-wide information");
LOCHS_COMMAND(system_info, "system info", cmd_info, "system info", "Show system-wide information");

/* Removes every jail that is not running; prints the ids. */
static int prune_jails(struct cli *c, long long *freed, struct lerr *e)
{
	sqlite3 *db = cli_db(c, e);
	struct observed_jail *have;
	int n, header = 0;
	if (!db || observe_jails(db, NULL, &have, &n, e) < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		char dir[4096];
		struct lerr one = { 0 };
		if (!strcmp(have[i].state, "running") || !strcmp(have[i].state, "paused"))
			continue;
		jail_path(c, have[i].id, NULL, dir, sizeof dir);
		long long size = tree_size(dir);
		if (jailop_remove(c, have[i].id, 0, &one) < 0)
			continue;
		if (!header++)
			printf("Deleted Jails:\n");
		printf("%s\n", have[i].id);
		*freed += size;
	}
	if (header)
		printf("\n");
	free(have);
	return 0;
}

/* Images no jail uses: untagged ones, or all with all; then the store's
 * garbage collection. */
static int prune_images(struct cli *c, int all, long long *freed, struct lerr *e)
{
	sqlite3 *db = cli_db(c, e);
	struct image_entry *v;
	int n, header = 0;
	if (!db || image_list(c->root, &v, &n, e) < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		sqlite3_stmt *st;
		int used = 1;
		if (v[i].ref[0] && !all)
			continue;
		if (sqlite3_prepare_v2(db, "SELECT 1 FROM jails WHERE image = ? LIMIT 1", -1, &st, NULL) == SQLITE_OK) {
			sqlite3_bind_text(st, 1, v[i].id, -1, SQLITE_TRANSIENT);
			used = sqlite3_step(st) == SQLITE_ROW;
			sqlite3_finalize(st);
		}
		if (used)
			continue;
		if (!header++)
			printf("Deleted Images:\n");
		struct lerr one = { 0 };
		image_prune_entry(c->root, v, n, i, &one);
	}
	if (header)
		printf("\n");
	free(v);
	long long gc = 0;
	if (store_gc(c->root, &gc, e) < 0)
		return -1;
	*freed += gc;
	return 0;
}

static int cmd_prune(struct cli *c, int argc, char **argv, struct lerr *e)
{
	int force = 0, all = 0, volumes = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-f") || !strcmp(argv[i], "--force"))
			force = 1;
		else if (!strcmp(argv[i], "-a") || !strcmp(argv[i], "--all"))
			all = 1;
		else if (!strcmp(argv[i], "--volumes"))
			volumes = 1;
		else if (!strcmp(argv[i], "-af") || !strcmp(argv[i], "-fa"))
			all = force = 1;
		else
			return lerr_usage(e, "system prune", "unknown flag %s", argv[i]);
	}
	char what[256];
	snprintf(what, sizeof what, "all stopped jails, %s%s", all ? "all images without at least one jail associated to them" : "all dangling images",
		 volumes ? " and all volumes not used by at least one jail" : "");
	if (!confirm(force, what))
		return 0;
	long long freed = 0, vfreed = 0;
	/* The sweep: port rows of jails gone in a crash, and a firewall table
	 * rewritten from what is left (leaked rules go). */
	if (prune_jails(c, &freed, e) < 0 || netplane_sweep(cli_db(c, e), c->root, e) < 0 ||
	    (volumes && volume_prune_all(c, &vfreed, 1, e) < 0) || prune_images(c, all, &freed, e) < 0)
		return -1;
	char h[32];
	human_size(freed + vfreed, h, sizeof h);
	printf("Total reclaimed space: %s\n", h);
	return 0;
}
LOCHS_COMMAND(system_prune, "system prune", cmd_prune, "system prune [-a] [-f] [--volumes]",
	      "Remove stopped jails, unused images (dangling, or all with -a) and, with --volumes, unused volumes");
