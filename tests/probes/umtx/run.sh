#!/bin/sh
# umtx probes: builds tests/probes/umtx/*.c with the probes' build rules
# (tests/probes/build.sh, runtime in tests/probes/rt/) into
# build/probes/umtx/, runs each under the translator, prints PASS/FAIL per
# probe and closes with "N passed, N failed" like tests/probes/run.sh.
# BSDULATOR overrides the translator (default build/bin/bsdulator).
set -u
cd "$(dirname "$0")/../../.."
BSDULATOR=${BSDULATOR:-build/bin/bsdulator}
out=$(pwd)/build/probes/umtx
passed=0
failed=0
log=$(mktemp "${TMPDIR:-/tmp}/lochs-umtx.XXXXXX")
trap 'rm -f "$log"' EXIT
trap 'exit 1' INT TERM

for src in tests/probes/umtx/*.c; do
	name=$(basename "$src" .c)
	# uthr.h is a dependency of every probe: rebuild when it changes.
	if [ tests/probes/umtx/uthr.h -nt "$out/$name" ]; then rm -f "$out/$name"; fi
	sh tests/probes/build.sh "$out/$name" "$src" || echo "build of umtx/$name failed" >&2
done

for src in tests/probes/umtx/*.c; do
	name=$(basename "$src" .c)
	why=
	if [ ! -x "$BSDULATOR" ]; then
		why="no translator at $BSDULATOR"
	elif [ ! -x "$out/$name" ]; then
		why="probe not built"
	else
		timeout 60 "$BSDULATOR" -- "$out/$name" </dev/null >"$log" 2>&1
		rc=$?
		if [ "$rc" -eq 124 ]; then
			why="timed out after 60 s"
		elif [ "$rc" -ne 0 ]; then
			why="exit status $rc"
		elif ! grep -q '^# done: [0-9]* checks, 0 failed$' "$log"; then
			why="no closing '# done' line"
		fi
	fi
	if [ -z "$why" ]; then
		passed=$((passed + 1))
		echo "PASS umtx/$name"
	else
		failed=$((failed + 1))
		echo "FAIL umtx/$name: $why"
		sed 's/^/    /' "$log"
	fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
