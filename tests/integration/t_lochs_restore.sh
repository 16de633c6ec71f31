#!/bin/sh
# Reboot survival and crash safety, with the FreeBSD test image:
# - a simulated host reboot (monitors and jails SIGKILLed by pid from the
#   database, their cgroups removed): ps shows the jails exited, and
#   `lochs system restore` brings back exactly those the restart policy
#   names (always, even stopped by the user; unless-stopped unless stopped
#   by the user; on-failure cut short; not no), once (a second run does
#   nothing); a killed monitor alone: its jail is killed and restarted;
# - kill -9 of a foreground `lochs run` right after start and while
#   attached, and a create cut between its record and its directory: ps -a
#   stays consistent, rm -f cleans, and nothing is left: no mounts under
#   the state root, no lochs cgroups, no monitors, no jail directories.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/lochs.sh"
command -v sqlite3 >/dev/null || skip "sqlite3 not installed"
q() { sqlite3 "$S/lochs.db" "$1"; }
# until CMD: polls CMD for up to 10 s.
until_ok() {
	n=0
	until "$@"; do n=$((n + 1)); [ $n -lt 100 ] || return 1; sleep 0.1; done
}
gone() { ! kill -0 "$1" 2>/dev/null; }
running() { L ps | awk 'NR > 1 { print $NF }' | sort | tr '\n' ' '; }
# the jail's cgroup directories (v2 or v1)
cgroups() { ls -d /sys/fs/cgroup/lochs/"$1" /sys/fs/cgroup/*/lochs/"$1" 2>/dev/null || true; }
# Nothing of this state root left in the kernel or on disk.
nothing_left() {
	grep -q " $S/" /proc/self/mountinfo && fail "$1: mounts left: $(grep " $S/" /proc/self/mountinfo)"
	for id in $(ls "$S/jails" 2>/dev/null); do fail "$1: jail directory left: $id"; done
	q "SELECT id FROM jails" >>"$S/ids"
	for id in $(sort -u "$S/ids"); do
		[ -z "$(cgroups "$id")" ] || fail "$1: cgroups left: $(cgroups "$id")"
	done
	for p in $(pgrep -x lochs-monitor || true); do
		tr '\0' ' ' </proc/$p/cmdline 2>/dev/null | grep -q " $S " && fail "$1: monitor left: $p"
	done
	return 0
}

jail_test restore
idle='echo up; while true; do sleep 1; done'

# --- a host reboot ---
for j in always:always unless:unless-stopped stopped:unless-stopped astop:always no:no fail:on-failure; do
	L run -d --name "${j%%:*}" --restart "${j#*:}" freebsd:14.3 /bin/sh -c "$idle" >>"$S/ids" || fail "run ${j%%:*}"
done
L stop -t 1 stopped astop >/dev/null || fail "stop"
[ "$(running)" = "always fail no unless " ] || fail "before the reboot: $(running)"
# the reboot: every monitor and jail SIGKILLed, their cgroups gone
for row in $(q "SELECT monitor_pid || ':' || pid FROM jails WHERE state = 'running'"); do
	kill -9 "${row%:*}" "${row#*:}" 2>/dev/null || true
	until_ok gone "${row%:*}" && until_ok gone "${row#*:}" || fail "SIGKILL: $row lives"
done
for id in $(cat "$S/ids"); do
	for d in $(cgroups "$id"); do until_ok rmdir "$d" || fail "rmdir $d"; done
done
[ -z "$(running)" ] || fail "ps after the reboot: $(running)"
for j in always unless stopped astop no fail; do
	L ps -a | grep " $j\$" | grep -q Exited || fail "ps -a: $j not exited: $(L ps -a)"
done
out=$(L system restore) || fail "system restore: $out"
echo "$out"
[ "$(running)" = "always astop fail unless " ] || fail "after restore: $(running)"
for j in always astop fail unless; do
	until_ok sh -c "$LOCHS --root $S logs $j | grep -c up | grep -q 2" || fail "$j did not run again: $(L logs $j)"
done
[ -z "$(L system restore)" ] || fail "a second restore did something"

# A killed monitor alone: the next observation kills its orphaned jail and
# removes its cgroups; restore starts it again.
row=$(q "SELECT monitor_pid || ':' || pid FROM jails WHERE name = 'always'")
kill -9 "${row%:*}"
until_ok gone "${row%:*}" || fail "monitor lives"
L ps >/dev/null
until_ok gone "${row#*:}" || fail "the jail of a killed monitor still runs (pid ${row#*:})"
[ -z "$(cgroups "$(q "SELECT id FROM jails WHERE name = 'always'")")" ] || fail "cgroups of a killed monitor left"
[ "$(L system restore)" = "started always" ] || fail "restore after a killed monitor"
[ "$(running)" = "always astop fail unless " ] || fail "after the second restore: $(running)"
for id in $(L ps -aq); do L rm -f "$id" >/dev/null || fail "rm -f $id"; done
nothing_left "after the reboot"

# --- kill -9 of the CLI ---
# right after start (the monitor may still wait for its client)
$LOCHS --root "$S" run --name x1 freebsd:14.3 /bin/sh -c 'sleep 2' >/dev/null 2>&1 &
cli=$!
sleep 0.2
q "SELECT id FROM jails" >>"$S/ids"
kill -9 $cli
wait $cli 2>/dev/null || true
L ps -a | grep -q ' x1$' || fail "x1 not in ps -a: $(L ps -a)"
L rm -f x1 >/dev/null || fail "rm -f x1"
nothing_left "CLI killed after 0.2 s"
# while attached, after the jail printed
$LOCHS --root "$S" run --name x2 freebsd:14.3 /bin/sh -c 'echo hi; sleep 2' >"$S/x2.out" 2>&1 &
cli=$!
until_ok grep -q hi "$S/x2.out" || fail "x2 printed nothing"
q "SELECT id FROM jails" >>"$S/ids"
kill -9 $cli
wait $cli 2>/dev/null || true
L ps -a | grep ' x2$' | grep -Eq 'Up|Exited' || fail "x2: $(L ps -a)"
until_ok sh -c "$LOCHS --root $S ps -a | grep ' x2\$' | grep -q Exited" || fail "x2 did not finish: $(L ps -a)"
[ "$(L wait x2)" = 0 ] || fail "x2 exit: $(L wait x2)"
L rm -f x2 >/dev/null || fail "rm -f x2"
nothing_left "CLI killed while attached"
# --rm: the monitor removes the jail after its end
$LOCHS --root "$S" run --rm --name x3 freebsd:14.3 /bin/sh -c 'echo hi; sleep 1' >"$S/x3.out" 2>&1 &
cli=$!
until_ok grep -q hi "$S/x3.out" || fail "x3 printed nothing"
q "SELECT id FROM jails" >>"$S/ids"
kill -9 $cli
until_ok sh -c "! $LOCHS --root $S ps -a | grep -q ' x3\$'" || fail "--rm jail left: $(L ps -a)"
nothing_left "--rm CLI killed"

# A create cut between its record and its directory: removable.
L create --name x4 freebsd:14.3 true >/dev/null || fail "create x4"
id=$(q "SELECT id FROM jails WHERE name = 'x4'")
rm -rf "$S/jails/$id"
L ps -a | grep -q ' x4$' || fail "x4 not in ps -a"
L rm x4 >/dev/null || fail "rm x4 without its directory"
nothing_left "cut create"
echo "ok"
