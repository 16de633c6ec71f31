#!/bin/sh
# The Lochs test image (tests/corpus/image/build.sh): its FreeBSD programs run
# under bsdulator --root (the Go shell with the multi-call utilities, esbuild,
# lefthook, httpd-lite serving fetch-lite over loopback), the release mirror
# (lib/mirror.sh) serves a MANIFEST whose sha256 and file count match
# base.txz, and a real registry (lib/registry.sh) takes the image and a
# multi-arch index and reports os=freebsd.
. "$(dirname "$0")/lib/common.sh"
. "$ROOT/tests/integration/lib/mirror.sh"
. "$ROOT/tests/integration/lib/registry.sh"

need "$NPM/@esbuild/freebsd-x64/package/bin/esbuild" "$NPM/lefthook-freebsd-x64/package/bin/lefthook"
# Cached: instant when the corpus step already built it.
sh tests/corpus/image/build.sh || fail "tests/corpus/image/build.sh failed"
IMG=$ROOT/build/corpus/image
R=$IMG/rootfs
need "$IMG/MANIFEST" "$IMG/base.txz" "$R/bin/sh" "$IMG/oci/index.json"

T=$(mktemp -d)
HTTPD_PID=
cleanup() {
	[ -n "$HTTPD_PID" ] && { kill "$HTTPD_PID" 2>/dev/null || true; wait "$HTTPD_PID" 2>/dev/null || true; }
	mirror_stop; registry_stop
	rm -rf "$T" "$R/tmp/t_test_image"
}
trap cleanup EXIT
# check NAME GOT WANT
check() { [ "$2" = "$3" ] || fail "$1: got
$2
--- want
$3"; }
# http_get URL FILE: the body of a 2xx answer into FILE.
http_get() {
	python3 - "$1" "$2" <<'PY'
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=10) as r, open(sys.argv[2], "wb") as f:
    f.write(r.read())
PY
}

# --- The image's tree and identity.
[ "$(stat -c %a "$R/tmp")" = 1777 ] || fail "/tmp is not mode 1777"
[ "$(stat -c %a "$R/var/tmp")" = 1777 ] || fail "/var/tmp is not mode 1777"
[ -z "$(ls -A "$R/dev")" ] || fail "/dev is not empty"
grep -q "Lochs test image" "$R/COPYRIGHT" || fail "/COPYRIGHT does not name the Lochs test image"
grep -q '^www:\*:80:80:' "$R/etc/passwd" || fail "/etc/passwd has no www (uid 80)"
for f in bin/sh bin/ls usr/bin/env usr/local/bin/esbuild usr/local/bin/lefthook \
	usr/local/bin/httpd-lite usr/local/bin/fetch-lite usr/local/bin/udp-echo usr/local/bin/tcp-sink; do
	file -L "$R/$f" | grep -q "(FreeBSD)" || fail "/$f is not a FreeBSD executable: $(file -L "$R/$f")"
done

# --- FreeBSD programs of the image under bsdulator --root.
if [ "$GOOS_SEL" = linux ]; then
	echo "note: LOCHS_NATIVE=1: the image holds only FreeBSD programs; their checks are skipped"
else
	B="$RUN --root $R"
	out=$($B /bin/sh -c 'echo hi; ls /; id; hostname; echo $((6*7))') || fail "/bin/sh -c exited with $?"
	want_id="uid=$(id -u)"; [ "$(id -u)" = 0 ] && want_id="uid=0(root) gid=0(wheel) groups=0(wheel)"
	check "sh -c 'echo hi; ls /; id; hostname; echo \$((6*7))'" "$out" "hi
$(ls "$R" | LC_ALL=C sort)
$want_id
$(uname -n)
42"
	[ "$(id -u)" = 0 ] || echo "$out" | grep -q "^$want_id" || fail "id printed no $want_id"

	# A script with arguments, functions, pipelines through the utilities,
	# a here-document, set -e and the exit status.
	mkdir -p "$R/tmp/t_test_image"
	cat >"$R/tmp/t_test_image/script.sh" <<'EOF'
set -e
greet() { local who=$1; echo "hello, $who"; }
greet "$1"
echo "args: $# $0"
seq 1 5 | wc -l | (read n; echo "lines: $((n))")
cd /tmp/t_test_image && mkdir -p d/e && touch d/e/f && ls -R d | head -n 3
rm -r d && [ ! -e d ] && echo removed
cat <<EOT | head -c 5; echo
abcdefgh
EOT
printf '%s\n' "$(uname -s) $(uname -m)"
env -i FOO=bar /usr/bin/env
[ -n "$(printenv -- PATH)" ] || echo "printenv PATH failed"
ps -o pid,comm | grep -q ' ps$' && echo "ps sees itself"
grep -c 'www\|nobody' /etc/passwd
grep -E -n '^(root|www):' /etc/passwd | grep -v -F '*:0:' | grep -o '^[0-9]*:www'
! grep -qx nothere /etc/group
[ "$(echo 'x y z' | wc -w)" -eq 3 ] && echo words
false
echo not reached
EOF
	rc=0; out=$($B /bin/sh /tmp/t_test_image/script.sh world 2>&1) || rc=$?
	check "script.sh exit status" "$rc" 1
	check "script.sh output" "$out" "hello, world
args: 1 /tmp/t_test_image/script.sh
lines: 5
e

d/e:
removed
abcde
FreeBSD amd64
FOO=bar
ps sees itself
2
4:www
words"
	# Commands from standard input; exit status of `exit`.
	rc=0; out=$(printf 'x=7\necho "$((x * 6))"\nexit 3\n' | $B /bin/sh) || rc=$?
	check "sh from stdin" "$out/$rc" "42/3"
	rc=0; $B /bin/sh -e -c 'false; echo no' || rc=$?
	check "sh -e -c 'false; ...' status" "$rc" 1
	check "true/false" "$($B /bin/sh -c '/bin/true && ! /usr/bin/false && echo ok')" ok
	check "uname -sr" "$($B /usr/bin/uname -sr)" "FreeBSD ${BSDULATOR_OSRELEASE:-14.3-RELEASE}"

	# Real programs from npm.
	pj=$NPM/@esbuild/freebsd-x64/package/package.json
	want=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$pj")
	check "esbuild --version" "$($B /usr/local/bin/esbuild --version)" "$want"
	pj=$NPM/lefthook-freebsd-x64/package/package.json
	want=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$pj")
	check "lefthook version" "$($B /usr/local/bin/lefthook version)" "$want"
	check "esbuild transform" "$(echo 'let x: number = 1' | $B /usr/local/bin/esbuild --loader=ts)" "let x = 1;"

	# httpd-lite in the image serves /usr/local/www; fetch-lite fetches it.
	port=$(lochs_free_port)
	$B /usr/local/bin/httpd-lite -q -a 127.0.0.1 -p "$port" -d /usr/local/www >"$T/httpd.log" 2>&1 &
	HTTPD_PID=$!
	i=0
	until grep -q "listening on 127.0.0.1:$port" "$T/httpd.log"; do
		i=$((i + 1)); [ $i -lt 100 ] || fail "httpd-lite did not listen: $(cat "$T/httpd.log")"
		kill -0 "$HTTPD_PID" 2>/dev/null || fail "httpd-lite exited: $(cat "$T/httpd.log")"
		sleep 0.1
	done
	got=$($B /usr/local/bin/fetch-lite "http://127.0.0.1:$port/index.html") || fail "fetch-lite exited with $?"
	check "fetch-lite index.html" "$got" "$(cat "$R/usr/local/www/index.html")"
	rc=0; $B /usr/local/bin/fetch-lite -q "http://127.0.0.1:$port/missing" >/dev/null || rc=$?
	check "fetch-lite of a 404: status" "$rc" 1
	http_get "http://127.0.0.1:$port/index.html" "$T/index.html" || fail "the host cannot fetch from httpd-lite"
	cmp -s "$T/index.html" "$R/usr/local/www/index.html" || fail "httpd-lite served other bytes to the host"
	kill "$HTTPD_PID"; rc=0; wait "$HTTPD_PID" || rc=$?; HTTPD_PID=
	check "httpd-lite exit status after SIGTERM" "$rc" 0
	# The checks run in the shared rootfs itself: they must leave no trace.
	rm -rf "$R/tmp/t_test_image"
	left=$(ls -A "$R/dev"; ls -A "$R/tmp")
	[ -z "$left" ] || fail "the checks left files in /dev or /tmp: $left"
fi

# --- The release mirror on loopback.
mirror_start "$IMG/mirror" || fail "mirror_start failed"
case $MIRROR_URL in http://127.0.0.1:*/) ;; *) fail "MIRROR_URL is $MIRROR_URL" ;; esac
for v in 13.5 14.3 15.0; do
	http_get "${MIRROR_URL}$v-RELEASE/MANIFEST" "$T/MANIFEST" || fail "no ${MIRROR_URL}$v-RELEASE/MANIFEST"
	http_get "${MIRROR_URL}$v-RELEASE/base.txz" "$T/base.txz" || fail "no ${MIRROR_URL}$v-RELEASE/base.txz"
	# base.txz<TAB>sha256<TAB>count<TAB>base<TAB>"Base system"<TAB>on
	IFS=$(printf '\t') read -r name sum count set desc on <"$T/MANIFEST"
	check "$v MANIFEST fields" "$name|$set|$desc|$on|$(wc -l <"$T/MANIFEST")" 'base.txz|base|"Base system"|on|1'
	check "$v base.txz sha256" "$(sha256sum "$T/base.txz" | cut -d' ' -f1)" "$sum"
	check "$v base.txz file count" "$(tar -tJf "$T/base.txz" | wc -l)" "$count"
done
tar -tJvf "$T/base.txz" >"$T/list"
grep -q ' 0/0 .* \./bin/sh$' "$T/list" || fail "base.txz has no ./bin/sh owned by 0/0"
grep -q '^drwxrwxrwt .* \./tmp/$' "$T/list" || fail "base.txz has no ./tmp/ with mode 1777"
check "base.txz mtimes" "$(awk '{print $4}' "$T/list" | sort -u)" 2025-06-10
tar -xJOf "$T/base.txz" ./COPYRIGHT | grep -q "Lochs test image" || fail "base.txz: /COPYRIGHT is not the marker"
# lochs pull through the mirror, when this build of lochs has pull.
L="$ROOT/build/bin/lochs --root $T/lochs"
if [ -x "$ROOT/build/bin/lochs" ] && $L pull --help >/dev/null 2>&1; then
	$L pull -q --mirror "$MIRROR_URL" freebsd:14.3 >"$T/pull.log" 2>&1 ||
		fail "lochs pull --mirror $MIRROR_URL freebsd:14.3: $(cat "$T/pull.log")"
	$L images | grep -q '^freebsd  *14\.3 ' || fail "lochs images lists no freebsd:14.3: $($L images)"
else
	echo "note: build/bin/lochs has no pull; lochs pull through the mirror not checked"
fi
mirror_stop

# --- The OCI registry.
if ! registry_have_tools; then
	echo "SKIP: registry part: docker-registry or skopeo is missing (make deps)"
	exit 0
fi
registry_start || fail "registry_start failed"
registry_push_image lochs-test:1 || fail "registry_push_image lochs-test:1 failed"
skopeo inspect --tls-verify=false "docker://$REGISTRY/lochs-test:1" >"$T/inspect.json" ||
	fail "skopeo inspect lochs-test:1 failed"
field() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$@"; }
check "lochs-test:1 Os" "$(field "$T/inspect.json" Os)" freebsd
check "lochs-test:1 Architecture" "$(field "$T/inspect.json" Architecture)" amd64
single=$(field "$T/inspect.json" Digest)
registry_push_multiarch lochs-test:multi || fail "registry_push_multiarch failed"
skopeo inspect --raw --tls-verify=false "docker://$REGISTRY/lochs-test:multi" >"$T/index.json" ||
	fail "skopeo inspect --raw lochs-test:multi failed"
check "lochs-test:multi platforms" "$(python3 -c '
import json, sys
ix = json.load(open(sys.argv[1]))
print(ix["mediaType"])
for m in ix["manifests"]:
    print(m["platform"]["os"] + "/" + m["platform"]["architecture"])' "$T/index.json")" \
	"application/vnd.oci.image.index.v1+json
linux/amd64
freebsd/amd64"
skopeo inspect --override-os freebsd --tls-verify=false "docker://$REGISTRY/lochs-test:multi" >"$T/fb.json" ||
	fail "skopeo inspect --override-os freebsd lochs-test:multi failed"
check "freebsd/amd64 entry of lochs-test:multi" "$(field "$T/fb.json" Os)" freebsd
grep -q "$single" "$T/index.json" || fail "the index's freebsd manifest is not lochs-test:1 ($single)"
# The registry serves the layer blob the FreeBSD manifest names.
layer=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["Layers"][0])' "$T/inspect.json")
http_get "$REGISTRY_URL/v2/lochs-test/blobs/$layer" "$T/layer.tgz" || fail "no layer blob $layer"
check "layer digest" "sha256:$(sha256sum "$T/layer.tgz" | cut -d' ' -f1)" "$layer"
tar -tzf "$T/layer.tgz" | grep -qx './usr/local/bin/esbuild' || fail "the layer has no ./usr/local/bin/esbuild"
echo "ok"
