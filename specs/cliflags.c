/* `lochs run`/`create` flags → svc_spec (Docker's flag names and forms). */
#include "service.h"
#include "../netplane/dnsname.h"
#include "../netplane/portspec.h"
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "strv.h"


/* -p and --expose are checked here, so a bad one fails before anything
 * is created (the reservation at create parses them again). */
static int port_flag(const char *cmd, const char *flag, char ***v, const char *arg, struct lerr *e)
{
	struct np_portspec p;
	struct lerr why = { 0 };
	int rc = flag[1] == 'p' ? portspec_parse(arg, &p, &why) : portspec_parse_expose(arg, &p, &why);
	if (rc < 0)
		return lerr_usage(e, cmd, "invalid %s '%s': %s", flag, arg, why.msg);
	return strv_push(v, arg);
}

/* --add-host, --dns and --network-alias are checked here, so a bad one
 * fails before anything is created: one line naming the flag. */
static int name_flag(const char *cmd, const char *flag, int (*check)(const char *, char *, size_t), char ***v,
		     const char *arg, struct lerr *e)
{
	char why[256];
	if (check(arg, why, sizeof why) < 0)
		return lerr_usage(e, cmd, "invalid %s '%s': %s", flag, arg, why);
	return strv_push(v, arg);
}

/* Aliases are names on a user-defined network, as in Docker. */
static int user_network(const char *net)
{
	return net && strcmp(net, "lochs0") && strcmp(net, "none") && strcmp(net, "host") && strncmp(net, "container:", 10);
}

static struct svc_mount *add_mount(struct svc_spec *s)
{
	struct svc_mount *m = realloc(s->mounts, ((size_t)s->nmounts + 1) * sizeof *m);
	if (!m)
		return NULL;
	s->mounts = m;
	m += s->nmounts++;
	memset(m, 0, sizeof *m);
	return m;
}

/* -e KEY=VALUE, or -e KEY: the value from our environment (skipped when unset). */
static int add_env(struct svc_spec *s, const char *kv)
{
	if (strchr(kv, '='))
		return strv_push(&s->env, kv);
	const char *v = getenv(kv);
	if (!v)
		return 0;
	char *buf;
	if (asprintf(&buf, "%s=%s", kv, v) < 0)
		return -1;
	int rc = strv_push(&s->env, buf);
	free(buf);
	return rc;
}

static int env_file(const char *cmd, struct svc_spec *s, const char *path, struct lerr *e)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return lerr_sys(e, "%s: --env-file %s", cmd, path);
	char line[8192];
	int no = 0;
	while (fgets(line, sizeof line, f)) {
		no++;
		line[strcspn(line, "\r\n")] = 0;
		const char *p = line + strspn(line, " \t");
		if (!*p || *p == '#')
			continue;
		if (*p == '=') {
			fclose(f);
			return lerr_set(e, LX_LOCHS, "%s:%d: variable name is empty", path, no);
		}
		add_env(s, p);
	}
	fclose(f);
	return 0;
}

/* -v SRC:DST[:ro|rw]: SRC starting with / or . is a host path, else a volume
 * name; -v /DST alone is an anonymous volume. */
static int volume(const char *cmd, struct svc_spec *s, const char *arg, struct lerr *e)
{
	char *copy = strdup(arg), *parts[4] = { 0 };
	int n = 0;
	for (char *save = NULL, *t = strtok_r(copy, ":", &save); t && n < 4; t = strtok_r(NULL, ":", &save))
		parts[n++] = t;
	int rc = 0;
	if (n == 1 && parts[0][0] == '/') { /* -v /PATH: a new anonymous volume */
		struct svc_mount *m = add_mount(s);
		if (m) {
			m->type = strdup("volume");
			m->target = strdup(parts[0]);
		}
	} else if (n < 2 || n > 3 || parts[1][0] != '/' || (n == 3 && strcmp(parts[2], "ro") && strcmp(parts[2], "rw"))) {
		rc = lerr_usage(e, cmd, "invalid volume '%s': want SOURCE:/PATH[:ro]", arg);
	} else {
		struct svc_mount *m = add_mount(s);
		char real[4096];
		int host = parts[0][0] == '/' || parts[0][0] == '.';
		if (host && !realpath(parts[0], real))
			rc = lerr_sys(e, "%s: bind source %s", cmd, parts[0]);
		else if (m) {
			m->type = strdup(host ? "bind" : "volume");
			m->source = strdup(host ? real : parts[0]);
			m->target = strdup(parts[1]);
			m->readonly = n == 3 && !strcmp(parts[2], "ro");
		}
	}
	free(copy);
	return rc;
}

static int tmpfs(struct svc_spec *s, const char *arg)
{
	struct svc_mount *m = add_mount(s);
	if (!m)
		return -1;
	const char *colon = strchr(arg, ':');
	m->type = strdup("tmpfs");
	m->target = colon ? strndup(arg, (size_t)(colon - arg)) : strdup(arg);
	m->options = colon ? strdup(colon + 1) : NULL;
	return 0;
}

enum {
	O_RM = 256, O_NAME, O_ENVFILE, O_ENTRY, O_RESTART, O_CPUS, O_PIDS, O_RO, O_TMPFS, O_PRIV,
	O_SYSV, O_CAPADD, O_CAPDROP, O_NET, O_IP, O_IP6, O_ALIAS, O_EXPOSE, O_ADDHOST, O_DNS, O_VNET,
	O_HCMD, O_HINTERVAL, O_HTIMEOUT, O_HRETRIES, O_HSTART, O_NOHEALTH,
};

static const struct option opts[] = {
	{ "rm", no_argument, 0, O_RM },
	{ "detach", no_argument, 0, 'd' },
	{ "interactive", no_argument, 0, 'i' },
	{ "tty", no_argument, 0, 't' },
	{ "name", required_argument, 0, O_NAME },
	{ "env", required_argument, 0, 'e' },
	{ "env-file", required_argument, 0, O_ENVFILE },
	{ "volume", required_argument, 0, 'v' },
	{ "workdir", required_argument, 0, 'w' },
	{ "user", required_argument, 0, 'u' },
	{ "hostname", required_argument, 0, 'h' },
	{ "network", required_argument, 0, O_NET },
	{ "net", required_argument, 0, O_NET },
	{ "ip", required_argument, 0, O_IP },
	{ "ip6", required_argument, 0, O_IP6 },
	{ "vnet", no_argument, 0, O_VNET },
	{ "network-alias", required_argument, 0, O_ALIAS },
	{ "alias", required_argument, 0, O_ALIAS },
	{ "publish", required_argument, 0, 'p' },
	{ "publish-all", no_argument, 0, 'P' },
	{ "expose", required_argument, 0, O_EXPOSE },
	{ "add-host", required_argument, 0, O_ADDHOST },
	{ "dns", required_argument, 0, O_DNS },
	{ "entrypoint", required_argument, 0, O_ENTRY },
	{ "restart", required_argument, 0, O_RESTART },
	{ "memory", required_argument, 0, 'm' },
	{ "cpus", required_argument, 0, O_CPUS },
	{ "cpu-shares", required_argument, 0, 'c' },
	{ "pids-limit", required_argument, 0, O_PIDS },
	{ "read-only", no_argument, 0, O_RO },
	{ "tmpfs", required_argument, 0, O_TMPFS },
	{ "privileged", no_argument, 0, O_PRIV },
	{ "sysvipc", no_argument, 0, O_SYSV },
	{ "cap-add", required_argument, 0, O_CAPADD },
	{ "cap-drop", required_argument, 0, O_CAPDROP },
	{ "label", required_argument, 0, 'l' },
	{ "health-cmd", required_argument, 0, O_HCMD },
	{ "health-interval", required_argument, 0, O_HINTERVAL },
	{ "health-timeout", required_argument, 0, O_HTIMEOUT },
	{ "health-retries", required_argument, 0, O_HRETRIES },
	{ "health-start-period", required_argument, 0, O_HSTART },
	{ "no-healthcheck", no_argument, 0, O_NOHEALTH },
	{ 0, 0, 0, 0 },
};

int svc_from_args(const char *cmd, int argc, char **argv, struct svc_spec *s, int *detach, struct lerr *e)
{
	memset(s, 0, sizeof *s);
	*detach = 0;
	optind = 1;
	opterr = 0;
	int c;
	char *end;
	/* '+': options end at the image, the rest is the jail's command. */
	while ((c = getopt_long(argc, argv, "+dite:v:w:u:h:m:c:l:p:P", opts, NULL)) != -1) {
		int rc = 0;
		switch (c) {
		case O_RM: s->auto_remove = 1; break;
		case 'd': *detach = 1; break;
		case 'i': s->interactive = 1; break;
		case 't': s->tty = 1; break;
		case O_NAME: free(s->name); s->name = strdup(optarg); break;
		case 'e': rc = add_env(s, optarg); break;
		case O_ENVFILE: rc = env_file(cmd, s, optarg, e); break;
		case 'v': rc = volume(cmd, s, optarg, e); break;
		case 'w': free(s->workdir); s->workdir = strdup(optarg); break;
		case 'u': free(s->user); s->user = strdup(optarg); break;
		case 'h': free(s->hostname); s->hostname = strdup(optarg); break;
		case O_NET: free(s->network); s->network = strdup(optarg); break;
		case O_IP: free(s->ip); s->ip = strdup(optarg); break;
		case O_IP6: free(s->ip6); s->ip6 = strdup(optarg); break;
		/* A FreeBSD vnet jail configures its own stack: here its own
		 * network namespace, with CAP_NET_ADMIN there. */
		case O_VNET: rc = strv_push(&s->cap_add, "NET_ADMIN"); break;
		case O_ALIAS: rc = name_flag(cmd, "--network-alias", dns_check_name, &s->aliases, optarg, e); break;
		case 'p': rc = port_flag(cmd, "-p", &s->ports, optarg, e); break;
		case 'P': s->publish_all = 1; break;
		case O_EXPOSE: rc = port_flag(cmd, "--expose", &s->expose, optarg, e); break;
		case O_ADDHOST: rc = name_flag(cmd, "--add-host", dns_check_add_host, &s->add_hosts, optarg, e); break;
		case O_DNS: rc = name_flag(cmd, "--dns", dns_check_server, &s->dns, optarg, e); break;
		case O_ENTRY:
			for (char **p = s->entrypoint; p && *p; p++)
				free(*p);
			free(s->entrypoint);
			s->entrypoint = calloc(2, sizeof(char *));
			if (*optarg)
				s->entrypoint[0] = strdup(optarg);
			break;
		case O_RESTART:
			if (parse_restart(optarg, &s->restart, &s->restart_max) < 0)
				rc = lerr_usage(e, cmd, "invalid restart policy '%s' (no, always, on-failure[:N], unless-stopped)", optarg);
			break;
		case 'm':
			if (parse_bytes(optarg, &s->memory) < 0 || s->memory < 6 * 1024 * 1024)
				rc = lerr_usage(e, cmd, "invalid --memory '%s' (a size like 512m, at least 6m)", optarg);
			break;
		case O_CPUS:
			s->cpus = strtod(optarg, &end);
			if (*end || end == optarg || s->cpus <= 0)
				rc = lerr_usage(e, cmd, "invalid --cpus '%s'", optarg);
			break;
		case 'c':
			s->cpu_shares = (int)strtol(optarg, &end, 10);
			if (*end || end == optarg || s->cpu_shares < 2)
				rc = lerr_usage(e, cmd, "invalid --cpu-shares '%s'", optarg);
			break;
		case O_PIDS:
			s->pids_limit = (int)strtol(optarg, &end, 10);
			if (*end || end == optarg || s->pids_limit < -1)
				rc = lerr_usage(e, cmd, "invalid --pids-limit '%s'", optarg);
			if (s->pids_limit < 0)
				s->pids_limit = 0;
			break;
		case O_RO: s->read_only = 1; break;
		case O_TMPFS: rc = tmpfs(s, optarg); break;
		case O_PRIV: s->privileged = 1; break;
		case O_SYSV: s->sysvipc = 1; break;
		case O_CAPADD: rc = strv_push(&s->cap_add, optarg); break;
		case O_HCMD: case O_NOHEALTH:
			strv_free(s->health.test), s->health.test = NULL;
			rc = c == O_NOHEALTH ? strv_push(&s->health.test, "NONE")
			     : strv_push(&s->health.test, "CMD-SHELL") < 0 ? -1 : strv_push(&s->health.test, optarg);
			break;
		case O_HINTERVAL: case O_HTIMEOUT: case O_HSTART: {
			long long *d = c == O_HINTERVAL ? &s->health.interval_ms : c == O_HTIMEOUT ? &s->health.timeout_ms : &s->health.start_ms;
			if (parse_duration(optarg, d) < 0 || (c != O_HSTART && *d <= 0))
				rc = lerr_usage(e, cmd, "invalid duration '%s' (like 30s, 1m30s, 500ms)", optarg);
			break;
		}
		case O_HRETRIES:
			s->health.retries = (int)strtol(optarg, &end, 10);
			if (*end || end == optarg || s->health.retries < 1)
				rc = lerr_usage(e, cmd, "invalid --health-retries '%s'", optarg);
			break;
		case O_CAPDROP: rc = strv_push(&s->cap_drop, optarg); break;
		case 'l': rc = strv_push(&s->labels, optarg); break;
		case ':':
			rc = lerr_usage(e, cmd, "flag %s needs an argument", argv[optind - 1]);
			break;
		default:
			rc = lerr_usage(e, cmd, "unknown flag %s", argv[optind - 1]);
			break;
		}
		if (rc < 0) {
			svc_free(s);
			return -1;
		}
	}
	if (optind >= argc) {
		svc_free(s);
		return lerr_usage(e, cmd, "an image is required");
	}
	if (s->auto_remove && s->restart != RESTART_NO) {
		svc_free(s);
		return lerr_usage(e, cmd, "--rm and --restart cannot be combined");
	}
	if (s->aliases && !user_network(s->network)) {
		svc_free(s);
		return lerr_usage(e, cmd, "--network-alias needs a user-defined network (--network NAME)");
	}
	s->image = strdup(argv[optind++]);
	if (optind < argc) {
		s->command = calloc((size_t)(argc - optind) + 1, sizeof(char *));
		for (int i = 0; optind < argc; i++)
			s->command[i] = strdup(argv[optind++]);
	}
	return 0;
}
