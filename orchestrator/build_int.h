/* The builder's parts (build.h is the interface): the state of a stage,
 * the step runners and the layer writer they share. */
#pragma once
#include "build.h"
#include "imagestore.h"
#include "../specs/lochfile.h"
#include "../volumes/lview.h"
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>

struct blayer {
	char digest[72], diff_id[72];
	char media[80];
	long long size;
};

/* One stage as the build goes: the image config and layers so far. */
struct bstage {
	const char *name;         /* AS name, or NULL */
	json_t *cfg;              /* the whole OCI image config (config, history, ...) */
	struct blayer layers[IMAGE_MAX_LAYERS];
	int nlayers;
	char key[65];             /* cache chain: the previous step's key */
	char **args;              /* ARGs declared in this stage: "K=V" (K alone: unset) */
	char created[40];         /* of the last step (from the cache when reused) */
	int cmd_set;              /* a CMD in this stage (ENTRYPOINT keeps it) */
	int built;
};

struct bctx {
	struct cli *c;
	const struct build_opts *o;
	char file[4096];          /* the Lochfile as named in errors */
	char ctxdir[4096];
	struct lochfile lf;
	char **globals;           /* ARGs before the first FROM: "K=V" / "K" */
	char **ignore;            /* .lochignore patterns */
	struct bstage *st;
	int nst;
	sqlite3 *cache;
	int step, nsteps;
	FILE *out;                /* progress: stdout, or /dev/null with -q */
};

/* "FILE:LINE: INSTRUCTION: " + the cause; returns -1. */
int bfail(struct bctx *b, const struct lf_inst *in, struct lerr *e, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Expands a raw word with the stage's environment and ARGs; NULL with e set. */
char *bexpand(struct bctx *b, struct bstage *s, const struct lf_inst *in, const char *word, struct lerr *e);
/* The same substitution in free text (quotes and escapes stay as they are). */
char *bsubst(struct bctx *b, struct bstage *s, const struct lf_inst *in, const char *text, struct lerr *e);
/* The value of a --build-arg / ARG in scope, or NULL. */
const char *barg(struct bctx *b, struct bstage *s, const char *name);

/* The argv of an exec form, or SHELL (default /bin/sh -c) + the shell form. */
json_t *build_argv(struct bstage *s, const struct lf_inst *in);
/* Lexically cleaned absolute path, ".." stopping at the root, as in the
 * jail: "/a/./b/../c/" -> "/a/c", "/../x" -> "/x". */
void build_clean_abs(const char *in, char *out, size_t size);
/* Metadata instructions (ENV, LABEL, CMD, ...): the config changes. */
int build_meta(struct bctx *b, struct bstage *s, const struct lf_inst *in, struct lerr *e);
/* WORKDIR's directory, when the stage has none yet: a layer making it. */
int build_workdir(struct bctx *b, struct bstage *s, const struct lf_inst *in, struct blayer *layer, int *empty,
		  struct lerr *e);
/* SIGINT/SIGTERM/SIGHUP stop the build cleanly while on (1), as before
 * after (0); build_stopped is -1 with e set (exit 128+N) once one came. */
void build_signals(int on);
int build_stopped(struct lerr *e);
/* Removes build jails whose lochs build is gone (killed mid-step). */
void build_sweep(struct bctx *b);
/* An image by reference: from the store, else (or with force) pulled.
 * NAME@sha256:D names manifest D, or index D's freebsd/amd64 manifest:
 * taken from the store when there, whatever the name and force, else
 * pulled and checked against D (build_from.c). */
struct image;
int build_image_ref(struct bctx *b, const char *ref, int force, struct image *img, struct lerr *e);
/* lochs pull REF (its output muted with -q). */
int build_pull(struct bctx *b, const char *ref, struct lerr *e);
/* RUN: in a build jail; *layer gets the layer of its changes. */
int build_run(struct bctx *b, struct bstage *s, const struct lf_inst *in, struct blayer *layer, int *empty,
	      struct lerr *e);
/* COPY / ADD: plans the copy, hashes its inputs into *sum (the cache
 * key's input), then (when write) writes the layer. */
struct bcopy;
int build_copy_plan(struct bctx *b, struct bstage *s, const struct lf_inst *in, struct bcopy **plan, char sum[65],
		    struct lerr *e);
int build_copy_write(struct bctx *b, struct bcopy *plan, struct blayer *layer, struct lerr *e);
void build_copy_free(struct bcopy *plan);

/* The stage's layer directories, top first (dirs[] holds LV_MAX). */
int build_layer_dirs(struct bctx *b, const struct bstage *s, const char **dirs, char (*buf)[4096], int *n,
		     struct lerr *e);
/* Writes the stage's state as a manifest (config + manifest blobs, no
 * tag): its "@sha256:..." reference for a build jail, or the result. */
int build_commit(struct bctx *b, struct bstage *s, char manifest[72], long long *msize, char id[72], struct lerr *e);

/* The layer writer: a tar built entry by entry, then stored as a blob. */
struct ltar;
struct ltar *ltar_open(struct bctx *b, struct lerr *e);
/* An entry from directory fd dirfd (name rel there) as path `dest` in
 * the layer; st gives type, mode, owner and times. */
int ltar_add(struct ltar *t, int dirfd, const char *rel, const struct stat *st, const char *dest, struct lerr *e);
/* A whiteout for dest (".wh.NAME"). */
int ltar_whiteout(struct ltar *t, const char *dest, struct lerr *e);
/* Closes, stores the blob (extracting it for overlayfs) into *layer. */
int ltar_finish(struct ltar *t, struct blayer *layer, struct lerr *e);
void ltar_abort(struct ltar *t);

/* The cache: step key -> layer ("" none), and when it was made. */
int bcache_open(struct bctx *b, struct lerr *e);
int bcache_get(struct bctx *b, const char *key, struct blayer *layer, int *has_layer, char created[40]);
void bcache_put(struct bctx *b, const char *key, const struct blayer *layer, const char *created);

/* .lochignore / .dockerignore: whether rel ("a/b") of the context is left out. */
int build_ignored(char **patterns, const char *rel);
int build_ignore_load(const char *ctxdir, char ***patterns, struct lerr *e);
/* Whether any pattern is a "!" exception. */
int build_has_exceptions(char **patterns);
