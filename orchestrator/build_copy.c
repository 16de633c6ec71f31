/* COPY and ADD: sources from the context (less .lochignore), another
 * stage or an image (--from), a URL or a local archive (ADD) are planned
 * as a list of entries first, hashed for the cache key, then written as
 * a layer. Every source is read through a layer view (openat2 beneath the
 * root, no symlink followed out of it), and a source that leaves the
 * context ("../x") is refused; destinations are cleaned paths under the
 * layer root, symlinks of the stage on the way followed inside it, so
 * nothing lands outside it. */
#include "build_int.h"
#include "http.h"
#include "layer_extract.h"
#include "jailops.h"
#include "../common/fsutil.h"
#include "../common/sha256.h"
#include "../specs/strv.h"
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <archive.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct centry {
	int fd;          /* layer root the source lives in (-1: a made-up directory) */
	char *rel;       /* path under it */
	char *dest;      /* "/abs/path" in the layer */
	struct stat st;
	int keep_owner;  /* 1: from an image or archive, owners as they are;
			    2: a directory above the copy, untouched */
};

struct bcopy {
	struct lview src, tmpv, dst; /* sources; downloads and archives; the stage so far */
	int ctx;                     /* sources are the context (.lochignore applies) */
	char tmp[4096];              /* scratch directory, removed at the end */
	struct centry *v;
	int n, cap;
	int dedup;                   /* entries so far may share a path with new ones */
	int chown, has_chmod;
	unsigned uid, gid;
	mode_t chmod;
};

void build_copy_free(struct bcopy *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->n; i++) {
		free(p->v[i].rel);
		free(p->v[i].dest);
	}
	free(p->v);
	lview_close(&p->src);
	lview_close(&p->tmpv);
	lview_close(&p->dst);
	if (p->tmp[0])
		rm_rf(p->tmp);
	free(p);
}

static int add(struct bcopy *p, int fd, const char *rel, const struct stat *st, const char *dest, int keep)
{
	for (int i = p->dedup ? 0 : p->n; i < p->n; i++) /* a later source of the same path wins */
		if (!strcmp(p->v[i].dest, dest) && !S_ISDIR(st->st_mode)) {
			free(p->v[i].rel);
			p->v[i].rel = strdup(rel);
			p->v[i].fd = fd;
			p->v[i].st = *st;
			p->v[i].keep_owner = keep;
			return 0;
		} else if (!strcmp(p->v[i].dest, dest)) {
			return 0;
		}
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 64;
		struct centry *m = realloc(p->v, (size_t)p->cap * sizeof *m);
		if (!m)
			return -1;
		p->v = m;
	}
	p->v[p->n++] = (struct centry){ fd, strdup(rel), strdup(dest), *st, keep };
	return 0;
}

/* The directories above dest (not yet planned): the stage's own when it
 * has them (so /tmp keeps its mode), else 0755 root. */
static int parents(struct bcopy *p, const char *dest)
{
	char path[4096];
	for (const char *s = strchr(dest + 1, '/'); s; s = strchr(s + 1, '/')) {
		snprintf(path, sizeof path, "%.*s", (int)(s - dest), dest);
		struct lent ent;
		struct stat st = { .st_mode = S_IFDIR | 0755 };
		int fd = -1;
		if (lview_lookup(&p->dst, path + 1, &ent) == 0 && S_ISDIR(ent.st.st_mode))
			st = ent.st, fd = p->dst.fd[ent.layer];
		if (add(p, fd, path + 1, &st, path, 2) < 0)
			return -1;
	}
	return 0;
}

/* rel (a directory of view v) and everything under it, into dest. */
static int walk(struct bctx *b, struct bcopy *p, const struct lview *v, const char *rel, const struct lent *dir,
		const char *dest, int keep, struct lerr *e)
{
	char **names;
	int n, rc = 0;
	if (lview_list(v, rel, dir, &names, &n) < 0)
		return lerr_sys(e, "reading %s", rel);
	for (int i = 0; i < n && rc == 0; i++) {
		char r[4096], d[4200];
		snprintf(r, sizeof r, "%s%s%s", rel, *rel ? "/" : "", names[i]);
		snprintf(d, sizeof d, "%s/%s", strcmp(dest, "/") ? dest : "", names[i]);
		struct lent ent;
		if (lview_lookup(v, r, &ent) < 0)
			continue;
		/* An ignored directory is still entered when a "!" pattern may
		 * bring something under it back (Docker's rule). */
		int ignored = v == &p->src && p->ctx && build_ignored(b->ignore, r);
		if (ignored && !(S_ISDIR(ent.st.st_mode) && build_has_exceptions(b->ignore)))
			continue;
		int at = p->n;
		rc = add(p, v->fd[ent.layer], r, &ent.st, d, keep);
		if (rc == 0 && S_ISDIR(ent.st.st_mode))
			rc = walk(b, p, v, r, &ent, d, keep, e);
		if (rc == 0 && ignored && p->n == at + 1 && !strcmp(p->v[at].dest, d)) { /* nothing came back: the directory goes too */
			free(p->v[at].rel);
			free(p->v[at].dest);
			p->n = at;
		}
	}
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

/* One source path (clean, relative to the view) to dest; as: its name
 * there (NULL: rel's last component). */
static int one(struct bctx *b, struct bcopy *p, const struct lview *v, const char *rel, const char *as,
	       const char *dest, int into, int keep, struct lerr *e)
{
	struct lent ent;
	if (lview_lookup(v, rel, &ent) < 0)
		return lerr_sys(e, "%s", rel);
	char d[4200];
	const char *base = as ? as : strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
	int first = p->n == 0;
	p->dedup = 1;
	if (S_ISDIR(ent.st.st_mode)) {
		/* A directory's contents go into dest, which takes its attributes. */
		if (parents(p, dest) < 0 || (strcmp(dest, "/") && add(p, v->fd[ent.layer], rel, &ent.st, dest, keep) < 0))
			return lerr_set(e, LX_LOCHS, "out of memory");
		/* Below dest only what this walk adds, when it is the first source:
		 * no quadratic search for a large tree. */
		p->dedup = !first;
		return walk(b, p, v, rel, &ent, dest, keep, e);
	}
	snprintf(d, sizeof d, "%s%s%s", dest, into ? (strcmp(dest, "/") ? "/" : "") : "", into ? base : "");
	if (parents(p, d) < 0 || add(p, v->fd[ent.layer], rel, &ent.st, d, keep) < 0)
		return lerr_set(e, LX_LOCHS, "out of memory");
	return 0;
}

/* Components of pattern matched level by level; hits get clean paths. */
static int glob_view(struct bctx *b, struct bcopy *p, const struct lview *v, const char *pre, const char *pattern,
		     char ***hits)
{
	size_t k = strcspn(pattern, "/");
	char comp[1024];
	snprintf(comp, sizeof comp, "%.*s", (int)(k < 1023 ? k : 1023), pattern);
	const char *rest = pattern[k] ? pattern + k + 1 : NULL;
	struct lent dir;
	char **names;
	int n;
	if (lview_lookup(v, pre, &dir) < 0 || !S_ISDIR(dir.st.st_mode) || lview_list(v, pre, &dir, &names, &n) < 0)
		return 0;
	for (int i = 0; i < n; i++) {
		char path[4096];
		snprintf(path, sizeof path, "%s%s%s", pre, *pre ? "/" : "", names[i]);
		if (fnmatch(comp, names[i], 0) == 0 && !(p->ctx && v == &p->src && build_ignored(b->ignore, path))) {
			if (rest && *rest)
				glob_view(b, p, v, path, rest, hits);
			else
				strv_push(hits, path);
		}
		free(names[i]);
	}
	free(names);
	return 0;
}

/* "user[:group]" of --chown, names from the stage's /etc/passwd and /etc/group. */
static int owner(struct bctx *b, struct bcopy *p, const struct lf_inst *in, const char *spec, struct lerr *e)
{
	char user[256], passwd[4200] = "", group[4200] = "";
	snprintf(user, sizeof user, "%s", spec);
	char *colon = strchr(user, ':');
	if (colon)
		*colon++ = 0;
	struct lent ent;
	/* Stage layers are plain directories: the files are read in place. */
	if (lview_lookup(&p->dst, "etc/passwd", &ent) == 0)
		snprintf(passwd, sizeof passwd, "/proc/self/fd/%d/etc/passwd", p->dst.fd[ent.layer]);
	if (lview_lookup(&p->dst, "etc/group", &ent) == 0)
		snprintf(group, sizeof group, "/proc/self/fd/%d/etc/group", p->dst.fd[ent.layer]);
	if (user_resolve(user, passwd[0] ? passwd : NULL, &p->uid, &p->gid, e) < 0)
		return bfail(b, in, e, "--chown=%s: unknown user %s", spec, user);
	if (colon && *colon) {
		char *end;
		unsigned long g = strtoul(colon, &end, 10);
		if (*end) {
			FILE *f = group[0] ? fopen(group, "re") : NULL;
			char line[1024];
			int found = 0;
			while (f && !found && fgets(line, sizeof line, f)) {
				char *name = strtok(line, ":"), *pw = strtok(NULL, ":"), *gid = strtok(NULL, ":");
				if (name && pw && gid && !strcmp(name, colon))
					g = strtoul(gid, NULL, 10), found = 1;
			}
			if (f)
				fclose(f);
			if (!found)
				return bfail(b, in, e, "--chown=%s: unknown group %s", spec, colon);
		}
		p->gid = (unsigned)g;
	}
	p->chown = 1;
	return 0;
}

/* Where --from points: a stage built before, else an image (pulled when
 * missing). Opens its layers as the source view. */
static int from_source(struct bctx *b, struct bcopy *p, const struct lf_inst *in, const char *from, struct lerr *e)
{
	const char *dirs[LV_MAX];
	static char buf[LV_MAX][4096];
	int n = 0;
	for (int i = 0; i < b->nst; i++) {
		char idx[16];
		snprintf(idx, sizeof idx, "%d", i);
		if ((b->st[i].name && !strcmp(b->st[i].name, from)) || !strcmp(idx, from)) {
			if (!b->st[i].built)
				return bfail(b, in, e, "--from=%s: stage is not built before this one", from);
			if (build_layer_dirs(b, &b->st[i], dirs, buf, &n, e) < 0)
				return -1;
			return lview_open(&p->src, dirs, n, e);
		}
	}
	struct image img;
	if (build_image_ref(b, from, 0, &img, e) < 0)
		return lerr_wrap(e, "%s:%d: COPY: --from=%s", b->file, in->line, from);
	int rc = 0;
	for (int i = img.nlayers - 1; i >= 0 && rc == 0; i--, n++) {
		rc = image_layer_dir(b->c->root, img.layers[i], buf[n], sizeof buf[n], e);
		dirs[n] = buf[n];
	}
	image_release(&img);
	return rc < 0 ? -1 : lview_open(&p->src, dirs, n, e);
}

/* ADD of a URL: downloaded (checked against --checksum) into the scratch
 * directory, named after the URL's last component. */
static int fetch(struct bctx *b, struct bcopy *p, const struct lf_inst *in, const char *url, char *rel, size_t rsize,
		 struct lerr *e)
{
	const char *ck = lf_flag(in, "checksum");
	if (ck && (strncmp(ck, "sha256:", 7) || !sha256_is_hex(ck + 7)))
		return bfail(b, in, e, "--checksum=%s: expected sha256:<64 hex digits>", ck);
	const char *q = url + strcspn(url, "?#"), *slash = q;
	while (slash > url && slash[-1] != '/')
		slash--;
	char name[256];
	snprintf(name, sizeof name, "%.*s", (int)(q - slash), slash);
	if (!name[0] || !strcmp(name, ".") || !strcmp(name, ".."))
		snprintf(name, sizeof name, "download");
	char path[4400];
	snprintf(path, sizeof path, "%s/%s", p->tmp, name);
	struct http_file hf = { .want_sha256 = ck ? ck + 7 : NULL, .label = name, .tty = 0 };
	fflush(b->out);
	if (http_download(url, path, &hf, e) < 0)
		return lerr_wrap(e, "%s:%d: ADD", b->file, in->line);
	snprintf(rel, rsize, "%s", name);
	return 0;
}

/* COPY <<WORD: the heredoc's text as a file WORD (mode 0644) in the
 * scratch directory, variables substituted unless WORD was quoted. */
static int inline_file(struct bctx *b, struct bstage *s, struct bcopy *p, const struct lf_inst *in, const char *src,
		       char *rel, size_t rsize, struct lerr *e)
{
	const char *w = src + 2 + (src[2] == '-');
	w += *w == '"' || *w == '\'';
	size_t n = strcspn(w, "\"'");
	for (int i = 0; in->hd_names[i]; i++) {
		const char *name = in->hd_names[i] + (in->hd_names[i][0] == '\'');
		if (strlen(name) != n || strncmp(name, w, n))
			continue;
		char path[4400];
		snprintf(rel, rsize, "%s", name);
		snprintf(path, sizeof path, "%s/%s", p->tmp, rel);
		char *text = in->hd_names[i][0] == '\'' ? strdup(in->hd_bodies[i]) : bsubst(b, s, in, in->hd_bodies[i], e);
		if (!text)
			return -1;
		int rc = write_file_replace(path, text, strlen(text), 0644) < 0 || chmod(path, 0644) < 0 ? lerr_sys(e, "%s", path) : 0;
		free(text);
		return rc;
	}
	return bfail(b, in, e, "%s: no such heredoc", src);
}

/* ADD of a local tar (any compression): extracted with the store's
 * untrusting extractor into the scratch directory; 1 when it was one. */
static int unpack(struct bctx *b, struct bcopy *p, const struct lview *v, const char *rel, char *out, size_t osize,
		  struct lerr *e)
{
	struct lent ent;
	if (lview_lookup(v, rel, &ent) < 0 || !S_ISREG(ent.st.st_mode))
		return 0;
	int fd = lview_openat(v->fd[ent.layer], rel, O_RDONLY);
	if (fd < 0)
		return 0;
	struct archive *a = archive_read_new();
	struct archive_entry *en;
	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	int is_tar = archive_read_open_fd(a, fd, 16384) == ARCHIVE_OK && archive_read_next_header(a, &en) == ARCHIVE_OK;
	archive_read_free(a);
	static int seq;
	char src[64], dst[4200];
	snprintf(src, sizeof src, "/proc/self/fd/%d", fd);
	snprintf(out, osize, "x%d", seq++);
	snprintf(dst, sizeof dst, "%s/%s", p->tmp, out);
	int rc = is_tar ? (layer_extract(src, dst, e) < 0 ? lerr_wrap(e, "%s", rel) : 1) : 0;
	close(fd);
	(void)b;
	return rc;
}

/* Expanded args; the last is the destination, made absolute from WORKDIR. */
static int dest_of(struct bstage *s, const char *raw, char *out, size_t size, int *slash)
{
	const char *wd = json_string_value(json_object_get(json_object_get(s->cfg, "config"), "WorkingDir"));
	if (!*raw)
		return -1;
	*slash = raw[strlen(raw) - 1] == '/' || !strcmp(raw, ".") || (strlen(raw) > 1 && !strcmp(raw + strlen(raw) - 2, "/."));
	char joined[8400];
	snprintf(joined, sizeof joined, "%s/%s", raw[0] == '/' ? "" : (wd && *wd ? wd : ""), raw);
	if (strlen(joined) >= size)
		return -1;
	build_clean_abs(joined, out, size);
	return 0;
}

/* dest ("a/b", clean) as the stage's symlinks make it, as Docker follows
 * them: resolved inside the stage's layers (an absolute or "../.." link
 * stays under its root), the missing part below the last existing
 * directory kept as written. -1 with errno (ENOTDIR, ELOOP, ...). */
static int resolve_dest(const struct lview *v, const char *rel, char *out, size_t size)
{
	out[0] = 0;
	if (!*rel)
		return 0;
	if (lview_resolve(v, rel, 1, out, size) == 0 || (errno == ENOENT && out[0]))
		return 0;
	const char *slash = strrchr(rel, '/');
	if (errno != ENOENT || !slash)
		return -1; /* ENOENT here: a dangling link on the way */
	char parent[4096], pr[4096];
	snprintf(parent, sizeof parent, "%.*s", (int)(slash - rel), rel);
	if (resolve_dest(v, parent, pr, sizeof pr) < 0)
		return -1;
	if (snprintf(out, size, "%s%s%s", pr, *pr ? "/" : "", slash + 1) >= (int)size)
		return errno = ENAMETOOLONG, -1;
	return 0;
}

static int has_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

/* The hash of the planned entries: what lands where, with which owner,
 * mode and content (times do not count, as in Docker). */
static int plan_sum(struct bcopy *p, char sum[65], struct lerr *e)
{
	struct sha256 h;
	if (sha256_init(&h, e) < 0)
		return -1;
	for (int i = 0; i < p->n; i++) {
		struct centry *c = &p->v[i];
		char line[4400], hex[65] = "";
		if (S_ISREG(c->st.st_mode) && c->fd >= 0) {
			char path[4300];
			int fd = lview_openat(c->fd, c->rel, O_RDONLY);
			snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
			if (fd < 0 || sha256_file(path, hex, NULL, e) < 0) {
				if (fd >= 0)
					close(fd);
				sha256_abort(&h);
				return fd < 0 ? lerr_sys(e, "%s", c->rel) : -1;
			}
			close(fd);
		} else if (S_ISLNK(c->st.st_mode)) {
			ssize_t n = readlinkat(c->fd, c->rel, hex, sizeof hex - 1);
			hex[n > 0 ? n : 0] = 0;
		}
		int len = snprintf(line, sizeof line, "%s %o %u %u %s\n", c->dest, c->st.st_mode, c->st.st_uid, c->st.st_gid, hex);
		sha256_update(&h, line, (size_t)len);
	}
	sha256_final(&h, sum);
	return 0;
}

/* Owners and modes as the layer will have them. */
static void settle(struct bcopy *p, int first)
{
	for (int i = first; i < p->n; i++) {
		struct centry *c = &p->v[i];
		if (c->keep_owner == 2)
			continue; /* a directory above the copy: as it is */
		if (p->chown)
			c->st.st_uid = p->uid, c->st.st_gid = p->gid;
		else if (!c->keep_owner)
			c->st.st_uid = c->st.st_gid = 0;
		if (p->has_chmod && !S_ISLNK(c->st.st_mode))
			c->st.st_mode = (c->st.st_mode & S_IFMT) | p->chmod;
	}
}

int build_copy_plan(struct bctx *b, struct bstage *s, const struct lf_inst *in, struct bcopy **out, char sum[65],
		    struct lerr *e)
{
	struct bcopy *p = calloc(1, sizeof *p);
	*out = p;
	if (!p)
		return lerr_set(e, LX_LOCHS, "out of memory");
	const char *dirs[LV_MAX];
	static char buf[LV_MAX][4096];
	int n, rc = -1;
	char **args = NULL, **hits = NULL;
	if (build_layer_dirs(b, s, dirs, buf, &n, e) < 0 || lview_open(&p->dst, dirs, n, e) < 0)
		return -1;
	const char *from = lf_flag(in, "from"), *chown = lf_flag(in, "chown"), *chmod = lf_flag(in, "chmod");
	if (from && in->kind == LF_ADD)
		return bfail(b, in, e, "--from is for COPY");
	if (lf_flag(in, "checksum") && in->kind == LF_COPY)
		return bfail(b, in, e, "--checksum is for ADD");
	for (char **a = in->args; *a; a++) {
		char *x = in->json ? strdup(*a) : bexpand(b, s, in, *a, e);
		if (!x || strv_push(&args, x) < 0) {
			free(x);
			goto out;
		}
		free(x);
	}
	char *xf = from ? bexpand(b, s, in, from, e) : NULL;
	if (from && !xf)
		goto out;
	int ok = from ? from_source(b, p, in, xf, e) : lview_open(&p->src, (const char *[]){ b->ctxdir }, 1, e);
	free(xf);
	if (ok < 0)
		goto out;
	p->ctx = !from;
	char *xc = chown ? bexpand(b, s, in, chown, e) : NULL, *xm = chmod ? bexpand(b, s, in, chmod, e) : NULL;
	ok = (chown && !xc) || (chmod && !xm) || (xc && owner(b, p, in, xc, e) < 0) ? -1 : 0;
	if (ok == 0 && xm) {
		char *end;
		p->chmod = (mode_t)strtoul(xm, &end, 8);
		p->has_chmod = 1;
		if (*end || !*xm || p->chmod > 07777)
			ok = bfail(b, in, e, "--chmod=%s: expected an octal mode such as 0644", xm);
	}
	free(xc);
	free(xm);
	if (ok < 0)
		goto out;
	int nargs = (int)strv_len(args), slash;
	char dest[4096];
	if (dest_of(s, args[nargs - 1], dest, sizeof dest, &slash) < 0) {
		bfail(b, in, e, "destination \"%s\": empty or too long", args[nargs - 1]);
		goto out;
	}
	char res[4096];
	if (resolve_dest(&p->dst, dest + 1, res, sizeof res) < 0) {
		bfail(b, in, e, "destination %s: %s", dest, strerror(errno));
		goto out;
	}
	snprintf(dest, sizeof dest, "/%s", res);
	struct lent dent;
	int into = slash || nargs > 2 || (lview_lookup(&p->dst, dest + 1, &dent) == 0 && S_ISDIR(dent.st.st_mode));
	snprintf(p->tmp, sizeof p->tmp, "%s/images/tmp/build-src-%d-%d", b->c->root, (int)getpid(), b->step);
	rm_rf(p->tmp);
	for (int i = 0; i < nargs - 1; i++) {
		const char *src = args[i];
		int url = in->kind == LF_ADD && (!strncmp(src, "http://", 7) || !strncmp(src, "https://", 8));
		size_t hash = strcspn(src, "#");
		if (in->kind == LF_ADD && (!strncmp(src, "git@", 4) || (url && hash >= 4 && !strncmp(src + hash - 4, ".git", 4)))) {
			bfail(b, in, e, "%s: git repositories are not supported", src);
			goto out;
		}
		char rel[4096];
		const char *why;
		int hd = in->hd_names && !strncmp(src, "<<", 2);
		if (url || hd || in->kind == LF_ADD) {
			if (!p->tmp[0] || (mkdir_p(p->tmp, 0700) < 0 && errno != EEXIST)) {
				lerr_sys(e, "%s", p->tmp);
				goto out;
			}
			if (!p->tmpv.n && lview_open(&p->tmpv, (const char *[]){ p->tmp }, 1, e) < 0)
				goto out;
		}
		if (url) {
			if (fetch(b, p, in, src, rel, sizeof rel, e) < 0)
				goto out;
			if (one(b, p, &p->tmpv, rel, NULL, dest, into, 0, e) < 0)
				goto out;
			continue;
		}
		if (hd) {
			if (inline_file(b, s, p, in, src, rel, sizeof rel, e) < 0 || one(b, p, &p->tmpv, rel, NULL, dest, into, 0, e) < 0)
				goto out;
			continue;
		}
		if (in->kind == LF_ADD && lf_flag(in, "checksum")) {
			bfail(b, in, e, "--checksum is for URL sources");
			goto out;
		}
		if (layer_path_clean(src[0] == '/' ? src + 1 : src, rel, sizeof rel, &why) < 0) {
			bfail(b, in, e, "%s: %s", src, p->ctx ? "outside the build context" : why);
			goto out;
		}
		strv_free(hits);
		hits = NULL;
		char as[256] = "";
		if (has_glob(rel))
			glob_view(b, p, &p->src, "", rel, &hits);
		else {
			char res[4096], tgt[4096];
			struct lent ent, te;
			/* Symlinks on the way are followed inside the view, never out of
			 * it; a source that is one is copied as what it points to, under
			 * its own name (BuildKit's rule); a dangling one as the link. */
			if (lview_resolve(&p->src, rel, 0, res, sizeof res) == 0 && !(p->ctx && build_ignored(b->ignore, res)) &&
			    lview_lookup(&p->src, res, &ent) == 0) {
				if (S_ISLNK(ent.st.st_mode) && lview_resolve(&p->src, rel, 1, tgt, sizeof tgt) == 0 &&
				    !(p->ctx && build_ignored(b->ignore, tgt)) && lview_lookup(&p->src, tgt, &te) == 0) {
					snprintf(as, sizeof as, "%s", strrchr(res, '/') ? strrchr(res, '/') + 1 : res);
					snprintf(res, sizeof res, "%s", tgt);
				}
				strv_push(&hits, res);
			}
		}
		if (!hits) {
			bfail(b, in, e, "%s: no such file or directory in %s", src, p->ctx ? "the build context" : "--from");
			goto out;
		}
		if (strv_len(hits) > 1)
			into = 1;
		for (char **h = hits; *h; h++) {
			char arch[64];
			int x = in->kind == LF_ADD ? unpack(b, p, &p->src, *h, arch, sizeof arch, e) : 0;
			if (x < 0)
				goto out;
			if (x > 0) {
				if (one(b, p, &p->tmpv, arch, NULL, dest, 1, 1, e) < 0)
					goto out;
				continue;
			}
			if (one(b, p, &p->src, *h, as[0] ? as : NULL, dest, into, !p->ctx, e) < 0) {
				lerr_wrap(e, "%s:%d: %s", b->file, in->line, lf_kind_name(in->kind));
				goto out;
			}
		}
	}
	settle(p, 0);
	rc = plan_sum(p, sum, e);
out:
	strv_free(args);
	strv_free(hits);
	return rc;
}

int build_copy_write(struct bctx *b, struct bcopy *p, struct blayer *layer, struct lerr *e)
{
	struct ltar *t = ltar_open(b, e);
	if (!t)
		return -1;
	for (int i = 0; i < p->n; i++) {
		struct centry *c = &p->v[i];
		if (ltar_add(t, c->fd, c->rel, &c->st, c->dest, e) < 0) {
			ltar_abort(t);
			return -1;
		}
	}
	return ltar_finish(t, layer, e);
}
