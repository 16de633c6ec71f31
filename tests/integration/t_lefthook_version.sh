#!/bin/sh
# lefthook (a Go program) under bsdulator prints its own version.
. "$(dirname "$0")/lib/common.sh"
pj=$NPM/lefthook-freebsd-x64/package/package.json
bin=$(pick "$NPM/lefthook-freebsd-x64/package/bin/lefthook" "$NPM/lefthook-linux-x64/package/bin/lefthook")
need "$pj" "$bin"
want=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$pj")
got=$($RUN "$bin" version) || fail "lefthook version exited with status $?"
[ "$got" = "$want" ] || fail "lefthook version printed '$got', want '$want'"
