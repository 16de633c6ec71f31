/* The desired state of one service: what `lochs run`/`create` flags and
 * (later) one lochs.yml service entry become. Imperative commands build
 * one of these and hand it to the reconciler like `apply` does. */
#pragma once
#include <jansson.h>
#include "../common/err.h"

enum restart_policy { RESTART_NO, RESTART_ALWAYS, RESTART_ON_FAILURE, RESTART_UNLESS_STOPPED };

struct svc_mount {
	char *type;   /* "bind", "volume" or "tmpfs" */
	char *source; /* host path or volume name; NULL for tmpfs */
	char *target; /* path inside the jail */
	char *options;/* tmpfs options ("size=64m"), or NULL */
	int readonly;
	/* A file Lochs writes (a compose secret or config given by content or
	 * environment): source NULL, type "bind"; mode -1: 0444; uid/gid -1:
	 * root. */
	char *content;
	int mode, uid, gid;
};

/* A health check: test NULL is the image's (HEALTHCHECK), ["NONE"] none,
 * else ["CMD", argv...] or ["CMD-SHELL", "script"]. */
struct svc_health {
	char **test;
	long long interval_ms, timeout_ms, start_ms; /* 0: the defaults (30 s, 30 s, 0) */
	int retries;                                 /* 0: 3 */
};

struct svc_spec {
	char *name;          /* jail name; NULL: generated */
	char *image;         /* reference as the user wrote it */
	char **command;      /* NULL: the image's Cmd */
	char **entrypoint;   /* NULL: the image's Entrypoint; empty list: none */
	char **env;          /* KEY=VALUE, after the image's */
	char *workdir, *user, *hostname;
	char *network;       /* NULL: the default network lochs0; "none": loopback only;
			      * "host": the host's stack; "container:NAME": NAME's */
	char *ip, *ip6;      /* static addresses on network, or NULL */
	char **aliases;      /* --network-alias: more DNS names on network */
	char **ports;        /* -p as written ([IP:]HOST:JAIL[/proto]); checked at create */
	int publish_all;     /* -P: every exposed port to a free host port */
	char **expose;       /* --expose PORT[/proto], next to the image's */
	char **add_hosts;    /* --add-host NAME:IP */
	char **dns;          /* --dns IP: the resolvers names are forwarded to */
	struct svc_mount *mounts;
	int nmounts;
	long long memory;    /* bytes, 0 = unlimited */
	double cpus;
	int cpu_shares, pids_limit;
	int read_only, tty, interactive, privileged, sysvipc, auto_remove;
	char **cap_add, **cap_drop, **labels; /* labels: KEY=VALUE */
	enum restart_policy restart;
	int restart_max;     /* on-failure:N, 0 = unbounded */
	char *project, *service; /* owner labels; "" for imperative jails */
	struct svc_health health;
	char *stop_signal;      /* NULL: SIGTERM */
	long long stop_grace_ms;/* -1 or 0: the default (10 s) */
	int init;               /* run an init as PID 1 that reaps and forwards signals */
	const char *detach_keys; /* run's --detach-keys (in argv, unchecked): the client's, not the jail's */
};

/* Flags of `run`/`create` (Docker's names), from argv[*i] up to the image;
 * then the image and the command. cmd names the command for errors. */
int svc_from_args(const char *cmd, int argc, char **argv, struct svc_spec *s, int *detach, struct lerr *e);

json_t *svc_to_json(const struct svc_spec *s);
int svc_from_json(json_t *j, struct svc_spec *s, struct lerr *e);
/* The config hash: SHA-256 hex of the canonical JSON of every field that
 * changes what runs (a change recreates the jail; a rename does not). */
void svc_config_hash(const struct svc_spec *s, char out[65]);
/* The same with the image id the reference resolves to now (apply, watch):
 * a tag moved to another image (`lochs tag`, a new pull) changes the hash,
 * so the service is rolled out. */
void svc_config_hash_pinned(const struct svc_spec *s, const char *image_id, char out[65]);
void svc_free(struct svc_spec *s);

/* Parsers shared with lochs.yml: "512m" → bytes; "on-failure:3". */
int parse_bytes(const char *s, long long *out);
int parse_restart(const char *s, enum restart_policy *p, int *max);
/* Compose and Docker durations: 1m30s, 10s, 500ms, 1h, 2us; a bare number
 * is seconds. */
int parse_duration(const char *s, long long *ms);
const char *restart_name(enum restart_policy p);
