#!/bin/sh
# Installs every build and test dependency from Debian packages.
# Idempotent and quiet when everything is already there.
set -eu
# gcc/make: the translator and tests; clang+lld: FreeBSD-target ABI probes;
# golang-go: the Go standard-library test corpus; cmocka: unit tests;
# npm: fetches the FreeBSD programs from the npm registry; util-linux and
# coreutils (timeout, unshare) come with every Debian system.
# The lochs CLI: sqlite3 (state), libarchive (layers), libcurl (pulls),
# jansson (JSON), nettle (SHA-256, base64), libyaml/libcyaml (specs), libevent,
# libnl and libnftables (netplane; the nft CLI only for tests); pkg-config finds them. Tests: crun (benchmark peer),
# docker-registry and skopeo (a real OCI registry on loopback), python3,
# sqlite3 and jq (tests read the state database and write jail configs),
# python3-yaml (reads `lochs compose config` back); apache2-utils (htpasswd: the
# bcrypt password file of the registry t_lochs_push.sh logs in to);
# golang-mvdan-sh-dev (with x/sys, x/term): the test image's /bin/sh and tools.
PKGS="build-essential clang lld golang-go libcmocka-dev npm pkg-config
	libsqlite3-dev libarchive-dev libcurl4-openssl-dev libjansson-dev nettle-dev
	libyaml-dev libcyaml-dev libevent-dev libnl-3-dev libnl-route-3-dev libnftables-dev nftables
	crun docker-registry skopeo apache2-utils python3 python3-yaml sqlite3 jq
	golang-mvdan-sh-dev golang-golang-x-sys-dev golang-golang-x-term-dev"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
# Node and npm may come from the image rather than Debian; accept either.
if command -v npm >/dev/null 2>&1; then missing=$(echo "$missing" | sed 's/ npm\b//'); fi
[ -z "$(echo "$missing" | tr -d ' ')" ] && exit 0
echo "deps: installing$missing"
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
