#!/bin/sh
# Builds and runs every cmocka unit test; closes with "N passed, N failed".
cd "$(dirname "$0")/../.." || exit 1
make -s unit || { echo "0 passed, 1 failed"; exit 1; }
p=0; f=0
for t in build/unit/test_*; do
	[ -x "$t" ] || continue
	out=$("$t" 2>&1); rc=$?

	np=$(echo "$out" | sed -nE 's/^\[  PASSED  \] ([0-9]+) test.*/\1/p')
	nf=$(echo "$out" | sed -nE 's/^\[  FAILED  \] ([0-9]+) test.*/\1/p')
	np=${np:-0}; nf=${nf:-0}
	[ "$rc" -ne 0 ] && [ "$nf" -eq 0 ] && nf=1
	[ "$nf" -ne 0 ] && echo "$out"
	echo "$(basename "$t"): $np passed, $nf failed"
	p=$((p + np)); f=$((f + nf))
done
echo "$p passed, $f failed"
[ "$f" -eq 0 ]
