/* Copying host files into a jail (cmd_cp.c), shared by `lochs cp` and
 * watch mode's develop.watch sync. */
#pragma once
#include "cli.h"

/* src (a host file or directory; SRC/. its contents) to dst in the jail
 * ref: into dst when it is a directory, else as dst, making the missing
 * parents. A running jail is written through its mounted root, a stopped
 * one in its upper dir. follow: follow a symlink src; archive: keep
 * owners (else the files become root's). */
int jail_copy_in(struct cli *c, const char *src, const char *ref, const char *dst, int follow, int archive,
		 struct lerr *e);
