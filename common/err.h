/* Errors are values passed up with their context (crun's error.c idea):
 * a library function fills a struct lerr and returns -1; only the CLI
 * prints the one-line message and picks the exit status. */
#pragma once
#include <stdarg.h>

/* Exit statuses, as Docker's: 125 the runtime failed, 126 the program
 * cannot be run, 127 it was not found. */
enum { LX_LOCHS = 125, LX_CANNOT_RUN = 126, LX_NOT_FOUND = 127, LX_USAGE = 2 };

struct lerr {
	int code;       /* exit status to report (LX_*) */
	char msg[1024]; /* one line, no trailing newline */
};

/* Sets e (when not NULL) from a printf format; returns -1. */
int lerr_set(struct lerr *e, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Same, appending ": strerror(errno)". */
int lerr_sys(struct lerr *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A command's bad flag or argument (Docker exits 125 for those):
 * "COMMAND: MESSAGE (see 'lochs COMMAND --help')". */
int lerr_usage(struct lerr *e, const char *cmd, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Prefixes the message already in e with "context: ". */
int lerr_wrap(struct lerr *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
