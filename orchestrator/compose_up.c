/* compose up and down. up applies the project (project_apply_opts: the
 * plan's DAG through the worker pool) and, without -d, follows the
 * services' logs until Ctrl-C, which stops the project's jails, as
 * Compose does. */
#include "compose_jails.h"
#include "project_run.h"
#include "project_wait.h"
#include "watch.h"
#include "../specs/strv.h"
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct up_args {
	int detach, wait, watch, build;
	struct apply_opts o;
	char **services;
};

int compose_scale(const struct compose_project *p, const char *cmd, const char *v, struct lerr *e)
{
	const char *eq = strchr(v, '=');
	char *end;
	long n = eq ? strtol(eq + 1, &end, 10) : -1;
	if (!eq || eq == v || end == eq + 1 || *end || n < 0 || n > 10000)
		return lerr_usage(e, cmd, "--scale wants SERVICE=N, not %s", v);
	for (int i = 0; i < p->nsvcs; i++)
		if (strlen(p->svcs[i].name) == (size_t)(eq - v) && !strncmp(p->svcs[i].name, v, (size_t)(eq - v))) {
			((struct compose_project *)p)->svcs[i].replicas = (int)n;
			return 0;
		}
	return lerr_set(e, LX_LOCHS, "--scale: no such service: %.*s", (int)(eq - v), v);
}

static int up_flags(const struct compose_project *p, int argc, char **argv, struct up_args *u, struct lerr *e)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-d") || !strcmp(a, "--detach"))
			u->detach = 1;
		else if (!strcmp(a, "--wait"))
			u->wait = u->detach = 1;
		else if (!strcmp(a, "--remove-orphans"))
			u->o.prune = 1;
		else if (!strcmp(a, "--watch"))
			u->watch = 1;
		else if (!strcmp(a, "--build"))
			u->build = 1;
		else if (!strcmp(a, "--force-recreate"))
			u->o.force_recreate = 1;
		else if (!strcmp(a, "--no-recreate"))
			u->o.no_recreate = 1;
		else if (!strcmp(a, "-V") || !strcmp(a, "--renew-anon-volumes"))
			u->o.renew_anon = 1;
		else if (!strcmp(a, "--scale") && i + 1 < argc) {
			if (compose_scale(p, "compose up", argv[++i], e) < 0)
				return -1;
		} else if (!strncmp(a, "--scale=", 8)) {
			if (compose_scale(p, "compose up", a + 8, e) < 0)
				return -1;
		} else if (a[0] == '-')
			return lerr_usage(e, "compose up", "unknown flag %s", a);
		else if (!compose_service((struct compose_project *)p, a))
			return lerr_set(e, LX_LOCHS, "no such service: %s", a);
		else if (strv_push(&u->services, a) < 0)
			return lerr_set(e, LX_LOCHS, "out of memory");
	}
	if (u->o.force_recreate && u->o.no_recreate)
		return lerr_usage(e, "compose up", "--force-recreate and --no-recreate exclude each other");
	u->o.services = u->services;
	return 0;
}

/* Whether name is among services (NULL: all are). */
static int chosen(char *const *services, const char *name)
{
	for (char *const *s = services; s && *s; s++)
		if (!strcmp(*s, name))
			return 1;
	return !services;
}

/* --wait: every service running, healthy where it has a check, and done
 * where another waits for it to complete. */
static int wait_all(struct cli *c, const struct compose_project *p, char *const *services, struct lerr *e)
{
	for (int i = 0; i < p->nsvcs; i++) {
		char *const *t = p->svcs[i].spec.health.test;
		enum dep_condition cond = t && t[0] && strcmp(t[0], "NONE") ? DEP_HEALTHY : DEP_STARTED;
		for (int k = 0; k < p->nsvcs; k++)
			for (int d = 0; d < p->svcs[k].ndeps; d++)
				if (!strcmp(p->svcs[k].deps[d].service, p->svcs[i].name) &&
				    p->svcs[k].deps[d].condition == DEP_COMPLETED)
					cond = DEP_COMPLETED;
		if (p->svcs[i].replicas && chosen(services, p->svcs[i].name) &&
		    project_wait(c, p, p->svcs[i].name, cond, 120000, e) < 0)
			return -1;
	}
	return 0;
}

static void on_interrupt(int sig)
{
	(void)sig;
	compose_interrupted = 1;
}

/* Attached: the logs of every jail (of the services) until they all end
 * or Ctrl-C (SIGINT, or SIGTERM), which stops them. 130 after Ctrl-C. */
static int attached(struct cli *c, const struct compose_project *p, char **services, struct lerr *e)
{
	struct sigaction sa = { .sa_handler = on_interrupt }; /* no SA_RESTART: poll returns */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	char **args = NULL;
	int rc = strv_push(&args, "logs") < 0 || strv_push(&args, "-f") < 0 ? -1 : 0;
	for (char **s = services; s && *s && rc == 0; s++)
		rc = strv_push(&args, *s);
	if (rc == 0)
		rc = compose_logs(c, p, (int)strv_len(args), args, e);
	strv_free(args);
	if (rc < 0 || !compose_interrupted)
		return rc;
	signal(SIGINT, SIG_DFL); /* a second Ctrl-C ends lochs at once */
	printf("Gracefully stopping... (press Ctrl+C again to force)\n");
	fflush(stdout);
	args = NULL;
	rc = strv_push(&args, "stop") < 0 ? lerr_set(e, LX_LOCHS, "out of memory") : 0;
	for (char **s = services; s && *s && rc == 0; s++)
		rc = strv_push(&args, *s) < 0 ? lerr_set(e, LX_LOCHS, "out of memory") : 0;
	if (rc == 0)
		rc = compose_each(c, p, (int)strv_len(args), args, e);
	strv_free(args);
	return rc < 0 ? -1 : 130;
}

int compose_up(struct cli *c, const struct compose_project *p, int argc, char **argv, struct lerr *e)
{
	return compose_up_opts(c, NULL, p, argc, argv, e);
}

int compose_up_opts(struct cli *c, const struct compose_opts *o, const struct compose_project *p, int argc, char **argv,
		    struct lerr *e)
{
	struct up_args u = { 0 };
	int rc = up_flags(p, argc, argv, &u, e);
	if (rc == 0 && u.watch) { /* up, then watch mode in the foreground (orchestrator/watch.h) */
		strv_free(u.services);
		return o ? watch_run_opts(c, o, u.o.prune, e) : watch_run(c, p->file, p->name, u.o.prune, e);
	}
	/* --build: every built service (of those named) first; the plan then
	 * recreates the jails whose image changed (the hash pins the image). */
	for (int i = 0; rc == 0 && u.build && i < p->nsvcs; i++)
		if (p->svcs[i].build_context && chosen(u.services, p->svcs[i].name))
			rc = project_build(c, p, &p->svcs[i], 0, e);
	if (rc == 0 && project_apply_opts(c, p, &u.o, e) < 0)
		rc = -1;
	if (rc == 0 && u.wait)
		rc = wait_all(c, p, u.services, e);
	if (rc == 0 && !u.detach)
		rc = attached(c, p, u.services, e);
	strv_free(u.services);
	return rc;
}

/* down --rmi local|all: the services' images after their jails; local:
 * only those without a name of their own (built for a service without
 * image:), as Compose. An image another jail still uses stays (said). */
static void remove_images(struct cli *c, const struct compose_project *p, int all)
{
	char **seen = NULL, name[600];
	for (int i = 0; i < p->nsvcs; i++) {
		const struct compose_service *s = &p->svcs[i];
		const char *img = s->spec.image && *s->spec.image ? s->spec.image : NULL;
		if (!img && s->build_context) {
			snprintf(name, sizeof name, "%s-%s", p->name, s->name);
			img = name;
		} else if (!all) {
			continue;
		}
		int dup = 0;
		for (char **k = seen; k && *k; k++)
			dup |= !strcmp(*k, img);
		if (!img || dup || strv_push(&seen, img) < 0)
			continue;
		char *args[] = { "rmi", (char *)img, NULL };
		struct lerr ie = { 0 };
		if (cli_run(c, 2, args, &ie) != 0)
			fprintf(stderr, "lochs: image %s stays: %s\n", img, ie.msg);
	}
	strv_free(seen);
}

int compose_down(struct cli *c, const struct compose_project *p, int argc, char **argv, struct lerr *e)
{
	int volumes = 0, rmi = -1;
	for (int i = 1; i < argc; i++) {
		const char *v = !strcmp(argv[i], "--rmi") && i + 1 < argc ? argv[++i]
				: !strncmp(argv[i], "--rmi=", 6) ? argv[i] + 6 : NULL;
		if (v && (!strcmp(v, "local") || !strcmp(v, "all")))
			rmi = !strcmp(v, "all");
		else if (v)
			return lerr_usage(e, "compose down", "--rmi wants local or all, not %s", v);
		else if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "--volumes"))
			volumes = 1;
		else if (strcmp(argv[i], "--remove-orphans")) /* down removes every jail of the project anyway */
			return lerr_usage(e, "compose down", "unknown flag %s", argv[i]);
	}
	if (project_down(c, p, volumes, e) < 0)
		return -1;
	if (rmi >= 0)
		remove_images(c, p, rmi);
	return 0;
}
