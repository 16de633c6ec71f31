/* lochs pull and lochs import: the ways a root filesystem enters the store. */
#include "cli.h"
#include "config.h"
#include "events.h"
#include "http.h"
#include "imageref.h"
#include "imagestore.h"
#include "pull_release.h"
#include "registry.h"
#include "release.h"
#include "../common/fsutil.h"
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>


/* The mirror when --mirror is not given: $LOCHS_FREEBSD_MIRROR, then the
 * config file's freebsd_mirror, then pull_release's default. */
static int release_pull(const char *root, const char *mirror, const char *ref, int tty, char *stored, size_t size,
			struct lerr *e)
{
	json_t *cfg = mirror ? NULL : config_load(root, e);
	if (!mirror && !cfg)
		return -1;
	int rc = pull_release(root, mirror ? mirror : config_freebsd_mirror(cfg), ref, tty, stored, size, e);
	json_decref(cfg);
	return rc;
}

static int cmd_pull(struct cli *c, int argc, char **argv, struct lerr *e)
{
	const char *mirror = NULL, *ref = NULL;
	int quiet = 0, tls = -1;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--mirror") && i + 1 < argc)
			mirror = argv[++i];
		else if (!strncmp(argv[i], "--mirror=", 9))
			mirror = argv[i] + 9;
		else if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet"))
			quiet = 1;
		else if (!strcmp(argv[i], "--tls-verify") || !strcmp(argv[i], "--tls-verify=true"))
			tls = 1;
		else if (!strcmp(argv[i], "--tls-verify=false"))
			tls = 0;
		else if (argv[i][0] == '-')
			return lerr_usage(e, "pull", "unknown flag %s", argv[i]);
		else if (!ref)
			ref = argv[i];
		else
			return lerr_usage(e, "pull", "one image at a time");
	}
	if (!ref)
		return lerr_usage(e, "pull", "requires an image (e.g. freebsd:14.3)");
	char norm[256] = "", stored[256] = "";
	const char *why;
	/* freebsd:VERSION is a release set; everything else (with a digest
	 * too) comes from a registry. */
	int release = !strchr(ref, '@') && ref_normalize(ref, norm, sizeof norm, &why) == 0 && release_is_ref(norm);
	if (quiet && !freopen("/dev/null", "w", stdout))
		return lerr_sys(e, "/dev/null");
	int tty = c->isatty_out && !quiet;
	if ((release ? release_pull(c->root, mirror, ref, tty, stored, sizeof stored, e)
		     : registry_pull(c->root, ref, tls, tty, e)) < 0)
		return -1;
	/* freebsd:15 is stored as freebsd:15.0 and also keeps the name it was
	 * pulled by, as a Docker tag does (run freebsd:15). */
	if (release && strcmp(stored, norm) && image_tag(c->root, stored, norm, e) < 0)
		return -1;
	struct image img;
	struct lerr ignored;
	if (image_resolve(c->root, norm[0] ? norm : ref, &img, &ignored) == 0) { /* the pull is done: the event is extra */
		event_image(c->root, "pull", img.id, norm[0] ? norm : ref);
		image_release(&img);
	}
	return 0;
}
LOCHS_COMMAND(pull, "pull", cmd_pull, "pull [--mirror URL] [--tls-verify=false] [-q] freebsd:VERSION|REGISTRY/REPO[:TAG|@DIGEST]",
	      "Download a FreeBSD release (base.txz, checked against its MANIFEST) or a registry image");
LOCHS_COMMAND(image_pull, "image pull", cmd_pull, "image pull [--mirror URL] [--tls-verify=false] [-q] freebsd:VERSION|REGISTRY/REPO[:TAG|@DIGEST]",
	      "Download a FreeBSD release or a registry image");

static int copy_fd(int in, int out)
{
	static char buf[1 << 16];
	ssize_t r;
	while ((r = read(in, buf, sizeof buf)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		for (ssize_t o = 0; o < r;) {
			ssize_t w = write(out, buf + o, (size_t)(r - o));
			if (w < 0 && errno != EINTR)
				return -1;
			o += w > 0 ? w : 0;
		}
	}
	return 0;
}

/* Tars directory dir (symlinks as symlinks, no crossing mounts) into a
 * gzip'ed archive file out, names relative to dir, like docker import. */
static int tar_dir(const char *dir, const char *out, struct lerr *e)
{
	struct archive *w = archive_write_new(), *d = archive_read_disk_new();
	archive_write_set_format_pax_restricted(w);
	archive_write_add_filter_gzip(w);
	archive_read_disk_set_symlink_physical(d);
	archive_read_disk_set_standard_lookup(d);
	archive_read_disk_set_behavior(d, ARCHIVE_READDISK_NO_TRAVERSE_MOUNTS);
	int rc = -1, cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cwd < 0 || chdir(dir) < 0) {
		lerr_sys(e, "%s", dir);
		goto out;
	}
	if (archive_write_open_filename(w, out) != ARCHIVE_OK || archive_read_disk_open(d, ".") != ARCHIVE_OK) {
		lerr_set(e, LX_LOCHS, "%s: %s", dir, archive_error_string(archive_errno(w) ? w : d));
		goto out;
	}
	struct archive_entry *en = archive_entry_new();
	/* Files with several links become tar hard links, as tar does. */
	struct archive_entry_linkresolver *lr = archive_entry_linkresolver_new();
	archive_entry_linkresolver_set_strategy(lr, archive_format(w));
	int r;
	while ((r = archive_read_next_header2(d, en)) == ARCHIVE_OK) {
		archive_read_disk_descend(d);
		struct archive_entry *cur = en, *spare = NULL;
		archive_entry_linkify(lr, &cur, &spare);
		if (!cur)
			cur = en;
		if (archive_write_header(w, cur) < ARCHIVE_WARN)
			break;
		if (archive_entry_filetype(cur) == AE_IFREG && !archive_entry_hardlink(cur) && archive_entry_size(cur) > 0) {
			int fd = open(archive_entry_sourcepath(en), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
			char buf[1 << 16];
			ssize_t n;
			while (fd >= 0 && (n = read(fd, buf, sizeof buf)) > 0)
				archive_write_data(w, buf, (size_t)n);
			if (fd >= 0)
				close(fd);
		}
		archive_entry_clear(en);
	}
	archive_entry_free(en);
	archive_entry_linkresolver_free(lr);
	if (r != ARCHIVE_EOF)
		lerr_set(e, LX_LOCHS, "%s: %s", dir, archive_error_string(r == ARCHIVE_OK ? w : d));
	else if (archive_write_close(w) != ARCHIVE_OK)
		lerr_set(e, LX_LOCHS, "%s: %s", out, archive_error_string(w));
	else
		rc = 0;
out:
	if (cwd >= 0) {
		if (fchdir(cwd) < 0 && rc == 0)
			rc = lerr_sys(e, "cannot return to the working directory");
		close(cwd);
	}
	archive_read_free(d);
	archive_write_free(w);
	return rc;
}

/* Puts the source (file, directory, URL or "-") into the file tmp. */
static int import_source(const char *src, const char *tmp, struct lerr *e)
{
	struct stat st;
	if (!strncmp(src, "http://", 7) || !strncmp(src, "https://", 8)) {
		struct http_file hf = { .label = "rootfs", .tty = 0 };
		unlink(tmp);
		return http_download(src, tmp, &hf, e);
	}
	if (strcmp(src, "-") && stat(src, &st) < 0)
		return lerr_sys(e, "%s", src);
	if (strcmp(src, "-") && S_ISDIR(st.st_mode))
		return tar_dir(src, tmp, e);
	int in = strcmp(src, "-") ? open(src, O_RDONLY | O_CLOEXEC) : 0;
	int out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int rc = in < 0 || out < 0 || copy_fd(in, out) < 0 ? lerr_sys(e, "%s", src) : 0;
	if (in > 0)
		close(in);
	if (out >= 0)
		close(out);
	return rc;
}

static int cmd_import(struct cli *c, int argc, char **argv, struct lerr *e)
{
	const char *src = NULL, *ref = NULL, *msg = NULL;
	for (int i = 1; i < argc; i++) {
		if ((!strcmp(argv[i], "-m") || !strcmp(argv[i], "--message")) && i + 1 < argc)
			msg = argv[++i];
		else if (argv[i][0] == '-' && argv[i][1])
			return lerr_usage(e, "import", "unknown flag %s", argv[i]);
		else if (!src)
			src = argv[i];
		else if (!ref)
			ref = argv[i];
		else
			return lerr_usage(e, "import", "too many arguments");
	}
	if (!src)
		return lerr_usage(e, "import", "requires a file, directory, URL or -");
	char norm[256];
	const char *why;
	if (ref && ref_normalize(ref, norm, sizeof norm, &why) < 0)
		return lerr_set(e, LX_LOCHS, "invalid reference format %s: %s", ref, why);
	if (store_init(c->root, e) < 0)
		return -1;
	char tmp[4096], dir[4000], id[72], created[40], comment[4200];
	store_tmp_dir(c->root, dir, sizeof dir);
	snprintf(tmp, sizeof tmp, "%s/import.%d", dir, (int)getpid());
	if (import_source(src, tmp, e) < 0) {
		/* A download's partial file too: a per-process name is never resumed. */
		char part[4200];
		snprintf(part, sizeof part, "%s.part", tmp);
		unlink(tmp);
		unlink(part);
		return -1;
	}
	time_t now = time(NULL);
	strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	snprintf(comment, sizeof comment, "Imported from %s", src);
	json_t *cfg = json_pack("{s:s, s:s, s:s, s:{s:[s]}, s:[{s:s, s:s, s:s}]}", "created", created, "architecture",
				"amd64", "os", "freebsd", "config", "Env", "PATH=/sbin:/bin:/usr/sbin:/usr/bin", "history",
				"created", created, "created_by", "lochs import", "comment", msg ? msg : comment);
	struct new_layer l = { tmp, NULL };
	int rc = image_create(c->root, &l, 1, cfg, ref ? norm : NULL, id, e);
	json_decref(cfg);
	unlink(tmp);
	if (rc < 0) {
		/* The message is about the user's source, not our copy of it. */
		size_t n = strlen(tmp);
		if (!strncmp(e->msg, tmp, n) && !strncmp(e->msg + n, ": ", 2))
			memmove(e->msg, e->msg + n + 2, strlen(e->msg + n + 2) + 1);
		return lerr_wrap(e, "import %s", src);
	}
	event_image(c->root, "import", id, ref ? norm : id);
	printf("%s\n", id);
	return 0;
}
LOCHS_COMMAND(import, "import", cmd_import, "import [-m MESSAGE] FILE|DIR|URL|- [NAME[:TAG]]",
	      "Create an image from a root filesystem tarball or directory");
LOCHS_COMMAND(image_import, "image import", cmd_import, "image import [-m MESSAGE] FILE|DIR|URL|- [NAME[:TAG]]",
	      "Create an image from a root filesystem tarball or directory");
