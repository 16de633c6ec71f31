# Sourced by benchmarks that compare jails with plain processes. A jail
# runs in a CPU cgroup (lochs/ID), and on a busy host a cgroup shares the
# CPU as one task does; so the plain peer's programs run in cgroups of the
# same shape (lochsbench/NAME) and the ratio is not the scheduler's.
# incg NAME CMD...: CMD exec'd (same pid) in lochsbench/NAME (v1 cpu, or v2
# with the cpu controller; neither: where we are). cpucg_cleanup kills what
# runs there and removes the groups.
cg=/nonexistent
if [ -f /sys/fs/cgroup/cpu/cgroup.procs ]; then cg=/sys/fs/cgroup/cpu/lochsbench
elif grep -qw cpu /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null; then cg=/sys/fs/cgroup/lochsbench
fi
mkdir -p "$cg" 2>/dev/null && [ -f /sys/fs/cgroup/cpu/cgroup.procs ] ||
	echo +cpu >"$cg/cgroup.subtree_control" 2>/dev/null || :
incg() { mkdir -p "$cg/$1" 2>/dev/null || :; sh -c 'echo $$ >"$0/cgroup.procs" 2>/dev/null; exec "$@"' "$cg/$@"; }
cpucg_cleanup() {
	for p in $(cat "$cg"/*/cgroup.procs 2>/dev/null); do kill "$p" 2>/dev/null || :; done
	sleep 0.2
	rmdir "$cg"/* "$cg" 2>/dev/null || :
}
