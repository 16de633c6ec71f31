/* See shellwords.h. */
#include "shellwords.h"
#include "strv.h"
#include <stdlib.h>
#include <string.h>

char **shell_words(const char *s)
{
	char **v = NULL, *w = malloc(strlen(s) + 1);
	size_t n = 0;
	int in_word = 0;
	if (!w || strv_push(&v, "") < 0) /* an empty command is an empty list */
		goto fail;
	free(v[0]);
	v[0] = NULL;
	for (const char *p = s;; p++) {
		if (!*p || *p == ' ' || *p == '\t' || *p == '\n') {
			if (in_word) {
				w[n] = 0;
				if (strv_push(&v, w) < 0)
					goto fail;
				n = 0, in_word = 0;
			}
			if (!*p)
				break;
			continue;
		}
		in_word = 1;
		if (*p == '\'') {
			const char *end = strchr(p + 1, '\'');
			if (!end)
				goto fail;
			memcpy(w + n, p + 1, (size_t)(end - p - 1));
			n += (size_t)(end - p - 1);
			p = end;
		} else if (*p == '"') {
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1] && strchr("\"\\$`\n", p[1]))
					p++;
				w[n++] = *p;
			}
			if (!*p)
				goto fail;
		} else if (*p == '\\' && p[1]) {
			w[n++] = *++p;
		} else {
			w[n++] = *p;
		}
	}
	free(w);
	return v;
fail:
	free(w);
	strv_free(v);
	return NULL;
}
