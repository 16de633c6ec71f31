/* See project_run.h. */
#include "project_run.h"
#include "jailconnect.h"
#include "jailops.h"
#include "project_pin.h"
#include "project_wait.h"
#include "../netplane/network.h"
#include "../reconciler/project.h"
#include "../specs/strv.h"
#include "../volumes/volume.h"
#include "build.h"
#include "imagestore.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>

extern char **environ;

/* How long a dependency may take to be running, healthy or done. */
#define WAIT_MS 120000

int project_load_opts(const struct compose_opts *o, struct compose_project *p, struct lerr *e)
{
	static const char *const names[] = { "lochs.yml", "lochs.yaml", "compose.yaml", "compose.yml",
					     "docker-compose.yml", "docker-compose.yaml", NULL };
	struct compose_opts with = *o;
	const char *cf = getenv("COMPOSE_FILE"), *cp = getenv("COMPOSE_PROJECT_NAME");
	char *file[] = { NULL, NULL }, **listed = NULL, *copy = !o->files && cf && *cf ? strdup(cf) : NULL, *save;
	/* As Compose: COMPOSE_FILE (A:B) without -f, COMPOSE_PROJECT_NAME without -p. */
	for (char *f = copy ? strtok_r(copy, ":", &save) : NULL; f; f = strtok_r(NULL, ":", &save))
		strv_push(&listed, f);
	free(copy);
	for (int i = 0; !o->files && !listed && !file[0] && names[i]; i++)
		if (access(names[i], F_OK) == 0)
			file[0] = (char *)names[i];
	if (!o->files && !listed && !file[0])
		return lerr_set(e, LX_LOCHS, "no lochs.yml (or compose.yaml) here: use -f FILE");
	with.files = o->files ? o->files : listed ? listed : file;
	with.env = environ;
	with.project = o->project ? o->project : cp && *cp ? cp : NULL;
	int rc = compose_load_opts(&with, p, e);
	strv_free(listed);
	return rc;
}

int project_load(const char *file, const char *project, struct compose_project *p, struct lerr *e)
{
	char *files[] = { (char *)file, NULL };
	struct compose_opts o = { .files = file ? files : NULL, .project = project };
	return project_load_opts(&o, p, e);
}

/* The project's network that Lochs names name (NULL: PROJECT_default);
 * *found 0 when it is neither. */
static const struct compose_net *net_of(const struct compose_project *p, const char *name, int *found)
{
	char full[512];
	for (int i = 0; i < p->nnets; i++) {
		project_net_name(p, p->nets[i].name, full, sizeof full);
		if (!strcmp(full, name) || (p->nets[i].external && !strcmp(p->nets[i].name, name)))
			return *found = 1, &p->nets[i];
	}
	project_net_name(p, "default", full, sizeof full);
	*found = !strcmp(full, name);
	return NULL;
}

static int make_net(struct cli *c, const struct compose_project *p, const char *name, struct lerr *e)
{
	char labels[600];
	struct np_network have;
	int found;
	const struct compose_net *n = net_of(p, name, &found);
	snprintf(labels, sizeof labels, "{\"com.lochs.project\": \"%s\"}", p->name);
	struct network_opts o = { .name = name, .labels = labels };
	if (n)
		o.subnet = n->subnet, o.subnet6 = n->subnet6, o.ipv6 = n->ipv6, o.internal = n->internal;
	sqlite3 *db = cli_db(c, e);
	struct lerr ignored;
	if (db && netrec_get(db, name, &have, &ignored) == 0)
		return 0; /* made by an earlier try */
	return db ? network_create(db, &o, &have, e) : -1;
}

static int make_volume(struct cli *c, const struct compose_project *p, const char *name, struct lerr *e)
{
	json_t *labels = json_pack("{s:s}", "com.lochs.project", p->name);
	int rc = volume_create(c, name, labels, NULL, NULL, e);
	json_decref(labels);
	return rc;
}

/* The actions making what the desired jails need and is not there yet:
 * their networks, named volumes and images; appended to out. */
static int resources(struct cli *c, const struct compose_project *p, const struct project_state *st, struct action *out,
		     int n, int max, struct lerr *e)
{
	sqlite3 *db = cli_db(c, e);
	char **seen = NULL;
	int rc = db ? 0 : -1;
	for (int w = 0; w < st->nwant && rc == 0; w++)
		for (char **k = st->want[w].needs; k && *k && rc == 0; k++) {
			int dup = 0, found = 0;
			for (char **s = seen; s && *s; s++)
				dup |= !strcmp(*s, *k);
			if (dup || strv_push(&seen, *k) < 0)
				continue;
			const char *name = strchr(*k, ':') + 1;
			struct lerr ignored;
			enum act_kind kind = ACT_PULL;
			if (!strncmp(*k, "network:", 8)) {
				struct np_network have;
				const struct compose_net *net = net_of(p, name, &found);
				if (netrec_get(db, name, &have, &ignored) == 0 || !found)
					continue;
				if (net && net->external)
					rc = lerr_set(e, LX_LOCHS, "network %s is external and does not exist", net->name);
				kind = ACT_NETWORK;
			} else if (!strncmp(*k, "volume:", 7)) {
				json_t *v = volume_json(c, name, &ignored);
				json_decref(v);
				if (v)
					continue;
				kind = ACT_VOLUME;
			} else {
				/* A built service's image is PROJECT-SERVICE (or its image:). */
				const struct compose_service *b =
					!strncmp(*k, "build:", 6) ? compose_service((struct compose_project *)p, name) : NULL;
				char *ref = b ? project_image_name(p, b) : strdup(name);
				struct image img;
				int have = ref && image_resolve(c->root, ref, &img, &ignored) == 0;
				if (have)
					image_release(&img);
				free(ref);
				if (have)
					continue;
				kind = b ? ACT_BUILD : ACT_PULL;
			}
			if (rc == 0 && n >= max)
				rc = lerr_set(e, LX_LOCHS, "plan: too many actions");
			if (rc < 0)
				break;
			out[n] = (struct action){ .kind = kind, .want = -1, .have = -1 };
			snprintf(out[n].res, sizeof out[n].res, "%s", *k);
			snprintf(out[n].why, sizeof out[n].why, "not present");
			n++;
		}
	strv_free(seen);
	return rc < 0 ? -1 : n;
}

/* A created jail (desired w, id) joins the rest of its service's
 * networks once started. */
static int connect_more(struct cli *c, const struct compose_project *p, const struct project_state *st, int w,
			const char *id, struct lerr *e)
{
	{
		const struct compose_service *s = &p->svcs[st->service[w]];
		for (size_t k = 1; s->networks && k < strv_len(s->networks); k++) {
			char name[512];
			const struct compose_svcnet *o = &s->net_opts[k];
			project_net_name(p, s->networks[k], name, sizeof name);
			if (jail_connect(c, name, id, o->ip, o->ip6, o->aliases, e) < 0)
				return -1;
		}
	}
	return 0;
}

/* What the workers act on (each has its own copy after the fork). */
struct run_ctx {
	struct cli *c;
	const struct compose_project *p;
	const struct project_state *st;
	const struct observed_jail *have;
	int nhave;
	int renew_anon; /* up -V: recreated jails get new anonymous volumes */
};

/* The jail a new one of this name replaces (a recreate removes it
 * first): its anonymous volumes are carried over, as Compose does, unless
 * renewed. NULL when there is none. */
static const char *replaced(const struct run_ctx *x, const struct svc_spec *s)
{
	for (int h = 0; !x->renew_anon && s->name && h < x->nhave; h++)
		if (!strcmp(x->have[h].name, s->name))
			return x->have[h].id;
	return NULL;
}

static void child_init(void *ctx)
{
	struct run_ctx *x = ctx;
	x->c->db = NULL; /* the parent's connection is left alone, not closed */
}

static int op_run(void *ctx, const struct action *a, char id[65], struct lerr *e)
{
	struct run_ctx *x = ctx;
	const char *res = strchr(a->res, ':') ? strchr(a->res, ':') + 1 : a->res;
	const struct desired *w = a->want >= 0 ? &x->st->want[a->want] : NULL;
	switch (a->kind) {
	case ACT_NETWORK:
		return make_net(x->c, x->p, res, e);
	case ACT_VOLUME:
		return make_volume(x->c, x->p, res, e);
	case ACT_BUILD: { /* in its worker: the build's id line is not the pool's output */
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0)
			dup2(null, 1), close(null);
		return project_build(x->c, x->p, compose_service((struct compose_project *)x->p, res), 1, e);
	}
	case ACT_PULL: {
		char *args[] = { "pull", "-q", (char *)res, NULL };
		return cli_run(x->c, 3, args, e) ? -1 : 0;
	}
	case ACT_CREATE: {
		/* The image may have come with this plan: the hash names it. */
		char hash[65];
		struct image img;
		struct lerr ignored;
		snprintf(hash, sizeof hash, "%s", w->hash);
		if (image_resolve(x->c->root, w->spec->image, &img, &ignored) == 0) {
			svc_config_hash_pinned(w->spec, img.id, hash);
			image_release(&img);
		}
		const struct jail_create_opts co = { .inherit = replaced(x, w->spec) };
		return jailop_create_with(x->c, w->spec, hash, &co, id, e);
	}
	case ACT_START:
		if (jailop_start(x->c, id, e) < 0)
			return -1;
		return a->have < 0 ? connect_more(x->c, x->p, x->st, a->want, id, e) : 0;
	case ACT_STOP:
		return jailop_stop(x->c, id, 0, -1, e); /* its stop_signal and stop_grace_period */
	case ACT_REMOVE:
		return jailop_remove(x->c, id, 1, e);
	case ACT_SIGNAL: /* a project's plan has none */
		break;
	}
	return lerr_set(e, LX_LOCHS, "unknown action");
}

int project_build(struct cli *c, const struct compose_project *p, const struct compose_service *s, int quiet,
		  struct lerr *e)
{
	struct project_build_flags f = { .quiet = quiet };
	return project_build_with(c, p, s, &f, e);
}

int project_build_with(struct cli *c, const struct compose_project *p, const struct compose_service *s,
		       const struct project_build_flags *fl, struct lerr *e)
{
	char ctx[4096], file[4200];
	char *tags[] = { project_image_name(p, s), NULL };
	if (!tags[0])
		return lerr_set(e, LX_LOCHS, "out of memory");
	const char *b = s->build_context;
	snprintf(ctx, sizeof ctx, "%s%s%s", b[0] == '/' ? "" : p->dir, b[0] == '/' ? "" : "/", b);
	const char *f = s->build_dockerfile;
	if (f)
		snprintf(file, sizeof file, "%s%s%s", f[0] == '/' ? "" : ctx, f[0] == '/' ? "" : "/", f);
	char **args = NULL; /* the service's, then the command line's: later wins in build_image */
	for (char **a = s->build_args; a && *a; a++)
		strv_push(&args, *a);
	for (char **a = fl->build_args; a && *a; a++)
		strv_push(&args, *a);
	struct build_opts o = { .context = ctx, .file = f ? file : NULL, .tags = tags, .build_args = args,
				.target = s->build_target, .quiet = fl->quiet, .no_cache = fl->no_cache,
				.pull = fl->pull };
	int rc = build_image(c, &o, NULL, e);
	if (rc < 0)
		lerr_wrap(e, "service %s", s->name);
	strv_free(args);
	free(tags[0]);
	return rc;
}

static int op_check(void *ctx, const char *jail, int cond, long long waited_ms, struct lerr *e)
{
	struct run_ctx *x = ctx;
	return project_jail_met(x->c, jail, (enum dep_condition)cond, waited_ms, e);
}

/* How many actions run at once: LOCHS_PARALLEL_LIMIT (as Compose's
 * COMPOSE_PARALLEL_LIMIT), default 4. */
static int workers(void)
{
	const char *v = getenv("LOCHS_PARALLEL_LIMIT");
	int n = v ? atoi(v) : 4;
	return n > 0 ? n : 4;
}

/* The observed jails as the options want them seen: --force-recreate
 * makes every hash of the selected services differ, --no-recreate equal. */
static void pretend(const struct apply_opts *o, const struct project_state *st, struct observed_jail *have, int nhave)
{
	for (int h = 0; h < nhave && (o->force_recreate || o->no_recreate); h++)
		for (int w = 0; w < st->nwant; w++)
			if (!strcmp(have[h].name, st->specs[w].name) && !strcmp(have[h].project, st->specs[w].project))
				snprintf(have[h].config_hash, sizeof have[h].config_hash, "%s",
					 o->force_recreate ? "forced" : st->want[w].hash);
}

/* One pass at a time per project: an exclusive lock on
 * ROOT/projects/NAME.lock, held until the returned descriptor is closed
 * and inherited by the workers, so a pass killed with kill -9 keeps the
 * next one waiting until its workers finished their actions (close on
 * exec: the monitors they start do not hold it). */
static int project_lock(struct cli *c, const char *name, struct lerr *e)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/projects", c->root);
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return lerr_sys(e, "%s", path);
	snprintf(path, sizeof path, "%s/projects/%s.lock", c->root, name);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return lerr_sys(e, "%s", path);
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		return fd;
	fprintf(stderr, "lochs: waiting for another pass over project %s to finish\n", name);
	while (flock(fd, LOCK_EX) < 0)
		if (errno != EINTR) {
			close(fd);
			return lerr_sys(e, "locking %s", path);
		}
	return fd;
}

/* The flat plan as a DAG through the worker pool. */
static int run_dag(struct run_ctx *x, const struct plan *g, int quiet, char (*ids)[65], struct lerr *e)
{
	const struct pool_ops ops = { x, child_init, op_run, op_check };
	const struct pool_opts po = { .workers = workers(), .attempts = 3, .wait_ms = WAIT_MS, .quiet = quiet };
	return reconcile_run(g, x->st->want, x->have, &ops, &po, ids, e);
}

int project_create_oneoff(struct cli *c, const struct compose_project *p, const struct project_state *st, char id[65],
			  struct lerr *e)
{
	sqlite3 *db = cli_db(c, e);
	struct observed_jail *have = NULL;
	struct action flat[16];
	struct plan g = { 0 };
	char ids[1][65] = { "" };
	int nhave = 0, n, rc = -1;
	if (db && observe_jails(db, NULL, &have, &nhave, e) == 0 &&
	    (n = reconcile_plan(PLAN_IMPERATIVE, st->want, 1, have, nhave, flat, 16, e)) >= 0 &&
	    (n = resources(c, p, st, flat, n, 16, e)) >= 0 && reconcile_graph(flat, n, st->want, 1, have, nhave, &g, e) == 0)
		rc = run_dag(&(struct run_ctx){ c, p, st, have, nhave, 0 }, &g, 1, ids, e);
	snprintf(id, 65, "%s", ids[0]);
	plan_free(&g);
	free(have);
	return rc;
}

int project_apply(struct cli *c, const struct compose_project *p, int prune, int dry, struct lerr *e)
{
	const struct apply_opts o = { .prune = prune, .dry = dry };
	return project_apply_opts(c, p, &o, e);
}

int project_apply_opts(struct cli *c, const struct compose_project *p, const struct apply_opts *o, struct lerr *e)
{
	sqlite3 *db = cli_db(c, e);
	struct project_state st;
	struct observed_jail *have = NULL;
	struct plan g = { 0 };
	int nhave = 0, rc = -1;
	int lock = o->dry || !db ? -2 : project_lock(c, p->name, e);
	if (!db || lock == -1 || project_desired(p, &st, e) < 0) {
		if (lock >= 0)
			close(lock);
		return -1;
	}
	if (o->services && project_only(p, &st, o->services, e) < 0) {
		project_state_free(&st);
		if (lock >= 0)
			close(lock);
		return -1;
	}
	project_pin_images(c, &st);
	struct action *flat = NULL;
	char (*ids)[65] = calloc((size_t)st.nwant + 1, sizeof *ids);
	/* Every jail: a wanted name may be held by one of another project. */
	if (!ids || observe_jails(db, NULL, &have, &nhave, e) < 0)
		goto out;
	pretend(o, &st, have, nhave);
	int max = 4 * st.nwant + nhave + 64;
	if (!(flat = calloc((size_t)max, sizeof *flat))) {
		lerr_set(e, LX_LOCHS, "out of memory");
		goto out;
	}
	/* A refused plan (a foreign name) makes nothing: planned in full first. */
	int n = project_extras(p, &st, have, nhave, o->prune, flat, 0, max, e);
	int m = n < 0 ? -1 : reconcile_plan(PLAN_DECLARATIVE, st.want, st.nwant, have, nhave, flat + n, max - n, e);
	if (m >= 0 && (m = plan_restarts(st.want, st.nwant, have, nhave, flat, n + m, max) - n) < 0)
		lerr_set(e, LX_LOCHS, "plan: too many actions");
	if (m < 0 || (n = resources(c, p, &st, flat, n + m, max, e)) < 0 ||
	    reconcile_graph(flat, n, st.want, st.nwant, have, nhave, &g, e) < 0)
		goto out;
	if (o->dry && g.n) {
		project_print_plan(c, &g, &st, have);
	} else if (g.n && run_dag(&(struct run_ctx){ c, p, &st, have, nhave, o->renew_anon }, &g, o->quiet, ids, e) < 0) {
		goto out;
	}
	if (o->quiet)
		;
	else if (!g.n)
		printf("Project %s is up to date.\n", p->name);
	else if (!o->dry)
		printf("Project %s: %d action%s done.\n", p->name, g.n, g.n == 1 ? "" : "s");
	rc = g.n > 0;
out:
	plan_free(&g);
	free(flat);
	free(ids);
	free(have);
	project_state_free(&st);
	if (lock >= 0)
		close(lock);
	return rc;
}

int project_down(struct cli *c, const struct compose_project *p, int volumes, struct lerr *e)
{
	sqlite3 *db = cli_db(c, e);
	struct observed_jail *have = NULL;
	int nhave = 0, lock = db ? project_lock(c, p->name, e) : -1;
	if (lock < 0 || observe_jails(db, p->name, &have, &nhave, e) < 0) {
		if (lock >= 0)
			close(lock);
		return -1;
	}
	/* Every jail removed, a running one stopped first with its stop_signal
	 * and grace period (as Compose's down), by the pool: dependants
	 * stopped before what they depend on, the rest at once. */
	int ndeps = 0;
	for (int i = 0; i < p->nsvcs; i++)
		ndeps += p->svcs[i].ndeps;
	struct svc_dep *deps = calloc((size_t)ndeps + 1, sizeof *deps);
	struct project_state none = { 0 };
	struct plan g = { 0 };
	char ids[1][65];
	int rc = deps ? 0 : lerr_set(e, LX_LOCHS, "out of memory");
	ndeps = 0;
	for (int i = 0; deps && i < p->nsvcs; i++)
		for (int d = 0; d < p->svcs[i].ndeps; d++)
			deps[ndeps++] = (struct svc_dep){ p->svcs[i].name, p->svcs[i].deps[d].service };
	if (rc == 0 && nhave && (rc = reconcile_teardown(have, nhave, deps, ndeps, &g, e)) == 0)
		rc = run_dag(&(struct run_ctx){ c, p, &none, have, nhave, 0 }, &g, 0, ids, e);
	/* -v: the jails' anonymous volumes too, as Compose's down -v. */
	for (int h = 0; volumes && rc == 0 && h < nhave; h++)
		rc = volume_remove_anonymous(c, have[h].id, e);
	plan_free(&g);
	free(deps);
	free(have);
	char name[512];
	struct np_network n;
	struct lerr ignored;
	for (int i = 0; rc == 0 && i <= p->nnets; i++) {
		if (i < p->nnets && p->nets[i].external)
			continue;
		project_net_name(p, i < p->nnets ? p->nets[i].name : "default", name, sizeof name);
		if (netrec_get(db, name, &n, &ignored) < 0)
			continue;
		printf("Removing network %s\n", name);
		rc = network_remove(db, name, e);
	}
	for (int i = 0; volumes && rc == 0 && i < p->nvols; i++) {
		long long freed;
		if (p->vols[i].external)
			continue;
		project_net_name(p, p->vols[i].name, name, sizeof name); /* volumes are PROJECT_NAME too */
		if (volume_remove(c, name, &freed, &ignored) == 0)
			printf("Removing volume %s\n", name);
	}
	close(lock);
	return rc;
}
