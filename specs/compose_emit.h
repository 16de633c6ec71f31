/* `lochs compose config`: the project as the model holds it, as YAML:
 * interpolated, defaults filled, short forms made long, keys in order. */
#pragma once
#include <stdio.h>
#include "compose.h"

int compose_emit(const struct compose_project *p, FILE *out);
