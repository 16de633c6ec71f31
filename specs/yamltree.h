/* A YAML file as libyaml's document tree, with the file name kept so that
 * every complaint about a node says FILE:LINE:COLUMN (1-based). Aliases
 * are resolved by libyaml (they point at the anchored node). */
#pragma once
#include <stdarg.h>
#include <yaml.h>
#include "../common/err.h"

struct ytree {
	yaml_document_t doc;
	int loaded;
	char file[1024];
	/* Nodes merged in from other files (-f A -f B): origin[i] is node i's
	 * file, 0 for `file`, k for more[k-1]; nodes past norigin are file's. */
	char **more;
	int nmore;
	unsigned short *origin;
	size_t norigin;
};

/* Loads the first document of path (an empty file is an empty mapping). */
int ytree_load(const char *path, struct ytree *t, struct lerr *e);
/* The same from text, named `name` in messages. */
int ytree_load_text(const char *name, const char *text, size_t len, struct ytree *t, struct lerr *e);
void ytree_free(struct ytree *t);

yaml_node_t *ytree_root(struct ytree *t);
/* A child node by libyaml's index (pairs and items hold indices). */
yaml_node_t *ytree_at(struct ytree *t, int index);
/* The text of a scalar node; NULL for others. */
const char *ytree_scalar(const yaml_node_t *n);
/* A plain (unquoted) scalar: null, ~ and the empty value mean "no value". */
int ytree_is_null(const yaml_node_t *n);
/* The value of key in a mapping node, NULL when absent. */
yaml_node_t *ytree_get(struct ytree *t, const yaml_node_t *map, const char *key);
/* The file node n came from. */
const char *ytree_file(const struct ytree *t, const yaml_node_t *n);
/* Sets e to "FILE:LINE:COL: MESSAGE" for node n and returns -1. */
int ytree_err(const struct ytree *t, const yaml_node_t *n, struct lerr *e, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
