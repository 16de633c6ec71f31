/* See project_run.h. */
#include "project_run.h"
#include "jailconnect.h"
#include "jailops.h"
#include "project_pin.h"
#include "project_wait.h"
#include "../netplane/network.h"
#include "../reconciler/project.h"
#include "../specs/strv.h"
#include "../volumes/volume.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

/* How long a dependency may take to be running, healthy or done. */
#define WAIT_MS 120000

int project_load_opts(const struct compose_opts *o, struct compose_project *p, struct lerr *e)
{
	static const char *const names[] = { "lochs.yml", "lochs.yaml", "compose.yaml", "compose.yml",
					     "docker-compose.yml", "docker-compose.yaml", NULL };
	struct compose_opts with = *o;
	char *file[] = { NULL, NULL };
	for (int i = 0; !o->files && !file[0] && names[i]; i++)
		if (access(names[i], F_OK) == 0)
			file[0] = (char *)names[i];
	if (!o->files && !file[0])
		return lerr_set(e, LX_LOCHS, "no lochs.yml (or compose.yaml) here: use -f FILE");
	with.files = o->files ? o->files : file;
	with.env = environ;
	return compose_load_opts(&with, p, e);
}

int project_load(const char *file, const char *project, struct compose_project *p, struct lerr *e)
{
	char *files[] = { (char *)file, NULL };
	struct compose_opts o = { .files = file ? files : NULL, .project = project };
	return project_load_opts(&o, p, e);
}

/* The networks the services use: declared ones, and PROJECT_default for
 * services that name none. */
static int uses_default(const struct compose_project *p)
{
	for (int i = 0; i < p->nsvcs; i++)
		if (!p->svcs[i].networks && (!p->svcs[i].spec.network || !strcmp(p->svcs[i].spec.network, "bridge")))
			return 1;
	return 0;
}

static int ensure_net(sqlite3 *db, const struct compose_project *p, const struct compose_net *n, int dry, int *changes,
		      struct lerr *e)
{
	char name[512], labels[600];
	struct np_network have;
	struct lerr ignored;
	project_net_name(p, n ? n->name : "default", name, sizeof name);
	if (n && n->external)
		return netrec_get(db, n->name, &have, e) < 0 ? -1 : 0;
	if (netrec_get(db, name, &have, &ignored) == 0)
		return 0;
	(*changes)++;
	printf("%s network %s\n", dry ? "+ create" : "Creating", name);
	if (dry)
		return 0;
	snprintf(labels, sizeof labels, "{\"com.lochs.project\": \"%s\"}", p->name);
	struct network_opts o = { .name = name, .labels = labels };
	if (n)
		o.subnet = n->subnet, o.subnet6 = n->subnet6, o.ipv6 = n->ipv6, o.internal = n->internal;
	return network_create(db, &o, &have, e);
}

static int ensure_nets(sqlite3 *db, const struct compose_project *p, int dry, int *changes, struct lerr *e)
{
	for (int i = 0; i < p->nnets; i++)
		if (ensure_net(db, p, &p->nets[i], dry, changes, e) < 0)
			return -1;
	return uses_default(p) ? ensure_net(db, p, NULL, dry, changes, e) : 0;
}

static int op_create(void *ctx, const struct svc_spec *s, const char *hash, char id[65], struct lerr *e)
{
	printf("Creating %s\n", s->name);
	return jailop_create(ctx, s, hash, id, e);
}

static int op_start(void *ctx, const char *id, struct lerr *e)
{
	return jailop_start(ctx, id, e);
}

static int op_remove(void *ctx, const char *id, struct lerr *e)
{
	return jailop_remove(ctx, id, 1, e);
}

static void print_plan(const struct action *a, int n, const struct project_state *st, const struct observed_jail *have)
{
	static const char *const sign[] = { "+", ">", "-" };
	for (int i = 0; i < n; i++)
		printf("%s %s %s (%s)\n", sign[a[i].kind], act_name(a[i].kind),
		       a[i].want >= 0 ? st->specs[a[i].want].name : have[a[i].have].name, a[i].why);
}

/* A created jail joins the rest of its service's networks. */
static int connect_more(struct cli *c, const struct compose_project *p, const struct project_state *st,
			const struct action *a, int n, char (*ids)[65], struct lerr *e)
{
	for (int i = 0; i < n; i++) {
		int created = 0;
		for (int k = 0; k < n; k++)
			created |= a[k].kind == ACT_CREATE && a[k].want == a[i].want;
		if (a[i].kind != ACT_START || a[i].want < 0 || !created)
			continue;
		const struct compose_service *s = &p->svcs[st->service[a[i].want]];
		for (size_t k = 1; s->networks && k < strv_len(s->networks); k++) {
			char name[512];
			const struct compose_svcnet *o = &s->net_opts[k];
			project_net_name(p, s->networks[k], name, sizeof name);
			if (jail_connect(c, name, ids[a[i].want], o->ip, o->ip6, o->aliases, e) < 0)
				return -1;
		}
	}
	return 0;
}

/* The plan in order; a jail starts once its service's dependencies meet
 * their conditions (running, healthy, completed). */
static int execute(struct cli *c, const struct compose_project *p, const struct project_state *st,
		   const struct action *a, int n, const struct observed_jail *have, char (*ids)[65], struct lerr *e)
{
	const struct exec_ops ops = { c, op_create, op_start, op_remove };
	for (int i = 0; i < n; i++) {
		if (a[i].kind == ACT_START && a[i].want >= 0) {
			const struct compose_service *s = &p->svcs[st->service[a[i].want]];
			for (int d = 0; d < s->ndeps; d++)
				if (compose_service((struct compose_project *)p, s->deps[d].service) &&
				    project_wait(c, p, s->deps[d].service, s->deps[d].condition, WAIT_MS, e) < 0)
					return lerr_wrap(e, "%s", st->specs[a[i].want].name);
		}
		if (reconcile_execute(&a[i], 1, st->want, have, &ops, ids, e) < 0)
			return -1;
	}
	return 0;
}

int project_apply(struct cli *c, const struct compose_project *p, int prune, int dry, struct lerr *e)
{
	sqlite3 *db = cli_db(c, e);
	struct project_state st;
	struct observed_jail *have = NULL;
	int nhave = 0, changes = 0, rc = -1;
	if (!db || project_desired(p, &st, e) < 0)
		return -1;
	project_pin_images(c, &st);
	int max = 3 * st.nwant + 64;
	struct action *plan = NULL;
	char (*ids)[65] = calloc((size_t)st.nwant + 1, sizeof *ids);
	/* In a dry run the networks are listed first; otherwise they are made
	 * once the plan stands (a refused plan creates nothing). */
	/* Every jail: a wanted name may be held by one of another project. */
	if (!ids || observe_jails(db, NULL, &have, &nhave, e) < 0 || (dry && ensure_nets(db, p, 1, &changes, e) < 0))
		goto out;
	max += nhave;
	if (!(plan = calloc((size_t)max, sizeof *plan))) {
		lerr_set(e, LX_LOCHS, "out of memory");
		goto out;
	}
	int n = project_extras(p, &st, have, nhave, prune, plan, 0, max, e);
	int m = n < 0 ? -1 : reconcile_plan(PLAN_DECLARATIVE, st.want, st.nwant, have, nhave, plan + n, max - n, e);
	if (m < 0)
		goto out;
	n += m;
	changes += n;
	if (!dry && ensure_nets(db, p, 0, &changes, e) < 0)
		goto out;
	if (dry) {
		print_plan(plan, n, &st, have);
	} else if (execute(c, p, &st, plan, n, have, ids, e) < 0 || connect_more(c, p, &st, plan, n, ids, e) < 0) {
		goto out;
	}
	if (!changes)
		printf("Project %s is up to date.\n", p->name);
	else if (dry)
		printf("Plan: %d change%s.\n", changes, changes == 1 ? "" : "s");
	else
		printf("Project %s: %d change%s applied.\n", p->name, changes, changes == 1 ? "" : "s");
	rc = changes > 0;
out:
	free(plan);
	free(ids);
	free(have);
	project_state_free(&st);
	return rc;
}

int project_down(struct cli *c, const struct compose_project *p, int volumes, struct lerr *e)
{
	sqlite3 *db = cli_db(c, e);
	struct observed_jail *have = NULL;
	int nhave = 0;
	if (!db || observe_jails(db, p->name, &have, &nhave, e) < 0)
		return -1;
	int rc = 0;
	for (int i = nhave - 1; i >= 0 && rc == 0; i--) {
		printf("Removing %s\n", have[i].name);
		rc = jailop_remove(c, have[i].id, 1, e);
	}
	free(have);
	char name[512];
	struct np_network n;
	struct lerr ignored;
	for (int i = 0; rc == 0 && i <= p->nnets; i++) {
		if (i < p->nnets && p->nets[i].external)
			continue;
		project_net_name(p, i < p->nnets ? p->nets[i].name : "default", name, sizeof name);
		if (netrec_get(db, name, &n, &ignored) < 0)
			continue;
		printf("Removing network %s\n", name);
		rc = network_remove(db, name, e);
	}
	for (int i = 0; volumes && rc == 0 && i < p->nvols; i++) {
		long long freed;
		if (p->vols[i].external)
			continue;
		project_net_name(p, p->vols[i].name, name, sizeof name); /* volumes are PROJECT_NAME too */
		if (volume_remove(c, name, &freed, &ignored) == 0)
			printf("Removing volume %s\n", name);
	}
	return rc;
}
