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
	int monitor_pid, pid, exit_code, monitor_alive;
};

/* Reads every jail record (of project, or all when NULL), checked against
 * the kernel: a record that says running whose monitor is gone is repaired
 * to exited (exit code -1 unless the monitor recorded one) in the same
 * pass, and what the monitor left (processes in the jail's cgroups, the
 * cgroups) is removed, so a crash never leaves a jail that claims to run
 * or runs unseen. */
int observe_jails(sqlite3 *db, const char *project, struct observed_jail **out, int *n, struct lerr *e);

enum want_state { WANT_CREATED, WANT_RUNNING };

struct desired {
	const struct svc_spec *spec;
	char hash[65];          /* svc_config_hash(spec) */
	enum want_state state;
};

enum act_kind { ACT_CREATE, ACT_START, ACT_REMOVE };

struct action {
	enum act_kind kind;
	int want;               /* index into desired (CREATE, START), or -1 */
	int have;               /* index into observed (START, REMOVE), or -1 */
	char why[160];
};

/* Plan modes: imperative commands (`run --name X` when X exists is a
 * conflict, as in Docker) or declarative (`apply`: recreate on a changed
 * hash, nothing when equal). */
enum plan_mode { PLAN_IMPERATIVE, PLAN_DECLARATIVE };

/* Fills out[] (at most max); returns the number of actions, or -1 with e
 * set (a name conflict in imperative mode). Order: removals first, then
 * creates, then starts. */
int reconcile_plan(enum plan_mode mode, const struct desired *want, int nwant,
		   const struct observed_jail *have, int nhave, struct action *out, int max, struct lerr *e);
const char *act_name(enum act_kind k);

/* How the executor acts; orchestrator/ supplies the jail operations. */
struct exec_ops {
	void *ctx;
	int (*create)(void *ctx, const struct svc_spec *s, const char *hash, char id[65], struct lerr *e);
	int (*start)(void *ctx, const char *id, struct lerr *e);
	int (*remove)(void *ctx, const char *id, struct lerr *e);
};

/* Runs the plan in order; ids[w] gets the jail of desired[w] (created or
 * found). Stops at the first failure (the failed action undid itself). */
int reconcile_execute(const struct action *a, int n, const struct desired *want,
		      const struct observed_jail *have, const struct exec_ops *ops, char (*ids)[65], struct lerr *e);

/* How a jail that is not running ended (restore.c). exit_code is -1 when
 * its monitor vanished while it ran (a host reboot, kill -9). */
struct jail_end {
	int exit_code, stopped_by_user, restart_count;
};
/* Whether `lochs system restore` (at boot) should start the jail again. */
int restore_wanted(enum restart_policy p, int max, const struct jail_end *end);
