/* NULL-terminated string lists, as the spec model keeps them. */
#pragma once
#include <stddef.h>

/* Appends a copy of s; 0, or -1 when out of memory. */
int strv_push(char ***v, const char *s);
size_t strv_len(char *const *v);
void strv_free(char **v);
