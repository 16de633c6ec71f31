/* compose run [-d] [--rm] [--no-deps] [-T] [-e K=V] [--name NAME]
 * [-u USER] [-w DIR] [--entrypoint CMD] SERVICE [COMMAND...]: a one-off jail with the
 * service's configuration (its first network, volumes, environment),
 * named PROJECT-SERVICE-run-XXXXXX, after the service's dependencies are
 * up (unless --no-deps); attached unless -d. Published ports are left out,
 * as Compose does without --service-ports. */
#include "attach.h"
#include "compose_jails.h"
#include "imperative.h"
#include "project_run.h"
#include "../reconciler/project.h"
#include "../specs/shellwords.h"
#include "../specs/strv.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

struct run_args {
	int detach, rm, no_deps, no_tty;
	char **env, *name, *user, *workdir;
	char **entrypoint; /* --entrypoint split into words ("": none) */
	int i; /* argv index of the service */
};

static int flags(int argc, char **argv, struct run_args *r, struct lerr *e)
{
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "-d") || !strcmp(a, "--detach"))
			r->detach = 1;
		else if (!strcmp(a, "--rm"))
			r->rm = 1;
		else if (!strcmp(a, "--no-deps"))
			r->no_deps = 1;
		else if (!strcmp(a, "-T") || !strcmp(a, "--no-TTY"))
			r->no_tty = 1;
		else if ((!strcmp(a, "-e") || !strcmp(a, "--env")) && v) {
			if (strv_push(&r->env, v) < 0)
				return lerr_set(e, LX_LOCHS, "out of memory");
			i++;
		} else if (!strcmp(a, "--name") && v)
			r->name = argv[++i];
		else if ((!strcmp(a, "-u") || !strcmp(a, "--user")) && v)
			r->user = argv[++i];
		else if ((!strcmp(a, "-w") || !strcmp(a, "--workdir")) && v)
			r->workdir = argv[++i];
		else if ((!strcmp(a, "--entrypoint") && v) || !strncmp(a, "--entrypoint=", 13)) {
			/* a string split as a shell would, as Compose does */
			const char *ep = a[12] == '=' ? a + 13 : argv[++i];
			strv_free(r->entrypoint);
			if (!(r->entrypoint = *ep ? shell_words(ep) : calloc(1, sizeof(char *))))
				return lerr_usage(e, "compose run", "--entrypoint %s: an unterminated quote", ep);
		} else
			return lerr_usage(e, "compose run", "unknown flag %s", a);
	}
	if (i >= argc)
		return lerr_usage(e, "compose run", "a service is required");
	r->i = i;
	return 0;
}

static int set(char **field, const char *v)
{
	if (!v)
		return 0;
	free(*field);
	return (*field = strdup(v)) ? 0 : -1;
}

/* The service's spec changed as run's flags say. */
static int adapt(struct svc_spec *s, struct run_args *r, int argc, char **argv)
{
	int rc = set(&s->user, r->user) | set(&s->workdir, r->workdir);
	if (r->entrypoint) {
		strv_free(s->entrypoint);
		s->entrypoint = r->entrypoint;
		r->entrypoint = NULL; /* the spec owns it now */
	}
	for (char **v = r->env; v && *v && rc == 0; v++)
		rc = strv_push(&s->env, *v);
	if (r->i + 1 < argc) {
		strv_free(s->command);
		s->command = NULL;
		for (int k = r->i + 1; k < argc && rc == 0; k++)
			rc = strv_push(&s->command, argv[k]);
	}
	strv_free(s->ports);
	s->ports = NULL;
	s->publish_all = 0;
	s->auto_remove = r->rm;
	if (s->restart != RESTART_NO && r->rm)
		s->restart = RESTART_NO; /* --rm with a restart policy is refused by run: one-offs never restart */
	s->tty = !r->detach && !r->no_tty && isatty(0) && isatty(1);
	s->interactive = !r->detach && !r->no_tty;
	return rc;
}

int compose_run(struct cli *c, const struct compose_project *p, int argc, char **argv, struct lerr *e)
{
	struct run_args r = { 0 };
	struct project_state st = { 0 };
	int rc = flags(argc, argv, &r, e);
	const char *svc = rc == 0 ? argv[r.i] : NULL;
	const struct compose_service *s = svc ? compose_service((struct compose_project *)p, svc) : NULL;
	if (rc == 0 && !s)
		rc = lerr_set(e, LX_LOCHS, "no such service: %s", svc);
	/* Its dependencies first, through apply (and only them). */
	char **deps = NULL;
	for (int d = 0; rc == 0 && s && !r.no_deps && d < s->ndeps; d++)
		if (compose_service((struct compose_project *)p, s->deps[d].service))
			rc = strv_push(&deps, s->deps[d].service) < 0 ? lerr_set(e, LX_LOCHS, "out of memory") : 0;
	if (rc == 0 && deps) {
		const struct apply_opts o = { .services = deps, .quiet = 1 };
		rc = project_apply_opts(c, p, &o, e) < 0 ? -1 : 0;
	}
	char name[512], id[65] = "";
	unsigned char rnd[3] = { 0 };
	if (getrandom(rnd, sizeof rnd, 0) < 0)
		rnd[0] = (unsigned char)getpid();
	if (rc == 0 && r.name)
		snprintf(name, sizeof name, "%s", r.name);
	else if (rc == 0)
		snprintf(name, sizeof name, "%s-%s-run-%02x%02x%02x", p->name, svc, rnd[0], rnd[1], rnd[2]);
	if (rc == 0 && project_oneoff(p, svc, name, &st, e) < 0)
		rc = -1;
	if (rc == 0 && adapt(&st.specs[0], &r, argc, argv) < 0)
		rc = lerr_set(e, LX_LOCHS, "out of memory");
	if (rc == 0) {
		svc_config_hash(&st.specs[0], st.want[0].hash);
		rc = project_create_oneoff(c, p, &st, id, e);
	}
	/* Started through the reconciler like run's jails; attached, the
	 * monitor waits for this client before it starts the jail. */
	struct imp_ctx x = { .c = c, .attach = !r.detach };
	if (rc == 0)
		rc = imperative_existing(&x, id, WANT_RUNNING, 0, 0, e);
	if (rc == 0 && r.detach) {
		printf("%s\n", name);
	} else if (rc == 0) {
		int sock = attach_connect(c, id, e);
		rc = sock < 0 ? -1 : attach_relay(sock, st.specs[0].interactive, st.specs[0].tty, NULL, e);
	}
	if (st.nwant)
		project_state_free(&st);
	strv_free(deps);
	strv_free(r.env);
	strv_free(r.entrypoint);
	return rc;
}
