#!/bin/sh
# The declarative path's own cost (issue 6 targets), median of runs:
# (a) a no-op `lochs apply` of a 50-service project whose jails already
#     run (observe, plan, nothing to do): target <= 50 ms;
# (b) `lochs plan` of a 500-service project from nothing (parse, plan,
#     print): target <= 200 ms;
# (c) `lochs compose up -d` of a 20-service project from nothing (its
#     network, 20 jails created and started by the worker pool), median
#     of 3 runs each followed by down (LOCHS_PARALLEL_LIMIT workers).
# (a) and (b) against the same process doing the least a command does
# (`lochs version` of the same binary, measured alternately) for a ratio;
# (c) against docker-compose (or docker compose) up -d of the same 20
# services when an engine answers: the same FreeBSD sleep under bsdulator,
# from a `docker import` of the pulled image's tree; SKIP otherwise.
# Needs root and the FreeBSD test image for (a) and (c); SKIP without them.
set -eu
cd "$(dirname "$0")/../.."
top=$(pwd)
N=${BENCH_APPLY_N:-15}
LOCHS=$top/build/bin/lochs
MIRROR_DIR=build/corpus/image/mirror
spawn=$top/build/bench/base/spawn
[ -x "$spawn" ] && [ ! bench/base/spawn.c -nt "$spawn" ] ||
	{ mkdir -p "${spawn%/*}" && ${CC:-cc} -O2 -Wall -o "$spawn" bench/base/spawn.c; }
S=$(mktemp -d /tmp/lochs-bench-apply.XXXXXX)
cleanup() {
	(cd "$S/p50" 2>/dev/null && "$LOCHS" --root "$S" compose down >/dev/null 2>&1) || :
	(cd "$S/p20" 2>/dev/null && "$LOCHS" --root "$S" compose down >/dev/null 2>&1) || :
	(cd "$S/p20n" 2>/dev/null && "$LOCHS" --root "$S" compose down >/dev/null 2>&1) || :
	if [ -n "${dimg:-}" ]; then
		(cd "$S/d20" 2>/dev/null && $dc -p "$dproj" down -t 0 >/dev/null 2>&1) || :
		docker rmi "$dimg" >/dev/null 2>&1 || :
	fi
	[ -n "${MIRROR_URL:-}" ] && mirror_stop
	rm -rf "$S"
}
trap cleanup EXIT
# spec N: a project of N services (sleep jails without a network).
spec() {
	echo "name: b$1"
	echo "services:"
	for i in $(seq "$1"); do
		printf '  s%d: {image: "freebsd:14.3", command: [sleep, "3600"], network_mode: none}\n' "$i"
	done
}
# median microseconds of N runs of CMD (spawn.c prints runs and ns)
us() { for i in $(seq "$N"); do "$spawn" 1 "$@" | awk '{ printf "%.0f\n", $2 / $1 / 1000 }'; done | sort -n |
	awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
mkdir -p "$S/p500" "$S/p50"
spec 500 >"$S/p500/lochs.yml"
spec 50 >"$S/p50/lochs.yml"

# (b) needs no jails: the image is never looked at by plan.
# plan exits 2 with changes pending: a shell around both sides says 0.
base=$(us /bin/sh -c '"$0" --root "$1" version >/dev/null' "$LOCHS" "$S")
p500=$(cd "$S/p500" && us /bin/sh -c '"$0" --root "$1" plan >/dev/null; [ $? = 2 ]' "$LOCHS" "$S")
echo "plan of a 500-service project: $((p500 / 1000)) ms (target <= 200 ms); lochs version $((base / 1000)) ms, ratio $(ratio "$p500" "$base")"

if [ "$(id -u)" != 0 ] || [ ! -f "$MIRROR_DIR/14.3-RELEASE/base.txz" ]; then
	echo "no-op apply of 50 services: SKIP (needs root and the test image; run make test)"
	exit 0
fi
. tests/integration/lib/mirror.sh
mirror_start "$MIRROR_DIR" >/dev/null
"$LOCHS" --root "$S" pull -q --mirror "$MIRROR_URL" freebsd:14.3 >/dev/null
(cd "$S/p50" && "$LOCHS" --root "$S" apply >/dev/null)
noop=$(cd "$S/p50" && us /bin/sh -c '"$0" --root "$1" apply >/dev/null' "$LOCHS" "$S")
base=$(us /bin/sh -c '"$0" --root "$1" version >/dev/null' "$LOCHS" "$S")
echo "no-op apply of 50 running services: $((noop / 1000)) ms (target <= 50 ms); lochs version $((base / 1000)) ms, ratio $(ratio "$noop" "$base")"

# (c) from nothing: 20 sleep jails on the project's network.
mkdir -p "$S/p20"
spec 20 | sed 's/, network_mode: none//' >"$S/p20/lochs.yml"
ms() { echo $(($(date +%s%N) / 1000000)); }
# median_up DIR N CMD...: median ms of 3 runs of `CMD up -d` in DIR, each
# checked to leave N running (count_up DIR) and followed by `CMD down`.
median_up() {
	d=$1 n=$2; shift 2
	for i in 1 2 3; do
		t0=$(ms)
		(cd "$d" && "$@" up -d >/dev/null 2>&1) || { echo "$* up -d failed" >&2; return 1; }
		t1=$(ms)
		c=$(count_up "$d") && [ "$c" = "$n" ] || { echo "$* up -d: $c of $n running" >&2; return 1; }
		(cd "$d" && "$@" down $down_opt >/dev/null 2>&1) || { echo "$* down failed" >&2; return 1; }
		echo $((t1 - t0))
	done >"$S/times"
	sort -n "$S/times" | sed -n 2p
}
down_opt=
count_up() { (cd "$1" && "$LOCHS" --root "$S" compose ps) | grep -c ' running '; }
up20=$(median_up "$S/p20" 20 "$LOCHS" --root "$S" compose)
echo "compose up -d of 20 services from nothing: $up20 ms (${LOCHS_PARALLEL_LIMIT:-4} workers)"
dc=
if command -v docker-compose >/dev/null 2>&1; then dc=docker-compose
elif docker compose version >/dev/null 2>&1; then dc="docker compose"
fi
if [ -z "$dc" ]; then
	echo "docker compose up -d of 20 services: SKIP (no docker-compose or docker compose here)"
elif ! timeout 10 docker info >/dev/null 2>&1; then
	echo "$dc up -d of 20 services: SKIP (no Docker engine answers here)"
else
	# The peer has no network (this engine may have no bridge, and its
	# bridge is another cost), so the ratio is against lochs up -d of the
	# same services with network_mode: none, measured here too.
	mkdir -p "$S/p20n" "$S/d20"
	spec 20 | sed 's/^name: b20$/name: b20n/' >"$S/p20n/lochs.yml"
	up20n=$(median_up "$S/p20n" 20 "$LOCHS" --root "$S" compose)
	dimg=lochs-bench-apply:$$ dproj=lochsbenchapply$$
	tar -C "$(ls -d "$S"/layers/*/root | head -n 1)" -c . | docker import - "$dimg" >/dev/null
	{
		echo 'version: "2.4"'
		echo "services:"
		for i in $(seq 20); do
			printf '  s%d: {image: "%s", command: [/bsdulator, /bin/sleep, "3600"], network_mode: none, volumes: ["%s:/bsdulator:ro"]}\n' \
				"$i" "$dimg" "$top/build/bin/bsdulator"
		done
	} >"$S/d20/docker-compose.yml"
	# sleep is pid 1 there and ignores SIGTERM: down without the 10 s wait.
	down_opt="-t 0"
	count_up() { docker ps -q --filter "label=com.docker.compose.project=$dproj" | wc -l; }
	dup20=$(median_up "$S/d20" 20 $dc -p "$dproj")
	echo "$dc up -d of 20 services: $dup20 ms; lochs/docker ratio $(awk -v a="$up20n" -v b="$dup20" 'BEGIN { printf "%.2f", a / b }')" \
		"(lochs up -d of the same 20 without a network: $up20n ms)"
fi
