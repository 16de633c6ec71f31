#!/bin/sh
# lochs pull through the bearer-token flow: lib/token_proxy.py fronts a real
# docker-registry on 127.0.0.1 (401 with a Bearer challenge, a token
# endpoint, bearer requests passed on). An anonymous token endpoint; one
# that wants Basic credentials from "auths" in ROOT/config.json: none, a
# wrong password (one-line error, nothing stored), username/password and the
# "auth" base64 form (pulled, blobs through a redirect). The proxy's request
# log shows the order: 401, token, then only bearer requests.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/registry.sh"
LOCHS=${LOCHS:-$ROOT/build/bin/lochs}
[ -x "$LOCHS" ] || fail "lochs not built: $LOCHS"
registry_have_tools || skip "docker-registry, skopeo and python3 needed"
need build/corpus/image/oci/index.json
set +e
tmp=$(mktemp -d)
proxy_pids=
cleanup() {
	for p in $proxy_pids; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	registry_stop
	rm -rf "$tmp"
}
trap cleanup EXIT

# proxy_start NAME [token_proxy.py flags]: a proxy in front of the registry;
# sets PROXY (127.0.0.1:PORT), its log is $tmp/NAME.log.
proxy_start() {
	registry_token_proxy "$tmp" "$@" || fail "token proxy $1"
	proxy_pids="$proxy_pids $PROXY_PID"
}

# L STORE ARGS: lochs with --root $tmp/STORE (its config.json is the one read).
L() { _s=$1; shift; timeout 300 "$LOCHS" --root "$tmp/$_s" "$@"; }
expect() {
	code=$1 pat=$2; shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"; rc=$?
	[ "$rc" = "$code" ] || fail "$*: exit $rc, want $code ($(cat "$tmp/err"))"
	grep -q -- "$pat" "$tmp/err" || fail "$*: stderr '$(cat "$tmp/err")' lacks '$pat'"
	[ "$(grep -c . "$tmp/err")" = 1 ] || fail "$*: not one line of error: $(cat "$tmp/err")"
}
# pulled STORE REF: the image is listed, is freebsd, and its blobs are there.
pulled() {
	_r=${2%:*} _t=${2##*:}
	L "$1" images | grep -q "^$_r  *$_t " || fail "images in $1: $(L "$1" images)"
	os=$(L "$1" image inspect "$2" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["Os"])')
	[ "$os" = freebsd ] || fail "inspect $2: Os '$os'"
}
# nothing_stored STORE: a failed pull left no image, blob or layer.
nothing_stored() {
	[ -z "$(L "$1" images -q 2>/dev/null)" ] || fail "$1: an image was stored: $(L "$1" images)"
	[ -z "$(ls "$tmp/$1/images/blobs/sha256" 2>/dev/null)" ] || fail "$1: blobs left"
	[ -z "$(ls "$tmp/$1/layers" 2>/dev/null | grep -v '^\.')" ] || fail "$1: layers left"
}
# flow LOG TOKEN-KIND: the probe of /v2/ got 401, the token came with
# TOKEN-KIND authorization, then every repository request was a bearer one
# that was accepted.
# The proxy logs a request after answering it: wait a little for its line.
lgrep() {
	_n=0
	until grep -q "$1" "$2"; do
		_n=$((_n + 1)); [ $_n -lt 50 ] || return 1; sleep 0.1
	done
}
flow() {
	_log=$tmp/$1.log
	[ "$(head -n 1 "$_log")" = "GET /v2/ none 401" ] || fail "$1: first request: $(head -n 1 "$_log")"
	lgrep "^GET /token?service=lochs-test&scope=repository%3Alochs-test%3Apull $2 200$" "$_log" ||
		fail "$1: no token fetched with $2 auth: $(cat "$_log")"
	lgrep '^GET /v2/lochs-test/manifests/1 bearer-ok 200$' "$_log" || fail "$1: no bearer manifest GET: $(cat "$_log")"
	lgrep '^GET /v2/lochs-test/blobs/sha256:[0-9a-f]* bearer-ok \(200\|307\)$' "$_log" ||
		fail "$1: no bearer blob GET: $(cat "$_log")"
	grep '^[A-Z]* /v2/lochs-test/' "$_log" | grep -v ' bearer-ok ' && fail "$1: a repository request without the token"
	# The token, not the password, goes to the registry.
	grep -q '^[A-Z]* /v2/.* basic' "$_log" && fail "$1: Basic credentials sent to the registry"
	return 0
}

registry_start || fail "registry did not start"
registry_push_image lochs-test:1 || fail "push"

# Anonymous token endpoint.
proxy_start anon
A=$PROXY
L s1 pull "$A/lochs-test:1" >"$tmp/pull" 2>&1 || fail "pull via $A: $(cat "$tmp/pull") $(cat "$tmp/anon.log")"
grep -q "Downloaded newer image for $A/lochs-test:1" "$tmp/pull" || fail "pull output: $(cat "$tmp/pull")"
pulled s1 "$A/lochs-test:1"
flow anon none
# Up to date: a fresh token again, the manifest only.
L s1 pull "$A/lochs-test:1" | grep -q 'Image is up to date' || fail "second pull not up to date"

# A token endpoint that wants Basic u:p; blobs are sent to /storage/ with a 307.
proxy_start basic --user u --password p --redirect-blobs
B=$PROXY
mkdir -p "$tmp/s2" "$tmp/s3" "$tmp/s4"
expect 125 "$B.*credentials" L s2 pull "$B/lochs-test:1"
lgrep '^GET /token?.* none 401$' "$tmp/basic.log" || fail "no anonymous token request: $(cat "$tmp/basic.log")"
nothing_stored s2
# Credentials for another registry are not sent here.
printf '{"auths": {"%s": {"username": "u", "password": "p"}}}\n' "$A" >"$tmp/s2/config.json"
expect 125 "$B.*credentials" L s2 pull "$B/lochs-test:1"
nothing_stored s2
printf '{"auths": {"%s": {"username": "u", "password": "wrong"}}}\n' "$B" >"$tmp/s2/config.json"
: >"$tmp/basic.log"
expect 125 "$B.*credentials" L s2 pull "$B/lochs-test:1"
lgrep '^GET /token?.* basic-bad 401$' "$tmp/basic.log" || fail "wrong password not sent as Basic: $(cat "$tmp/basic.log")"
grep -q '^GET /v2/lochs-test' "$tmp/basic.log" && fail "repository requested without a token"
nothing_stored s2

printf '{"auths": {"%s": {"username": "u", "password": "p"}}}\n' "$B" >"$tmp/s3/config.json"
: >"$tmp/basic.log"
L s3 pull "$B/lochs-test:1" >"$tmp/pull" 2>&1 || fail "pull with credentials: $(cat "$tmp/pull") $(cat "$tmp/basic.log")"
pulled s3 "$B/lochs-test:1"
flow basic basic-ok
lgrep '^GET /storage/lochs-test/sha256:[0-9a-f]* [a-z-]* 200$' "$tmp/basic.log" ||
	fail "blob redirect not followed: $(cat "$tmp/basic.log")"

# The "auth" form: base64 of user:password, as docker login writes it.
printf '{"auths": {"%s": {"auth": "%s"}}}\n' "$B" "$(printf u:p | base64)" >"$tmp/s4/config.json"
: >"$tmp/basic.log"
L s4 pull "$B/lochs-test:1" >"$tmp/pull" 2>&1 || fail "pull with auth: $(cat "$tmp/pull") $(cat "$tmp/basic.log")"
pulled s4 "$B/lochs-test:1"
flow basic basic-ok
echo "ok"
