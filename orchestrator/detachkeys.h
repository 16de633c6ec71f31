/* Docker's detach keys: the byte sequence that, typed into an attached
 * terminal (attach, run -it, start -ai, exec -it), detaches the client and
 * leaves the jail running. Spelled as Docker spells it, comma-separated:
 * "ctrl-p,ctrl-q" (the default), ctrl-a..ctrl-z, ctrl-@ ctrl-[ ctrl-\
 * ctrl-] ctrl-^ ctrl-_, or a single character. */
#pragma once
#include <stddef.h>
#include "cli.h"

#define DETACH_KEYS_DEFAULT "ctrl-p,ctrl-q"
#define DETACH_KEYS_MAX 16

struct detach_keys {
	unsigned char seq[DETACH_KEYS_MAX];
	int len;     /* of seq */
	int matched; /* bytes of seq typed so far, held back from the jail */
};

/* Parses spec; -1 with e set ("invalid detach keys 'x': ...") when bad. */
int detach_keys_parse(const char *spec, struct detach_keys *k, struct lerr *e);
/* The keys to use: flag (--detach-keys) when not NULL, else "detachKeys"
 * of the configuration file (config.h), else the default. */
int detach_keys_resolve(const struct cli *c, const char *flag, struct detach_keys *k, struct lerr *e);
/* Filters n typed bytes: what goes to the jail is copied to out (room for
 * n + DETACH_KEYS_MAX), its length to *outn. A prefix of the sequence is
 * held back until the next byte tells whether it goes on; returns 1 when
 * the whole sequence was typed (the bytes after it are dropped). */
int detach_keys_filter(struct detach_keys *k, const char *in, size_t n, char *out, size_t *outn);
/* At the end of input: the bytes held back (into out, room for
 * DETACH_KEYS_MAX), which go to the jail after all; their count. k may be NULL. */
size_t detach_keys_held(struct detach_keys *k, char *out);
