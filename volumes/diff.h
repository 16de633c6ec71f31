/* lochs diff: the changes a jail made, read from its overlayfs upper dir
 * against the image layers below it. */
#pragma once
#include "../common/err.h"

struct change {
	char kind;  /* 'A' added, 'C' changed (exists below), 'D' deleted */
	char *path; /* "/etc/motd" */
};

/* The changes of upper over lowers (top first), sorted by path. */
int diff_changes(const char *upper, const char *const *lowers, int nlowers, struct change **out, int *n, struct lerr *e);
void diff_free(struct change *v, int n);
