#!/bin/sh
# Sets the handler column of syscalls.tbl: settbl.sh NUMBER HANDLER ...
set -eu
tbl="$(dirname "$0")/syscalls.tbl"
while [ $# -ge 2 ]; do
	awk -v n="$1" -v h="$2" '!/^#/ && $1 == n { $5 = h; printf "%-4s %-26s %-8s %-10s %s\n", $1, $2, $3, $4, $5; next } { print }' "$tbl" > "$tbl.tmp"
	mv "$tbl.tmp" "$tbl"
	shift 2
done
