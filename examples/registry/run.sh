#!/bin/sh
# Demo: a self-hosted registry and a round trip through it. Serves
# examples/registry/config.yml with Debian's docker-registry on 127.0.0.1
# (storage and the htpasswd file under build/demo/registry), logs in with
# lochs login, pushes the FreeBSD test image's release set, removes it
# locally, pulls it back (the same digest) and, as root, runs it.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
for t in docker-registry htpasswd python3; do
	command -v $t >/dev/null || { echo "registry demo: $t missing (make deps)" >&2; exit 1; }
done
sh tests/corpus/fetch-npm.sh
sh tests/corpus/image/build.sh >/dev/null
. tests/integration/lib/loopback.sh
. tests/integration/lib/mirror.sh
DEMO=$ROOT/build/demo/registry
rm -rf "$DEMO"
mkdir -p "$DEMO/storage"
STATE=$DEMO/lochs-state
lochs() { echo "$ lochs $*" | sed "s|$ROOT/||g"; build/bin/lochs --root "$STATE" "$@"; }

htpasswd -Bbc "$DEMO/htpasswd" demo 'demo password' 2>/dev/null
PORT=$(lochs_free_port)
R=127.0.0.1:$PORT
REGISTRY_HTTP_ADDR=$R REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY=$DEMO/storage \
	REGISTRY_AUTH_HTPASSWD_PATH=$DEMO/htpasswd docker-registry serve examples/registry/config.yml \
	>"$DEMO/registry.log" 2>&1 &
rpid=$!
trap 'kill $rpid 2>/dev/null; mirror_stop' EXIT
n=0
until python3 -c "import socket, sys; socket.create_connection(('127.0.0.1', $PORT), 1)" 2>/dev/null; do
	kill -0 $rpid 2>/dev/null && [ $n -lt 100 ] ||
		{ echo "registry demo: docker-registry did not start: $(tail -n 2 "$DEMO/registry.log")" >&2; exit 1; }
	n=$((n + 1)); sleep 0.1
done
mirror_start || { echo "registry demo: cannot start the loopback mirror" >&2; exit 1; }

lochs pull -q --mirror "$MIRROR_URL" freebsd:14.3
echo 'demo password' | lochs login -u demo --password-stdin "$R"
lochs tag freebsd:14.3 "$R/freebsd:14.3"
lochs push "$R/freebsd:14.3"
lochs rmi "$R/freebsd:14.3" freebsd:14.3
lochs pull "$R/freebsd:14.3"
if [ "$(id -u)" = 0 ]; then
	lochs run --rm "$R/freebsd:14.3" /bin/sh -c 'uname -sr'
fi
lochs logout "$R"
