/* logs: the monitor's CRI-format log (TIME STREAM F|P TEXT per line)
 * back to the jail's output. */
#include "cli.h"
#include "jailops.h"
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct logopts {
	int follow, timestamps;
	long tail;          /* -1: all */
	char since[40];     /* RFC 3339 UTC, compared as text; "" = all */
};

/* Prints one log line; a P (partial) line gets no newline. */
static void emit(const char *line, const struct logopts *o)
{
	char ts[64], stream[16], tag[4];
	int off = 0;
	if (sscanf(line, "%63s %15s %3s %n", ts, stream, tag, &off) < 3)
		return;
	if (o->since[0] && strcmp(ts, o->since) < 0)
		return;
	const char *text = line + off;
	if (!off) /* empty text: no space after the tag */
		text = "";
	FILE *f = strcmp(stream, "stderr") ? stdout : stderr;
	size_t len = strcspn(text, "\n");
	if (o->timestamps)
		fprintf(f, "%s ", ts);
	fwrite(text, 1, len, f);
	if (strcmp(tag, "P") != 0)
		fputc('\n', f);
	fflush(f);
}

/* --since: RFC 3339 as given, or a duration (30s, 10m, 2h) before now. */
static int parse_since(const char *v, char out[40])
{
	char *end;
	long n = strtol(v, &end, 10);
	long mult = !strcmp(end, "s") ? 1 : !strcmp(end, "m") ? 60 : !strcmp(end, "h") ? 3600 : 0;
	if (end != v && mult) {
		time_t t = time(NULL) - n * mult;
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(out, 40, "%Y-%m-%dT%H:%M:%S", &tm);
		return 0;
	}
	if (strlen(v) < 10 || strlen(v) >= 40 || v[4] != '-')
		return -1;
	snprintf(out, 40, "%s", v);
	return 0;
}

static int running(struct cli *c, const char *id)
{
	sqlite3_stmt *st;
	sqlite3_prepare_v2(c->db, "SELECT state, monitor_pid FROM jails WHERE id = ?", -1, &st, NULL);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	int r = sqlite3_step(st) == SQLITE_ROW && (!strcmp((const char *)sqlite3_column_text(st, 0), "running") ||
						       !strcmp((const char *)sqlite3_column_text(st, 0), "paused")) &&
		kill(sqlite3_column_int(st, 1), 0) == 0;
	sqlite3_finalize(st);
	return r;
}

static int cmd_logs(struct cli *c, int argc, char **argv, struct lerr *e)
{
	struct logopts o = { .tail = -1 };
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-f") || !strcmp(a, "--follow"))
			o.follow = 1;
		else if (!strcmp(a, "-t") || !strcmp(a, "--timestamps"))
			o.timestamps = 1;
		else if ((!strcmp(a, "-n") || !strcmp(a, "--tail")) && i + 1 < argc) {
			char *end;
			const char *v = argv[++i];
			o.tail = !strcmp(v, "all") ? -1 : strtol(v, &end, 10);
			if (strcmp(v, "all") && (*end || end == v || o.tail < 0))
				return lerr_usage(e, "logs", "invalid --tail '%s'", v);
		} else if (!strcmp(a, "--since") && i + 1 < argc) {
			if (parse_since(argv[++i], o.since) < 0)
				return lerr_usage(e, "logs", "invalid --since '%s' (RFC 3339 time or 30s/10m/2h)", argv[i]);
		} else
			return lerr_usage(e, "logs", "unknown flag %s", a);
	}
	if (i + 1 != argc)
		return lerr_usage(e, "logs", "exactly one jail is required");
	char id[65], path[4096];
	if (jail_lookup(c, argv[i], id, e) < 0)
		return -1;
	jail_path(c, id, "ctr.log", path, sizeof path);
	FILE *f = fopen(path, "r");
	if (!f && !o.follow)
		return 0; /* never started: no output yet */
	char *line = NULL;
	size_t cap = 0;
	long total = 0;
	if (f && o.tail >= 0) { /* count, then skip to the last N lines */
		while (getline(&line, &cap, f) > 0)
			total++;
		rewind(f);
		for (long k = 0; k < total - o.tail && getline(&line, &cap, f) > 0; k++)
			;
	}
	for (;;) {
		if (!f)
			f = fopen(path, "r");
		ssize_t n = f ? getline(&line, &cap, f) : -1;
		if (n > 0 && line[n - 1] == '\n') {
			emit(line, &o);
			continue;
		}
		if (n > 0) /* a line still being written: read it again whole */
			fseek(f, -n, SEEK_CUR);
		if (!o.follow)
			break;
		if (!running(c, id)) {
			/* The monitor wrote its last line before recording the exit. */
			while (f && getline(&line, &cap, f) > 0)
				emit(line, &o);
			break;
		}
		if (f)
			clearerr(f);
		usleep(50000);
	}
	free(line);
	if (f)
		fclose(f);
	return 0;
}
LOCHS_COMMAND(logs, "logs", cmd_logs, "logs [-f] [-n N] [--since TIME] [-t] JAIL", "Show a jail's output");
