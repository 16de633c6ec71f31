/* See health.h. */
#include "health.h"
#include <fcntl.h>
#include <sys/wait.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static const char *const names[] = { "starting", "healthy", "unhealthy" };

static void record(struct health *h, struct mon *m)
{
	char failing[16], attrs[64];
	snprintf(failing, sizeof failing, "%d", h->failing);
	snprintf(attrs, sizeof attrs, "{\"health\": \"%s\"}", names[h->status]);
	const char *p[] = { names[h->status], failing };
	mdb_exec(m, "INSERT OR REPLACE INTO health(status, failing, updated, jail)"
		    " VALUES(?, ?, strftime('%Y-%m-%dT%H:%M:%fZ','now'), ?)", 2, p, "health_status", attrs);
}

void health_begin(struct health *h, const struct mon *m, long long now)
{
	*h = (struct health){ 0 };
	h->on = m->cfg.health_argv && m->cfg.health_argv[0];
	if (!h->on)
		return;
	h->next_ms = now + m->cfg.health_interval_ms;
	h->start_until = now + m->cfg.health_start_ms;
	record(h, (struct mon *)m);
}

int health_wait_ms(const struct health *h, long long now)
{
	if (!h->on)
		return -1;
	long long at = h->probe ? h->deadline : h->next_ms;
	return at <= now ? 0 : (int)(at - now);
}

void health_tick(struct health *h, struct mon *m, pid_t pid, long long now)
{
	if (!h->on)
		return;
	if (h->probe && now >= h->deadline) {
		kill(h->probe, SIGTERM); /* the helper passes it on; reaped as a failure */
		h->deadline = now + 1000;
		return;
	}
	if (h->probe || now < h->next_ms)
		return;
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	struct jail_exec x = { .argv = m->cfg.health_argv, .env = m->cfg.env, .cwd = m->cfg.cwd, .uid = m->cfg.uid,
			       .gid = m->cfg.gid, .fds = { null, null, null } };
	struct lerr e = { 0 };
	h->probe = jail_exec(&m->cfg, pid, &x, &e);
	if (null >= 0)
		close(null);
	if (h->probe < 0) {
		h->probe = 0;
		health_reaped(h, m, -1, 1, now); /* could not enter: a failure */
		return;
	}
	h->deadline = now + m->cfg.health_timeout_ms;
}

int health_reaped(struct health *h, struct mon *m, pid_t child, int status, long long now)
{
	if (!h->on || (child != -1 && child != h->probe))
		return 0;
	h->probe = 0;
	h->next_ms = now + m->cfg.health_interval_ms;
	int ok = child != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0, was = h->status;
	if (ok) {
		h->failing = 0;
		h->status = 1;
	} else if (now >= h->start_until || h->status == 1) {
		if (++h->failing >= m->cfg.health_retries)
			h->status = 2;
	}
	if (h->status != was)
		record(h, m);
	return 1;
}

void health_end(struct health *h, struct mon *m)
{
	if (!h->on)
		return;
	if (h->probe)
		kill(h->probe, SIGKILL);
	mdb_exec(m, "DELETE FROM health WHERE jail = ?", 0, NULL, NULL, NULL);
	h->on = 0;
}
