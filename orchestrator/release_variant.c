/* The -minimal and -rescue release images: base.txz copied entry by entry
 * into a gzip'ed tar, keeping what release_variant_keeps() says. Nothing
 * is extracted here: the result goes through the same untrusting layer
 * extraction as any other layer. */
#include "release_variant.h"
#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>
#include <string.h>

/* A kept hard link whose file is left out (/rescue/sh linked to /bin/sh):
 * the file is written under the first such link's name instead. */
struct promoted {
	char *target, *name;
};
struct promotions {
	struct promoted *v;
	int n;
};

static const char *promoted_name(const struct promotions *p, const char *target)
{
	for (int i = 0; i < p->n; i++)
		if (!strcmp(p->v[i].target, target))
			return p->v[i].name;
	return NULL;
}

static struct archive *open_txz(const char *txz, struct lerr *e)
{
	struct archive *r = archive_read_new();
	archive_read_support_format_tar(r);
	archive_read_support_filter_xz(r);
	if (archive_read_open_filename(r, txz, 1 << 16) == ARCHIVE_OK)
		return r;
	lerr_set(e, LX_LOCHS, "%s: %s", txz, archive_error_string(r));
	archive_read_free(r);
	return NULL;
}

/* First pass: the left-out files that kept hard links need. */
static int find_promotions(const char *txz, enum release_variant v, struct promotions *p, struct lerr *e)
{
	struct archive *r = open_txz(txz, e);
	if (!r)
		return -1;
	struct archive_entry *en;
	int st;
	while ((st = archive_read_next_header(r, &en)) == ARCHIVE_OK) {
		const char *link = archive_entry_hardlink(en);
		if (link && release_variant_keeps(v, archive_entry_pathname(en)) && !release_variant_keeps(v, link) &&
		    !promoted_name(p, link)) {
			struct promoted *nv = realloc(p->v, (size_t)(p->n + 1) * sizeof *nv);
			if (!nv)
				break;
			p->v = nv;
			p->v[p->n++] = (struct promoted){ strdup(link), strdup(archive_entry_pathname(en)) };
		}
	}
	if (st != ARCHIVE_EOF)
		lerr_set(e, LX_LOCHS, "%s: %s", txz, archive_error_string(r));
	archive_read_free(r);
	return st == ARCHIVE_EOF ? 0 : -1;
}

/* Second pass: the copy. */
static int copy_kept(struct archive *r, struct archive *w, enum release_variant v, const struct promotions *p,
		     const char *txz, const char *out, struct lerr *e)
{
	struct archive_entry *en;
	int st;
	while ((st = archive_read_next_header(r, &en)) == ARCHIVE_OK) {
		const char *path = archive_entry_pathname(en), *link = archive_entry_hardlink(en);
		const char *as = promoted_name(p, path);
		if (!release_variant_keeps(v, path) && !as)
			continue;
		if (as) {
			archive_entry_set_pathname(en, as);
		} else if (link && !release_variant_keeps(v, link)) {
			const char *to = promoted_name(p, link);
			if (!strcmp(to, path))
				continue; /* written already, as the file itself */
			archive_entry_set_hardlink(en, to);
		}
		if (archive_write_header(w, en) != ARCHIVE_OK)
			return lerr_set(e, LX_LOCHS, "%s: %s", out, archive_error_string(w));
		const void *buf;
		size_t len;
		la_int64_t off;
		while ((st = archive_read_data_block(r, &buf, &len, &off)) == ARCHIVE_OK)
			if (archive_write_data(w, buf, len) < 0)
				return lerr_set(e, LX_LOCHS, "%s: %s", out, archive_error_string(w));
		if (st != ARCHIVE_EOF)
			break;
	}
	if (st != ARCHIVE_EOF)
		return lerr_set(e, LX_LOCHS, "%s: %s", txz, archive_error_string(r));
	return 0;
}

int release_variant_layer(const char *txz, const char *out, enum release_variant v, struct lerr *e)
{
	struct promotions p = { 0 };
	struct archive *r = NULL, *w = archive_write_new();
	archive_write_set_format_pax_restricted(w);
	archive_write_add_filter_gzip(w);
	int rc = -1;
	if (find_promotions(txz, v, &p, e) < 0 || !(r = open_txz(txz, e)))
		goto out;
	if (archive_write_open_filename(w, out) != ARCHIVE_OK) {
		lerr_set(e, LX_LOCHS, "%s: %s", out, archive_error_string(w));
		goto out;
	}
	if (copy_kept(r, w, v, &p, txz, out, e) < 0)
		goto out;
	if (archive_write_close(w) != ARCHIVE_OK)
		lerr_set(e, LX_LOCHS, "%s: %s", out, archive_error_string(w));
	else
		rc = 0;
out:
	for (int i = 0; i < p.n; i++)
		free(p.v[i].target), free(p.v[i].name);
	free(p.v);
	archive_read_free(r);
	archive_write_free(w);
	return rc;
}
