#!/bin/sh
# Compose secrets and configs in jails (root only): a file secret at
# /run/secrets/NAME, an environment one at its long-form target with its
# mode, a file config at /NAME and a content one at an absolute target,
# all read-only; the project comes from two -f files merged, and a service
# with a profile is made only with --profile.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/lochs.sh"
jail_test compose_secrets
LOCHS=$ROOT/$LOCHS # the test runs in the project folder
T() { timeout 120 "$LOCHS" --root "$S" "$@"; }
at_exit() { [ -d "$S/proj" ] && (cd "$S/proj" && T compose -f lochs.yml -f more.yml --profile debug down >/dev/null 2>&1); true; }
P=$S/proj
mkdir -p "$P"
printf 's3cret-token\n' >"$P/token.txt"
printf 'level=debug\n' >"$P/app.conf"
cat >"$P/lochs.yml" <<'YAML'
name: csec
services:
  app:
    image: freebsd:14.3
    command: sleep 300
    secrets: [token]
    configs: [app_conf]
secrets:
  token: {file: ./token.txt}
  api_key: {environment: CSEC_KEY}
configs:
  app_conf: {file: ./app.conf}
  inline: {content: "hello from content"}
YAML
# The second file adds to app (merged lists) and adds a service with a profile.
cat >"$P/more.yml" <<'YAML'
services:
  app:
    secrets: [{source: api_key, target: apikey, mode: 0400}]
    configs: [{source: inline, target: /etc/inline.conf}]
  debug:
    image: freebsd:14.3
    command: sleep 300
    profiles: [debug]
YAML
cd "$P"
export CSEC_KEY=key-from-env
C() { T compose -f lochs.yml -f more.yml "$@"; }
expect 0 "up -d" C up -d
T inspect csec-debug-1 >/dev/null 2>&1 && fail "a service with a profile was made without --profile"
in_app() { T exec csec-app-1 "$@"; }
[ "$(in_app cat /run/secrets/token)" = s3cret-token ] || fail "file secret: $(in_app cat /run/secrets/token 2>&1)"
[ "$(in_app cat /run/secrets/apikey)" = key-from-env ] || fail "environment secret: $(in_app cat /run/secrets/apikey 2>&1)"
[ "$(in_app cat /app_conf)" = level=debug ] || fail "file config: $(in_app cat /app_conf 2>&1)"
[ "$(in_app cat /etc/inline.conf)" = "hello from content" ] || fail "content config: $(in_app cat /etc/inline.conf 2>&1)"
mode=$(in_app ls -ln /run/secrets/apikey | cut -c1-10)
[ "$mode" = "-r--------" ] || fail "mode 0400 of the environment secret: $(in_app ls -ln /run/secrets/apikey)"
cmode=$(in_app ls -ln /etc/inline.conf | cut -c1-10)
[ "$cmode" = "-r--r--r--" ] || fail "default mode 0444: $(in_app ls -ln /etc/inline.conf)"
# Read-only in the jail, and the host file is untouched.
in_app sh -c 'echo changed >/run/secrets/token' 2>/dev/null && fail "a secret is writable"
in_app sh -c 'echo changed >/etc/inline.conf' 2>/dev/null && fail "a config is writable"
[ "$(cat token.txt)" = s3cret-token ] || fail "host secret file changed"
# A second apply is a no-op; the profile brings the other service.
out=$(C up -d 2>&1) || fail "second up: $out"
expect 0 "plan up to date" T plan -f lochs.yml -f more.yml
expect 2 "plan with --profile" T plan -f lochs.yml -f more.yml --profile debug
expect 0 "up --profile debug" C --profile debug up -d
T inspect csec-debug-1 >/dev/null || fail "--profile debug did not make csec-debug-1"
# A changed content recreates the service (it is in the config hash).
sed -i 's/hello from content/hello again/' lochs.yml
expect 2 "plan after a content change" T plan -f lochs.yml -f more.yml --profile debug
expect 0 "up after a content change" C --profile debug up -d
[ "$(in_app cat /etc/inline.conf)" = "hello again" ] || fail "new content: $(in_app cat /etc/inline.conf 2>&1)"
# An unset variable is one line naming the secret.
unset CSEC_KEY
expect 125 "unset variable" C config
msg=$(C config 2>&1 | head -1)
case $msg in *"lochs.yml:10:"*"secrets.api_key: variable CSEC_KEY is not set"*) ;; *) fail "unset variable message: $msg" ;; esac
export CSEC_KEY=key-from-env
expect 0 "down" C --profile debug down
[ -z "$(T ps -aq)" ] || fail "jails left after down: $(T ps -a)"
echo PASS
