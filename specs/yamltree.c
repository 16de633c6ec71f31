/* See yamltree.h. */
#include "yamltree.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_error(const yaml_parser_t *p, const char *name, struct lerr *e)
{
	const yaml_mark_t *m = p->problem ? &p->problem_mark : &p->context_mark;
	return lerr_set(e, LX_LOCHS, "%s:%zu:%zu: %s%s%s", name, m->line + 1, m->column + 1,
			p->problem ? p->problem : "invalid YAML", p->context ? " " : "", p->context ? p->context : "");
}

static int has_key(struct ytree *t, yaml_node_t *map, const char *key)
{
	return ytree_get(t, map, key) != NULL;
}

static int is_merge(struct ytree *t, int key)
{
	yaml_node_t *k = ytree_at(t, key);
	return k && k->type == YAML_SCALAR_NODE && k->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	       !strcmp((char *)k->data.scalar.value, "<<");
}

/* A mapping's "<<" source(s) still carrying a "<<" of their own. */
static int sources_pending(struct ytree *t, yaml_node_t *src)
{
	if (src->type == YAML_MAPPING_NODE)
		for (yaml_node_pair_t *q = src->data.mapping.pairs.start; q < src->data.mapping.pairs.top; q++)
			if (is_merge(t, q->key))
				return 1;
	if (src->type == YAML_SEQUENCE_NODE)
		for (yaml_node_item_t *i = src->data.sequence.items.start; i < src->data.sequence.items.top; i++)
			if (sources_pending(t, ytree_at(t, *i)))
				return 1;
	return 0;
}

static void merge_from(struct ytree *t, int target, yaml_node_t *src)
{
	if (src->type == YAML_SEQUENCE_NODE) {
		for (int i = 0; i < (int)(src->data.sequence.items.top - src->data.sequence.items.start); i++)
			merge_from(t, target, ytree_at(t, src->data.sequence.items.start[i]));
		return;
	}
	if (src->type != YAML_MAPPING_NODE)
		return;
	for (int i = 0; i < (int)(src->data.mapping.pairs.top - src->data.mapping.pairs.start); i++) {
		yaml_node_pair_t q = src->data.mapping.pairs.start[i];
		const char *k = ytree_scalar(ytree_at(t, q.key));
		if (k && !is_merge(t, q.key) && !has_key(t, ytree_at(t, target), k))
			yaml_document_append_mapping_pair(&t->doc, target, q.key, q.value);
	}
}

/* YAML 1.1 merge keys ("<<: *anchor", common in compose files with x-
 * blocks): the mapping gets the keys it lacks, innermost merges first. */
static void merge_keys(struct ytree *t)
{
	for (int pass = 0, again = 1; again && pass < 16; pass++) {
		again = 0;
		int n = (int)(t->doc.nodes.top - t->doc.nodes.start);
		for (int idx = 1; idx <= n; idx++) {
			yaml_node_t *m = ytree_at(t, idx);
			for (int i = 0; m->type == YAML_MAPPING_NODE && i < (int)(m->data.mapping.pairs.top - m->data.mapping.pairs.start); i++) {
				yaml_node_pair_t q = m->data.mapping.pairs.start[i];
				if (!is_merge(t, q.key))
					continue;
				yaml_node_t *src = ytree_at(t, q.value);
				if (sources_pending(t, src)) {
					again = 1;
					continue;
				}
				/* Drop the "<<" pair, then append what it brings. */
				memmove(m->data.mapping.pairs.start + i, m->data.mapping.pairs.start + i + 1,
					(size_t)(m->data.mapping.pairs.top - m->data.mapping.pairs.start - i - 1) * sizeof q);
				m->data.mapping.pairs.top--;
				merge_from(t, idx, src);
				m = ytree_at(t, idx);
				i--;
			}
		}
	}
}

static int load(yaml_parser_t *p, const char *name, struct ytree *t, struct lerr *e)
{
	memset(t, 0, sizeof *t);
	snprintf(t->file, sizeof t->file, "%s", name);
	if (!yaml_parser_load(p, &t->doc)) {
		int rc = parse_error(p, name, e);
		yaml_parser_delete(p);
		return rc;
	}
	yaml_parser_delete(p);
	t->loaded = 1;
	/* An empty file has no root: the same as an empty mapping. */
	if (!yaml_document_get_root_node(&t->doc)) {
		yaml_document_delete(&t->doc);
		yaml_document_initialize(&t->doc, NULL, NULL, NULL, 1, 1);
		yaml_document_add_mapping(&t->doc, NULL, YAML_BLOCK_MAPPING_STYLE);
	}
	merge_keys(t);
	return 0;
}

int ytree_load_text(const char *name, const char *text, size_t len, struct ytree *t, struct lerr *e)
{
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p))
		return lerr_set(e, LX_LOCHS, "%s: out of memory", name);
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	return load(&p, name, t, e);
}

int ytree_load(const char *path, struct ytree *t, struct lerr *e)
{
	memset(t, 0, sizeof *t); /* ytree_free is safe after a failure */
	FILE *f = fopen(path, "rb");
	if (!f)
		return lerr_set(e, LX_LOCHS, "%s: %s", path, strerror(errno));
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p)) {
		fclose(f);
		return lerr_set(e, LX_LOCHS, "%s: out of memory", path);
	}
	yaml_parser_set_input_file(&p, f);
	int rc = load(&p, path, t, e);
	fclose(f);
	return rc;
}

void ytree_free(struct ytree *t)
{
	if (t->loaded)
		yaml_document_delete(&t->doc);
	t->loaded = 0;
	for (int i = 0; i < t->nmore; i++)
		free(t->more[i]);
	free(t->more);
	free(t->origin);
	t->more = NULL, t->origin = NULL, t->nmore = 0, t->norigin = 0;
}

const char *ytree_file(const struct ytree *t, const yaml_node_t *n)
{
	size_t i = n && n >= t->doc.nodes.start && n < t->doc.nodes.top ? (size_t)(n - t->doc.nodes.start) : (size_t)-1;
	int o = i < t->norigin ? t->origin[i] : 0;
	return o > 0 && o <= t->nmore ? t->more[o - 1] : t->file;
}

yaml_node_t *ytree_root(struct ytree *t)
{
	return yaml_document_get_root_node(&t->doc);
}

yaml_node_t *ytree_at(struct ytree *t, int index)
{
	return yaml_document_get_node(&t->doc, index);
}

const char *ytree_scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

int ytree_is_null(const yaml_node_t *n)
{
	const char *s = ytree_scalar(n);
	if (!n)
		return 1;
	if (!s || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") || !strcmp(s, "NULL");
}

yaml_node_t *ytree_get(struct ytree *t, const yaml_node_t *map, const char *key)
{
	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		const char *k = ytree_scalar(ytree_at(t, p->key));
		if (k && !strcmp(k, key))
			return ytree_at(t, p->value);
	}
	return NULL;
}

int ytree_err(const struct ytree *t, const yaml_node_t *n, struct lerr *e, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (!n)
		return lerr_set(e, LX_LOCHS, "%s: %s", t->file, msg);
	return lerr_set(e, LX_LOCHS, "%s:%zu:%zu: %s", ytree_file(t, n), n->start_mark.line + 1, n->start_mark.column + 1, msg);
}
