/* See yamlmerge.h. Node indices, not pointers, are held across additions:
 * adding a node may move libyaml's node array. */
#include "yamlmerge.h"
#include <stdlib.h>
#include <string.h>

struct mctx {
	struct ytree *d;
	const struct ytree *s;
	unsigned short fid; /* src's file in d->more */
};

#define NODE(t, i) (&(t)->doc.nodes.start[(i) - 1])

static int is_one(const char *k, const char *const *set)
{
	for (; k && *set; set++)
		if (!strcmp(k, *set))
			return 1;
	return 0;
}

static const char *const replaced[] = { "command", "entrypoint", "test", NULL };
static const char *const kv_keys[] = { "environment", "labels", "args", NULL };
static const char *const name_keys[] = { "depends_on", "networks", NULL };
static const char *const unique_keys[] = { "ports", "volumes", "secrets", "configs", NULL };

/* Records that d's node idx came from file fid (and where in it). */
static int mark(struct mctx *m, int idx, unsigned short fid, const yaml_node_t *like)
{
	struct ytree *d = m->d;
	if (idx <= 0)
		return -1;
	if ((size_t)idx > d->norigin) {
		size_t n = (size_t)idx + 64;
		unsigned short *o = realloc(d->origin, n * sizeof *o);
		if (!o)
			return -1;
		memset(o + d->norigin, 0, (n - d->norigin) * sizeof *o);
		d->origin = o, d->norigin = n;
	}
	d->origin[idx - 1] = fid;
	NODE(d, idx)->start_mark = like->start_mark;
	NODE(d, idx)->end_mark = like->end_mark;
	return idx;
}

static unsigned short fid_of(const struct mctx *m, const struct ytree *t, int idx)
{
	if (t == m->s)
		return m->fid;
	return (size_t)idx <= t->norigin ? t->origin[idx - 1] : 0;
}

static int add_scalar(struct mctx *m, const char *text, size_t len, yaml_scalar_style_t style, unsigned short fid,
		      const yaml_node_t *like)
{
	int i = yaml_document_add_scalar(&m->d->doc, NULL, (yaml_char_t *)text, (int)len, style);
	return i ? mark(m, i, fid, like) : -1;
}

/* A deep copy of t's node idx (t: src or d itself) into d. */
static int copy(struct mctx *m, const struct ytree *t, int idx, int depth)
{
	yaml_node_t n = *NODE(t, idx);
	unsigned short fid = fid_of(m, t, idx);
	int out = 0;
	if (depth > 64)
		return -1;
	if (n.type == YAML_SCALAR_NODE) {
		out = yaml_document_add_scalar(&m->d->doc, n.tag, n.data.scalar.value, (int)n.data.scalar.length,
					       n.data.scalar.style);
	} else if (n.type == YAML_SEQUENCE_NODE) {
		out = yaml_document_add_sequence(&m->d->doc, n.tag, n.data.sequence.style);
		for (int i = 0; out && i < (int)(n.data.sequence.items.top - n.data.sequence.items.start); i++) {
			int c = copy(m, t, n.data.sequence.items.start[i], depth + 1);
			if (c < 0 || !yaml_document_append_sequence_item(&m->d->doc, out, c))
				return -1;
		}
	} else if (n.type == YAML_MAPPING_NODE) {
		out = yaml_document_add_mapping(&m->d->doc, n.tag, n.data.mapping.style);
		for (int i = 0; out && i < (int)(n.data.mapping.pairs.top - n.data.mapping.pairs.start); i++) {
			yaml_node_pair_t p = n.data.mapping.pairs.start[i];
			int k = copy(m, t, p.key, depth + 1), v = copy(m, t, p.value, depth + 1);
			if (k < 0 || v < 0 || !yaml_document_append_mapping_pair(&m->d->doc, out, k, v))
				return -1;
		}
	}
	return out ? mark(m, out, fid, &n) : -1;
}

static const char *tag_of(const struct ytree *t, int idx)
{
	yaml_char_t *tag = NODE(t, idx)->tag;
	return tag ? (const char *)tag : "";
}

static const char *scalar(const struct ytree *t, int idx)
{
	return NODE(t, idx)->type == YAML_SCALAR_NODE ? (const char *)NODE(t, idx)->data.scalar.value : NULL;
}

/* A list of "K=V" (kv) or of names into a mapping K: V / name: null; a
 * mapping is returned as it is. */
static int as_map(struct mctx *m, const struct ytree *t, int idx, int kv)
{
	if (NODE(t, idx)->type != YAML_SEQUENCE_NODE)
		return t == m->d ? idx : copy(m, t, idx, 0);
	yaml_node_t seq = *NODE(t, idx);
	unsigned short fid = fid_of(m, t, idx);
	int out = yaml_document_add_mapping(&m->d->doc, NULL, YAML_BLOCK_MAPPING_STYLE);
	if (!out || mark(m, out, fid, &seq) < 0)
		return -1;
	for (yaml_node_item_t *it = seq.data.sequence.items.start; it < seq.data.sequence.items.top; it++) {
		const yaml_node_t *item = NODE(t, *it);
		const char *s = scalar(t, *it);
		if (!s) /* not a list of strings: the reader will say so */
			return t == m->d ? idx : copy(m, t, idx, 0);
		const char *eq = kv ? strchr(s, '=') : NULL;
		size_t klen = eq ? (size_t)(eq - s) : strlen(s);
		int k = add_scalar(m, s, klen, YAML_PLAIN_SCALAR_STYLE, fid, item);
		int v = eq ? add_scalar(m, eq + 1, strlen(eq + 1), YAML_DOUBLE_QUOTED_SCALAR_STYLE, fid, item)
			   : add_scalar(m, "", 0, YAML_PLAIN_SCALAR_STYLE, fid, item);
		if (k < 0 || v < 0 || !yaml_document_append_mapping_pair(&m->d->doc, out, k, v))
			return -1;
	}
	return out;
}

/* The identity of a ports/volumes/secrets/configs entry: a later entry
 * with the same one replaces the earlier. */
static void entry_key(const struct ytree *t, int idx, const char *key, char *out, size_t size)
{
	const char *s = scalar(t, idx);
	yaml_node_t *n = NODE(t, idx);
	out[0] = 0;
	if (s && !strcmp(key, "volumes")) { /* SRC:TARGET[:MODE] or TARGET */
		const char *c = strchr(s, ':');
		size_t len = c ? strcspn(c + 1, ":") : strlen(s);
		snprintf(out, size, "%.*s", (int)len, c ? c + 1 : s);
	} else if (s && !strcmp(key, "ports")) {
		snprintf(out, size, "%s%s", s, strchr(s, '/') ? "" : "/tcp");
	} else if (s) {
		snprintf(out, size, "%s", s);
	} else if (n->type == YAML_MAPPING_NODE) {
		const char *f[4] = { "", "", "", "" }, *names[] = { "target", "host_ip", "published", "protocol" };
		for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++)
			for (int i = 0; i < 4; i++)
				if (scalar(t, p->key) && !strcmp(scalar(t, p->key), names[i]) && scalar(t, p->value))
					f[i] = scalar(t, p->value);
		if (!strcmp(key, "ports"))
			snprintf(out, size, "%s:%s:%s/%s", f[1], f[2], f[0], *f[3] ? f[3] : "tcp");
		else if (*f[0])
			snprintf(out, size, "%s", f[0]);
		else /* secrets and configs: the target defaults to the source */
			for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++)
				if (scalar(t, p->key) && !strcmp(scalar(t, p->key), "source") && scalar(t, p->value))
					snprintf(out, size, "%s", scalar(t, p->value));
	}
}

/* dst's items then src's: with unique, a src item replaces dst's item of
 * the same identity; else a src scalar already listed is not repeated. */
static int merge_seq(struct mctx *m, int di, int si, const char *key, int unique)
{
	yaml_node_t dn = *NODE(m->d, di), sn = *NODE(m->s, si);
	int nd = (int)(dn.data.sequence.items.top - dn.data.sequence.items.start);
	int ns = (int)(sn.data.sequence.items.top - sn.data.sequence.items.start);
	int *dst = malloc(sizeof(int) * (size_t)(nd + 1)), *used = calloc((size_t)ns + 1, sizeof(int));
	int out = dst && used ? yaml_document_add_sequence(&m->d->doc, dn.tag, dn.data.sequence.style) : 0;
	char a[1024], b[1024];
	if (out)
		memcpy(dst, dn.data.sequence.items.start, sizeof(int) * (size_t)nd);
	for (int i = 0; out && i < nd; i++) {
		int item = dst[i];
		entry_key(m->d, dst[i], key, a, sizeof a);
		for (int j = 0; j < ns && *a; j++) {
			entry_key(m->s, sn.data.sequence.items.start[j], key, b, sizeof b);
			int same = unique ? !strcmp(a, b) : scalar(m->d, dst[i]) && !strcmp(a, b);
			if (same && !used[j]) {
				used[j] = 1;
				item = unique ? copy(m, m->s, sn.data.sequence.items.start[j], 0) : item;
			}
		}
		if (item < 0 || !yaml_document_append_sequence_item(&m->d->doc, out, item))
			out = 0;
	}
	for (int j = 0; out && j < ns; j++) {
		int c = used[j] ? 0 : copy(m, m->s, sn.data.sequence.items.start[j], 0);
		if (c < 0 || (c && !yaml_document_append_sequence_item(&m->d->doc, out, c)))
			out = 0;
	}
	free(dst);
	free(used);
	return out ? mark(m, out, fid_of(m, m->d, di), &dn) : -1;
}

static int merge_value(struct mctx *m, int di, int si, const char *key);

/* Two mappings, both in d (sf: src's side came from src, else it was
 * made in d from src by as_map). */
static int merge_map(struct mctx *m, int di, const struct ytree *st, int si)
{
	yaml_node_t dn = *NODE(m->d, di);
	int out = yaml_document_add_mapping(&m->d->doc, dn.tag, dn.data.mapping.style);
	if (!out || mark(m, out, fid_of(m, m->d, di), &dn) < 0)
		return -1;
	int nd = (int)(dn.data.mapping.pairs.top - dn.data.mapping.pairs.start);
	yaml_node_pair_t *dp = malloc(sizeof *dp * (size_t)(nd + 1));
	if (!dp)
		return -1;
	memcpy(dp, dn.data.mapping.pairs.start, sizeof *dp * (size_t)nd);
	yaml_node_t sn = *NODE(st, si);
	int ns = (int)(sn.data.mapping.pairs.top - sn.data.mapping.pairs.start), rc = out;
	for (int i = 0; rc > 0 && i < nd; i++) {
		const char *k = scalar(m->d, dp[i].key);
		int v = dp[i].value, j = 0;
		while (k && j < ns && !(scalar(st, sn.data.mapping.pairs.start[j].key) &&
					 !strcmp(k, scalar(st, sn.data.mapping.pairs.start[j].key))))
			j++;
		if (k && j < ns) {
			int sv = sn.data.mapping.pairs.start[j].value;
			if (!strcmp(tag_of(st, sv), "!reset"))
				continue;
			v = st == m->d ? sv : merge_value(m, v, sv, k);
		}
		if (v < 0 || !yaml_document_append_mapping_pair(&m->d->doc, out, dp[i].key, v))
			rc = -1;
	}
	for (int j = 0; rc > 0 && j < ns; j++) {
		yaml_node_pair_t p = sn.data.mapping.pairs.start[j];
		const char *k = scalar(st, p.key);
		int i = 0;
		while (k && i < nd && !(scalar(m->d, dp[i].key) && !strcmp(k, scalar(m->d, dp[i].key))))
			i++;
		if ((k && i < nd) || !strcmp(tag_of(st, p.value), "!reset"))
			continue;
		int kc = st == m->d ? p.key : copy(m, st, p.key, 0), vc = st == m->d ? p.value : copy(m, st, p.value, 0);
		if (kc < 0 || vc < 0 || !yaml_document_append_mapping_pair(&m->d->doc, out, kc, vc))
			rc = -1;
	}
	free(dp);
	return rc;
}

/* d's node di overridden by src's node si, found under key. */
static int merge_value(struct mctx *m, int di, int si, const char *key)
{
	yaml_node_type_t dt = NODE(m->d, di)->type, stype = NODE(m->s, si)->type;
	if (!strcmp(tag_of(m->s, si), "!override") || is_one(key, replaced))
		return copy(m, m->s, si, 0);
	if (dt == YAML_MAPPING_NODE && stype == YAML_MAPPING_NODE)
		return merge_map(m, di, m->s, si);
	int kv = is_one(key, kv_keys), names = is_one(key, name_keys);
	int mixed = dt != stype && dt != YAML_SCALAR_NODE && stype != YAML_SCALAR_NODE;
	if (kv || (names && mixed)) {
		int a = as_map(m, m->d, di, kv), b = as_map(m, m->s, si, kv);
		if (a < 0 || b < 0)
			return -1;
		if (NODE(m->d, a)->type == YAML_MAPPING_NODE && NODE(m->d, b)->type == YAML_MAPPING_NODE)
			return merge_map(m, a, m->d, b);
		return b;
	}
	if (dt == YAML_SEQUENCE_NODE && stype == YAML_SEQUENCE_NODE)
		return merge_seq(m, di, si, key ? key : "", is_one(key, unique_keys));
	return copy(m, m->s, si, 0);
}

int ytree_merge(struct ytree *dst, const struct ytree *src, struct lerr *e)
{
	struct mctx m = { dst, src, 0 };
	char **more = realloc(dst->more, sizeof *more * (size_t)(dst->nmore + 1));
	if (!more)
		return lerr_set(e, LX_LOCHS, "%s: out of memory", src->file);
	dst->more = more;
	if (!(more[dst->nmore] = strdup(src->file)))
		return lerr_set(e, LX_LOCHS, "%s: out of memory", src->file);
	m.fid = (unsigned short)++dst->nmore;
	yaml_node_t *sr = ytree_root((struct ytree *)src), *dr = ytree_root(dst);
	if (sr->type != YAML_MAPPING_NODE || dr->type != YAML_MAPPING_NODE)
		return ytree_err(sr->type != YAML_MAPPING_NODE ? src : dst, sr->type != YAML_MAPPING_NODE ? sr : dr, e,
				 "a Compose file is a mapping");
	int r = merge_map(&m, 1, src, 1);
	if (r < 0)
		return lerr_set(e, LX_LOCHS, "%s: out of memory", src->file);
	/* The merged mapping becomes the root (node 1); the old root's
	 * content moves to r, where nothing refers to it. */
	yaml_node_t tmp = *NODE(dst, 1);
	*NODE(dst, 1) = *NODE(dst, r);
	*NODE(dst, r) = tmp;
	unsigned short o = dst->origin[0];
	dst->origin[0] = dst->origin[r - 1], dst->origin[r - 1] = o;
	return 0;
}
