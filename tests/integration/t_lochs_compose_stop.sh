#!/bin/sh
# stop_signal and stop_grace_period (root only): compose stop, lochs stop
# and compose down send a service's stop_signal and wait its grace period
# before SIGKILL. The proof is what the box's trapsig prints on the
# signal it gets (its log), the exit status after SIGKILL and the kill
# events. down stops in reverse dependency order (app -> api -> db: app
# stopped before api is, api before db; the independent jail at once),
# as Compose does: the order of its Stopping/Stopped lines and kill events.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/lochs.sh"
jail_test compose_stop
LOCHS=$ROOT/$LOCHS # the test runs in the project folder
T() { timeout 120 "$LOCHS" --root "$S" "$@"; }
at_exit() { [ -d "$S/proj" ] && (cd "$S/proj" && T compose down >/dev/null 2>&1); true; }
P=$S/proj
mkdir -p "$P"
cat >"$P/lochs.yml" <<'YAML'
name: cstop
services:
  intr:
    image: freebsd:14.3
    command: [/bin/lochsbox, trapsig]
    stop_signal: SIGINT
  plain:
    image: freebsd:14.3
    command: [/bin/lochsbox, trapsig]
  deaf:
    image: freebsd:14.3
    command: sleep 300
    stop_signal: CHLD
    stop_grace_period: 1s
YAML
cd "$P"
code() { T inspect "$1" | jq -r '.[0].State.ExitCode'; }
kills() { T events --since 1h --until 0s --filter "jail=$1" | sed -n 's/.* kill .*(signal=\([0-9]*\),.*/\1/p' | tr '\n' ' '; }
got() { T logs "$1" | sed -n 's/^trapsig: got //p' | tr '\n' ' '; }
expect 0 "up -d" T compose up -d
until_ok "trapsig waiting" sh -c "$LOCHS --root $S logs cstop-intr-1 | grep -q waiting && $LOCHS --root $S logs cstop-plain-1 | grep -q waiting"
expect 0 "compose stop intr plain" T compose stop intr plain
[ "$(got cstop-intr-1)" = "SIGINT " ] || fail "stop_signal SIGINT: trapsig got '$(got cstop-intr-1)'"
[ "$(got cstop-plain-1)" = "SIGTERM " ] || fail "default stop signal: trapsig got '$(got cstop-plain-1)'"
[ "$(code cstop-intr-1)" = 0 ] || fail "trapsig exit $(code cstop-intr-1) after SIGINT"
# A signal sleep ignores: SIGKILL once the grace period is over.
expect 0 "lochs stop deaf" T stop cstop-deaf-1
[ "$(code cstop-deaf-1)" = 137 ] || fail "ignored stop signal: exit $(code cstop-deaf-1), want 137 (SIGKILL)"
[ "$(kills cstop-deaf-1)" = "17 9 " ] || fail "kill events of deaf, want CHLD (17) then KILL (9): $(T events --since 1h --until 0s --filter jail=cstop-deaf-1)"
# -t overrides the grace period, the signal stays the service's.
expect 0 "start intr" T compose start intr
until_ok "trapsig waiting again" sh -c "[ \$($LOCHS --root $S logs cstop-intr-1 | grep -c waiting) = 2 ]"
expect 0 "stop -t 5" T stop -t 5 cstop-intr-1
[ "$(got cstop-intr-1)" = "SIGINT SIGINT " ] || fail "stop -t: trapsig got '$(got cstop-intr-1)'"
# down stops each jail with its signal before removing it.
expect 0 "start all" T compose start
until_ok "trapsig waiting a third time" sh -c "[ \$($LOCHS --root $S logs cstop-intr-1 | grep -c waiting) = 3 ]"
id=$(T inspect cstop-intr-1 | jq -r '.[0].Id')
expect 0 "down" T compose down
[ "$(T events --since 1h --until 0s | grep " kill $id " | sed -n 's/.*(signal=\([0-9]*\),.*/\1/p' | tr '\n' ' ')" = "2 2 2 " ] ||
	fail "down did not send SIGINT (2) to intr: $(T events --since 1h --until 0s | grep " kill $id ")"
[ -z "$(T ps -aq)" ] || fail "jails left after down: $(T ps -a)"
# down: dependants first.
mkdir -p "$S/chain" && cd "$S/chain" || fail "cd"
cat >lochs.yml <<'YAML'
name: chain
services:
  db: {image: freebsd:14.3, network_mode: none, command: [/bin/lochsbox, trapsig]}
  api: {image: freebsd:14.3, network_mode: none, command: [/bin/lochsbox, trapsig], depends_on: [db]}
  app: {image: freebsd:14.3, network_mode: none, command: [/bin/lochsbox, trapsig], depends_on: [api]}
  solo: {image: freebsd:14.3, network_mode: none, command: [/bin/lochsbox, trapsig]}
YAML
expect 0 "chain up -d" T compose up -d
for j in db api app solo; do until_ok "$j waiting" sh -c "$LOCHS --root $S logs chain-$j-1 | grep -q waiting"; done
line() { echo "$out" | grep -nx "$1" | cut -d: -f1; }
expect 0 "chain down" T compose down
for pair in app:api api:db; do
	a=$(line "Stopped chain-${pair%:*}-1") b=$(line "Stopping chain-${pair#*:}-1")
	[ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ] || fail "down: ${pair%:*} not stopped before ${pair#*:} is: $out"
done
# solo depends on nothing: stopped alongside app, before app is done
[ "$(line "Stopping chain-solo-1")" -lt "$(line "Stopped chain-app-1")" ] || fail "down: solo waited: $out"
order=$(T events --since 1h --until 0s | sed -n 's/.* kill .*name=chain-\([a-z]*\)-1.*/\1/p' | grep -v solo | tr '\n' ' ')
[ "$order" = "app api db " ] || fail "kill events in the order '$order', want 'app api db ': $(T events --since 1h --until 0s | grep ' kill ')"
[ -z "$(T ps -aq)" ] || fail "jails left after chain down: $(T ps -a)"
echo PASS
