/* The build driver: reads and parses the Lochfile, walks the stages up to
 * the target, runs each step (or takes it from the cache), then commits
 * and tags the target stage. Nothing is tagged unless every step worked. */
#include "build_int.h"
#include "imageref.h"
#include "../common/fsutil.h"
#include "../common/sha256.h"
#include "../specs/strv.h"
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int bfail(struct bctx *b, const struct lf_inst *in, struct lerr *e, const char *fmt, ...)
{
	char cause[800];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cause, sizeof cause, fmt, ap);
	va_end(ap);
	if (!in)
		return lerr_set(e, LX_LOCHS, "%s: %s", b->file, cause);
	return lerr_set(e, LX_LOCHS, "%s:%d: %s: %s", b->file, in->line, lf_kind_name(in->kind), cause);
}

/* "K=V" in v for name, else NULL ("K" alone: declared, unset). */
static const char *kv_find(char **v, const char *name, int *declared)
{
	size_t n = strlen(name);
	for (size_t i = strv_len(v); i-- > 0;) { /* the last declaration wins */
		if (strncmp(v[i], name, n) || (v[i][n] && v[i][n] != '='))
			continue;
		if (declared)
			*declared = 1;
		return v[i][n] == '=' ? v[i] + n + 1 : NULL;
	}
	return NULL;
}

/* A --build-arg's value (KEY alone: from the environment); *given 1 when
 * the option names it. */
static const char *opt_arg(struct bctx *b, const char *name, int *given)
{
	int d = 0;
	const char *v = kv_find(b->o->build_args, name, &d);
	*given = d;
	return d && !v ? getenv(name) : v;
}

const char *barg(struct bctx *b, struct bstage *s, const char *name)
{
	int declared = 0;
	const char *v = kv_find(s ? s->args : b->globals, name, &declared);
	return declared ? v : NULL;
}

struct look_ctx {
	struct bctx *b;
	struct bstage *s;
};

/* Substitution sees the stage's ENV first, then its ARGs (Docker's rule). */
static const char *look(const char *name, void *arg)
{
	struct look_ctx *l = arg;
	if (l->s) {
		json_t *env = json_object_get(json_object_get(l->s->cfg, "config"), "Env"), *x;
		size_t i, n = strlen(name);
		const char *hit = NULL;
		json_array_foreach (env, i, x) {
			const char *kv = json_string_value(x);
			if (kv && !strncmp(kv, name, n) && kv[n] == '=')
				hit = kv + n + 1;
		}
		if (hit)
			return hit;
	}
	return barg(l->b, l->s, name);
}

/* lf_expand (a word) or lf_subst (raw text) with the stage's lookup. */
static char *substitute(struct bctx *b, struct bstage *s, const struct lf_inst *in, const char *text, int raw,
			struct lerr *e)
{
	struct look_ctx l = { b, s };
	char why[200];
	char *r = raw ? lf_subst(text, look, &l, why, sizeof why) : lf_expand(text, b->lf.escape, look, &l, why, sizeof why);
	if (!r)
		bfail(b, in, e, "%s", why);
	return r;
}

char *bexpand(struct bctx *b, struct bstage *s, const struct lf_inst *in, const char *word, struct lerr *e)
{
	return substitute(b, s, in, word, 0, e);
}

char *bsubst(struct bctx *b, struct bstage *s, const struct lf_inst *in, const char *text, struct lerr *e)
{
	return substitute(b, s, in, text, 1, e);
}

/* ARG NAME[=DEFAULT] into v: --build-arg wins, then (in a stage) the global
 * value of a redeclared global ARG, then the default. */
static int declare_arg(struct bctx *b, struct bstage *s, const struct lf_inst *in, char ***v, struct lerr *e)
{
	char *w = bexpand(b, s, in, in->args[0], e);
	if (!w)
		return -1;
	char *eq = strchr(w, '=');
	if (eq)
		*eq = 0;
	int given, declared = 0;
	const char *val = opt_arg(b, w, &given);
	if (!given && s)
		val = kv_find(b->globals, w, &declared);
	if (!given && !declared)
		val = eq ? eq + 1 : NULL;
	char *kv = NULL;
	int rc = val ? asprintf(&kv, "%s=%s", w, val) : asprintf(&kv, "%s", w);
	if (rc < 0 || strv_push(v, kv) < 0)
		rc = lerr_set(e, LX_LOCHS, "out of memory");
	else
		rc = 0;
	free(kv);
	free(w);
	return rc;
}

static void now_rfc3339(char out[40])
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	char t[32];
	strftime(t, sizeof t, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, 40, "%s.%09ldZ", t, ts.tv_nsec);
}

static void chain(char key[65], const char *prev, const char *what)
{
	struct sha256 h;
	if (sha256_init(&h, NULL) < 0) {
		snprintf(key, 65, "%s", prev);
		return;
	}
	sha256_update(&h, prev, strlen(prev));
	sha256_update(&h, "\n", 1);
	sha256_update(&h, what, strlen(what) + 1);
	sha256_final(&h, key);
}

static int stage_index(struct bctx *b, const char *name)
{
	for (int i = 0; i < b->nst; i++)
		if (b->st[i].name && !strcmp(b->st[i].name, name))
			return i;
	char *end;
	long n = strtol(name, &end, 10);
	return *name && !*end && n >= 0 && n < b->nst ? (int)n : -1;
}

/* The base of FROM: scratch, an earlier stage, or an image (pulled when
 * missing or with --pull). key gets the chain's start. */
static int from_image(struct bctx *b, struct bstage *s, int idx, const struct lf_inst *in, struct lerr *e)
{
	const char *plat = lf_flag(in, "platform");
	if (plat && *plat && strcmp(plat, "freebsd/amd64") && strcmp(plat, "freebsd") && strcmp(plat, "freebsd/amd64/v1"))
		return bfail(b, in, e, "platform %s: Lochs builds freebsd/amd64 images", plat);
	char *ref = bexpand(b, NULL, in, in->args[0], e);
	if (!ref)
		return -1;
	int rc = -1;
	int prev = stage_index(b, ref);
	if (prev >= 0 && prev < idx && b->st[prev].name && !strcmp(b->st[prev].name, ref)) {
		struct bstage *p = &b->st[prev];
		s->cfg = json_deep_copy(p->cfg);
		memcpy(s->layers, p->layers, sizeof s->layers);
		s->nlayers = p->nlayers;
		snprintf(s->key, sizeof s->key, "%s", p->key);
		snprintf(s->created, sizeof s->created, "%s", p->created);
		rc = 0;
		goto out;
	}
	if (!strcmp(ref, "scratch")) {
		s->cfg = json_pack("{s:s, s:s, s:{}, s:[]}", "architecture", "amd64", "os", "freebsd", "config", "history");
		chain(s->key, "", "scratch");
		rc = 0;
		goto out;
	}
	struct image img;
	if (build_image_ref(b, ref, b->o->pull, &img, e) < 0) {
		lerr_wrap(e, "%s:%d: FROM", b->file, in->line);
		goto out;
	}
	json_t *man = store_read_json(b->c->root, img.manifest, e);
	s->cfg = man ? store_read_json(b->c->root, img.id, e) : NULL;
	if (s->cfg) {
		json_t *diffs = json_object_get(json_object_get(s->cfg, "rootfs"), "diff_ids"), *l;
		size_t i;
		json_array_foreach (json_object_get(man, "layers"), i, l) {
			struct blayer *x = &s->layers[s->nlayers++];
			snprintf(x->digest, sizeof x->digest, "%s", json_string_value(json_object_get(l, "digest")) ?: "");
			snprintf(x->media, sizeof x->media, "%s", json_string_value(json_object_get(l, "mediaType")) ?: MT_LAYER_TAR);
			snprintf(x->diff_id, sizeof x->diff_id, "%s", json_string_value(json_array_get(diffs, i)) ?: "");
			x->size = json_integer_value(json_object_get(l, "size"));
		}
		if (!json_is_object(json_object_get(s->cfg, "config")))
			json_object_set_new(s->cfg, "config", json_object());
		if (!json_is_array(json_object_get(s->cfg, "history")))
			json_object_set_new(s->cfg, "history", json_array());
		snprintf(s->created, sizeof s->created, "%s", json_string_value(json_object_get(s->cfg, "created")) ?: "");
		chain(s->key, "", img.manifest);
		rc = 0;
	}
	json_decref(man);
	image_release(&img);
out:
	free(ref);
	return rc;
}

/* ONBUILD triggers of the base image run right after FROM, then go. */
static int step(struct bctx *b, struct bstage *s, const struct lf_inst *in, struct lerr *e);
static int onbuild(struct bctx *b, struct bstage *s, struct lerr *e)
{
	json_t *cfg = json_object_get(s->cfg, "config");
	json_t *trig = json_incref(json_object_get(cfg, "OnBuild")), *t;
	json_object_del(cfg, "OnBuild");
	size_t i;
	int rc = 0;
	json_array_foreach (trig, i, t) {
		char *text = NULL;
		struct lochfile one;
		if (asprintf(&text, "FROM scratch\n%s\n", json_string_value(t) ?: "") < 0)
			break;
		rc = lochfile_parse("ONBUILD trigger", text, &one, e);
		free(text);
		if (rc < 0)
			break;
		fprintf(b->out, "--> Running ONBUILD %s %s\n", lf_kind_name(one.inst[1].kind), one.inst[1].text);
		rc = step(b, s, &one.inst[1], e);
		lochfile_free(&one);
		if (rc < 0)
			break;
	}
	json_decref(trig);
	return rc;
}

static void history(struct bstage *s, const struct lf_inst *in, const char *created, int empty)
{
	char *by = NULL;
	if (asprintf(&by, "%s %s", lf_kind_name(in->kind), in->text) < 0)
		return;
	json_t *h = json_pack("{s:s, s:s, s:s}", "created", created, "created_by", by, "comment", "lochs build");
	if (empty)
		json_object_set_new(h, "empty_layer", json_true());
	json_array_append_new(json_object_get(s->cfg, "history"), h);
	free(by);
}

/* The step's inputs beyond its text: the ARGs in scope. */
static char *canonical(struct bstage *s, const struct lf_inst *in, const char *sum)
{
	size_t n = strlen(in->text) + strlen(sum) + 64;
	for (char **a = s->args; a && *a; a++)
		n += strlen(*a) + 1;
	char *c = malloc(n);
	if (!c)
		return NULL;
	int k = sprintf(c, "%s %s\n%s\n", lf_kind_name(in->kind), in->text, sum);
	for (char **a = s->args; a && *a; a++)
		k += sprintf(c + k, "%s\n", *a);
	return c;
}

static int step(struct bctx *b, struct bstage *s, const struct lf_inst *in, struct lerr *e)
{
	char sum[65] = "", key[65], created[40];
	struct bcopy *plan = NULL;
	int layered = in->kind == LF_RUN || in->kind == LF_COPY || in->kind == LF_ADD;
	if (in->kind == LF_ARG && declare_arg(b, s, in, &s->args, e) < 0)
		return -1;
	/* Metadata first: WORKDIR's directory depends on it. */
	if (!layered && in->kind != LF_ARG && build_meta(b, s, in, e) < 0)
		return -1;
	if ((in->kind == LF_COPY || in->kind == LF_ADD) && build_copy_plan(b, s, in, &plan, sum, e) < 0) {
		build_copy_free(plan); /* its views and scratch directory (a download) */
		return -1;
	}
	char *canon = canonical(s, in, sum);
	if (!canon) {
		build_copy_free(plan);
		return lerr_set(e, LX_LOCHS, "out of memory");
	}
	chain(key, s->key, canon);
	free(canon);
	struct blayer layer = { 0 };
	int has_layer = 0, rc = 0, hit = !b->o->no_cache && bcache_get(b, key, &layer, &has_layer, created) == 0;
	if (hit) {
		fprintf(b->out, "--> Using cache %.12s\n", key);
	} else if (layered || in->kind == LF_WORKDIR) {
		int empty = 0;
		if (in->kind == LF_RUN)
			rc = build_run(b, s, in, &layer, &empty, e);
		else if (in->kind == LF_WORKDIR)
			rc = build_workdir(b, s, in, &layer, &empty, e);
		else
			rc = build_copy_write(b, plan, &layer, e);
		has_layer = rc == 0 && !empty;
	}
	build_copy_free(plan);
	if (rc < 0)
		return -1;
	if (!hit)
		now_rfc3339(created);
	if (has_layer) {
		if (s->nlayers >= IMAGE_MAX_LAYERS)
			return bfail(b, in, e, "more than %d layers", IMAGE_MAX_LAYERS);
		s->layers[s->nlayers++] = layer;
	}
	if (!hit)
		bcache_put(b, key, has_layer ? &layer : NULL, created);
	history(s, in, created, !has_layer);
	snprintf(s->key, sizeof s->key, "%s", key);
	snprintf(s->created, sizeof s->created, "%s", created);
	return 0;
}

static int build_stage(struct bctx *b, int idx, int first, int last, struct lerr *e)
{
	struct bstage *s = &b->st[idx];
	const struct lf_inst *from = &b->lf.inst[first];
	fprintf(b->out, "STEP %d/%d: FROM %s\n", ++b->step, b->nsteps, from->text);
	fflush(b->out);
	if (from_image(b, s, idx, from, e) < 0 || onbuild(b, s, e) < 0)
		return -1;
	for (int i = first + 1; i <= last; i++) {
		const struct lf_inst *in = &b->lf.inst[i];
		fprintf(b->out, "STEP %d/%d: %s %s\n", ++b->step, b->nsteps, lf_kind_name(in->kind), in->text);
		fflush(b->out);
		if (step(b, s, in, e) < 0 || build_stopped(e) < 0)
			return -1;
		fflush(b->out);
	}
	s->built = 1;
	return 0;
}

/* The Lochfile: -f, else CONTEXT/Lochfile, else CONTEXT/Dockerfile. */
static char *read_lochfile(struct bctx *b, struct lerr *e)
{
	char path[4200];
	const char *o = b->o->file;
	if (o && !strcmp(o, "-"))
		snprintf(path, sizeof path, "/dev/stdin"); /* -f - as docker build */
	else if (o)
		snprintf(path, sizeof path, "%s", o);
	else {
		snprintf(path, sizeof path, "%s/Lochfile", b->ctxdir);
		if (access(path, F_OK) < 0)
			snprintf(path, sizeof path, "%s/Dockerfile", b->ctxdir);
	}
	snprintf(b->file, sizeof b->file, "%s", !o ? strrchr(path, '/') + 1 : strcmp(o, "-") ? o : "<stdin>");
	size_t len;
	char *text = read_file(path, &len);
	if (!text) {
		if (!o && errno == ENOENT)
			lerr_set(e, LX_LOCHS, "no Lochfile or Dockerfile in %s", b->ctxdir);
		else
			lerr_sys(e, "%s", path);
		return NULL;
	}
	if (strlen(text) != len) {
		free(text);
		lerr_set(e, LX_LOCHS, "%s: not a text file (NUL byte)", b->file);
		return NULL;
	}
	return text;
}

/* Stage boundaries: start[i] is the FROM of stage i; globals come first. */
static int split_stages(struct bctx *b, int **start, struct lerr *e)
{
	*start = calloc((size_t)b->lf.n + 1, sizeof **start);
	b->st = calloc((size_t)b->lf.n + 1, sizeof *b->st);
	if (!*start || !b->st)
		return lerr_set(e, LX_LOCHS, "out of memory");
	for (int i = 0; i < b->lf.n; i++) {
		const struct lf_inst *in = &b->lf.inst[i];
		if (in->kind == LF_FROM) {
			(*start)[b->nst] = i;
			b->st[b->nst++].name = in->as;
		} else if (!b->nst && declare_arg(b, NULL, in, &b->globals, e) < 0) {
			return -1;
		}
	}
	(*start)[b->nst] = b->lf.n;
	return 0;
}

/* Writes the target and gives it every tag; the id is printed last. */
static int finish(struct bctx *b, struct bstage *s, char id_out[72], struct lerr *e)
{
	char manifest[72], id[72];
	long long msize;
	for (char **l = b->o->labels; l && *l; l++) {
		json_t *cfg = json_object_get(s->cfg, "config");
		if (!json_is_object(json_object_get(cfg, "Labels")))
			json_object_set_new(cfg, "Labels", json_object());
		char *k = strndup(*l, strcspn(*l, "="));
		const char *v = strchr(*l, '=');
		json_object_set_new(json_object_get(cfg, "Labels"), k, json_string(v ? v + 1 : ""));
		free(k);
	}
	json_object_set_new(s->cfg, "created", json_string(s->created[0] ? s->created : "1970-01-01T00:00:00Z"));
	if (build_commit(b, s, manifest, &msize, id, e) < 0)
		return -1;
	fprintf(b->out, "COMMIT%s%s\n", b->o->tags && b->o->tags[0] ? " " : "", b->o->tags && b->o->tags[0] ? b->o->tags[0] : "");
	fprintf(b->out, "--> %.12s\n", id + 7);
	int tagged = 0;
	for (char **t = b->o->tags; t && *t; t++) {
		char norm[256];
		const char *why;
		ref_normalize(*t, norm, sizeof norm, &why);
		if (image_commit(b->c->root, manifest, msize, id, norm, e) < 0)
			return -1;
		fprintf(b->out, "Successfully tagged %s\n", norm);
		tagged = 1;
	}
	if (!tagged && image_commit(b->c->root, manifest, msize, id, NULL, e) < 0)
		return -1;
	printf("%s\n", id + 7);
	if (id_out)
		snprintf(id_out, 72, "%s", id);
	return 0;
}

/* --build-args no ARG of the built stages declared: Docker's warning (a
 * typo in a name otherwise goes unseen); its proxy variables are exempt. */
static void warn_unused(struct bctx *b, int last)
{
	static const char proxies[] = " HTTP_PROXY http_proxy HTTPS_PROXY https_proxy FTP_PROXY ftp_proxy NO_PROXY no_proxy"
				      " ALL_PROXY all_proxy ";
	char list[1024] = "";
	size_t n = 0;
	for (char **a = b->o->build_args; a && *a; a++) {
		char k[256], pad[260];
		snprintf(k, sizeof k, "%.*s", (int)strcspn(*a, "="), *a);
		snprintf(pad, sizeof pad, " %s ", k);
		int used = strstr(proxies, pad) != NULL;
		kv_find(b->globals, k, &used);
		for (int i = 0; i <= last && !used; i++)
			kv_find(b->st[i].args, k, &used);
		if (!used && n < sizeof list)
			n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", n ? " " : "", k);
	}
	if (n)
		fprintf(stderr, "[Warning] One or more build-args [%s] were not consumed\n", list);
}

static int run_build(struct bctx *b, char id_out[72], struct lerr *e)
{
	int *start = NULL, rc = -1;
	if (split_stages(b, &start, e) < 0)
		goto out;
	int target = b->nst - 1;
	if (b->o->target && (target = stage_index(b, b->o->target)) < 0) {
		bfail(b, NULL, e, "target stage \"%s\" could not be found", b->o->target);
		goto out;
	}
	b->nsteps = start[target + 1] - start[0];
	if (build_ignore_load(b->ctxdir, &b->ignore, e) < 0 || bcache_open(b, e) < 0)
		goto out;
	build_sweep(b);
	for (int i = 0; i <= target; i++)
		if (build_stage(b, i, start[i], start[i + 1] - 1, e) < 0)
			goto out;
	warn_unused(b, target);
	rc = finish(b, &b->st[target], id_out, e);
out:
	free(start);
	return rc;
}

int build_image(struct cli *c, const struct build_opts *o, char id_out[72], struct lerr *e)
{
	struct bctx b = { .c = c, .o = o, .out = stdout };
	struct stat st;
	if (!o->context || stat(o->context, &st) < 0 || !S_ISDIR(st.st_mode))
		return lerr_set(e, LX_LOCHS, "build context %s: not a directory", o->context ? o->context : "(none)");
	if (!realpath(o->context, b.ctxdir))
		return lerr_sys(e, "%s", o->context);
	for (char **t = o->tags; t && *t; t++) {
		char norm[256];
		const char *why;
		if (ref_normalize(*t, norm, sizeof norm, &why) < 0)
			return lerr_set(e, LX_LOCHS, "invalid tag %s: %s", *t, why);
	}
	char *text = read_lochfile(&b, e);
	if (!text)
		return -1;
	int rc = lochfile_parse(b.file, text, &b.lf, e);
	free(text);
	if (rc < 0)
		return -1;
	if (o->quiet)
		b.out = fopen("/dev/null", "we");
	int w = b.out ? store_writer_begin(c->root, e) : lerr_sys(e, "/dev/null");
	if (w >= 0) {
		build_signals(1);
		rc = run_build(&b, id_out, e);
		build_signals(0);
		store_writer_end(w);
	} else {
		rc = -1;
	}
	if (b.out && b.out != stdout)
		fclose(b.out);
	for (int i = 0; i < b.nst; i++) {
		json_decref(b.st[i].cfg);
		strv_free(b.st[i].args);
	}
	free(b.st);
	strv_free(b.globals);
	strv_free(b.ignore);
	if (b.cache)
		sqlite3_close(b.cache);
	lochfile_free(&b.lf);
	return rc;
}
