#!/bin/sh
# Builds the Lochs test image from real FreeBSD programs into
# build/corpus/image/ (nothing of it is committed):
#   rootfs/       a FreeBSD-looking root filesystem
#   base.txz      that root as a FreeBSD release distribution set (tar.xz)
#   MANIFEST      the release-set manifest describing base.txz
#   mirror/       a release mirror: {13.5,14.3,15.0}-RELEASE/{MANIFEST,base.txz},
#                 laid out like https://download.freebsd.org/releases/amd64/
#   oci/          an OCI image layout of the same root (one tar+gzip layer,
#                 os=freebsd, architecture=amd64), tags: "latest" (the image
#                 manifest) and "multiarch" (an index of a linux/amd64 decoy
#                 and the freebsd/amd64 image)
# Contents: /bin/sh (mvdan.cc/sh's interpreter, Debian golang-mvdan-sh-dev),
# the small utilities as one multi-call Go binary (cmd/box), httpd-lite,
# fetch-lite, udp-echo and tcp-sink (Go), all built with GOOS=freebsd
# offline (GOPATH mode over /usr/share/gocode), and esbuild and lefthook
# from npm (fetch-npm.sh).
# Cached: skipped when the stamp (hash of this script, the Go sources, the
# toolchain and the npm versions) matches. The tar is deterministic (sorted
# names, fixed mtime, numeric owner 0), so base.txz's sha256 is stable.
set -eu
cd "$(dirname "$0")/../../.."
SRC=tests/corpus/image
OUT=build/corpus/image
NPM=build/corpus/npm
ESBUILD=$NPM/@esbuild/freebsd-x64/package
LEFTHOOK=$NPM/lefthook-freebsd-x64/package
# 2025-06-10 00:00:00 UTC (14.3-RELEASE): every file's mtime in the sets.
EPOCH=1749513600
RELEASES="13.5 14.3 15.0"

die() { echo "build-image: $*" >&2; exit 1; }
command -v go >/dev/null || die "go not found in PATH (make deps)"
for f in "$ESBUILD/bin/esbuild" "$LEFTHOOK/bin/lefthook"; do
	[ -x "$f" ] || die "$f missing (run tests/corpus/fetch-npm.sh)"
done
[ -d /usr/share/gocode/src/mvdan.cc/sh/v3/interp ] ||
	die "mvdan.cc/sh missing: install golang-mvdan-sh-dev (make deps)"

stamp=$({
	cat "$SRC/build.sh"
	find "$SRC/cmd" -type f -name '*.go' | LC_ALL=C sort | xargs cat
	go version
	dpkg-query -W -f='${Version}\n' golang-mvdan-sh-dev golang-golang-x-sys-dev 2>/dev/null || true
	cat "$ESBUILD/package.json" "$LEFTHOOK/package.json"
} | sha256sum | cut -d' ' -f1)
current() {
	[ "$(cat "$OUT/.stamp" 2>/dev/null)" = "$stamp" ] && [ -f "$OUT/MANIFEST" ] &&
		[ -f "$OUT/base.txz" ] && [ -d "$OUT/rootfs" ] && [ -f "$OUT/oci/index.json" ]
}
current && exit 0
# One build at a time (test runs may start concurrently); the winner's
# result is taken by the others.
mkdir -p build/corpus
exec 9>build/corpus/.image.lock
command -v flock >/dev/null && flock 9
current && exit 0

# Build everything in a fresh directory and swap it in at the end, so an
# interrupted build never leaves a half image that looks complete.
NEW=$OUT.new
rm -rf "$NEW"
mkdir -p "$NEW/bin"
R=$NEW/rootfs
umask 022

# FreeBSD binaries: static, pure Go, reproducible (-trimpath, no build id).
gobuild() { # OUTPUT PACKAGE-DIR
	if ! GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS= GOOS=freebsd GOARCH=amd64 CGO_ENABLED=0 \
		go build -trimpath -ldflags='-s -w -buildid=' -o "$1" "./$2" >"$1.log" 2>&1; then
		die "go build $2 failed: $(head -n 3 "$1.log")"
	fi
	rm -f "$1.log"
}
gobuild "$NEW/bin/sh" "$SRC/cmd/sh"
gobuild "$NEW/bin/lochsbox" "$SRC/cmd/box"
gobuild "$NEW/bin/httpd-lite" "$SRC/cmd/httpd-lite"
gobuild "$NEW/bin/fetch-lite" "$SRC/cmd/fetch-lite"
gobuild "$NEW/bin/udp-echo" "$SRC/cmd/udp-echo"
gobuild "$NEW/bin/tcp-sink" "$SRC/cmd/tcp-sink"

# The directory tree of a FreeBSD base system (the parts that matter here).
for d in bin sbin boot etc lib libexec media mnt net proc rescue root home \
	usr/bin usr/sbin usr/lib usr/libexec usr/include usr/share/misc usr/share/man \
	usr/local/bin usr/local/sbin usr/local/etc usr/local/lib usr/local/share usr/local/www \
	var/db var/empty var/log var/run var/cache; do
	install -d -m 0755 "$R/$d"
done
install -d -m 0555 "$R/dev" # devfs is mounted here by the runtime
install -d -m 1777 "$R/tmp" "$R/var/tmp"

install -m 0555 "$NEW/bin/sh" "$R/bin/sh"
install -m 0555 "$NEW/bin/lochsbox" "$R/bin/lochsbox"
install -m 0555 "$NEW/bin/httpd-lite" "$R/usr/local/bin/httpd-lite"
install -m 0555 "$NEW/bin/fetch-lite" "$R/usr/local/bin/fetch-lite"
install -m 0555 "$NEW/bin/udp-echo" "$R/usr/local/bin/udp-echo"
install -m 0555 "$NEW/bin/tcp-sink" "$R/usr/local/bin/tcp-sink"
install -m 0555 "$ESBUILD/bin/esbuild" "$R/usr/local/bin/esbuild"
install -m 0555 "$LEFTHOOK/bin/lefthook" "$R/usr/local/bin/lefthook"
# Each tool is a hard link to the multi-call binary in /bin (as FreeBSD
# hard-links [ and test) and a relative symbolic link in /usr/bin, so both
# link kinds are exercised by image extraction.
# The tools of cmd/box/main.go (its `tools` table).
tools="cat echo env false grep head hostname id kill ls mkdir nologin printenv ps pwd rm seq
	sleep touch true uname wc yes"
for t in $tools; do
	case $t in nologin)
		ln "$R/bin/lochsbox" "$R/usr/sbin/nologin"
		ln -s ../usr/sbin/nologin "$R/sbin/nologin"
		continue ;;
	esac
	ln "$R/bin/lochsbox" "$R/bin/$t"
	ln -s "../../bin/$t" "$R/usr/bin/$t"
done
# /rescue as FreeBSD has it: one set of hard-linked static tools (here the
# shell and a few of the box's); pull's -rescue variant keeps only these.
ln "$R/bin/sh" "$R/rescue/sh"
for t in cat ls echo; do ln "$R/bin/lochsbox" "$R/rescue/$t"; done

f() { # PATH MODE: writes standard input to the file in the root
	cat >"$R/$1"; chmod "$2" "$R/$1"
}
# What pull's -minimal variant leaves out of a base system: headers,
# manual pages and static libraries (placeholders of each kind).
f usr/include/lochs-test.h 0444 <<'EOF'
/* Lochs test image: a header, so that freebsd:VERSION-minimal has one to drop. */
EOF
mkdir -p "$R/usr/share/man/man1"
f usr/share/man/man1/lochsbox.1 0444 <<'EOF'
.Dd December 4, 2026
.Dt LOCHSBOX 1
.Sh NAME
.Nm lochsbox
.Nd the Lochs test image's multi-call utilities
EOF
printf '!<arch>\n' | f usr/lib/liblochstest.a 0444
f etc/passwd 0644 <<'EOF'
root:*:0:0:Charlie &:/root:/bin/sh
daemon:*:1:1:Owner of many system processes:/root:/usr/sbin/nologin
operator:*:2:5:System &:/:/usr/sbin/nologin
www:*:80:80:World Wide Web Owner:/nonexistent:/usr/sbin/nologin
nobody:*:65534:65534:Unprivileged user:/nonexistent:/usr/sbin/nologin
EOF
f etc/group 0644 <<'EOF'
wheel:*:0:root
daemon:*:1:
operator:*:5:root
tty:*:4:
www:*:80:
nogroup:*:65533:
nobody:*:65534:
EOF
f etc/hosts 0644 <<'EOF'
::1			localhost localhost.my.domain
127.0.0.1		localhost localhost.my.domain
EOF
f etc/resolv.conf 0644 <<'EOF'
# Placeholder: the Lochs runtime replaces this file with the jail's resolver.
nameserver 127.0.0.1
EOF
f etc/shells 0644 <<'EOF'
/bin/sh
EOF
f etc/motd 0644 <<'EOF'
Lochs test image: FreeBSD amd64 programs (a Go shell and utilities, esbuild,
lefthook, httpd-lite, fetch-lite, udp-echo, tcp-sink) for testing Lochs. Not a FreeBSD release.
EOF
f COPYRIGHT 0444 <<EOF
Lochs test image

A FreeBSD amd64 root filesystem built by tests/corpus/image/build.sh of the
Lochs repository for its tests. It is not a FreeBSD release.

/bin/sh                  mvdan.cc/sh $(dpkg-query -W -f='${Version}' golang-mvdan-sh-dev 2>/dev/null) interpreter (BSD-3-Clause)
/bin/lochsbox and links  Lochs test utilities (BSD-2-Clause)
/usr/local/bin/httpd-lite, fetch-lite, udp-echo, tcp-sink  Lochs (BSD-2-Clause)
/usr/local/bin/esbuild   esbuild $(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$ESBUILD/package.json") (MIT), npm @esbuild/freebsd-x64
/usr/local/bin/lefthook  lefthook $(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$LEFTHOOK/package.json") (MIT), npm lefthook-freebsd-x64
Built with $(go version | cut -d' ' -f3) (BSD-3-Clause).
EOF
f usr/local/www/index.html 0644 <<'EOF'
<!DOCTYPE html>
<html><head><title>Lochs test image</title></head>
<body><h1>It works!</h1><p>Served from the Lochs test image.</p></body></html>
EOF

# Fixed mtimes everywhere (also in rootfs/, which the OCI layer is made from).
find "$R" -exec touch -h -d "@$EPOCH" {} +

# base.txz: paths like FreeBSD's sets ("./bin/sh"), sorted, numeric owner 0.
tar_root() { # ROOTFS: deterministic tar of the tree on standard output
	tar -C "$1" --sort=name --format=ustar --numeric-owner --owner=0 --group=0 \
		--mtime="@$EPOCH" -cf - .
}
tar_root "$R" >"$NEW/base.tar"
count=$(tar -tf "$NEW/base.tar" | wc -l)
xz -T1 -6 -c "$NEW/base.tar" >"$NEW/base.txz"
sum=$(sha256sum "$NEW/base.txz" | cut -d' ' -f1)
printf 'base.txz\t%s\t%s\tbase\t"Base system"\ton\n' "$sum" "$count" >"$NEW/MANIFEST"

for v in $RELEASES; do
	mkdir -p "$NEW/mirror/$v-RELEASE"
	ln "$NEW/MANIFEST" "$NEW/mirror/$v-RELEASE/MANIFEST"
	ln "$NEW/base.txz" "$NEW/mirror/$v-RELEASE/base.txz"
done
# The OCI image layout. Blobs are content-addressed; JSON is written compactly
# by hand (every value here is plain ASCII without quotes).
O=$NEW/oci
mkdir -p "$O/blobs/sha256"
CREATED=$(date -u -d "@$EPOCH" +%Y-%m-%dT%H:%M:%SZ)
blob() { # FILE: moves FILE into the blob store; prints "DIGEST SIZE"
	d=$(sha256sum "$1" | cut -d' ' -f1); n=$(wc -c <"$1")
	mv "$1" "$O/blobs/sha256/$d"
	echo "sha256:$d $n"
}
image() { # OS TAR: prints the manifest descriptor's "DIGEST SIZE"
	diffid=sha256:$(sha256sum "$2" | cut -d' ' -f1)
	gzip -n -6 -c "$2" >"$NEW/layer"; set -- "$1" $(blob "$NEW/layer")
	layer_digest=$2 layer_size=$3
	printf '{"created":"%s","architecture":"amd64","os":"%s","config":{"Env":["PATH=/sbin:/bin:/usr/sbin:/usr/bin:/usr/local/sbin:/usr/local/bin"],"Cmd":["/bin/sh"],"WorkingDir":"/","ExposedPorts":{"8080/tcp":{}}},"rootfs":{"type":"layers","diff_ids":["%s"]},"history":[{"created":"%s","created_by":"tests/corpus/image/build.sh"}]}' \
		"$CREATED" "$1" "$diffid" "$CREATED" >"$NEW/config"
	set -- $(blob "$NEW/config")
	printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":%s}]}' \
		"$1" "$2" "$layer_digest" "$layer_size" >"$NEW/manifest"
	blob "$NEW/manifest"
}
set -- $(image freebsd "$NEW/base.tar"); fb_digest=$1 fb_size=$2
# The linux/amd64 decoy: one marker file, so a client that picks it is caught.
mkdir -p "$NEW/decoy"
echo "Lochs test image: linux/amd64 decoy (a FreeBSD client must pick freebsd/amd64)" >"$NEW/decoy/LINUX-DECOY"
touch -d "@$EPOCH" "$NEW/decoy/LINUX-DECOY" "$NEW/decoy"
tar_root "$NEW/decoy" >"$NEW/decoy.tar"
set -- $(image linux "$NEW/decoy.tar"); lx_digest=$1 lx_size=$2
MT=application/vnd.oci.image.manifest.v1+json
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"%s","digest":"%s","size":%s,"platform":{"architecture":"amd64","os":"linux"}},{"mediaType":"%s","digest":"%s","size":%s,"platform":{"architecture":"amd64","os":"freebsd"}}]}' \
	"$MT" "$lx_digest" "$lx_size" "$MT" "$fb_digest" "$fb_size" >"$NEW/index"
set -- $(blob "$NEW/index"); ix_digest=$1 ix_size=$2
printf '{"imageLayoutVersion":"1.0.0"}' >"$O/oci-layout"
printf '{"schemaVersion":2,"manifests":[{"mediaType":"%s","digest":"%s","size":%s,"platform":{"architecture":"amd64","os":"freebsd"},"annotations":{"org.opencontainers.image.ref.name":"latest"}},{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"multiarch"}}]}\n' \
	"$MT" "$fb_digest" "$fb_size" "$ix_digest" "$ix_size" >"$O/index.json"
rm -rf "$NEW/bin" "$NEW/decoy" "$NEW/base.tar" "$NEW/decoy.tar"
echo "$stamp" >"$NEW/.stamp"

rm -rf "$OUT.old"
[ -d "$OUT" ] && mv "$OUT" "$OUT.old"
mv "$NEW" "$OUT"
rm -rf "$OUT.old"
