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
#include "flagtable.h"


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
	O_HCMD, O_HINTERVAL, O_HTIMEOUT, O_HRETRIES, O_HSTART, O_NOHEALTH, O_DKEYS,
};

/* Docker's order: alphabetical by long name. */
const struct cli_flag svc_run_flags[] = {
	{ O_ADDHOST, "add-host", NULL, "HOST:IP", "Add a line to /etc/hosts (IP host-gateway: the jail's gateway)" },
	{ O_CAPADD, "cap-add", NULL, "CAP", "Add a Linux capability (NET_ADMIN, SYS_PTRACE, ...)" },
	{ O_CAPDROP, "cap-drop", NULL, "CAP", "Drop a Linux capability (ALL drops every one)" },
	{ 'c', "cpu-shares", NULL, "N", "CPU shares (relative weight, default 1024)" },
	{ O_CPUS, "cpus", NULL, "N", "Number of CPUs (1.5: one and a half)" },
	{ 'd', "detach", NULL, NULL, "Run in the background and print the jail ID" },
	{ O_DKEYS, "detach-keys", NULL, "KEYS", "Keys that detach from the jail's terminal (ctrl-p,ctrl-q)" },
	{ O_DNS, "dns", NULL, "IP", "A DNS server for the jail (IP or IP:PORT)" },
	{ O_ENTRY, "entrypoint", NULL, "CMD", "Override the image's entrypoint (\"\" clears it)" },
	{ 'e', "env", NULL, "KEY=VALUE", "Set an environment variable (KEY alone: our value)" },
	{ O_ENVFILE, "env-file", NULL, "FILE", "Read environment variables from a file" },
	{ O_EXPOSE, "expose", NULL, "PORT", "Expose a port or a range without publishing it" },
	{ O_HCMD, "health-cmd", NULL, "CMD", "Health check run by the jail's /bin/sh -c" },
	{ O_HINTERVAL, "health-interval", NULL, "DURATION", "Time between health checks (30s)" },
	{ O_HRETRIES, "health-retries", NULL, "N", "Failures in a row that make the jail unhealthy (3)" },
	{ O_HSTART, "health-start-period", NULL, "DURATION", "Time after start when failures do not count (0s)" },
	{ O_HTIMEOUT, "health-timeout", NULL, "DURATION", "Longest a health check may run (30s)" },
	{ 'h', "hostname", NULL, "NAME", "The jail's hostname" },
	{ 'i', "interactive", NULL, NULL, "Keep stdin open and pass it to the jail" },
	{ O_IP, "ip", NULL, "IP", "The jail's IPv4 address on its network" },
	{ O_IP6, "ip6", NULL, "IP", "The jail's IPv6 address on its network" },
	{ 'l', "label", NULL, "KEY=VALUE", "Set a label on the jail" },
	{ 'm', "memory", NULL, "SIZE", "Memory limit (512m, 2g; at least 6m)" },
	{ O_NAME, "name", NULL, "NAME", "Name the jail" },
	{ O_NET, "network", "net", "NET", "Connect to a network (lochs0, NAME, none, host, container:JAIL)" },
	{ O_ALIAS, "network-alias", "alias", "NAME", "Another name for the jail on a user-defined network" },
	{ O_NOHEALTH, "no-healthcheck", NULL, NULL, "Disable the image's health check" },
	{ O_PIDS, "pids-limit", NULL, "N", "Most processes the jail may have (-1: no limit)" },
	{ O_PRIV, "privileged", NULL, NULL, "Every capability and no seccomp filter" },
	{ 'p', "publish", NULL, "[IP:]HOST:JAIL[/udp]", "Publish a jail's port on the host" },
	{ 'P', "publish-all", NULL, NULL, "Publish every exposed port to a free host port" },
	{ O_RO, "read-only", NULL, NULL, "Mount the jail's root read-only" },
	{ O_RESTART, "restart", NULL, "POLICY", "Restart policy: no, always, on-failure[:N], unless-stopped" },
	{ O_RM, "rm", NULL, NULL, "Remove the jail when it exits" },
	{ O_SYSV, "sysvipc", NULL, NULL, "Allow System V IPC (shared memory, semaphores, queues)" },
	{ O_TMPFS, "tmpfs", NULL, "PATH[:OPTIONS]", "Mount a tmpfs at PATH" },
	{ 't', "tty", NULL, NULL, "Give the jail a pseudo-terminal" },
	{ 'u', "user", NULL, "USER[:GROUP]", "Run as this user (name or uid)" },
	{ O_VNET, "vnet", NULL, NULL, "The jail configures its own network stack (a FreeBSD vnet jail)" },
	{ 'v', "volume", NULL, "SRC:/PATH[:ro]", "Bind a host path or a named volume (/PATH alone: anonymous)" },
	{ 'w', "workdir", NULL, "DIR", "Working directory inside the jail" },
	{ 0, NULL, NULL, NULL, NULL },
};

int svc_from_args(const char *cmd, int argc, char **argv, struct svc_spec *s, int *detach, struct lerr *e)
{
	memset(s, 0, sizeof *s);
	*detach = 0;
	struct option *opts;
	char shortopts[64];
	if (cli_flags_getopt(svc_run_flags, &opts, shortopts, sizeof shortopts) < 0)
		return lerr_set(e, LX_LOCHS, "%s: out of memory", cmd);
	optind = 1;
	opterr = 0;
	int c;
	char *end;
	/* '+': options end at the image, the rest is the jail's command. */
	while ((c = getopt_long(argc, argv, shortopts, opts, NULL)) != -1) {
		int rc = 0;
		switch (c) {
		case O_RM: s->auto_remove = 1; break;
		case 'd': *detach = 1; break;
		case 'i': s->interactive = 1; break;
		case O_DKEYS: s->detach_keys = optarg; break;
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
			if (*end || end == optarg || s->cpu_shares < 0) /* 0: the default, as Docker */
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
			free(opts);
			return -1;
		}
	}
	free(opts);
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
