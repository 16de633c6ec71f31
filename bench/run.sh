#!/bin/sh
# `make bench`: runs every bench/*/run.sh in turn. Each prints its own lines
# with a ratio against a peer measured in the same run. Exits 1 if any failed.
# Usage: run.sh [SUBSTRING]   (only benchmarks whose directory contains it;
# `make bench BENCH=lochs`)
set -u
cd "$(dirname "$0")/.."
filter=${1:-}
status=0
# Benchmarks run jails from /tmp/lochs-* roots, which the integration
# suite's leak check would take for a test's leftovers and remove: holding
# its lock shared makes it stand down while we run (tests/integration/lib/leaks.sh).
exec 9>>/tmp/lochs-integration.lock
flock -s 9
for b in bench/*/run.sh; do
	[ -f "$b" ] || continue
	case ${b#bench/} in *"$filter"*/run.sh) ;; *) continue ;; esac
	echo "=== bench: $b"
	sh "$b" 9>&-
	rc=$?
	if [ "$rc" -ne 0 ]; then
		echo "bench $b failed (exit status $rc)"
		status=1
	fi
done
exit $status
