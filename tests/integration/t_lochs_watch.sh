#!/bin/sh
# Watch mode (root only): `lochs apply --watch` in the background on a
# project of two services from the test image, no networks. A changed
# environment recreates only that service; a burst of ten touches makes one
# reconcile (debounce); a broken file is one line naming FILE:LINE and the
# jails keep running, the fixed file converges; drift is healed: a jail
# removed behind its back (rm -f) is recreated, one killed with its monitor
# (restart: always) is started again, a tag moved to another image rolls
# the service out; develop.watch sync copies new, changed and nested files
# into the jail (ignore patterns honoured, a deleted file deleted there, a
# bind-mounted target not copied onto itself), restart restarts the
# service in place, rebuild builds its image again and rolls it out. The
# watcher stops on SIGTERM; compose watch and compose up --watch run the
# same loop (up --watch with every -f file and --profile); a rebuild rule
# without build: is refused before anything.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/lochs.sh"
jail_test watch
case $LOCHS in /*) ;; *) LOCHS=$ROOT/$LOCHS ;; esac # the test runs in the project folder
BASE=$ROOT/build/corpus/image/mirror/14.3-RELEASE/base.txz
T() { timeout 60 "$LOCHS" --root "$S" "$@"; }
state() { T inspect "$1" | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["State"][sys.argv[1]])' "$2"; }
top() { T inspect "$1" | python3 -c 'import json, sys; print(json.load(sys.stdin)[0][sys.argv[1]])' "$2"; }
running() { [ "$(state "$1" Status)" = running ]; }
WPID=
LOG=$S/watch.log
at_exit() { # the watcher's output tells why a step failed
	rc=$?
	[ -z "$WPID" ] || { kill -9 "$WPID" 2>/dev/null; wait "$WPID" 2>/dev/null; } || true
	[ "$rc" = 0 ] || { echo "--- watch output:"; tail -n 40 "$LOG"; } >&2 || true
}
P=$S/proj
mkdir -p "$P/src" "$P/conf" "$P/b" "$P/shared"
printf 'FROM freebsd:14.3\nCOPY msg.txt /msg.txt\n' >"$P/b/Lochfile"
echo v1 >"$P/b/msg.txt"
write() { # MODE
	cat >"$P/lochs.yml" <<YAML
name: wt
services:
  web:
    image: app:latest
    command: ["/bin/sh", "-c", "echo started \$\$MODE; exec sleep 300"]
    environment: {MODE: $1}
    restart: always
    network_mode: none
    volumes: ["./shared:/shared"]
    develop:
      watch:
        - {path: ./src, action: sync, target: /app, ignore: ["*.tmp"]}
        - {path: ./shared, action: sync, target: /shared}
        - {path: ./conf, action: restart}
  worker:
    image: freebsd:14.3
    command: [sleep, "300"]
    network_mode: none
  built:
    build: ./b
    command: [sleep, "300"]
    network_mode: none
    develop: {watch: [{path: ./b, action: rebuild}]}
YAML
}
cd "$P"
expect 0 "tag" T tag freebsd:14.3 app:latest
write one
LOCHS_WATCH_DEBOUNCE_MS=800 LOCHS_WATCH_DRIFT_MS=300 "$LOCHS" --root "$S" apply --watch >"$LOG" 2>&1 &
WPID=$!
reconciles() { grep -c '^Reconciling wt: ' "$LOG" || true; }
logged() { grep -q "$1" "$LOG"; }
until_ok "watching" logged '^Watching lochs.yml'
until_ok "web running" running wt-web-1
until_ok "worker running" running wt-worker-1
until_ok "built running" running wt-built-1
web=$(top wt-web-1 Id) worker=$(top wt-worker-1 Id) built=$(top wt-built-1 Id)

# A changed environment: web recreated, the worker untouched.
r=$(reconciles)
write two
new_web() { [ "$(top wt-web-1 Id)" != "$web" ] && running wt-web-1; }
until_ok "web recreated" new_web
[ "$(top wt-worker-1 Id)" = "$worker" ] || fail "the worker was recreated: $(cat "$LOG")"
[ "$(top wt-built-1 Id)" = "$built" ] || fail "the built service was recreated: $(cat "$LOG")"
until_ok "web runs the new environment" sh -c "'$LOCHS' --root '$S' logs wt-web-1 | grep -q 'started two'"
logged "^Reconciling wt: lochs.yml changed$" || fail "no reconcile line: $(cat "$LOG")"
web=$(top wt-web-1 Id)

# Ten touches in a burst: one reconcile, once the files are quiet.
settled() { [ "$(grep -E '^(Reconciling|Project) wt' "$LOG" | tail -n 1 | cut -c1-7)" = Project ]; }
until_ok "settled" settled
r=$(reconciles)
for i in 1 2 3 4 5 6 7 8 9 10; do touch lochs.yml; done
more() { [ "$(reconciles)" -gt "$1" ]; }
until_ok "a reconcile after the burst" more "$r"
sleep 3 # several debounce windows: a second reconcile would show by now
[ "$(reconciles)" = $((r + 1)) ] || fail "$(($(reconciles) - r)) reconciles for one burst: $(cat "$LOG")"

# A broken file: one line with FILE:LINE, the jails keep running.
cp lochs.yml good.yml
printf 'name: wt\nservices:\n  web: {image: [\n' >lochs.yml
until_ok "the parse error" logged 'lochs: watch: .*lochs.yml:[0-9]'
sleep 2
[ "$(grep -c 'lochs: watch: ' "$LOG")" = 1 ] || fail "not one error line: $(cat "$LOG")"
grep 'lochs: watch: ' "$LOG" | grep -q 'still running the last good version' || fail "error: $(cat "$LOG")"
running wt-web-1 && running wt-worker-1 || fail "a broken file stopped jails"
[ "$(top wt-web-1 Id)" = "$web" ] || fail "a broken file recreated web"
r=$(reconciles)
mv good.yml lochs.yml
until_ok "a reconcile of the fixed file" more "$r"
until_ok "converged (plan up to date)" T plan
[ "$(top wt-web-1 Id)" = "$web" ] || fail "the fixed file recreated web"

# Drift: a jail removed behind Lochs' back comes back.
expect 0 "rm -f behind its back" T rm -f wt-worker-1
worker_back() { running wt-worker-1 && [ "$(top wt-worker-1 Id)" != "$worker" ]; }
until_ok "the worker recreated" worker_back
logged "^Reconciling wt: drift: wt-worker-1 is gone$" || fail "drift line: $(cat "$LOG")"

# Drift: web killed with its monitor (restart: always) starts again.
pids="$(state wt-web-1 MonitorPid) $(state wt-web-1 Pid)"
kill -9 $pids
gone() { ! kill -0 "$1" 2>/dev/null; }
for p in $pids; do until_ok "pid $p gone" gone "$p"; done
restarted() { running wt-web-1 && [ "$(state wt-web-1 Pid)" != "${pids#* }" ]; }
until_ok "web started again" restarted
[ "$(top wt-web-1 Id)" = "$web" ] || fail "a dead jail was recreated, not started"
logged "^Reconciling wt: drift: wt-web-1 died (exit -1) and its restart policy is always$" || fail "died: $(cat "$LOG")"

# Drift: app:latest moved to another image rolls web out.
old=$(top wt-web-1 Image)
expect 0 "import another image" T import "$BASE" app:2
[ "$(top app:2 Id 2>/dev/null || T image inspect app:2 | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["Id"])')" != "$old" ] ||
	fail "app:2 is the same image"
expect 0 "retag" T tag app:2 app:latest
rolled() { running wt-web-1 && [ "$(top wt-web-1 Image)" != "$old" ]; }
until_ok "web on the new image" rolled
logged "^Reconciling wt: drift: wt-web-1: its configuration or image changed$" || fail "retag: $(cat "$LOG")"
web=$(top wt-web-1 Id)

# develop.watch sync: new, nested, changed and deleted files; ignored ones stay out.
catj() { [ "$(T exec wt-web-1 cat "$1" 2>/dev/null)" = "$2" ]; }
echo skip >src/skip.tmp
echo hello >src/a.txt
until_ok "a.txt synced" catj /app/a.txt hello
T exec wt-web-1 cat /app/skip.tmp >/dev/null 2>&1 && fail "an ignored file was synced"
mkdir -p src/d/e && echo deep >src/d/e/f.txt
until_ok "a nested file synced" catj /app/d/e/f.txt deep
echo changed >src/a.txt
until_ok "a changed file synced" catj /app/a.txt changed
rm src/a.txt
absent() { ! T exec wt-web-1 cat /app/a.txt >/dev/null 2>&1; }
until_ok "a deleted file deleted" absent
# A target bind-mounted from the path is not copied onto itself (which
# would change the file again, and again).
echo same >shared/s.txt
echo marker >src/m.txt
until_ok "the marker synced" catj /app/m.txt marker
grep -q 'Syncing .*/shared/' "$LOG" && fail "a bind-mounted path was copied onto itself: $(cat "$LOG")"
catj /shared/s.txt same || fail "the bind mount does not show s.txt"
[ "$(top wt-web-1 Id)" = "$web" ] || fail "sync recreated web"

# develop.watch restart: the same jail, started again.
starts() { T logs wt-web-1 | grep -c '^started two$' || true; }
s0=$(starts)
echo x >conf/app.conf
again() { [ "$(starts)" -gt "$s0" ] && running wt-web-1; }
until_ok "web restarted" again
[ "$(top wt-web-1 Id)" = "$web" ] || fail "restart recreated web"
logged "^Restarting service web$" || fail "restart line: $(cat "$LOG")"

# develop.watch rebuild: the image built again, the service rolled out.
catb() { [ "$(T exec wt-built-1 cat /msg.txt 2>/dev/null)" = "$1" ]; }
until_ok "the first build" catb v1
echo v2 >b/msg.txt
until_ok "rebuilt and rolled out" catb v2
[ "$(top wt-built-1 Id)" != "$built" ] || fail "rebuild kept the old jail"
logged "^Rebuilding service built$" || fail "rebuild line: $(cat "$LOG")"

# SIGTERM ends the watcher (exit 0); the jails stay.
kill "$WPID"
ended() { grep -q '^[0-9]* ([^)]*) Z' "/proc/$WPID/stat" 2>/dev/null || [ ! -e "/proc/$WPID" ]; }
until_ok "the watcher ends on SIGTERM" ended
rc=0
wait "$WPID" || rc=$?
WPID=
[ "$rc" = 0 ] || fail "the watcher exited $rc: $(cat "$LOG")"
running wt-worker-1 || fail "stopping the watcher stopped jails: $(T ps -a)"

# compose watch and compose up --watch: the same loop; with nothing to
# change they say so.
for how in watch "up --watch"; do
	LOG=$S/compose-$how.log # a new file: the old one's lines must not count
	LOCHS_WATCH_DRIFT_MS=300 "$LOCHS" --root "$S" compose $how >"$LOG" 2>&1 &
	WPID=$!
	until_ok "compose $how" logged '^Watching '
	logged "^Project wt is up to date.$" || fail "compose $how: $(cat "$LOG")"
	kill "$WPID"
	until_ok "compose $how ends" ended
	wait "$WPID" || fail "compose $how exited $?: $(cat "$LOG")"
	WPID=
done
# up --watch loads the project as up does: a second -f file and --profile
# honoured (its service made), a change to the second file rolled out.
printf 'services:\n  extra: {image: freebsd:14.3, command: [sleep, "300"], network_mode: none, profiles: [dbg]}\n' >extra.yml
LOG=$S/upwatch-f.log
LOCHS_WATCH_DRIFT_MS=300 "$LOCHS" --root "$S" compose -f lochs.yml -f extra.yml --profile dbg up --watch >"$LOG" 2>&1 &
WPID=$!
until_ok "up --watch -f -f --profile" logged '^Watching '
until_ok "extra running (second -f file, profile dbg)" running wt-extra-1
old=$(top wt-extra-1 Id)
recreated() { [ "$(top wt-extra-1 Id)" != "$old" ] && running wt-extra-1; }
sed -i 's/"300"/"301"/' extra.yml
until_ok "extra recreated after extra.yml changed" recreated
kill "$WPID"
until_ok "up --watch ends" ended
wait "$WPID" || fail "up --watch -f -f exited $?: $(cat "$LOG")"
WPID=
expect 125 "compose watch with an argument" T compose watch web
# rebuild needs build:, said before anything starts.
sed 's/action: restart}/action: rebuild}/' lochs.yml >norebuild.yml
expect 125 "rebuild without build:" T apply -f norebuild.yml --watch
echo "$out" | grep -q 'norebuild.yml:[0-9]*: services.web.develop.watch: rebuild needs build:' || fail "rebuild: $out"
# develop.watch errors name FILE:LINE:COLUMN and the key.
printf 'services:\n  a:\n    image: freebsd:14.3\n    develop: {watch: [{path: ./src, action: %s}]}\n' sync >bad.yml
expect 125 "sync without a target" T compose -f bad.yml config
[ "$out" = "lochs: bad.yml:4:23: services.a.develop: watch: action sync needs an absolute target" ] || fail "no target: $out"
sed -i 's/action: sync}/action: sync+exec, target: \/x}/' bad.yml
expect 125 "sync+exec" T compose -f bad.yml config
echo "$out" | grep -q '^lochs: bad.yml:4:[0-9]*: services.a.develop: watch: action sync+exec is not supported yet$' || fail "sync+exec: $out"
expect 0 "down" T compose down
[ -z "$(T ps -aq)" ] || fail "down left jails: $(T ps -a)"
echo PASS
