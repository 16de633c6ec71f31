/* The progress bar of downloads and uploads on a terminal (pull, push):
 * "\rLABEL [=====     ] 12.3/45.6 MB  27%", redrawn only when the
 * percentage changes. */
#pragma once

/* *last is the percentage last drawn (start at -1); returns 1 when drawn. */
int progress_bar(const char *label, long long now, long long total, int *last);
