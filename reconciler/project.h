/* A Compose project's desired state for the reconciler: one desired jail
 * per service replica (named PROJECT-SERVICE-N as Compose names them), in
 * dependency order, on the project's networks. Pure: no kernel, no
 * database. */
#pragma once
#include "reconciler.h"
#include "../specs/compose.h"

struct project_state {
	struct desired *want;  /* nwant entries; want[i].spec points into specs */
	struct svc_spec *specs;
	int nwant;
	int *service;          /* want[i]'s index in the project's services */
	struct want_dep *deps; /* want[i].deps point in here */
	int *selected;         /* per project service: 1 when planned (project_only) */
};

/* The network name Lochs gives a project's network (PROJECT_NAME). */
void project_net_name(const struct compose_project *p, const char *name, char *out, size_t size);
/* The image a service runs: its image:, else (built) PROJECT-SERVICE as
 * Compose names it. Allocated. */
char *project_image_name(const struct compose_project *p, const struct compose_service *s);
/* Expands p into st. Services are ordered so that each comes after what
 * it depends on; the cycle check was done by compose_load. Each desired
 * jail names its service (group), its dependencies present in the file
 * and what it needs made first (its networks, named volumes, image). */
int project_desired(const struct compose_project *p, struct project_state *st, struct lerr *e);
void project_state_free(struct project_state *st);
/* Keeps only the jails of services and what they depend on (compose up
 * SVC...); the others' jails are then neither created nor removed.
 * -1 with e for a service the file does not have. */
int project_only(const struct compose_project *p, struct project_state *st, char *const *services, struct lerr *e);

/* compose run's one-off jail of service, named name (its replica 1 spec
 * renamed, to be created, not started): st gets it alone. */
int project_oneoff(const struct compose_project *p, const char *service, const char *name, struct project_state *st,
		   struct lerr *e);
/* Whether name is a one-off jail's (PROJECT-SERVICE-run-...): neither
 * scaled down nor an orphan to apply. */
int project_is_oneoff(const char *project, const char *service, const char *name);
/* Whether st has a jail named name. */
int project_wants(const struct project_state *st, const char *name);
/* Removals the file asks for beyond reconcile_plan's: jails of the project
 * whose replica is gone (scale down) always (of selected services), and
 * with prune those of services the file no longer has. Appended to out (n used of max);
 * returns the new count or -1. */
int project_extras(const struct compose_project *p, const struct project_state *st, const struct observed_jail *have,
		   int nhave, int prune, struct action *out, int n, int max, struct lerr *e);
