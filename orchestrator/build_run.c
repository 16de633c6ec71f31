/* RUN: the stage so far is written as an untagged manifest, a build jail
 * is made from it with the jail ops of lochs run (same runtime, monitor,
 * overlayfs, namespaces), the command runs attached, and the jail's upper
 * directory becomes the step's layer (lochs diff's changes, deletions as
 * whiteouts). The jail is removed whatever happens. */
#include "build_int.h"
#include "attach.h"
#include "jailops.h"
#include "../specs/service.h"
#include "../specs/strv.h"
#include "../volumes/diff.h"
#include "../common/fsutil.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* With -q or --progress tty, output goes to a file shown only on failure. */
struct mute {
	int on, out, err, fd;
	char path[4200];
};

static void mute_begin(struct bctx *b, struct mute *m)
{
	memset(m, 0, sizeof *m);
	m->fd = -1;
	if (!b->o->quiet && !b->o->tty)
		return;
	char dir[4000];
	store_tmp_dir(b->c->root, dir, sizeof dir);
	snprintf(m->path, sizeof m->path, "%s/build-out-%d", dir, (int)getpid());
	fflush(stdout);
	fflush(stderr);
	m->fd = open(m->path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (m->fd < 0)
		return;
	m->out = dup(1);
	m->err = dup(2);
	dup2(m->fd, 1);
	dup2(m->fd, 2);
	m->on = 1;
}

static void mute_end(struct mute *m, int failed)
{
	if (!m->on)
		return;
	fflush(stdout);
	fflush(stderr);
	dup2(m->out, 1);
	dup2(m->err, 2);
	close(m->out);
	close(m->err);
	if (failed) { /* the failing step's output, where the error goes */
		char buf[8192];
		ssize_t n;
		lseek(m->fd, 0, SEEK_SET);
		while ((n = read(m->fd, buf, sizeof buf)) > 0)
			if (write(2, buf, (size_t)n) < 0)
				break;
	}
	close(m->fd);
	unlink(m->path);
}

int build_pull(struct bctx *b, const char *ref, struct lerr *e)
{
	char *argv[] = { "pull", (char *)ref, NULL };
	struct mute m;
	fflush(b->out);
	mute_begin(b, &m);
	int rc = cli_run(b->c, 2, argv, e);
	mute_end(&m, rc != 0);
	return rc == 0 ? 0 : -1;
}

/* Ctrl-C (or SIGTERM, SIGHUP) during a build: the attach socket of a
 * running step is shut down (async-signal-safe), so the step ends and its
 * jail is removed like after a failure; between steps the flag stops it. */
static volatile sig_atomic_t stop_sig;
static volatile int step_sock = -1;
static struct sigaction saved_sa[3];
static const int stop_sigs[3] = { SIGINT, SIGTERM, SIGHUP };

static void on_stop(int sig)
{
	stop_sig = sig;
	if (step_sock >= 0)
		shutdown(step_sock, SHUT_RDWR);
}

void build_signals(int on)
{
	struct sigaction sa = { .sa_handler = on_stop };
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < 3; i++)
		sigaction(stop_sigs[i], on ? &sa : &saved_sa[i], on ? &saved_sa[i] : NULL);
}

int build_stopped(struct lerr *e)
{
	return stop_sig ? lerr_set(e, 128 + stop_sig, "build interrupted by signal %d", (int)stop_sig) : 0;
}

/* The jail's spec: the step's command, ARGs as environment (ENV wins),
 * the stage's WORKDIR and USER, no health check. */
static int jail_spec(struct bctx *b, struct bstage *s, const struct lf_inst *in, const char *manifest, int n,
		     struct svc_spec *sp)
{
	memset(sp, 0, sizeof *sp);
	json_t *c = json_object_get(s->cfg, "config"), *argv = build_argv(s, in), *x;
	size_t i;
	int rc = asprintf(&sp->name, "lochs-build-%d-%d", (int)getpid(), n) < 0 || asprintf(&sp->image, "@%s", manifest) < 0;
	sp->entrypoint = calloc(1, sizeof *sp->entrypoint); /* none: the command is the whole argv */
	json_array_foreach (argv, i, x)
		rc |= strv_push(&sp->command, json_string_value(x));
	json_decref(argv);
	for (char **a = s->args; a && *a; a++) {
		size_t k = strcspn(*a, "=");
		int env = 0;
		json_array_foreach (json_object_get(c, "Env"), i, x)
			env |= !strncmp(json_string_value(x) ?: "", *a, k) && (json_string_value(x))[k] == '=';
		if ((*a)[k] == '=' && !env)
			rc |= strv_push(&sp->env, *a);
	}
	const char *wd = json_string_value(json_object_get(c, "WorkingDir")), *user = json_string_value(json_object_get(c, "User"));
	if (wd && *wd)
		sp->workdir = strdup(wd);
	if (user && *user)
		sp->user = strdup(user);
	const char *net = lf_flag(in, "network") ? lf_flag(in, "network") : b->o->network; /* RUN --network wins */
	if (net && *net && strcmp(net, "default"))
		sp->network = strdup(net);
	rc |= strv_push(&sp->health.test, "NONE");
	sp->project = strdup("");
	sp->service = strdup("");
	return rc || !sp->entrypoint || !sp->command ? -1 : 0;
}

/* Files the runtime itself puts in every jail: not the step's doing. */
static int runtime_file(const char *path)
{
	static const char *const own[] = { "/etc/hosts", "/etc/resolv.conf", "/etc/hostname", "/dev", NULL };
	for (int i = 0; own[i]; i++) {
		size_t n = strlen(own[i]);
		if (!strncmp(path, own[i], n) && (!path[n] || path[n] == '/'))
			return 1;
	}
	return 0;
}

/* The changes of upper over the stage's layers as a layer; *empty when none. */
static int upper_layer(struct bctx *b, struct bstage *s, const char *upper, struct blayer *layer, int *empty,
		       struct lerr *e)
{
	const char *dirs[LV_MAX];
	static char buf[LV_MAX][4096];
	int n, nc;
	struct change *ch;
	if (build_layer_dirs(b, s, dirs, buf, &n, e) < 0 || diff_changes(upper, dirs, n, &ch, &nc, e) < 0)
		return -1;
	int ufd = open(upper, O_PATH | O_DIRECTORY | O_CLOEXEC), kept = 0, rc = 0;
	struct ltar *t = ufd < 0 ? NULL : ltar_open(b, e);
	if (ufd < 0)
		rc = lerr_sys(e, "%s", upper);
	for (int i = 0; t && rc == 0 && i < nc; i++) {
		if (runtime_file(ch[i].path))
			continue;
		kept++;
		if (ch[i].kind == 'D') {
			rc = ltar_whiteout(t, ch[i].path, e);
			continue;
		}
		struct stat st;
		if (fstatat(ufd, ch[i].path + 1, &st, AT_SYMLINK_NOFOLLOW) < 0)
			rc = lerr_sys(e, "%s%s", upper, ch[i].path);
		else
			rc = ltar_add(t, ufd, ch[i].path + 1, &st, ch[i].path, e);
	}
	diff_free(ch, nc);
	if (ufd >= 0)
		close(ufd);
	*empty = !kept;
	if (!t || rc < 0 || !kept) {
		ltar_abort(t);
		return t ? rc : -1;
	}
	return ltar_finish(t, layer, e);
}

int build_run(struct bctx *b, struct bstage *s, const struct lf_inst *in, struct blayer *layer, int *empty,
	      struct lerr *e)
{
	char manifest[72], id[72], jid[65], hash[65], upper[4200];
	long long msize;
	struct svc_spec sp;
	if (build_commit(b, s, manifest, &msize, id, e) < 0)
		return -1;
	if (jail_spec(b, s, in, manifest, b->step, &sp) < 0) {
		svc_free(&sp);
		return lerr_set(e, LX_LOCHS, "out of memory");
	}
	svc_config_hash(&sp, hash);
	fflush(b->out);
	const struct jail_create_opts co = { .no_image_volumes = 1 }; /* a RUN after VOLUME keeps its changes */
	int rc = jailop_create_with(b->c, &sp, hash, &co, jid, e);
	svc_free(&sp);
	if (rc < 0)
		return lerr_wrap(e, "%s:%d: RUN", b->file, in->line);
	struct mute m;
	mute_begin(b, &m);
	int status = jailop_start_attached(b->c, jid, e);
	if (status >= 0) {
		int sock = attach_connect(b->c, jid, e);
		step_sock = sock;
		status = sock < 0 || stop_sig ? -1 : attach_relay(sock, 0, 0, NULL, e);
		step_sock = -1;
	}
	mute_end(&m, status != 0);
	if (build_stopped(e) < 0)
		status = -1;
	else if (status < 0)
		lerr_wrap(e, "%s:%d: RUN", b->file, in->line);
	else if (status > 0)
		bfail(b, in, e, in->json ? "command %s failed: exit code %d" : "command \"%s\" failed: exit code %d",
		      in->json ? in->text : in->shell, status);
	else {
		jail_path(b->c, jid, "upper", upper, sizeof upper);
		status = upper_layer(b, s, upper, layer, empty, e) < 0 ? -1 : 0;
	}
	struct lerr ignored;
	jailop_remove(b->c, jid, 1, &ignored);
	return status == 0 ? 0 : -1;
}

void build_sweep(struct bctx *b)
{
	/* Build jails of a build that was killed (its pid is gone) are removed,
	 * as the next command after a crash repairs what it left. */
	sqlite3 *db = cli_db(b->c, NULL);
	sqlite3_stmt *st;
	char **ids = NULL;
	if (!db || sqlite3_prepare_v2(db, "SELECT id, name FROM jails WHERE name LIKE 'lochs-build-%'", -1, &st, NULL) != SQLITE_OK)
		return;
	while (sqlite3_step(st) == SQLITE_ROW) {
		int pid = atoi((const char *)sqlite3_column_text(st, 1) + strlen("lochs-build-"));
		if (pid > 0 && kill(pid, 0) < 0 && errno == ESRCH)
			strv_push(&ids, (const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	for (char **id = ids; id && *id; id++) {
		struct lerr ignored;
		jailop_remove(b->c, *id, 1, &ignored);
	}
	strv_free(ids);
	/* And its scratch files: build-PID-N.tar, build-src-PID-N, build-out-PID. */
	char dir[4000];
	store_tmp_dir(b->c->root, dir, sizeof dir);
	DIR *d = opendir(dir);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		const char *p = de->d_name;
		if (strncmp(p, "build-", 6))
			continue;
		p += 6 + strcspn(p + 6, "0123456789");
		int pid = atoi(p);
		if (pid > 0 && kill(pid, 0) < 0 && errno == ESRCH) {
			char path[4400];
			snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
			rm_rf(path);
		}
	}
	if (d)
		closedir(d);
}
