#!/bin/sh
# Benchmark: FreeBSD esbuild under bsdulator vs Linux esbuild natively, both
# bundling the generated 2400-module project; best of 5 wall-clock runs each.
# Env: BSDULATOR (default build/bin/bsdulator); LOCHS_NATIVE=1 runs the Linux
# binary on both sides (checks the bench itself; the ratio should be ~1).
set -eu
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
sh tests/corpus/build.sh
NPM=$ROOT/build/corpus/npm/@esbuild
lin=$NPM/linux-x64/package/bin/esbuild
if [ "${LOCHS_NATIVE:-0}" = 1 ]; then
	run= bin=$lin
else
	run=${BSDULATOR:-build/bin/bsdulator}
	case $run in /*) ;; *) run=$ROOT/$run ;; esac
	bin=$NPM/freebsd-x64/package/bin/esbuild
fi
out=$ROOT/build/bench/esbuild
mkdir -p "$out"
cd build/corpus/esm-project

# best CMD...: prints the fastest of 5 runs in ms; fails if any run fails.
best() {
	b=
	for i in 1 2 3 4 5; do
		t0=$(date +%s%N)
		"$@" index.js --bundle --minify --log-level=warning --outfile="$out/out.js" ||
			{ echo "esbuild bench: '$*' exited with status $?" >&2; exit 1; }
		ms=$((($(date +%s%N) - t0) / 1000000))
		[ -n "$b" ] && [ "$b" -le "$ms" ] || b=$ms
	done
	echo "$b"
}
g=$(best $run "$bin")
n=$(best "$lin")
r=$(awk -v g="$g" -v n="$n" 'BEGIN { printf "%.2f", g / (n > 0 ? n : 1) }')
echo "esbuild bundle: bsdulator $g ms, native $n ms, ratio $r (target <= 1.3)"
