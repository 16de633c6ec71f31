/* Compose .env and env_file contents: KEY=VALUE lines read into a small
 * ordered table. Values come back as written (quotes and escapes undone);
 * interpolating them is the caller's business (see interp.h). */
#pragma once
#include <stddef.h>

struct dotenv {
	char **keys, **values; /* n of each, in first-seen order */
	int n;
};

/* Parses KEY=VALUE lines of text: blank lines and lines starting with #
 * are skipped; an optional leading "export "; whitespace around KEY and
 * around an unquoted VALUE is trimmed; an unquoted VALUE ends at " #" (an
 * inline comment); 'single quoted' values are literal; "double quoted"
 * values understand \n, \t, \r, \\ and \"; both quoted forms may span
 * lines and may be followed only by blanks or a # comment. A line without
 * '=' is an error. On error returns -1 (errno EINVAL, or ENOMEM) with
 * *line set to the 1-based line number, why[size] the cause (e.g. "no '='
 * in \"FOO\"", "unterminated quoted value") and *out empty. Later keys
 * override earlier ones. 0 on success, *line = 0. */
int dotenv_parse(const char *text, struct dotenv *out, int *line, char *why, size_t size);

/* Reads and parses a file; a missing file is -1 with errno ENOENT kept and
 * *line = 0 (callers decide whether that is an error). */
int dotenv_read(const char *path, struct dotenv *out, int *line, char *why, size_t size);

const char *dotenv_get(const struct dotenv *d, const char *key); /* NULL when absent */
void dotenv_free(struct dotenv *d);
