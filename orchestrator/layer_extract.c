#include "layer_extract.h"
#include "../common/fsutil.h"
#include "../common/sha256.h"
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

int layer_path_clean(const char *path, char *out, size_t size, const char **why)
{
	size_t n = 0;
	if (!path || !*path)
		return *why = "empty path", -1;
	if (path[0] == '/')
		return *why = "absolute path", -1;
	for (const char *p = path; *p;) {
		while (*p == '/')
			p++;
		const char *end = strchrnul(p, '/');
		size_t len = (size_t)(end - p);
		if (len == 2 && p[0] == '.' && p[1] == '.')
			return *why = "path has a '..' component", -1;
		if (len && !(len == 1 && p[0] == '.')) {
			if (n + len + 2 > size)
				return *why = "path too long", -1;
			if (n)
				out[n++] = '/';
			memcpy(out + n, p, len);
			n += len;
		}
		p = end;
	}
	out[n] = 0;
	return 0;
}

int layer_whiteout(const char *clean, char *target, size_t size)
{
	const char *slash = strrchr(clean, '/');
	const char *base = slash ? slash + 1 : clean;
	int dlen = slash ? (int)(slash - clean) : 0;
	if (strncmp(base, ".wh.", 4))
		return WH_NONE;
	if (!strcmp(base, ".wh..wh..opq")) {
		snprintf(target, size, "%.*s", dlen, clean);
		return WH_OPAQUE;
	}
	if (!strncmp(base, ".wh..wh.", 8) || !base[4])
		return WH_OTHER;
	snprintf(target, size, "%.*s%s%s", dlen, clean, slash ? "/" : "", base + 4);
	return WH_FILE;
}

/* Checks that no existing directory on the way to `rel` (inside root
 * dfd) is a symlink or a non-directory; `final` also checks rel itself. */
static int check_parents(int dfd, const char *rel, int final, const char **why, char *bad, size_t badsz)
{
	char buf[PATH_MAX];
	snprintf(buf, sizeof buf, "%s", rel);
	for (char *p = buf;; p++) {
		if (*p != '/' && *p)
			continue;
		char c = *p;
		if (!c && !final)
			return 0;
		*p = 0;
		struct stat st;
		if (fstatat(dfd, buf, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			*p = c;
			return 0; /* not there yet: nothing further can be a symlink */
		}
		if (S_ISLNK(st.st_mode) && c) {
			snprintf(bad, badsz, "%s", buf);
			return *why = "goes through the symlink", -1;
		}
		if (!S_ISDIR(st.st_mode) && c) {
			snprintf(bad, badsz, "%s", buf);
			return *why = "goes through the non-directory", -1;
		}
		if (!c)
			return 0;
		*p = c;
	}
}

static int reject(struct lerr *e, const char *entry, const char *why, const char *bad)
{
	if (bad && *bad)
		return lerr_set(e, LX_LOCHS, "archive entry \"%s\" rejected: %s %s", entry, why, bad);
	return lerr_set(e, LX_LOCHS, "archive entry \"%s\" rejected: %s", entry, why);
}

/* Makes the overlayfs form of whiteout `clean` (cwd and dfd are the root);
 * the directories on the way are checked like any entry's. */
static int whiteout(int dfd, const char *name, const char *clean, struct lerr *e)
{
	char target[PATH_MAX], bad[PATH_MAX] = "";
	const char *why;
	int kind = layer_whiteout(clean, target, sizeof target);
	if (kind == WH_OTHER)
		return 1;
	if (check_parents(dfd, target, kind == WH_OPAQUE, &why, bad, sizeof bad) < 0)
		return reject(e, name, why, bad);
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", kind == WH_OPAQUE ? target : clean);
	if (kind == WH_FILE)
		*(strrchr(dir, '/') ? strrchr(dir, '/') : dir) = 0;
	if (*dir && mkdir_p(dir, 0755) < 0)
		return lerr_sys(e, "archive entry \"%s\"", name);
	if (kind == WH_OPAQUE) {
		if (lsetxattr(*target ? target : ".", "trusted.overlay.opaque", "y", 1, 0) < 0)
			return lerr_sys(e, "archive entry \"%s\": opaque directory", name);
		return 1;
	}
	struct stat st;
	if (fstatat(dfd, target, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return reject(e, name, "whiteout of an entry of the same layer:", target);
	if (mknodat(dfd, target, S_IFCHR | 0, makedev(0, 0)) < 0)
		return lerr_sys(e, "archive entry \"%s\": whiteout", name);
	return 1;
}

/* Vets one entry against the tree extracted so far (root dfd) and rewrites
 * its names to the cleaned relative forms. 1 = skip it, 0 = write it. */
static int vet(struct archive_entry *en, int dfd, struct lerr *e)
{
	const char *name = archive_entry_pathname(en);
	char clean[PATH_MAX], bad[PATH_MAX] = "";
	const char *why;
	if (!name)
		return lerr_set(e, LX_LOCHS, "archive entry without a name");
	if (layer_path_clean(name, clean, sizeof clean, &why) < 0)
		return reject(e, name, why, NULL);
	mode_t t = archive_entry_filetype(en);
	if (archive_entry_hardlink(en))
		t = AE_IFREG; /* a hard link's type is its target's, checked below */
	if (t == AE_IFCHR || t == AE_IFBLK)
		return reject(e, name, "device node", NULL);
	if (t != AE_IFREG && t != AE_IFDIR && t != AE_IFLNK && t != AE_IFIFO)
		return reject(e, name, "unsupported file type", NULL);
	if (!*clean)
		return 1; /* "./": the root exists already */
	if (layer_whiteout(clean, bad, sizeof bad) != WH_NONE)
		return whiteout(dfd, name, clean, e);
	if (check_parents(dfd, clean, 0, &why, bad, sizeof bad) < 0)
		return reject(e, name, why, bad);
	/* tar replaces what an earlier entry made; a symlink is replaced,
	 * never followed. */
	struct stat st;
	if (fstatat(dfd, clean, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode) &&
	    unlinkat(dfd, clean, 0) < 0)
		return lerr_sys(e, "archive entry \"%s\"", name);
	archive_entry_copy_pathname(en, clean);
	const char *link = archive_entry_hardlink(en);
	if (link) {
		char lclean[PATH_MAX];
		if (layer_path_clean(link, lclean, sizeof lclean, &why) < 0 || !*lclean)
			return reject(e, name, "hard link target", link);
		if (check_parents(dfd, lclean, 0, &why, bad, sizeof bad) < 0)
			return reject(e, name, "hard link target", link);
		if (fstatat(dfd, lclean, &st, AT_SYMLINK_NOFOLLOW) < 0 || S_ISDIR(st.st_mode))
			return reject(e, name, "hard link to a file not in the archive:", link);
		archive_entry_copy_hardlink(en, lclean);
	}
	return 0;
}

static int copy_data(struct archive *in, struct archive *out)
{
	const void *buf;
	size_t len;
	la_int64_t off;
	int r;
	while ((r = archive_read_data_block(in, &buf, &len, &off)) == ARCHIVE_OK)
		if (archive_write_data_block(out, buf, len, off) < ARCHIVE_WARN)
			return -1;
	return r == ARCHIVE_EOF ? 0 : -1;
}

/* Extracts into the existing empty directory dir (dfd); cwd is dir. */
static int extract_into(struct archive *in, int dfd, const char *archive, struct lerr *e)
{
	struct archive *out = archive_write_disk_new();
	archive_write_disk_set_options(out, ARCHIVE_EXTRACT_SECURE_SYMLINKS | ARCHIVE_EXTRACT_SECURE_NODOTDOT |
						    ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS | ARCHIVE_EXTRACT_PERM |
						    ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_OWNER);
	archive_write_disk_set_standard_lookup(out);
	struct archive_entry *en;
	int r, rc = 0;
	char name[PATH_MAX];
	while ((r = archive_read_next_header(in, &en)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
		snprintf(name, sizeof name, "%s", archive_entry_pathname(en) ? archive_entry_pathname(en) : "");
		int v = vet(en, dfd, e);
		if (v < 0) {
			rc = -1;
			break;
		}
		if (v > 0)
			continue;
		if (archive_write_header(out, en) < ARCHIVE_WARN ||
		    (archive_entry_size(en) > 0 && copy_data(in, out) < 0) ||
		    archive_write_finish_entry(out) < ARCHIVE_WARN) {
			const char *m = archive_error_string(out) ? archive_error_string(out) : archive_error_string(in);
			rc = lerr_set(e, LX_LOCHS, "archive entry \"%s\": %s", name, m ? m : "cannot extract");
			break;
		}
	}
	if (rc == 0 && r != ARCHIVE_EOF)
		rc = lerr_set(e, LX_LOCHS, "%s: %s", archive, archive_error_string(in) ? archive_error_string(in) : "bad archive");
	if (archive_write_close(out) != ARCHIVE_OK && rc == 0)
		rc = lerr_set(e, LX_LOCHS, "%s: %s", archive, archive_error_string(out));
	archive_write_free(out);
	return rc;
}

int layer_extract(const char *archive, const char *dest, struct lerr *e)
{
	char tmp[PATH_MAX];
	const char *base = strrchr(dest, '/');
	base = base ? base + 1 : dest;
	snprintf(tmp, sizeof tmp, "%.*s.tmp-%s.%d", (int)(base - dest), dest, base, (int)getpid());
	rm_rf(tmp);
	if (mkdir(tmp, 0755) < 0)
		return lerr_sys(e, "%s", tmp);
	struct archive *in = archive_read_new();
	archive_read_support_filter_all(in);
	archive_read_support_format_tar(in);
	archive_read_support_format_gnutar(in);
	int rc = -1, cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int dfd = open(tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (cwd < 0 || dfd < 0 || fchdir(dfd) < 0)
		lerr_sys(e, "%s", tmp);
	else if (archive_read_open_filename(in, archive, 1 << 16) != ARCHIVE_OK)
		lerr_set(e, LX_LOCHS, "%s: %s", archive, archive_error_string(in));
	else
		rc = extract_into(in, dfd, archive, e);
	/* libarchive resolves relative to the cwd: always go back. */
	if (cwd >= 0 && fchdir(cwd) < 0 && rc == 0)
		rc = lerr_sys(e, "cannot return to the working directory");
	archive_read_free(in);
	if (cwd >= 0)
		close(cwd);
	if (dfd >= 0)
		close(dfd);
	if (rc == 0 && rename(tmp, dest) < 0) {
		struct stat st;
		if ((errno == EEXIST || errno == ENOTEMPTY) && stat(dest, &st) == 0)
			rc = 0; /* extracted meanwhile by another lochs */
		else
			rc = lerr_sys(e, "%s", dest);
		rm_rf(tmp);
	} else if (rc < 0) {
		rm_rf(tmp);
	}
	return rc;
}

int layer_diff_id(const char *archive, char hex[65], char *filter, size_t fsize, struct lerr *e)
{
	struct archive *a = archive_read_new();
	archive_read_support_filter_all(a);
	archive_read_support_format_raw(a);
	struct archive_entry *en;
	struct sha256 s;
	int rc = -1;
	if (archive_read_open_filename(a, archive, 1 << 16) != ARCHIVE_OK ||
	    archive_read_next_header(a, &en) != ARCHIVE_OK) {
		lerr_set(e, LX_LOCHS, "%s: %s", archive, archive_error_string(a) ? archive_error_string(a) : "unreadable");
		archive_read_free(a);
		return -1;
	}
	if (sha256_init(&s, e) == 0) {
		static char buf[1 << 16];
		la_ssize_t n;
		while ((n = archive_read_data(a, buf, sizeof buf)) > 0)
			sha256_update(&s, buf, (size_t)n);
		if (n < 0) {
			lerr_set(e, LX_LOCHS, "%s: %s", archive, archive_error_string(a));
			sha256_abort(&s);
		} else {
			sha256_final(&s, hex);
			const char *f = archive_filter_code(a, 0) == ARCHIVE_FILTER_NONE ? "none" : archive_filter_name(a, 0);
			snprintf(filter, fsize, "%s", f ? f : "unknown");
			rc = 0;
		}
	}
	archive_read_free(a);
	return rc;
}
