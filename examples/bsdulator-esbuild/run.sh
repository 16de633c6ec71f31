#!/bin/sh
# Demo: the FreeBSD amd64 build of esbuild (from npm) runs on Linux under
# BSDulator, bundles ./app, and node runs the bundle.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
sh tests/corpus/fetch-npm.sh
ESBUILD=build/corpus/npm/@esbuild/freebsd-x64/package/bin/esbuild
OUT=build/demo/bundle.js
mkdir -p build/demo
echo "$ $ESBUILD --version   (a FreeBSD program)"
file "$ESBUILD" 2>/dev/null | sed 's/^/  /' || true
build/bin/bsdulator "$ESBUILD" --version
echo "$ bsdulator esbuild examples/bsdulator-esbuild/app/index.js --bundle --minify"
build/bin/bsdulator "$ESBUILD" examples/bsdulator-esbuild/app/index.js --bundle --minify \
	--outfile="$OUT" --log-level=warning
echo "$ node $OUT"
node "$OUT"
