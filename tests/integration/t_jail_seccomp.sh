#!/bin/sh
# The jail's seccomp allow-list (translator/jail/seccomp.c), seen by a
# static Linux program built here and bind-mounted into a jail of the
# FreeBSD test image (bsdulator runs Linux ELFs natively, so the program
# meets the filter itself): mount, unshare, keyctl, bpf, reboot, kexec,
# modules, userfaultfd, personality refused with EPERM, clone3 and unknown
# numbers with ENOSYS, the x32 ABI killed, ordinary calls working; a
# --privileged jail has no filter; FreeBSD programs still run.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/lochs.sh"
command -v gcc >/dev/null || skip "gcc not installed"
jail_test seccomp

mkdir "$S/bin"
gcc -static -O2 -o "$S/bin/probe" tests/integration/seccomp/probe.c || fail "building the probe"

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
