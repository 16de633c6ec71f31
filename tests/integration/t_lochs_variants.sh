#!/bin/sh
# Release variants (root only): freebsd:14.3-minimal and freebsd:14.3-rescue
# are cut from the mirror's base.txz (checked against its MANIFEST like the
# full image). -minimal runs like the full image without headers, manual
# pages and static libraries; -rescue holds /rescue (and /etc, /root, /var,
# /tmp) and runs /rescue/sh by default with PATH=/rescue. A second pull is
# up to date; an unknown variant is refused in one line. A jail reports
# its image's FreeBSD release (uname -r, -K).
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/lochs.sh"
jail_test variants
T() { timeout 60 "$LOCHS" --root "$S" "$@"; }
layer_root() { # IMAGE: its one extracted layer (ROOT/layers/BLOB/root)
	d=$(T image inspect "$1" | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["Lochs"]["LayerBlobs"][0]["digest"])') ||
		fail "image inspect $1"
	echo "$S/layers/${d#sha256:}/root"
}

expect 0 "pull -minimal" T pull --mirror "$MIRROR_URL" freebsd:14.3-minimal
case $out in *"Downloaded newer image for freebsd:14.3-minimal"*) ;; *) fail "pull -minimal: $out" ;; esac
expect 0 "pull -minimal again" T pull --mirror "$MIRROR_URL" freebsd:14.3-minimal
case $out in *"up to date"*) ;; *) fail "second pull of -minimal: $out" ;; esac
full=$S/layers/$(sha256sum build/corpus/image/mirror/14.3-RELEASE/base.txz | cut -d' ' -f1)/root
min=$(layer_root freebsd:14.3-minimal)
[ -d "$min" ] || fail "no layer for -minimal"
for f in usr/include/lochs-test.h usr/share/man/man1/lochsbox.1 usr/lib/liblochstest.a; do
	[ -e "$full/$f" ] || fail "the full image lacks /$f"
	[ ! -e "$min/$f" ] || fail "-minimal kept /$f"
done
expect 0 "run -minimal" T run --rm --network none freebsd:14.3-minimal /bin/sh -c 'ls /usr/local/bin; cat /etc/motd'
case $out in *httpd-lite*"Lochs test image"*) ;; *) fail "-minimal lacks what the full image has: $out" ;; esac

expect 0 "pull -rescue" T pull --mirror "$MIRROR_URL" freebsd:14.3-rescue
res=$(layer_root freebsd:14.3-rescue)
[ "$(ls "$res" | tr '\n' ' ')" = "COPYRIGHT dev etc rescue root tmp var " ] || fail "-rescue holds: $(ls "$res")"
[ "$(ls "$res/rescue" | tr '\n' ' ')" = "cat echo ls sh " ] || fail "-rescue's /rescue: $(ls "$res/rescue")"
# The default command is /rescue/sh, reading the script from stdin.
out=$(printf 'echo "PATH=$PATH"\nls /\ncat /etc/shells\n' | T run --rm -i --network none freebsd:14.3-rescue) ||
	fail "run -rescue: $out"
[ "$(echo $out)" = "PATH=/rescue COPYRIGHT dev etc rescue root tmp var /bin/sh" ] || fail "run -rescue: $out"

expect 125 "unknown variant" T pull --mirror "$MIRROR_URL" freebsd:14.3-tiny
[ "$(echo "$out" | grep -c .)" = 1 ] || fail "unknown variant: not one line: $out"
case $out in *"-minimal or -rescue"*) ;; *) fail "unknown variant: $out" ;; esac
T images | grep -q tiny && fail "a tiny image was stored"
# A jail reports its image's release (os.version of a release pull), also
# to the programs its programs start; an import has none: the default.
expect 0 "pull freebsd:13.5" T pull -q --mirror "$MIRROR_URL" freebsd:13.5
expect 0 "pull freebsd:15" T pull -q --mirror "$MIRROR_URL" freebsd:15
for v in 13.5:13.5-RELEASE:1305000 15:15.0-RELEASE:1500000 14.3-minimal:14.3-RELEASE:1403000; do
	img=freebsd:${v%%:*} rel=${v#*:}
	expect 0 "uname in $img" T run --rm --network none "$img" /bin/sh -c 'uname -r; uname -K; /bin/sh -c "uname -r"'
	[ "$(echo $out)" = "${rel%:*} ${rel#*:} ${rel%:*}" ] || fail "$img reports: $out"
done
mkdir -p "$S/imp" && tar -C build/corpus/image/rootfs -cf "$S/imp/root.tar" . || fail "import tarball"
T import "$S/imp/root.tar" imported:1 >/dev/null || fail "import"
expect 0 "uname in an import" T run --rm --network none imported:1 /bin/uname -r
[ "$out" = 14.3-RELEASE ] || fail "an imported image reports $out"
echo PASS
