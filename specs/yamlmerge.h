/* Several Compose files (-f A -f B) into one YAML tree, by the Compose
 * Specification's merge rules, before the tree is read into the model.
 * Nodes keep their line, column and file, so errors still name the file a
 * value came from. */
#pragma once
#include "yamltree.h"

/* Merges src's root into dst's root: mappings key by key (src wins);
 * sequences appended, except command, entrypoint and healthcheck test
 * (replaced), ports, volumes, secrets and configs (an entry with the same
 * target or port replaces the earlier one), environment, labels and build
 * args (list or mapping, merged by variable), depends_on and networks
 * (names or mappings); a value tagged !reset is dropped, !override replaces.
 * dst's earlier nodes are never changed in place (an anchor may share
 * them). 0, or -1 with e (out of memory). */
int ytree_merge(struct ytree *dst, const struct ytree *src, struct lerr *e);
