#!/bin/sh
# Into running jails: exec (the jail's hostname, PID namespace, root and
# upper layer; -u, -w, -e, -i, -d; exit statuses 7/127/125; -it under a
# pty driven by script(1)), run -it and exec -it under script(1) (a tty,
# the window size forwarded, also when it changes), attach to a detached jail, top, stats --no-stream
# (memory against the -m limit), pause/unpause (a counter stops and goes
# on). LOCHS_BIN picks the directory of lochs (default build/bin).
. "$(dirname "$0")/lib/common.sh"
B=${LOCHS_BIN:-build/bin}
LOCHS=$B/lochs
. "$(dirname "$0")/lib/lochs.sh"
command -v script >/dev/null || skip "script(1) (util-linux) is missing"
spid= xpid=
at_exit() { for p in $spid $xpid; do kill "$p" 2>/dev/null; done; }
L() { timeout 120 "$B/lochs" --root "$S" "$@"; }
jail_test exec
# The counter's last value in the jail's log.
last_tick() { L logs box | tail -n 1 | sed -n 's/^tick //p'; }
jpid() { L inspect "$1" | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["State"]["Pid"])'; }


id=$(L run -d --name box --hostname jailhost -m 48m freebsd:14.3 \
	/bin/sh -c 'i=0; while :; do echo tick $i; i=$((i+1)); sleep 0.1; done') || fail "run -d"
has_tick() { L logs box | grep -q tick; }
until_ok "the counter" has_tick
pid1=$(jpid box)

# exec runs inside: the jail's hostname and PID namespace (its pid 1,
# itself, not the host's processes).
expect 0 "exec" L exec box /bin/sh -c 'hostname; echo pid=$$'
[ "$(echo "$out" | head -n 1)" = jailhost ] || fail "exec hostname: $out"
echo "$out" | grep -Eq '^pid=[0-9]+$' && ! echo "$out" | grep -q '^pid=1$' || fail "exec pid: $out"
expect 0 "exec ps" L exec box /bin/ps -o pid,comm
echo "$out" | grep -Eq '^ *1 +sh$' || fail "ps in exec: no pid 1 sh: $out"
echo "$out" | grep -Eq ' ps$' || fail "ps in exec: not itself: $out"
[ "$(echo "$out" | wc -l)" -le 8 ] || fail "ps in exec sees more than the jail: $out"

# A file written by exec: the jail's root (as its pid 1 sees it), its upper layer.
expect 0 "exec write" L exec box /bin/sh -c 'echo from-exec > /tmp/f'
[ "$(cat "/proc/$pid1/root/tmp/f")" = from-exec ] || fail "write not in the jail's root"
[ "$(cat "$S/jails/$id/upper/tmp/f")" = from-exec ] || fail "write not in the upper layer"

# -u, -w, -e; the jail's environment is kept.
expect 0 "exec -u -w -e" L exec -u 80 -w /tmp -e FOO=bar box /bin/sh -c 'id -u; pwd; echo "$FOO $PATH"'
[ "$out" = "80
/tmp
bar /sbin:/bin:/usr/sbin:/usr/bin" ] || fail "exec -u/-w/-e: $out"
expect 0 "exec -u name" L exec -u nobody box /bin/id -u
[ "$out" = 65534 ] || fail "exec -u nobody: $out"

# Exit statuses: the program's, 127 not found, 126 bad -w, 125 ours.
expect 7 "exec status" L exec box /bin/sh -c 'exit 7'
expect 127 "exec missing program" L exec box /no/such/program
expect 126 "exec bad workdir" L exec -w /no/such/dir box /bin/true
expect 125 "exec no such jail" L exec nosuch /bin/true
[ "$out" = "lochs: no such jail: nosuch" ] || fail "no such jail: $out"

# -i passes stdin; -d leaves the program running.
expect 0 "exec -i" sh -c "echo piped | '$B/lochs' --root '$S' exec -i box /bin/cat"
[ "$out" = piped ] || fail "exec -i: $out"
expect 0 "exec -d" L exec -d box /bin/sh -c 'sleep 0.3; echo bg > /tmp/bg'
[ -z "$out" ] || fail "exec -d printed: $out"
until_ok "exec -d's file" test -s "$S/jails/$id/upper/tmp/bg"

# exec -it: a pty of ours, driven through script(1).
rc=0
printf 'echo $((6*7))\nexit 3\n' |
	timeout 60 script -qec "'$B/lochs' --root '$S' exec -it box /bin/sh" /dev/null >"$S/it.out" 2>&1 || rc=$?
[ $rc = 3 ] || fail "exec -it: exit $rc, want 3: $(cat "$S/it.out")"
# (the pty echoes the input before or after the prompt: "# 42" or "42")
tr -d '\r' <"$S/it.out" | grep -Eq '^(# )?42$' || fail "exec -it output: $(od -c "$S/it.out" | head)"

# top lists the jail's processes with their FreeBSD command lines.
expect 0 "top" L top box
echo "$out" | head -n 1 | grep -q '^PID .*COMMAND$' || fail "top header: $out"
echo "$out" | grep -Eq "^$pid1 +1 +root .* /bin/sh -c i=0;" || fail "top: no pid 1: $out"
echo "$out" | grep -q 'bsdulator' && fail "top shows the translator: $out"

# stats: memory in use against the -m limit, pids.
expect 0 "stats" L stats --no-stream box
row=$(echo "$out" | grep ' box ') || fail "stats: no row: $out"
echo "$row" | grep -Eq ' [0-9.]+[KM]iB / 48MiB ' || fail "stats memory: $row"
echo "$out" | grep -q 'MEM USAGE / LIMIT' || fail "stats header: $out"
expect 0 "stats json" L stats --no-stream --format json
echo "$out" | python3 -c '
import json, sys
s = json.loads(sys.stdin.readline())
assert s["Name"] == "box" and s["MemBytes"] > 0 and s["MemLimitBytes"] == 48 << 20 and s["PIDs"] >= 1, s
' || fail "stats json: $out"

# pause freezes the counter; unpause lets it go on.
expect 0 "pause" L pause box
L ps | grep ' box$' | grep -q Paused || fail "ps after pause: $(L ps)"
L inspect box | grep -q '"Status": "paused"' || fail "inspect after pause: $(L inspect box)"
[ ! -e "/sys/fs/cgroup/freezer/lochs/$id/freezer.state" ] ||
	[ "$(cat "/sys/fs/cgroup/freezer/lochs/$id/freezer.state")" = FROZEN ] || fail "freezer not FROZEN"
expect 125 "exec into a paused jail" L exec box /bin/true
sleep 0.5 # the monitor relays what was written before the freeze
a=$(last_tick)
sleep 1 # ten ticks' time
b=$(last_tick)
[ "$a" = "$b" ] || fail "paused counter moved: $a -> $b"
expect 0 "unpause" L unpause box
moved() { [ "$(last_tick)" != "$b" ]; }
until_ok "the counter after unpause" moved
L ps | grep ' box$' | grep -q Paused && fail "ps after unpause: $(L ps)"

# attach to the detached jail gets its output; its exit ends attach
# with its status.
"$B/lochs" --root "$S" attach box >"$S/attach.out" 2>&1 &
apid=$!
until_ok "attached output" grep -q '^tick ' "$S/attach.out"
L stop -t 5 box >/dev/null || fail "stop"
rc=0
wait $apid || rc=$?
code=$(L inspect box | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["State"]["ExitCode"])')
[ $rc = "$code" ] || fail "attach ended with $rc, the jail with $code: $(tail -n 3 "$S/attach.out")"

# exec into a stopped jail: 125, one line.
expect 125 "exec into a stopped jail" L exec box /bin/true
[ "$out" = "lochs: jail box is not running" ] || fail "stopped jail message: $out"

# run -it under script(1): the monitor's pty, with the window size of
# script's terminal and its later changes; the program waits for a file
# that exec writes.
timeout 60 script -qec "stty rows 33 cols 111; '$B/lochs' --root '$S' run -it --name tty freebsd:14.3 /bin/sh -c \
	'test -t 0 && test -t 1 && echo is-a-tty; while [ ! -e /tmp/go ]; do sleep 0.1; done; echo done'" \
	/dev/null </dev/null >"$S/run-it.out" 2>&1 &
spid=$!
until_ok "run -it output" grep -q is-a-tty "$S/run-it.out"
grep -q "$(printf 'is-a-tty\r')" "$S/run-it.out" || fail "run -it: no tty line ending: $(od -c "$S/run-it.out" | head)"
tpid=$(jpid tty)
size() { # PID: the window size (rows cols) of its standard input's terminal
	python3 -c 'import fcntl, os, struct, sys, termios
fd = os.open("/proc/%s/fd/0" % sys.argv[1], os.O_RDONLY | os.O_NOCTTY)
print("%d %d" % struct.unpack("HHHH", fcntl.ioctl(fd, termios.TIOCGWINSZ, bytes(8)))[:2])' "$1"
}
size_is() { [ "$(size "$1")" = "$2" ]; }
until_ok "the window size 33x111" size_is "$tpid" "33 111"
client() { # COMMAND: the pid of the lochs client running COMMAND on the jail tty (not a helper it forked)
	python3 -c 'import os, sys
def lochs(p):
    try:
        a = open("/proc/%s/cmdline" % p, "rb").read().split(b"\0")
        return a if a[0].endswith(b"/lochs") else None
    except OSError:
        return None
for p in filter(str.isdigit, os.listdir("/proc")):
    a = lochs(p)
    if a and sys.argv[1].encode() in a and b"tty" in a:
        try:
            if not lochs(open("/proc/%s/stat" % p).read().rsplit(")", 1)[1].split()[1]):
                print(p)
        except OSError:
            pass' "$1"
}
# A resize of the client's terminal (stty there sends it SIGWINCH) reaches
# the jail's terminal.
cli=$(client run) && [ -n "$cli" ] || fail "the run -it client not found"
stty -F "/proc/$cli/fd/0" rows 41 cols 97 || fail "stty on the client's terminal"
until_ok "the window size 41x97" size_is "$tpid" "41 97"
# exec -it: its own pty, with the size of the exec client's terminal and
# its later changes.
timeout 60 script -qec "stty rows 20 cols 70; '$B/lochs' --root '$S' exec -it tty /bin/sh -c \
	'while [ ! -e /tmp/go2 ]; do sleep 0.1; done'" /dev/null </dev/null >"$S/exec-it.out" 2>&1 &
xpid=$!
exec_cli() { x=$(client exec) && [ -n "$x" ]; }
until_ok "the exec -it client" exec_cli
# The program exec started: a process under the client on another terminal.
in_exec() {
	python3 -c 'import os, sys
cli = sys.argv[1]
mine = os.readlink("/proc/%s/fd/0" % cli)
kids = {}
for p in filter(str.isdigit, os.listdir("/proc")):
    try:
        kids.setdefault(open("/proc/%s/stat" % p).read().rsplit(")", 1)[1].split()[1], []).append(p)
    except OSError:
        pass
todo = [cli]
while todo:
    for k in kids.get(todo.pop(), []):
        try:
            t = os.readlink("/proc/%s/fd/0" % k)
        except OSError:
            t = ""
        if t.startswith("/dev/pts/") and t != mine:
            print(k)
            sys.exit(0)
        todo.append(k)
sys.exit(1)' "$x"
}
until_ok "the program exec -it started" in_exec
epid=$(in_exec)
until_ok "exec -it window size 20x70" size_is "$epid" "20 70"
stty -F "/proc/$x/fd/0" rows 25 cols 88 || fail "stty on the exec client's terminal"
until_ok "exec -it window size 25x88" size_is "$epid" "25 88"
[ "$(size "$tpid")" = "41 97" ] || fail "exec -it resized the jail's own terminal: $(size "$tpid")"
expect 0 "exec touch go2" L exec tty /bin/touch /tmp/go2
rc=0
wait $xpid || rc=$?
xpid=
[ $rc = 0 ] || fail "exec -it: exit $rc: $(cat "$S/exec-it.out")"
expect 0 "exec touch" L exec tty /bin/touch /tmp/go
rc=0
wait $spid || rc=$?
spid=
[ $rc = 0 ] || fail "run -it: exit $rc: $(cat "$S/run-it.out")"
grep -q done "$S/run-it.out" || fail "run -it: $(cat "$S/run-it.out")"
echo "ok"
