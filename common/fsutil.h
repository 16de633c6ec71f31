/* Small file-system helpers shared by the store, the volumes and the
 * monitor. All return 0 or -1 with errno set. */
#pragma once
#include <stddef.h>

int mkdir_p(const char *path, unsigned mode);
/* Removes a tree without following symlinks or crossing into other mounts
 * (a bind mount left under a jail directory is never emptied). */
int rm_rf(const char *path);
/* The whole file, NUL-terminated, malloc'ed; *len gets its size. */
char *read_file(const char *path, size_t *len);
/* Writes path.tmp, fsyncs, renames over path: readers see old or new. */
int write_file_atomic(const char *path, const void *data, size_t len, unsigned mode);
/* The same without the fsync, for files made again when a crash left them
 * unreadable (a jail's config.json): readers still see old or new. */
int write_file_replace(const char *path, const void *data, size_t len, unsigned mode);
