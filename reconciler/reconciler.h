/* The reconciliation loop's pure half: observed jails and desired services
 * in, a plan of actions out (Kubernetes controllers: observe, diff and act
 * kept apart; the diff is tested without any jail). observe.c reads the
 * observed state; orchestrator/jailops.c executes the actions. */
#pragma once
#include <sqlite3.h>
#include "../specs/service.h"
#include "../common/err.h"

struct observed_jail {
	char id[65], name[256], config_hash[65], state[16];
	char project[128], service[128];
	int monitor_pid, pid, exit_code, monitor_alive, stopped_by_user;
};

/* Reads every jail record (of project, or all when NULL), checked against
 * the kernel: a record that says running whose monitor is gone, or whose
 * monitor lives while its jail is partly gone (liveness.h: its pid 1 dead
 * or another process's, out of its cgroups, without its own network
 * namespace or root), is repaired to exited (exit code -1 unless the
 * monitor recorded one) in the same pass: such a monitor is ended first,
 * and what is left (processes in the jail's cgroups, the cgroups) is
 * removed, so a crash never leaves a jail that claims to run or runs
 * unseen. The plan then starts it again as any exited jail (apply, drift
 * healing per its restart policy). */
int observe_jails(sqlite3 *db, const char *project, struct observed_jail **out, int *n, struct lerr *e);

/* STOPPED and ABSENT: of an existing jail (PLAN_EXISTING: stop, rm). */
enum want_state { WANT_CREATED, WANT_RUNNING, WANT_STOPPED, WANT_ABSENT };

/* A dependency of a desired jail's start: every jail of group (a service)
 * must be started first and meet cond (enum dep_condition: 0 started,
 * 1 healthy, 2 completed successfully). */
struct want_dep {
	const char *group;
	int cond;
	int restart;            /* restarted when group's jails are recreated */
};

struct desired {
	const struct svc_spec *spec;
	char hash[65];          /* svc_config_hash(spec) */
	enum want_state state;
	const char *group;      /* the service it is a replica of; NULL alone */
	const struct want_dep *deps;
	int ndeps;
	char **needs;           /* made before its create: "network:NAME",
				 * "volume:NAME", "image:REF", "build:SERVICE"
				 * (NULL-terminated) */
	int again;              /* PLAN_EXISTING, RUNNING: a running jail is
				 * stopped and started again (restart) */
	int signal;             /* PLAN_EXISTING: a signal for it (kill); what
				 * it does to the state is the jail's */
};

/* CREATE..REMOVE act on jails; NETWORK, VOLUME, PULL and BUILD make
 * what a desired jail needs (action.res: the needs key). A recreate is
 * STOP+REMOVE of the old jail, then CREATE+START of the new one. */
enum act_kind { ACT_CREATE, ACT_START, ACT_REMOVE, ACT_STOP, ACT_NETWORK, ACT_VOLUME, ACT_PULL, ACT_BUILD, ACT_SIGNAL };

struct action {
	enum act_kind kind;
	int want;               /* index into desired (CREATE, START), or -1 */
	int have;               /* index into observed (START, STOP, REMOVE), or -1 */
	char why[160];
	char res[300];          /* NETWORK, VOLUME, PULL, BUILD: "network:NAME"... */
	int wave;               /* reconcile_graph: 1 + the longest chain before it */
};

/* Plan modes: imperative commands (`run --name X` when X exists is a
 * conflict, as in Docker) or declarative (`apply`: recreate on a changed
 * hash, nothing when equal); existing: the desired jails are existing
 * ones named by the user (start, stop, restart, kill, rm), brought to
 * their state from the observed one: START when not running, STOP when
 * running (or to record a user's stop), STOP+START for again, SIGNAL,
 * REMOVE; "no such jail" when absent. */
enum plan_mode { PLAN_IMPERATIVE, PLAN_DECLARATIVE, PLAN_EXISTING };

/* Fills out[] (at most max); returns the number of actions, or -1 with e
 * set (a name conflict in imperative mode). Order: removals first, then
 * creates, then starts (a valid order to run them one by one). */
int reconcile_plan(enum plan_mode mode, const struct desired *want, int nwant,
		   const struct observed_jail *have, int nhave, struct action *out, int max, struct lerr *e);
const char *act_name(enum act_kind k);
/* "create shop-web-1", "network shop_back": what the action acts on. */
void act_label(const struct action *a, const struct desired *want, const struct observed_jail *have, char *out,
	       size_t size);

/* The restarts depends_on `restart: true` asks for: a running jail whose
 * own configuration is unchanged (no action of its own in out[0..n)) is
 * stopped and started again after such a dependency's jails are
 * recreated. Appended to out (at most max); the new count, or -1. Pure. */
int plan_restarts(const struct desired *want, int nwant, const struct observed_jail *have, int nhave,
		  struct action *out, int n, int max);

/* An edge of the plan's DAG: a[to] runs once a[from] finished (from -1:
 * nothing to wait for) and, when cond >= 0, the jail of desired[jail]
 * meets cond (enum dep_condition). */
struct plan_edge {
	int from, to, cond, jail;
};

struct plan {
	struct action *a;
	int n;
	struct plan_edge *edge;
	int nedge;
	int nwaves;
};

/* The DAG of a flat plan (reconcile_plan, project extras and resource
 * actions, in any order): a running jail's removal gets a STOP before it;
 * edges: resource -> create of the jails needing it (networks one after
 * the other: each picks a free subnet), the old jail's removal -> the
 * create of the same name, create -> start, the starts of a jail's
 * depends_on services -> its start (with their condition, checked even
 * when those need no action), a network_mode container:NAME's start ->
 * the create. Waves: what could run together with unbounded workers.
 * Pure; -1 with e on a cycle or no memory. */
int reconcile_graph(const struct action *flat, int nflat, const struct desired *want, int nwant,
		    const struct observed_jail *have, int nhave, struct plan *out, struct lerr *e);
void plan_free(struct plan *p);

/* A dependency between services: those of service depend on those of on. */
struct svc_dep {
	const char *service, *on;
};
/* Taking jails down (compose down): every have[] removed, a running one
 * stopped first, and the stops in reverse dependency order, as Compose
 * does: a jail of service is stopped before any of what it depends on.
 * Pure; -1 with e on a cycle or no memory. */
int reconcile_teardown(const struct observed_jail *have, int nhave, const struct svc_dep *deps, int ndeps,
		       struct plan *out, struct lerr *e);

/* How the executor acts; orchestrator/ supplies the jail operations
 * (stop and signal: for PLAN_EXISTING's actions; NULL elsewhere). */
struct exec_ops {
	void *ctx;
	int (*create)(void *ctx, const struct svc_spec *s, const char *hash, char id[65], struct lerr *e);
	int (*start)(void *ctx, const char *id, struct lerr *e);
	int (*remove)(void *ctx, const char *id, struct lerr *e);
	int (*stop)(void *ctx, const char *id, struct lerr *e);
	int (*signal)(void *ctx, const char *id, struct lerr *e);
};

/* Runs the plan in order; ids[w] gets the jail of desired[w] (created or
 * found). Stops at the first failure (the failed action undid itself). */
int reconcile_execute(const struct action *a, int n, const struct desired *want,
		      const struct observed_jail *have, const struct exec_ops *ops, char (*ids)[65], struct lerr *e);

/* The worker pool: what runs a DAG's actions. */
struct pool_ops {
	void *ctx;
	/* In a new worker process, before its action (its own database
	 * connection: SQLite's cannot cross a fork). */
	void (*child_init)(void *ctx);
	/* Runs one action in a worker; for CREATE, id gets the new jail's id;
	 * for START, id is the jail's. */
	int (*run)(void *ctx, const struct action *a, char id[65], struct lerr *e);
	/* In the pool's process: 1 when jail meets cond, 0 not yet, -1 never
	 * (e set). */
	int (*check)(void *ctx, const char *jail, int cond, long long waited_ms, struct lerr *e);
};

struct pool_opts {
	int workers;            /* at most this many actions at once */
	int attempts;           /* tries per action (back-off 0.5 s, 1 s, 2 s...) */
	long long wait_ms;      /* how long a condition may take */
	int quiet;              /* no progress lines */
};

/* Runs p: each action once its edges allow, in a worker process, at most
 * o->workers at once; a failed action is tried again after a growing
 * delay, and when it still fails its dependants are skipped, each with a
 * one-line reason; the independent rest goes on. Progress ("Creating X",
 * "Created X") on stdout. ids[w] gets desired[w]'s jail. 0, or -1 with e
 * naming the first failure. */
int reconcile_run(const struct plan *p, const struct desired *want, const struct observed_jail *have,
		  const struct pool_ops *ops, const struct pool_opts *o, char (*ids)[65], struct lerr *e);

/* How a jail that is not running ended (restore.c). exit_code is -1 when
 * its monitor vanished while it ran (a host reboot, kill -9). */
struct jail_end {
	int exit_code, stopped_by_user, restart_count;
};
/* Whether `lochs system restore` (at boot) should start the jail again. */
int restore_wanted(enum restart_policy p, int max, const struct jail_end *end);
