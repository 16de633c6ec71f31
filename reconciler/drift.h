/* Drift that watch mode heals between file changes (pure, tested without
 * a jail): a wanted jail removed behind Lochs' back, one whose
 * configuration or image changed (a tag moved: the hash pins the image
 * id), and one that died with its monitor gone while its restart policy
 * says it should run. A jail whose monitor lives is the monitor's to
 * restart (with its back-off); one the user stopped stays stopped. */
#pragma once
#include "reconciler.h"
#include <stddef.h>

/* ends[h]: how have[h] ended (read only where it is not running). 1 with
 * why set ("NAME: ...") at the first drift, else 0. */
int reconcile_drift(const struct desired *want, int nwant, const struct observed_jail *have, int nhave,
		    const struct jail_end *ends, char *why, size_t size);
