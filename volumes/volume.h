/* Named and anonymous volumes: records in the state database's volumes
 * table, data at ROOT/volumes/NAME/_data (Docker's "local" driver layout).
 * Which jail uses which volume is kept in volume_refs (volume, jail,
 * anonymous), written when the jail is created; rows of removed jails are
 * ignored, so a crash between the two never pins a volume. */
#pragma once
#include <jansson.h>
#include "../orchestrator/cli.h"

/* Docker's rule: [a-zA-Z0-9][a-zA-Z0-9_.-]+ (at most 255 characters). */
int volume_name_valid(const char *name);
void volume_data_path(const char *root, const char *name, char *out, size_t size);

/* Creates the volume unless it exists (labels: a JSON object or NULL);
 * *created (may be NULL) tells which. name NULL: a generated 64-hex name,
 * written to out (65+ bytes) when not NULL. */
int volume_create(struct cli *c, const char *name, json_t *labels, char *out, int *created, struct lerr *e);
/* The volume as `volume inspect` shows it; NULL with e set when absent. */
json_t *volume_json(struct cli *c, const char *name, struct lerr *e);
/* Jails (existing, any state) using the volume; first gets one's name. */
int volume_users(struct cli *c, const char *name, char *first, size_t size, struct lerr *e);
/* Removes an unused volume and its data; *freed (may be NULL) gets bytes. */
int volume_remove(struct cli *c, const char *name, long long *freed, struct lerr *e);
/* The names of every volume, sorted; free each and *names. */
int volume_names(struct cli *c, char ***names, int *n, struct lerr *e);

/* A volume mounted by a jail being created. */
struct vol_attach {
	const char *jail;             /* the new jail's id */
	const char *name;             /* NULL: anonymous */
	const char *from;             /* the jail it replaces (a Compose recreate),
				       * whose anonymous volume at target it takes
				       * over; NULL: none */
	const char *target;           /* where it is mounted */
	const char *const *lowerdirs; /* the image's layer roots, top first */
	int nlower;
};
/* The volume (an anonymous one: the jail's own at target when it has one,
 * else from's, else a new one labelled com.docker.volume.anonymous) is
 * created if needed, recorded as used by the jail at target, and, when its
 * data directory is empty, seeded from the image's content at target.
 * vname gets its name, src its data path. */
int volume_attach(struct cli *c, const struct vol_attach *a, char vname[256], char *src, size_t size, struct lerr *e);
/* rm -v, compose down -v: removes the anonymous volumes of jail (removed
 * already) that no other jail uses. */
int volume_remove_anonymous(struct cli *c, const char *jail, struct lerr *e);

/* Removes every volume no jail uses (names printed when verbose). */
int volume_prune_all(struct cli *c, long long *freed, int verbose, struct lerr *e);

/* Bytes used by a tree (its files' blocks), for the space reclaimed. */
long long tree_size(const char *path);

/* Jail paths as Docker compares mount targets (path.Clean): "//a/./b/" is
 * "/a/b". Pure. */
void vol_clean_path(const char *in, char *out, size_t size);
/* Components of a clean path ("/" 0, "/a/b" 2): mounts are made shallow
 * first, as Docker sorts them, so /data/sub lands on the volume at /data. */
int vol_path_depth(const char *path);
/* order[0..n) gets 0..n-1 stably sorted by the depth of targets[i]. Pure. */
void vol_mount_order(const char *const *targets, int n, int *order);
