/* Image references as Docker spells them: "NAME[:TAG]" where NAME may
 * start with a registry host[:port]/ and the tag defaults to "latest".
 * Pure string functions (unit-tested). */
#pragma once
#include <stddef.h>

/* Writes "name:tag" to out; -1 with *why set when ref is not a valid
 * reference (empty, upper case in the name, bad tag characters). */
int ref_normalize(const char *ref, char *out, size_t size, const char **why);
/* Splits a normalized "name:tag" into its repository and tag. */
void ref_split(const char *norm, char *repo, size_t rsize, char *tag, size_t tsize);
/* When s is an image id or id prefix ("sha256:" optional, 4 to 64
 * lower-case hex digits) returns the hex part, else NULL. */
const char *ref_id_prefix(const char *s);
