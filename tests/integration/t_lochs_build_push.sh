#!/bin/sh
# lochs build -> push -> rmi -> pull round trip through Debian's
# docker-registry on 127.0.0.1: a Lochfile of three layers (the base
# release set, a RUN, a COPY of a tree) is built, pushed (skopeo sees
# os freebsd, three layers, the pushed digest), removed locally with its
# step layers (rmi, image prune), pulled back: the same manifest digest,
# the same image id, the same files (names, sizes, contents) and the same
# default command. Then FROM and COPY --from NAME@sha256:DIGEST: pulled by
# digest when missing (the registry's log shows the GET of the manifest
# by digest), the digest of an index gives its freebsd/amd64 image; both
# taken from the store when there even with --pull and the registry gone
# (a tag then fails to pull); a wrong digest fails in one line naming the
# Lochfile's line and tags nothing.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/lochs.sh"
. "$(dirname "$0")/lib/registry.sh"
registry_have_tools || skip "docker-registry, skopeo and python3 needed"
C=
at_exit() { registry_stop; [ -z "$C" ] || rm -rf "$C"; }
jail_test build-push
C=$(mktemp -d /tmp/lochs-build-push.XXXXXX)
export REGISTRY_LOG_ACCESSLOG_DISABLED=false REGISTRY_LOG_LEVEL=info
registry_start || fail "registry did not start"
IMG=$REGISTRY/rt/app:1

mkdir -p "$C/app/files/sub"
echo hello > "$C/app/files/hello"
seq 1 2000 > "$C/app/files/sub/numbers"
cat > "$C/app/Lochfile" <<'EOF'
FROM freebsd:14.3
RUN mkdir -p /srv/data && seq 1 9 | grep -v 3 | wc -l > /srv/data/count
COPY files/ /srv/files/
WORKDIR /srv
CMD ["/bin/cat", "/srv/files/hello"]
EOF
expect 0 "build" L build -q -t "$IMG" "$C/app"
id=$(echo "$out" | tail -n 1)
expect 0 "inspect" L image inspect "$IMG"
nl=$(echo "$out" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)[0]["RootFS"]["Layers"]))')
[ "$nl" = 3 ] || fail "built image has $nl layers, want 3"
# What the image holds: every file under /srv with its size and content.
files() {
	expect 0 "files of $1" L run --rm --network none "$1" /bin/sh -c \
		'ls -lnR /srv | grep -v "^total" | while read -r m n u g size rest; do echo "$m $u $g $size ${rest##* }"; done;
		 cat /srv/data/count /srv/files/hello; grep -c . /srv/files/sub/numbers; pwd'
	echo "$out"
}
before=$(files "$IMG")
echo "$before" | grep -q '^hello$' || fail "built files: $before"

expect 0 "push" L push "$IMG"
D=$(echo "$out" | sed -n 's/^1: digest: \(sha256:[0-9a-f]\{64\}\) size: [0-9]*$/\1/p')
[ -n "$D" ] || fail "no digest from push: $out"
sk=$(skopeo inspect --tls-verify=false "docker://$IMG") || fail "skopeo inspect"
echo "$sk" | python3 -c "
import json,sys; j=json.load(sys.stdin)
assert j['Os'] == 'freebsd' and j['Architecture'] == 'amd64', (j['Os'], j['Architecture'])
assert len(j['Layers']) == 3, j['Layers']
assert j['Digest'] == '$D', j['Digest']" || fail "skopeo's view of $IMG: $sk"

# Gone locally (with the build's step layers), then pulled back.
expect 0 "rmi" L rmi "$IMG"
expect 0 "prune" L image prune -f
L images | grep -q "rt/app" && fail "rmi left the image: $(L images)"
expect 0 "pull back" L pull "$IMG"
echo "$out" | grep -q "^Digest: $D$" || fail "pulled digest differs from pushed $D: $out"
expect 0 "inspect pulled" L image inspect "$IMG"
echo "$out" | grep -q "\"Id\": \"sha256:$id\"" || fail "pulled image id is not the built one ($id): $out"
after=$(files "$IMG")
[ "$after" = "$before" ] || fail "files differ after the round trip:
before: $before
after:  $after"
expect 0 "default command" L run --rm --network none "$IMG"
[ "$out" = hello ] || fail "default command after the round trip: $out"

# FROM and COPY --from by digest: not stored, so pulled by that digest.
expect 0 "rmi again" L rmi "$IMG"
expect 0 "prune again" L image prune -f
R=$REGISTRY/rt/app@$D
mkdir -p "$C/child"
printf 'FROM %s\nCOPY --from=%s /srv/files/hello /copied\nRUN cat /srv/data/count /copied > /both\n' "$R" "$R" \
	> "$C/child/Lochfile"
expect 0 "FROM by digest" L build -t child:1 "$C/child"
grep -q "\"GET /v2/rt/app/manifests/$D HTTP/1.1\" 200" "$REGISTRY_DIR/registry.log" ||
	fail "no pull by digest in the registry's log"
expect 0 "child run" L run --rm --network none child:1 /bin/cat /both
[ "$(echo "$out" | tr -d ' ')" = "8
hello" ] || fail "FROM/COPY --from by digest: $out"
# The digest of an index: its freebsd/amd64 manifest (not the linux decoy).
registry_push_multiarch rt/multi:1 || fail "skopeo push of the index"
X=$(skopeo inspect --raw --tls-verify=false "docker://$REGISTRY/rt/multi:1" | sha256sum | cut -d' ' -f1)
mkdir -p "$C/idx"
printf 'FROM %s\nRUN test -e /LINUX-DECOY || echo freebsd > /which\n' "$REGISTRY/rt/multi@sha256:$X" > "$C/idx/Lochfile"
expect 0 "FROM an index digest" L build -t idx:1 "$C/idx"
expect 0 "idx run" L run --rm --network none idx:1 /bin/cat /which
[ "$out" = freebsd ] || fail "FROM an index digest: $out"
bad=$REGISTRY/rt/app@sha256:$(echo nothing | sha256sum | cut -d' ' -f1)
mkdir -p "$C/bad"
printf 'FROM %s\n' "$bad" > "$C/bad/Lochfile"
expect 125 "wrong digest" L build -t bad:1 "$C/bad"
[ "$(echo "$out" | grep -c '^lochs: ')" = 1 ] && echo "$out" | grep -q '^lochs: Lochfile:1: FROM: pulling' ||
	fail "wrong digest: $out"
L images | grep -q '^bad ' && fail "a failed build was tagged"

# A digest pins the content: with the registry gone, --pull still builds
# FROM the stored digest, while a tag needs the registry.
registry_stop
expect 0 "--pull of a stored digest" L build --pull -t child:2 "$C/child"
expect 0 "--pull of a stored index digest" L build --pull -t idx:2 "$C/idx"
echo "FROM $(echo "$R" | sed 's/@.*/:1/')" > "$C/bad/Lochfile"
expect 125 "--pull of a tag without the registry" L build --pull -t bad:2 "$C/bad"
echo ok
