#!/bin/sh
# lochs push, login and logout against real registries (Debian's
# docker-registry on 127.0.0.1). Plain registry: a pulled image retagged
# into a second repository is mounted across repositories (lochs says so,
# the registry's access log shows the POST ?mount= and no upload), with a
# push event; --all-tags pushes each tag of a repository; an
# image with no known source goes up in PATCH chunks (threshold lowered
# with LOCHS_PUSH_CHUNK_SIZE); a second push finds every layer there;
# skopeo inspect shows os freebsd / architecture amd64; rmi, pull back:
# the same digest, the same files, a command runs in it; a release set
# (xz layer) makes the same round trip. htpasswd
# registry: push without login refused, a wrong password refused in one
# line with nothing stored, login (--password-stdin) stores a 0600 file
# even under umask 000, on a terminal it asks without echoing the password, push (one monolithic PUT) and pull with the
# stored credentials, logout removes them. Login, pull and push through
# the bearer token flow (lib/token_proxy.py), the push's token covering
# the mount's source repository, renewed when it expires mid-push.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/registry.sh"
. "$(dirname "$0")/lib/mirror.sh"
LOCHS=${LOCHS:-$ROOT/build/bin/lochs}
[ -x "$LOCHS" ] || fail "lochs not built: $LOCHS"
registry_have_tools || skip "docker-registry, skopeo and python3 needed"
command -v htpasswd >/dev/null || skip "htpasswd (apache2-utils) needed"
need build/corpus/image/oci/index.json build/corpus/image/rootfs/etc/motd build/corpus/image/mirror/14.3-RELEASE/base.txz
set +e
. "$(dirname "$0")/lib/hostnet.sh"
hostnet_begin
tmp=$(mktemp -d)
proxy_pid=
trap '[ -z "$proxy_pid" ] || kill $proxy_pid; mirror_stop; registry_stop; hostnet_end "$tmp"/*; rm -rf "$tmp"' EXIT
L() { _s=$1; shift; timeout 300 "$LOCHS" --root "$tmp/$_s" "$@"; }
# one_error CODE PATTERN CMD...: exits CODE with one line on stderr matching.
one_error() {
	code=$1 pat=$2; shift 2
	"$@" >"$tmp/out" 2>"$tmp/err" </dev/null; rc=$?
	[ "$rc" = "$code" ] || fail "$*: exit $rc, want $code ($(cat "$tmp/err"))"
	grep -q -- "$pat" "$tmp/err" || fail "$*: stderr '$(cat "$tmp/err")' lacks '$pat'"
	[ "$(grep -c . "$tmp/err")" = 1 ] || fail "$*: not one line of error: $(cat "$tmp/err")"
}
ok() { "$@" >"$tmp/out" 2>&1 || fail "$*: $(cat "$tmp/out")"; }
has() { grep -q -- "$1" "$tmp/out" || fail "output lacks '$1': $(cat "$tmp/out")"; }
pushed_digest() { sed -n 's/^[^ ]*: digest: \(sha256:[0-9a-f]*\) size: [0-9]*$/\1/p' "$tmp/out"; }
# inspect REF KEY: skopeo's view of what the registry holds.
inspect() {
	skopeo inspect --tls-verify=false "docker://$1" | python3 -c "import json,sys; print(json.load(sys.stdin)['$2'])"
}
# The access log: one line per request, method, path and status.
export REGISTRY_LOG_ACCESSLOG_DISABLED=false REGISTRY_LOG_LEVEL=info
reqs() { grep -o '"[A-Z]* /v2/[^ ]* HTTP/1.1" [0-9]*' "$REGISTRY_DIR/registry.log"; }

registry_start || fail "registry did not start"
A=$REGISTRY
registry_push_image lochs-test:1 || fail "skopeo push"

# A pull records where the blobs are; a retagged push mounts them.
ok L s1 pull "$A/lochs-test:1"
D=$(sed -n 's/^Digest: //p' "$tmp/out")
[ -n "$D" ] || fail "no digest from pull: $(cat "$tmp/out")"
ok L s1 tag "$A/lochs-test:1" "$A/copy:1"
ok L s1 push "$A/copy:1"
has "The push refers to repository \[$A/copy\]"
has ": Mounted from lochs-test"
[ "$(pushed_digest)" = "$D" ] || fail "pushed digest $(pushed_digest), pulled $D"
L s1 events --since 10m --until 0s --filter type=image >"$tmp/ev" || fail "events"
grep -q "image push sha256:[0-9a-f]\{64\}.*name=$A/copy:1" "$tmp/ev" || fail "no push event: $(cat "$tmp/ev")"
reqs | grep -q '"POST /v2/copy/blobs/uploads/?mount=sha256:[0-9a-f]*&from=lochs-test HTTP/1.1" 201' ||
	fail "no mount in the registry log: $(reqs | grep copy)"
reqs | grep -q '"\(PATCH\|PUT\) /v2/copy/blobs/' && fail "a blob was uploaded to copy instead of mounted"
[ "$(inspect "$A/copy:1" Os)" = freebsd ] || fail "skopeo: Os $(inspect "$A/copy:1" Os)"
[ "$(inspect "$A/copy:1" Architecture)" = amd64 ] || fail "skopeo: Architecture"
[ "$(inspect "$A/copy:1" Digest)" = "$D" ] || fail "skopeo: digest $(inspect "$A/copy:1" Digest), want $D"

# --all-tags: every stored tag of the repository.
ok L s1 tag "$A/lochs-test:1" "$A/copy:two"
ok L s1 push --all-tags "$A/copy"
has '^1: digest: '
has '^two: digest: '
tags=$(skopeo list-tags --tls-verify=false "docker://$A/copy" | python3 -c 'import json,sys; print(" ".join(sorted(json.load(sys.stdin)["Tags"])))')
[ "$tags" = "1 two" ] || fail "tags of copy: $tags"
one_error 125 'without a tag' L s1 push -a "$A/copy:1"
one_error 125 'no tag of' L s1 push -a "$A/nothing"

# No known source (save/load into another store): chunked upload.
ok L s1 save -o "$tmp/img.tar" "$A/lochs-test:1"
ok L s2 load -i "$tmp/img.tar"
LOCHS_PUSH_CHUNK_SIZE=1000000 L s2 push "$A/lochs-test:1" "$A/chunky/app:2" >"$tmp/out" 2>&1 ||
	fail "chunked push: $(cat "$tmp/out")"
grep -q ': Pushed (.* in [0-9]* chunks)$' "$tmp/out" || fail "not chunked: $(cat "$tmp/out")"
[ "$(pushed_digest)" = "$D" ] || fail "chunked push digest $(pushed_digest), want $D"
n=$(reqs | grep -c '"PATCH /v2/chunky/app/blobs/uploads/[^ ]* HTTP/1.1" 202')
[ "$n" -ge 10 ] || fail "$n PATCH requests for a 1 MB chunk size: $(reqs | grep chunky)"
reqs | grep -q '"PUT /v2/chunky/app/blobs/uploads/[^ ]*digest=sha256[^ ]* HTTP/1.1" 201' || fail "no closing PUT"
# Again: everything is there (HEAD only).
ok L s2 push "$A/lochs-test:1" "$A/chunky/app:2"
has ': Layer already exists'
grep -q 'Pushed\|Mounted' "$tmp/out" && fail "second push sent something: $(cat "$tmp/out")"

# Round trip: gone locally, pulled back, the same digest and files.
ok L s2 rmi "$A/lochs-test:1"
ok L s2 image prune -f
[ -z "$(L s2 images -q)" ] || fail "image left: $(L s2 images)"
ok L s2 pull "$A/chunky/app:2"
has "Digest: $D"
lhex=$(skopeo inspect --raw --tls-verify=false "docker://$A/chunky/app:2" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["layers"][0]["digest"][7:])')
diff -r --no-dereference "$tmp/s2/layers/$lhex/root" build/corpus/image/rootfs >"$tmp/diff" 2>&1 ||
	fail "pulled files differ: $(head -n 5 "$tmp/diff")"
if [ "$(id -u)" = 0 ] && [ "${LOCHS_NATIVE:-0}" != 1 ]; then
	L s2 run --rm "$A/chunky/app:2" /bin/cat /etc/motd >"$tmp/out" 2>&1 || fail "run: $(cat "$tmp/out")"
	cmp -s "$tmp/out" build/corpus/image/rootfs/etc/motd || fail "run printed: $(cat "$tmp/out")"
fi

# A release set (base.txz, kept as shipped in an xz layer) goes up and
# comes back the same.
mirror_start || fail "mirror did not start"
ok L s3 pull --mirror "$MIRROR_URL" freebsd:14.3
ok L s3 push freebsd:14.3 "$A/freebsd:14.3"
R=$(pushed_digest)
ok L s3 rmi freebsd:14.3
ok L s3 pull "$A/freebsd:14.3"
has "Digest: $R"
mirror_stop

# The bearer token flow (lib/token_proxy.py before the registry, tokens
# for Basic u:p): login gets a token with the password; a push asks one
# token for pushing and for pulling the repository it mounts from.
registry_token_proxy "$tmp" tok --user u --password p || fail "token proxy"
proxy_pid=$PROXY_PID T=$PROXY
one_error 125 "login to $T: .*credentials" sh -c "echo bad | exec timeout 60 '$LOCHS' --root '$tmp/s4' login -u u --password-stdin $T"
[ -e "$tmp/s4/auth.json" ] && fail "a refused bearer login was stored"
echo p | L s4 login -u u --password-stdin "$T" >"$tmp/out" 2>&1 || fail "bearer login: $(cat "$tmp/out")"
has 'Login Succeeded'
ok L s4 pull "$T/lochs-test:1"
ok L s4 tag "$T/lochs-test:1" "$T/viatoken:1"
ok L s4 push "$T/viatoken:1"
has ': Mounted from lochs-test'
[ "$(pushed_digest)" = "$D" ] || fail "bearer push digest $(pushed_digest), want $D"
# The proxy logs a request just after answering it: the last line may lag.
n=0
until grep -q '^PUT /v2/viatoken/manifests/1 bearer-ok 201$' "$tmp/tok.log"; do
	n=$((n + 1)); [ $n -lt 50 ] || fail "no manifest PUT with the token: $(grep viatoken "$tmp/tok.log")"; sleep 0.1
done
grep -q '^GET /token?service=lochs-test&scope=repository%3Aviatoken%3Apull%2Cpush&scope=repository%3Alochs-test%3Apull basic-ok 200$' \
	"$tmp/tok.log" || fail "no token for push and the mount: $(grep token "$tmp/tok.log")"
grep -q '^POST /v2/viatoken/blobs/uploads/?mount=sha256:[0-9a-f]*&from=lochs-test bearer-ok 201$' "$tmp/tok.log" ||
	fail "no mount through the proxy: $(grep viatoken "$tmp/tok.log")"
kill $proxy_pid
# Tokens that expire after 4 requests: the push renews its token and
# sends the refused request again (chunks too).
registry_token_proxy "$tmp" short --token-uses 4 || fail "token proxy"
proxy_pid=$PROXY_PID
LOCHS_PUSH_CHUNK_SIZE=2000000 L s4 push "$T/viatoken:1" "$PROXY/renewed:1" >"$tmp/out" 2>&1 ||
	fail "push with expiring tokens: $(cat "$tmp/out"; cat "$tmp/short.log")"
has ' chunks)$'
[ "$(pushed_digest)" = "$D" ] || fail "renewed push digest $(pushed_digest), want $D"
grep -q '^PATCH /v2/renewed/blobs/uploads/.* bearer-bad 401$' "$tmp/short.log" || fail "no chunk met an expired token"
[ "$(grep -c '^GET /token?.*scope=repository%3Arenewed%3Apull%2Cpush.* 200$' "$tmp/short.log")" -ge 3 ] ||
	fail "tokens not renewed: $(cat "$tmp/short.log")"
kill $proxy_pid
proxy_pid=

# A blob that is not what its digest says (changed in the store): the
# registry refuses it in one line, lochs deletes the upload session, no
# manifest is put.
ok L s5 load -i "$tmp/img.tar"
blob=$tmp/s5/images/blobs/sha256/$lhex
chmod u+w "$blob" && printf 'tampered' | dd of="$blob" bs=1 seek=1000 conv=notrunc 2>/dev/null || fail "tamper"
one_error 125 "tampered: blob sha256:${lhex%"${lhex#????????????}"}: completing the upload: DIGEST_INVALID" \
	L s5 push "$A/lochs-test:1" "$A/tampered:1"
# (docker-registry has dropped it itself then: 404; others keep them.)
reqs | grep -q '"DELETE /v2/tampered/blobs/uploads/[^ ]* HTTP/1.1" [0-9]*' || fail "upload session kept: $(reqs | grep tampered)"
reqs | grep -q '"PUT /v2/tampered/manifests/' && fail "a manifest was put after a refused blob"

# Bad input: one line, exit 125.
one_error 125 'no such image' L s2 push "$A/nothere:1"
one_error 125 'not a digest' L s2 push "$A/chunky/app:2" "$A/x@sha256:$(printf %064d 0)"
one_error 125 'invalid reference format' L s2 push "$A/chunky/app:2" "$A/UPPER:1"
one_error 125 'LOCHS_PUSH_CHUNK_SIZE=1MB: not a number' \
	env LOCHS_PUSH_CHUNK_SIZE=1MB timeout 60 "$LOCHS" --root "$tmp/s2" push "$A/chunky/app:2" "$A/c:1"
registry_stop

# A registry with htpasswd (bcrypt) auth.
htpasswd -Bbc "$tmp/htpasswd" alice 's3cret pw' >/dev/null 2>&1 || fail "htpasswd"
export REGISTRY_LOG_ACCESSLOG_DISABLED=false REGISTRY_LOG_LEVEL=info
registry_start_htpasswd "$tmp/htpasswd" || fail "htpasswd registry did not start"
B=$REGISTRY
ok L s1 tag "$A/lochs-test:1" "$B/app:1"
one_error 125 "credentials" L s1 push "$B/app:1"
printf 'wrong\n' >"$tmp/pw"
one_error 125 "login to $B: unauthorized" sh -c "umask 000; exec timeout 60 '$LOCHS' --root '$tmp/s1' login -u alice --password-stdin '$B' <'$tmp/pw'"
[ -e "$tmp/s1/auth.json" ] && fail "a wrong password was stored: $(cat "$tmp/s1/auth.json")"
printf 's3cret pw\n' >"$tmp/pw"
(umask 000; timeout 60 "$LOCHS" --root "$tmp/s1" login -u alice --password-stdin "$B" <"$tmp/pw") >"$tmp/out" 2>&1 ||
	fail "login: $(cat "$tmp/out")"
has 'Login Succeeded'
[ "$(stat -c %a "$tmp/s1/auth.json")" = 600 ] || fail "auth.json mode $(stat -c %a "$tmp/s1/auth.json")"
python3 -c 'import json,sys,base64; a=json.load(open(sys.argv[1]))["auths"][sys.argv[2]]["auth"]; assert base64.b64decode(a) == b"alice:s3cret pw"' \
	"$tmp/s1/auth.json" "$B" || fail "stored credentials: $(cat "$tmp/s1/auth.json")"
ls "$tmp/s1" | grep -q 'auth.json.[A-Za-z0-9]\{6\}$' && fail "a temporary file was left: $(ls "$tmp/s1")"

# Asked on a terminal: the password is not echoed.
python3 - "$LOCHS" "$tmp/s6" "$B" >"$tmp/out" 2>&1 <<'PY' || fail "login on a terminal: $(cat "$tmp/out")"
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "--root", sys.argv[2], "login", sys.argv[3]])
out = b""
for prompt, answer in ((b"Username: ", b"alice\n"), (b"Password: ", b"s3cret pw\n")):
    while prompt not in out:
        out += os.read(fd, 1024)
    os.write(fd, answer)
while True:
    try:
        d = os.read(fd, 1024)
    except OSError:
        break
    if not d:
        break
    out += d
print(out.decode())
sys.exit(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
PY
has 'Login Succeeded'
grep -q 's3cret' "$tmp/out" && fail "the password was echoed: $(cat "$tmp/out")"
[ -s "$tmp/s6/auth.json" ] || fail "terminal login stored nothing"

ok L s1 push "$B/app:1"
has ': Pushed ('
grep -q chunks "$tmp/out" && fail "monolithic push was chunked: $(cat "$tmp/out")"
[ "$(pushed_digest)" = "$D" ] || fail "digest $(pushed_digest), want $D"
reqs | grep -q '"PUT /v2/app/blobs/uploads/[^ ]*digest=sha256[^ ]* HTTP/1.1" 201' || fail "no monolithic PUT"
reqs | grep -q '"PATCH /v2/app/' && fail "PATCH in a monolithic push"
ok L s1 rmi "$B/app:1"
ok L s1 pull "$B/app:1"
has "Digest: $D"

ok L s1 logout "$B"
has "Removing login credentials for $B"
grep -q "$B" "$tmp/s1/auth.json" && fail "logout left the credentials: $(cat "$tmp/s1/auth.json")"
[ "$(stat -c %a "$tmp/s1/auth.json")" = 600 ] || fail "auth.json mode after logout"
ok L s1 logout "$B"
has "Not logged in to $B"
ok L s1 rmi "$B/app:1"
one_error 125 "$B" L s1 pull "$B/app:1"
echo PASS
