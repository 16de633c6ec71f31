#!/bin/sh
# kill -9 of `lochs apply` at random moments (root only): 20 trials, each
# killing an apply of a 4-jail project (two networks) somewhere between its
# start and its end, then running apply again. Every time the second apply
# converges: exactly the jails the file names, all running, no other
# jail, monitor, mount or cgroup of the project, and a third apply has
# nothing to do. Addresses 198.18.76.0/24 and 198.18.77.0/24 only.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/lochs.sh"
jail_test applycrash
LOCHS=$ROOT/$LOCHS
T() { timeout 120 "$LOCHS" --root "$S" "$@"; }
P=$S/proj && mkdir -p "$P" && cd "$P"
write() { # REPLICAS: a change each trial makes apply do something
	cat >lochs.yml <<YAML
name: crash
services:
  a: {image: freebsd:14.3, command: [sleep, "600"], networks: [n1, n2], environment: {TRIAL: "$2"}}
  b: {image: freebsd:14.3, command: [sleep, "600"], networks: [n2], depends_on: [a], scale: $1}
networks:
  n1: {ipam: {config: [{subnet: 198.18.76.0/24}]}}
  n2: {ipam: {config: [{subnet: 198.18.77.0/24}]}}
YAML
}
names() { T compose ps | awk 'NR > 1 { print $1 }' | sort | tr '\n' ' '; }
for trial in $(seq 20); do
	reps=$((trial % 3 + 1))
	write $reps $trial
	# lochs itself in the background (not through T: $! would be the
	# timeout wrapper, and killing that leaves the apply running).
	"$LOCHS" --root "$S" apply >/dev/null 2>&1 &
	pid=$!
	sleep "0.$(awk -v s="$trial" 'BEGIN { srand(s); printf "%03d", rand() * 400 }')"
	kill -9 $pid 2>/dev/null || true
	wait $pid 2>/dev/null || true
	expect 0 "apply after kill (trial $trial)" T apply
	want="crash-a-1 $(seq -f 'crash-b-%g' 1 $reps | tr '\n' ' ')"
	[ "$(names)" = "$(echo $want | tr ' ' '\n' | sort | tr '\n' ' ')" ] || fail "trial $trial: jails $(names), want $want"
	T compose ps | awk 'NR > 1 && $3 != "running" { bad = 1 } END { exit bad }' || fail "trial $trial: $(T compose ps)"
	[ "$(T ps -aq | wc -l)" = $((reps + 1)) ] || fail "trial $trial: other jails: $(T ps -a)"
	expect 0 "no-op (trial $trial)" T apply
	[ "$out" = "Project crash is up to date." ] || fail "trial $trial: not converged: $out"
done
# Nothing of the project outlives down: monitors, mounts, cgroups.
expect 0 "down" T compose down
no_leftovers
echo PASS
