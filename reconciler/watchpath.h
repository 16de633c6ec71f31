/* develop.watch paths (pure, tested without a jail): whether a changed
 * host path falls under a rule's path and is not ignored, and where it
 * goes in the jail. Ignore patterns are .dockerignore-like, relative to
 * the rule's path: `*.tmp`, `build/`, `node_modules`; a pattern without a
 * slash matches a name at any depth, one with a slash the path from the
 * rule's root; a matched directory ignores everything under it. */
#pragma once
#include <stddef.h>

/* 1 when changed (absolute, normalised) is root or under it, and no
 * pattern of ignore (NULL-terminated, may be NULL) matches; rel gets the
 * part after root ("" for root itself). */
int watch_path_match(const char *root, char *const *ignore, const char *changed, char *rel, size_t size);
/* The path in the jail: target, then /rel when rel is not empty. */
void watch_path_target(const char *target, const char *rel, char *out, size_t size);
