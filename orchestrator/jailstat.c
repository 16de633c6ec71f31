#include "jailstat.h"
#include "../translator/jail/jail.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int cmp_pid(const void *a, const void *b)
{
	return *(const pid_t *)a - *(const pid_t *)b;
}

static ino_t pidns(pid_t pid)
{
	char path[64];
	struct stat st;
	snprintf(path, sizeof path, "/proc/%d/ns/pid", (int)pid);
	return stat(path, &st) == 0 ? st.st_ino : 0;
}

pid_t *jail_members(const char *id, pid_t pid1, int *n)
{
	char dirs[4][512], path[600];
	*n = 0;
	if (jail_cgroup_dirs(id, dirs, 4) < 1)
		return NULL;
	snprintf(path, sizeof path, "%s/cgroup.procs", dirs[0]);
	FILE *f = fopen(path, "re");
	if (!f)
		return NULL;
	ino_t ns = pidns(pid1);
	int cap = 16, p;
	pid_t *v = malloc((size_t)cap * sizeof *v);
	while (v && fscanf(f, "%d", &p) == 1) {
		if (pidns(p) != ns)
			continue;
		if (*n == cap) {
			pid_t *nv = realloc(v, (size_t)(cap *= 2) * sizeof *v);
			if (!nv)
				break;
			v = nv;
		}
		v[(*n)++] = p;
	}
	fclose(f);
	if (v)
		qsort(v, (size_t)*n, sizeof *v, cmp_pid);
	return v;
}

/* /proc/PID/FILE into buf, NUL-terminated; its length. */
static size_t proc_read(pid_t pid, const char *file, char *buf, size_t size)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, file);
	FILE *f = fopen(path, "re");
	size_t len = f ? fread(buf, 1, size - 1, f) : 0;
	if (f)
		fclose(f);
	buf[len] = 0;
	return len;
}

void proc_command(pid_t pid, char *out, size_t size)
{
	char buf[8192];
	size_t len = proc_read(pid, "cmdline", buf, sizeof buf);
	out[0] = 0;
	size_t i = 0;
	const char *base = strrchr(buf, '/') ? strrchr(buf, '/') + 1 : buf;
	/* bsdulator [--opt value]... [--] PROGRAM ARG...: options take a
	 * value, "--" ends them (kinfo_guest_cmdline reads it alike). */
	if (!strcmp(base, "bsdulator")) {
		i = strlen(buf) + 1;
		while (i < len && buf[i] == '-') {
			int end = !strcmp(buf + i, "--");
			i += strlen(buf + i) + 1;
			if (end)
				break;
			i += strlen(buf + i) + 1;
		}
		if (i >= len)
			i = 0;
	}
	for (size_t k = i; k < len; k += strlen(buf + k) + 1)
		snprintf(out + strlen(out), size - strlen(out), "%s%s", k > i ? " " : "", buf + k);
}

static long long read_ll(const char *dir, const char *file)
{
	char path[600], buf[64];
	snprintf(path, sizeof path, "%s/%s", dir, file);
	FILE *f = fopen(path, "re");
	if (!f)
		return -2;
	long long v = -2;
	if (fgets(buf, sizeof buf, f))
		v = !strncmp(buf, "max", 3) ? -1 : atoll(buf);
	fclose(f);
	return v;
}

/* "key N" in a flat-keyed file; -2 when absent. */
static long long read_key(const char *dir, const char *file, const char *key)
{
	char path[600], line[256];
	snprintf(path, sizeof path, "%s/%s", dir, file);
	FILE *f = fopen(path, "re");
	long long v = -2;
	size_t kl = strlen(key);
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, key, kl) && line[kl] == ' ')
			v = atoll(line + kl + 1);
	if (f)
		fclose(f);
	return v;
}

unsigned long long proc_cpu_ticks(pid_t pid)
{
	char buf[1024];
	proc_read(pid, "stat", buf, sizeof buf);
	unsigned long long ut = 0, st = 0;
	char *p = strrchr(buf, ')'); /* comm may hold spaces */
	if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
		ut = st = 0;
	return ut + st;
}

/* The jail's live processes' CPU time (v1 without cpuacct). */
static unsigned long long proc_cpu_ns(const char *id, pid_t pid1)
{
	int n;
	pid_t *v = jail_members(id, pid1, &n);
	unsigned long long ticks = 0;
	for (int i = 0; v && i < n; i++)
		ticks += proc_cpu_ticks(v[i]);
	free(v);
	return ticks * (1000000000ULL / (unsigned long long)sysconf(_SC_CLK_TCK));
}

static void net_bytes(pid_t pid1, struct jail_usage *u)
{
	char path[64], line[512], name[64];
	snprintf(path, sizeof path, "/proc/%d/net/dev", (int)pid1);
	FILE *f = fopen(path, "re");
	unsigned long long rx, tx;
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, " %63[^:]: %llu %*u %*u %*u %*u %*u %*u %*u %llu", name, &rx, &tx) == 3 && strcmp(name, "lo")) {
			u->rx += rx;
			u->tx += tx;
		}
	if (f)
		fclose(f);
}

int jail_usage(const char *id, pid_t pid1, struct jail_usage *u)
{
	char dirs[4][512];
	int n = jail_cgroup_dirs(id, dirs, 4), cpu = 0;
	memset(u, 0, sizeof *u);
	u->mem_limit = -1;
	if (n < 1)
		return -1;
	for (int i = 0; i < n; i++) {
		const char *d = dirs[i];
		long long v;
		if ((v = read_key(d, "cpu.stat", "usage_usec")) >= 0) /* v2 */
			u->cpu_ns = (unsigned long long)v * 1000, cpu = 1;
		if ((v = read_ll(d, "cpuacct.usage")) >= 0)
			u->cpu_ns = (unsigned long long)v, cpu = 1;
		/* As docker stats: the page cache that can go is not usage. */
		long long cur = read_ll(d, "memory.current"), lim = read_ll(d, "memory.max"), inactive;
		if (cur >= 0) {
			inactive = read_key(d, "memory.stat", "inactive_file");
		} else {
			cur = read_ll(d, "memory.usage_in_bytes");
			lim = read_ll(d, "memory.limit_in_bytes");
			inactive = read_key(d, "memory.stat", "total_inactive_file");
		}
		if (cur >= 0) {
			u->mem = inactive > 0 && inactive < cur ? cur - inactive : cur;
			/* v1 says "no limit" with a huge number */
			u->mem_limit = lim >= 0 && lim < (1LL << 60) ? lim : -1;
		}
		if ((v = read_ll(d, "pids.current")) >= 0)
			u->pids = v;
	}
	if (!cpu)
		u->cpu_ns = proc_cpu_ns(id, pid1);
	net_bytes(pid1, u);
	return 0;
}
