#!/bin/sh
# Fetches the pinned npm packages holding the FreeBSD (and Linux peer) binaries
# into build/corpus/npm/<name>/package/. `npm pack` is used because
# `npm install` refuses packages whose "os" field does not match the host.
# Idempotent: a package already extracted at the pinned version is skipped.
set -eu
cd "$(dirname "$0")/../.."
# lefthook-linux-x64 is the native peer used when LOCHS_NATIVE=1; the
# lightningcss-cli and pagefind pairs are compared by t_lightningcss.sh and
# t_pagefind.sh (the FreeBSD builds are dynamic: FreeBSD 13 and 12.3 libc).
PKGS="@esbuild/freebsd-x64@0.28.2 @esbuild/linux-x64@0.28.2 lefthook-freebsd-x64@2.2.2 lefthook-linux-x64@2.2.2
	lightningcss-cli-freebsd-x64@1.33.0 lightningcss-cli-linux-x64-gnu@1.33.0
	@pagefind/freebsd-x64@1.4.0 @pagefind/linux-x64@1.4.0"

for spec in $PKGS; do
	name=${spec%@*}; ver=${spec##*@}
	dir=build/corpus/npm/$name
	# The extracted package.json names the version we have; skip if it matches.
	if grep -q "\"version\": *\"$ver\"" "$dir/package/package.json" 2>/dev/null; then
		continue
	fi
	rm -rf "$dir"; mkdir -p "$dir"
	log=$dir/npm.log
	if ! tgz=$(cd "$dir" && npm pack --loglevel=error "$spec" 2>npm.log) || [ ! -f "$dir/$tgz" ]; then
		why=$(grep -v "error code" "$log" | grep -m1 "npm error" | sed "s/^npm error //")
		echo "fetch-npm: npm pack $spec failed: ${why:-see $log}" >&2; exit 1
	fi
	if ! tar -xzf "$dir/$tgz" -C "$dir" 2>>"$log"; then
		echo "fetch-npm: cannot extract $dir/$tgz (see $log)" >&2; rm -rf "$dir/package"; exit 1
	fi
	rm -f "$dir/$tgz" "$log"
done
