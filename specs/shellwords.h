/* A Compose string command ("sh -c 'echo hi'") split into words as a
 * POSIX shell would, without expansions: quotes and backslashes only. */
#pragma once

/* NULL-terminated words, malloc'd; NULL for an unterminated quote. */
char **shell_words(const char *s);
