/* Resolver for the lazy-library stubs (mk/lazylibs.sh, lazyload.S). */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

extern const char *const lazy_sonames[], *const lazy_names[];
extern const unsigned char lazy_libs[];
extern void *lazy_slots[];

void *lazy_resolve(long n);

void *lazy_resolve(long n)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static void *handles[8];
	pthread_mutex_lock(&lock);
	unsigned li = lazy_libs[n];
	if (!handles[li])
		handles[li] = dlopen(lazy_sonames[li], RTLD_NOW | RTLD_GLOBAL);
	void *f = handles[li] ? dlsym(handles[li], lazy_names[n]) : NULL;
	if (!f) {
		/* A broken installation; nothing sensible can go on. */
		fprintf(stderr, "lochs: cannot load %s from %s: %s\n", lazy_names[n], lazy_sonames[li], dlerror());
		exit(125);
	}
	__atomic_store_n(&lazy_slots[n], f, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&lock);
	return f;
}
