#!/bin/sh
# Compose build: with its long form (context, dockerfile, args, target)
# runs lochs build: the named Lochfile in the context, the build arg
# passed to the ARG, the build stopped at the target stage (the later
# stage's RUN is not in the image); the image is PROJECT-SERVICE and the
# service's jail runs from it. A build that fails stops the up with the
# Lochfile's line and makes no jail.
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

# A failing build: one line naming the Lochfile's line, no jail made.
printf 'FROM freebsd:14.3 AS one\nRUN exit 3\n' >ctx/Build.lochfile
expect 125 "failing build" T compose up -d
echo "$out" | grep -q 'Build.lochfile:2: RUN: command "exit 3" failed: exit code 3' || fail "failing build: $out"
[ -z "$(T ps -aq)" ] || fail "a failed build left jails: $(T ps -a)"
echo ok
