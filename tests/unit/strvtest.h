/* NULL-terminated string lists in the specs unit tests: membership and
 * length. */
#pragma once
#include <string.h>

static inline int has(char **v, const char *s)
{
	for (; v && *v; v++)
		if (!strcmp(*v, s))
			return 1;
	return 0;
}

static inline size_t count(char **v)
{
	size_t n = 0;
	while (v && v[n])
		n++;
	return n;
}
