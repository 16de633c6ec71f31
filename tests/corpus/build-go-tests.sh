#!/bin/sh
# Builds the Go standard library's own test binaries for FreeBSD (run under
# bsdulator) and Linux (the native peer) into build/corpus/gotest/<goos>/,
# named <pkg with / -> _>.test. Only missing binaries are built.
# CGO_ENABLED=0 on both sides: static, pure-Go net resolver, same code paths.
set -eu
cd "$(dirname "$0")/../.."
PKGS="os syscall os/exec os/signal net time"
command -v go >/dev/null || { echo "build-go-tests: go not found in PATH" >&2; exit 1; }

for goos in freebsd linux; do
	dir=build/corpus/gotest/$goos
	mkdir -p "$dir"
	for pkg in $PKGS; do
		out=$dir/$(echo "$pkg" | tr / _).test
		[ -x "$out" ] && continue
		# time: embed tzdata so results do not depend on the host's zoneinfo.
		tags=; [ "$pkg" = time ] && tags=-tags=timetzdata
		# Build to a temporary name so an interrupted build is not taken as done.
		if ! GOOS=$goos GOARCH=amd64 CGO_ENABLED=0 go test -c $tags -o "$out.tmp" "$pkg" >"$out.log" 2>&1; then
			echo "build-go-tests: go test -c $pkg for $goos failed: $(head -n 1 "$out.log")" >&2
			rm -f "$out.tmp"; exit 1
		fi
		mv "$out.tmp" "$out"; rm -f "$out.log"
	done
done
# The tests read testdata from their package's source folder in this GOROOT.
go env GOROOT >build/corpus/gotest/goroot
