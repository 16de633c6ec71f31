/* The Linux side of a jail (hosted C, linked into lochs-monitor and lochs;
 * not part of the freestanding bsdulator binary).
 *
 * The executor (orchestrator/) writes ROOT/jails/ID/config.json; the
 * monitor (orchestrator/monitor/) reads it with jail_config_load() and calls
 * jail_start(), which creates the jail's namespaces (mount, PID, UTS, IPC,
 * network, cgroup), mounts the overlay root over the image layers inside the
 * new mount namespace (so nothing leaks when the jail dies), a minimal /dev,
 * pivot_root, applies the cgroup limits and the security settings, and
 * execs bsdulator (opened before pivot_root: the root need not contain it)
 * on the FreeBSD program, which is pid 1 inside.
 *
 * config.json (all keys present; arrays may be empty):
 * {
 *   "id": "64 hex", "name": "web", "hostname": "web",
 *   "lowerdirs": ["ROOT/layers/<hex>/root", ...],   top layer first
 *   "upperdir": "ROOT/jails/ID/upper", "workdir": "ROOT/jails/ID/work",
 *   "read_only": false,
 *   "argv": ["/bin/sh", "-c", "..."], "env": ["PATH=/bin:/usr/bin", ...],
 *   "cwd": "/", "user": "0:0",                          uid:gid, numeric
 *   "mounts": [{"type": "bind"|"tmpfs", "source": "/host/path", "target": "/in/jail",
 *               "readonly": false, "options": "size=64m"}],
 *   "memory": 0, "cpus": 0.0, "cpu_shares": 0, "pids_limit": 0,   0 = unlimited
 *   "tty": false,
 *   "privileged": false, "sysvipc": false, "cap_add": [], "cap_drop": [],
 *   "bsdulator": "/path/to/bsdulator",
 *   "restart": "no"|"always"|"on-failure"|"unless-stopped", "restart_max": 0,
 *   "auto_remove": false, "stdin": false, "attach_wait": false, "published": false,
 *   "networks": [{"network": "lochs0", "bridge": "lochs0", "address": "172.30.0.2/24",
 *                 "gateway": "172.30.0.1", "mac": "02:xx:xx:xx:xx:xx"}]
 * }
 * The last five are for the monitor and may be absent (defaults shown):
 * restart_max bounds on-failure restarts (0 = no bound), auto_remove is
 * `run --rm` (the monitor deletes the row and ROOT/jails/ID after the final
 * exit), stdin keeps the jail's stdin open as a pipe fed by attach clients
 * (`-i`; otherwise /dev/null; a tty jail always reads the pty), attach_wait
 * makes the monitor start the jail only once the first attach client is
 * connected (a foreground run misses no output), published (-p/-P) makes
 * the monitor have the firewall written again as the jail starts and ends
 * (only running jails' ports are forwarded), and healthcheck ({"argv": [...],
 * "interval_ms", "timeout_ms", "start_ms", "retries"}) is the check its
 * monitor runs in the jail. networks (absent or
 * empty: only loopback) are the jail's endpoints: for each, a veth pair
 * whose host end (lochs + 10 hex of the id, +index) is on bridge and whose
 * jail end is eth0 (eth1, ...) with mac and address; the first one's
 * gateway is the default route. The executor owns the addresses (IPAM).
 */
#pragma once
#include <sys/types.h>
#include "../../common/err.h"

struct jail_mount {
	char *type, *source, *target, *options;
	int readonly;
};

struct jail_net {
	char *network, *bridge, *address, *gateway, *mac; /* address: "a.b.c.d/prefix" */
	char *ifname;  /* the jail end's name; "ethN" (N = index) when absent */
	char *address6, *gateway6; /* "" or "x::y/prefix" and its gateway */
	int internal;  /* no default route through this network */
};

struct jail_config {
	char *id, *name, *hostname;
	char **lowerdirs; /* NULL-terminated, top layer first */
	char *upperdir, *workdir;
	int read_only;
	char **argv, **env; /* NULL-terminated */
	char *cwd;
	unsigned uid, gid;
	struct jail_mount *mounts;
	int nmounts;
	long long memory; /* bytes */
	double cpus;
	int cpu_shares, pids_limit;
	int tty;
	int privileged, sysvipc;
	char **cap_add, **cap_drop;
	char *bsdulator;
	char *restart; /* never NULL after load: "no" when absent */
	int restart_max, auto_remove, open_stdin, attach_wait;
	int published; /* has published ports: its DNAT rules follow its runs */
	/* The health check the monitor runs in the jail: argv NULL for none. */
	char **health_argv;
	long long health_interval_ms, health_timeout_ms, health_start_ms;
	int health_retries;
	struct jail_net *nets;
	int nnets;
	/* "" (absent): the jail's own network namespace with nets; "host": the
	 * host's; "container:ID": that running jail's (found by its cgroup). */
	char *netns;
};

/* A running jail as its monitor sees it. */
struct jail_proc {
	pid_t pid;          /* host pid of the jail's pid 1 */
	char cgroup[4][512]; /* cgroup directories created (v2, or v1 memory/pids/freezer/cpu) */
	int ncgroup;
};

int jail_config_load(const char *path, struct jail_config *c, struct lerr *e);
void jail_config_free(struct jail_config *c);

/* Starts the jail with stdin/stdout/stderr = fds[0..2] (for a tty jail all
 * three are the pty's slave). On failure nothing is left behind. A program
 * that cannot be found or run makes the jail exit 127/126 with bsdulator's
 * one-line message on its stderr, as docker run does. */
int jail_start(const struct jail_config *c, const int fds[3], struct jail_proc *p, struct lerr *e);
/* A program run inside a running jail (lochs exec). */
struct jail_exec {
	char **argv, **env;  /* NULL-terminated; env is the whole environment */
	const char *cwd;
	unsigned uid, gid;
	int fds[3];          /* its stdin, stdout, stderr */
	int tty;             /* fds[0] is a pty slave: make it the controlling tty */
};
/* Joins the running jail whose pid 1 is host pid `pid` (c: the jail's
 * config: bsdulator, capabilities): its cgroups, then its mount, UTS, IPC,
 * network, cgroup and PID namespaces, and runs x->argv there under
 * bsdulator with the jail's privileges. Returns, once the program is
 * executing, the host pid of a helper whose exit status is the program's
 * (the helper forwards SIGINT, SIGTERM, SIGHUP, SIGQUIT to it); -1 with e
 * set when joining failed. */
pid_t jail_exec(const struct jail_config *c, pid_t pid, const struct jail_exec *x, struct lerr *e);
/* Whether the kernel's OOM killer killed a process of the jail. */
int jail_oom_killed(const struct jail_proc *p);
/* Starts the kernel's wait that a cgroup move needs (see cgroup.c) early,
 * at the beginning of a command that is going to start a jail. */
void jail_cgroup_prewarm(void);
/* Removes the jail's cgroups (after it exited). */
void jail_cleanup(struct jail_proc *p);
/* Installs the jail's seccomp allow-list in the calling process (nothing
 * when privileged): the last step before exec, after the capabilities and
 * no_new_privs are set (capabilities held then open their gated calls).
 * For the jail's pid 1 and for processes `lochs exec` enters. */
int jail_seccomp_install(const struct jail_config *c, struct lerr *e);
/* The cgroup directories of the jail with this id that exist (v2: one;
 * v1: memory, pids, freezer, maybe cpu), at most max; their count. */
int jail_cgroup_dirs(const char *id, char dirs[][512], int max);
/* Freezes (pause) or thaws (unpause) the jail's tasks and waits until
 * the kernel says it is done. */
int jail_freeze(const char *id, int frozen, struct lerr *e);

/* veth.c, one endpoint (a live `network connect`/`disconnect` too): the
 * host end's name (lochs + 6 hex of the id + 4 of the network's name); the
 * pair with the jail end in the netns of pid; inside that netns, the jail
 * end's address, up, and with route the default route via its gateway;
 * deleting the host end (and so the pair). */
void veth_host_name(const char *id, const char *network, char out[16]);
int veth_add(const char *id, const struct jail_net *n, pid_t pid, struct lerr *e);
int veth_setup(const struct jail_net *n, int route, struct lerr *e);
int veth_remove(const char *id, const char *network, struct lerr *e);
