#!/bin/sh
# Observed state is the database checked against the kernel (root only,
# FreeBSD test image): a jail whose monitor lives but whose kernel objects
# are partly gone is seen as not running, its monitor and what is left
# ended, and the plan starts it again:
# - pid 1 killed -9 from the host while its monitor is stopped (SIGSTOP:
#   it cannot record the end): plan (exit 2) shows "> start", ps -a says
#   Exited, a "die" event names the reason, no monitor or process is left;
# - pid 1 moved out of the jail's pids cgroup (v1; the unified one on v2)
#   and that cgroup removed, monitor healthy: the same, the process ended;
# - apply starts both again (new pids, live monitors); a second plan is
#   up to date; a healthy jail is never touched by observing it;
# - pid 1 killed while its monitor runs is the monitor's to record (137).
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/lochs.sh"
command -v sqlite3 >/dev/null || skip "sqlite3 not installed"
jail_test observe
LOCHS=$ROOT/$LOCHS # the test runs in the project folder
q() { sqlite3 "$S/lochs.db" "$1"; }
gone() { ! kill -0 "$1" 2>/dev/null || grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }
row() { q "SELECT monitor_pid || ':' || pid FROM jails WHERE name = '$1'"; }
P=$S/proj
mkdir -p "$P" && cd "$P" || fail "cd"
cat >lochs.yml <<'YAML'
name: obs
services:
  web: {image: freebsd:14.3, network_mode: none, command: ["/bin/sh", "-c", "echo up; while :; do sleep 1; done"]}
  db: {image: freebsd:14.3, network_mode: none, command: ["/bin/sh", "-c", "echo up; while :; do sleep 1; done"]}
  calm: {image: freebsd:14.3, network_mode: none, command: ["/bin/sh", "-c", "while :; do sleep 1; done"]}
YAML
expect 0 "apply" L apply
expect 0 "plan when up" L plan
calm=$(row obs-calm-1)

# --- pid 1 killed while its monitor cannot notice ---
r=$(row obs-web-1)
mon=${r%:*} pid=${r#*:}
[ "$mon" -gt 0 ] && [ "$pid" -gt 0 ] || fail "web's pids: $r"
kill -STOP "$mon"
kill -9 "$pid"
expect 2 "plan after pid 1 was killed" L plan
echo "$out" | grep -qxF "> start obs-web-1 (not running)" || fail "plan does not start web: $out"
until_ok "web's monitor ended" gone "$mon"
until_ok "web's pid 1 reaped" gone "$pid"
L ps -a | grep ' obs-web-1$' | grep -q Exited || fail "web not exited: $(L ps -a)"
id=$(q "SELECT id FROM jails WHERE name = 'obs-web-1'")
q "SELECT attrs FROM events WHERE action = 'die' AND id = '$id'" | grep -q 'its pid 1 is gone' ||
	fail "no die event with the reason: $(q "SELECT action, attrs FROM events WHERE id = '$id'")"

# --- its cgroup removed behind Lochs' back, the monitor healthy ---
r=$(row obs-db-1)
mon=${r%:*} pid=${r#*:}
id=$(q "SELECT id FROM jails WHERE name = 'obs-db-1'")
if [ -d /sys/fs/cgroup/pids/lochs/"$id" ]; then
	cg=/sys/fs/cgroup/pids
elif [ -d /sys/fs/cgroup/lochs/"$id" ]; then
	cg=/sys/fs/cgroup
else
	cg=/sys/fs/cgroup/unified
fi
[ -d "$cg/lochs/$id" ] || fail "db's cgroup not found"
for p in $(cat "$cg/lochs/$id/cgroup.procs"); do echo "$p" >"$cg/cgroup.procs" || fail "moving $p out"; done
rmdir "$cg/lochs/$id" || fail "rmdir $cg/lochs/$id"
kill -0 "$mon" && kill -0 "$pid" || fail "db's monitor or pid 1 ended by the move alone"
L ps >"$S/ps.out" || fail "ps"
grep -q ' obs-db-1$' "$S/ps.out" && fail "db still listed as running: $(cat "$S/ps.out")"
until_ok "db's monitor ended" gone "$mon"
until_ok "db's pid 1 ended" gone "$pid"
L ps -a | grep ' obs-db-1$' | grep -q Exited || fail "db not exited: $(L ps -a)"
q "SELECT attrs FROM events WHERE action = 'die' AND id = '$id'" | grep -q 'cgroups are gone' ||
	fail "no die event with the reason: $(q "SELECT action, attrs FROM events WHERE id = '$id'")"

# the healthy one was left alone throughout
[ "$(row obs-calm-1)" = "$calm" ] || fail "calm was touched: $calm -> $(row obs-calm-1)"

# --- the plan repairs both ---
expect 0 "apply" L apply
echo "$out" | grep -qx "Started obs-web-1" && echo "$out" | grep -qx "Started obs-db-1" || fail "apply: $out"
for j in obs-web-1 obs-db-1; do
	r=$(row $j)
	kill -0 "${r%:*}" && kill -0 "${r#*:}" || fail "$j not running after apply: $r"
done
expect 0 "plan after the repair" L plan
echo "$out" | grep -q "up to date" || fail "plan: $out"
[ "$(row obs-calm-1)" = "$calm" ] || fail "calm was touched by apply"
# pid 1 killed while its monitor runs: the monitor's to record (137), not
# the observer's, however often it looks meanwhile.
r=$(row obs-calm-1)
kill -9 "${r#*:}"
for i in 1 2 3 4 5; do L ps >/dev/null; done
exited137() { L inspect obs-calm-1 | grep -q '"ExitCode": 137'; }
until_ok "calm's exit recorded by its monitor" exited137
q "SELECT attrs FROM events WHERE action = 'die' AND id = '$(q "SELECT id FROM jails WHERE name = 'obs-calm-1'")'" | grep -q reason &&
	fail "the observer repaired a jail its monitor was recording"
expect 0 "down" L compose down
no_leftovers
echo "ok"
