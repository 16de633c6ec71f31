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

/* A secret or config as a service uses it: short syntax sets source only. */
struct compose_mref {
	char *source, *target; /* target NULL: the source's name */
	char *uid, *gid;       /* NULL: not set */
	int mode;              /* -1: not set (0444) */
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
	struct compose_mref *secrets, *configs;
	int nsecrets, nconfigs;
	int nfilemounts; /* the last spec.mounts: its secrets and configs */
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
	char *file;      /* the file it came from by include:, else NULL */
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

/* A top-level secret or config: where its content comes from. */
struct compose_fileobj {
	char *name;
	char *file;        /* absolute path, or NULL */
	char *environment; /* the variable holding the content, or NULL */
	char *content;     /* configs: the content as written, or NULL */
	char *value;       /* environment's value, or content: what the jail sees */
	int external;
};

struct compose_project {
	char *name, *dir, *file;
	char **files; /* every file read: -f ones, then included ones */
	struct compose_service *svcs;
	int nsvcs;
	struct compose_net *nets;
	int nnets;
	struct compose_volume *vols;
	int nvols;
	struct compose_fileobj *secrets, *configs;
	int nsecrets, nconfigs;
};

/* How to load a project: what lochs compose/plan/apply take. */
struct compose_opts {
	char **files;          /* -f, in order (NULL: the default file) */
	const char *project;   /* -p; NULL: `name:`, else the folder's name */
	char **profiles;       /* --profile (COMPOSE_PROFILES adds to them) */
	char **named;          /* services named on the command line: enabled
				* whatever their profiles */
	char *const *env;      /* KEY=VALUE; NULL-terminated */
	/* include: */
	const char *project_dir; /* NULL: the first file's folder */
	char **env_files;        /* NULL: PROJECT_DIR/.env */
	int depth, all_profiles;
};

/* -f FILE, -p NAME and --profile NAME at argv[*i] into o (advancing *i):
 * 1 when taken, 0 when argv[*i] is something else, -1 with e. */
int compose_opt_arg(struct compose_opts *o, int argc, char **argv, int *i, struct lerr *e);
void compose_opts_free(struct compose_opts *o);
/* Loads the files in order, merged (Compose merge rules), with their
 * include:s, and keeps the services whose profiles are enabled. */
int compose_load_opts(const struct compose_opts *o, struct compose_project *p, struct lerr *e);

/* Reads file. project: -p (NULL: the file's `name:`, else the folder's
 * name). Variables come from env (NULL-terminated KEY=VALUE, the process
 * environment) and, behind it, the .env file beside the lochs.yml. */
int compose_load(const char *file, const char *project, char *const *env, struct compose_project *p, struct lerr *e);
void compose_free(struct compose_project *p);
/* The service named name, or NULL. */
struct compose_service *compose_service(struct compose_project *p, const char *name);
