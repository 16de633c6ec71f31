/* See liveness.h. */
#include "liveness.h"
#include <stdio.h>
#include <string.h>

/* Whether path (a cgroup path, up to its line's end) is .../lochs/ID. */
static int is_jail_path(const char *path, size_t len, const char *id)
{
	char want[128];
	int n = snprintf(want, sizeof want, "/lochs/%s", id);
	return n > 0 && len >= (size_t)n && !strncmp(path + len - (size_t)n, want, (size_t)n);
}

/* Whether the comma-separated list ctl (of length len) names c. */
static int names(const char *ctl, size_t len, const char *c)
{
	size_t cl = strlen(c);
	for (const char *p = ctl; p < ctl + len;) {
		const char *comma = memchr(p, ',', (size_t)(ctl + len - p));
		size_t k = comma ? (size_t)(comma - p) : (size_t)(ctl + len - p);
		if (k == cl && !strncmp(p, c, k))
			return 1;
		p += k + 1;
	}
	return 0;
}

int jail_cgroup_member(const char *text, const char *id)
{
	int v1 = 0, ok1 = 0, unified = 0;
	for (const char *l = text; l && *l;) {
		const char *end = strchr(l, '\n');
		size_t len = end ? (size_t)(end - l) : strlen(l);
		const char *c1 = memchr(l, ':', len), *c2 = c1 ? memchr(c1 + 1, ':', len - (size_t)(c1 + 1 - l)) : NULL;
		if (c2) {
			const char *ctl = c1 + 1, *path = c2 + 1;
			size_t cl = (size_t)(c2 - ctl), pl = len - (size_t)(path - l);
			int mine = is_jail_path(path, pl, id);
			if (cl == 0)
				unified = mine;
			for (int k = 0; k < 2; k++)
				if (names(ctl, cl, k ? "pids" : "memory")) {
					v1 |= 1 << k;
					ok1 |= mine << k;
				}
		}
		l = end ? end + 1 : NULL;
	}
	return v1 ? ok1 == v1 && v1 == 3 : unified;
}

const char *jail_broken(const struct jail_facts *f, char *why, size_t size)
{
	int ended = !f->pid_alive || f->ppid != f->monitor_pid;
	if (ended && !f->monitor_stopped)
		return NULL; /* its monitor records the end */
	if (!f->pid_alive)
		snprintf(why, size, "its pid 1 is gone (its monitor is stopped)");
	else if (f->ppid != f->monitor_pid)
		snprintf(why, size, "its pid is another process's (its monitor is stopped)");
	else if (!f->cgroups || !jail_cgroup_member(f->cgroups, f->id))
		snprintf(why, size, "its cgroups are gone (its pid 1 is not in lochs/%.12s)", f->id);
	else if (f->netns_shared && !f->host_network)
		snprintf(why, size, "its network namespace is gone");
	else if (f->root_shared)
		snprintf(why, size, "its root filesystem is not mounted");
	else
		return NULL;
	return why;
}
