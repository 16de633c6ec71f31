/* Making a release variant's layer from base.txz (see release.h). */
#pragma once
#include "release.h"
#include "../common/err.h"

/* Writes out (gzip'ed tar) with the entries of txz that variant v keeps. */
int release_variant_layer(const char *txz, const char *out, enum release_variant v, struct lerr *e);
