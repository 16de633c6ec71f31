#!/bin/sh
# Integration suite: runs tests/integration/t_*.sh from the repo root, each
# under a timeout so a hang fails instead of blocking CI. A test exits 0
# (pass), 77 (skip, after printing "SKIP: reason") or anything else (fail).
# Usage: run.sh [SUBSTRING]   (only tests whose name contains SUBSTRING)
# Env: BSDULATOR (translator, default build/bin/bsdulator), LOCHS_NATIVE=1
# (run the Linux peers natively: checks the tests, not the translator),
# INTEGRATION_TIMEOUT (seconds per test, default 600).
set -u
cd "$(dirname "$0")/../.."
filter=${1:-}
limit=${INTEGRATION_TIMEOUT:-600}
logs=build/integration/logs
mkdir -p "$logs"
pass=0 failed=0 skipped=0
. tests/integration/lib/leaks.sh
before=$(mktemp) && trap 'rm -f "$before"' EXIT

# The corpus is cached in build/corpus/; a broken step counts as one failure
# here, and the tests that need its output skip with "corpus missing".
if ! sh tests/corpus/build.sh >"$logs/corpus.log" 2>&1; then
	echo "FAIL corpus: $(tail -n 1 "$logs/corpus.log")"; failed=1
fi

for t in tests/integration/t_*.sh; do
	name=$(basename "$t" .sh); name=${name#t_}
	case $name in *"$filter"*) ;; *) continue ;; esac
	log=$logs/$name.log
	leak_snapshot "$before"
	timeout -k 10 "$limit" sh "$t" >"$log" 2>&1 9>&-
	rc=$?
	# A test that passes but leaves host objects behind fails.
	leaks=$(leak_check "$before")
	if [ -n "$leaks" ]; then
		echo "LEAKED: $leaks" >>"$log"
		[ $rc = 0 ] && rc=99
	fi
	case $rc in
	0) echo "PASS $name"; pass=$((pass + 1)) ;;
	77) echo "SKIP $name: $(sed -n 's/^SKIP: //p' "$log" | tail -n 1)"; skipped=$((skipped + 1)) ;;
	*)
		why="exit status $rc"; [ $rc = 124 ] && why="timed out after ${limit}s"
		[ $rc = 99 ] && why="left host objects behind: $leaks"
		echo "FAIL $name ($why, log: $log)"
		tail -n 15 "$log" | sed 's/^/    /'
		failed=$((failed + 1)) ;;
	esac
done
echo "$pass passed, $failed failed, $skipped skipped"
[ $failed = 0 ]
