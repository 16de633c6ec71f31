/* The fields that differ between two jail specs, for plan's recreate
 * lines. Pure (jansson only). */
#pragma once
#include <jansson.h>
#include <stddef.h>

/* Writes `environment.FOO "a" -> "b", image "x" -> "y"` (fields by their
 * Compose names, KEY=VALUE lists per key, "(unset)" for a missing side;
 * the jail's name, project and service left out) to out, "..." when cut;
 * returns the number of differing fields. */
int spec_diff(const json_t *old, const json_t *now, char *out, size_t size);
