#!/bin/sh
# Builds one static FreeBSD amd64 program from SRC... plus the probe runtime,
# only if OUT is missing or older than any source. Shared by tests/probes/run.sh
# and bench/syscall/run.sh so the flags live in one place.
# usage: build.sh OUT SRC...
set -eu
out=$1; shift
rt=$(dirname "$0")/rt
srcs="$* $rt/start.S $rt/rt.c $rt/probe.h $rt/fbsd.h $rt/touch.h"
stale=0
[ -e "$out" ] || stale=1
for s in $srcs; do [ "$s" -nt "$out" ] && stale=1; done
[ $stale = 1 ] || exit 0
mkdir -p "$(dirname "$out")"
# -ffreestanding/-nostdlib: no FreeBSD libc or crt; the runtime provides _start.
# The freebsd target makes clang set EI_OSABI=9; rt/start.S adds the ABI note.
${PROBE_CC:-clang} --target=x86_64-unknown-freebsd14.3 -ffreestanding -nostdlib -static \
	-fno-stack-protector -fuse-ld=lld -O1 -Wl,--build-id=none -Wall -Wextra \
	-Wno-unused-parameter -I"$rt" -o "$out" "$@" "$rt/start.S" "$rt/rt.c"
