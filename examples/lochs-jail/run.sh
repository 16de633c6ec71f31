#!/bin/sh
# Demo: a FreeBSD jail on Linux. The FreeBSD test image (real FreeBSD
# programs: a Go POSIX shell, esbuild from npm) is served as a release set
# by a loopback mirror, pulled into a private state root, and run: the jail
# has its own pid 1, hostname and root, and FreeBSD esbuild bundles
# examples/bsdulator-esbuild/app from a read-only bind mount.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
[ "$(id -u)" = 0 ] || { echo "lochs-jail demo: jails need root (namespaces, overlayfs, cgroups)" >&2; exit 1; }
sh tests/corpus/fetch-npm.sh
sh tests/corpus/image/build.sh >/dev/null
. tests/integration/lib/mirror.sh
mirror_start || { echo "lochs-jail demo: cannot start the loopback mirror" >&2; exit 1; }
trap mirror_stop EXIT
STATE=$ROOT/build/demo/lochs-state
OUT=$ROOT/build/demo/out
mkdir -p "$STATE" "$OUT"
lochs() { echo "$ lochs $*" | sed "s|$ROOT/||g"; build/bin/lochs --root "$STATE" "$@"; }

lochs pull --mirror "$MIRROR_URL" freebsd:14.3
lochs images
lochs run --rm --hostname demo freebsd:14.3 /bin/sh -c 'uname -sr; hostname; echo "pid $$"; ls /'
lochs run --rm -v "$ROOT/examples/bsdulator-esbuild/app:/app:ro" -v "$OUT:/out" freebsd:14.3 \
	/usr/local/bin/esbuild /app/index.js --bundle --minify --outfile=/out/bundle.js --log-level=warning
echo "$ node build/demo/out/bundle.js"
node "$OUT/bundle.js"
