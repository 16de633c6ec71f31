#!/bin/sh
# The jail runtime (translator/jail/) under its monitor (lochs-monitor),
# driven by hand-written config.json files and jails rows, with FreeBSD Go
# programs built here: a shell (mvdan.cc/sh) as the image's /bin/sh and a
# probe. Checks pid 1, hostname, the image as root, writes in the upper
# layer only, :ro binds, tmpfs, the memory limit (137, oom=1), pids_limit,
# restart on-failure:3, auto_remove, CRI ctr.log, attach, and that failed
# starts leave no mount or cgroup behind.
. "$(dirname "$0")/lib/common.sh"
[ "${LOCHS_NATIVE:-0}" = 1 ] && skip "FreeBSD binaries only"
[ "$(id -u)" = 0 ] || skip "jails need root"
MON=$ROOT/build/bin/lochs-monitor
[ -x "$MON" ] || fail "lochs-monitor not built"
for t in go jq sqlite3 python3; do command -v $t >/dev/null || skip "$t not installed"; done
unshare -m true 2>/dev/null || skip "cannot create namespaces here"

B=$ROOT/build/integration/jailrt
IMG=$B/image R=$B/state.$$   # several runs of this test may overlap
bg=
# Monitors started in the background stop with the test (SIGTERM reaches the jail).
trap 'for p in $bg; do kill -TERM $p 2>/dev/null || :; done; rm -rf "$R" || :' EXIT
# The image: a static FreeBSD shell and the probe, built offline.
mkdir -p "$IMG/bin" "$IMG/etc" "$IMG/tmp"
if [ ! -x "$IMG/bin/sh" ] || [ ! -x "$IMG/bin/probe" ] || [ tests/integration/jailrt/probe/main.go -nt "$IMG/bin/probe" ]; then
	(cd tests/integration/jailrt &&
	 GO111MODULE=off GOPATH=/usr/share/gocode GOOS=freebsd GOARCH=amd64 CGO_ENABLED=0 go build -o "$IMG/bin/sh" ./sh &&
	 GO111MODULE=off GOOS=freebsd GOARCH=amd64 CGO_ENABLED=0 go build -o "$IMG/bin/probe" ./probe) ||
		fail "building the FreeBSD test programs"
fi
echo "image root" >"$IMG/etc/motd"
mkdir -p "$R/jails" "$B/rosrc" "$B/runs"
"$MON" --init-db "$R" || fail "creating the state database"
DB=$R/lochs.db
q() { sqlite3 "$DB" "$1"; }

n=0
# newjail NAME ARGV_JSON [EXTRA] (EXTRA: a jq object expression): config.json and a 'created' row; sets ID.
newjail() {
	n=$((n + 1))
	ID=$(printf '%064x' $n)
	d=$R/jails/$ID
	mkdir -p "$d/upper" "$d/work"
	jq -n --arg id "$ID" --arg name "$1" --arg img "$IMG" --arg d "$d" --arg bsd "$RUN" \
		--argjson argv "$2" '{
		id: $id, name: $name, hostname: $name, lowerdirs: [$img],
		upperdir: ($d + "/upper"), workdir: ($d + "/work"), read_only: false,
		argv: $argv, env: ["PATH=/bin"], cwd: "/", user: "0:0", mounts: [],
		memory: 0, cpus: 0.0, cpu_shares: 0, pids_limit: 0, tty: false,
		privileged: false, sysvipc: false, cap_add: [], cap_drop: [],
		bsdulator: $bsd, restart: "no", restart_max: 0, auto_remove: false} + '"${3:-{\}}" >"$d/config.json"
	q "INSERT INTO jails(id, name, image, image_ref, spec, config_hash, state, created)
	   VALUES('$ID', '$1', 'img', 'img', '{}', '', 'created', 'now')"
}
# monitor: runs the monitor in the foreground; READY gets its ready line.
monitor() {
	"$MON" "$R" "$ID" --ready-fd 3 3>"$R/ready" 2>"$R/monitor.err" || fail "monitor exited $?: $(cat "$R/monitor.err")"
	READY=$(cat "$R/ready")
}
row() { q "SELECT state, exit_code, oom, restart_count FROM jails WHERE id = '$ID'"; }
log() { sed -E 's/^[^ ]+ (stdout|stderr) [FP] //' "$R/jails/$ID/ctr.log"; }
has() { log | grep -qxF -- "$1" || fail "$2: no line '$1' in ctr.log:
$(cat "$R/jails/$ID/ctr.log")"; }
no_leaks() { # what a finished jail must not leave
	! grep -F " $R/" /proc/self/mountinfo || fail "$1: mounts left under $R"
	for c in memory pids cpu unified; do
		[ ! -e "/sys/fs/cgroup/$c/lochs/$ID" ] || fail "$1: cgroup $c/lochs/$ID left"
	done
	[ ! -e "/sys/fs/cgroup/lochs/$ID" ] || fail "$1: cgroup lochs/$ID left"
}

# 1. Inside: pid 1, own hostname, the image as root, writes in the upper
# layer, :ro bind, tmpfs; the shell runs the probe.
echo secret >"$B/rosrc/file"
newjail box '["/bin/sh", "-c", "echo sh-pid=$$; /bin/probe pid host uid exists:/etc/motd exists:'"$ROOT"'/Makefile write:/data.txt=hello write:/ro/x=no write:/tmp/t=yes exists:/ro/file && echo shell says hi && /bin/probe err:to-stderr partial:no-newline"]' \
	'{mounts: [{type: "bind", source: "'"$B/rosrc"'", target: "/ro", readonly: true, options: ""},
	           {type: "tmpfs", source: "", target: "/tmp", readonly: false, options: "size=8m"}]}'
monitor
[ "$READY" = ok ] || fail "ready line: $READY"
[ "$(row)" = "exited|0|0|0" ] || fail "row after exit: $(row)"
has "sh-pid=1" "the jail's program is pid 1"
log | grep -Eqx 'pid=[2-9]' || fail "the probe, a child of pid 1, has a small pid: $(log | grep pid=)"
has "host=box" "own hostname"
has "uid=0 gid=0" "user"
has "exists:/etc/motd=true" "the image is the root"
has "exists:$ROOT/Makefile=false" "a host file is invisible"
has "write:/data.txt=ok" "writing the root"
has "write:/ro/x=err" "a :ro bind is read-only"
has "exists:/ro/file=true" "the bind mount"
has "write:/tmp/t=ok" "tmpfs"
has "shell says hi" "the shell"
has "to-stderr" "stderr"
[ "$(cat "$R/jails/$ID/upper/data.txt")" = hello ] || fail "write not in the upper layer"
[ ! -e "$IMG/data.txt" ] || fail "write reached the image"
[ ! -e "$R/jails/$ID/upper/tmp/t" ] && [ ! -e "$IMG/tmp/t" ] || fail "tmpfs write landed on disk"
[ ! -e "$B/rosrc/x" ] || fail "write through the :ro bind"
L=$R/jails/$ID/ctr.log
grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{9}Z stdout F sh-pid=1$' "$L" || fail "CRI format: $(head -n 2 "$L")"
grep -Eq 'Z stderr F to-stderr$' "$L" || fail "CRI stderr line: $(cat "$L")"
grep -Eq 'Z stdout P no-newline$' "$L" || fail "CRI partial line: $(cat "$L")"
[ "$(q "SELECT count(*) FROM events WHERE id = '$ID' AND action IN ('start', 'die')")" = 2 ] || fail "events"
no_leaks "a finished jail"
echo "PASS: pid 1, hostname, root, upper layer, :ro bind, tmpfs, CRI log"

# Security defaults: no raw sockets (FreeBSD's allow.raw_sockets=0) unless
# cap_add; a numeric user.
newjail sec '["/bin/probe", "raw", "uid"]'
monitor
has "raw=false" "no raw sockets by default"
newjail sec2 '["/bin/probe", "raw", "uid"]' '{cap_add: ["NET_RAW"], user: "1000:1000"}'
monitor
has "uid=1000 gid=1000" "user 1000:1000"
has "raw=false" "a non-root user has no capabilities"
newjail sec3 '["/bin/probe", "raw"]' '{cap_add: ["CAP_NET_RAW"]}'
monitor
has "raw=true" "cap_add NET_RAW"
echo "PASS: raw sockets only with cap_add NET_RAW; user"

# 2. The memory limit: the OOM killer's kill is exit 137 and oom=1.
newjail oom '["/bin/probe", "alloc:200"]' '{memory: 33554432}'
monitor
[ "$(row)" = "exited|137|1|0" ] || fail "memory limit: row $(row), log $(cat "$R/jails/$ID/ctr.log")"
no_leaks "an OOM-killed jail"
echo "PASS: memory limit -> 137, oom=1"

# 3. pids_limit bounds the jail's tasks (threads count: each Go program
# has several), so 40 children cannot all start.
newjail pids '["/bin/probe", "spawn:40"]' '{pids_limit: 24}'
monitor
st=$(q "SELECT exit_code FROM jails WHERE id = '$ID'")
[ "$st" != 0 ] || fail "pids_limit: all children started: $(log)"
! log | grep -q '^spawned=40' || fail "pids_limit not enforced"
no_leaks "a pids-limited jail"
echo "PASS: pids_limit (exit $st: $(log | grep spawned= || echo runtime died))"

# 4. restart on-failure:3: exactly 3 restarts, 4 runs, counted in a bind mount.
: >"$B/runs/count"
newjail flaky '["/bin/probe", "append:/runs/count", "exit:3"]' \
	'{restart: "on-failure", restart_max: 3, mounts: [{type: "bind", source: "'"$B/runs"'", target: "/runs", readonly: false, options: ""}]}'
monitor
[ "$(wc -l <"$B/runs/count")" = 4 ] || fail "on-failure:3: $(wc -l <"$B/runs/count") runs"
[ "$(row)" = "exited|3|0|3" ] || fail "on-failure:3 row: $(row)"
echo "PASS: restart on-failure:3 (4 runs, restart_count 3)"

# 5. auto_remove: neither row nor directory stays.
newjail gone '["/bin/probe", "echo:bye"]' '{auto_remove: true}'
monitor
[ -z "$(row)" ] || fail "auto_remove: row left: $(row)"
[ ! -e "$R/jails/$ID" ] || fail "auto_remove: $R/jails/$ID left"
no_leaks "an auto-removed jail"
echo "PASS: auto_remove"

# 6. A missing program: exit 127 with bsdulator's message; nothing left.
newjail missing '["/bin/nonexistent"]' '{memory: 33554432, pids_limit: 10}'
monitor
[ "$(row)" = "exited|127|0|0" ] || fail "missing program: row $(row)"
log | grep -q "nonexistent: not found" || fail "missing program message: $(log)"
no_leaks "a jail whose program is missing"
# A start that fails in the runtime (a bind source that does not exist):
# the error on the ready line, exit 125, nothing left.
newjail broken '["/bin/probe"]' '{memory: 33554432, mounts: [{type: "bind", source: "/nonexistent/src", target: "/x", readonly: false, options: ""}]}'
monitor
case $READY in "error "*nonexistent/src*) ;; *) fail "failed start: ready line '$READY'" ;; esac
[ "$(row)" = "exited|125|0|0" ] || fail "failed start: row $(row)"
no_leaks "a jail that failed to start"
echo "PASS: missing program -> 127, failed start -> 125, no leaks"

# 7. attach (attach_wait): the client gets the output and the exit status.
newjail att '["/bin/sh", "-c", "read line; echo got $line; /bin/probe err:on-stderr exit:7"]' '{attach_wait: true, stdin: true}'
"$MON" "$R" "$ID" --ready-fd 3 3>"$R/ready" 2>"$R/monitor.err" >/dev/null &
mpid=$! bg="$bg $!"
for i in $(seq 100); do [ -s "$R/ready" ] && break; sleep 0.05; done
[ "$(cat "$R/ready")" = ok ] || fail "attach_wait: ready line $(cat "$R/ready")"
out=$(cd "$R/jails/$ID" && python3 - <<'PY'
import socket, struct, sys
s = socket.socket(socket.AF_UNIX)
s.connect("attach.sock")  # relative: the full path is longer than sun_path
def frame(t, b): s.sendall(struct.pack(">BI", t, len(b)) + b)
frame(0, b"hello\n")
frame(5, b"")
def read(n):
    b = b""
    while len(b) < n:
        c = s.recv(n - len(b))
        if not c: raise SystemExit("monitor closed the socket early")
        b += c
    return b
got = {1: b"", 2: b""}  # frames split output anywhere
while True:
    t, n = struct.unpack(">BI", read(5))
    p = read(n)
    if t in got: got[t] += p
    elif t == 4: break
print("out:" + got[1].decode().strip())
print("err:" + got[2].decode().strip())
print("exit:%d" % struct.unpack(">i", p))
PY
) || fail "attach client failed: $out"
wait $mpid || fail "attach: monitor exited $?"
want='out:got hello
err:on-stderr
exit:7'
[ "$out" = "$want" ] || fail "attach: got
$out
want
$want"
[ "$(row)" = "exited|7|0|0" ] || fail "attach row: $(row)"
echo "PASS: attach (stdin, stdout, stderr, exit frame)"

# attach_wait holds the start until a (late) client is there: no output lost.
newjail late '["/bin/probe", "echo:first-line"]' '{attach_wait: true}'
"$MON" "$R" "$ID" --ready-fd 3 3>"$R/ready" 2>"$R/monitor.err" >/dev/null &
mpid=$! bg="$bg $!"
sleep 1
[ "$(row)" = "created||0|0" ] || fail "attach_wait: started before the client: $(row)"
out=$(cd "$R/jails/$ID" && python3 -c '
import socket
s = socket.socket(socket.AF_UNIX)
s.connect("attach.sock")
b = b""
while True:
    c = s.recv(4096)
    if not c: break
    b += c
print("first-line" in b.decode("latin1"))
') || fail "late attach client failed"
wait $mpid || fail "late attach: monitor exited $?"
[ "$out" = True ] || fail "attach_wait: the first line was lost"
echo "PASS: attach_wait loses no output"

# 8. Idle RSS of a monitor and its jail (reported, the monitor is bounded).
newjail idle '["/bin/probe", "sleep:30"]'
"$MON" "$R" "$ID" --ready-fd 3 3>"$R/ready" 2>"$R/monitor.err" >/dev/null &
mpid=$! bg="$bg $!"
for i in $(seq 100); do [ -s "$R/ready" ] && break; sleep 0.05; done
sleep 1
jpid=$(q "SELECT pid FROM jails WHERE id = '$ID'")
mrss=$(awk '/^VmRSS/ {print $2}' /proc/$mpid/status)
jrss=$(awk '/^VmRSS/ {print $2}' /proc/$jpid/status)
[ "$(q "SELECT state FROM jails WHERE id = '$ID'")" = running ] || fail "idle jail not running"
kill -TERM $mpid   # forwarded to the jail
wait $mpid
echo "RSS idle: monitor ${mrss} KiB + jail pid 1 (bsdulator running a Go probe) ${jrss} KiB = $((mrss + jrss)) KiB"
[ "$mrss" -le 3072 ] || fail "monitor RSS ${mrss} KiB > 3 MiB"
[ "$(q "SELECT state FROM jails WHERE id = '$ID'")" = exited ] || fail "SIGTERM: $(row)"
no_leaks "a stopped jail"
echo "PASS: SIGTERM stops the jail; monitor RSS bounded"

# 9. A tty jail: the output comes through the monitor's pty (CR LF), a
# resize frame is accepted, stdin is the same terminal.
newjail tty '["/bin/sh", "-c", "read line; echo tty got $line"]' '{attach_wait: true, tty: true}'
"$MON" "$R" "$ID" --ready-fd 3 3>"$R/ready" 2>"$R/monitor.err" >/dev/null &
mpid=$! bg="$bg $!"
for i in $(seq 100); do [ -s "$R/ready" ] && break; sleep 0.05; done
out=$(cd "$R/jails/$ID" && python3 - <<'PY'
import socket, struct
s = socket.socket(socket.AF_UNIX)
s.connect("attach.sock")
def frame(t, b): s.sendall(struct.pack(">BI", t, len(b)) + b)
frame(3, struct.pack(">HH", 40, 120))
frame(0, b"typed\r")
data = b""
while True:
    h = b""
    while len(h) < 5:
        c = s.recv(5 - len(h))
        if not c: raise SystemExit("monitor closed the socket early")
        h += c
    t, n = struct.unpack(">BI", h)
    p = b""
    while len(p) < n: p += s.recv(n - len(p))
    if t == 1: data += p
    elif t == 4: break
print(repr(data))
print("exit:%d" % struct.unpack(">i", p))
PY
) || fail "tty attach client failed: $out"
wait $mpid || fail "tty: monitor exited $?"
case $out in *'tty got typed\r\n'*exit:0) ;; *) fail "tty: got $out" ;; esac
echo "PASS: tty jail through the pty"
