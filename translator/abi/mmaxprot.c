/* PROT_MAX (FreeBSD 13+): every map entry has a maximum protection
 * (vm_map_entry max_protection). mmap sets it (PROT_MAX(p), or all of
 * PROT_READ|WRITE|EXEC without one), mprotect with a PROT_MAX lowers it,
 * and mprotect beyond it fails with EACCES (vm_map_protect's
 * KERN_PROTECTION_FAILURE). Linux keeps no such bound, so the ranges that
 * have one are kept here; a range not listed has the full maximum. munmap
 * and any new mapping forget the range they cover. */
#include "../rt/rt.h"
#include "mmaxprot.h"

#define NRANGE 1024
static struct range {
	uint64_t lo, hi;
	int max;
} tab[NRANGE];
static int ntab;
static rt_lock_t lk;

/* Removes [lo, hi) from the table, splitting entries; 0, or -1 when a split
 * finds the table full (nothing changed then). Called with lk held. */
static int forget(uint64_t lo, uint64_t hi)
{
	for (int i = 0; i < ntab; i++) {
		struct range *r = &tab[i];
		if (r->hi <= lo || r->lo >= hi)
			continue;
		if (r->lo < lo && r->hi > hi) { /* a hole in the middle: split */
			if (ntab == NRANGE)
				return -1;
			tab[ntab++] = (struct range){ hi, r->hi, r->max };
			r->hi = lo;
		} else if (r->lo < lo) {
			r->hi = lo;
		} else if (r->hi > hi) {
			r->lo = hi;
		} else {
			tab[i--] = tab[--ntab];
		}
	}
	return 0;
}

void maxprot_forget(uint64_t lo, uint64_t hi)
{
	if (!__atomic_load_n(&ntab, __ATOMIC_RELAXED))
		return;
	rt_lock(&lk);
	if (forget(lo, hi) < 0)
		ntab = 0; /* cannot happen for an unmap of whole entries; stay safe */
	rt_unlock(&lk);
}

int maxprot_allows(uint64_t lo, uint64_t hi, int prot)
{
	if (!__atomic_load_n(&ntab, __ATOMIC_RELAXED))
		return 1;
	int ok = 1;
	rt_lock(&lk);
	for (int i = 0; i < ntab && ok; i++)
		if (tab[i].lo < hi && tab[i].hi > lo && (prot & tab[i].max) != prot)
			ok = 0;
	rt_unlock(&lk);
	return ok;
}

long maxprot_set(uint64_t lo, uint64_t hi, int max)
{
	long e = 0;
	rt_lock(&lk);
	if (forget(lo, hi) < 0 || (max != MAXPROT_ALL && ntab == NRANGE))
		e = -12; /* ENOMEM: no room to remember the bound */
	else if (max != MAXPROT_ALL)
		tab[ntab++] = (struct range){ lo, hi, max };
	rt_unlock(&lk);
	return e;
}
