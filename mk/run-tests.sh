#!/bin/sh
# Runs each test suite script given as an argument, then prints the grand
# total as the closing line "N passed, N failed[, N skipped]".
# A suite reports through its own last line "N passed, N failed...".
set -u
tp=0; tf=0; ts=0; rc=0
for suite in "$@"; do
	echo "=== suite: $suite"
	out=$(mktemp); rcf=$(mktemp)
	{ sh "$suite" 2>&1; echo $? > "$rcf"; } | tee "$out"
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
	src=$(cat "$rcf")
	rm -f "$out" "$rcf"
	if [ -z "$line" ]; then
		echo "suite $suite printed no summary: counted as failed"; tf=$((tf + 1)); rc=1; continue
	fi
	p=$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
	f=$(echo "$line" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')
	s=$(echo "$line" | sed -nE 's/.*, ([0-9]+) skipped.*/\1/p'); s=${s:-0}
	tp=$((tp + p)); tf=$((tf + f)); ts=$((ts + s))
	# A suite that exits non-zero with no failure counted still fails.
	[ "$f" -eq 0 ] && [ "$src" -ne 0 ] && f=1 && tf=$((tf + 1))
	[ "$f" -eq 0 ] || rc=1
done
echo "$tp passed, $tf failed, $ts skipped"
exit $rc
