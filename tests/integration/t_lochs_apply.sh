#!/bin/sh
# lochs plan / apply / compose up -d / down of a project from the FreeBSD
# test image (root only): a web server on two networks and a worker with
# two replicas that fetches from it by service name. plan shows the changes
# (and the order in waves: the creates together) and exits 2, apply makes
# them (networks first, web started before the workers), a second apply
# is a no-op and says so (plan exits 0); a changed worker environment
# recreates the workers only, plan naming the field; scale 2 -> 3 -> 1
# never recreates; an orphan goes with --prune; a jail of another project
# with a wanted name is refused; a create that keeps failing (a held port)
# is tried 3 times, its dependants skipped with a one-line reason, the
# independent service made; compose exec/logs/stop/start act on the
# project's jails; compose down leaves no jail or network.
# Addresses 198.18.72.0/24 and 198.18.73.0/24 only.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/lochs.sh"
jail_test apply
LOCHS=$ROOT/$LOCHS # the test runs in the project folder
T() { timeout 120 "$LOCHS" --root "$S" "$@"; }
id_of() { T inspect "$1" | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["Id"])'; }
P=$S/proj
mkdir -p "$P/www" && echo "hello apply" >"$P/www/index.html"
write() { # SCALE [EXTRA SERVICE LINES]
	cat >"$P/lochs.yml" <<YAML
name: shop
services:
  web:
    image: freebsd:14.3
    command: /usr/local/bin/httpd-lite -q -p 8080 -d /www
    volumes: ["./www:/www:ro"]
    networks: [front, back]
  worker:
    image: freebsd:14.3
    command: ["/bin/sh", "-c", "while :; do /usr/local/bin/fetch-lite -q -t 2 http://web:8080/index.html && echo got \$\$MODE; sleep 0.5; done"]
    environment: {MODE: "\${MODE:-one}"}
    networks: [back]
    depends_on: [web]
    scale: $1
${2:-}
networks:
  front: {ipam: {config: [{subnet: 198.18.72.0/24}]}}
  back: {ipam: {config: [{subnet: 198.18.73.0/24}]}}
YAML
}
cd "$P"
write 2

expect 2 "plan" T plan
for l in "+ create network shop_front" "+ create network shop_back" "+ create shop-web-1" \
	"+ create shop-worker-1" "+ create shop-worker-2" "Plan: 3 to create, 0 to recreate, 0 to remove." \
	"wave 3: create shop-web-1, create shop-worker-1, create shop-worker-2" "wave 4: start shop-web-1" \
	"wave 5: start shop-worker-1, start shop-worker-2"; do
	echo "$out" | grep -qxF "$l" || fail "plan lacks '$l': $out"
done
[ -z "$(T ps -aq)" ] || fail "plan changed something: $(T ps -a)"
expect 0 "apply" T apply
# web started before the workers (its dependents) start.
ws=$(echo "$out" | grep -n '^Started shop-web-1$' | cut -d: -f1)
wk=$(echo "$out" | grep -n '^Starting shop-worker-' | head -n 1 | cut -d: -f1)
[ -n "$ws" ] && [ -n "$wk" ] && [ "$ws" -lt "$wk" ] || fail "order: $out"
expect 0 "second apply" T apply
[ "$out" = "Project shop is up to date." ] || fail "second apply: $out"
expect 0 "plan up to date" T plan
got() { T logs "$1" | grep -q "got $2"; }
until_ok "worker 1 reaches web by name" got shop-worker-1 one
until_ok "worker 2 reaches web by name" got shop-worker-2 one
nsenter -t "$(T inspect shop-web-1 | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["State"]["Pid"])')" -n \
	ip -4 addr | grep -q 198.18.72. || fail "web is not on front"
web=$(id_of shop-web-1)

# A changed environment recreates the workers, not web.
MODE=two T plan >"$S/plan" 2>&1 && fail "plan after a change exited 0"
grep -qxF '~ recreate shop-worker-1: environment.MODE "one" -> "two"' "$S/plan" || fail "plan: $(cat "$S/plan")"
grep -qxF 'Plan: 0 to create, 2 to recreate, 0 to remove.' "$S/plan" || fail "plan summary: $(cat "$S/plan")"
grep -q "web" "$S/plan" && fail "plan touches web: $(cat "$S/plan")"
MODE=two expect 0 "apply the change" T apply
[ "$(id_of shop-web-1)" = "$web" ] || fail "web was recreated"
until_ok "the new worker" got shop-worker-1 two

# Scaling: up creates one, down removes the extra ones; nothing recreated.
w1=$(id_of shop-worker-1)
write 3
MODE=two expect 0 "scale 3" T apply
[ "$(T compose ps | grep -c ' worker ')" = 3 ] || fail "scale 3: $(T compose ps)"
write 1
MODE=two expect 0 "scale 1" T apply
[ "$(T compose ps | grep -c ' worker ')" = 1 ] || fail "scale 1: $(T compose ps)"
[ "$(id_of shop-worker-1)" = "$w1" ] || fail "scaling recreated worker 1"

# An orphan (a service gone from the file) stays unless --prune.
write 1 "  extra: {image: freebsd:14.3, command: [sleep, '300'], network_mode: none}"
MODE=two expect 0 "extra service" T apply
write 1
MODE=two expect 0 "apply without the extra" T apply
T ps | grep -q shop-extra-1 || fail "an orphan was removed without --prune"
MODE=two expect 2 "plan --prune" T plan --prune
echo "$out" | grep -q "^- remove shop-extra-1 (orphan: service extra is not in the file)$" || fail "plan --prune: $out"
MODE=two expect 0 "apply --prune" T apply --prune
T ps -a | grep -q shop-extra-1 && fail "--prune left the orphan"

# Another project's jail with a wanted name is not ours to replace.
expect 0 "foreign jail" T run -d --name other-web-1 --network none freebsd:14.3 sleep 300
sed 's/^name: shop$/name: other/' lochs.yml >other.yml
expect 125 "apply over a foreign name" T apply -f other.yml
echo "$out" | grep -q 'already in use by jail .*, not of this project' || fail "foreign name: $out"
# refused before anything was made
T network ls | grep -q other_ && fail "a refused apply made networks: $(T network ls)"
T ps | grep -q other-web-1 || fail "the foreign jail was touched"

# A failing action: tried 3 times, its dependants skipped with a reason,
# the independent rest made; apply fails naming it. (b's port is held.)
port=$(lochs_free_port)
expect 0 "port holder" T run -d --name holder -p "127.0.0.1:$port:80" freebsd:14.3 sleep 300
cat >fail.yml <<YAML
name: fail
services:
  b: {image: freebsd:14.3, command: [sleep, "300"], ports: ["127.0.0.1:$port:80"]}
  c: {image: freebsd:14.3, command: [sleep, "300"], depends_on: [b], network_mode: none}
  d: {image: freebsd:14.3, command: [sleep, "300"], network_mode: none}
YAML
expect 125 "apply with a failing create" T apply -f fail.yml
for l in "lochs: create fail-b-1 failed (try 1 of 3), again in 0.5 s: Bind for 127.0.0.1:$port/tcp failed: port is already allocated to jail holder" \
	"lochs: create fail-b-1 failed (try 2 of 3), again in 1.0 s: Bind for 127.0.0.1:$port/tcp failed: port is already allocated to jail holder" \
	"lochs: skipped start fail-b-1: create fail-b-1 failed" "lochs: skipped start fail-c-1: start fail-b-1 was skipped" \
	"lochs: create fail-b-1: Bind for 127.0.0.1:$port/tcp failed: port is already allocated to jail holder"; do
	echo "$out" | grep -qxF "$l" || fail "failing create lacks '$l': $out"
done
T compose -f fail.yml ps | grep -q '^fail-d-1 .* running' || fail "the independent service: $(T compose -f fail.yml ps)"
T ps -a | grep -q fail-b-1 && fail "a failed create left its jail"
expect 0 "down of the failed project" T compose -f fail.yml down
expect 0 "holder" T rm -f holder

# The per-service commands act on the project's jails.
expect 0 "compose exec" T compose exec worker /bin/sh -c 'echo mode=$MODE'
[ "$out" = "mode=two" ] || fail "compose exec: $out"
expect 0 "compose logs" T compose logs -n 1 worker
echo "$out" | grep -q '^shop-worker-1 | got two$' || fail "compose logs: $out"
expect 0 "compose stop" T compose stop -t 1 worker
T compose ps | grep -q '^shop-worker-1 .* exited (.*)' || fail "compose stop: $(T compose ps)"
T compose ps | grep -q '^shop-web-1 .* running ' || fail "compose stop stopped web: $(T compose ps)"
expect 0 "compose start" T compose start worker
T compose ps | grep -q '^shop-worker-1 .* running ' || fail "compose start: $(T compose ps)"
expect 125 "compose exec of no service" T compose exec nosuch true
echo "$out" | grep -q 'no such service: nosuch' || fail "no such service: $out"

expect 0 "down" T compose down
echo "$out" | grep -q "^Removing network shop_back$" || fail "down: $out"
[ "$(T ps -aq | wc -l)" = 1 ] || fail "down left jails: $(T ps -a)"
T network ls | grep -q shop_ && fail "down left networks: $(T network ls)"
echo PASS
