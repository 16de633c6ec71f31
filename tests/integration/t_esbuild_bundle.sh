#!/bin/sh
# FreeBSD esbuild under bsdulator bundles the generated 2400-module project
# byte-identically to Linux esbuild run natively (same version, same input).
. "$(dirname "$0")/lib/common.sh"
proj=$ROOT/build/corpus/esm-project
lin=$NPM/@esbuild/linux-x64/package/bin/esbuild
bin=$(pick "$NPM/@esbuild/freebsd-x64/package/bin/esbuild" "$lin")
need "$proj/.gen-esm-project" "$lin" "$bin"
out=$ROOT/build/integration/esbuild
rm -rf "$out"; mkdir -p "$out/guest" "$out/native"
cd "$proj"
# Same outfile basename on both sides so nothing but the runtime differs.
$RUN "$bin" index.js --bundle --minify --log-level=warning --outfile="$out/guest/out.js" ||
	fail "esbuild under translator exited with status $?"
"$lin" index.js --bundle --minify --log-level=warning --outfile="$out/native/out.js" ||
	fail "native esbuild exited with status $?"
cmp "$out/guest/out.js" "$out/native/out.js" || fail "bundles differ"
size=$(wc -c <"$out/native/out.js")
[ "$size" -gt 500000 ] || fail "bundle is only $size bytes"
echo "bundle: $size bytes, identical"
