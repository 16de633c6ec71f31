#!/bin/sh
# FreeBSD lightningcss (a dynamically linked Rust program: FreeBSD rtld, libc,
# libthr and libgcc_s from LOCHS_FREEBSD_ROOT) under bsdulator --root minifies
# a generated stylesheet (nested rules, colors, calc, media queries, custom
# properties, keyframes) byte-identically to Linux lightningcss: to stdout,
# lowered for old browsers with --targets, and to a file with a source map.
# The binary runs from a scratch directory under the root's /tmp (removed
# afterwards); nothing else is written into the root.
. "$(dirname "$0")/lib/common.sh"
[ "${LOCHS_NATIVE:-0}" = 1 ] && skip "the FreeBSD build needs a FreeBSD root; nothing to check natively"
[ -n "${LOCHS_FREEBSD_ROOT:-}" ] ||
	skip "LOCHS_FREEBSD_ROOT is unset (set it to a FreeBSD root with /libexec/ld-elf.so.1 and libc)"
R=$(cd "$LOCHS_FREEBSD_ROOT" && pwd)
# The binary needs symbol version FBSD_1.7 of libc.so.7 (FreeBSD 13 or later).
grep -q FBSD_1.7 "$R/lib/libc.so.7" 2>/dev/null ||
	skip "LOCHS_FREEBSD_ROOT=$R has no FreeBSD 13+ libc.so.7 (FBSD_1.7); use a newer root"
[ -d "$R/tmp" ] || fail "LOCHS_FREEBSD_ROOT=$R has no /tmp for the scratch directory"
fbin=$NPM/lightningcss-cli-freebsd-x64/package/lightningcss
lin=$NPM/lightningcss-cli-linux-x64-gnu/package/lightningcss
need "$fbin" "$lin"

name=lochs-lcss.$$
S=$R/tmp/$name  # host path of the scratch directory
G=/tmp/$name    # the same directory inside the root
T=$ROOT/build/integration/lightningcss
rm -rf "$T"; mkdir -p "$T"
mkdir "$S"
trap 'rm -rf "$S"' EXIT
cp "$fbin" "$S/lightningcss"

# A stylesheet of a few hundred lines; the same bytes every run.
awk 'BEGIN {
	split("red|#0af|#336699cc|rgb(10,20,30)|rgba(255,0,0,.5)|hsl(120,50%,40%)|hsl(200deg 30% 60% / .8)|lab(52% 40 -20)|lch(60% 40 90)|oklch(70% .1 200)|transparent|rebeccapurple|#FFFFFF|silver|color-mix(in srgb,red 30%,blue)", col, "|")
	split("px em rem vw % ch", unit, " ")
	print "@charset \"utf-8\";"
	print ":root {"
	for (i = 1; i <= 24; i++) printf "  --c%d: %s;\n  --s%d: %d%s;\n", i, col[(i % 15) + 1], i, i * 3, unit[(i % 6) + 1]
	print "  --font: \"Helvetica Neue\", Arial, sans-serif;\n}"
	for (i = 1; i <= 30; i++) {
		printf ".card-%d {\n", i
		printf "  color: %s;\n  background: linear-gradient(%ddeg, %s 0%%, %s 100%%);\n", col[(i % 15) + 1], i * 12, col[((i + 3) % 15) + 1], col[((i + 7) % 15) + 1]
		printf "  margin: 0px 0px %dpx 0px;\n  padding: calc(var(--s%d) + %dpx) calc(100%% - %d * 2px);\n", i, (i % 24) + 1, i, i
		printf "  width: calc(%d%% - (%dpx + %drem) / 2);\n  border: %dpx solid var(--c%d, %s);\n", 50 + i, i, i % 4, i % 3 + 1, (i % 24) + 1, col[(i % 15) + 1]
		printf "  transition: opacity .%ds ease-in-out, transform %dms cubic-bezier(0.25, 0.1, 0.25, 1);\n", i % 9 + 1, i * 50
		printf "  user-select: none;\n  font: italic bold 12px/30px var(--font);\n"
		printf "  & > .title { font-size: %drem; color: #%02x%02x%02x; }\n", i % 3 + 1, i * 8, 255 - i * 8, i * 5
		printf "  &:hover, &:focus-visible { color: %s; transform: translate(%dpx, -%dpx) scale(1.0%d); }\n", col[((i + 5) % 15) + 1], i, i, i % 10
		printf "  .body & { display: grid; grid-template-columns: repeat(%d, minmax(0, 1fr)); gap: %dpx %dpx; }\n", i % 5 + 1, i, i * 2
		printf "  @media (min-width: %dpx) and (max-width: %dpx) {\n    padding: %dpx;\n    & .icon { inset: 0 auto auto 0; }\n  }\n", 300 + i * 20, 900 + i * 20, i
		print "}"
	}
	for (i = 1; i <= 10; i++) {
		printf "@media screen and (min-width: %dpx), print and (orientation: landscape) {\n", 400 + i * 100
		printf "  .grid-%d { width: calc(100vw - %dpx); margin-inline: auto; }\n", i, i * 16
		printf "  .grid-%d .cell { flex: 1 1 %d%%; }\n}\n", i, i * 10
	}
	print "@media (prefers-color-scheme: dark) {\n  :root { --c1: #000000; --c2: hsl(0 0% 10%); }\n}"
	print "@supports (display: grid) and (not (display: inline-grid)) {\n  .layout { display: grid; }\n}"
	for (i = 1; i <= 6; i++) {
		printf "@keyframes spin-%d {\n  from { transform: rotate(0deg); }\n  %d%% { opacity: .%d; }\n  to { transform: rotate(%ddeg); }\n}\n", i, i * 10, i, 360 * i
	}
	print ".a, .a, .b { color: red; color: blue; }"
	print "h1 + p ~ span::before { content: \"\\201C\"; }"
	print "a:not(.x):is(.y, .z) { text-decoration: underline dotted; }"
}' >"$S/in.css"
lines=$(wc -l <"$S/in.css")
[ "$lines" -gt 300 ] || fail "generated stylesheet has only $lines lines"
cp "$S/in.css" "$T/in.css"

# cmp_out WHAT: compares $T/WHAT.freebsd with $T/WHAT.linux.
cmp_out() {
	[ -s "$T/$1.linux" ] || fail "$1: the Linux build printed nothing"
	cmp "$T/$1.linux" "$T/$1.freebsd" || { diff "$T/$1.linux" "$T/$1.freebsd" | head -n 20; fail "$1: output differs"; }
	echo "$1: $(wc -c <"$T/$1.linux") bytes, identical"
}
fb() { $RUN --root "$R" "$G/lightningcss" "$@"; }

"$lin" --minify "$T/in.css" >"$T/minify.linux" || fail "Linux lightningcss --minify exited with status $?"
fb --minify "$G/in.css" >"$T/minify.freebsd" || fail "FreeBSD lightningcss --minify exited with status $?"
cmp_out minify

# Reporting FreeBSD 11.4 makes rtld and libthr set the TLS base with
# sysarch(AMD64_SET_FSBASE) instead of wrfsbase (startup.md §3): both paths.
cp "$T/minify.linux" "$T/minify11.linux"
BSDULATOR_OSRELEASE=11.4-RELEASE fb --minify "$G/in.css" >"$T/minify11.freebsd" ||
	fail "FreeBSD lightningcss reporting 11.4-RELEASE exited with status $?"
cmp_out minify11

t='--targets=>= 0.25%, ie 11, safari 10'
"$lin" --minify "$t" "$T/in.css" >"$T/targets.linux" || fail "Linux lightningcss --targets exited with status $?"
fb --minify "$t" "$G/in.css" >"$T/targets.freebsd" || fail "FreeBSD lightningcss --targets exited with status $?"
cmp_out targets

# Output file and source map: both name their own paths (the map's source
# relative to the working directory, / in the root), replaced by DIR here.
(cd / && "$lin" --minify --sourcemap -o "$T/out.css" "$T/in.css") || fail "Linux lightningcss -o exited with status $?"
fb --minify --sourcemap -o "$G/out.css" "$G/in.css" || fail "FreeBSD lightningcss -o exited with status $?"
for f in out.css out.css.map; do
	[ -f "$S/$f" ] || fail "FreeBSD lightningcss wrote no $f"
	sed "s|$T|DIR|g; s|${T#/}|DIR|g" "$T/$f" >"$T/$f.linux"
	sed "s|$G|DIR|g; s|${G#/}|DIR|g" "$S/$f" >"$T/$f.freebsd"
	cmp_out "$f"
done
echo "ok ($lines lines of CSS)"
