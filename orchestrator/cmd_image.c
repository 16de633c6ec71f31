/* lochs images, rmi, tag, image inspect, history, image prune: the image
 * store seen through Docker's commands and output formats. */
#include "cli.h"
#include "events.h"
#include "imageref.h"
#include "imagestore.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static time_t parse_time(const char *s)
{
	struct tm tm = { 0 };
	return s && strptime(s, "%Y-%m-%dT%H:%M:%S", &tm) ? timegm(&tm) : 0;
}

/* Docker's "3 hours ago". */
static void since(const char *created, char *out, size_t size)
{
	time_t t = parse_time(created);
	long d = (long)(time(NULL) - t);
	static const struct { long secs; const char *unit; } u[] = {
		{ 365 * 86400L, "year" }, { 30 * 86400L, "month" }, { 7 * 86400L, "week" },
		{ 86400, "day" }, { 3600, "hour" }, { 60, "minute" },
	};
	if (!t) {
		snprintf(out, size, "N/A");
		return;
	}
	if (d < 60) {
		snprintf(out, size, d < 1 ? "Less than a second ago" : "%ld seconds ago", d);
		return;
	}
	for (size_t i = 0; i < sizeof u / sizeof u[0]; i++) {
		long n = d / u[i].secs;
		if (n >= 2) {
			snprintf(out, size, "%ld %ss ago", n, u[i].unit);
			return;
		}
		if (n == 1) {
			snprintf(out, size, "About %s %s ago", !strcmp(u[i].unit, "hour") ? "an" : "a", u[i].unit);
			return;
		}
	}
}

/* Docker's decimal sizes: "77.9MB". */
static void human(long long n, char *out, size_t size)
{
	static const char *unit[] = { "B", "kB", "MB", "GB", "TB" };
	double v = (double)n;
	int i = 0;
	while (v >= 1000 && i < 4) {
		v /= 1000;
		i++;
	}
	snprintf(out, size, "%.3g%s", v, unit[i]);
}

/* The name of a jail using image id, "" when none. */
static int jail_using(struct cli *c, const char *id, char *name, size_t size, struct lerr *e)
{
	name[0] = 0;
	sqlite3 *db = cli_db(c, e);
	sqlite3_stmt *st;
	if (!db)
		return -1;
	if (sqlite3_prepare_v2(db, "SELECT name FROM jails WHERE image = ?1 LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		return lerr_set(e, LX_LOCHS, "state database: %s", sqlite3_errmsg(db));
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(name, size, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return 0;
}

static int cmd_images(struct cli *c, int argc, char **argv, struct lerr *e)
{
	int quiet = 0, json = 0, all = 0, f;
	const char *filter = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet"))
			quiet = 1;
		else if (!strcmp(argv[i], "-a") || !strcmp(argv[i], "--all"))
			all = 1;
		else if ((f = cli_format_flag("images", argc, argv, &i, &json, e)) < 0)
			return -1;
		else if (f)
			continue;
		else if (argv[i][0] == '-')
			return lerr_usage(e, "images", "unknown flag %s", argv[i]);
		else
			filter = argv[i];
	}
	(void)all;
	struct image_entry *v;
	int n;
	if (image_list(c->root, &v, &n, e) < 0)
		return -1;
	if (!quiet && !json)
		printf("%-24s %-12s %-12s %-16s %s\n", "REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE");
	for (int i = n - 1; i >= 0; i--) { /* newest entries first */
		struct image_entry *x = &v[i];
		char repo[256] = "<none>", tag[128] = "<none>", when[64], size[32];
		if (x->ref[0])
			ref_split(x->ref, repo, sizeof repo, tag, sizeof tag);
		if (filter && strcmp(filter, repo) && strcmp(filter, x->ref))
			continue;
		if (quiet) {
			int dup = 0;
			for (int j = n - 1; j > i; j--)
				dup |= !strcmp(v[j].id, x->id);
			if (!dup)
				printf("%.12s\n", x->id + 7);
			continue;
		}
		since(x->created, when, sizeof when);
		human(x->size, size, sizeof size);
		if (json) {
			json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "Containers", "N/A", "CreatedAt",
					      x->created, "CreatedSince", when, "Digest", "<none>", "ID", "", "Repository", repo,
					      "Size", size, "Tag", tag, "VirtualSize", size);
			char id[16];
			snprintf(id, sizeof id, "%.12s", x->id + 7);
			json_object_set_new(o, "ID", json_string(id));
			char *s = json_dumps(o, JSON_COMPACT);
			printf("%s\n", s ? s : "{}");
			free(s);
			json_decref(o);
		} else {
			printf("%-24s %-12s %-12.12s %-16s %s\n", repo, tag, x->id + 7, when, size);
		}
	}
	free(v);
	return 0;
}
LOCHS_COMMAND(images, "images", cmd_images, "images [-q] [--format json|table] [REPOSITORY[:TAG]]", "List images");
LOCHS_COMMAND(image_ls, "image ls", cmd_images, "image ls [-q] [--format json|table] [REPOSITORY[:TAG]]", "List images");

/* rmi of one argument, Docker's rules: a tag is untagged (the image goes
 * with its last tag); an id removes every tag, which needs -f when there
 * are several; an image a jail uses keeps existing (untagged with -f). */
static int rmi_one(struct cli *c, const char *arg, int force, struct lerr *e)
{
	struct image img;
	if (image_resolve(c->root, arg, &img, e) < 0)
		return -1;
	char id[72], norm[256], user[256];
	snprintf(id, sizeof id, "%s", img.id);
	image_release(&img);
	struct image_entry *v;
	int n, tags = 0, is_tag = 0;
	const char *why;
	if (image_list(c->root, &v, &n, e) < 0)
		return -1;
	int valid = ref_normalize(arg, norm, sizeof norm, &why) == 0;
	for (int i = 0; i < n; i++) {
		if (strcmp(v[i].id, id))
			continue;
		tags += v[i].ref[0] != 0;
		is_tag |= valid && !strcmp(v[i].ref, norm);
	}
	if (jail_using(c, id, user, sizeof user, e) < 0) {
		free(v);
		return -1;
	}
	int last = !is_tag || tags <= 1;
	if (!is_tag && tags > 1 && !force)
		return free(v), lerr_set(e, LX_LOCHS, "conflict: unable to delete %.12s (must be forced) - image is referenced in multiple repositories",
				id + 7);
	if (last && user[0] && !force)
		return free(v), lerr_set(e, LX_LOCHS, "conflict: unable to remove %s (must force) - jail %s is using image %.12s",
					 arg, user, id + 7);
	int rc = image_untag(c->root, is_tag ? norm : NULL, id, last && user[0], e);
	/* Docker's events: an untag per name removed, a delete when the image went. */
	for (int i = 0; rc == 0 && i < n; i++)
		if (!strcmp(v[i].id, id) && v[i].ref[0] && (!is_tag || !strcmp(v[i].ref, norm)))
			event_image(c->root, "untag", id, v[i].ref);
	if (rc == 0 && last && !user[0])
		event_image(c->root, "delete", id, id);
	free(v);
	return rc;
}

static int cmd_rmi(struct cli *c, int argc, char **argv, struct lerr *e)
{
	int force = 0, nargs = 0, failed = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-f") || !strcmp(argv[i], "--force"))
			force = 1;
		else if (argv[i][0] == '-')
			return lerr_usage(e, argv[0], "unknown flag %s", argv[i]);
		else
			nargs++;
	}
	if (!nargs)
		return lerr_usage(e, argv[0], "requires at least 1 image");
	/* Like Docker: every argument is tried, each failure is reported. */
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '-')
			continue;
		struct lerr one = { 0 };
		if (rmi_one(c, argv[i], force, &one) < 0)
			cli_each_error(e, &one, &failed);
	}
	long long freed;
	store_gc(c->root, &freed, NULL);
	return failed ? -1 : 0;
}
LOCHS_COMMAND(rmi, "rmi", cmd_rmi, "rmi [-f] IMAGE [IMAGE...]", "Remove images");
LOCHS_COMMAND(image_rm, "image rm", cmd_rmi, "image rm [-f] IMAGE [IMAGE...]", "Remove images");

static int cmd_tag(struct cli *c, int argc, char **argv, struct lerr *e)
{
	if (argc != 3)
		return lerr_usage(e, argv[0], "requires exactly 2 arguments: SOURCE TARGET");
	char norm[256];
	const char *why;
	if (ref_normalize(argv[2], norm, sizeof norm, &why) < 0)
		return lerr_set(e, LX_LOCHS, "invalid reference format %s: %s", argv[2], why);
	struct image img;
	if (image_tag(c->root, argv[1], norm, e) < 0 || image_resolve(c->root, norm, &img, e) < 0)
		return -1;
	event_image(c->root, "tag", img.id, norm);
	image_release(&img);
	return 0;
}
LOCHS_COMMAND(tag, "tag", cmd_tag, "tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]", "Give an image another name");
LOCHS_COMMAND(image_tag, "image tag", cmd_tag, "image tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
	      "Give an image another name");

/* Docker's inspect object for one image. */
static json_t *inspect_one(struct cli *c, const char *arg, struct lerr *e)
{
	struct image img;
	if (image_resolve(c->root, arg, &img, e) < 0)
		return NULL;
	json_t *cfg = store_read_json(c->root, img.id, e), *man = store_read_json(c->root, img.manifest, e);
	json_t *tags = json_array(), *o = NULL;
	struct image_entry *v;
	int n;
	if (!cfg || !man || image_list(c->root, &v, &n, e) < 0)
		goto out;
	long long size = 0;
	for (int i = 0; i < n; i++) {
		if (strcmp(v[i].id, img.id))
			continue;
		size = v[i].size;
		if (v[i].ref[0])
			json_array_append_new(tags, json_string(v[i].ref));
	}
	free(v);
	json_t *rootfs = json_object_get(cfg, "rootfs");
	json_t *blobs = json_array(), *l;
	size_t i;
	json_array_foreach (json_object_get(man, "layers"), i, l)
		json_array_append(blobs, l);
	o = json_pack("{s:s, s:O, s:[], s:s, s:s, s:s, s:O, s:s, s:s, s:s, s:I, s:{s:s, s:O}, s:{s:s, s:o}}", "Id", img.id,
		      "RepoTags", tags, "RepoDigests", "Parent", "", "Comment", "",
		      "Created", json_string_value(json_object_get(cfg, "created")) ?: "", "Config", img.config,
		      "Architecture", json_string_value(json_object_get(cfg, "architecture")) ?: "",
		      "Os", json_string_value(json_object_get(cfg, "os")) ?: "",
		      "OsVersion", json_string_value(json_object_get(cfg, "os.version")) ?: "", "Size", (json_int_t)size,
		      "RootFS", "Type", "layers", "Layers", json_object_get(rootfs, "diff_ids") ?: json_array(),
		      "Lochs", "Manifest", img.manifest, "LayerBlobs", blobs);
out:
	json_decref(tags);
	json_decref(cfg);
	json_decref(man);
	image_release(&img);
	return o;
}

static int cmd_inspect(struct cli *c, int argc, char **argv, struct lerr *e)
{
	if (argc < 2)
		return lerr_usage(e, argv[0], "requires at least 1 image");
	json_t *all = json_array();
	int failed = 0;
	for (int i = 1; i < argc; i++) {
		struct lerr one = { 0 };
		json_t *o = inspect_one(c, argv[i], &one);
		if (o)
			json_array_append_new(all, o);
		else
			cli_each_error(e, &one, &failed);
	}
	char *s = json_dumps(all, JSON_INDENT(4));
	printf("%s\n", s ? s : "[]");
	free(s);
	json_decref(all);
	return failed ? -1 : 0; /* the array printed, then 125 as inspect */
}
LOCHS_COMMAND(image_inspect, "image inspect", cmd_inspect, "image inspect IMAGE [IMAGE...]",
	      "Show an image's configuration as JSON");

static int cmd_history(struct cli *c, int argc, char **argv, struct lerr *e)
{
	int quiet = 0;
	const char *ref = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet"))
			quiet = 1;
		else if (argv[i][0] == '-' && strcmp(argv[i], "--no-trunc"))
			return lerr_usage(e, argv[0], "unknown flag %s", argv[i]);
		else if (argv[i][0] != '-')
			ref = argv[i];
	}
	if (!ref)
		return lerr_usage(e, argv[0], "requires 1 image");
	struct image img;
	if (image_resolve(c->root, ref, &img, e) < 0)
		return -1;
	json_t *cfg = store_read_json(c->root, img.id, e), *man = store_read_json(c->root, img.manifest, e);
	if (!cfg || !man) {
		json_decref(cfg);
		json_decref(man);
		image_release(&img);
		return -1;
	}
	if (!quiet)
		printf("%-12s %-16s %-40s %-8s %s\n", "IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT");
	json_t *hist = json_object_get(cfg, "history"), *layers = json_object_get(man, "layers");
	/* History is oldest first; a non-empty entry owns the next layer. */
	int nl = (int)json_array_size(layers), li = 0;
	long long sizes[IMAGE_MAX_LAYERS + 1];
	size_t n = json_array_size(hist);
	for (size_t i = 0; i < n; i++) {
		json_t *h = json_array_get(hist, i);
		sizes[i < IMAGE_MAX_LAYERS ? i : IMAGE_MAX_LAYERS] = 0;
		if (!json_is_true(json_object_get(h, "empty_layer")) && li < nl)
			sizes[i < IMAGE_MAX_LAYERS ? i : IMAGE_MAX_LAYERS] =
				json_integer_value(json_object_get(json_array_get(layers, li++), "size"));
	}
	for (size_t k = n; k-- > 0;) {
		json_t *h = json_array_get(hist, k);
		char when[64], size[32], id[16];
		snprintf(id, sizeof id, k + 1 == n ? "%.12s" : "<missing>", img.id + 7);
		if (quiet) {
			printf("%s\n", id);
			continue;
		}
		since(json_string_value(json_object_get(h, "created")), when, sizeof when);
		human(sizes[k < IMAGE_MAX_LAYERS ? k : IMAGE_MAX_LAYERS], size, sizeof size);
		const char *by = json_string_value(json_object_get(h, "created_by"));
		const char *com = json_string_value(json_object_get(h, "comment"));
		char line[41]; /* one table line: a heredoc's newlines as spaces */
		snprintf(line, sizeof line, "%s", by ? by : "");
		for (char *c = line; *c; c++)
			if (*c == '\n' || *c == '\t')
				*c = ' ';
		printf("%-12s %-16s %-40.40s %-8s %s\n", id, when, line, size, com ? com : "");
	}
	json_decref(cfg);
	json_decref(man);
	image_release(&img);
	return 0;
}
LOCHS_COMMAND(history, "history", cmd_history, "history [-q] IMAGE", "Show the history of an image");
LOCHS_COMMAND(image_history, "image history", cmd_history, "image history [-q] IMAGE", "Show the history of an image");

static int cmd_prune(struct cli *c, int argc, char **argv, struct lerr *e)
{
	int force = 0, all = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-f") || !strcmp(argv[i], "--force"))
			force = 1;
		else if (!strcmp(argv[i], "-a") || !strcmp(argv[i], "--all"))
			all = 1;
		else
			return lerr_usage(e, argv[0], "unknown flag %s", argv[i]);
	}
	if (!force) {
		printf("WARNING! This will remove all %s images without at least one jail associated to them.\n"
		       "Are you sure you want to continue? [y/N] ",
		       all ? "" : "dangling");
		fflush(stdout);
		char line[16] = "";
		if (!fgets(line, sizeof line, stdin) || (line[0] != 'y' && line[0] != 'Y'))
			return 0;
	}
	struct image_entry *v;
	int n, header = 0;
	if (image_list(c->root, &v, &n, e) < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		char user[256];
		if ((v[i].ref[0] && !all) || jail_using(c, v[i].id, user, sizeof user, e) < 0 || user[0])
			continue;
		if (!header++)
			printf("Deleted Images:\n");
		image_prune_entry(c->root, v, n, i, e);
	}
	free(v);
	long long freed = 0;
	if (store_gc(c->root, &freed, e) < 0)
		return -1;
	char h[32];
	human(freed, h, sizeof h);
	printf("%sTotal reclaimed space: %s\n", header ? "\n" : "", h);
	return 0;
}
LOCHS_COMMAND(image_prune, "image prune", cmd_prune, "image prune [-a] [-f]", "Remove unused images");
