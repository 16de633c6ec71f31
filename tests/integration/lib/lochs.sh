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
