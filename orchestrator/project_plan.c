/* lochs plan's output: a readable diff per jail (like `nomad job plan`),
 * a summary, and the order the worker pool would follow, in waves. */
#include "project_run.h"
#include "../reconciler/project.h"
#include "../reconciler/specdiff.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The spec the jail was made from (its record's), or NULL. */
static json_t *stored_spec(struct cli *c, const char *id)
{
	struct lerr ignored;
	sqlite3 *db = cli_db(c, &ignored);
	sqlite3_stmt *st;
	json_t *j = NULL;
	if (!db || sqlite3_prepare_v2(db, "SELECT spec FROM jails WHERE id = ?", -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		j = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
	sqlite3_finalize(st);
	return j;
}

/* The removal of the jail named name in the plan, or -1. */
static int removal(const struct plan *g, const struct observed_jail *have, const char *name)
{
	for (int i = 0; i < g->n; i++)
		if (g->a[i].kind == ACT_REMOVE && !strcmp(have[g->a[i].have].name, name))
			return i;
	return -1;
}

/* Whether the plan stops observed jail h without removing it (a restart). */
static int stopped(const struct plan *g, int h)
{
	int stop = 0, rm = 0;
	for (int i = 0; i < g->n; i++)
		if (g->a[i].have == h)
			stop |= g->a[i].kind == ACT_STOP, rm |= g->a[i].kind == ACT_REMOVE;
	return stop && !rm;
}

static void recreate_line(struct cli *c, const struct action *rm, const struct desired *w,
			  const struct observed_jail *have)
{
	char diff[600] = "";
	json_t *old = stored_spec(c, have[rm->have].id), *now = svc_to_json(w->spec);
	int n = old && now ? spec_diff(old, now, diff, sizeof diff) : 0;
	json_decref(old), json_decref(now);
	if (n)
		printf("~ recreate %s: %s\n", w->spec->name, diff);
	else /* same spec: the image under its tag changed, or --force-recreate */
		printf("~ recreate %s (%s)\n", w->spec->name,
		       !strcmp(have[rm->have].config_hash, "forced") ? "forced" : "its image changed");
}

void project_print_plan(struct cli *c, const struct plan *g, const struct project_state *st,
			const struct observed_jail *have)
{
	int create = 0, recreate = 0, remove = 0, start = 0, restart = 0;
	/* What the jails need first, then the jails. */
	for (int k = 0; k < 2 * g->n; k++) {
		int i = k % g->n;
		const struct action *a = &g->a[i];
		if ((k < g->n) != (a->kind >= ACT_NETWORK))
			continue;
		const struct desired *w = a->want >= 0 ? &st->want[a->want] : NULL;
		int rm = w ? removal(g, have, w->spec->name) : -1;
		if (a->kind == ACT_NETWORK || a->kind == ACT_VOLUME) {
			printf("+ create %s %s\n", a->kind == ACT_NETWORK ? "network" : "volume", strchr(a->res, ':') + 1);
		} else if (a->kind == ACT_PULL) {
			printf("+ pull %s\n", strchr(a->res, ':') + 1);
		} else if (a->kind == ACT_BUILD) {
			printf("+ build service %s\n", strchr(a->res, ':') + 1);
		} else if (a->kind == ACT_CREATE && rm >= 0) {
			recreate_line(c, &g->a[rm], w, have);
			recreate++;
		} else if (a->kind == ACT_CREATE) {
			printf("+ create %s\n", w->spec->name);
			create++;
		} else if (a->kind == ACT_REMOVE && !project_wants(st, have[a->have].name)) {
			printf("- remove %s (%s)\n", have[a->have].name, a->why);
			remove++;
		} else if (a->kind == ACT_START && a->have >= 0 && stopped(g, a->have)) {
			printf("~ restart %s (%s)\n", have[a->have].name, a->why);
			restart++;
		} else if (a->kind == ACT_START && a->have >= 0) {
			printf("> start %s (%s)\n", have[a->have].name, a->why);
			start++;
		}
	}
	printf("Plan: %d to create, %d to recreate, %d to remove", create, recreate, remove);
	if (restart)
		printf(", %d to restart", restart);
	printf(start ? ", %d to start.\n" : ".\n", start);
	/* The order: each wave's actions run in parallel (the pool's limit
	 * aside), a wave once what it needs is done. */
	for (int k = 1; k <= g->nwaves; k++) {
		printf("wave %d:", k);
		for (int i = 0, first = 1; i < g->n; i++) {
			if (g->a[i].wave != k)
				continue;
			char l[400];
			act_label(&g->a[i], st->want, have, l, sizeof l);
			printf("%s %s", first ? "" : ",", l);
			first = 0;
		}
		printf("\n");
	}
}
