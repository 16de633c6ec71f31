#include "progress.h"
#include <stdio.h>

int progress_bar(const char *label, long long now, long long total, int *last)
{
	if (total <= 0)
		return 0;
	int pct = (int)(now * 100 / total);
	if (pct > 100)
		pct = 100;
	if (pct == *last)
		return 0;
	*last = pct;
	int w = pct * 30 / 100;
	printf("\r%-12s [%.*s%*s] %6.1f/%.1f MB %3d%%", label, w, "==============================", 30 - w, "",
	       now / 1e6, total / 1e6, pct);
	fflush(stdout);
	return 1;
}
