#!/bin/sh
# TCP throughput through a published port against a plain veth pair,
# measured in the same run: a Python sender on the host moves 1 GiB
# (BENCH_PORTS_MIB) to the test image's FreeBSD tcp-sink under BSDulator,
# (a) in a jail on a user network, through `-p 18600:9000` at
#     127.0.0.1:18600 (nftables DNAT, masquerade, the bridge and the
#     jail's veth);
# (b) in a network namespace made here without Lochs, the same tcp-sink
#     under the same bsdulator, reached over one veth pair, in a CPU
#     cgroup shaped like the jail's (bench/lib/cpucg.sh).
# The sender times from connect to the sink's byte count (everything
# received). Best of BENCH_PORTS_N alternating runs each; prints both rates
# and the ratio (target >= 0.9). Needs root and the FreeBSD test image;
# SKIP without them. Addresses from 198.18.25.0/30 and 198.18.26.0/24, host
# port 18600.
set -eu
cd "$(dirname "$0")/../.."
top=$(pwd)
N=${BENCH_PORTS_N:-3}
MIB=${BENCH_PORTS_MIB:-1024}
MIRROR_DIR=build/corpus/image/mirror
ROOTFS=build/corpus/image/rootfs
if [ "$(id -u)" != 0 ]; then echo "SKIP: jails need root"; exit 0; fi
if [ ! -x "$ROOTFS/usr/local/bin/tcp-sink" ] || [ ! -f "$MIRROR_DIR/14.3-RELEASE/base.txz" ]; then
	echo "SKIP: no FreeBSD test image with tcp-sink (run tests/corpus/build.sh)"; exit 0
fi
LOCHS=$top/build/bin/lochs BSDULATOR=$top/build/bin/bsdulator
. tests/integration/lib/mirror.sh
. bench/lib/cpucg.sh
S=$(mktemp -d /tmp/lochs-bench-ports.XXXXXX)
NS=lbp$$ sink=""
L() { timeout 60 "$LOCHS" --root "$S" "$@"; }
cleanup() {
	for id in $(L ps -aq 2>/dev/null); do L rm -f "$id" >/dev/null 2>&1 || :; done
	L network rm bports >/dev/null 2>&1 || :
	[ -z "$sink" ] || kill "$sink" 2>/dev/null || :
	cpucg_cleanup
	ip netns del $NS 2>/dev/null || :
	ip link del ${NS}h 2>/dev/null || :
	mirror_stop
	rm -rf "$S"
}
trap cleanup EXIT
mirror_start "$MIRROR_DIR" >/dev/null
L pull -q --mirror "$MIRROR_URL" freebsd:14.3 >/dev/null

# send HOST PORT: MiB/s of one transfer of $MIB MiB (0 on a short count).
send() {
	python3 - "$1" "$2" "$MIB" <<'PY'
import socket, sys, time
host, port, mib = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
buf = b"\0" * (4 << 20)
for _ in range(100):  # the sink may still be starting
    try:
        s = socket.create_connection((host, port), timeout=5)
        break
    except OSError:
        time.sleep(0.1)
else:
    sys.exit("cannot connect to %s:%d" % (host, port))
s.settimeout(120)
t = time.monotonic()
for _ in range(mib // 4):
    s.sendall(buf)
s.shutdown(socket.SHUT_WR)
got = s.makefile().readline().strip()
dt = time.monotonic() - t
print("%.0f" % (mib / dt if got == str((mib // 4) * len(buf)) else 0))
PY
}

# (a) the jail behind the published port.
L network create --subnet 198.18.26.0/24 bports >/dev/null
L run -d --name sink --network bports -p 127.0.0.1:18600:9000 freebsd:14.3 /usr/local/bin/tcp-sink -l 9000 >/dev/null
# (b) the namespace over one veth pair.
ip netns add $NS
ip link add ${NS}h type veth peer name ${NS}n
ip link set ${NS}n netns $NS
ip addr add 198.18.25.1/30 dev ${NS}h
ip link set ${NS}h up
peer=198.18.25.2
ip -n $NS addr add $peer/30 dev ${NS}n
ip -n $NS link set ${NS}n up
ip -n $NS link set lo up
incg peer-sink ip netns exec $NS "$BSDULATOR" --root "$top/$ROOTFS" /usr/local/bin/tcp-sink -l 9000 >/dev/null 2>&1 &
sink=$!

best_j=0 best_n=0
for i in $(seq "$N"); do
	j=$(send 127.0.0.1 18600)
	n=$(send "$peer" 9000)
	[ "$j" -gt "$best_j" ] && best_j=$j
	[ "$n" -gt "$best_n" ] && best_n=$n
done
if [ "$best_j" = 0 ] || [ "$best_n" = 0 ]; then
	echo "ports: a transfer came up short (jail $best_j MiB/s, veth $best_n MiB/s)"; exit 1
fi
ratio=$(awk -v a="$best_j" -v b="$best_n" 'BEGIN { printf "%.2f", a / b }')
echo "ports: ${MIB} MiB host -> FreeBSD tcp-sink, best of $N"
echo "  jail via published port 127.0.0.1:18600   ${best_j} MiB/s"
echo "  plain veth into a namespace               ${best_n} MiB/s"
echo "  ratio published/veth                      ${ratio} (target >= 0.9)"
