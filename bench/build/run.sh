#!/bin/sh
# lochs build (issue 7 targets), medians of runs on the FreeBSD test image:
# (a) a fully cached rebuild of a 10-instruction Lochfile (every step
#     "Using cache"): target <= 200 ms;
# (b) the cold build of the same file (--no-cache: two RUN jails, two
#     COPY layers), reported; against `docker build --no-cache` of the
#     same file FROM a Linux base (a `docker import` of a static busybox
#     and its applets) when an engine answers and busybox-static is here,
#     timed the same way (reported, not a target); SKIP otherwise.
# Each against `lochs version` of the same binary for a ratio. RUN steps
# use --network none (nothing left on the host's network; the default
# network adds its veth setup per RUN). Needs root and the test image;
# SKIP without them.
set -eu
cd "$(dirname "$0")/../.."
top=$(pwd)
N=${BENCH_BUILD_N:-15}
NCOLD=${BENCH_BUILD_COLD_N:-5}
LOCHS=$top/build/bin/lochs
MIRROR_DIR=build/corpus/image/mirror
if [ "$(id -u)" != 0 ] || [ ! -f "$MIRROR_DIR/14.3-RELEASE/base.txz" ]; then
	echo "lochs build: SKIP (needs root and the test image; run make test)"
	exit 0
fi
spawn=$top/build/bench/base/spawn
[ -x "$spawn" ] && [ ! bench/base/spawn.c -nt "$spawn" ] ||
	{ mkdir -p "${spawn%/*}" && ${CC:-cc} -O2 -Wall -o "$spawn" bench/base/spawn.c; }
S=$(mktemp -d /tmp/lochs-bench-build.XXXXXX)
. tests/integration/lib/mirror.sh
cleanup() {
	for id in $("$LOCHS" --root "$S" ps -aq 2>/dev/null); do "$LOCHS" --root "$S" rm -f "$id" >/dev/null 2>&1 || :; done
	[ -n "${dbase:-}" ] && docker rmi -f $(sort -u "$S/dids" 2>/dev/null) "$dbase" >/dev/null 2>&1 || :
	[ -n "${MIRROR_URL:-}" ] && mirror_stop
	rm -rf "$S"
}
trap cleanup EXIT
mkdir -p "$S/ctx/site/css"
for i in $(seq 20); do echo "page $i" >"$S/ctx/site/p$i.html"; done
echo 'body{}' >"$S/ctx/site/css/a.css"
echo 'listen 8080' >"$S/ctx/app.conf"
cat >"$S/ctx/Lochfile" <<'LF'
FROM freebsd:14.3
ENV APP_HOME=/srv/www
WORKDIR /srv/www
COPY site ./site/
COPY app.conf /etc/app.conf
RUN seq 1 100 | grep 7 | wc -l > count
RUN echo built > stamp && ls site > index.txt
LABEL org.example.bench=build
EXPOSE 8080
CMD ["/bin/cat", "/srv/www/stamp"]
LF
mirror_start "$MIRROR_DIR" >/dev/null
"$LOCHS" --root "$S" pull -q --mirror "$MIRROR_URL" freebsd:14.3 >/dev/null
"$LOCHS" --root "$S" build -q --network none -t bench:1 "$S/ctx" >/dev/null
us() { n=$1; shift; for i in $(seq "$n"); do "$spawn" 1 "$@" | awk '{ printf "%.0f\n", $2 / $1 / 1000 }'; done | sort -n |
	awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
hits=$("$LOCHS" --root "$S" build --network none -t bench:1 "$S/ctx" | grep -c '^--> Using cache') || :
[ "$hits" = 9 ] || { echo "cached rebuild: $hits of 9 steps from the cache"; exit 1; }
cached=$(us "$N" /bin/sh -c '"$0" --root "$1" build -q --network none -t bench:1 "$1/ctx" >/dev/null' "$LOCHS" "$S")
cold=$(us "$NCOLD" /bin/sh -c '"$0" --root "$1" build -q --no-cache --network none -t bench:1 "$1/ctx" >/dev/null' "$LOCHS" "$S")
base=$(us "$N" /bin/sh -c '"$0" --root "$1" version >/dev/null' "$LOCHS" "$S")
echo "cached rebuild of a 10-instruction Lochfile: $((cached / 1000)) ms (target <= 200 ms); lochs version $((base / 1000)) ms, ratio $(ratio "$cached" "$base")"
echo "cold build (--no-cache, 2 RUN jails, 2 COPY layers): $((cold / 1000)) ms"
bb=$(command -v busybox || :)
if ! command -v docker >/dev/null 2>&1 || ! timeout 10 docker info >/dev/null 2>&1; then
	echo "docker build: SKIP (no Docker engine answers here)"
elif [ -z "$bb" ] || ldd "$bb" >/dev/null 2>&1; then
	echo "docker build: SKIP (no static busybox for a Linux base: apt-get install busybox-static)"
else
	# The base: busybox with the applets the RUN lines and CMD use.
	mkdir -p "$S/bbroot/bin" "$S/dctx"
	cp "$bb" "$S/bbroot/bin/busybox"
	for a in sh seq grep wc echo ls cat; do ln -s busybox "$S/bbroot/bin/$a"; done
	dbase=lochs-bench-build-base:$$
	tar -C "$S/bbroot" -c . | docker import - "$dbase" >/dev/null
	cp -R "$S/ctx/site" "$S/ctx/app.conf" "$S/dctx/"
	sed "s|^FROM .*|FROM $dbase|" "$S/ctx/Lochfile" >"$S/dctx/Dockerfile"
	# The legacy builder when there is no buildx for BuildKit.
	docker buildx version >/dev/null 2>&1 || export DOCKER_BUILDKIT=0
	# One build first, as lochs had; each prints its image ID, kept to remove.
	: >"$S/dids"
	# stderr kept apart: the CLI warns there that the legacy builder is deprecated.
	docker build -q --no-cache --network none -t "bench-docker:$$" "$S/dctx" >>"$S/dids" 2>"$S/dbuild.err" ||
		{ cat "$S/dbuild.err"; exit 1; }
	[ "$(docker run --rm --network none "bench-docker:$$")" = built ] || { echo "docker build: its image does not run"; exit 1; }
	dcold=$(us "$NCOLD" /bin/sh -c 'docker build -q --no-cache --network none -t "bench-docker:$1" "$0/dctx" >>"$0/dids" 2>>"$0/dbuild.err"' "$S" $$)
	[ "$(wc -l <"$S/dids")" = $((NCOLD + 1)) ] || { cat "$S/dbuild.err"; echo "docker build: a timed build failed"; exit 1; }
	echo "docker build --no-cache of the same file FROM a busybox base: $((dcold / 1000)) ms;" \
		"lochs/docker ratio $(awk -v a="$cold" -v b="$dcold" 'BEGIN { printf "%.2f", a / b }') (reported, not a target)"
fi
