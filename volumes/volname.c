/* Volume name validation (pure, unit tested). */
#include "volume.h"
#include <ctype.h>
#include <string.h>

int volume_name_valid(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	if (n < 2 || n > 255 || !isalnum((unsigned char)name[0]))
		return 0;
	for (size_t i = 1; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && !strchr("_.-", name[i]))
			return 0;
	return 1;
}
