/* The jail's cgroups: one directory "lochs/ID" in the v2 hierarchy when its
 * memory and pids controllers are available, otherwise one in each of the
 * v1 memory, pids, freezer and cpu hierarchies (this machine's v2 has
 * none). */
#include "jail_int.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define V1_FREEZER "/sys/fs/cgroup/freezer"

static int put(const char *dir, const char *file, const char *val)
{
	char path[600];
	snprintf(path, sizeof path, "%s/%s", dir, file);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, val, strlen(val));
	int err = errno;
	close(fd);
	errno = err;
	return n < 0 ? -1 : 0;
}

static int has_controllers(const char *v2)
{
	char path[256], buf[512] = "";
	snprintf(path, sizeof path, "%s/cgroup.controllers", v2);
	FILE *f = fopen(path, "re");
	if (!f)
		return 0;
	if (!fgets(buf, sizeof buf, f))
		buf[0] = 0;
	fclose(f);
	return strstr(buf, "memory") && strstr(buf, "pids");
}

/* The v2 mount with the controllers we need, or NULL for v1. */
static const char *v2_root(void)
{
	static const char *const cands[] = { "/sys/fs/cgroup", "/sys/fs/cgroup/unified" };
	for (int i = 0; i < 2; i++)
		if (has_controllers(cands[i]))
			return cands[i];
	return NULL;
}

static int mkcg(struct jail_proc *p, const char *base, const char *id, struct lerr *e)
{
	char dir[512];
	snprintf(dir, sizeof dir, "%s/lochs", base);
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return lerr_sys(e, "cgroup %s", dir);
	snprintf(p->cgroup[p->ncgroup], sizeof p->cgroup[0], "%s/lochs/%s", base, id);
	/* A directory left by a crashed monitor is taken over. */
	if (mkdir(p->cgroup[p->ncgroup], 0755) < 0 && errno != EEXIST)
		return lerr_sys(e, "cgroup %s", p->cgroup[p->ncgroup]);
	p->ncgroup++;
	return 0;
}

static int limit(const char *dir, const char *file, const char *val, struct lerr *e)
{
	if (put(dir, file, val) < 0)
		return lerr_sys(e, "cgroup %s/%s = %s", dir, file, val);
	return 0;
}

static int setup_v2(const struct jail_config *c, struct jail_proc *p, const char *root, struct lerr *e)
{
	char lochs[300], v[64];
	snprintf(lochs, sizeof lochs, "%s/lochs", root);
	/* Enable the controllers for lochs/ and its children (best effort at
	 * the top: a systemd host has them on already). */
	put(root, "cgroup.subtree_control", "+memory +pids +cpu");
	if (mkcg(p, root, c->id, e) < 0)
		return -1;
	if (put(lochs, "cgroup.subtree_control", "+memory +pids +cpu") < 0 &&
	    put(lochs, "cgroup.subtree_control", "+memory +pids") < 0)
		return lerr_sys(e, "cgroup %s: enabling memory and pids", lochs);
	const char *d = p->cgroup[0];
	if (c->memory > 0) {
		snprintf(v, sizeof v, "%lld", c->memory);
		if (limit(d, "memory.max", v, e) < 0)
			return -1;
		put(d, "memory.swap.max", "0"); /* absent without swap accounting */
	}
	if (c->pids_limit > 0) {
		snprintf(v, sizeof v, "%d", c->pids_limit);
		if (limit(d, "pids.max", v, e) < 0)
			return -1;
	}
	if (c->cpus > 0) {
		snprintf(v, sizeof v, "%lld 100000", (long long)(c->cpus * 100000));
		if (limit(d, "cpu.max", v, e) < 0)
			return -1;
	}
	if (c->cpu_shares > 0) {
		/* v1 shares 2..262144 onto v2 weight 1..10000, as runc maps them */
		long s = c->cpu_shares < 2 ? 2 : c->cpu_shares > 262144 ? 262144 : c->cpu_shares;
		snprintf(v, sizeof v, "%ld", 1 + ((s - 2) * 9999) / 262142);
		if (limit(d, "cpu.weight", v, e) < 0)
			return -1;
	}
	return 0;
}

static int setup_v1(const struct jail_config *c, struct jail_proc *p, struct lerr *e)
{
	char v[64];
	struct stat st;
	/* memory first: OOM detection reads it even without a limit */
	if (mkcg(p, "/sys/fs/cgroup/memory", c->id, e) < 0)
		return -1;
	if (c->memory > 0) {
		snprintf(v, sizeof v, "%lld", c->memory);
		/* memsw >= limit must hold at every step: shrink memsw last */
		put(p->cgroup[0], "memory.memsw.limit_in_bytes", "-1");
		if (limit(p->cgroup[0], "memory.limit_in_bytes", v, e) < 0)
			return -1;
		put(p->cgroup[0], "memory.memsw.limit_in_bytes", v); /* no swapping past the limit */
	}
	if (mkcg(p, "/sys/fs/cgroup/pids", c->id, e) < 0)
		return -1;
	if (c->pids_limit > 0) {
		snprintf(v, sizeof v, "%d", c->pids_limit);
		if (limit(p->cgroup[1], "pids.max", v, e) < 0)
			return -1;
	}
	/* pause/unpause freeze it (v2 has cgroup.freeze in every cgroup) */
	if (stat(V1_FREEZER, &st) == 0 && mkcg(p, V1_FREEZER, c->id, e) < 0)
		return -1;
	if (c->cpus > 0 || c->cpu_shares > 0) {
		const char *cpu = stat("/sys/fs/cgroup/cpu,cpuacct", &st) == 0 ? "/sys/fs/cgroup/cpu,cpuacct" : "/sys/fs/cgroup/cpu";
		if (mkcg(p, cpu, c->id, e) < 0)
			return -1;
		const char *d = p->cgroup[p->ncgroup - 1];
		if (c->cpus > 0) {
			snprintf(v, sizeof v, "%lld", (long long)(c->cpus * 100000));
			if (limit(d, "cpu.cfs_period_us", "100000", e) < 0 ||
			    limit(d, "cpu.cfs_quota_us", v, e) < 0)
				return -1;
		}
		if (c->cpu_shares > 0) {
			snprintf(v, sizeof v, "%d", c->cpu_shares);
			if (limit(d, "cpu.shares", v, e) < 0)
				return -1;
		}
	}
	return 0;
}

int cg_create(const struct jail_config *c, struct jail_proc *p, struct lerr *e)
{
	const char *v2 = v2_root();
	p->ncgroup = 0;
	if ((v2 ? setup_v2(c, p, v2, e) : setup_v1(c, p, e)) < 0) {
		jail_cleanup(p);
		return -1;
	}
	return 0;
}

int cg_attach(const struct jail_proc *p, pid_t pid, struct lerr *e)
{
	char v[32];
	snprintf(v, sizeof v, "%d", (int)pid);
	for (int i = 0; i < p->ncgroup; i++)
		if (limit(p->cgroup[i], "cgroup.procs", v, e) < 0)
			return -1;
	return 0;
}

/* "key N" lines: N for key, or 0. */
static long long stat_key(const char *dir, const char *file, const char *key)
{
	char path[600], line[256];
	long long n = 0;
	snprintf(path, sizeof path, "%s/%s", dir, file);
	FILE *f = fopen(path, "re");
	if (!f)
		return 0;
	size_t kl = strlen(key);
	while (fgets(line, sizeof line, f))
		if (strncmp(line, key, kl) == 0 && line[kl] == ' ')
			n = atoll(line + kl + 1);
	fclose(f);
	return n;
}

int jail_oom_killed(const struct jail_proc *p)
{
	for (int i = 0; i < p->ncgroup; i++)
		if (stat_key(p->cgroup[i], "memory.events", "oom_kill") > 0 ||
		    stat_key(p->cgroup[i], "memory.oom_control", "oom_kill") > 0)
			return 1;
	return 0;
}

/* Kills what is left in dir (the jail's pid 1 is gone, so normally its
 * namespace took everything with it). */
static void kill_all(const char *dir)
{
	/* A paused jail's tasks die only once thawed (v1). */
	put(dir, "freezer.state", "THAWED");
	if (put(dir, "cgroup.kill", "1") == 0)
		return;
	char path[600];
	snprintf(path, sizeof path, "%s/cgroup.procs", dir);
	FILE *f = fopen(path, "re");
	int pid;
	while (f && fscanf(f, "%d", &pid) == 1)
		kill(pid, SIGKILL);
	if (f)
		fclose(f);
}

void jail_cleanup(struct jail_proc *p)
{
	for (int i = 0; i < p->ncgroup; i++) {
		/* Exiting tasks keep a cgroup busy for a moment: retry ~2 s. */
		for (int t = 0; t < 200 && rmdir(p->cgroup[i]) < 0 && errno == EBUSY; t++) {
			kill_all(p->cgroup[i]);
			nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
		}
	}
	p->ncgroup = 0;
}

int jail_cgroup_dirs(const char *id, char dirs[][512], int max)
{
	static const char *const v1[] = { "memory", "pids", "freezer", "cpu,cpuacct", "cpu" };
	const char *v2 = v2_root();
	struct stat st;
	int n = 0;
	for (int i = 0; i < (v2 ? 1 : 5) && n < max; i++) {
		if (i == 4 && n && strstr(dirs[n - 1], "/cpu,cpuacct/"))
			break; /* "cpu" is a link to the joint hierarchy */
		if (v2)
			snprintf(dirs[n], 512, "%s/lochs/%s", v2, id);
		else
			snprintf(dirs[n], 512, "/sys/fs/cgroup/%s/lochs/%s", v1[i], id);
		if (stat(dirs[n], &st) == 0)
			n++;
	}
	return n;
}

/* The freezer's file in dir and its values: v1 freezer or v2. */
static int freezer(const char *dir, int frozen, const char **file, const char **val, const char **done)
{
	char path[600];
	snprintf(path, sizeof path, "%s/freezer.state", dir);
	if (access(path, F_OK) == 0) {
		*file = "freezer.state", *val = frozen ? "FROZEN" : "THAWED", *done = *val;
		return 1;
	}
	snprintf(path, sizeof path, "%s/cgroup.freeze", dir);
	if (access(path, F_OK) == 0) {
		*file = "cgroup.freeze", *val = frozen ? "1" : "0", *done = frozen ? "frozen 1" : "frozen 0";
		return 1;
	}
	return 0;
}

int jail_freeze(const char *id, int frozen, struct lerr *e)
{
	char dirs[5][512], path[600], buf[64];
	int n = jail_cgroup_dirs(id, dirs, 5);
	for (int i = 0; i < n; i++) {
		const char *file, *val, *done;
		if (!freezer(dirs[i], frozen, &file, &val, &done))
			continue;
		if (limit(dirs[i], file, val, e) < 0)
			return -1;
		/* FREEZING until every task stopped: wait for the end (~5 s). */
		snprintf(path, sizeof path, "%s/%s", dirs[i], !strcmp(file, "cgroup.freeze") ? "cgroup.events" : file);
		for (int t = 0; t < 500; t++) {
			FILE *f = fopen(path, "re");
			int ok = 0;
			while (f && fgets(buf, sizeof buf, f))
				ok |= strncmp(buf, done, strlen(done)) == 0;
			if (f)
				fclose(f);
			if (ok)
				return 0;
			nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
		}
		return lerr_set(e, LX_LOCHS, "cgroup %s: %s did not take effect", dirs[i], val);
	}
	return lerr_set(e, LX_LOCHS, "no freezer cgroup for jail %.12s (started before pause support? restart it)", id);
}

/* Moving a task between v1 cgroups makes the kernel wait for an RCU grace
 * period (the cgroup_threadgroup_rwsem's rcu_sync) unless one is already
 * under way: ~15 ms on an idle machine, the largest part of a jail start.
 * A throwaway process moving itself into lochs/ at the start of a command
 * that will start a jail begins that wait early, off the critical path,
 * and the jail's own move then finds it done or nearly so. */
void jail_cgroup_prewarm(void)
{
	static int done;
	char dir[512];
	if (done++ || v2_root())
		return; /* once per command; v2 with controllers: no v1 moves */
	snprintf(dir, sizeof dir, "%s/lochs", "/sys/fs/cgroup/memory");
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return;
	pid_t pid = fork();
	if (pid == 0) {
		if (fork() == 0) { /* orphaned at once: nobody waits for it */
			char me[16];
			snprintf(me, sizeof me, "%d", (int)getpid());
			put(dir, "cgroup.procs", me);
		}
		_exit(0);
	}
	if (pid > 0)
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
}
