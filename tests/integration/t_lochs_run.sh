#!/bin/sh
# The jail lifecycle through the lochs CLI, with the FreeBSD test image
# pulled from a loopback release mirror: foreground run (output, exit codes,
# pid 1, hostname), --rm, bad input, detached run with ps/logs/stop/start/
# rm, writes kept in the jail's upper layer, a read-only bind mount, a name
# conflict, the memory limit (137, OOMKilled) and a restart policy.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/lochs.sh"
jail_test run

# Foreground: output, pid 1, the hostname, the exit status passed through.
expect 0 "run" L run --rm --hostname box freebsd:14.3 /bin/sh -c 'echo hello; hostname; echo pid=$$'
[ "$out" = "hello
box
pid=1" ] || fail "run output: $out"
expect 7 "exit status" L run --rm freebsd:14.3 /bin/sh -c 'exit 7'
expect 127 "missing program" L run --rm freebsd:14.3 /no/such/program
expect 126 "not a program" L run --rm freebsd:14.3 /etc/motd
expect 125 "unknown flag" L run --bogus freebsd:14.3 true
[ "$(echo "$out" | wc -l)" = 1 ] || fail "bad flag: not one line: $out"
echo "$out" | grep -q "unknown flag --bogus" || fail "bad flag message: $out"
expect 125 "unknown image" L run --rm nosuch:1 true
echo "$out" | grep -q "no such image" || fail "unknown image message: $out"
[ -z "$(L ps -aq)" ] || fail "--rm left jails: $(L ps -a)"
# Each error is printed once (one stderr line per failing name), exit 125.
err_lines() { # WANT_LINES PATTERN ARGS...: exit 125, that many lines, the last matching
	n=$1 pat=$2; shift 2
	rc=0; L "$@" >/dev/null 2>"$S/err" || rc=$?
	[ "$rc" = 125 ] && [ "$(wc -l <"$S/err")" = "$n" ] && tail -n 1 "$S/err" | grep -q "$pat" ||
		fail "$*: exit $rc, want 125 and $n line(s) ending in '$pat': $(cat "$S/err")"
}
err_lines 1 "no such jail: nosuch" rm nosuch
err_lines 2 "no such jail: other" rm nosuch other
for c in stop kill restart pause unpause inspect; do err_lines 1 "no such jail: nosuch" $c nosuch; done
err_lines 1 "^lochs: no such volume: nosuch$" volume rm nosuch
err_lines 1 "^lochs: no such volume: nosuch$" volume inspect nosuch
err_lines 1 "no such image: nosuch" image inspect nosuch
err_lines 1 "invalid format 'xml'" ps --format xml
[ -z "$(ls "$S/jails" 2>/dev/null)" ] || fail "--rm left directories: $(ls "$S/jails")"

# -e, --env-file (and the image's PATH kept), -w, -u, --entrypoint.
printf 'FROMFILE=yes\n# a comment\n' >"$S/env"
expect 0 "env/workdir/user" L run --rm -e A=1 --env-file "$S/env" -w /tmp -u 80 freebsd:14.3 \
	/bin/sh -c 'echo "$A $FROMFILE $PATH"; pwd; id -u'
[ "$out" = "1 yes /sbin:/bin:/usr/sbin:/usr/bin
/tmp
80" ] || fail "env/workdir/user: $out"
# -u by name (the image's /etc/passwd: its uid and group), -h for --hostname.
expect 0 "-u www -h short" L run --rm -u www -h short freebsd:14.3 /bin/sh -c 'id -u; id -g; hostname'
[ "$out" = "80
80
short" ] || fail "-u www -h short: $out"
expect 125 "-u of an unknown name" L run --rm -u nosuchuser freebsd:14.3 true
expect 0 "--entrypoint" L run --rm --entrypoint /bin/echo freebsd:14.3 via entrypoint
[ "$out" = "via entrypoint" ] || fail "--entrypoint: $out"
expect 125 "bad env file" L run --rm --env-file "$S/none" freebsd:14.3 true
# --read-only: the root refuses writes, a --tmpfs stays writable.
expect 0 "--read-only" L run --rm --read-only --tmpfs /scratch freebsd:14.3 \
	/bin/sh -c '{ echo x > /etc/x; } 2>/dev/null && echo wrote-root; echo y > /scratch/y && cat /scratch/y'
[ "$out" = y ] || fail "--read-only/--tmpfs: $out"

# Stdin reaches the jail with -i.
expect 0 "run -i" sh -c "echo piped | build/bin/lochs --root $S run --rm -i freebsd:14.3 /bin/cat"
[ "$out" = piped ] || fail "run -i: $out"

# Detached: ps, logs, stop, start, rm.
id=$(L run -d --name web freebsd:14.3 /bin/sh -c 'echo started; while true; do sleep 1; done') || fail "run -d"
echo "$id" | grep -Eq '^[0-9a-f]{64}$' || fail "run -d printed $id"
L ps | grep -q ' web$' || fail "ps: $(L ps)"
n=0
until L logs web | grep -q started; do
	n=$((n + 1)); [ $n -lt 300 ] || fail "logs: $(L logs web)"; sleep 0.1
done
L stop -t 2 web >/dev/null || fail "stop"
L ps | grep -q ' web$' && fail "ps after stop: $(L ps)"
L ps -a | grep ' web$' | grep -q Exited || fail "ps -a after stop: $(L ps -a)"
[ "$(L logs web)" = started ] || fail "logs after stop: $(L logs web)"
L start web >/dev/null || fail "start"
L ps | grep -q ' web$' || fail "ps after start: $(L ps -a)"
expect 125 "rm of a running jail" L rm web
L rm -f web >/dev/null || fail "rm -f"
[ ! -e "$S/jails/$id" ] || fail "rm left $S/jails/$id"

# kill (default KILL: 137, or -s SIGNAL) and restart.
L run -d --name k freebsd:14.3 /bin/sh -c 'echo boot; while true; do sleep 1; done' >/dev/null || fail "run k"
until_ok "k running" sh -c "build/bin/lochs --root $S logs k | grep -q boot"
L restart -t 1 k >/dev/null || fail "restart"
until_ok "k restarted" sh -c "[ \$(build/bin/lochs --root $S logs k | grep -c boot) = 2 ]"
L ps | grep -q ' k$' || fail "k not running after restart: $(L ps -a)"
L kill k >/dev/null || fail "kill"
expect 0 "wait k" L wait k
[ "$out" = 137 ] || fail "kill: exit $out, want 137"
expect 125 "kill of a stopped jail" L kill k
expect 125 "kill with a bad signal" L kill -s NOPE k
L start k >/dev/null && L kill -s TERM k >/dev/null || fail "kill -s TERM"
expect 0 "wait k" L wait k
[ "$out" != 137 ] || fail "kill -s TERM was a KILL"
L rm k >/dev/null
L version | grep -Eq '^lochs version [0-9]' || fail "version: $(L version)"

# logs -f follows a running jail to its end; -n and -t shape the output.
L run -d --name counter freebsd:14.3 /bin/sh -c 'for i in 1 2 3 4 5; do echo line$i; sleep 0.2; done' >/dev/null ||
	fail "run counter"
expect 0 "logs -f" timeout 60 build/bin/lochs --root "$S" logs -f counter
[ "$out" = "line1
line2
line3
line4
line5" ] || fail "logs -f: $out"
[ "$(L logs -n 2 counter)" = "line4
line5" ] || fail "logs -n 2: $(L logs -n 2 counter)"
L logs -t counter | head -n 1 | grep -Eq '^20[0-9-]+T[0-9:.]+Z line1$' || fail "logs -t: $(L logs -t counter)"
L rm counter >/dev/null

# Writes stay in the jail's upper layer and go with it.
L run --name w freebsd:14.3 /bin/sh -c 'echo data > /etc/newfile' || fail "write run"
wid=$(L ps -aq | head -n 1)
wdir=$(ls -d "$S"/jails/"$wid"*)
[ "$(cat "$wdir/upper/etc/newfile")" = data ] || fail "write not in the upper layer"
ls "$S"/layers/*/root/etc/newfile 2>/dev/null && fail "write reached the image layer"
expect 1 "other jail" L run --rm freebsd:14.3 /bin/cat /etc/newfile
L rm w >/dev/null || fail "rm w"
[ ! -e "$wdir" ] || fail "rm left $wdir"

# A read-only bind mount.
mkdir "$S/host"
echo hostdata >"$S/host/f"
expect 1 "ro bind" L run --rm -v "$S/host:/data:ro" freebsd:14.3 /bin/sh -c 'cat /data/f; echo x > /data/g'
echo "$out" | grep -q hostdata || fail "ro bind not readable: $out"
[ ! -e "$S/host/g" ] || fail "write through a :ro bind mount"

# config.json is derived state (written without fsync): one a crash left
# empty is made again from the record at the next start.
rid=$(L create --name regen freebsd:14.3 /bin/echo regenerated) || fail "create regen"
: >"$S/jails/$rid/config.json"
expect 0 "start -a with an empty config.json" L start -a regen
[ "$out" = regenerated ] || fail "regenerated config: $out"
L rm regen >/dev/null

# Names are unique.
L create --name dup freebsd:14.3 true >/dev/null || fail "create"
expect 125 "name conflict" L create --name dup freebsd:14.3 true
echo "$out" | grep -q '"dup" is already in use' || fail "conflict message: $out"
L rm dup >/dev/null || fail "rm dup"

# The memory limit: the OOM killer's kill is 137 and OOMKilled.
rc=0
L run --name hog -m 32m freebsd:14.3 /bin/sh -c 'x=abcdefgh; while :; do x="$x$x"; done' >/dev/null 2>&1 || rc=$?
[ $rc = 137 ] || fail "memory limit: exit $rc, want 137"
L inspect hog | grep -q '"OOMKilled": true' || fail "inspect: no OOMKilled: $(L inspect hog)"
# Docker's events: oom, then die.
[ "$(L events --since 1h --until 0s --filter jail=hog | sed -n 's/^[^ ]* jail \(oom\|die\) .*/\1/p' | tr '\n' ' ')" = "oom die " ] ||
	fail "oom events: $(L events --since 1h --until 0s --filter jail=hog)"
L rm hog >/dev/null

# on-failure:3 restarts exactly three times.
L run -d --name flaky --restart on-failure:3 freebsd:14.3 /bin/sh -c 'echo run; exit 3' >/dev/null || fail "run flaky"
# Back-off: 0.1 + 0.2 + 0.4 s; the monitor exits after the last run.
n=0
until L inspect flaky | grep -q '"RestartCount": 3' && [ -z "$(L ps -q)" ]; do
	n=$((n + 1)); [ $n -lt 300 ] || fail "flaky: $(L inspect flaky)"; sleep 0.1
done
expect 0 "wait" L wait flaky
[ "$out" = 3 ] || fail "wait printed $out"
[ "$(L logs flaky | grep -c run)" = 4 ] || fail "on-failure:3 ran $(L logs flaky | grep -c run) times, want 4"
L inspect flaky | grep -q '"RestartCount": 3' || fail "RestartCount: $(L inspect flaky)"
L rm flaky >/dev/null
# always: restarted after a successful exit too, until stop; stop ends it
# (no restart after), and start brings it back.
L run -d --name always --restart always freebsd:14.3 /bin/sh -c 'echo run; sleep 0.2' >/dev/null || fail "run always"
runs_at_least() { [ "$(L logs always | grep -c run)" -ge "$1" ]; }
until_ok "always: three runs" runs_at_least 3
expect 0 "stop always" L stop -t 2 always
n=$(L logs always | grep -c run)
sleep 1
[ "$(L logs always | grep -c run)" = "$n" ] || fail "always: restarted after stop"
L ps | grep -q always && fail "always: running after stop"
expect 0 "start always" L start always
until_ok "always: runs again" runs_at_least $((n + 1))
L rm -f always >/dev/null
echo "ok"
