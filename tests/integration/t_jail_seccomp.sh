#!/bin/sh
# The jail's seccomp allow-list (translator/jail/seccomp.c), seen by a
# static Linux program built here and bind-mounted into a jail of the
# FreeBSD test image (bsdulator runs Linux ELFs natively, so the program
# meets the filter itself): mount, unshare, keyctl, bpf, reboot, kexec,
# modules, userfaultfd, personality refused with EPERM, clone3 and unknown
# numbers with ENOSYS, the x32 ABI killed, ordinary calls working; a
# --privileged jail has no filter; FreeBSD programs still run.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/mirror.sh"
[ "${LOCHS_NATIVE:-0}" = 1 ] && skip "runs jails only"
[ "$(id -u)" = 0 ] || skip "jails need root (namespaces, overlayfs, cgroups)"
need build/corpus/image/mirror/14.3-RELEASE/base.txz build/bin/lochs build/bin/lochs-monitor
command -v gcc >/dev/null || skip "gcc not installed"

S=$(mktemp -d /tmp/lochs-seccomp.XXXXXX)
cleanup() {
	for id in $(build/bin/lochs --root "$S" ps -aq 2>/dev/null); do
		build/bin/lochs --root "$S" rm -f "$id" >/dev/null 2>&1 || true
	done
	mirror_stop
	rm -rf "$S"
}
trap cleanup EXIT
L() { build/bin/lochs --root "$S" "$@"; }

mkdir "$S/bin"
gcc -static -O2 -o "$S/bin/probe" tests/integration/seccomp/probe.c || fail "building the probe"
mirror_start || fail "mirror did not start"
L pull -q --mirror "$MIRROR_URL" freebsd:14.3 >/dev/null || fail "pull"

rc=0
out=$(L run --rm -v "$S/bin:/x:ro" freebsd:14.3 /x/probe 2>&1) || rc=$?
echo "$out"
[ $rc = 0 ] || fail "probe in a jail (exit $rc): $(echo "$out" | grep -v '^ok')"
echo "$out" | grep -q '^ok x32 killed$' || fail "probe did not finish: $out"

# The same program started by a FreeBSD shell (execve through bsdulator).
rc=0
out=$(L run --rm -v "$S/bin:/x:ro" freebsd:14.3 /bin/sh -c '/x/probe && echo FreeBSD sh ok' 2>&1) || rc=$?
[ $rc = 0 ] && echo "$out" | grep -q '^FreeBSD sh ok$' || fail "probe under sh (exit $rc): $out"

rc=0
out=$(L run --rm --privileged -v "$S/bin:/x:ro" freebsd:14.3 /x/probe unconfined 2>&1) || rc=$?
[ $rc = 0 ] || fail "privileged jail: $out"
echo "ok"
