#!/bin/sh
# What the run flags make of a jail, read from the host's kernel (root
# only): --cpus, --cpu-shares and --pids-limit in the jail's cgroups (v1
# here, v2 where its controllers are); its own IPC, cgroup, UTS, PID, mount
# and network namespaces; the capability set (default, --cap-drop,
# --cap-add, --privileged), no_new_privs and the seccomp filter; SysV IPC
# off by default and on with --sysvipc; the minimal /dev and FreeBSD's
# /dev/stdin, /dev/stdout and /dev/fd/N working without /proc. Then CLI
# details: ps --format json|table, logs --since, LOCHS_ROOT, the config
# file's freebsd_mirror, and restart back-off (the pauses grow).
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/lochs.sh"
jail_test limits
T() { timeout 60 "$LOCHS" --root "$S" "$@"; }
jpid() { T inspect "$1" | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["State"]["Pid"])'; }
status() { sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status"; }
# cg PID CONTROLLER V1FILE V2FILE: the value of a jail's cgroup file.
cg() {
	line=$(grep -E "^[0-9]+:([^:]*,)?$2(,[^:]*)?:" "/proc/$1/cgroup" || true)
	if [ -n "$line" ]; then
		ctrls=${line#*:}; ctrls=${ctrls%%:*}
		cat "/sys/fs/cgroup/$ctrls${line##*:}/$3"
	else
		v2=$(findmnt -n -t cgroup2 -o TARGET | head -n 1)
		cat "$v2$(sed -n 's/^0:://p' "/proc/$1/cgroup")/$4"
	fi
}
capbit() { python3 -c 'import sys; print((int(sys.argv[1], 16) >> int(sys.argv[2])) & 1)' "$1" "$2"; }
CAP_CHOWN=0 CAP_NET_RAW=13 CAP_SYS_ADMIN=21

# --- cgroup limits ---
expect 0 "run limited" T run -d --name lim --network none --cpus 0.5 --cpu-shares 512 \
	--pids-limit 64 freebsd:14.3 sleep 300
pid=$(jpid lim)
case $(cg "$pid" cpu cpu.cfs_quota_us cpu.max) in 50000 | "50000 100000") ;; *) fail "--cpus 0.5: $(cg "$pid" cpu cpu.cfs_quota_us cpu.max)" ;; esac
shares=$(cg "$pid" cpu cpu.shares cpu.weight)
[ "$shares" = 512 ] || [ "$shares" = 20 ] || fail "--cpu-shares 512: $shares"
[ "$(cg "$pid" pids pids.max pids.max)" = 64 ] || fail "--pids-limit 64: $(cg "$pid" pids pids.max pids.max)"

# --- namespaces: every one the jail's own ---
for ns in ipc cgroup uts pid mnt net; do
	[ "$(readlink "/proc/$pid/ns/$ns")" != "$(readlink "/proc/self/ns/$ns")" ] || fail "jail shares the host's $ns namespace"
done
# The cgroup namespace is rooted at the jail's cgroup: it sees itself at /.
[ "$(nsenter -t "$pid" -C cat /proc/self/cgroup | grep -c ':/$')" -ge 1 ] ||
	fail "cgroup namespace not rooted at the jail: $(nsenter -t "$pid" -C cat /proc/self/cgroup)"

# --- security defaults ---
eff=$(status "$pid" CapEff)
[ "$(capbit "$eff" $CAP_CHOWN)" = 1 ] || fail "default caps lack CHOWN: $eff"
[ "$(capbit "$eff" $CAP_NET_RAW)" = 0 ] || fail "default caps have NET_RAW: $eff"
[ "$(capbit "$eff" $CAP_SYS_ADMIN)" = 0 ] || fail "default caps have SYS_ADMIN: $eff"
[ "$(status "$pid" NoNewPrivs)" = 1 ] || fail "no_new_privs not set"
[ "$(status "$pid" Seccomp)" = 2 ] || fail "no seccomp filter"
# SysV IPC: none in the jail's IPC namespace unless asked for.
[ "$(nsenter -t "$pid" -i cat /proc/sys/kernel/shmmni)" = 0 ] || fail "SysV shm allowed by default"
[ "$(nsenter -t "$pid" -i cat /proc/sys/kernel/msgmni)" = 0 ] || fail "SysV msg allowed by default"
expect 0 "rm lim" T rm -f lim

expect 0 "run caps" T run -d --name caps --network none --cap-drop CHOWN --cap-add NET_RAW --sysvipc freebsd:14.3 sleep 300
pid=$(jpid caps) eff=$(status "$pid" CapEff)
[ "$(capbit "$eff" $CAP_CHOWN)" = 0 ] || fail "--cap-drop CHOWN kept it: $eff"
[ "$(capbit "$eff" $CAP_NET_RAW)" = 1 ] || fail "--cap-add NET_RAW missing: $eff"
[ "$(nsenter -t "$pid" -i cat /proc/sys/kernel/shmmni)" != 0 ] || fail "--sysvipc: shm still off"
expect 0 "rm caps" T rm -f caps

expect 0 "run privileged" T run -d --name priv --network none --privileged freebsd:14.3 sleep 300
pid=$(jpid priv)
[ "$(status "$pid" CapEff)" = "$(status $$ CapBnd)" ] || fail "--privileged caps $(status "$pid" CapEff), host $(status $$ CapBnd)"
[ "$(status "$pid" NoNewPrivs)" = 0 ] || fail "--privileged set no_new_privs"
expect 0 "rm priv" T rm -f priv
expect 125 "bad capability" T run --rm --network none --cap-add NOT_A_CAP freebsd:14.3 true
case $out in *NOT_A_CAP*) ;; *) fail "bad capability not named: $out" ;; esac

# --- /dev: the minimal set, and FreeBSD's descriptor nodes without /proc ---
expect 0 "ls /dev" T run --rm --network none freebsd:14.3 /bin/ls /dev
[ "$(echo $out)" = "fd full null ptmx pts random shm stderr stdin stdout tty urandom zero" ] ||
	fail "/dev holds: $(echo $out)"
out=$(echo piped | T run --rm -i --network none freebsd:14.3 /bin/cat /dev/stdin) || fail "cat /dev/stdin"
[ "$out" = piped ] || fail "cat /dev/stdin: $out"
expect 0 "/dev/stdout, /dev/fd/N" T run --rm --network none freebsd:14.3 /bin/sh -c \
	'echo one > /dev/stdout; echo two > /dev/fd/1; echo three | cat /dev/fd/0; echo four 2>&1 >/dev/stderr'
[ "$(echo $out)" = "one two three four" ] || fail "descriptor nodes: $out"
expect 1 "/dev/fd of a closed descriptor" T run --rm --network none freebsd:14.3 /bin/cat /dev/fd/9

# --- CLI details ---
expect 0 "run two lines" T run --name lines --network none freebsd:14.3 /bin/sh -c 'echo first; sleep 1.5; echo second'
second=$(T logs -t lines | sed -n 's/ second$//p')
[ -n "$second" ] || fail "logs -t: $(T logs -t lines)"
expect 0 "logs --since" T logs --since "$second" lines
[ "$out" = second ] || fail "logs --since $second: $out"
expect 0 "logs --since 1h" T logs --since 1h lines
[ "$(echo $out)" = "first second" ] || fail "logs --since 1h: $out"
expect 125 "logs --since junk" T logs --since yesterday-ish lines
[ "$(echo "$out" | wc -l)" = 1 ] || fail "bad --since: not one line: $out"

expect 0 "ps --format json" T ps -a --format json
# One JSON object a line, as docker ps --format json prints them.
echo "$out" | python3 -c 'import json, sys; j = [json.loads(l) for l in sys.stdin]; assert any(r["Name"] == "lines" for r in j), j' ||
	fail "ps --format json: $out"
expect 0 "ps --format table" T ps -a --format table
echo "$out" | head -n 1 | grep -q '^JAIL ID  *IMAGE' || fail "ps --format table header: $out"
echo "$out" | grep -q ' lines$' || fail "ps --format table rows: $out"
expect 125 "ps --format junk" T ps --format xml

# LOCHS_ROOT stands for --root.
out=$(LOCHS_ROOT=$S timeout 60 "$LOCHS" ps -aq) || fail "LOCHS_ROOT ps"
[ "$out" = "$(T ps -aq)" ] || fail "LOCHS_ROOT ps: $out"

# The config file's freebsd_mirror is used when no --mirror is given.
printf '{"freebsd_mirror": "%s"}\n' "$MIRROR_URL" >"$S/config.json"
expect 0 "pull from the config's mirror" env -u LOCHS_FREEBSD_MIRROR "$LOCHS" --root "$S" pull -q freebsd:13.5
T images | grep -q '13.5' || fail "freebsd:13.5 not pulled: $(T images)"
rm -f "$S/config.json"

# Restart back-off: a jail failing four times in a row is restarted after
# pauses that grow (100 ms doubling; start-up time is in every gap).
expect 0 "flapping jail" T run -d --name flap --network none --restart on-failure:4 freebsd:14.3 /bin/sh -c 'echo run; exit 3'
state() { T inspect "$1" | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["State"]["Status"])'; }
done_flapping() { [ "$(state flap)" = exited ] && [ "$(T logs flap | grep -c run)" = 5 ]; }
until_ok "four restarts" done_flapping
T logs -t flap | python3 -c '
import sys, datetime
ts = [datetime.datetime.fromisoformat(l.split()[0].rstrip("Z")) for l in sys.stdin if l.strip()]
g = [(b - a).total_seconds() for a, b in zip(ts, ts[1:])]
assert len(g) == 4 and g[3] > 2 * g[0] and g[2] > g[0], g
' || fail "restart pauses do not grow: $(T logs -t flap)"
echo PASS
