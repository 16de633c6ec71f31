#!/bin/sh
# netplane benchmarks, each against a peer measured in the same run:
# (a) TCP throughput jail -> jail over a Lochs network (veth, bridge, veth;
#     Lochs's nftables rules in place) ÷ the same transfer between two
#     network namespaces joined by one plain veth pair, no Lochs. Both sides
#     run the same FreeBSD program (tcpbench.go, built here for FreeBSD)
#     under bsdulator, so the ratio is the network path's plus what running
#     in a jail costs (cgroup, seccomp); a third figure, the same transfer
#     between two jails' network namespaces by programs outside the jails,
#     tells the two apart. Target >= 0.9. The programs outside jails run
#     in CPU cgroups shaped like the jails' (bench/lib/cpucg.sh).
# (b) a network with 10 jails: create the network, run 10 detached jails on
#     it, remove them and the network; against the same 10 jails with
#     --network none (the ratio is what networking adds to their lifecycle);
#     the absolute times too: the whole, network create and rm alone, and
#     what an endpoint adds to one jail's run + rm.
# Needs root, Go and the FreeBSD test image (made by `make test`); SKIP
# lines without them. Env: BENCH_NET_MIB (default 1024), BENCH_NET_RUNS (5).
# Addresses: 198.18.46.0/24 (Lochs) and 198.18.47.0/30 (peer), nothing else.
set -eu
cd "$(dirname "$0")/../.."
top=$(pwd)
MIB=${BENCH_NET_MIB:-1024} RUNS=${BENCH_NET_RUNS:-5}
MIRROR_DIR=build/corpus/image/mirror
if [ "$(id -u)" != 0 ]; then echo "SKIP: jails need root"; exit 0; fi
if [ ! -f "$MIRROR_DIR/14.3-RELEASE/base.txz" ]; then
	echo "SKIP: no FreeBSD test image ($MIRROR_DIR; run make test or tests/corpus/build.sh)"; exit 0
fi
command -v go >/dev/null || { echo "SKIP: no Go toolchain (golang-go)"; exit 0; }
LOCHS=$top/build/bin/lochs BSDULATOR=$top/build/bin/bsdulator
out=$top/build/bench/netplane
mkdir -p "$out/bin"
GOCACHE=$out/gocache GO111MODULE=off GOOS=freebsd GOARCH=amd64 CGO_ENABLED=0 \
	go build -o "$out/bin/tcpbench" bench/netplane/tcpbench.go
. tests/integration/lib/mirror.sh
S=$(mktemp -d /tmp/lochs-bench-net.XXXXXX)
L() { "$LOCHS" --root "$S" "$@"; }
peer_pids=""
. bench/lib/cpucg.sh
cleanup() {
	for p in $peer_pids; do kill "$p" 2>/dev/null || :; done
	cpucg_cleanup
	ip netns del lochsbench-a 2>/dev/null || :
	ip netns del lochsbench-b 2>/dev/null || :
	for id in $(L ps -aq 2>/dev/null); do L rm -f "$id" >/dev/null 2>&1 || :; done
	L network rm benchnet >/dev/null 2>&1 || :
	mirror_stop
	rm -rf "$S"
}
trap cleanup EXIT
mirror_start "$MIRROR_DIR" >/dev/null
L pull -q --mirror "$MIRROR_URL" freebsd:14.3 >/dev/null
median() { sort -g | awk -v f="${1:-%.1f}" '{ v[NR] = $1 } END { m = int((NR + 1) / 2); printf f "\n", (NR % 2) ? v[m] : (v[m] + v[m + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# (a) Lochs: sink and sender jails on one network.
L network create --subnet 198.18.46.0/24 benchnet >/dev/null
L run -d --name sink --network benchnet -v "$out/bin:/bench:ro" freebsd:14.3 /bench/tcpbench sink 5001 >/dev/null
sink_ip=$(L inspect sink | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["NetworkSettings"]["Networks"]["benchnet"]["IPAddress"])')
lochs_once() { L run --rm --network benchnet -v "$out/bin:/bench:ro" freebsd:14.3 /bench/tcpbench send "$sink_ip:5001" "$MIB"; }
# The peer: two namespaces, one veth pair, the same program under bsdulator.
ip netns add lochsbench-a
ip netns add lochsbench-b
ip link add lochsbenchA netns lochsbench-a type veth peer name lochsbenchB netns lochsbench-b
ip -n lochsbench-a addr add 198.18.47.1/30 dev lochsbenchA
ip -n lochsbench-b addr add 198.18.47.2/30 dev lochsbenchB
for n in a b; do ip -n lochsbench-$n link set lo up; done
ip -n lochsbench-a link set lochsbenchA up
ip -n lochsbench-b link set lochsbenchB up
incg peer-sink ip netns exec lochsbench-a "$BSDULATOR" "$out/bin/tcpbench" sink 5001 &
peer_pids=$!
peer_once() { incg peer-send ip netns exec lochsbench-b "$BSDULATOR" "$out/bin/tcpbench" send 198.18.47.1:5001 "$MIB"; }
# The Lochs path without jail processes: from a second jail's network
# namespace to a sink in the first one's, both outside the jails.
L run -d --name src --network benchnet freebsd:14.3 sleep 3600 >/dev/null
pid_of() { L inspect "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["State"]["Pid"])'; }
incg netns-sink nsenter -t "$(pid_of sink)" -n "$BSDULATOR" "$out/bin/tcpbench" sink 5002 &
peer_pids="$peer_pids $!"
src_pid=$(pid_of src)
netns_once() { incg netns-send nsenter -t "$src_pid" -n "$BSDULATOR" "$out/bin/tcpbench" send "$sink_ip:5002" "$MIB"; }
lochs_once >/dev/null && peer_once >/dev/null && netns_once >/dev/null # warm-up, and the sinks listen
: >"$out/lochs.mbs"; : >"$out/peer.mbs"; : >"$out/netns.mbs"
for i in $(seq "$RUNS"); do
	lochs_once >>"$out/lochs.mbs"
	peer_once >>"$out/peer.mbs"
	netns_once >>"$out/netns.mbs"
done
l=$(median <"$out/lochs.mbs") p=$(median <"$out/peer.mbs") x=$(median <"$out/netns.mbs")
echo "TCP jail -> jail over a Lochs network: $l MB/s; plain veth pair between namespaces: $p MB/s;" \
	"median of $RUNS alternating ${MIB} MiB transfers, ratio $(ratio "$l" "$p") (target >= 0.9)"
echo "the same Lochs path between the jails' network namespaces, programs outside the jails: $x MB/s," \
	"ratio $(ratio "$x" "$p") to the veth pair (the network path alone)"
L rm -f sink src >/dev/null

# (b) 10 jails on a new network, then gone; against 10 without a network.
# lifecycle NETWORK: prints the seconds of the whole, then of network
# create and of network rm alone (0 for none).
lifecycle() {
	t0=$(date +%s.%N)
	[ "$1" = none ] || L network create --subnet 198.18.46.0/24 benchnet >/dev/null
	t1=$(date +%s.%N)
	for i in 1 2 3 4 5 6 7 8 9 10; do L run -d --name "j$i" --network "$1" freebsd:14.3 sleep 300 >/dev/null; done
	for i in 1 2 3 4 5 6 7 8 9 10; do L rm -f "j$i" >/dev/null; done
	t2=$(date +%s.%N)
	[ "$1" = none ] || L network rm benchnet >/dev/null
	t3=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" 'BEGIN { printf "%.3f %.3f %.3f\n", d - a, b - a, d - c }'
}
L network rm benchnet >/dev/null
: >"$out/net10.s"; : >"$out/none10.s"
for i in 1 2 3; do
	lifecycle benchnet >>"$out/net10.s"
	lifecycle none >>"$out/none10.s"
done
col() { cut -d' ' -f"$1" <"$2" | median %.3f; }
n=$(col 1 "$out/net10.s") z=$(col 1 "$out/none10.s")
echo "network create + 10 jails run -d + rm -f + network rm: $n s (network create $(col 2 "$out/net10.s") s," \
	"network rm $(col 3 "$out/net10.s") s); the same 10 jails with --network none: $z s; median of 3," \
	"a network endpoint adds $(awk -v a="$n" -v b="$z" -v c="$(col 2 "$out/net10.s")" -v r="$(col 3 "$out/net10.s")" \
	'BEGIN { printf "%.1f", (a - c - r - b) * 100 }') ms to a jail's run + rm, ratio $(ratio "$n" "$z")"
