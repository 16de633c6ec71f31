/* Where lochs finds its companion programs (lochs-monitor, bsdulator):
 * the environment variable when set, else next to the running binary. */
#pragma once
#include <stddef.h>

void sibling_path(const char *env, const char *name, char *out, size_t size);
