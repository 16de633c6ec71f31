/* Minimal freestanding runtime: memory and string helpers, formatted
 * output, page allocation and a futex lock. Nothing here touches %fs,
 * which belongs to the FreeBSD guest. */
#pragma once
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include "sys.h"

void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
/* Copies at most size-1 bytes, always terminates; returns strlen(src). */
size_t rt_strlcpy(char *dst, const char *src, size_t size);
int rt_startswith(const char *s, const char *prefix);

/* printf subset: %s %c %d %i %u %x %p with l/ll/z modifiers and width/0-pad. */
int rt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int rt_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void rt_dprintf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints "bsdulator: <msg>\n" to stderr. */
void rt_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void rt_die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
_Noreturn void rt_exit_group(int code);

/* Anonymous private pages; NULL on failure. */
void *rt_pages(size_t size);
void rt_pages_free(void *p, size_t size);
/* Small-object heap (thread-safe, never returned to the kernel). */
void *rt_malloc(size_t size);
void *rt_calloc(size_t n, size_t size);
void rt_free(void *p);
void rt_heap_prefork(void);
void rt_heap_postfork(int child);

/* Futex mutex; zero-initialised is unlocked. Not recursive. A lock found
 * held by another process (taken in the parent, inherited by fork) is
 * released: its owner thread does not exist in the child. */
typedef struct { volatile int v; int pid; } rt_lock_t;
void rt_lock(rt_lock_t *l);
void rt_unlock(rt_lock_t *l);
/* Our process id, kept current across fork for the rule above. */
extern int rt_pid;

/* Debug log, enabled by BSDULATOR_DEBUG=1. */
extern int rt_debug;
#define DEBUG(...) do { if (rt_debug) rt_dprintf(2, "bsdulator[debug]: " __VA_ARGS__); } while (0)

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define PAGE_SIZE 4096UL
