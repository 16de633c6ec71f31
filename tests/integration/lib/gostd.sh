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
		$RUN "$bin" "$@" || fail "$pkg tests exited with status $?"
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
		$RUN "$bin" "$@" -test.run "^($alt)\$" || rc=$?
	done
	[ $rc = 0 ] || fail "$pkg tests exited with status $rc"
}
