#!/bin/sh
# FreeBSD pagefind (a dynamically linked Rust program built for FreeBSD 12.3,
# on tokio: kqueue dup'ed for its waker, worker threads) under bsdulator
# --root indexes a generated static site into exactly the files Linux
# pagefind writes: the same index, fragments, filters and metadata bytes.
# Run it with a FreeBSD 13 root (the lightningcss one); a 10.x libc is too old.
. "$(dirname "$0")/lib/common.sh"
[ "${LOCHS_NATIVE:-0}" = 1 ] && skip "the FreeBSD build needs a FreeBSD root; nothing to check natively"
[ -n "${LOCHS_FREEBSD_ROOT:-}" ] ||
	skip "LOCHS_FREEBSD_ROOT is unset (set it to a FreeBSD root with /libexec/ld-elf.so.1 and libc)"
R=$(cd "$LOCHS_FREEBSD_ROOT" && pwd)
# The binary needs symbol version FBSD_1.6 of libc.so.7 (FreeBSD 12.3 or later).
grep -q FBSD_1.6 "$R/lib/libc.so.7" 2>/dev/null ||
	skip "LOCHS_FREEBSD_ROOT=$R has no FreeBSD 12.3+ libc.so.7 (FBSD_1.6); use a newer root"
[ -d "$R/tmp" ] || fail "LOCHS_FREEBSD_ROOT=$R has no /tmp for the scratch directory"
fbin=$NPM/@pagefind/freebsd-x64/package/bin/pagefind_extended
lin=$NPM/@pagefind/linux-x64/package/bin/pagefind_extended
need "$fbin" "$lin"

name=lochs-pagefind.$$
S=$R/tmp/$name  # host path of the scratch directory
G=/tmp/$name    # the same directory inside the root
T=$ROOT/build/integration/pagefind
rm -rf "$T"; mkdir -p "$T"
mkdir "$S"
trap 'rm -rf "$S"' EXIT
cp "$fbin" "$S/pagefind"

# 80 pages with titles, headings, filters, sort keys and accented words.
mkdir "$S/site"
awk -v dir="$S/site" 'BEGIN {
	split("jail kernel overlay namespace bridge socket kqueue thread signal daemon café naïve zürich", w, " ")
	for (i = 1; i <= 80; i++) {
		f = dir "/page" i ".html"
		printf "<!doctype html><html lang=\"en\"><head><title>Page %d</title></head><body><main>\n", i >f
		printf "<h1>Topic %s %d</h1>\n", w[(i % 13) + 1], i >f
		printf "<p data-pagefind-filter=\"kind\">%s</p>\n", (i % 3 ? "guide" : "reference") >f
		printf "<p data-pagefind-sort=\"weight\">%d</p>\n", (i * 37) % 101 >f
		for (p = 1; p <= 6; p++) {
			printf "<p>" >f
			for (k = 1; k <= 30; k++) printf "%s%s ", w[((i * p + k) % 13) + 1], (k % 7 ? "" : i) >f
			printf "</p>\n" >f
		}
		printf "<h2 id=\"s%d\">Section %d</h2><p>more about %s</p>\n</main></body></html>\n", i, i, w[(i % 5) + 1] >f
		close(f)
	}
}'
cp -R "$S/site" "$T/site"

"$lin" --site "$T/site" --output-path "$T/linux" >"$T/linux.log" 2>&1 || fail "Linux pagefind exited with status $? (see $T/linux.log)"
$RUN --root "$R" "$G/pagefind" --site "$G/site" --output-path "$G/out" >"$T/freebsd.log" 2>&1 ||
	fail "FreeBSD pagefind exited with status $?: $(tail -n 3 "$T/freebsd.log")"
grep -q "Indexed 80 pages" "$T/freebsd.log" || fail "FreeBSD pagefind did not index 80 pages: $(cat "$T/freebsd.log")"
files=$(find "$T/linux" -type f | wc -l)
[ "$files" -gt 80 ] || fail "Linux pagefind wrote only $files files"
# The wasm.*.pagefind files are gzip streams embedded in each binary when it
# was built: their header's mtime differs, so those compare uncompressed.
for f in "$T"/linux/wasm.*.pagefind; do
	b=$(basename "$f")
	[ -f "$S/out/$b" ] || fail "FreeBSD pagefind wrote no $b"
	gzip -dc "$f" >"$T/$b.linux" && gzip -dc "$S/out/$b" >"$T/$b.freebsd" || fail "$b is not gzip"
	cmp "$T/$b.linux" "$T/$b.freebsd" || fail "$b: content differs"
	rm "$f" "$S/out/$b"
done
diff -rq "$T/linux" "$S/out" >"$T/diff" || fail "outputs differ: $(head -n 5 "$T/diff")"
echo "ok: $files files identical"
