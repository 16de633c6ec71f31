/* The default subnet pool; see pool.h. */
#include "pool.h"
#include <sys/socket.h>

int np_pool_pick(const struct np_cidr *used, size_t n, struct np_cidr *out)
{
	struct np_cidr pool;
	np_cidr_parse(NP_POOL, &pool, NULL);
	uint32_t base = np_v4(&pool), count = 1u << (NP_POOL_PREFIX - pool.prefix);
	for (uint32_t i = 0; i < count; i++) {
		np_v4_set(out, base + (i << (32 - NP_POOL_PREFIX)), NP_POOL_PREFIX);
		size_t j = 0;
		/* A host default route (prefix 0) would overlap everything;
		 * callers leave it out. */
		while (j < n && !(used[j].family == AF_INET && np_cidr_overlap(out, &used[j])))
			j++;
		if (j == n)
			return 0;
	}
	return -1;
}
