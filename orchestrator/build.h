/* lochs build: a Lochfile (or Dockerfile) into an image of the store.
 * Each RUN runs in a build jail (the jail ops of lochs run, removed after
 * the step), whose upper directory becomes a layer; COPY and ADD write a
 * layer from the context; the other instructions change the image config.
 * Steps are cached by parent + instruction + inputs (ROOT/buildcache.db).
 * Compose's `build:` calls build_image too. */
#pragma once
#include "cli.h"

struct build_opts {
	const char *context;    /* the build context directory */
	const char *file;       /* NULL: CONTEXT/Lochfile, else CONTEXT/Dockerfile; a relative
				   path is from the current directory (docker build -f), so
				   Compose's `dockerfile:` is joined with the context first;
				   "-" reads it from standard input */
	char **tags;            /* NAME[:TAG] each (NULL-ended; NULL: untagged) */
	char **build_args;      /* KEY=VALUE, or KEY (its value from the environment) */
	char **labels;          /* KEY=VALUE set on the image */
	const char *target;     /* stage name (or index) to stop at; NULL: the last */
	const char *network;    /* RUN's network: NULL = "default" (lochs0, as docker build's bridge) */
	int no_cache, pull, quiet;
	int tty;                /* --progress tty: RUN output folded (plain otherwise) */
};

/* Builds; id_out (may be NULL) gets the image id ("sha256:..."). Progress
 * goes to stdout (nothing with quiet). Nothing is tagged when it fails,
 * and no build jail is left. */
int build_image(struct cli *c, const struct build_opts *o, char id_out[72], struct lerr *e);
