#!/bin/sh
# Compose build: with its long form (context, dockerfile, args, target)
# runs lochs build: the named Lochfile in the context, the build arg
# passed to the ARG, the build stopped at the target stage (the later
# stage's RUN is not in the image); the image is PROJECT-SERVICE and the
# service's jail runs from it; `compose build` makes the same image without
# up. A build that fails stops the up with the Lochfile's line and makes
# no jail.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/lochs.sh"
jail_test compose_build
T() { timeout 300 "$LOCHS" --root "$S" "$@"; }
LOCHS=$ROOT/$LOCHS
mkdir -p "$S/p/ctx" && cd "$S/p"
cat >ctx/Build.lochfile <<'EOF'
FROM freebsd:14.3 AS one
ARG WHO=nobody
RUN echo "stage one $WHO" > /who
FROM one AS two
RUN echo "stage two" > /who
EOF
cat >lochs.yml <<'YAML'
name: cb
services:
  app:
    build:
      context: ./ctx
      dockerfile: Build.lochfile
      args: {WHO: compose}
      target: one
    command: [sleep, "300"]
    network_mode: none
YAML
expect 0 "up builds" T compose up -d
T images | grep -q '^cb-app ' || fail "no image cb-app: $(T images)"
expect 0 "built content" T compose exec app /bin/cat /who
[ "$out" = "stage one compose" ] || fail "dockerfile/args/target: $out"
expect 0 "down" T compose down --rmi local

# compose build: the same build without up (all services, or those named);
# --build-arg over the file's args, --no-cache runs every step again, an
# image-only service is left alone, an unknown one refused.
cat >plain.yml <<'YAML'
services:
  plain:
    image: freebsd:14.3
    network_mode: none
YAML
expect 0 "compose build" T compose -f lochs.yml -f plain.yml build
echo "$out" | grep -q 'STEP' || fail "compose build output: $out"
expect 0 "built image" T run --rm --network none cb-app /bin/cat /who
[ "$out" = "stage one compose" ] || fail "compose build content: $out"
expect 0 "compose build again" T compose build app
echo "$out" | grep -q 'Using cache' || fail "unchanged rebuild not cached: $out"
expect 0 "compose build --build-arg" T compose build --build-arg WHO=cli --no-cache -q app
expect 0 "rebuilt image" T run --rm --network none cb-app /bin/cat /who
[ "$out" = "stage one cli" ] || fail "--build-arg over args: $out"
[ -z "$(T ps -aq)" ] || fail "compose build made jails: $(T ps -a)"
expect 125 "unknown service" T compose build nosuch
[ "$out" = "lochs: no such service: nosuch" ] || fail "unknown service: $out"
expect 125 "bad flag" T compose build --bogus
T rmi cb-app >/dev/null

# A failing build: one line naming the Lochfile's line, no jail made.
printf 'FROM freebsd:14.3 AS one\nRUN exit 3\n' >ctx/Build.lochfile
expect 125 "failing build" T compose up -d
echo "$out" | grep -q 'Build.lochfile:2: RUN: command "exit 3" failed: exit code 3' || fail "failing build: $out"
[ -z "$(T ps -aq)" ] || fail "a failed build left jails: $(T ps -a)"
echo ok
