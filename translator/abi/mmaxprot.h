/* PROT_MAX bounds of mapped ranges (mmaxprot.c). Ranges are page-aligned
 * [lo, hi); protections are PROT_READ 1 | PROT_WRITE 2 | PROT_EXEC 4. */
#pragma once
#include <stdint.h>

#define MAXPROT_ALL 7
/* The range is unmapped or mapped anew (its bound, if any, goes). */
void maxprot_forget(uint64_t lo, uint64_t hi);
/* 1 if every part of the range allows prot. */
int maxprot_allows(uint64_t lo, uint64_t hi, int prot);
/* The range's bound becomes max; 0, or -ENOMEM when it cannot be kept. */
long maxprot_set(uint64_t lo, uint64_t hi, int max);
