#!/bin/sh
# Health checks (root only): a jail's --health-cmd runs inside it under its
# monitor: starting, unhealthy after --health-retries failures, healthy once
# the test passes (inspect State.Health, ps STATUS); gone with the jail.
# In a project, depends_on waits: service_healthy until the dependency's
# check passes (its start_period keeps failures from counting),
# service_completed_successfully until it exited 0, and a dependency that
# exits non-zero fails apply in one line; compose up --wait returns once
# every service with a check is healthy.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/lochs.sh"
jail_test health
LOCHS=$ROOT/$LOCHS
T() { timeout 120 "$LOCHS" --root "$S" "$@"; }
health() { T inspect "$1" | python3 -c 'import json, sys; print((json.load(sys.stdin)[0]["State"].get("Health") or {}).get("Status", "none"))'; }
is() { [ "$(health "$1")" = "$2" ]; }

expect 0 "run with a check" T run -d --name hc --network none --health-cmd 'test -e /tmp/ok' \
	--health-interval 200ms --health-retries 2 freebsd:14.3 sleep 300
until_ok "unhealthy" is hc unhealthy
T inspect hc | grep -q '"FailingStreak": 2' || fail "FailingStreak: $(T inspect hc)"
expect 0 "make it pass" T exec hc /bin/touch /tmp/ok
until_ok "healthy" is hc healthy
T ps | grep -q 'Up (healthy) since' || fail "ps STATUS: $(T ps)"
expect 0 "stop" T stop -t 1 hc
[ "$(health hc)" = none ] || fail "a stopped jail keeps its health: $(health hc)"
expect 125 "bad interval" T run -d --health-cmd true --health-interval soon freebsd:14.3 true
expect 0 "no check" T run -d --name nohc --network none freebsd:14.3 sleep 300
[ "$(health nohc)" = none ] || fail "a jail without a check has health $(health nohc)"

# depends_on conditions in a project.
P=$S/proj && mkdir -p "$P" && cd "$P"
cat >lochs.yml <<'YAML'
name: hp
services:
  db:
    image: freebsd:14.3
    command: [sleep, "300"]
    network_mode: none
    healthcheck: {test: "test -e /tmp/ready", interval: 200ms, retries: 2, start_period: 60s}
  migrate:
    image: freebsd:14.3
    command: [sh, -c, "sleep 0.5; exit 0"]
    network_mode: none
  app:
    image: freebsd:14.3
    command: [sleep, "300"]
    network_mode: none
    depends_on:
      db: {condition: service_healthy}
      migrate: {condition: service_completed_successfully}
YAML
T apply >"$S/apply.out" 2>&1 &
apply=$!
state() { T compose ps | awk -v n="$1" '$1 == n { print $3 }'; }
until_ok "db running" sh -c "[ \"\$(T() { timeout 60 $LOCHS --root $S \"\$@\"; }; T compose ps | awk '\$1 == \"hp-db-1\" { print \$3 }')\" = running ]"
sleep 1
[ "$(state hp-app-1)" != running ] || fail "app started before db was healthy"
[ "$(health hp-db-1)" = starting ] || fail "db: failures inside the start period counted: $(health hp-db-1)"
expect 0 "db ready" T exec hp-db-1 /bin/touch /tmp/ready
wait $apply || fail "apply: $(cat "$S/apply.out")"
[ "$(state hp-app-1)" = running ] || fail "app not running: $(T compose ps)"
[ "$(state hp-migrate-1)" = exited ] || fail "migrate: $(T compose ps)"
expect 0 "down" T compose down

# A dependency that fails: apply says which, and the dependent never starts.
sed -i 's/sleep 0.5; exit 0/exit 3/' lochs.yml
sed -i 's|test -e /tmp/ready|true|' lochs.yml
expect 125 "failing dependency" T apply
echo "$out" | grep -q 'hp-app-1: dependency hp-migrate-1 exited with 3$' || fail "failing dependency: $out"
[ "$(state hp-app-1)" != running ] || fail "app started after a failed dependency"
expect 0 "down again" T compose down

# compose up --wait: back once db is healthy.
sed -i 's/exit 3/exit 0/' lochs.yml
expect 0 "up --wait" T compose up -d --wait
[ "$(health hp-db-1)" = healthy ] || fail "up --wait returned before db was healthy: $(health hp-db-1)"
expect 0 "down at the end" T compose down
echo PASS
