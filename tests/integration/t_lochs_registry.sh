#!/bin/sh
# lochs pull from a real OCI registry (docker-registry on 127.0.0.1 filled
# with skopeo from the FreeBSD test image): single-platform and an index
# (freebsd/amd64 chosen over a linux decoy), by digest, a tampered blob
# rejected with nothing stored, an unknown tag, run of the pulled image,
# save -> rmi -> load -> run, search of the catalogue. (Token auth:
# t_lochs_registry_auth.sh.)
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/registry.sh"
LOCHS=${LOCHS:-$ROOT/build/bin/lochs}
[ -x "$LOCHS" ] || fail "lochs not built: $LOCHS"
registry_have_tools || skip "docker-registry, skopeo and python3 needed"
need build/corpus/image/oci/index.json
set +e
. "$(dirname "$0")/lib/hostnet.sh"
hostnet_begin
tmp=$(mktemp -d)
trap 'registry_stop; hostnet_end "$tmp"/*; rm -rf "$tmp"' EXIT
L() { timeout 300 "$LOCHS" --root "$tmp/store" "$@"; }
expect() {
	code=$1 pat=$2; shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"; rc=$?
	[ "$rc" = "$code" ] || fail "$*: exit $rc, want $code ($(cat "$tmp/err"))"
	grep -q -- "$pat" "$tmp/err" || fail "$*: stderr '$(cat "$tmp/err")' lacks '$pat'"
	[ "$(grep -c . "$tmp/err")" = 1 ] || fail "$*: not one line of error: $(cat "$tmp/err")"
}
layer_dirs() { ls "$tmp/store/layers" 2>/dev/null | grep -v '^\.' | sort; }

registry_start || fail "registry did not start"
registry_push_image lochs-test:1 || fail "push"
registry_push_multiarch lochs-test:multi || fail "push multiarch"
R=$REGISTRY/lochs-test

# Single platform, over plain HTTP (loopback: no --tls-verify needed).
L pull "$R:1" >"$tmp/pull" 2>&1 || fail "pull: $(cat "$tmp/pull")"
grep -q "Downloaded newer image for $R:1" "$tmp/pull" || fail "pull output: $(cat "$tmp/pull")"
grep -q 'Download complete' "$tmp/pull" || fail "no plain progress lines: $(cat "$tmp/pull")"
L images | grep -q "^$R  *1 " || fail "images: $(L images)"
id=$(L image inspect "$R:1" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["Id"])') || fail inspect
L pull --tls-verify=false "$R:1" | grep -q 'Image is up to date' || fail "second pull not up to date"

# An index: freebsd/amd64, not the linux decoy.
L pull "$R:multi" >"$tmp/pull" 2>&1 || fail "pull multi: $(cat "$tmp/pull")"
id2=$(L image inspect "$R:multi" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["Id"])')
[ "$id2" = "$id" ] || fail "multi-arch pull chose $id2, not the freebsd image $id"
for d in $(layer_dirs); do
	[ -e "$tmp/store/layers/$d/root/LINUX-DECOY" ] && fail "the linux decoy's layer was extracted"
done

# By digest (the manifest is checked against it); stays untagged.
dig=$(skopeo inspect --raw --tls-verify=false "docker://$R:1" | sha256sum | cut -d' ' -f1)
L rmi "$R:1" "$R:multi" >/dev/null || fail rmi
L image prune -f >/dev/null
L pull "$R@sha256:$dig" >"$tmp/pull" 2>&1 || fail "pull by digest: $(cat "$tmp/pull")"
grep -q "Digest: sha256:$dig" "$tmp/pull" || fail "digest pull output: $(cat "$tmp/pull")"
L images -q | grep -q "^${id#sha256:}" || L images -q | grep -q "^$(echo "${id#sha256:}" | cut -c1-12)" ||
	fail "digest pull: image missing: $(L images)"
expect 125 'invalid digest' L pull "$R@sha256:1234"

# Unknown tag: one line, nothing stored.
expect 125 'not found' L pull "$R:nope"

# A tampered blob: the layer's bytes in the registry's storage changed.
registry_push_image tampered:1 || fail "push tampered"
ldig=$(skopeo inspect --raw --tls-verify=false "docker://$REGISTRY/tampered:1" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["layers"][0]["digest"][7:])')
blob=$(find "$REGISTRY_DIR/storage" -path "*/blobs/sha256/*/$ldig/data")
[ -f "$blob" ] || fail "layer blob not found in the registry storage"
rm -rf "$tmp/store2"
cp "$blob" "$tmp/blob.orig"
printf 'tampered' | dd of="$blob" bs=1 seek=1000 conv=notrunc 2>/dev/null
expect 125 'digest mismatch' timeout 300 "$LOCHS" --root "$tmp/store2" pull "$REGISTRY/tampered:1"
"$LOCHS" --root "$tmp/store2" images -q | grep -q . && fail "tampered pull stored an image"
[ -z "$(ls "$tmp/store2/images/blobs/sha256" 2>/dev/null)" ] || fail "tampered pull left blobs: $(ls "$tmp/store2/images/blobs/sha256")"
[ -z "$(ls "$tmp/store2/layers" 2>/dev/null)" ] || fail "tampered pull left layers"
cp "$tmp/blob.orig" "$blob"

# Resume: a leftover partial download is continued with a Range request.
head -c 100000 "$blob" > "$tmp/store2/images/tmp/pull-$ldig.part"
timeout 300 "$LOCHS" --root "$tmp/store2" pull "$REGISTRY/tampered:1" >"$tmp/pull" 2>&1 ||
	fail "resumed pull: $(cat "$tmp/pull")"
# A partial file the download really continues: a wrong first 100000
# bytes make the whole blob's digest wrong, so the pull is refused and the
# part dropped (a fresh download would have passed); the next pull then
# starts from scratch.
"$LOCHS" --root "$tmp/store2" rmi "$REGISTRY/tampered:1" >/dev/null 2>&1
"$LOCHS" --root "$tmp/store2" image prune -f >/dev/null 2>&1
[ ! -e "$tmp/store2/images/blobs/sha256/${ldig#sha256:}" ] || fail "the layer blob is still stored"
head -c 100000 /dev/zero > "$tmp/store2/images/tmp/pull-$ldig.part"
expect 125 'digest mismatch' timeout 300 "$LOCHS" --root "$tmp/store2" pull "$REGISTRY/tampered:1"
[ ! -e "$tmp/store2/images/tmp/pull-$ldig.part" ] || fail "a bad partial download was kept"
timeout 300 "$LOCHS" --root "$tmp/store2" pull "$REGISTRY/tampered:1" >"$tmp/pull" 2>&1 ||
	fail "pull after a bad partial: $(cat "$tmp/pull")"

# search: the static release list and the catalogue.
L search 14 > "$tmp/search" || fail search
grep -q '^freebsd:14.3 ' "$tmp/search" || fail "search 14: $(cat "$tmp/search")"
grep -q 'freebsd:13.5' "$tmp/search" && fail "search 14 lists 13.5"
L search "$REGISTRY/lochs" > "$tmp/search" || fail "search catalogue: $(cat "$tmp/search")"
grep -q "^$R " "$tmp/search" || fail "catalogue: $(cat "$tmp/search")"
grep -q "tampered" "$tmp/search" && fail "catalogue search not filtered"

# save -> rmi -> load round trip (the image stays the same).
L pull "$R:1" >/dev/null 2>&1 || fail "pull again"
L save -o "$tmp/img.tar" "$R:1" || fail save
tar tf "$tmp/img.tar" | grep -qx index.json || fail "save: no index.json"
tar tf "$tmp/img.tar" | grep -qx oci-layout || fail "save: no oci-layout"
L rmi "$R:1" >/dev/null || fail "rmi before load"
L image prune -a -f >/dev/null
L load -i "$tmp/img.tar" > "$tmp/load" || fail "load: $(cat "$tmp/load")"
grep -q "Loaded image: $R:1" "$tmp/load" || fail "load output: $(cat "$tmp/load")"
id3=$(L image inspect "$R:1" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["Id"])')
[ "$id3" = "$id" ] || fail "loaded id $id3, saved $id"
# skopeo reads the archive as an OCI archive too.
skopeo inspect --raw "oci-archive:$tmp/img.tar" >/dev/null 2>&1 || fail "skopeo cannot read the saved archive"
# A docker-archive from skopeo loads as well.
skopeo copy --quiet "oci:$REGISTRY_OCI:latest" "docker-archive:$tmp/d.tar:dock/er:2" >/dev/null 2>&1 || fail "skopeo docker-archive"
L load -i "$tmp/d.tar" | grep -q 'Loaded image: dock/er:2' || fail "docker-archive load"
# A hostile archive is refused by name.
mkdir -p "$tmp/evil" && echo x > "$tmp/evil/f"
tar cf "$tmp/evil.tar" -C "$tmp/evil" --transform 's,^f,../../escape,' f
expect 125 'rejected' L load -i "$tmp/evil.tar"

# Run the pulled image (jails need root).
if [ "$(id -u)" = 0 ] && [ "${LOCHS_NATIVE:-0}" != 1 ] && [ -x build/bin/lochs-monitor ]; then
	out=$(L run --rm "$R:1" /bin/sh -c 'echo hi' 2>&1) || fail "run: $out"
	[ "$out" = hi ] || fail "run printed '$out'"
fi

# A two-layer image (the test image plus a layer replacing /etc/motd and
# deleting /etc/shells): both blobs come down side by side, the tty shows
# one progress bar for them, and a jail sees the layers stacked.
python3 - "$REGISTRY_OCI" "$tmp/two" <<'PY' || fail "cannot make the two-layer layout"
import gzip, hashlib, io, json, os, shutil, sys, tarfile
src, dst = sys.argv[1], sys.argv[2]
os.makedirs(dst + "/blobs/sha256")
def put(data):
    h = hashlib.sha256(data).hexdigest()
    open(dst + "/blobs/sha256/" + h, "wb").write(data)
    return "sha256:" + h
def blob(d):
    return open(src + "/blobs/sha256/" + d[7:], "rb").read()
idx = json.load(open(src + "/index.json"))
man = json.loads(blob(idx["manifests"][0]["digest"]))
cfg = json.loads(blob(man["config"]["digest"]))
put(blob(man["layers"][0]["digest"]))
raw = io.BytesIO()
with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as t:
    for name, data in (("etc/motd", b"from the second layer\n"), ("etc/.wh.shells", b"")):
        i = tarfile.TarInfo(name); i.size = len(data); i.mode = 0o644; i.mtime = 1
        t.addfile(i, io.BytesIO(data))
diff = "sha256:" + hashlib.sha256(raw.getvalue()).hexdigest()
gz = gzip.compress(raw.getvalue(), mtime=0)
l2 = {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": put(gz), "size": len(gz)}
cfg["rootfs"]["diff_ids"].append(diff)
cb = json.dumps(cfg).encode()
man["config"] = {"mediaType": man["config"]["mediaType"], "digest": put(cb), "size": len(cb)}
man["layers"].append(l2)
mb = json.dumps(man).encode()
json.dump({"schemaVersion": 2, "manifests": [{"mediaType": man["mediaType"], "digest": put(mb), "size": len(mb),
           "annotations": {"org.opencontainers.image.ref.name": "two"}}]}, open(dst + "/index.json", "w"))
open(dst + "/oci-layout", "w").write('{"imageLayoutVersion": "1.0.0"}')
PY
skopeo copy --quiet --dest-tls-verify=false "oci:$tmp/two:two" "docker://$REGISTRY/lochs-two:1" >/dev/null 2>&1 ||
	fail "skopeo copy of the two-layer image"
command -v script >/dev/null || fail "script(1) missing"
script -qec "timeout 300 $LOCHS --root $tmp/store pull $REGISTRY/lochs-two:1" /dev/null >"$tmp/pull" 2>&1 ||
	fail "pull of two layers on a tty: $(cat "$tmp/pull")"
tr '\r' '\n' <"$tmp/pull" | grep -q '^Downloading  \[=*  *\] .* 0%' || fail "no progress bar at the start: $(cat -A "$tmp/pull" | head -c 600)"
tr '\r' '\n' <"$tmp/pull" | grep -q '^Downloading  \[==============================\] .*100%' || fail "no full progress bar: $(cat -A "$tmp/pull" | head -c 600)"
[ "$(L image inspect "$REGISTRY/lochs-two:1" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)[0]["RootFS"]["Layers"]))')" = 2 ] ||
	fail "the two-layer image has not two layers"
if [ "$(id -u)" = 0 ] && [ "${LOCHS_NATIVE:-0}" != 1 ] && [ -x build/bin/lochs-monitor ]; then
	out=$(L run --rm --network none "$REGISTRY/lochs-two:1" /bin/sh -c 'cat /etc/motd; ls /etc/shells 2>&1; cat /etc/passwd | head -n 1' 2>&1)
	case $out in "from the second layer"*"No such file"*"root:"*) ;; *) fail "two layers in a jail: $out" ;; esac
fi

# Whiteouts: an upper layer deleting a file and making a directory opaque.
mkdir -p "$tmp/wl/base/etc/d" "$tmp/wl/up/etc/d"
echo a > "$tmp/wl/base/etc/gone"; echo b > "$tmp/wl/base/etc/d/old"
: > "$tmp/wl/up/etc/.wh.gone"; : > "$tmp/wl/up/etc/d/.wh..wh..opq"; echo c > "$tmp/wl/up/etc/d/new"
tar cf "$tmp/wl/up.tar" -C "$tmp/wl/up" .
L import "$tmp/wl/up.tar" wh:1 >/dev/null || fail "import of a whiteout layer"
lid=$(L image inspect wh:1 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["RootFS"]["Layers"][0])' 2>/dev/null)
for d in $(layer_dirs); do
	w=$tmp/store/layers/$d/root
	[ -e "$w/etc/d/new" ] || continue
	[ -c "$w/etc/gone" ] || fail "no whiteout device for etc/gone"
	[ "$(stat -c %t:%T "$w/etc/gone")" = 0:0 ] || fail "whiteout is not 0/0"
	[ -e "$w/etc/.wh.gone" ] && fail ".wh.gone left in the layer"
	getfattr -n trusted.overlay.opaque --only-values "$w/etc/d" 2>/dev/null | grep -q y ||
		python3 -c 'import os,sys; sys.exit(os.getxattr(sys.argv[1], "trusted.overlay.opaque") != b"y")' "$w/etc/d" ||
		fail "etc/d not opaque"
	found=1
done
[ "${found:-}" = 1 ] || fail "whiteout layer not found ($lid)"
echo "ok"
