#!/bin/sh
# The README's main demo (examples/lochs-jail) works end to end: pull from
# the loopback mirror, a jail with its own hostname and pid 1, and FreeBSD
# esbuild in a jail bundling a bind-mounted app.
. "$(dirname "$0")/lib/common.sh"
[ "${LOCHS_NATIVE:-0}" = 1 ] && skip "the demo runs jails"
[ "$(id -u)" = 0 ] || skip "jails need root"
# The demo's jails join the default network: its table and bridge go at
# the end.
LOCHS=build/bin/lochs
. tests/integration/lib/hostnet.sh
hostnet_begin
trap 'hostnet_end build/demo/lochs-state' EXIT
rm -rf build/demo/lochs-state build/demo/out
out=$(sh examples/lochs-jail/run.sh 2>&1) || fail "demo failed: $out"
echo "$out" | grep -q 'Status: Downloaded newer image for freebsd:14.3' || fail "pull output: $out"
echo "$out" | grep -q '^FreeBSD 14.3-RELEASE$' || fail "uname in the jail: $out"
echo "$out" | grep -q '^demo$' || fail "hostname in the jail: $out"
echo "$out" | grep -q '^pid 1$' || fail "pid in the jail: $out"
echo "$out" | grep -q 'Hello, Lochs, from a bundle made on FreeBSD (via BSDulator)! sum = 10' ||
	fail "bundle output wrong: $out"
[ -z "$(build/bin/lochs --root build/demo/lochs-state ps -aq)" ] || fail "the demo left jails behind"
