# Sourceable helpers for tests that drive the lochs CLI (after common.sh).
#
#   expect STATUS WHAT CMD...   runs CMD; fails the test with WHAT unless it
#                               exits STATUS. Its stdout and stderr are in $out.
#   until_ok WHAT CMD...        runs CMD every 0.1 s until it succeeds; fails
#                               the test after 30 s ("timed out waiting for WHAT").

expect() {
	want=$1 what=$2
	shift 2
	rc=0
	out=$("$@" 2>&1) || rc=$?
	[ "$rc" = "$want" ] || fail "$what: exit $rc, want $want: $out"
}

until_ok() {
	what=$1 n=0
	shift
	until "$@" >/dev/null 2>&1; do
		n=$((n + 1)); [ $n -lt 300 ] || fail "timed out waiting for $what"; sleep 0.1
	done
}

# jail_test NAME: the start of a test that runs jails. Skips unless root
# and the FreeBSD test image are there; makes the state root $S
# (/tmp/lochs-NAME.XXXXXX), removed at exit with its jails after the test's
# own at_exit (define it to stop helpers); starts the loopback mirror and
# pulls freebsd:14.3 into $S. L runs lochs ($LOCHS) on $S.
. tests/integration/lib/mirror.sh  # callers run from the repo root
. tests/integration/lib/hostnet.sh
LOCHS=${LOCHS:-build/bin/lochs}
L() { "$LOCHS" --root "$S" "$@"; }
at_exit() { :; }
jail_test_end() {
	at_exit || true
	for id in $("$LOCHS" --root "$S" ps -aq 2>/dev/null); do
		"$LOCHS" --root "$S" rm -f "$id" >/dev/null 2>&1 || true
	done
	# Networks a failed test left (their bridges would outlive the root).
	for n in $("$LOCHS" --root "$S" network ls -q 2>/dev/null); do
		"$LOCHS" --root "$S" network rm "$n" >/dev/null 2>&1 || true
	done
	mirror_stop
	hostnet_end "$S"
	rm -rf "$S"
}
jail_test() {
	[ "${LOCHS_NATIVE:-0}" = 1 ] && skip "runs jails only"
	[ "$(id -u)" = 0 ] || skip "jails need root (namespaces, overlayfs, cgroups)"
	need build/corpus/image/mirror/14.3-RELEASE/base.txz "$LOCHS" "${LOCHS%/*}/lochs-monitor"
	hostnet_begin
	S=$(mktemp -d "/tmp/lochs-$1.XXXXXX")
	trap jail_test_end EXIT
	mirror_start || fail "mirror did not start"
	L pull -q --mirror "$MIRROR_URL" freebsd:14.3 >/dev/null || fail "pull"
}

# no_leftovers: fails unless the root $S has no jail, and no monitor, mount
# or cgroup of a removed jail is left.
no_leftovers() {
	[ -z "$(L ps -aq)" ] || fail "jails left: $(L ps -a)"
	pgrep -f "lochs-monitor $S " >/dev/null && fail "monitors left: $(pgrep -af "lochs-monitor $S ")"
	grep -q " $S" /proc/self/mountinfo && fail "mounts left"
	for d in /sys/fs/cgroup/*/lochs /sys/fs/cgroup/lochs; do
		for id in $(ls "$d" 2>/dev/null); do
			[ -d "$S/jails/$id" ] && fail "cgroup $d/$id of a removed jail left"
		done
	done
	return 0
}
