#!/bin/sh
# make install: lochs, lochs-monitor and bsdulator side by side in
# DESTDIR/PREFIX/bin (lochs finds the other two next to itself) and the
# boot hook's systemd unit with ExecStart at PREFIX/bin/lochs; the unit
# passes systemd-analyze verify; make uninstall takes it all away.
. "$(dirname "$0")/lib/common.sh"
[ "${LOCHS_NATIVE:-0}" = 1 ] && skip "tests the build, not the translator"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

make -s --no-print-directory install DESTDIR="$tmp/dest" >"$tmp/log" 2>&1 || fail "make install: $(tail -n 3 "$tmp/log")"
bin=$tmp/dest/usr/local/bin unit=$tmp/dest/usr/local/lib/systemd/system/lochs-restore.service
for p in lochs lochs-monitor bsdulator; do
	[ -x "$bin/$p" ] || fail "make install: no $bin/$p: $(find "$tmp/dest" -type f)"
	cmp -s "$bin/$p" "build/bin/$p" || fail "make install: $p differs from build/bin/$p"
done
[ "$(find "$tmp/dest" -type f | wc -l)" = 4 ] || fail "make install wrote more: $(find "$tmp/dest" -type f)"
"$bin/lochs" version | grep -Eq '^lochs version [0-9]' || fail "installed lochs version: $("$bin/lochs" version 2>&1)"
# The installed lochs takes the translator next to it.
"$bin/lochs" --root "$tmp/state" info >"$tmp/info" 2>&1 || fail "installed lochs info: $(cat "$tmp/info")"
grep -qx "BSDulator: $bin/bsdulator" "$tmp/info" || fail "installed lochs uses another translator: $(cat "$tmp/info")"
grep -q '^BSDulator Version: sha256:[0-9a-f]\{12\}$' "$tmp/info" || fail "translator not found: $(cat "$tmp/info")"
grep -qx 'ExecStart=/usr/local/bin/lochs system restore' "$unit" || fail "unit: $(cat "$unit")"

# Another PREFIX (no DESTDIR): the unit names it, and systemd accepts the unit.
make -s --no-print-directory install PREFIX="$tmp/opt" >"$tmp/log" 2>&1 || fail "make install PREFIX: $(tail -n 3 "$tmp/log")"
grep -qx "ExecStart=$tmp/opt/bin/lochs system restore" "$tmp/opt/lib/systemd/system/lochs-restore.service" ||
	fail "unit with PREFIX: $(cat "$tmp/opt/lib/systemd/system/lochs-restore.service")"
if command -v systemd-analyze >/dev/null; then
	systemd-analyze verify "$tmp/opt/lib/systemd/system/lochs-restore.service" >"$tmp/verify" 2>&1 ||
		fail "systemd-analyze verify: $(cat "$tmp/verify")"
fi
make -s --no-print-directory uninstall PREFIX="$tmp/opt" >/dev/null 2>&1 || fail "make uninstall"
[ -z "$(find "$tmp/opt" -type f)" ] || fail "make uninstall left: $(find "$tmp/opt" -type f)"
echo ok
