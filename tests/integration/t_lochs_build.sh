#!/bin/sh
# lochs build with the FreeBSD test image as base: a Lochfile with ARG,
# FROM, RUN with /bin/sh pipelines, COPY of a tree (.lochignore with a
# "!" exception), COPY --from a builder stage, --chown/--chmod, ADD of a
# local archive, ENV, WORKDIR, USER, EXPOSE, HEALTHCHECK, LABEL and CMD;
# the result run and its files, environment, user, working directory and
# default command checked; HEALTHCHECK NONE, STOPSIGNAL (sent by lochs
# stop), VOLUME, --label, two -t, a COPY glob through .dockerignore;
# --target; an unchanged rebuild takes every step from the cache (same
# image id), a changed copied file rebuilds from its COPY on; a parse
# error, an unset ${VAR:?}, a failing RUN and a hostile COPY tag nothing and leave no build
# jail, mount or state row; Ctrl-C stops a RUN cleanly (exit 130); a build
# killed mid-RUN has its jail removed by the next build; Dockerfile when
# there is no Lochfile; -q prints the id; RUN and COPY heredocs; COPY onto
# the image's symlinks (and WORKDIR) follows them, inside the image.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/lochs.sh"
C=
at_exit() { [ -z "$C" ] || rm -rf "$C"; [ -z "${esc:-}" ] || rm -rf "$esc"; }
jail_test build
C=$(mktemp -d /tmp/lochs-build-ctx.XXXXXX)
start=$(date -u +%Y-%m-%dT%H:%M:%SZ)

# No build jail, no mount of this root, no jail row: what a build leaves.
no_leftovers() {
	[ -z "$(L ps -aq)" ] || fail "$1: jails left: $(L ps -a)"
	! grep -q "$S/jails" /proc/mounts || fail "$1: mounts left: $(grep "$S/jails" /proc/mounts)"
	[ "$(sqlite3 "$S/lochs.db" 'SELECT count(*) FROM jails')" = 0 ] || fail "$1: jail rows left"
	[ -z "$(ls "$S/jails" 2>/dev/null)" ] || fail "$1: jail directories left: $(ls "$S/jails")"
	# Every build jail so far (from the events) has no cgroup left.
	ids=$(L events --since "$start" --until "$(date -u -d '+1 min' +%Y-%m-%dT%H:%M:%SZ)" |
		sed -n 's/.* jail create \([0-9a-f]*\) (name=lochs-build-.*/\1/p')
	[ -n "$ids" ] || fail "$1: no build jail in the events"
	for id in $ids; do
		! ls -d /sys/fs/cgroup/*/lochs/"$id"* /sys/fs/cgroup/lochs/"$id"* 2>/dev/null | grep -q . ||
			fail "$1: cgroups of build jail $id left"
	done
}
# The error of the last expect is one line naming PATTERN.
one_line() {
	[ "$(printf '%s\n' "$out" | grep -c '^lochs: ')" = 1 ] || fail "not one error line: $out"
	printf '%s\n' "$out" | grep -q "^lochs: $1" || fail "error lacks '$1': $out"
}

mkdir -p "$C/app/tree/sub" "$C/app/pkg/opt/tool"
cd "$C/app"
echo one > tree/a.txt
echo two > tree/sub/b.txt
echo hidden > tree/secret.key
mkdir -p tree/cache/deep
echo keep > tree/cache/keep.txt
echo drop > tree/cache/drop.txt
echo deep > tree/cache/deep/x
printf 'tree/*.key\ntree/cache\n!tree/cache/keep.txt\n' > .lochignore
echo 'listen 8080' > conf.txt
echo 'tool v1' > pkg/opt/tool/VERSION
tar -czf tool.tgz -C pkg opt
cat > Lochfile <<'EOF'
# syntax=docker/dockerfile:1
ARG BASE=freebsd:14.3
FROM ${BASE} AS builder
RUN mkdir -p /out && echo "built by builder" > /out/app && echo extra > /out/other
FROM $BASE
ARG WHO=world
ENV GREETING="hello $WHO" \
    APP_HOME=/srv/app
LABEL org.example.who=$WHO
WORKDIR $APP_HOME
COPY tree ./tree/
COPY --from=builder /out/app /usr/local/bin/app
ADD tool.tgz /
RUN seq 1 10 | grep 1 | wc -l > count && echo "$GREETING" > greet && rm /etc/motd
COPY --chown=www:www --chmod=0640 conf.txt /srv/
USER www
EXPOSE 8080 53/udp
HEALTHCHECK --interval=200ms --retries=2 CMD test -f /srv/app/greet
CMD ["/bin/cat", "/srv/app/greet"]
EOF
cd "$ROOT"
steps=16
expect 0 "build" L build -t app:1 --build-arg WHO=lochs "$C/app"
echo "$out" | grep -q 'Warning' && fail "a consumed build arg warned: $out"
echo "$out" | grep -q "^STEP 1/$steps: FROM \${BASE} AS builder$" || fail "step lines: $out"
echo "$out" | grep -q "^STEP $steps/$steps: CMD" || fail "last step: $out"
echo "$out" | grep -q '^Successfully tagged app:1$' || fail "tag line: $out"
id1=$(echo "$out" | tail -n 1)
echo "$id1" | grep -Eq '^[0-9a-f]{64}$' || fail "last line is not the id: $id1"
no_leftovers "build"

# The default command, then files, environment, user and working directory.
expect 0 "run default command" L run --rm app:1
[ "$out" = "hello lochs" ] || fail "default command: $out"
expect 0 "run checks" L run --rm app:1 /bin/sh -c 'id -un; pwd; echo "$GREETING"; echo $(cat count);
	cat tree/a.txt tree/sub/b.txt /usr/local/bin/app /opt/tool/VERSION;
	test -e tree/secret.key || echo no-secret; ls -R tree/cache; test -e /etc/motd || echo no-motd;
	test -e /usr/local/bin/other || echo no-other; ls -ln /srv/conf.txt'
want="www
/srv/app
hello lochs
2
one
two
built by builder
tool v1
no-secret
keep.txt
no-motd
no-other"
[ "$(echo "$out" | head -n 12)" = "$want" ] || fail "in the jail: $out"
echo "$out" | tail -n 1 | grep -Eq '^-rw-r----- +1 +80 +80 .*/srv/conf.txt$' || fail "--chown/--chmod: $out"
expect 0 "inspect" L image inspect app:1
for k in '"User": "www"' '"WorkingDir": "/srv/app"' '"8080/tcp": {}' '"53/udp": {}' '"org.example.who": "lochs"' \
	'"Interval": 200000000' '"Retries": 2' '"CMD-SHELL"' '"APP_HOME=/srv/app"'; do
	echo "$out" | grep -qF "$k" || fail "inspect lacks $k: $out"
done
# The image's HEALTHCHECK runs in a jail of it; an ENTRYPOINT drops the
# CMD the base image had (Docker's rule), a CMD after it stays.
expect 0 "run -d" L run -d --name hc --network none app:1 /bin/sleep 300
until_ok "healthy from the image's HEALTHCHECK" sh -c "'$LOCHS' --root '$S' ps | grep -q '(healthy)'"
expect 0 "rm hc" L rm -f hc
mkdir -p "$C/ep"
printf 'FROM freebsd:14.3\nENTRYPOINT ["/bin/echo", "ep"]\n' > "$C/ep/Lochfile"
expect 0 "entrypoint" L build -t ep:1 --build-arg NOPE=1 --build-arg http_proxy=x "$C/ep"
echo "$out" | grep -qxF '[Warning] One or more build-args [NOPE] were not consumed' || fail "unused build arg: $out"
expect 0 "entrypoint run" L run --rm ep:1
[ "$out" = ep ] || fail "ENTRYPOINT kept the base image's CMD: $out"
printf 'FROM freebsd:14.3\nENTRYPOINT ["/bin/echo", "ep"]\nCMD ["arg"]\n' > "$C/ep/Lochfile"
expect 0 "entrypoint+cmd" L build -t ep:1 "$C/ep"
expect 0 "entrypoint+cmd run" L run --rm ep:1
[ "$out" = "ep arg" ] || fail "ENTRYPOINT + CMD: $out"

# Unchanged: every step from the cache, the same image.
expect 0 "rebuild" L build -t app:1 --build-arg WHO=lochs "$C/app"
[ "$(echo "$out" | grep -c '^--> Using cache')" = $((steps - 2)) ] || fail "not every step cached: $out"
[ "$(echo "$out" | tail -n 1)" = "$id1" ] || fail "cached rebuild changed the image: $out"
# Another build arg changes the steps after the ARG only.
expect 0 "build arg" L build -t app:2 --build-arg WHO=you "$C/app"
echo "$out" | grep -A1 'STEP 2/' | grep -q 'Using cache' || fail "builder stage not cached: $out"
echo "$out" | grep -A1 "STEP $steps/" | grep -q 'Using cache' && fail "step after a changed ARG cached: $out"
# A changed copied file: cached up to its COPY, rebuilt from there on.
echo two-changed > "$C/app/tree/sub/b.txt"
expect 0 "rebuild after change" L build -t app:1 --build-arg WHO=lochs "$C/app"
copy=$(echo "$out" | grep -n '^STEP [0-9]*/[0-9]*: COPY tree' | cut -d: -f1)
echo "$out" | head -n $((copy - 1)) | grep -A1 '^STEP [0-9]*/[0-9]*: \(RUN\|ENV\|LABEL\|WORKDIR\)' | grep -q '^--> Using cache' ||
	fail "steps before the COPY not cached: $out"
[ "$(echo "$out" | tail -n +"$copy" | grep -c '^--> Using cache')" = 0 ] || fail "steps from the COPY on cached: $out"
expect 0 "changed file" L run --rm app:1 /bin/cat tree/sub/b.txt
[ "$out" = two-changed ] || fail "changed file in the image: $out"
L images | grep -q '^<none>' || fail "the replaced app:1 is not left untagged: $(L images)"

# --target: the builder stage alone.
expect 0 "target" L build -q --target builder -t builder:1 "$C/app"
echo "$out" | grep -Eq '^[0-9a-f]{64}$' || fail "-q prints the id only: $out"
expect 0 "target content" L run --rm builder:1 /bin/cat /out/app
[ "$out" = "built by builder" ] || fail "builder stage: $out"

# ONBUILD triggers run after a FROM of the image; SHELL and the shell
# form of CMD; ADD of a URL (the loopback mirror) checked by --checksum;
# RUN --network=none; --progress tty shows RUN output only on failure.
mkdir -p "$C/base" "$C/child"
printf 'FROM freebsd:14.3\nONBUILD RUN echo triggered > /trig\n' > "$C/base/Lochfile"
expect 0 "onbuild base" L build -t obase:1 "$C/base"
sum=$(sha256sum build/corpus/image/mirror/14.3-RELEASE/MANIFEST | cut -d' ' -f1)
cat > "$C/child/Lochfile" <<EOF
FROM obase:1
SHELL ["/bin/sh", "-ec"]
ADD --checksum=sha256:$sum ${MIRROR_URL}14.3-RELEASE/MANIFEST /m/
RUN --network=none echo visible-marker
CMD echo "shell form \$0"
EOF
expect 0 "onbuild child" L build --progress tty -t ochild:1 "$C/child"
echo "$out" | grep -q "^visible-marker$" && fail "--progress tty showed RUN output: $out"
expect 0 "onbuild result" L run --rm ochild:1 /bin/sh -c 'cat /trig; grep -c base.txz /m/MANIFEST'
[ "$out" = "triggered
1" ] || fail "ONBUILD / ADD URL: $out"
expect 0 "shell form CMD" L run --rm ochild:1
[ "$out" = "shell form /bin/sh" ] || fail "SHELL + CMD shell form: $out"
expect 0 "plain progress" L build --no-cache -t ochild:1 "$C/child"
echo "$out" | grep -q '^visible-marker$' || fail "plain progress hides RUN output: $out"
sed -i "s/sha256:$sum/sha256:$(echo x | sha256sum | cut -d' ' -f1)/" "$C/child/Lochfile"
expect 125 "ADD checksum mismatch" L build --no-cache -t ochild:2 "$C/child"
one_line 'Lochfile:3: ADD: .*sha256 mismatch'
[ -z "$(ls "$S/images/tmp" | grep build-src)" ] || fail "the failed ADD left its download: $(ls "$S/images/tmp")"

# Heredocs: a lone one is the RUN script, one after a command its stdin;
# COPY <<WORD writes the text as a file (substituted unless 'WORD').
mkdir -p "$C/hd"
printf '%s\n' 'FROM freebsd:14.3' 'ARG X=argval' 'RUN <<EOF' 'echo "script $X" > /s' 'seq 1 3 | wc -l >> /s' 'EOF' \
	'RUN cat > /g <<-END && echo appended >> /g' '	hello $X' '	END' 'COPY <<CONF /etc/app.conf' 'key=$X' 'CONF' "COPY <<'RAW' /raw" 'raw $X' 'RAW' > "$C/hd/Lochfile"
expect 0 "heredoc build" L build -t hd:1 "$C/hd"
expect 0 "heredoc result" L run --rm hd:1 /bin/sh -c 'cat /s /g /etc/app.conf /raw'
[ "$(echo "$out" | tr -s ' ')" = "script argval
 3
hello argval
appended
key=argval
raw \$X" ] || fail "heredocs: $out"

# On top of app:1: the scope of a global ARG, HEALTHCHECK NONE drops its check, STOPSIGNAL is what
# lochs stop sends, VOLUME, --label added to the inherited labels, two
# -t, a COPY glob through .dockerignore (there is no .lochignore).
mkdir -p "$C/meta/src"
for f in one.conf two.conf gone.conf skip.txt; do echo "$f" > "$C/meta/src/$f"; done
echo 'src/gone.conf' > "$C/meta/.dockerignore"
printf '%s\n' 'ARG G=global' 'FROM app:1' 'ENV BEFORE=[$G]' 'ARG G' 'ENV AFTER="[${G:?}]"' 'HEALTHCHECK NONE' \
	'STOPSIGNAL SIGINT' 'VOLUME ["/data"]' 'COPY src/*.conf /etc/conf.d/' 'CMD ["/bin/lochsbox", "trapsig"]' > "$C/meta/Lochfile"
expect 0 "meta build" L build -t meta:1 -t meta:two --label org.example.extra=yes "$C/meta"
[ "$(L images | grep -c '^meta ')" = 2 ] || fail "two -t: $(L images)"
expect 0 "meta inspect" L image inspect meta:two
# A global ARG is seen in a stage only once the stage declares it.
for k in '"BEFORE=[]"' '"AFTER=[global]"' \
	'"StopSignal": "SIGINT"' '"/data": {}' '"org.example.extra": "yes"' '"org.example.who": "lochs"' '"NONE"'; do
	echo "$out" | grep -qF "$k" || fail "meta inspect lacks $k: $out"
done
expect 0 "meta files" L run --rm meta:1 /bin/ls /etc/conf.d
[ "$out" = "one.conf
two.conf" ] || fail "COPY glob less .dockerignore: $out"
expect 0 "meta run" L run -d --name meta --network none meta:1
until_ok "trapsig waiting" sh -c "'$LOCHS' --root '$S' logs meta | grep -q waiting"
L ps | grep meta | grep -q '(' && fail "HEALTHCHECK NONE left a health check: $(L ps)"
expect 0 "meta stop" L stop meta
L logs meta | grep -q '^trapsig: got SIGINT$' || fail "stop did not send the image's STOPSIGNAL: $(L logs meta)"
expect 0 "rm meta" L rm meta

# COPY onto the image's symlinks follows them inside the image, as Docker
# does: a relative one, an absolute one and one climbing far above the
# root all land in the image (never on the host), WORKDIR makes its
# directory through one; the links stay links. A named source that is a
# link is copied as its target, under its own name (BuildKit's rule).
mkdir -p "$C/lk/links/real"
echo keep > "$C/lk/links/real/keep"
ln -s real "$C/lk/links/dirlink"
ln -s /srv/real "$C/lk/links/abslink"
esc=$(mktemp -u /tmp/lochs-build-esc.XXXXXX)
ln -s "../../../../../../../../../../../../../../../..$esc" "$C/lk/links/esc"
echo a > "$C/lk/a.txt"
ln -s links/real/keep "$C/lk/keeplink"
printf '%s\n' 'FROM freebsd:14.3' 'COPY links/ /srv/' 'COPY a.txt /srv/dirlink' 'COPY a.txt /srv/abslink/b.txt' \
	'COPY a.txt /srv/esc/new/c.txt' 'WORKDIR /srv/dirlink/app' 'COPY a.txt w.txt' 'COPY keeplink /etc/' > "$C/lk/Lochfile"
expect 0 "COPY onto symlinks" L build -t lk:1 "$C/lk"
[ ! -e "$esc" ] || fail "COPY through a symlink wrote outside the image: $esc"
expect 0 "symlinks followed" L run --rm lk:1 /bin/sh -c \
	"cat /srv/real/a.txt /srv/real/b.txt $esc/new/c.txt /srv/real/app/w.txt w.txt; [ -L /etc/keeplink ] || cat /etc/keeplink
	[ -L /srv/dirlink ] && [ -L /srv/abslink ] && [ -L /srv/esc ] && echo links"
[ "$out" = "a
a
a
a
a
keep
links" ] || fail "COPY and WORKDIR onto symlinks: $out"

# Failures: nothing tagged, nothing left.
mkdir -p "$C/bad"
printf 'FROM freebsd:14.3\nARG NEED\nENV X="${NEED:?set NEED first}"\n' > "$C/bad/Lochfile.need"
expect 125 "\${NEED:?}" L build -f "$C/bad/Lochfile.need" -t bad:1 "$C/bad"
one_line "$C/bad/Lochfile.need:3: ENV: NEED: set NEED first"
printf 'FROM freebsd:14.3\nSTOPSIGNAL SIGFOO\n' > "$C/bad/Lochfile"
expect 125 "bad STOPSIGNAL" L build -t bad:1 "$C/bad"
one_line "Lochfile:2: STOPSIGNAL: unknown signal SIGFOO"
printf 'FROM freebsd:14.3\nRUN true\n\nFROBNICATE x\n' > "$C/bad/Lochfile"
expect 125 "parse error" L build -t bad:1 "$C/bad"
one_line "Lochfile:4: FROBNICATE: unknown instruction"
printf 'FROM freebsd:14.3\nRUN echo partial > /p && exit 7\nCMD ["/bin/true"]\n' > "$C/bad/Lochfile"
expect 125 "failing RUN" L build -t bad:1 "$C/bad"
one_line 'Lochfile:2: RUN: command "echo partial > /p && exit 7" failed: exit code 7'
no_leftovers "failing RUN"
echo secret > "$C/outside"
printf 'FROM freebsd:14.3\nCOPY ../outside /x\n' > "$C/bad/Lochfile"
expect 125 "hostile COPY" L build -t bad:1 "$C/bad"
one_line 'Lochfile:2: COPY: ../outside: outside the build context'
printf 'FROM freebsd:14.3\nCOPY --from=nostage /x /x\n' > "$C/bad/Lochfile"
expect 125 "target missing" L build --target nope -t bad:1 "$C/bad"
one_line 'Lochfile: target stage "nope" could not be found'
L images | grep -q '^bad ' && fail "a failed build was tagged: $(L images)"
no_leftovers "failures"

# Ctrl-C in the middle of a RUN: exit 130, the step's jail removed.
mkdir -p "$C/slow"
printf 'FROM freebsd:14.3\nRUN sleep 60\n' > "$C/slow/Lochfile"
"$LOCHS" --root "$S" build -t intr:1 "$C/slow" >/dev/null 2>&1 &
bpid=$!
until_ok "the build jail" sh -c "'$LOCHS' --root '$S' ps -q | grep -q ."
kill -INT "$bpid"
rc=0
wait "$bpid" || rc=$?
[ "$rc" = 130 ] || fail "interrupted build: exit $rc, want 130"
no_leftovers "interrupted build"
# A build killed in the middle of a RUN: the next build removes its jail.
"$LOCHS" --root "$S" build "$C/slow" >/dev/null 2>&1 &
bpid=$!
until_ok "the build jail" sh -c "'$LOCHS' --root '$S' ps -q | grep -q ."
kill -9 "$bpid"
wait "$bpid" 2>/dev/null || true
# Dockerfile when there is no Lochfile.
mkdir -p "$C/docker"
printf 'FROM freebsd:14.3\nRUN echo from-dockerfile > /f\n' > "$C/docker/Dockerfile"
expect 0 "Dockerfile" L build -t dock:1 "$C/docker"
no_leftovers "after a killed build"
expect 0 "Dockerfile result" L run --rm dock:1 /bin/cat /f
[ "$out" = from-dockerfile ] || fail "Dockerfile build: $out"
# -f - reads the Lochfile from standard input.
out=$(printf 'FROM freebsd:14.3\nRUN echo from-stdin > /f\n' | L build -q -f - -t stdin:1 "$C/docker") || fail "-f -: $out"
expect 0 "-f - result" L run --rm stdin:1 /bin/cat /f
[ "$out" = from-stdin ] || fail "-f - build: $out"
echo ok
