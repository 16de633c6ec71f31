/* See watch.h: the loop. inotify watches folders, not files (editors
 * replace a file by renaming a new one over it): the spec file's, the
 * .env's and each env_file's folder, and each develop.watch path with
 * every folder under it that its ignore patterns do not exclude. */
#include "watch.h"
#include "project_run.h"
#include "../reconciler/watchpath.h"
#include "../specs/strv.h"
#include <dirent.h>
#include <errno.h>
#include <event2/event.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#define MASK (IN_CLOSE_WRITE | IN_ATTRIB | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF)
#define MAX_DEPTH 32

struct wdir {
	int wd;
	char *path;
};

struct watch {
	struct cli *c;
	struct compose_opts o;    /* how to load it; o.project: name */
	int prune;
	char name[256];           /* the project's name, kept across reloads */
	struct compose_project p; /* the last spec that loaded */
	char **inputs;            /* spec file, .env, env_files: a change reloads */
	int ifd;
	struct wdir *dirs;
	int ndirs;
	struct event_base *base;
	struct event *in, *quiet, *drift, *sig[2];
	int reload;
	char **changed;           /* develop.watch paths changed since the last action */
	long quiet_ms, drift_ms;
	int skip, backoff;        /* drift healing that failed waits 1, 2, 4... periods */
};

static long env_ms(const char *name, long def)
{
	const char *v = getenv(name);
	char *end;
	long n = v ? strtol(v, &end, 10) : def;
	return v && (*end || n <= 0) ? def : n;
}

static void add_dir(struct watch *w, const char *dir)
{
	int wd = inotify_add_watch(w->ifd, dir, MASK | IN_ONLYDIR);
	if (wd < 0) {
		if (errno != ENOENT)
			fprintf(stderr, "lochs: watch: %s: %s\n", dir, strerror(errno));
		return;
	}
	for (int i = 0; i < w->ndirs; i++)
		if (w->dirs[i].wd == wd)
			return;
	struct wdir *nd = realloc(w->dirs, (size_t)(w->ndirs + 1) * sizeof *nd);
	if (!nd)
		return;
	w->dirs = nd;
	w->dirs[w->ndirs++] = (struct wdir){ wd, strdup(dir) };
}

static void add_parent(struct watch *w, const char *path)
{
	char buf[PATH_MAX];
	snprintf(buf, sizeof buf, "%s", path);
	add_dir(w, dirname(buf));
}

/* dir and the folders under it that rule r does not ignore. */
static void add_tree(struct watch *w, const struct compose_watch *r, const char *root, const char *dir, int depth)
{
	char rel[PATH_MAX], sub[PATH_MAX];
	struct stat st;
	if (depth > MAX_DEPTH || !watch_path_match(root, r->ignore, dir, rel, sizeof rel))
		return;
	add_dir(w, dir);
	DIR *d = opendir(dir);
	for (struct dirent *de; d && (de = readdir(d));) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(sub, sizeof sub, "%s/%s", dir, de->d_name);
		if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
			add_tree(w, r, root, sub, depth + 1);
	}
	if (d)
		closedir(d);
}

static void on_inotify(evutil_socket_t fd, short what, void *arg);

/* (Re)builds every watch from the current spec. */
static int arm(struct watch *w, struct lerr *e)
{
	if (w->in)
		event_free(w->in);
	if (w->ifd >= 0)
		close(w->ifd);
	for (int i = 0; i < w->ndirs; i++)
		free(w->dirs[i].path);
	w->ndirs = 0;
	strv_free(w->inputs);
	w->inputs = NULL;
	if ((w->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0)
		return lerr_sys(e, "watch: inotify");
	char path[PATH_MAX], env[PATH_MAX + 8];
	for (char **f = w->p.files; f && *f; f++)
		if (realpath(*f, path))
			strv_push(&w->inputs, path);
	if (!w->p.files && realpath(w->p.file, path))
		strv_push(&w->inputs, path);
	snprintf(env, sizeof env, "%s/.env", w->p.dir);
	strv_push(&w->inputs, env);
	for (int i = 0; i < w->p.nsvcs; i++) {
		const struct compose_service *s = &w->p.svcs[i];
		for (char **f = s->env_files; f && *f; f++)
			strv_push(&w->inputs, realpath(*f, path) ? path : *f);
		for (int r = 0; r < s->nwatch; r++) {
			struct stat st;
			watch_rule_root(&w->p, &s->watch[r], path, sizeof path);
			if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
				add_tree(w, &s->watch[r], path, path, 0);
			else
				add_parent(w, path);
		}
	}
	for (char **f = w->inputs; f && *f; f++)
		add_parent(w, *f);
	w->in = event_new(w->base, w->ifd, EV_READ | EV_PERSIST, on_inotify, w);
	return w->in && event_add(w->in, NULL) == 0 ? 0 : lerr_set(e, LX_LOCHS, "watch: cannot watch events");
}

/* The jail commands run for an action (exec, restart) install their own
 * signal handlers: the loop's are put back after each action. */
static void own_signals(struct watch *w)
{
	signal(SIGHUP, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	for (int i = 0; i < 2; i++) {
		event_del(w->sig[i]);
		event_add(w->sig[i], NULL);
	}
}

/* Prints and applies; a failure is one line and the loop goes on. */
static int reconcile(struct watch *w, const char *why)
{
	struct lerr e = { 0 };
	printf("Reconciling %s: %s\n", w->p.name, why);
	int rc = project_apply(w->c, &w->p, w->prune, 0, &e) >= 0 ? 0 : -1;
	own_signals(w);
	if (rc < 0)
		fprintf(stderr, "lochs: watch: %s\n", e.msg);
	return rc;
}

static void reload(struct watch *w)
{
	struct compose_project np;
	struct lerr e = { 0 };
	int loaded = project_load_opts(&w->o, &np, &e) == 0;
	if (!loaded || watch_check(&np, &e) < 0) {
		if (loaded)
			compose_free(&np);
		fprintf(stderr, "lochs: watch: %s (still running the last good version)\n", e.msg);
		return;
	}
	char why[PATH_MAX + 16];
	snprintf(why, sizeof why, "%s changed", w->p.file);
	compose_free(&w->p);
	w->p = np;
	if (arm(w, &e) < 0)
		fprintf(stderr, "lochs: %s\n", e.msg);
	reconcile(w, why);
	w->skip = w->backoff = 0;
}

/* The files have been quiet for quiet_ms: act once for the burst. */
static void on_quiet(evutil_socket_t fd, short what, void *arg)
{
	struct watch *w = arg;
	char **changed = w->changed;
	w->changed = NULL;
	if (w->reload) {
		w->reload = 0;
		reload(w);
	}
	struct lerr e;
	if (changed) {
		int built = watch_act(w->c, &w->p, changed, &e);
		own_signals(w);
		if (built > 0)
			reconcile(w, "an image was rebuilt");
	}
	strv_free(changed);
}

static int is_input(const struct watch *w, const char *path)
{
	for (char **f = w->inputs; f && *f; f++)
		if (!strcmp(*f, path))
			return 1;
	return 0;
}

/* A changed path: the spec's inputs reload, a develop.watch path is kept
 * for the action; either (re)starts the quiet timer. */
static void note(struct watch *w, const char *path, int new_dir)
{
	int hit = 0;
	if (is_input(w, path))
		hit = w->reload = 1;
	for (int i = 0; i < w->p.nsvcs; i++)
		for (int r = 0; r < w->p.svcs[i].nwatch; r++) {
			const struct compose_watch *rule = &w->p.svcs[i].watch[r];
			char root[PATH_MAX], rel[PATH_MAX];
			watch_rule_root(&w->p, rule, root, sizeof root);
			if (!watch_path_match(root, rule->ignore, path, rel, sizeof rel))
				continue;
			hit = 1;
			if (new_dir)
				add_tree(w, rule, root, path, 0);
		}
	if (!hit)
		return;
	char **v = w->changed;
	while (v && *v && strcmp(*v, path))
		v++;
	if (!is_input(w, path) && !(v && *v))
		strv_push(&w->changed, path);
	struct timeval tv = { w->quiet_ms / 1000, (w->quiet_ms % 1000) * 1000 };
	evtimer_add(w->quiet, &tv);
}

static void on_inotify(evutil_socket_t fd, short what, void *arg)
{
	struct watch *w = arg;
	char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			p += sizeof *ev + ev->len;
			if (ev->mask & IN_Q_OVERFLOW) {
				w->reload = 1;
				continue;
			}
			for (int i = 0; i < w->ndirs; i++) {
				if (w->dirs[i].wd != ev->wd)
					continue;
				char path[PATH_MAX * 2];
				snprintf(path, sizeof path, "%s%s%s", w->dirs[i].path, ev->len ? "/" : "", ev->len ? ev->name : "");
				note(w, path, (ev->mask & IN_ISDIR) && (ev->mask & (IN_CREATE | IN_MOVED_TO)));
			}
		}
	}
}

/* Drift between file changes: heal it with the same apply. */
static void on_drift(evutil_socket_t fd, short what, void *arg)
{
	struct watch *w = arg;
	char why[600], line[700];
	struct lerr e = { 0 };
	if (evtimer_pending(w->quiet, NULL) || w->skip-- > 0)
		return;
	int rc = watch_drift(w->c, &w->p, why, sizeof why, &e);
	if (rc < 0)
		fprintf(stderr, "lochs: watch: %s\n", e.msg);
	if (rc <= 0)
		return;
	snprintf(line, sizeof line, "drift: %s", why);
	if (reconcile(w, line) < 0) {
		w->backoff = w->backoff ? (w->backoff < 32 ? w->backoff * 2 : 32) : 1;
		w->skip = w->backoff;
	} else {
		w->backoff = 0;
	}
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	event_base_loopexit(arg, NULL);
}

int watch_run(struct cli *c, const char *file, const char *project, int prune, struct lerr *e)
{
	char *files[] = { (char *)file, NULL };
	struct compose_opts o = { .files = file ? files : NULL, .project = project };
	return watch_run_opts(c, &o, prune, e);
}

int watch_run_opts(struct cli *c, const struct compose_opts *o, int prune, struct lerr *e)
{
	struct watch w = { .c = c, .o = *o, .prune = prune, .ifd = -1 };
	w.quiet_ms = env_ms("LOCHS_WATCH_DEBOUNCE_MS", 300);
	w.drift_ms = env_ms("LOCHS_WATCH_DRIFT_MS", 2000);
	setvbuf(stdout, NULL, _IOLBF, 0); /* each line as it happens, also into a file */
	if (project_load_opts(o, &w.p, e) < 0)
		return -1;
	if (watch_check(&w.p, e) < 0) {
		compose_free(&w.p);
		return -1;
	}
	snprintf(w.name, sizeof w.name, "%s", w.p.name);
	w.o.project = w.name;
	int rc = -1;
	if (!(w.base = event_base_new()) || !(w.quiet = evtimer_new(w.base, on_quiet, &w)) ||
	    !(w.drift = event_new(w.base, -1, EV_PERSIST, on_drift, &w)) ||
	    !(w.sig[0] = evsignal_new(w.base, SIGINT, on_signal, w.base)) ||
	    !(w.sig[1] = evsignal_new(w.base, SIGTERM, on_signal, w.base))) {
		lerr_set(e, LX_LOCHS, "watch: out of memory");
		goto out;
	}
	/* Watches first: a change made while the first apply runs counts. */
	if (arm(&w, e) < 0)
		goto out;
	struct timeval tv = { w.drift_ms / 1000, (w.drift_ms % 1000) * 1000 };
	event_add(w.drift, &tv);
	reconcile(&w, "started watching");
	printf("Watching %s (Ctrl-C to stop)\n", w.p.file);
	rc = event_base_dispatch(w.base) < 0 ? lerr_set(e, LX_LOCHS, "watch: event loop failed") : 0;
out:
	for (int i = 0; i < 2; i++)
		if (w.sig[i])
			event_free(w.sig[i]);
	if (w.in)
		event_free(w.in);
	if (w.quiet)
		event_free(w.quiet);
	if (w.drift)
		event_free(w.drift);
	if (w.base)
		event_base_free(w.base);
	if (w.ifd >= 0)
		close(w.ifd);
	for (int i = 0; i < w.ndirs; i++)
		free(w.dirs[i].path);
	free(w.dirs);
	strv_free(w.inputs);
	strv_free(w.changed);
	compose_free(&w.p);
	return rc;
}
