#!/bin/sh
# The image store: pull of a FreeBSD release from a fake mirror on
# 127.0.0.1 (MANIFEST + base.txz), images/tag/inspect/history, import of a
# tarball and a directory, rmi and prune; a checksum mismatch stores
# nothing; hostile archives are rejected by name and touch nothing outside
# the store.
. "$(dirname "$0")/lib/common.sh"
LOCHS=${LOCHS:-$ROOT/build/bin/lochs}
[ -x "$LOCHS" ] || fail "lochs not built: $LOCHS"
command -v python3 >/dev/null || skip "python3 needed for the mirror"
set +e
tmp=$(mktemp -d)
srv=
trap '[ -n "$srv" ] && kill $srv 2>/dev/null; rm -rf "$tmp"' EXIT
L() { "$LOCHS" --root "$tmp/store" "$@"; }
# expect CODE PATTERN CMD...: exit CODE and a one-line stderr matching PATTERN.
expect() {
	code=$1 pat=$2; shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"; rc=$?
	[ "$rc" = "$code" ] || fail "$*: exit $rc, want $code ($(cat "$tmp/err"))"
	grep -q -- "$pat" "$tmp/err" || fail "$*: stderr '$(cat "$tmp/err")' lacks '$pat'"
	[ "$(grep -c . "$tmp/err")" = 1 ] || fail "$*: not one line of error: $(cat "$tmp/err")"
}

# A small root filesystem (no FreeBSD programs needed by the store).
mkdir -p "$tmp/rootfs/bin" "$tmp/rootfs/etc"
echo 'FreeBSD fake' > "$tmp/rootfs/etc/motd"
printf '#!/bin/sh\necho hi\n' > "$tmp/rootfs/bin/hello"; chmod 755 "$tmp/rootfs/bin/hello"
ln -s /etc/motd "$tmp/rootfs/bin/motdlink"
ln "$tmp/rootfs/etc/motd" "$tmp/rootfs/etc/motd.hard"

# Two mirrors laid out like the official site (ROOT/14.3-RELEASE/...):
# good/ is right, bad/ has a MANIFEST whose sha256 is wrong.
G=$tmp/www/good/14.3-RELEASE B=$tmp/www/bad/14.3-RELEASE
mkdir -p "$G" "$B"
tar cJf "$G/base.txz" -C "$tmp/rootfs" . || fail "tar cJf"
sum=$(sha256sum "$G/base.txz" | cut -d' ' -f1)
printf 'base-dbg.txz\t%s\t10\tbase_dbg\t"Base debug"\toff\nbase.txz\t%s\t6\tbase\t"Base system"\ton\n' \
	"$(printf x | sha256sum | cut -d' ' -f1)" "$sum" > "$G/MANIFEST"
cp "$G/base.txz" "$B/"
printf 'base.txz\t%s\t6\tbase\t"Base system"\ton\n' "$(printf y | sha256sum | cut -d' ' -f1)" > "$B/MANIFEST"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
(cd "$tmp/www" && exec python3 -m http.server --bind 127.0.0.1 "$port") >"$tmp/http.log" 2>&1 &
srv=$!
python3 - "$port" <<'PY' || fail "mirror did not start"
import sys, time, urllib.request
for _ in range(100):
    try:
        urllib.request.urlopen("http://127.0.0.1:%s/good/14.3-RELEASE/MANIFEST" % sys.argv[1]); sys.exit(0)
    except Exception:
        time.sleep(0.1)
sys.exit(1)
PY
M=http://127.0.0.1:$port

# Pull.
L pull --mirror "$M/good/" freebsd:14.3 > "$tmp/pull" 2>&1 || fail "pull: $(cat "$tmp/pull")"
grep -q 'Downloaded newer image for freebsd:14.3' "$tmp/pull" || fail "pull output: $(cat "$tmp/pull")"
L images > "$tmp/images" || fail images
grep -Eq '^freebsd +14\.3 +[0-9a-f]{12} ' "$tmp/images" || fail "images: $(cat "$tmp/images")"
id=$(L images -q)
[ "$(echo "$id" | wc -l)" = 1 ] || fail "images -q: $id"
# Pulling again is a no-op; LOCHS_FREEBSD_MIRROR and {version} work too.
LOCHS_FREEBSD_MIRROR="$M/good" L pull freebsd:14.3 | grep -q 'up to date' || fail "second pull not up to date"
# The layer blob is base.txz as shipped; the extracted root has its files.
[ -f "$tmp/store/images/blobs/sha256/$sum" ] || fail "base.txz not stored as blob $sum"
grep -q 'FreeBSD fake' "$tmp/store/layers/$sum/root/etc/motd" || fail "layer not extracted"
[ "$(readlink "$tmp/store/layers/$sum/root/bin/motdlink")" = /etc/motd ] || fail "symlink not kept"
L image inspect freebsd:14.3 > "$tmp/inspect" || fail "inspect"
python3 - "$tmp/inspect" "$sum" <<'PY' || fail "inspect JSON: $(cat "$tmp/inspect")"
import json, sys
v = json.load(open(sys.argv[1]))
assert isinstance(v, list) and len(v) == 1, v
i = v[0]
assert i["Os"] == "freebsd" and i["Architecture"] == "amd64", i
assert i["RepoTags"] == ["freebsd:14.3"], i
assert i["Config"]["Cmd"] == ["/bin/sh"], i
assert "PATH=/sbin:/bin:/usr/sbin:/usr/bin" in i["Config"]["Env"], i
assert i["Lochs"]["LayerBlobs"][0]["digest"] == "sha256:" + sys.argv[2], i
assert i["Lochs"]["LayerBlobs"][0]["mediaType"] == "application/vnd.lochs.image.layer.v1.tar+xz", i
assert len(i["RootFS"]["Layers"]) == 1, i
PY
L image inspect "$id" | grep -q '"freebsd:14.3"' || fail "inspect by id prefix"
L history freebsd:14.3 | grep -q 'FreeBSD 14.3-RELEASE base.txz' || fail "history: $(L history freebsd:14.3)"
L images --format json | python3 -c 'import json,sys; o=json.loads(sys.stdin.readline()); assert o["Repository"]=="freebsd" and o["Tag"]=="14.3", o' ||
	fail "images --format json"

# Tag, then rmi of one tag keeps the image; of the last tag removes it.
L tag freebsd:14.3 mybsd:1 || fail tag
[ "$(L images | grep -c "$id")" = 2 ] || fail "tag: $(L images)"
L rmi mybsd:1 | grep -q 'Untagged: mybsd:1' || fail "rmi mybsd:1"
[ -f "$tmp/store/images/blobs/sha256/$sum" ] || fail "rmi of one tag removed the layer"
# A jail using the image blocks removing its last tag unless -f, and -f
# then only untags it (the jail keeps its layers).
full=$(L image inspect freebsd:14.3 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["Id"])')
if command -v sqlite3 >/dev/null; then
	L images >/dev/null # creates the state database
	sqlite3 "$tmp/store/lochs.db" "INSERT INTO jails (id,name,image,image_ref,spec,config_hash,state,created) VALUES ('$(printf %064d 1)','j1','$full','freebsd:14.3','{}','x','exited','now')" ||
		fail "cannot add a jail row"
	expect 125 'jail j1 is using' L rmi freebsd:14.3
	L rmi -f freebsd:14.3 | grep -q 'Untagged: freebsd:14.3' || fail "rmi -f of a used image"
	L images | grep -q "^<none> .* $id " || fail "used image not kept untagged: $(L images)"
	[ -d "$tmp/store/layers/$sum/root" ] || fail "rmi -f removed a used layer"
	sqlite3 "$tmp/store/lochs.db" "DELETE FROM jails"
	L rmi "$id" > "$tmp/out" || fail "rmi $id"
else
	L rmi freebsd:14.3 > "$tmp/out" || fail "rmi freebsd:14.3"
fi
grep -q "Deleted: $full" "$tmp/out" || fail "rmi output: $(cat "$tmp/out")"
[ -z "$(L images -q)" ] || fail "image left after rmi: $(L images)"
[ ! -e "$tmp/store/images/blobs/sha256/$sum" ] || fail "layer blob left after rmi"
[ ! -e "$tmp/store/layers/$sum" ] || fail "extracted layer left after rmi"

# A checksum mismatch: one-line error naming the URL, nothing stored.
expect 125 "$M/bad/14.3-RELEASE/base.txz: sha256 mismatch" L pull --mirror "$M/bad/" freebsd:14.3
expect 125 "$M/none/14.3-RELEASE/MANIFEST" L pull --mirror "$M/none/" freebsd:14.3
[ -z "$(L images -q)" ] || fail "image stored by a bad pull"
[ -z "$(ls "$tmp/store/images/tmp")" ] || fail "partial download left: $(ls "$tmp/store/images/tmp")"
# {version} in the mirror, freebsd:14 means 14.0.
mkdir -p "$tmp/www/14.0-RELEASE" && cp "$G/"* "$tmp/www/14.0-RELEASE/"
L pull --mirror "$M/{version}-RELEASE" freebsd:14 >/dev/null || fail "pull freebsd:14 via {version}"
L images | grep -Eq '^freebsd +14\.0 ' || fail "freebsd:14 not tagged 14.0"

# Import: a tarball, a directory, then rmi.
tar czf "$tmp/rootfs.tgz" -C "$tmp/rootfs" .
iid=$(L import "$tmp/rootfs.tgz" imp:file) || fail "import file"
echo "$iid" | grep -Eq '^sha256:[0-9a-f]{64}$' || fail "import printed '$iid'"
did=$(L import "$tmp/rootfs" imp:dir) || fail "import dir"
L image inspect imp:dir > "$tmp/inspect" || fail "inspect imp:dir"
layer=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["Lochs"]["LayerBlobs"][0]["digest"][7:])' "$tmp/inspect")
[ -x "$tmp/store/layers/$layer/root/bin/hello" ] || fail "imported dir not extracted"
[ "$(stat -c %i "$tmp/store/layers/$layer/root/etc/motd")" = "$(stat -c %i "$tmp/store/layers/$layer/root/etc/motd.hard")" ] ||
	fail "hard link not kept"
# ... and a URL (the same tarball from the loopback mirror): the same layer.
cp "$tmp/rootfs.tgz" "$tmp/www/rootfs.tgz"
uid=$(L import "$M/rootfs.tgz" imp:url) || fail "import URL"
[ "$(L image inspect imp:url | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["RootFS"]["Layers"][0])')" = \
	"$(L image inspect imp:file | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["RootFS"]["Layers"][0])')" ] ||
	fail "import URL: another layer than the file's"
expect 125 'no-such.tgz: .*404' L import "$M/no-such.tgz" imp:none
# Not an archive: named by the user's path, not the store's temporary copy.
echo garbage > "$tmp/garbage.tar"
expect 125 "^lochs: import $tmp/garbage.tar: Unrecognized archive format" L import "$tmp/garbage.tar" imp:bad
grep -q "images/tmp" "$tmp/err" && fail "import error names the temporary copy: $(cat "$tmp/err")"
L images | grep -Eq '^imp +file ' || fail "imp:file missing"
L rmi imp:file imp:dir imp:url >/dev/null || fail "rmi imp"
expect 125 'no such image: imp:file' L rmi imp:file

# Hostile archives: each rejected with the entry named, exit 125.
mkdir -p "$tmp/victim"
python3 - "$tmp" <<'PY' || fail "cannot build hostile archives"
import io, sys, tarfile
t = sys.argv[1]
def arc(name, entries):
    with tarfile.open("%s/%s.tar" % (t, name), "w") as tf:
        for e in entries:
            data = e.pop("data", b"")
            ti = tarfile.TarInfo(e.pop("name"))
            for k, v in e.items():
                setattr(ti, k, v)
            ti.size = len(data) if ti.type == tarfile.REGTYPE else 0
            tf.addfile(ti, io.BytesIO(data) if data else None)
ok = {"name": "ok.txt", "data": b"fine"}
arc("dotdot", [dict(ok), {"name": "../escape", "data": b"x"}])
arc("dotdot2", [{"name": "a/../../victim/escape2", "data": b"x"}])
arc("abs", [{"name": "%s/victim/abs" % t, "data": b"x"}])
arc("symlink", [{"name": "lnk", "type": tarfile.SYMTYPE, "linkname": "%s/victim" % t},
                {"name": "lnk/through", "data": b"x"}])
arc("symlink2", [{"name": "d", "type": tarfile.DIRTYPE, "mode": 0o755},
                 {"name": "d/up", "type": tarfile.SYMTYPE, "linkname": "../../victim"},
                 {"name": "d/up/x", "data": b"x"}])
arc("hardlink", [{"name": "passwd", "type": tarfile.LNKTYPE, "linkname": "/etc/passwd"}])
arc("hardlink2", [{"name": "lnk", "type": tarfile.SYMTYPE, "linkname": "/etc"},
                  {"name": "pw", "type": tarfile.LNKTYPE, "linkname": "lnk/passwd"}])
arc("chardev", [dict(ok), {"name": "dev/mem", "type": tarfile.CHRTYPE, "devmajor": 1, "devminor": 1}])
arc("blockdev", [{"name": "sda", "type": tarfile.BLKTYPE, "devmajor": 8, "devminor": 0}])
PY
before=$(ls "$tmp/store/layers" | sort)
for a in dotdot:../escape dotdot2:a/../../victim/escape2 abs:"$tmp/victim/abs" symlink:lnk/through \
	symlink2:d/up/x hardlink:passwd hardlink2:pw chardev:dev/mem blockdev:sda; do
	name=${a%%:*} entry=${a#*:}
	expect 125 "entry \"$entry\"" L import "$tmp/$name.tar" "bad:$name"
	L images | grep -q "bad " && fail "$name: an image was stored"
done
[ -z "$(ls -A "$tmp/victim")" ] || fail "hostile archive wrote outside the store: $(ls -A "$tmp/victim")"
[ ! -e "$tmp/escape" ] && [ ! -e "$tmp/store/escape" ] && [ ! -e "$tmp/store/layers/escape" ] || fail "../escape written"
[ "$(ls "$tmp/store/layers" | sort)" = "$before" ] || fail "layer dir left behind: $(ls -A "$tmp/store/layers")"
[ -z "$(ls -A "$tmp/store/layers" | grep '^\.')" ] || fail "temporary layer dir left: $(ls -A "$tmp/store/layers")"
[ -z "$(ls "$tmp/store/images/tmp")" ] || fail "import temp file left"

# Prune removes untagged images: re-importing under the same tag leaves one.
L import "$tmp/rootfs.tgz" p:1 >/dev/null && L import "$tmp/rootfs" p:1 >/dev/null || fail "import p:1"
L images | grep -q '^<none>' || fail "no dangling image: $(L images)"
dangling=$(L images --format json | python3 -c 'import json, sys
print(*[i["ID"] for i in map(json.loads, sys.stdin) if i["Repository"] == "<none>"])')
L image prune -f | grep -q 'Total reclaimed space' || fail "prune"
L images | grep -q '^<none>' && fail "dangling image after prune"
# ... and says so in events: a delete of that image, nothing untagged.
L events --since 1h --until 0s --filter type=image --filter event=delete | grep -q " image delete sha256:$dangling" ||
	fail "no delete event for the pruned $dangling: $(L events --since 1h --until 0s --filter type=image)"
echo ok
