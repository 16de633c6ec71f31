/* Page allocation and a small size-class heap for translator objects.
 * Freed blocks go back to a per-class free list; nothing is unmapped, which
 * keeps the allocator safe to use from signal handlers under a lock. */
#include "rt.h"
#include <linux/mman.h>

void *rt_pages(size_t size)
{
	long r = lsys6(__NR_mmap, 0, (long)ALIGN_UP(size, PAGE_SIZE), PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return lerr(r) ? NULL : (void *)r;
}

void rt_pages_free(void *p, size_t size)
{
	if (p)
		lsys2(__NR_munmap, p, ALIGN_UP(size, PAGE_SIZE));
}

/* Classes 16 B .. 64 KiB; larger requests get their own pages. */
#define NCLASS 13
struct hdr {
	size_t size; /* class size, or page-rounded size for big blocks */
	struct hdr *next;
};
static struct hdr *free_list[NCLASS];
static rt_lock_t heap_lock;

static int class_of(size_t n)
{
	for (int c = 0; c < NCLASS; c++)
		if (n <= (16UL << c))
			return c;
	return -1;
}

void *rt_malloc(size_t n)
{
	int c = class_of(n);
	if (c < 0) {
		size_t total = ALIGN_UP(n + 16, PAGE_SIZE);
		struct hdr *h = rt_pages(total);
		if (!h)
			return NULL;
		h->size = total;
		return (char *)h + 16;
	}
	size_t csz = 16UL << c;
	rt_lock(&heap_lock);
	struct hdr *h = free_list[c];
	if (!h) {
		size_t chunk = csz + 16 < 64 * 1024 ? 64 * 1024 : csz + 16;
		char *p = rt_pages(chunk);
		if (!p) {
			rt_unlock(&heap_lock);
			return NULL;
		}
		for (size_t off = 0; off + csz + 16 <= chunk; off += csz + 16) {
			struct hdr *b = (struct hdr *)(p + off);
			b->size = csz;
			b->next = free_list[c];
			free_list[c] = b;
		}
		h = free_list[c];
	}
	free_list[c] = h->next;
	rt_unlock(&heap_lock);
	return (char *)h + 16;
}

void *rt_calloc(size_t n, size_t size)
{
	void *p = rt_malloc(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

void rt_free(void *p)
{
	if (!p)
		return;
	struct hdr *h = (struct hdr *)((char *)p - 16);
	int c = class_of(h->size);
	if (c < 0 || (16UL << c) != h->size) {
		rt_pages_free(h, h->size);
		return;
	}
	rt_lock(&heap_lock);
	h->next = free_list[c];
	free_list[c] = h;
	rt_unlock(&heap_lock);
}

/* fork(2) copies only the calling thread: hold the heap lock across it so
 * the child never inherits it locked by a thread that no longer exists. */
void rt_heap_prefork(void) { rt_lock(&heap_lock); }
void rt_heap_postfork(int child)
{
	if (child)
		heap_lock.v = 0;
	else
		rt_unlock(&heap_lock);
}
