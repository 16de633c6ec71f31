/* compose's per-service commands: exec, logs, start, stop, restart, rm,
 * pull. Each finds the project's jails of the named services (all when
 * none is named) and runs the jail command on them (cli_run), so they
 * behave exactly as `lochs exec`, `lochs logs`... do. */
#include "compose_jails.h"
#include "../reconciler/reconciler.h"
#include "../specs/strv.h"
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

volatile sig_atomic_t compose_interrupted;

/* The project's jails, of services (NULL-terminated, NULL: every one). */
static int jails_of(struct cli *c, const struct compose_project *p, char *const *services, struct observed_jail **out,
		    int *n, struct lerr *e)
{
	for (char *const *s = services; s && *s; s++)
		if (!compose_service((struct compose_project *)p, *s))
			return lerr_set(e, LX_LOCHS, "no such service: %s", *s);
	sqlite3 *db = cli_db(c, e);
	struct observed_jail *v = NULL;
	int k = 0, all;
	if (!db || observe_jails(db, p->name, &v, &all, e) < 0)
		return -1;
	for (int i = 0; i < all; i++) {
		int want = !services || !*services;
		for (char *const *s = services; s && *s && !want; s++)
			want = !strcmp(v[i].service, *s);
		if (want)
			v[k++] = v[i];
	}
	*out = v;
	*n = k;
	return 0;
}

/* start, stop, restart, rm [-f]: the command on each jail, in order. */
int compose_each(struct cli *c, const struct compose_project *p, int argc, char **argv, struct lerr *e)
{
	char **args = NULL, **services = NULL;
	int rc = strv_push(&args, argv[0]);
	for (int i = 1; i < argc && rc == 0; i++) {
		/* stop/restart -t N: N belongs to the flag */
		int valued = (!strcmp(argv[i], "-t") || !strcmp(argv[i], "--time")) && i + 1 < argc;
		rc = strv_push(argv[i][0] == '-' ? &args : &services, argv[i]);
		if (valued && rc == 0)
			rc = strv_push(&args, argv[++i]);
	}
	struct observed_jail *v = NULL;
	int n = 0;
	if (rc < 0)
		rc = lerr_set(e, LX_LOCHS, "out of memory");
	else if ((rc = jails_of(c, p, services, &v, &n, e)) == 0 && n == 0)
		printf("no jails of project %s\n", p->name);
	for (int i = 0; rc == 0 && i < n; i++)
		rc = strv_push(&args, v[i].id) < 0 ? lerr_set(e, LX_LOCHS, "out of memory") : 0;
	if (rc == 0 && n > 0)
		rc = cli_run(c, (int)strv_len(args), args, e);
	free(v);
	strv_free(args);
	strv_free(services);
	return rc;
}

/* exec [FLAGS] SERVICE CMD...: into the service's first replica (or
 * --index N), as Compose does. */
int compose_exec(struct cli *c, const struct compose_project *p, int argc, char **argv, struct lerr *e)
{
	static const char *const valued[] = { "-u", "--user", "-w", "--workdir", "-e", "--env", "--index", NULL };
	int i = 1, index = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		int takes = 0;
		for (int k = 0; valued[k]; k++)
			takes |= !strcmp(argv[i], valued[k]);
		if (!strcmp(argv[i], "--index") && i + 1 < argc)
			index = atoi(argv[i + 1]);
		i += takes;
	}
	if (i >= argc)
		return lerr_usage(e, "compose exec", "a service and a command are required");
	if (!compose_service((struct compose_project *)p, argv[i]))
		return lerr_set(e, LX_LOCHS, "no such service: %s", argv[i]);
	char name[600];
	snprintf(name, sizeof name, "%s-%s-%d", p->name, argv[i], index);
	char **args = calloc((size_t)argc + 1, sizeof *args);
	if (!args)
		return lerr_set(e, LX_LOCHS, "out of memory");
	int n = 0;
	args[n++] = "exec";
	for (int k = 1; k < argc; k++) {
		if (!strcmp(argv[k], "--index") && k < i) {
			k++;
			continue;
		}
		args[n++] = k == i ? name : argv[k];
	}
	int rc = cli_run(c, n, args, e);
	free(args);
	return rc;
}

/* One jail's log lines, each as "NAME | line", from a child running
 * `logs` into a pipe. */
static pid_t logs_child(struct cli *c, char **flags, const char *id, int *fd)
{
	int p[2];
	if (pipe(p) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		signal(SIGINT, SIG_DFL); /* attached up's handler is not the reader's */
		signal(SIGTERM, SIG_DFL);
		close(p[0]);
		dup2(p[1], 1);
		char **args = NULL;
		strv_push(&args, "logs");
		for (char **f = flags; f && *f; f++)
			strv_push(&args, *f);
		strv_push(&args, id);
		struct lerr e = { 0 };
		int rc = cli_run(c, (int)strv_len(args), args, &e);
		if (rc < 0)
			fprintf(stderr, "lochs: %s\n", e.msg);
		fflush(stdout);
		_exit(rc < 0 ? 1 : 0);
	}
	close(p[1]);
	*fd = p[0];
	return pid;
}

/* logs [-f] [-t] [-n N] [SERVICE...]: every jail's lines, prefixed by its
 * name (coloured on a terminal), multiplexed as they come. */
int compose_logs(struct cli *c, const struct compose_project *p, int argc, char **argv, struct lerr *e)
{
	char **flags = NULL, **services = NULL;
	for (int i = 1; i < argc; i++) {
		int valued = (!strcmp(argv[i], "-n") || !strcmp(argv[i], "--tail") || !strcmp(argv[i], "--since")) && i + 1 < argc;
		if (argv[i][0] == '-') {
			strv_push(&flags, argv[i]);
			if (valued)
				strv_push(&flags, argv[++i]);
		} else {
			strv_push(&services, argv[i]);
		}
	}
	struct observed_jail *v = NULL;
	int n = 0, rc = jails_of(c, p, services, &v, &n, e);
	struct pollfd *fds = rc == 0 ? calloc((size_t)n + 1, sizeof *fds) : NULL;
	pid_t *pids = fds ? calloc((size_t)n + 1, sizeof *pids) : NULL;
	char (*bufs)[4096] = pids ? calloc((size_t)n + 1, sizeof *bufs) : NULL;
	size_t *lens = bufs ? calloc((size_t)n + 1, sizeof *lens) : NULL;
	if (rc == 0 && !lens)
		rc = lerr_set(e, LX_LOCHS, "out of memory");
	fflush(stdout);
	for (int i = 0; rc == 0 && i < n; i++)
		if ((pids[i] = logs_child(c, flags, v[i].id, &fds[i].fd)) < 0)
			rc = lerr_sys(e, "logs");
		else
			fds[i].events = POLLIN;
	int open = rc == 0 ? n : 0;
	while (open > 0 && !compose_interrupted && poll(fds, (nfds_t)n, -1) > 0) {
		for (int i = 0; i < n; i++) {
			if (!(fds[i].revents & (POLLIN | POLLHUP)))
				continue;
			ssize_t r = read(fds[i].fd, bufs[i] + lens[i], sizeof bufs[i] - lens[i] - 1);
			if (r > 0)
				lens[i] += (size_t)r;
			/* Whole lines out; a full buffer goes out as it is. */
			char *nl;
			while (lens[i] && ((nl = memchr(bufs[i], '\n', lens[i])) || r <= 0 || lens[i] >= sizeof bufs[i] - 1)) {
				size_t k = nl ? (size_t)(nl - bufs[i]) + 1 : lens[i];
				if (c->isatty_out)
					printf("\033[%dm%s |\033[0m ", 31 + i % 6, v[i].name);
				else
					printf("%s | ", v[i].name);
				printf("%.*s%s", (int)k, bufs[i], nl ? "" : "\n");
				memmove(bufs[i], bufs[i] + k, lens[i] - k);
				lens[i] -= k;
			}
			fflush(stdout);
			if (r <= 0) {
				close(fds[i].fd);
				fds[i].fd = -1;
				open--;
			}
		}
	}
	for (int i = 0; pids && i < n; i++)
		if (pids[i] > 0) {
			if (compose_interrupted) /* following ends here: its readers too */
				kill(pids[i], SIGTERM);
			waitpid(pids[i], NULL, 0);
		}
	free(fds), free(pids), free(bufs), free(lens), free(v);
	strv_free(flags);
	strv_free(services);
	return rc;
}

/* pull: every image the services name, once each. */
int compose_pull(struct cli *c, const struct compose_project *p, int argc, char **argv, struct lerr *e)
{
	char **seen = NULL;
	int rc = 0;
	for (int i = 0; rc == 0 && i < p->nsvcs; i++) {
		const char *img = p->svcs[i].spec.image;
		int dup = 0;
		for (char **s = seen; s && *s; s++)
			dup |= !strcmp(*s, img);
		if (!img || dup)
			continue;
		strv_push(&seen, img);
		char **args = NULL;
		strv_push(&args, "pull");
		for (int k = 1; k < argc; k++)
			strv_push(&args, argv[k]);
		strv_push(&args, img);
		rc = cli_run(c, (int)strv_len(args), args, e);
		strv_free(args);
	}
	strv_free(seen);
	return rc;
}
