#!/bin/sh
# examples/compose-app through compose (root only): web + two workers + db
# from the FreeBSD test image. The plan creates the independent jails in
# one wave and the pool runs them at once (both creates begin before
# either ends); web answers on its published port on 127.0.0.1 and to a
# worker by name, db on the internal network; its named volume keeps data
# over a recreate; a changed worker environment recreates the workers only
# (plan names the field); --scale worker=1 -> 3 -> 1 without recreation;
# ps shows health and ports; logs prefixes are coloured on a terminal; run --rm makes a one-off jail and leaves
# none, run -d starts one in the background (run --entrypoint split as Compose does); plan takes up's --scale and SERVICE...; events shows the project's jails only; attached up ended with
# SIGINT stops every jail (exit 130); a build: service is built before its
# create and rebuilt by up --build; depends_on restart: true restarts a
# dependant when its dependency is recreated; down -v leaves no jail, volume,
# network, mount, cgroup or monitor.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/lochs.sh"
jail_test compose_app
LOCHS=$ROOT/$LOCHS
APP=$ROOT/examples/compose-app/lochs.yml
WEB_PORT=$(lochs_free_port) && export WEB_PORT
C() { timeout 120 "$LOCHS" --root "$S" compose -f "$APP" "$@"; }
T() { timeout 120 "$LOCHS" --root "$S" "$@"; }
field() { # JAIL PYTHON-EXPRESSION-OF-j: a value of its inspect
	T inspect "$1" | python3 -c "import json, sys; j = json.load(sys.stdin)[0]; print($2)"
}
id_of() { field "$1" 'j["Id"]'; }

# The plan: db and the workers (independent creates) in one wave, web
# after its second network; the starts in depends_on order.
expect 2 "plan" T plan -f "$APP"
echo "$out" | grep '^wave ' | grep 'create shop-db-1' | grep 'create shop-worker-1' | grep -q 'create shop-worker-2' ||
	fail "the creates of db and the workers are not one wave: $out"
for l in "+ create network shop_back" "+ create network shop_front" "+ create volume shop_data" "+ create shop-web-1" \
	"Plan: 4 to create, 0 to recreate, 0 to remove."; do
	echo "$out" | grep -qxF "$l" || fail "plan lacks '$l': $out"
done
# web starts after db, the workers after web (healthy).
w_db=$(echo "$out" | sed -n 's/^wave \([0-9]*\):.*start shop-db-1.*/\1/p')
w_web=$(echo "$out" | sed -n 's/^wave \([0-9]*\):.*start shop-web-1.*/\1/p')
w_wk=$(echo "$out" | sed -n 's/^wave \([0-9]*\):.*start shop-worker-1.*/\1/p')
[ -n "$w_db" ] && [ "$w_db" -lt "$w_web" ] && [ "$w_web" -lt "$w_wk" ] || fail "start order: $out"

# Bad flags: one line naming the cause, nothing made.
bad() { # MESSAGE ARGS...
	msg=$1; shift
	expect 125 "$*" C "$@"
	[ "$(echo "$out" | wc -l)" = 1 ] && echo "$out" | grep -q "^lochs: " && echo "$out" | grep -qF -- "$msg" ||
		fail "$*: $out"
}
bad "--scale: no such service: nosuch" up -d --scale nosuch=2
bad "--scale wants SERVICE=N, not worker=x" up -d --scale worker=x
bad "--force-recreate and --no-recreate exclude each other" up -d --force-recreate --no-recreate
bad "no such service: nosuch" up -d nosuch
bad "no such service: nosuch" run nosuch true
bad "--rmi wants local or all, not some" down --rmi some
[ -z "$(T ps -aq)" ] && ! T network ls | grep -q shop_ || fail "a refused command made something"

# up -d with one worker: both creates begin before either ends.
expect 0 "up" C up -d --scale worker=1
first_done=$(echo "$out" | grep -n '^Created shop-' | head -n 1 | cut -d: -f1)
began=$(echo "$out" | grep -n '^Creating shop-' | awk -F: -v d="$first_done" '$1 < d' | wc -l)
[ "$began" -ge 2 ] || fail "no two creates at once: $out"
[ "$(C ps | grep -c ' worker ')" = 1 ] || fail "scale 1: $(C ps)"

# Answers: web on the host port, and to a worker by name; db on back.
page() { python3 -c "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:$WEB_PORT/index.html', timeout=2).read().decode())"; }
until_ok "web on 127.0.0.1:$WEB_PORT" page
page | grep -q . || fail "web answered nothing"
[ "$(page)" = "$(cat "$ROOT/examples/compose-app/www/index.html")" ] || fail "web page: $(page)"
expect 0 "worker fetches web" C exec worker /usr/local/bin/fetch-lite -q -t 2 http://web:8080/index.html
[ "$out" = "$(cat "$ROOT/examples/compose-app/www/index.html")" ] || fail "worker's fetch: $out"
db_ip=$(field shop-db-1 'list(j["NetworkSettings"]["Networks"].values())[0]["IPAddress"]')
nsenter -t "$(field shop-worker-1 'j["State"]["Pid"]')" -n python3 -c "
import socket; s = socket.create_connection(('$db_ip', 5432), 2); s.sendall(b'hello'); s.shutdown(socket.SHUT_WR)
assert s.recv(64).strip() == b'5'" || fail "db did not answer on $db_ip:5432"
until_ok "web healthy in ps" sh -c "'$LOCHS' --root '$S' compose -f '$APP' ps | grep -q '^shop-web-1 .*running (healthy) .*0.0.0.0:$WEB_PORT->8080/tcp'"

# logs on a terminal: each jail's prefix coloured.
script -qec "'$LOCHS' --root '$S' compose -f '$APP' logs -n 1 db" /dev/null >"$S/tty" </dev/null
grep -q "$(printf '\033')\[3[1-6]mshop-db-1 |$(printf '\033')\[0m tcp-sink: listening" "$S/tty" || fail "logs on a tty: $(cat -v "$S/tty")"

# The named volume keeps db's data over a recreate.
T volume ls | grep -q 'shop_data' || fail "no volume shop_data: $(T volume ls)"
expect 0 "write to the volume" C exec db /bin/sh -c 'echo kept >/var/db/f'
db=$(id_of shop-db-1) web=$(id_of shop-web-1)
expect 0 "recreate db" C up -d --force-recreate db # db only (it depends on nothing)
[ "$(id_of shop-db-1)" != "$db" ] || fail "--force-recreate kept db"
[ "$(id_of shop-web-1)" = "$web" ] && [ "$(C ps | grep -c ' worker ')" = 1 ] || fail "up db touched other services: $(C ps)"
expect 0 "read the volume" C exec db /bin/cat /var/db/f
[ "$out" = kept ] || fail "the volume lost its data: $out"

# A changed environment: only the workers are recreated.
web=$(id_of shop-web-1) db=$(id_of shop-db-1) w1=$(id_of shop-worker-1)
QUEUE=rush expect 2 "plan a change" T plan -f "$APP"
echo "$out" >"$S/plan"
grep -qxF '~ recreate shop-worker-1: environment.QUEUE "orders" -> "rush"' "$S/plan" || fail "plan: $(cat "$S/plan")"
grep -q 'shop-web\|shop-db' "$S/plan" && fail "plan touches web or db: $(cat "$S/plan")"
QUEUE=rush expect 0 "apply the change" C up -d --scale worker=1
[ "$(id_of shop-web-1)" = "$web" ] && [ "$(id_of shop-db-1)" = "$db" ] || fail "web or db recreated"
[ "$(id_of shop-worker-1)" != "$w1" ] || fail "the worker was not recreated"
expect 0 "new environment" C exec worker printenv QUEUE
[ "$out" = rush ] || fail "QUEUE: $out"
export QUEUE=rush
# --no-recreate keeps a changed service's jail.
w1=$(id_of shop-worker-1)
QUEUE=other expect 0 "up --no-recreate" C up -d --no-recreate --scale worker=1
[ "$(id_of shop-worker-1)" = "$w1" ] || fail "--no-recreate recreated the worker"

# plan takes up's --scale and services: the file's two workers would
# add one; --scale worker=1 or only db is up to date; worker at 3 adds two.
expect 2 "plan (the file's replicas)" T plan -f "$APP"
echo "$out" | grep -qxF "+ create shop-worker-2" || fail "plan: $out"
expect 0 "plan --scale worker=1" T plan -f "$APP" --scale worker=1
expect 0 "plan db" T plan -f "$APP" db
expect 2 "plan --scale worker=3 worker" T plan -f "$APP" --scale=worker=3 worker
echo "$out" | grep -qxF "+ create shop-worker-3" && echo "$out" | grep -q "^Plan: 2 to create, 0 to recreate, 0 to remove" ||
	fail "plan --scale worker=3: $out"
expect 125 "plan --scale nosuch=2" T plan -f "$APP" --scale nosuch=2
echo "$out" | grep -qx "lochs: --scale: no such service: nosuch" || fail "plan --scale nosuch: $out"
expect 125 "plan nosuch" T plan -f "$APP" nosuch
[ "$(T ps -aq | wc -l)" = 3 ] || fail "plan changed something: $(T ps -a)"

# Scale 1 -> 3 -> 1: nothing recreated.
w1=$(id_of shop-worker-1)
expect 0 "scale 3" C up -d --scale worker=3
[ "$(C ps | grep -c ' worker ')" = 3 ] || fail "scale 3: $(C ps)"
expect 0 "scale 1" C up -d --scale worker=1
[ "$(C ps | grep -c ' worker ')" = 1 ] || fail "scale 1: $(C ps)"
[ "$(id_of shop-worker-1)" = "$w1" ] && [ "$(id_of shop-web-1)" = "$web" ] || fail "scaling recreated a jail"

# A one-off jail of worker: its environment, a command, gone after --rm.
expect 0 "compose run" C run --rm -T worker /bin/sh -c 'echo one-off $QUEUE'
[ "$out" = "one-off rush" ] || fail "compose run: $out"
# --entrypoint: a string split as a shell would (Compose's), the command after it.
expect 0 "compose run --entrypoint" C run --rm -T --entrypoint "/bin/sh -c" worker 'echo entry $QUEUE'
[ "$out" = "entry rush" ] || fail "compose run --entrypoint: $out"
expect 0 "compose run --entrypoint=" C run --rm -T "--entrypoint=/bin/echo 'a  b'" worker c
[ "$out" = "a  b c" ] || fail "compose run --entrypoint=: $out"
bad "--entrypoint 'x: an unterminated quote" run --entrypoint "'x" worker
T ps -a | grep -q 'shop-worker-run-' && fail "run --rm left its jail: $(T ps -a)"
# -d: started in the background under its --name, printed; running until removed.
expect 0 "compose run -d" C run -d --name shop-oneoff worker sleep 300
[ "$out" = "shop-oneoff" ] || fail "compose run -d printed: $out"
[ "$(field shop-oneoff 'j["State"]["Status"]')" = running ] || fail "compose run -d: $(T ps -a)"
expect 0 "rm one-off" T rm -f shop-oneoff
# events: the project's jails, not another one's.
expect 0 "foreign jail" T run -d --name other --network none freebsd:14.3 sleep 300
timeout 2 "$LOCHS" --root "$S" compose -f "$APP" events >"$S/events" 2>&1 || : # follows until killed
grep -q ' container create .*name=shop-web-1' "$S/events" || fail "events: $(cat "$S/events")"
grep -q 'name=other' "$S/events" && fail "events of another jail: $(cat "$S/events")"
expect 0 "top" C top web
echo "$out" | grep -q httpd-lite || fail "top: $out"
T rm -f other >/dev/null

# Attached up: logs in the foreground; SIGINT stops every jail.
"$LOCHS" --root "$S" compose -f "$APP" up --scale worker=1 >"$S/attached" 2>&1 & # no timeout(1): it would get the signal
up=$!
until_ok "attached logs" grep -q '^shop-db-1 | ' "$S/attached"
kill -INT $up
rc=0
wait $up || rc=$?
[ "$rc" = 130 ] || fail "attached up after SIGINT: exit $rc: $(cat "$S/attached")"
grep -q '^Gracefully stopping' "$S/attached" || fail "attached: $(cat "$S/attached")"
C ps | grep -q ' running' && fail "SIGINT left jails running: $(C ps)"

# build: a service without image: is built as PROJECT-SERVICE before its
# create; up --build rebuilds and recreates it; down --rmi local drops it.
mkdir -p "$S/b" && cd "$S/b"
printf 'FROM freebsd:14.3\nRUN echo v1 >/built.txt\n' >Lochfile
printf 'name: bq\nservices:\n  app: {build: ., command: [sleep, "300"], network_mode: none}\n' >lochs.yml
expect 2 "plan of a build" T plan
echo "$out" | grep -qxF "+ build service app" || fail "plan of a build: $out"
expect 0 "up builds" T compose up -d
expect 0 "built content" T compose exec app /bin/cat /built.txt
[ "$out" = v1 ] || fail "built image: $out"
sed -i 's/v1/v2/' Lochfile
expect 0 "up --build" T compose up -d --build
echo "$out" | grep -qx "Removed bq-app-1" || fail "up --build did not recreate: $out"
expect 0 "rebuilt content" T compose exec app /bin/cat /built.txt
[ "$out" = v2 ] || fail "rebuilt image: $out"
expect 0 "down --rmi local" T compose down --rmi local
T images | grep -q '^bq-app ' && fail "down --rmi local left the image: $(T images)"

# depends_on restart: true: a recreated dependency restarts its dependant
# (the same jail, started again); one without it is left running.
mkdir -p "$S/r" && cd "$S/r"
cat >lochs.yml <<'YAML'
name: rq
services:
  db: {image: freebsd:14.3, command: [sleep, "300"], network_mode: none, environment: {V: "${V:-1}"}}
  app: {image: freebsd:14.3, command: [sleep, "300"], network_mode: none, depends_on: {db: {condition: service_started, restart: true}}}
  other: {image: freebsd:14.3, command: [sleep, "300"], network_mode: none, depends_on: [db]}
YAML
expect 0 "up rq" T compose up -d
app=$(id_of rq-app-1) started=$(field rq-app-1 'j["State"]["StartedAt"]') other=$(field rq-other-1 'j["State"]["StartedAt"]')
V=2 expect 2 "plan a restart" T plan
echo "$out" | grep -qxF "~ restart rq-app-1 (its dependency db is recreated)" || fail "plan of a restart: $out"
echo "$out" | grep -q "rq-other-1" && fail "plan restarts other: $out"
V=2 expect 0 "apply a restart" T apply
[ "$(id_of rq-app-1)" = "$app" ] && [ "$(field rq-app-1 'j["State"]["StartedAt"]')" != "$started" ] || fail "app not restarted"
[ "$(field rq-other-1 'j["State"]["StartedAt"]')" = "$other" ] || fail "other was restarted"
expect 0 "down rq" T compose down
cd "$ROOT"

# down -v: nothing left.
expect 0 "down -v" C down -v
no_leftovers
T volume ls | grep -q shop_ && fail "volumes left: $(T volume ls)"
T network ls | grep -q shop_ && fail "networks left: $(T network ls)"
echo PASS
