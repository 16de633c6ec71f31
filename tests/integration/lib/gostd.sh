# Shared body of the t_gostd_<pkg>.sh tests: runs one Go standard-library
# test binary from build/corpus/gotest/ in its package's source folder (the
# tests read ./testdata) with -test.short, leaving out go-skips.txt entries.
# GOTEST_ARGS adds flags, e.g. GOTEST_ARGS=-test.v for a verbose log.
. "$(dirname "$0")/lib/common.sh"
SKIPS=$ROOT/tests/integration/go-skips.txt

# Tests run in a sandbox: network, mount and user namespaces with only a
# loopback interface (nothing can reach another address), and, because some
# tests have a Linux program (sh, nohup) exec the FreeBSD test binary,
# a private binfmt_misc that hands FreeBSD ELFs to the
# translator (lib/sandbox_ns.c; the host's binfmt_misc is left alone).
sandbox_wrap() {
	[ -n "$RUN" ] || return 0
	ns=$ROOT/build/integration/sandbox_ns
	src=$ROOT/tests/integration/lib/sandbox_ns.c
	if [ ! -x "$ns" ] || [ "$src" -nt "$ns" ]; then
		mkdir -p "${ns%/*}"
		cc -O1 -Wall -o "$ns" "$src" || fail "cannot build $src"
	fi
	"$ns" "${RUN%% *}" true 2>/dev/null || fail "sandbox_ns does not work here (needs Linux 6.7+ and root)"
	RUN="$ns ${RUN%% *} $RUN"
}

# go_test ARGS...: one run of the test binary. A run that hangs until Go's
# own -test.timeout is retried once and reported as such: lost-wake-up races
# in the kqueue emulation can still hang a test (see the closing notes);
# any other failure fails at once.
go_test() {
	log=$(mktemp)
	$RUN "$bin" "$@" >"$log" 2>&1 && { cat "$log"; rm -f "$log"; return 0; }
	rc=$?
	cat "$log"
	if grep -q '^panic: test timed out' "$log"; then
		hung=$(grep -A3 '^goroutine .*minutes\]' "$log" | grep -o 'Test[A-Za-z0-9_]*' | sort -u | tr '\n' ' ')
		echo "RETRY: $pkg hung (tests running: $hung); running it once more"
		rm -f "$log"
		$RUN "$bin" "$@"
		return
	fi
	rm -f "$log"
	return $rc
}

gostd_run() {
	pkg=$1
	bin=$ROOT/build/corpus/gotest/$GOOS_SEL/$(echo "$pkg" | tr / _).test
	need "$bin" "$ROOT/build/corpus/gotest/goroot"
	src=$(cat "$ROOT/build/corpus/gotest/goroot")/src/$pkg
	[ -d "$src" ] || fail "no Go source folder $src"
	cd "$src"
	sandbox_wrap
	set -- -test.short -test.timeout=150s ${GOTEST_ARGS:-}
	skips=$(sed 's/#.*//' "$SKIPS" | awk -v p="$pkg" '$1 == p { print $2 }')
	if [ -z "$skips" ]; then
		go_test "$@" || fail "$pkg tests exited with status $?"
		return
	fi
	grep "^$pkg " "$SKIPS" | sed 's/^/skipping: /'
	# Go 1.19 has no -test.skip and RE2 has no negative lookahead, so list
	# the tests and pass the kept names as an explicit -test.run alternation.
	all=$($RUN "$bin" -test.list '.*') || fail "-test.list exited with status $?"
	for s in $skips; do
		echo "$all" | grep -qx "$s" || echo "note: skip entry $pkg $s matches no test"
	done
	keep=$(echo "$all" | grep -E '^(Test|Example|Fuzz)' | grep -vxF "$skips" || true)
	[ -n "$keep" ] || fail "no tests left to run"
	# 150 names per run keeps the argument far below any ARG_MAX.
	chunks=$(echo "$keep" | awk '{ b = b (n++ ? "|" : "") $0 }
		n == 150 { print b; b = ""; n = 0 } END { if (n) print b }')
	rc=0
	for alt in $chunks; do
		go_test "$@" -test.run "^($alt)\$" || rc=$?
	done
	[ $rc = 0 ] || fail "$pkg tests exited with status $rc"
}
