/* lochs.yml: a Compose Specification subset read into the desired state
 * of one project. Each service becomes a svc_spec (what `lochs run` flags
 * make), plus what only a project has: replicas, dependencies, health
 * checks, profiles, watch rules. Every error says FILE:LINE:COLUMN, the key
 * (services.web.ports[1]) and the cause. */
#pragma once
#include "service.h"

enum dep_condition { DEP_STARTED, DEP_HEALTHY, DEP_COMPLETED };

struct compose_dep {
	char *service;
	enum dep_condition condition;
	int restart;  /* restart this service when the dependency is */
	int required; /* 0: a missing or disabled dependency is skipped */
};

struct compose_health {
	int set, disable;
	char **test;        /* ["CMD", ...] or ["CMD-SHELL", "..."] */
	long long interval_ms, timeout_ms, start_period_ms, start_interval_ms;
	int retries;
};

struct compose_watch {
	char *path, *action, *target; /* action: sync, rebuild, restart, sync+restart */
	char **ignore;
};

struct compose_service {
	char *name;
	struct svc_spec spec;
	int replicas;
	struct compose_dep *deps;
	int ndeps;
	struct compose_health health;
	char **profiles;
	char *stop_signal;
	long long stop_grace_ms; /* -1: not set */
	int init;
	char **secrets, **configs;
	struct compose_watch *watch;
	int nwatch;
	char **env_files; /* env_file paths as read (watch mode watches them) */
	char *build_context, *build_dockerfile, *build_target; /* build: (Lochfile) */
	char **build_args;
	char **networks; /* every network of the service; spec.network is the first */
	/* The options of networks[i], parallel to it; [0] stays empty (the
	 * first network's are spec.aliases, spec.ip and spec.ip6). */
	struct compose_svcnet {
		char **aliases;
		char *ip, *ip6;
	} *net_opts;
	int line;        /* where its entry starts, for later messages */
};

struct compose_net {
	char *name;   /* as the file names it */
	int internal, ipv6, external;
	char *subnet, *subnet6;
	char **labels;
};

struct compose_volume {
	char *name;
	int external;
	char **labels;
};

struct compose_project {
	char *name, *dir, *file;
	struct compose_service *svcs;
	int nsvcs;
	struct compose_net *nets;
	int nnets;
	struct compose_volume *vols;
	int nvols;
	char **secrets, **configs; /* top-level names */
};

/* Reads file. project: -p (NULL: the file's `name:`, else the folder's
 * name). Variables come from env (NULL-terminated KEY=VALUE, the process
 * environment) and, behind it, the .env file beside the lochs.yml. */
int compose_load(const char *file, const char *project, char *const *env, struct compose_project *p, struct lerr *e);
void compose_free(struct compose_project *p);
/* The service named name, or NULL. */
struct compose_service *compose_service(struct compose_project *p, const char *name);
