#!/bin/sh
# The self-hosted registry recipe (examples/registry) works end to end:
# docker-registry serving the example's config.yml with htpasswd logins on
# 127.0.0.1, lochs login, push of freebsd:14.3, rmi, pull back with the
# pushed digest, a jail of it (as root), logout.
. "$(dirname "$0")/lib/common.sh"
[ "${LOCHS_NATIVE:-0}" = 1 ] && skip "the demo runs lochs, not the translator's peers"
for t in docker-registry htpasswd python3; do command -v $t >/dev/null || skip "$t needed"; done
need build/corpus/image/mirror/14.3-RELEASE/base.txz
LOCHS=build/bin/lochs
. tests/integration/lib/hostnet.sh
hostnet_begin
cleanup() {
	hostnet_end build/demo/registry/lochs-state
	rm -rf build/demo/registry
}
trap cleanup EXIT
out=$(sh examples/registry/run.sh 2>&1) || fail "demo failed: $out"
echo "$out" | grep -q '^Login Succeeded$' || fail "login: $out"
pushed=$(echo "$out" | sed -n 's/^14.3: digest: \(sha256:[0-9a-f]*\) size: [0-9]*$/\1/p')
[ -n "$pushed" ] || fail "no pushed digest: $out"
echo "$out" | grep -q ': Pushed (' || fail "nothing uploaded: $out"
echo "$out" | grep -q "^Digest: $pushed$" || fail "pulled digest is not $pushed: $out"
if [ "$(id -u)" = 0 ]; then
	echo "$out" | grep -q '^FreeBSD 14.3-RELEASE$' || fail "the pulled image did not run: $out"
fi
echo "$out" | grep -q '^Removing login credentials for 127.0.0.1:[0-9]*$' || fail "logout: $out"
echo "$out" | grep -q '"auths"' && fail "credentials printed: $out"
[ -z "$(build/bin/lochs --root build/demo/registry/lochs-state ps -aq)" ] || fail "the demo left jails behind"
echo PASS
