/* Internal to translator/jail/: the steps jail_start() runs. Each returns 0
 * or -1 with e set. The child steps run in the cloned child, between
 * clone() and exec, where an error goes back to the parent by pipe. */
#pragma once
#include "jail.h"

/* cgroup.c: creates the jail's cgroups with their limits (parent side). */
int cg_create(const struct jail_config *c, struct jail_proc *p, struct lerr *e);
/* Moves pid into them, before it runs anything of the jail's. */
int cg_attach(const struct jail_proc *p, pid_t pid, struct lerr *e);

/* rootfs.c: the overlay root with the jail's mounts and /dev, mounted at
 * a private mount point of the new mount namespace; returns its fd. */
int rootfs_prepare(const struct jail_config *c, struct lerr *e);
/* pivot_root into it; the old root is detached. */
int rootfs_enter(int rootfd, struct lerr *e);
/* Whether an open_tree/fsmount'ed mount is attached at path in root. */
int mount_at(int rootfd, const char *path, int mntfd, struct lerr *e);
/* Opens (O_PATH) path inside the tree at rootfd, symlinks resolved as if
 * rootfd were /, creating missing directories (or, when file, the last
 * component as an empty file). */
int open_in_root(int rootfd, const char *path, int create, int file, struct lerr *e);

/* A new filesystem of type with "k=v,flag" options as a detached
 * mount (fd, MOUNT_ATTR_* attrs), or -1. */
int fs_new(const char *type, const char *opts, unsigned attrs, struct lerr *e);

/* dev.c: a minimal /dev on a tmpfs, attached at rootfd's /dev. */
int dev_setup(int rootfd, struct lerr *e);

/* ns.c: fds[] into 0-2 (whatever their numbers), a new session, and
 * fds[0] as its controlling terminal when ctty. */
int stdio_setup(const int fds[3], int ctty, struct lerr *e);

/* ns.c: execs bsdulator (exe, an fd opened before entering the jail) on
 * argv with the jail's proc at procfd; returns only on failure (e set,
 * 126/127). */
void bsdulator_exec(int exe, int procfd, char *const *argv, char *const *env, struct lerr *e);

/* ns.c: the child's error from the pipe's read end fd (closed): -1 with
 * e set (the child reaped), or 0 when it closed the pipe by exec. */
int child_result(int fd, pid_t pid, struct lerr *e);

/* security.c: capabilities, no_new_privs, user and groups (the last step
 * before exec). */
int security_apply(const struct jail_config *c, struct lerr *e);
/* SysV IPC limits of the jail's IPC namespace to zero (sysvipc=false),
 * through a proc mount of the jail. */
void sysvipc_disable(int procfd);

/* netns.c: the jail's network namespace: NETNS_OWN (a new one),
 * NETNS_HOST, or an open descriptor of a running jail's; -1 with e. */
enum { NETNS_OWN = -2, NETNS_HOST = -3 };
int netns_choose(const struct jail_config *c, struct lerr *e);

/* veth.c: a veth pair per network, jail end named by the endpoint (with
 * its MAC) in the netns of pid, host end on the bridge and up. */
int veth_create(const struct jail_config *c, pid_t pid, struct lerr *e);
/* Child side, in its netns: addresses, up, the default route. */
int veth_configure(const struct jail_config *c, struct lerr *e);
