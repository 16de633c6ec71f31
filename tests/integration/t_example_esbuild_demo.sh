#!/bin/sh
# The README's demo (examples/bsdulator-esbuild) works end to end.
. "$(dirname "$0")/lib/common.sh"
[ "${LOCHS_NATIVE:-0}" = 1 ] && skip "the demo always uses the translator"
out=$(sh examples/bsdulator-esbuild/run.sh 2>&1) || fail "demo failed: $out"
echo "$out" | grep -q '^0\.28\.2$' || fail "esbuild --version missing: $out"
echo "$out" | grep -q 'Hello, Lochs, from a bundle made on FreeBSD (via BSDulator)! sum = 10' ||
	fail "bundle output wrong: $out"
