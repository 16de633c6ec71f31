/* stats: CPU, memory, network and pids of running jails, from their
 * cgroups and network namespace. CPU % is the usage delta over about a
 * second of wall time (100% = one CPU), as docker stats counts it. */
#include "cli.h"
#include "jailops.h"
#include "jailstat.h"
#include "../reconciler/reconciler.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <time.h>
#include <unistd.h>

struct row {
	char id[65], name[256];
	pid_t pid;
	struct jail_usage a, b;
	int ok;
};

/* Docker's units: binary for memory ("1.5MiB"), decimal for I/O ("3kB"). */
static void units(double n, int binary, char *out, size_t size)
{
	static const char *const bin[] = { "B", "KiB", "MiB", "GiB", "TiB" }, *const dec[] = { "B", "kB", "MB", "GB", "TB" };
	double k = binary ? 1024 : 1000;
	int u = 0;
	while (n >= k && u < 4)
		n /= k, u++;
	snprintf(out, size, u ? "%.4g%s" : "%.0f%s", n, binary ? bin[u] : dec[u]);
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static void print_rows(struct row *r, int n, double secs, int json)
{
	struct sysinfo si;
	long long host = sysinfo(&si) == 0 ? (long long)si.totalram * si.mem_unit : 0;
	if (!json)
		printf("%-12s  %-20s  %-7s  %-21s  %-6s  %-17s  %s\n", "JAIL ID", "NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %",
		       "NET I/O", "PIDS");
	for (int i = 0; i < n; i++) {
		if (!r[i].ok)
			continue;
		const struct jail_usage *u = &r[i].b;
		double cpu = secs > 0 ? (double)(u->cpu_ns - r[i].a.cpu_ns) / 1e9 / secs * 100 : 0;
		long long lim = u->mem_limit >= 0 ? u->mem_limit : host;
		double memp = lim > 0 ? 100.0 * (double)u->mem / (double)lim : 0;
		char mem[32], limit[32], rx[32], tx[32], cpus[16], memps[16], use[80], net[80];
		units((double)u->mem, 1, mem, sizeof mem);
		units((double)lim, 1, limit, sizeof limit);
		units((double)u->rx, 0, rx, sizeof rx);
		units((double)u->tx, 0, tx, sizeof tx);
		snprintf(cpus, sizeof cpus, "%.2f%%", cpu);
		snprintf(memps, sizeof memps, "%.2f%%", memp);
		snprintf(use, sizeof use, "%s / %s", mem, limit);
		snprintf(net, sizeof net, "%s / %s", rx, tx);
		if (json) {
			json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I}", "ID", r[i].id,
					      "Name", r[i].name, "CPUPerc", cpus, "MemUsage", use, "MemPerc", memps,
					      "NetIO", net, "PIDs", (json_int_t)u->pids, "MemBytes", (json_int_t)u->mem,
					      "MemLimitBytes", (json_int_t)lim, "NetRxBytes", (json_int_t)u->rx,
					      "NetTxBytes", (json_int_t)u->tx);
			char *t = json_dumps(o, JSON_COMPACT);
			printf("%s\n", t);
			free(t);
			json_decref(o);
		} else {
			printf("%.12s  %-20.20s  %-7s  %-21s  %-6s  %-17s  %lld\n", r[i].id, r[i].name, cpus, use, memps, net,
			       u->pids);
		}
	}
	fflush(stdout);
}

/* The running jails named (all of them when none is). */
static struct row *select_jails(struct cli *c, char **refs, int nrefs, int *n, struct lerr *e)
{
	sqlite3 *db = cli_db(c, e);
	struct observed_jail *have;
	int nhave;
	if (!db || observe_jails(db, NULL, &have, &nhave, e) < 0)
		return NULL;
	struct row *r = calloc((size_t)(nrefs ? nrefs : nhave) + 1, sizeof *r);
	*n = 0;
	for (int i = 0; r && i < (nrefs ? nrefs : nhave); i++) {
		struct row *w = &r[*n];
		int h = i;
		if (nrefs) {
			if (jail_lookup(c, refs[i], w->id, e) < 0) {
				free(r), r = NULL;
				break;
			}
			for (h = 0; h < nhave && strcmp(have[h].id, w->id); h++)
				;
		}
		if (h == nhave || (strcmp(have[h].state, "running") && strcmp(have[h].state, "paused"))) {
			if (!nrefs)
				continue;
			lerr_set(e, LX_LOCHS, "jail %s is not running", refs[i]);
			free(r), r = NULL;
			break;
		}
		snprintf(w->id, sizeof w->id, "%s", have[h].id);
		snprintf(w->name, sizeof w->name, "%s", have[h].name);
		w->pid = have[h].pid;
		(*n)++;
	}
	free(have);
	return r;
}

static int cmd_stats(struct cli *c, int argc, char **argv, struct lerr *e)
{
	int stream = 1, json = 0, i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--no-stream"))
			stream = 0;
		else if (!strcmp(argv[i], "--format") && i + 1 < argc &&
			 (!strcmp(argv[i + 1], "json") || !strcmp(argv[i + 1], "table")))
			json = !strcmp(argv[++i], "json");
		else
			return lerr_usage(e, "stats", "unknown flag %s", argv[i]);
	}
	int n;
	struct row *r = select_jails(c, argv + i, argc - i, &n, e);
	if (!r)
		return -1;
	double t0 = now_s();
	for (int k = 0; k < n; k++)
		r[k].ok = jail_usage(r[k].id, r[k].pid, &r[k].a) == 0;
	for (;;) {
		usleep(1000000); /* the CPU sample's interval */
		double t1 = now_s();
		for (int k = 0; k < n; k++)
			r[k].ok = r[k].ok && jail_usage(r[k].id, r[k].pid, &r[k].b) == 0;
		if (stream && c->isatty_out && !json)
			printf("\033[2J\033[H"); /* redraw in place, as docker does */
		print_rows(r, n, t1 - t0, json);
		if (!stream)
			break;
		for (int k = 0; k < n; k++)
			r[k].a = r[k].b;
		t0 = t1;
	}
	free(r);
	return 0;
}
LOCHS_COMMAND(stats, "stats", cmd_stats, "stats [--no-stream] [--format json|table] [JAIL...]",
	      "Show running jails' CPU, memory, network and pids usage");
