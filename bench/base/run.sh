#!/bin/sh
# Process start-up of a real FreeBSD base system: N fork+exec+wait of the
# root's dynamically linked true(1) under bsdulator --root against Linux
# /bin/true natively, and FreeBSD `sh -c true` against `dash -c true`.
# Best of 3 runs each (bench/base/spawn.c times the loop).
# Env: LOCHS_FREEBSD_BASE_ROOT (a FreeBSD root with /bin/sh and true(1);
# default LOCHS_FREEBSD_ROOT; SKIP without either), BSDULATOR (default
# build/bin/bsdulator), BENCH_SPAWN_N (runs per measurement, default 500).
set -eu
cd "$(dirname "$0")/../.."
R=${LOCHS_FREEBSD_BASE_ROOT:-${LOCHS_FREEBSD_ROOT:-}}
if [ -z "$R" ]; then
	echo "SKIP: LOCHS_FREEBSD_BASE_ROOT and LOCHS_FREEBSD_ROOT are unset (set one to a FreeBSD root with /bin/sh)"
	exit 0
fi
# FreeBSD keeps true(1) in /usr/bin; /bin/true if a root has it there.
ftrue=
for t in /bin/true /usr/bin/true; do [ -x "$R$t" ] && { ftrue=$t; break; }; done
if [ -z "$ftrue" ] || [ ! -x "$R/bin/sh" ]; then
	echo "SKIP: $R has no /bin/sh and true(1) (a FreeBSD base root is needed, e.g. LOCHS_FREEBSD_BASE_ROOT)"
	exit 0
fi
BSDULATOR=${BSDULATOR:-build/bin/bsdulator}
case $BSDULATOR in /*) ;; *) BSDULATOR=$(pwd)/$BSDULATOR ;; esac
N=${BENCH_SPAWN_N:-500}
out=build/bench/base
mkdir -p "$out"
spawn=$out/spawn
[ -x "$spawn" ] && [ ! bench/base/spawn.c -nt "$spawn" ] ||
	${CC:-cc} -O2 -Wall -o "$spawn" bench/base/spawn.c

# best CMD...: lowest us per run over 3 runs; CMD prints "N ELAPSED_NS".
best() {
	b=
	for _ in 1 2 3; do
		line=$("$spawn" "$N" "$@") || return 1
		b=$(echo "$line" | awk -v b="$b" '{ v = $2 / $1 / 1000; if (b == "" || v < b) b = v; print b }')
	done
	echo "$b"
}
fmt() { awk -v v="$1" 'BEGIN { printf "%.0f", v }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

status=0
native=$(best /bin/true)
if emu=$(best "$BSDULATOR" --root "$R" "$ftrue"); then
	echo "fork+exec+wait /bin/true: bsdulator $(fmt "$emu") us, native $(fmt "$native") us," \
		"ratio $(ratio "$emu" "$native") (target <= 1.5)"
else
	echo "fork+exec+wait /bin/true: bsdulator --root $R $ftrue failed"; status=1
fi
dash=$(command -v dash || true)
if [ -z "$dash" ]; then
	echo "sh -c true: SKIP (dash is not installed)"
elif dnat=$(best "$dash" -c true) && emu=$(best "$BSDULATOR" --root "$R" /bin/sh -c true); then
	echo "fork+exec+wait sh -c true: bsdulator $(fmt "$emu") us, dash $(fmt "$dnat") us," \
		"ratio $(ratio "$emu" "$dnat") (target <= 1.5)"
else
	echo "fork+exec+wait sh -c true: bsdulator --root $R /bin/sh -c true failed"; status=1
fi
exit $status
