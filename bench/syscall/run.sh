#!/bin/sh
# Syscall round trip: FreeBSD getpid under bsdulator vs the same loop run
# natively, and what one ptrace stop per syscall would cost instead (the design
# the translator rejects, see DESIGN.md). Best of 3 runs each.
# Env: BSDULATOR (default build/bin/bsdulator), BENCH_N (getpid calls,
# default 1000000), BENCH_PTRACE_N (traced calls, default 20000: ptrace is slow).
set -eu
cd "$(dirname "$0")/../.."
BSDULATOR=${BSDULATOR:-build/bin/bsdulator}
N=${BENCH_N:-1000000}
PN=${BENCH_PTRACE_N:-20000}
out=build/bench/syscall
mkdir -p "$out"

# Linux programs with the host compiler, the FreeBSD one with the probe runtime.
cc_if_stale() {
	[ -x "$1" ] && [ ! "$2" -nt "$1" ] || ${CC:-cc} -O2 -Wall -o "$1" "$2"
}
cc_if_stale "$out/getpid-linux" bench/syscall/getpid.c
cc_if_stale "$out/ptrace-getpid" bench/syscall/ptrace_getpid.c
sh tests/probes/build.sh "$out/getpid-freebsd" bench/syscall/getpid.c

# best CMD...: lowest ns per call over 3 runs; CMD prints "N ELAPSED_NS ...".
best() {
	b=
	for _ in 1 2 3; do
		line=$("$@") || return 1
		b=$(echo "$line" | awk -v b="$b" '{ v = $2 / $1; if (b == "" || v < b) b = v; print b }')
	done
	echo "$b"
}
fmt() { awk -v v="$1" -v f="$2" 'BEGIN { printf f, v }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }

native=$(best "$out/getpid-linux" "$N")
status=0
if [ -x "$BSDULATOR" ] && emu=$(best "$BSDULATOR" -- "$out/getpid-freebsd" "$N"); then
	echo "getpid: bsdulator $(fmt "$emu" %.0f) ns/call, native $(fmt "$native" %.0f) ns/call," \
		"ratio $(ratio "$emu" "$native") (target <= 20, goal <= 2)"
else
	echo "getpid: bsdulator failed or missing ($BSDULATOR), native $(fmt "$native" %.0f) ns/call"
	status=1
fi
if pt=$(best "$out/ptrace-getpid" "$PN" syscall) && pe=$(best "$out/ptrace-getpid" "$PN" sysemu); then
	echo "ptrace round trip: $(fmt "$pt" %.0f) ns/call (ratio to native $(ratio "$pt" "$native"))" \
		"— why the translator does not use ptrace"
	echo "ptrace sysemu (1 stop + GETREGS/SETREGS per call): $(fmt "$pe" %.0f) ns/call" \
		"(ratio to native $(ratio "$pe" "$native"))"
else
	echo "ptrace round trip: ptrace unavailable here"
fi
exit $status
