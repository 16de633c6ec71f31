#!/bin/sh
# lochs compose config (specs/compose.h) through the CLI: the example app
# in examples/compose-app reads into the project the YAML says (merge keys,
# interpolation from the environment and .env, defaults filled, short
# forms made long), the output reads back the same (develop.watch too);
# several -f merged,
# include: and --profile/COMPOSE_PROFILES; errors are one line with
# FILE:LINE:COLUMN and exit 125; a missing file and a bad flag too.
. "$(dirname "$0")/lib/common.sh"
LOCHS=${LOCHS:-$ROOT/build/bin/lochs}
[ -x "$LOCHS" ] || fail "lochs not built: $LOCHS"
# Debian's python3 with python3-yaml (make deps), not another one on PATH.
PY=/usr/bin/python3
[ -x $PY ] && $PY -c 'import yaml' 2>/dev/null || skip "python3-yaml needed to read YAML back (make deps)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ex=$ROOT/examples/compose-app
expect() { # CODE CMD...: the exit code; stdout in $tmp/out, stderr in $tmp/err
	code=$1; shift
	rc=0; "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	[ "$rc" = "$code" ] || fail "$*: exit $rc, want $code: $(cat "$tmp/err")"
	# a failure says so in one line
	[ "$code" = 0 ] || [ "$(grep -c . "$tmp/err")" = 1 ] || fail "$*: not one line of error: $(cat "$tmp/err")"
}

expect 0 env WORKER_PERIOD=9 "$LOCHS" compose -f "$ex/lochs.yml" config
$PY - "$tmp/out" "$ex" <<'PY' || fail "config output: $(cat "$tmp/out")"
import sys, yaml
c = yaml.safe_load(open(sys.argv[1]))
s = c["services"]
assert c["name"] == "shop" and list(s) == ["web", "worker", "db"], c
assert s["web"]["restart"] == "on-failure:3" and s["web"]["labels"] == {"com.example.app": "shop"}, s["web"]
assert s["web"]["command"][:3] == ["/usr/local/bin/httpd-lite", "-q", "-p"] and s["web"]["command"][3] == "8080"
assert s["web"]["volumes"][0] == {"type": "bind", "source": sys.argv[2] + "/www", "target": "/www", "read_only": True}
assert s["web"]["networks"]["front"]["aliases"] == ["shop"] and "back" in s["web"]["networks"]
assert s["web"]["healthcheck"]["interval"] == "2000ms" and s["web"]["healthcheck"]["retries"] == 5
assert "sleep 9" in s["worker"]["command"][2], s["worker"]["command"]
assert s["worker"]["scale"] == 2 and s["worker"]["mem_limit"] == 64 << 20
assert s["worker"]["depends_on"]["web"]["condition"] == "service_healthy"
assert s["db"]["volumes"][0]["source"] == "data"
assert c["networks"]["back"]["internal"] is True
PY
# The normalized output reads back to itself.
cp -r "$ex/www" "$tmp/www"
sed "s|$ex/www|./www|" "$tmp/out" >"$tmp/lochs.yml"
expect 0 "$LOCHS" compose -f "$tmp/lochs.yml" config --services
[ "$(cat "$tmp/out")" = "$(printf 'web\nworker\ndb')" ] || fail "services of the normalized file: $(cat "$tmp/out")"
# -p and the default file name; .env behind the environment.
mkdir "$tmp/proj" && cd "$tmp/proj"
printf 'services:\n  a: {image: "freebsd:${TAG}"}\n' >lochs.yml
echo TAG=13.5 >.env
expect 0 "$LOCHS" compose -p Other config
grep -q '^name: other$' "$tmp/out" && grep -q 'image: freebsd:13.5' "$tmp/out" || fail "-p and .env: $(cat "$tmp/out")"
expect 0 env TAG=15.0 "$LOCHS" compose config
grep -q 'image: freebsd:15.0' "$tmp/out" || fail "environment over .env: $(cat "$tmp/out")"

# Several -f merged in order, include: and profiles through the CLI.
printf 'services:\n  web: {image: freebsd:14.3, environment: [A=1, B=2], ports: ["8080:80"]}\n  dbg: {image: x, profiles: [debug]}\n' >base.yml
printf 'services:\n  web: {environment: {B: two}, ports: ["9090:90"]}\n' >over.yml
expect 0 "$LOCHS" compose -f base.yml --file=over.yml config
$PY - "$tmp/out" <<'PY' || fail "merged config: $(cat "$tmp/out")"
import sys, yaml
c = yaml.safe_load(open(sys.argv[1]))
w = c["services"]["web"]
assert list(c["services"]) == ["web"], c
assert w["environment"] == {"A": "1", "B": "two"} and w["ports"] == ["8080:80", "9090:90"], w
PY
# COMPOSE_FILE and COMPOSE_PROJECT_NAME when -f and -p are not given.
expect 0 env COMPOSE_FILE=base.yml:over.yml COMPOSE_PROJECT_NAME=envname "$LOCHS" compose config
grep -q '^name: envname$' "$tmp/out" && grep -q '9090:90' "$tmp/out" || fail "COMPOSE_FILE: $(cat "$tmp/out")"
expect 0 "$LOCHS" compose -f base.yml -f over.yml --profile debug config --services
[ "$(cat "$tmp/out")" = "$(printf 'web\ndbg')" ] || fail "--profile: $(cat "$tmp/out")"
expect 0 env COMPOSE_PROFILES=debug "$LOCHS" compose -f base.yml config --services
[ "$(cat "$tmp/out")" = "$(printf 'web\ndbg')" ] || fail "COMPOSE_PROFILES: $(cat "$tmp/out")"
mkdir inc && printf 'services:\n  cache: {image: freebsd:14.3}\n' >inc/cache.yml
printf 'include: [inc/cache.yml]\nservices:\n  web: {image: x, depends_on: [cache]}\n' >withinc.yml
expect 0 "$LOCHS" compose -f withinc.yml config --services
[ "$(cat "$tmp/out")" = "$(printf 'web\ncache')" ] || fail "include: $(cat "$tmp/out")"
# Secrets and configs read back (they were printed as a list).
echo s3 >s.txt
printf 'services:\n  a: {image: x, secrets: [{source: s, target: t, mode: 0400}], configs: [c]}\nsecrets: {s: {file: ./s.txt}}\nconfigs: {c: {content: hi}}\n' >sec.yml
expect 0 "$LOCHS" compose -f sec.yml config
cp "$tmp/out" again.yml
expect 0 "$LOCHS" compose -f again.yml config
cmp -s "$tmp/out" again.yml || fail "secrets do not read back: $(diff again.yml "$tmp/out")"

# Errors: one line, the place and the cause, exit 125.
printf 'services:\n  web:\n    image: x\n    dependson: [db]\n' >bad.yml
expect 125 "$LOCHS" compose -f bad.yml config
[ "$(cat "$tmp/err")" = 'lochs: bad.yml:4:5: services.web: unknown key `dependson` (did you mean `depends_on`?)' ] ||
	fail "unknown key: $(cat "$tmp/err")"
printf 'services:\n  web: {image: x, depends_on: [db]}\n  db: {image: x, depends_on: [web]}\n' >cycle.yml
expect 125 "$LOCHS" compose -f cycle.yml config
grep -q 'cycle.yml:2:32: services.web.depends_on: dependency cycle: web -> db -> web$' "$tmp/err" || fail "cycle: $(cat "$tmp/err")"
printf 'services:\n  web: {image: "${PASS:?set PASS}"}\n' >req.yml
expect 125 "$LOCHS" compose -f req.yml config
grep -q 'req.yml:2:16: required variable PASS is missing a value: set PASS$' "$tmp/err" || fail "required: $(cat "$tmp/err")"
printf 'services:\n  web: [\n' >syntax.yml
expect 125 "$LOCHS" compose -f syntax.yml config
grep -q '^lochs: syntax.yml:[0-9]*:[0-9]*: ' "$tmp/err" || fail "syntax: $(cat "$tmp/err")"
printf 'services:\n  web: {image: x, ports: ["99999:80"], cap_add: [NOPE]}\n' >port.yml
expect 125 "$LOCHS" compose -f port.yml config
grep -q 'port.yml:2:27: services.web.ports: 99999:80: port out of range$' "$tmp/err" || fail "bad port: $(cat "$tmp/err")"
printf 'services:\n  web: {image: x, cap_add: [NOPE]}\n' >cap.yml
expect 125 "$LOCHS" compose -f cap.yml config
grep -q 'cap.yml:2:29: services.web.cap_add: unknown capability NOPE$' "$tmp/err" || fail "bad capability: $(cat "$tmp/err")"
printf 'services:\n  web: {image: x, depends_on: [dbg]}\n  dbg: {image: x, profiles: [debug]}\n' >prof.yml
expect 125 "$LOCHS" compose -f prof.yml config
grep -q 'prof.yml:2:32: services.web.depends_on: service dbg is not enabled (profiles: debug; use --profile debug)$' "$tmp/err" ||
	fail "dependency left out by its profile: $(cat "$tmp/err")"
printf 'services:\n  web:\n    restart: sometimes\n' >over2.yml
expect 125 "$LOCHS" compose -f base.yml -f over2.yml config
grep -q 'over2.yml:3:14: services.web.restart: ' "$tmp/err" || fail "error in the second -f file: $(cat "$tmp/err")"
expect 2 "$LOCHS" compose -f base.yml -f
grep -q -- '-f needs a value' "$tmp/err" || fail "-f without a value: $(cat "$tmp/err")"
expect 125 "$LOCHS" compose -f nothere.yml config
grep -q 'nothere.yml: No such file' "$tmp/err" || fail "missing file: $(cat "$tmp/err")"
# develop.watch is printed and reads back the same (config of the output
# prints it again, unchanged).
cat >"$tmp/dev.yml" <<'YAML'
services:
  a:
    image: x
    develop:
      watch:
        - {path: ./src, action: sync, target: /app, ignore: ["*.tmp", node_modules/]}
        - {path: ./conf, action: restart}
YAML
expect 0 "$LOCHS" compose -f "$tmp/dev.yml" config
cp "$tmp/out" "$tmp/dev1.yml"
$PY - "$tmp/dev1.yml" <<'PY' || fail "develop in config: $(cat "$tmp/dev1.yml")"
import sys, yaml
w = yaml.safe_load(open(sys.argv[1]))["services"]["a"]["develop"]["watch"]
assert w == [{"path": "./src", "action": "sync", "target": "/app", "ignore": ["*.tmp", "node_modules/"]},
             {"path": "./conf", "action": "restart"}], w
PY
expect 0 "$LOCHS" compose -f "$tmp/dev1.yml" config
cmp -s "$tmp/dev1.yml" "$tmp/out" || fail "develop does not read back the same: $(diff "$tmp/dev1.yml" "$tmp/out")"
expect 125 "$LOCHS" compose --bogus config
rm lochs.yml
expect 125 "$LOCHS" compose config
grep -q 'no lochs.yml' "$tmp/err" || fail "no file: $(cat "$tmp/err")"
echo PASS
