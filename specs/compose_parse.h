/* Shared by the compose_*.c readers: typed values out of YAML nodes, each
 * refusing the wrong shape with FILE:LINE:COLUMN, the key path and the
 * cause ("services.web.ports: a list expected"). */
#pragma once
#include "compose.h"
#include "yamltree.h"
#include "strv.h"
#include "dotenv.h"

struct cparse {
	struct ytree *t;
	struct compose_project *p;
	struct lerr *e;
	char *const *env; /* KEY=VALUE: the process environment */
	const struct dotenv *dotenv; /* the project's .env, behind env */
	const struct compose_opts *o;
};

/* compose_service.c: one services.NAME entry into s (name and line set). */
int cp_service(struct cparse *c, const yaml_node_t *n, struct compose_service *s);
/* compose_check.c: every name a service uses is declared (services,
 * networks, volumes, secrets, configs) and depends_on has no cycle. */
int compose_check(struct cparse *c);
/* compose_project.c: the top level of c->t into c->p (p->dir set): the
 * name, networks, volumes, secrets, configs and services. */
int cp_project(struct cparse *c, const char *project);
/* A new zeroed element at the end of *arr (of *n elements of size). */
void *cp_grow(void *arr, int *n, size_t size);
/* compose_check.c: frees what a service holds (not s itself). */
void cp_service_free(struct compose_service *s);
/* compose_secrets.c: the services' secrets and configs as jail files. */
int cp_filemounts(struct cparse *c);
/* compose_check.c: an error about service s's KEY entry that names name
 * (services.S.KEY), at that entry's FILE:LINE:COLUMN when the tree has it,
 * else at the service's line. Always -1. */
int cp_ref_err(struct cparse *c, const struct compose_service *s, const char *key, const char *name, const char *fmt,
	       ...) __attribute__((format(printf, 5, 6)));
/* compose_project.c: a variable of the environment (then .env), or NULL. */
const char *cp_getenv(const struct cparse *c, const char *name);

/* An error at node n about key path `key`: always -1. */
int cp_err(struct cparse *c, const yaml_node_t *n, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Every key of mapping n must be in known (NULL-terminated); x- keys are
 * extensions and pass; Compose keys Lochs does not support are named as
 * such, others get a "did you mean" suggestion. 0 or -1. */
int cp_keys(struct cparse *c, const yaml_node_t *n, const char *where, const char *const *known,
	    const char *const *unsupported);
/* The i-th pair of a mapping: its key text and value node. */
int cp_pairs(const yaml_node_t *n);
const char *cp_key(struct cparse *c, const yaml_node_t *n, int i, yaml_node_t **value);
int cp_items(const yaml_node_t *n);
yaml_node_t *cp_item(struct cparse *c, const yaml_node_t *n, int i);

/* A scalar as a new string (numbers and booleans as written). NULL with e set. */
char *cp_str(struct cparse *c, const yaml_node_t *n, const char *key);
/* A list of scalars, or with one_ok a single scalar as a list of one. */
char **cp_strv(struct cparse *c, const yaml_node_t *n, const char *key, int one_ok);
/* A list of "K=V" strings or a mapping K: V (a null V gives "K" alone). */
char **cp_kv(struct cparse *c, const yaml_node_t *n, const char *key);
int cp_bool(struct cparse *c, const yaml_node_t *n, const char *key, int *out);
int cp_int(struct cparse *c, const yaml_node_t *n, const char *key, long long *out);
/* Compose durations: 1m30s, 10s, 500ms, 1h, 2us; a bare number is seconds. */
int cp_duration(struct cparse *c, const yaml_node_t *n, const char *key, long long *ms);
