/* The worker pool: runs a plan's DAG (reconcile_run in reconciler.h).
 * Each action runs in a forked worker with its own database connection
 * (SQLite's cannot cross a fork), at most o->workers at once; the result
 * comes back through a pipe ("+ID" or "!MESSAGE"). Conditions (healthy,
 * completed) are checked here every 100 ms, between results. A worker
 * outlives a killed pool and finishes its action: the caller's lock
 * (inherited) keeps the next pass waiting for it (project_run.c). */
#include "reconciler.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { S_WAIT, S_RUN, S_DONE, S_FAIL, S_SKIP };

struct slot {
	pid_t pid;
	int fd, act;
	size_t len;
	char buf[600];
};

struct pool {
	const struct plan *p;
	const struct desired *want;
	const struct observed_jail *have;
	const struct pool_ops *ops;
	const struct pool_opts *o;
	char (*ids)[65];
	int *st, *tries;
	int *in, *into;         /* edges into action i: edge[into[in[i]..in[i+1])] */
	long long *retry_at, *ready_at;
	struct slot *slots;
	int running, failed;
	struct lerr *e;
};

static long long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void label(const struct pool *w, int i, char *out, size_t size)
{
	act_label(&w->p->a[i], w->want, w->have, out, size);
}

/* "Creating X" when it starts, "Created X" when done. */
static void progress(const struct pool *w, int i, int done)
{
	static const char *const verb[][2] = { { "Creating", "Created" }, { "Starting", "Started" },
					       { "Removing", "Removed" }, { "Stopping", "Stopped" },
					       { "Creating network", "Created network" },
					       { "Creating volume", "Created volume" }, { "Pulling", "Pulled" },
					       { "Building", "Built" }, { "Signalling", "Signalled" } };
	if (w->o->quiet)
		return;
	char l[400];
	label(w, i, l, sizeof l);
	const char *what = strchr(l, ' ') + 1;
	printf("%s %s\n", verb[w->p->a[i].kind][done], what);
	fflush(stdout);
}

/* An action that will not be done: the first failure is the pool's error
 * (printed by the caller), the rest are printed here. */
static void fail(struct pool *w, int i, const char *msg)
{
	char l[400];
	label(w, i, l, sizeof l);
	w->st[i] = S_FAIL;
	if (w->failed++ == 0)
		lerr_set(w->e, LX_LOCHS, "%s: %s", l, msg);
	else
		fprintf(stderr, "lochs: %s: %s\n", l, msg);
}

static int dispatch(struct pool *w, int i, struct slot *s)
{
	const struct action *a = &w->p->a[i];
	char id[65] = "";
	if (a->have >= 0)
		snprintf(id, sizeof id, "%s", w->have[a->have].id);
	else if (a->kind == ACT_START)
		snprintf(id, sizeof id, "%s", w->ids[a->want]);
	int fd[2];
	if (pipe2(fd, O_CLOEXEC) < 0)
		return -1;
	progress(w, i, 0);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0) {
		close(fd[0]), close(fd[1]);
		return -1;
	}
	if (pid == 0) {
		close(fd[0]);
		if (w->ops->child_init)
			w->ops->child_init(w->ops->ctx);
		struct lerr e = { 0 };
		int rc = w->ops->run(w->ops->ctx, a, id, &e);
		char out[sizeof s->buf];
		int k = snprintf(out, sizeof out, "%c%s", rc < 0 ? '!' : '+', rc < 0 ? e.msg : id);
		fflush(NULL);
		if (write(fd[1], out, (size_t)(k < (int)sizeof out ? k : (int)sizeof out - 1)) < 0)
			_exit(2);
		_exit(rc < 0);
	}
	close(fd[1]);
	*s = (struct slot){ .pid = pid, .fd = fd[0], .act = i };
	w->st[i] = S_RUN;
	w->tries[i]++;
	w->running++;
	return 0;
}

/* A worker ended: its result, a retry after a growing delay, or failure. */
static void reap(struct pool *w, struct slot *s)
{
	int i = s->act, status = 0;
	close(s->fd);
	while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
		;
	s->pid = 0;
	w->running--;
	s->buf[s->len] = 0;
	const struct action *a = &w->p->a[i];
	if (s->len && s->buf[0] == '+' && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		if (a->kind == ACT_CREATE)
			snprintf(w->ids[a->want], 65, "%.64s", s->buf + 1);
		w->st[i] = S_DONE;
		progress(w, i, 1);
		return;
	}
	const char *msg = s->len && s->buf[0] == '!' ? s->buf + 1 : "the worker died";
	if (w->tries[i] < w->o->attempts) {
		long long delay = 500LL << (w->tries[i] - 1);
		char l[400];
		label(w, i, l, sizeof l);
		fprintf(stderr, "lochs: %s failed (try %d of %d), again in %.1f s: %s\n", l, w->tries[i], w->o->attempts,
			delay / 1000.0, msg);
		w->retry_at[i] = now_ms() + delay;
		w->st[i] = S_WAIT;
		return;
	}
	fail(w, i, msg);
}

/* Whether action i may start: 1 yes, 0 not yet (*timer: look again soon),
 * -1 never (it was marked failed or skipped). */
static int ready(struct pool *w, int i, int *timer)
{
	const struct plan *p = w->p;
	for (int j = w->in[i]; j < w->in[i + 1]; j++) {
		const struct plan_edge *x = &p->edge[w->into[j]];
		if (x->from < 0)
			continue;
		if (w->st[x->from] == S_FAIL || w->st[x->from] == S_SKIP) {
			char l[400], m[400];
			label(w, i, l, sizeof l);
			label(w, x->from, m, sizeof m);
			fprintf(stderr, "lochs: skipped %s: %s %s\n", l, m, w->st[x->from] == S_FAIL ? "failed" : "was skipped");
			w->st[i] = S_SKIP;
			return -1;
		}
		if (w->st[x->from] != S_DONE)
			return 0;
	}
	long long now = now_ms();
	if (!w->ready_at[i])
		w->ready_at[i] = now;
	for (int j = w->in[i]; j < w->in[i + 1]; j++) {
		const struct plan_edge *x = &p->edge[w->into[j]];
		if (x->cond < 0)
			continue;
		struct lerr ce = { 0 };
		const char *jail = w->want[x->jail].spec->name;
		int r = w->ops->check(w->ops->ctx, jail, x->cond, now - w->ready_at[i], &ce);
		if (r < 0) {
			fail(w, i, ce.msg);
			return -1;
		}
		if (r == 0 && now - w->ready_at[i] > w->o->wait_ms) {
			static const char *const what[] = { "running", "healthy", "completed" };
			char m[300];
			snprintf(m, sizeof m, "dependency %s is not %s after %lld s", jail, what[x->cond], w->o->wait_ms / 1000);
			fail(w, i, m);
			return -1;
		}
		if (r == 0) {
			*timer = 1;
			return 0;
		}
	}
	if (now < w->retry_at[i]) {
		*timer = 1;
		return 0;
	}
	return 1;
}

/* Starts what may start; 1 when some action changed state without a
 * worker (failed or skipped: look again at once). */
static int schedule(struct pool *w, int *timer, int *waiting)
{
	int changed = 0;
	*waiting = 0;
	for (int i = 0; i < w->p->n; i++) {
		if (w->st[i] != S_WAIT)
			continue;
		int r = ready(w, i, timer);
		changed |= r < 0;
		if (r <= 0) {
			*waiting += r == 0;
			continue;
		}
		int free_slot = -1;
		for (int k = 0; k < w->o->workers && free_slot < 0; k++)
			if (!w->slots[k].pid)
				free_slot = k;
		if (free_slot < 0) {
			(*waiting)++;
			continue;
		}
		if (dispatch(w, i, &w->slots[free_slot]) < 0) {
			fail(w, i, strerror(errno));
			changed = 1;
		}
	}
	return changed;
}

/* Reads what the running workers wrote; reaps the ones that ended. */
static void collect(struct pool *w, int timeout)
{
	struct pollfd fds[64];
	int who[64], n = 0;
	for (int k = 0; k < w->o->workers && n < 64; k++)
		if (w->slots[k].pid) {
			fds[n] = (struct pollfd){ .fd = w->slots[k].fd, .events = POLLIN };
			who[n++] = k;
		}
	if (poll(fds, (nfds_t)n, timeout) <= 0)
		return;
	for (int j = 0; j < n; j++) {
		struct slot *s = &w->slots[who[j]];
		if (!fds[j].revents)
			continue;
		ssize_t r = read(s->fd, s->buf + s->len, sizeof s->buf - 1 - s->len);
		if (r > 0)
			s->len += (size_t)r;
		if (r == 0 || (r < 0 && errno != EINTR && errno != EAGAIN) || s->len == sizeof s->buf - 1)
			reap(w, s);
	}
}

int reconcile_run(const struct plan *p, const struct desired *want, const struct observed_jail *have,
		  const struct pool_ops *ops, const struct pool_opts *o, char (*ids)[65], struct lerr *e)
{
	struct pool_opts opts = *o;
	if (opts.workers < 1)
		opts.workers = 1;
	if (opts.workers > 64)
		opts.workers = 64;
	if (opts.attempts < 1)
		opts.attempts = 1;
	struct pool w = { .p = p, .want = want, .have = have, .ops = ops, .o = &opts, .ids = ids, .e = e };
	size_t n = (size_t)p->n + 1;
	w.st = calloc(n, sizeof *w.st), w.tries = calloc(n, sizeof *w.tries);
	w.retry_at = calloc(n, sizeof *w.retry_at), w.ready_at = calloc(n, sizeof *w.ready_at);
	w.slots = calloc((size_t)opts.workers, sizeof *w.slots);
	w.in = calloc(n + 1, sizeof *w.in), w.into = calloc((size_t)p->nedge + 1, sizeof *w.into);
	int rc = w.st && w.tries && w.retry_at && w.ready_at && w.slots && w.in && w.into
			 ? 0 : lerr_set(e, LX_LOCHS, "out of memory");
	/* Each action's incoming edges together (counting sort by target). */
	for (int k = 0; rc == 0 && k < p->nedge; k++)
		w.in[p->edge[k].to + 1]++;
	for (int i = 0; rc == 0 && i < p->n; i++)
		w.in[i + 1] += w.in[i];
	int *fill = rc == 0 ? calloc(n, sizeof *fill) : NULL;
	if (rc == 0 && !fill)
		rc = lerr_set(e, LX_LOCHS, "out of memory");
	for (int k = 0; fill && k < p->nedge; k++)
		w.into[w.in[p->edge[k].to] + fill[p->edge[k].to]++] = k;
	free(fill);
	fflush(stdout);
	while (rc == 0) {
		int timer = 0, waiting = 0;
		if (schedule(&w, &timer, &waiting))
			continue;
		if (!w.running && !waiting)
			break;
		if (!w.running && !timer) { /* cannot happen in a DAG: said rather than hung */
			rc = lerr_set(e, LX_LOCHS, "plan: %d actions can never run", waiting);
			break;
		}
		collect(&w, timer ? 100 : -1);
	}
	while (w.slots && w.running) /* only after an internal error */
		collect(&w, -1);
	free(w.st), free(w.tries), free(w.retry_at), free(w.ready_at), free(w.slots), free(w.in), free(w.into);
	return rc < 0 || w.failed ? -1 : 0;
}
