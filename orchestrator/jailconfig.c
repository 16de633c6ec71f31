/* The runtime config.json of a jail: the service spec merged with its
 * image's config (Docker's rules: the spec's entrypoint/command replace the
 * image's, the spec's env overrides the image's by key). */
#include "jailops.h"
#include "imagestore.h"
#include "jailnet.h"
#include "../common/fsutil.h"
#include "../volumes/volume.h"
#include "../common/selfpath.h"
#include <errno.h>
#include <limits.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void append_strv(json_t *a, char **v)
{
	for (; v && *v; v++)
		json_array_append_new(a, json_string(*v));
}

static void append_json(json_t *a, json_t *src)
{
	size_t i;
	json_t *x;
	json_array_foreach(src, i, x)
		if (json_is_string(x))
			json_array_append(a, x);
}

/* MAJOR.MINOR[-WORD...] as the translator takes it ("14.3-RELEASE-p2"). */
static int release_like(const char *v)
{
	static const char digits[] = "0123456789";
	size_t minor = v[0] != '0' && strspn(v, digits) == 2 && v[2] == '.' ? strspn(v + 3, digits) : 0;
	const char *rest = v + 3 + minor;
	return minor >= 1 && minor <= 2 && strlen(v) < 24 &&
	       (!*rest || (*rest == '-' && strspn(rest, "-ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") ==
						   strlen(rest)));
}

/* The FreeBSD release the jail reports (uname -r, kern.osrelease) is the
 * image's: OCI's os.version, which a release pull sets ("13.5-RELEASE";
 * "15.0" gets "-RELEASE"). Without one (imports, most registry images),
 * or with one that is not a release, "" keeps the translator's default.
 * It is the variable the translator reads at every start, so that what
 * the jail's programs run reports the same. */
static void image_osrelease(const struct cli *c, const struct image *img, char *out, size_t size)
{
	json_t *cfg = store_read_json(c->root, img->id, NULL);
	const char *v = json_string_value(json_object_get(cfg, "os.version"));
	*out = 0;
	if (v && release_like(v))
		snprintf(out, size, "BSDULATOR_OSRELEASE=%s%s", v, strchr(v, '-') ? "" : "-RELEASE");
	json_decref(cfg);
}

/* env: the release's, the image's, then the spec's; a later KEY= replaces
 * an earlier one. */
static json_t *merged_env(const char *release, json_t *image_env, char **spec_env)
{
	json_t *all = json_array(), *out = json_array();
	if (*release)
		json_array_append_new(all, json_string(release));
	append_json(all, image_env);
	append_strv(all, spec_env);
	size_t i, j;
	json_t *x, *y;
	json_array_foreach(all, i, x) {
		const char *kv = json_string_value(x);
		size_t klen = strcspn(kv, "=");
		int later = 0;
		json_array_foreach(all, j, y)
			if (j > i && !strncmp(json_string_value(y), kv, klen) && json_string_value(y)[klen] == '=')
				later = 1;
		if (!later)
			json_array_append(out, x);
	}
	json_decref(all);
	return out;
}

/* The jail's health check: the spec's, else the image's HEALTHCHECK
 * (durations in ns there); NONE or nothing is none. Defaults as Docker's:
 * every 30 s, 30 s to answer, 3 failures in a row. */
static json_t *health_json(const struct svc_spec *s, json_t *image_hc)
{
	json_t *argv = json_array();
	char *const *test = s->health.test;
	json_t *itest = json_object_get(image_hc, "Test");
	const char *first = test ? test[0] : json_string_value(json_array_get(itest, 0));
	if (!first || !strcmp(first, "NONE") || (strcmp(first, "CMD") && strcmp(first, "CMD-SHELL"))) {
		json_decref(argv);
		return NULL;
	}
	if (!strcmp(first, "CMD-SHELL")) {
		json_array_append_new(argv, json_string("/bin/sh"));
		json_array_append_new(argv, json_string("-c"));
	}
	for (size_t i = 1; test ? test[i] != NULL : i < json_array_size(itest); i++)
		json_array_append_new(argv, test ? json_string(test[i]) : json_incref(json_array_get(itest, i)));
	long long ns = 1000000, iv = s->health.interval_ms, to = s->health.timeout_ms, st = s->health.start_ms;
	int re = s->health.retries;
	if (!iv)
		iv = json_integer_value(json_object_get(image_hc, "Interval")) / ns;
	if (!to)
		to = json_integer_value(json_object_get(image_hc, "Timeout")) / ns;
	if (!st)
		st = json_integer_value(json_object_get(image_hc, "StartPeriod")) / ns;
	if (!re)
		re = (int)json_integer_value(json_object_get(image_hc, "Retries"));
	return json_pack("{s:o, s:I, s:I, s:I, s:i}", "argv", argv, "interval_ms", (json_int_t)(iv > 0 ? iv : 30000),
			 "timeout_ms", (json_int_t)(to > 0 ? to : 30000), "start_ms", (json_int_t)st, "retries", re > 0 ? re : 3);
}

/* "uid[:gid]" numeric, or a user name looked up in the image's
 * /etc/passwd (top layer first). */
static int resolve_user(const char *user, json_t *lowerdirs, unsigned *uid, unsigned *gid, struct lerr *e)
{
	char path[PATH_MAX] = "";
	size_t i;
	json_t *d;
	json_array_foreach(lowerdirs, i, d) {
		snprintf(path, sizeof path, "%s/etc/passwd", json_string_value(d));
		if (access(path, F_OK) == 0)
			break; /* the top-most passwd decides */
		path[0] = 0;
	}
	return user_resolve(user, path[0] ? path : NULL, uid, gid, e);
}

/* A compose secret or config given by content or environment: written to
 * ROOT/jails/ID/files/N (gone with the jail) with its mode and owner, then
 * bound read-only like a file one. */
static int jail_file(const struct cli *c, const char *id, int n, const struct svc_mount *m, char *path, size_t size,
		     struct lerr *e)
{
	char dir[PATH_MAX];
	jail_path(c, id, "files", dir, sizeof dir);
	snprintf(path, size, "%s/%d", dir, n);
	unsigned mode = m->mode >= 0 ? (unsigned)m->mode : 0444;
	if ((mkdir_p(dir, 0700) < 0 && errno != EEXIST) || write_file_replace(path, m->content, strlen(m->content), mode) < 0 ||
	    chmod(path, mode) < 0 || ((m->uid >= 0 || m->gid >= 0) && chown(path, (uid_t)m->uid, (gid_t)m->gid) < 0))
		return lerr_sys(e, "%s (for %s)", path, m->target);
	return 0;
}

/* One entry of config.json's mounts; kind (bind, volume, tmpfs: what the
 * user asked for) and volume (its name) are not read by the jail but
 * shown by inspect as its Mounts. */
static json_t *mount_json(const char *type, const char *src, const char *target, int ro, const char *options,
			  const char *kind, const char *volume)
{
	json_t *m = json_pack("{s:s, s:s, s:s, s:b, s:s, s:s}", "type", type, "source", src, "target", target,
			      "readonly", ro, "options", options ? options : "", "kind", kind);
	if (m && volume)
		json_object_set_new(m, "volume", json_string(volume));
	return m;
}

/* Whether a mount of mine already has target (clean). */
static int covered(json_t *mine, const char *target)
{
	size_t i;
	json_t *m;
	json_array_foreach(mine, i, m) {
		char t[PATH_MAX];
		vol_clean_path(json_string_value(json_object_get(m, "target")), t, sizeof t);
		if (!strcmp(t, target))
			return 1;
	}
	return 0;
}

/* The spec's mounts, then an anonymous volume at each of the image's
 * VOLUME paths that none of them covers (Docker's rule; not for build
 * steps), appended shallow first. */
static int add_mounts(const struct cli *c, const char *id, json_t *mounts, const struct svc_spec *s, json_t *ic,
		      json_t *lower, const struct jail_create_opts *o, struct lerr *e)
{
	const char *dirs[IMAGE_MAX_LAYERS];
	size_t nl = json_array_size(lower) < IMAGE_MAX_LAYERS ? json_array_size(lower) : IMAGE_MAX_LAYERS;
	for (size_t i = 0; i < nl; i++)
		dirs[i] = json_string_value(json_array_get(lower, i));
	json_t *mine = json_array();
	struct vol_attach va = { .jail = id, .from = o ? o->inherit : NULL, .lowerdirs = dirs, .nlower = (int)nl };
	char src[PATH_MAX], vname[256];
	for (int i = 0; i < s->nmounts; i++) {
		const struct svc_mount *m = &s->mounts[i];
		const char *type = m->type;
		src[0] = 0;
		if (!strcmp(type, "volume")) { /* created on first use, seeded from the image */
			va.name = m->source, va.target = m->target;
			if (volume_attach((struct cli *)c, &va, vname, src, sizeof src, e) < 0)
				goto fail;
			type = "bind";
		} else if (m->content && jail_file(c, id, i, m, src, sizeof src, e) < 0) {
			goto fail;
		} else if (m->source) {
			snprintf(src, sizeof src, "%s", m->source);
		}
		json_array_append_new(mine, mount_json(type, src, m->target, m->readonly, m->options, m->type,
						       strcmp(m->type, "volume") ? NULL : vname));
	}
	const char *path;
	json_t *v;
	json_object_foreach(o && o->no_image_volumes ? NULL : json_object_get(ic, "Volumes"), path, v) {
		char target[PATH_MAX];
		vol_clean_path(path, target, sizeof target);
		if (covered(mine, target))
			continue;
		va.name = NULL, va.target = target;
		if (volume_attach((struct cli *)c, &va, vname, src, sizeof src, e) < 0)
			goto fail;
		json_array_append_new(mine, mount_json("bind", src, target, 0, NULL, "volume", vname));
	}
	size_t n = json_array_size(mine);
	const char **targets = calloc(n + 1, sizeof *targets);
	int *order = calloc(n + 1, sizeof *order);
	for (size_t i = 0; targets && i < n; i++)
		targets[i] = json_string_value(json_object_get(json_array_get(mine, i), "target"));
	if (targets && order)
		vol_mount_order(targets, (int)n, order);
	for (size_t i = 0; i < n; i++)
		json_array_append(mounts, json_array_get(mine, targets && order ? (size_t)order[i] : i));
	free(targets);
	free(order);
	json_decref(mine);
	return 0;
fail:
	json_decref(mine);
	return -1;
}

char *jail_runtime_config(const struct cli *c, const char *id, const char *name, const struct svc_spec *s,
			  const struct image *img, const struct jail_create_opts *co, struct lerr *e)
{
	json_t *ic = img->config;
	json_t *argv = json_array(), *lower = json_array(), *mounts = json_array(), *nets = json_array();
	if (s->entrypoint)
		append_strv(argv, s->entrypoint);
	else
		append_json(argv, json_object_get(ic, "Entrypoint"));
	if (s->command)
		append_strv(argv, s->command);
	else if (!s->entrypoint)
		append_json(argv, json_object_get(ic, "Cmd"));
	char *text = NULL, *netns = NULL;
	for (int i = img->nlayers - 1; i >= 0; i--) {
		char dir[PATH_MAX];
		if (image_layer_dir(c->root, img->layers[i], dir, sizeof dir, e) < 0)
			goto out;
		json_array_append_new(lower, json_string(dir));
	}
	if (json_array_size(argv) == 0) {
		lerr_set(e, LX_LOCHS, "no command specified: image %s has no Cmd or Entrypoint", s->image);
		goto out;
	}
	const char *user = s->user ? s->user : json_string_value(json_object_get(ic, "User"));
	unsigned uid, gid;
	int mode = -1;
	if (resolve_user(user, lower, &uid, &gid, e) < 0 || add_mounts(c, id, mounts, s, ic, lower, co, e) < 0 ||
	    (mode = jailnet_mode((struct cli *)c, id, s, mounts, &netns, e)) < 0 ||
	    (mode == 0 && jailnet_config((struct cli *)c, id, s, nets, mounts, e) < 0))
		goto out;
	const char *cwd = s->workdir ? s->workdir : json_string_value(json_object_get(ic, "WorkingDir"));
	char hostname[16], dir[PATH_MAX], upper[PATH_MAX], work[PATH_MAX], user_s[32], tr[PATH_MAX];
	snprintf(hostname, sizeof hostname, "%.12s", id);
	jail_path(c, id, NULL, dir, sizeof dir);
	snprintf(upper, sizeof upper, "%s/upper", dir);
	snprintf(work, sizeof work, "%s/work", dir);
	snprintf(user_s, sizeof user_s, "%u:%u", uid, gid);
	sibling_path("LOCHS_BSDULATOR", "bsdulator", tr, sizeof tr);
	char release[80];
	image_osrelease(c, img, release, sizeof release);
	json_t *o = json_pack("{s:s, s:s, s:s, s:o, s:s, s:s, s:b, s:o, s:o, s:s, s:s, s:o,"
			      " s:I, s:f, s:i, s:i, s:b, s:b, s:b, s:o, s:o, s:s, s:s, s:i, s:b, s:b, s:b, s:o}",
			      "id", id, "name", name, "hostname", s->hostname ? s->hostname : hostname,
			      "lowerdirs", lower, "upperdir", upper, "workdir", work, "read_only", s->read_only,
			      "argv", argv, "env", merged_env(release, json_object_get(ic, "Env"), s->env),
			      "cwd", cwd && *cwd ? cwd : "/", "user", user_s, "mounts", mounts,
			      "memory", (json_int_t)s->memory, "cpus", s->cpus, "cpu_shares", s->cpu_shares,
			      "pids_limit", s->pids_limit, "tty", s->tty, "privileged", s->privileged,
			      "sysvipc", s->sysvipc, "cap_add", json_array(), "cap_drop", json_array(),
			      "bsdulator", tr, "restart", restart_name(s->restart), "restart_max", s->restart_max,
			      "auto_remove", s->auto_remove, "attach_wait", 0, "stdin", s->interactive,
			      "networks", nets);
	lower = argv = mounts = nets = NULL; /* stolen by json_pack */
	if (!o) {
		lerr_set(e, LX_LOCHS, "cannot build the jail configuration");
		goto out;
	}
	append_strv(json_object_get(o, "cap_add"), s->cap_add);
	append_strv(json_object_get(o, "cap_drop"), s->cap_drop);
	if (netns)
		json_object_set_new(o, "netns", json_string(netns));
	json_t *hc = health_json(s, json_object_get(ic, "Healthcheck"));
	if (hc)
		json_object_set_new(o, "healthcheck", hc);
	if ((s->ports && *s->ports) || s->publish_all)
		json_object_set_new(o, "published", json_true());
	text = json_dumps(o, JSON_INDENT(2));
	json_decref(o);
out:
	json_decref(argv);
	json_decref(lower);
	json_decref(mounts);
	json_decref(nets);
	free(netns);
	return text;
}
