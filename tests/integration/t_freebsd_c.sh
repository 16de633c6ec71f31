#!/bin/sh
# Our own small C programs (tests/freebsd-c/*.c: threads, signals, processes,
# sockets, kqueue) built twice: for FreeBSD, dynamically linked against the
# libc/libthr of LOCHS_FREEBSD_ROOT (also the clang sysroot), and for Linux
# with cc. Each FreeBSD build runs under bsdulator --root from a scratch
# directory under the root's /tmp (removed afterwards); its stdout must equal
# the Linux build's (kqueue.c prints the expected lines on Linux).
. "$(dirname "$0")/lib/common.sh"
[ "${LOCHS_NATIVE:-0}" = 1 ] && skip "runs FreeBSD programs only"
[ -n "${LOCHS_FREEBSD_ROOT:-}" ] ||
	skip "LOCHS_FREEBSD_ROOT is unset (set it to a FreeBSD root with libc, rtld, headers and crt files)"
R=$(cd "$LOCHS_FREEBSD_ROOT" && pwd)
[ -d "$R/tmp" ] || fail "LOCHS_FREEBSD_ROOT=$R has no /tmp for the scratch directory"
[ -f "$R/usr/lib/crt1.o" ] || fail "LOCHS_FREEBSD_ROOT=$R has no usr/lib/crt1.o (needed as --sysroot)"
# An installed base system often lacks the link-time names (libgcc_s.so):
# that root can run programs but not be a sysroot.
[ -e "$R/usr/lib/libgcc_s.so" ] || [ -e "$R/lib/libgcc_s.so" ] ||
	skip "LOCHS_FREEBSD_ROOT=$R has no libgcc_s.so to link against (use a root with development files)"
command -v clang >/dev/null || skip "clang is not installed"

SRC=$ROOT/tests/freebsd-c
OUT=$ROOT/build/freebsd-c
mkdir -p "$OUT/freebsd" "$OUT/linux"
name=lochs-c.$$
S=$R/tmp/$name  # host path of the scratch directory
G=/tmp/$name    # the same directory inside the root
mkdir "$S"
trap 'rm -rf "$S"' EXIT

failed=
for src in "$SRC"/*.c; do
	p=$(basename "$src" .c)
	clang --target=x86_64-unknown-freebsd13.5 --sysroot="$R" -fuse-ld=lld -O2 -Wall -Werror \
		-pthread -o "$OUT/freebsd/$p" "$src" || fail "$p: FreeBSD build failed"
	${CC:-cc} -O2 -Wall -pthread -o "$OUT/linux/$p" "$src" || fail "$p: Linux build failed"
	cp "$OUT/freebsd/$p" "$S/$p"
	# Both run by absolute path (processes.c execs itself through argv[0]).
	"$OUT/linux/$p" >"$OUT/$p.linux.out" 2>&1 || fail "$p: the Linux build exited with status $?"
	rc=0
	$RUN --root "$R" "$G/$p" >"$OUT/$p.freebsd.out" 2>&1 || rc=$?
	if [ $rc != 0 ]; then
		echo "$p: FreeBSD build under bsdulator exited with status $rc"
		sed 's/^/    /' "$OUT/$p.freebsd.out"
		failed="$failed $p"
	elif ! diff -u "$OUT/$p.linux.out" "$OUT/$p.freebsd.out"; then
		echo "$p: output differs (- Linux, + FreeBSD under bsdulator)"
		failed="$failed $p"
	else
		echo "$p: $(wc -l <"$OUT/$p.linux.out") lines, identical"
	fi
done
[ -z "$failed" ] || fail "differs or failed:$failed"
echo "ok"
