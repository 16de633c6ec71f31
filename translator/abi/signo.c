/* Signal numbers and sets, FreeBSD <-> Linux (signals.md §5).
 * FreeBSD-only signals go to Linux numbers nobody else uses:
 * SIGEMT->SIGSTKFLT(16), SIGINFO->SIGPWR(30), SIGSYS->34 (Linux SIGSYS is
 * the translator's trap), SIGTHR->35, SIGLIBRT->36, RT 65+k -> 37+k. */
#include "xlate.h"

static const unsigned char f2l_low[34] = {
	0, 1, 2, 3, 4, 5, 6, 16, 8, 9, 7, 11, 34, 13, 14, 15, 23,
	19, 20, 18, 17, 21, 22, 29, 24, 25, 26, 27, 28, 30, 10, 12, 35, 36,
};

int sig_f2l(int f)
{
	if (f >= 1 && f <= 33)
		return f2l_low[f];
	if (f >= FSIGRTMIN && f <= FSIGRTMIN + 27)
		return 37 + (f - FSIGRTMIN);
	return 0;
}

int sig_l2f(int l)
{
	if (l >= 37 && l <= 64)
		return FSIGRTMIN + (l - 37);
	for (int f = 1; f <= 33; f++)
		if (f2l_low[f] == l)
			return f;
	return 0; /* Linux SIGSYS (31): the trap, never the guest's */
}

uint64_t sigset_f2l(const fsigset_t *s)
{
	uint64_t m = 0;
	for (int f = 1; f <= FSIG_MAXSIG; f++)
		if (fsig_ismember(s, f)) {
			int l = sig_f2l(f);
			if (l)
				m |= 1ULL << (l - 1);
		}
	return m;
}

void sigset_l2f(uint64_t m, fsigset_t *s)
{
	*s = (fsigset_t){ { 0, 0, 0, 0 } };
	for (int l = 1; l <= 64; l++)
		if (m & (1ULL << (l - 1))) {
			int f = sig_l2f(l);
			if (f)
				fsig_add(s, f);
		}
}

/* FreeBSD default action is "ignore" for these (signals.md §5). */
int fsig_default_ignored(int f)
{
	switch (f) {
	case FSIGURG: case FSIGCONT: case FSIGCHLD: case FSIGIO:
	case FSIGWINCH: case FSIGINFO: case FSIGTHR: case FSIGLIBRT:
		return 1;
	}
	return 0;
}
