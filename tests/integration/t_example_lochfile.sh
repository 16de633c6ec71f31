#!/bin/sh
# The example Lochfiles build and run (root only). examples/lochfile-web:
# a COPY of a tree (less .lochignore), a RUN of /bin/sh pipelines, ENV,
# WORKDIR, USER, EXPOSE, HEALTHCHECK and a shell-form CMD serving the site
# with httpd-lite: it answers on its published port on 127.0.0.1, exec
# shows the user, working directory and environment, the health check
# turns it healthy; an unchanged rebuild takes every step from the cache,
# a changed page rebuilds from its COPY on. examples/lochfile-multistage:
# a builder stage makes the site, the scratch result holds only the
# server binary and the site (two layers, no shell) and serves them.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/lochs.sh"
C=
at_exit() { [ -z "$C" ] || rm -rf "$C"; }
jail_test example-lochfile
LOCHS=$ROOT/$LOCHS
C=$(mktemp -d /tmp/lochs-example-lochfile.XXXXXX)
# A copy of the web example: the test changes a page in it.
cp -a examples/lochfile-web "$C/web"
get() { python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode(), end="")' "$1"; }
field() { # IMAGE PYTHON-EXPRESSION-OF-j: a value of its inspect
	L image inspect "$1" | python3 -c "import json, sys; j = json.load(sys.stdin)[0]; print($2)"
}

# The web example: built, run with a published port, asked over HTTP (on
# a network of this test's own: lochs0 is shared with other roots).
expect 0 "network" L network create exnet
expect 0 "build web" L build -t web:1 "$C/web"
steps=$(echo "$out" | grep -c '^STEP ')
id1=$(echo "$out" | tail -n 1)
PORT=$(lochs_free_port)
expect 0 "run web" L run -d --name web --network exnet -p "127.0.0.1:$PORT:8080" web:1
until_ok "web on 127.0.0.1:$PORT" lochs_http_ok "http://127.0.0.1:$PORT/"
page=$(get "http://127.0.0.1:$PORT/") || fail "GET /"
echo "$page" | grep -q '<h1>Hello from a FreeBSD jail</h1>' || fail "index: $page"
pages=$(get "http://127.0.0.1:$PORT/pages.html") || fail "GET /pages.html"
[ "$pages" = '<ul>
<li><a href="about.html">about.html</a></li>
<li><a href="index.html">index.html</a></li>
</ul>' ] || fail "the page the RUN made: $pages"
[ "$(get "http://127.0.0.1:$PORT/css/site.css")" = 'body { font-family: sans-serif; }' ] || fail "the copied tree's css"
expect 0 "exec" L exec web /bin/sh -c 'id -un; pwd; echo "$SITE_ROOT $PORT"; cat files.count; ls'
[ "$(echo "$out" | head -n 4)" = "www
/usr/local/www/site
/usr/local/www/site 8080
4" ] || fail "user, workdir, env, files: $out"
echo "$out" | grep -q 'orig' && fail ".lochignore let the draft in: $out"
until_ok "web healthy from its HEALTHCHECK" sh -c "'$LOCHS' --root '$S' ps | grep -q '(healthy)'"
[ "$(field web:1 'j["Config"]["ExposedPorts"]')" = "{'8080/tcp': {}}" ] || fail "EXPOSE"
[ "$(field web:1 'j["Config"]["Cmd"]')" = "['/bin/sh', '-c', '/usr/local/bin/httpd-lite -q -p \"\$PORT\" -d \"\$SITE_ROOT\"']" ] ||
	fail "CMD: $(field web:1 'j["Config"]["Cmd"]')"
expect 0 "rm web" L rm -f web

# Unchanged: every step cached, the same image; a changed page rebuilds
# from its COPY on (ENV and WORKDIR before it stay cached).
expect 0 "rebuild" L build -t web:1 "$C/web"
[ "$(echo "$out" | grep -c '^--> Using cache')" = $((steps - 1)) ] || fail "not every step cached: $out"
[ "$(echo "$out" | tail -n 1)" = "$id1" ] || fail "an unchanged rebuild changed the image: $out"
echo '<p>changed</p>' >> "$C/web/site/about.html"
expect 0 "rebuild after a change" L build -t web:1 "$C/web"
copy=$(echo "$out" | grep -n '^STEP [0-9]*/[0-9]*: COPY' | cut -d: -f1)
[ "$(echo "$out" | head -n "$copy" | grep -c '^--> Using cache')" -ge 2 ] || fail "steps before the COPY rebuilt: $out"
[ "$(echo "$out" | tail -n +"$copy" | grep -c '^--> Using cache')" = 0 ] || fail "steps from the COPY on cached: $out"
expect 0 "changed page" L run --rm web:1 /bin/cat about.html
echo "$out" | grep -q '<p>changed</p>' || fail "changed page not in the image: $out"

# The multi-stage example: only the binary and the site from the builder.
expect 0 "build multistage" L build -t ms:1 --build-arg VERSION=2.5 examples/lochfile-multistage
[ "$(field ms:1 'len(j["RootFS"]["Layers"])')" = 2 ] || fail "the scratch image is not two layers"
PORT2=$(lochs_free_port)
expect 0 "run multistage" L run -d --name ms --network exnet -p "127.0.0.1:$PORT2:8081" ms:1
until_ok "multistage on 127.0.0.1:$PORT2" lochs_http_ok "http://127.0.0.1:$PORT2/"
page=$(get "http://127.0.0.1:$PORT2/") || fail "GET / of the multistage image"
[ "$page" = '<h1>release 2.5</h1>
<p>First paragraph.</p>
<p>Second paragraph.</p>' ] || fail "multistage page: $page"
[ "$(get "http://127.0.0.1:$PORT2/version.txt")" = 2.5 ] || fail "version.txt"
expect 0 "rm ms" L rm -f ms
# No shell in it: only /bin/httpd-lite and /www.
expect 127 "no shell in the scratch image" L run --rm --entrypoint /bin/sh ms:1 -c true
echo ok
