/* Compose Specification variable interpolation ($VAR, ${VAR:-default}, ...)
 * of one string. Pure: values come from the caller's lookup, so the same
 * code serves the process environment, a .env file or tests. */
#pragma once
#include <stddef.h>

/* Looks a variable up: its value, or NULL when unset. */
typedef const char *(*interp_lookup)(const char *name, void *arg);

/* Interpolates text as the Compose Specification says: $VAR and ${VAR};
 * ${VAR:-default} (unset or empty), ${VAR-default} (unset); ${VAR:?err}
 * (unset or empty is an error), ${VAR?err} (unset); ${VAR:+alt} (set and
 * non-empty -> alt), ${VAR+alt} (set -> alt); $$ is a literal $. Defaults,
 * alternatives and error messages are themselves interpolated (nested
 * ${...} inside them), but only when used. An unset variable without a
 * default is "", and a $ not followed by a name, '{' or '$' stays as it is.
 * Returns a malloc'd string, or NULL with why (a short cause like
 * "required variable DB_PASS is missing a value: set it" or "invalid
 * interpolation format for \"${\"") written to why[size]. */
char *interp_string(const char *text, interp_lookup look, void *arg, char *why, size_t size);
