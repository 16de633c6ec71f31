#!/bin/sh
# Into running jails: exec (the jail's hostname, PID namespace, root and
# upper layer; -u, -w, -e, -i, -d; exit statuses 7/127/125; -it under a
# pty driven by script(1)), run -it and exec -it under script(1) (a tty,
# the window size forwarded, also when it changes), attach to a detached jail, top, stats --no-stream
# (memory against the -m limit), pause/unpause (a counter stops and goes
# on), detach keys (ctrl-p ctrl-q, --detach-keys, detachKeys) under run
# -it, attach, start -ai and exec -it, --cpu-shares 0. LOCHS_BIN picks the
# directory of lochs (default build/bin).
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
# Detach keys, as Docker's: ctrl-p ctrl-q under run -it leaves the jail
# running; the client says "read escape sequence" and exits 0. Typed on a
# pty by lib/ptydrive.py (w: types, e: waits for output).
P() { timeout 120 python3 "$(dirname "$0")/lib/ptydrive.py" "$@"; }
LB="$B/lochs --root $S"
expect 0 "run -it, detached" P 'e:# ' 'w:echo one-$((1+1))\r' 'e:one-2' 'w:\x10\x11' -- $LB run -it --name dk freebsd:14.3 /bin/sh
echo "$out" | tr -d '\r' | tail -n 1 | grep -q 'read escape sequence$' || fail "run -it detach: $out"
L ps | grep -q ' dk$' || fail "dk not running after the detach: $(L ps -a)"
# attach again: new output; a ctrl-p not followed by ctrl-q reaches the
# jail with what follows, in order (v is a, one character, b).
expect 0 "attach, detached" P 'w:\r' 'e:# ' "w:v='a\\x10b'; case \"\$v\" in a?b) echo lone-\${#v};; esac\\r" 'e:lone-3' \
	'w:echo two-$((2+2))\r' 'e:two-4' 'w:\x10\x11' -- $LB attach dk
echo "$out" | grep -q 'read escape sequence' || fail "attach detach: $out"
# --detach-keys: ctrl-p ctrl-q no longer detaches (^U kills the line they
# left), ctrl-x e does.
expect 0 "attach --detach-keys" P 'w:\r' 'e:# ' 'w:\x10\x11\x15echo three-$((1+2))\r' 'e:three-3' 'w:\x18e' -- \
	$LB attach --detach-keys ctrl-x,e dk
echo "$out" | grep -q 'read escape sequence' || fail "attach --detach-keys: $out"
# detachKeys in the configuration file; a bad one is refused naming it.
echo '{ "detachKeys": "ctrl-e" }' >"$S/config.json"
expect 0 "attach, config detachKeys" P 'w:echo four-$((2*2))\r' 'e:four-4' 'w:\x05' -- $LB attach dk
echo '{ "detachKeys": "ctrl-" }' >"$S/config.json"
expect 125 "bad detachKeys" L attach dk
[ "$out" = "lochs: $S/config.json: detachKeys: invalid detach keys 'ctrl-': keys are ctrl-a..ctrl-z, ctrl-@, ctrl-[, ctrl-\\, ctrl-], ctrl-^, ctrl-_ or one character, comma-separated" ] ||
	fail "bad detachKeys: $out"
rm "$S/config.json"
# A bad --detach-keys: one line, 125, no jail made.
n=$(L ps -aq | wc -l)
expect 125 "run --detach-keys bad" L run -it --detach-keys ctrl-p,, freebsd:14.3 /bin/true
[ "$(echo "$out" | wc -l)" = 1 ] && echo "$out" | grep -q "invalid detach keys 'ctrl-p,,'" || fail "bad --detach-keys: $out"
[ "$(L ps -aq | wc -l)" = "$n" ] || fail "run with bad --detach-keys made a jail: $(L ps -a)"
expect 125 "attach --detach-keys bad" L attach --detach-keys ctrl-pq dk
expect 125 "create --detach-keys" L create --detach-keys ctrl-a freebsd:14.3 /bin/true
expect 125 "run -d --detach-keys" L run -d --detach-keys ctrl-a freebsd:14.3 /bin/true
[ "$(L ps -aq | wc -l)" = "$n" ] || fail "create with --detach-keys made a jail: $(L ps -a)"
expect 125 "exec --detach-keys bad" L exec -it --detach-keys ctrl-1 dk /bin/true
# start -ai: attached to a stopped jail's new shell, detached again.
expect 0 "stop dk" L stop -t 1 dk
expect 0 "start -ai, detached" P 'e:# ' 'w:echo five-$((2+3))\r' 'e:five-5' 'w:\x10\x11' -- $LB start -ai dk
L ps | grep -q ' dk$' || fail "dk not running after start -ai's detach: $(L ps -a)"
# exec -it: the program goes on after the detach (it writes to its
# terminal, then a file).
expect 0 "exec -it, detached" P 'e:ready' 'w:\x10\x11' -- $LB exec -it dk /bin/sh -c \
	'echo ready; sleep 1; echo more && touch /tmp/exec-detached'
echo "$out" | grep -q 'read escape sequence' || fail "exec -it detach: $out"
until_ok "the detached exec's file" L exec dk /bin/ls /tmp/exec-detached
# What held its terminal ends with it.
holder_gone() { ! pgrep -f "$S exec -it dk" >/dev/null; }
until_ok "the detached exec's pty holder to end" holder_gone
L rm -f dk >/dev/null || fail "rm dk"

# --cpu-shares 0 is the default, as Docker has it; below 0 is refused.
expect 0 "create --cpu-shares 0" L create --name cs0 --cpu-shares 0 freebsd:14.3 /bin/true
expect 125 "create --cpu-shares -1" L create --cpu-shares -1 freebsd:14.3 /bin/true
L rm cs0 >/dev/null || fail "rm cs0"
echo "ok"
