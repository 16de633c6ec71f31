/* Mount targets as Docker compares and orders them (pure, unit tested). */
#include "volume.h"
#include <stdio.h>
#include <string.h>

/* Go's path.Clean for an absolute path: "." dropped, ".." takes back the
 * component before it (none above "/"), repeated and trailing "/" gone. */
void vol_clean_path(const char *in, char *out, size_t size)
{
	size_t n = 0;
	if (size < 2) {
		if (size)
			out[0] = 0;
		return;
	}
	for (const char *p = in; *p;) {
		while (*p == '/')
			p++;
		const char *end = strchrnul(p, '/');
		size_t len = (size_t)(end - p);
		if (len == 2 && p[0] == '.' && p[1] == '.') {
			while (n > 0 && out[--n] != '/')
				;
		} else if (len && !(len == 1 && p[0] == '.') && n + len + 2 <= size) {
			out[n++] = '/';
			memcpy(out + n, p, len);
			n += len;
		}
		p = end;
	}
	if (n == 0)
		out[n++] = '/';
	out[n] = 0;
}

int vol_path_depth(const char *path)
{
	int d = 0;
	for (const char *p = path; *p; p++)
		if (*p == '/' && p[1] && p[1] != '/')
			d++;
	return d;
}

void vol_mount_order(const char *const *targets, int n, int *order)
{
	for (int i = 0; i < n; i++) { /* insertion sort: stable, and n is small */
		int k = i, d = vol_path_depth(targets[i]);
		while (k > 0 && vol_path_depth(targets[order[k - 1]]) > d) {
			order[k] = order[k - 1];
			k--;
		}
		order[k] = i;
	}
}
