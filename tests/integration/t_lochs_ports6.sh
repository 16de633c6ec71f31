#!/bin/sh
# Published ports over IPv6 (root only; netplane/ports.h, firewall.h): a
# FreeBSD httpd-lite in a jail on a network made with --ipv6. -p 18280:8080
# publishes on both families (0.0.0.0 and [::]), -p [ADDR]:18281:8080 on
# one host IPv6 address; a client network namespace reaches both through
# the host's IPv6 address, the host itself too, IPv4 still works; stop
# takes the IPv6 rules away and start brings them back. [::1] and IPv6
# ports of a jail without an IPv6 address are refused in one line leaving
# nothing; the ip6 table goes with the last IPv6 network. Only namespaces
# and veths made here, addresses 198.18.32.0/24, fd18:32::/64, fd18:39::/64,
# host ports 18280-18289.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/lochs.sh"
jail_test ports6
command -v nft >/dev/null || skip "nft not installed"
command -v curl >/dev/null || skip "curl not installed"
T() { timeout 60 "$LOCHS" --root "$S" "$@"; }
C=lp6c$$
fwd=$(cat /proc/sys/net/ipv6/conf/all/forwarding)
at_exit() {
	for id in $(T ps -aq 2>/dev/null); do T rm -f "$id" >/dev/null 2>&1 || true; done
	for n in p6 p4; do T network rm "$n" >/dev/null 2>&1 || true; done
	ip netns del $C 2>/dev/null || true
	ip link del ${C}h 2>/dev/null || true
	echo "$fwd" >/proc/sys/net/ipv6/conf/all/forwarding
}
table=$(T info | sed -n 's/^Firewall Table: ip //p')
rules6() { nft list table ip6 "$table" 2>/dev/null || true; }
get() { curl -s -g --max-time 3 "http://$1/file"; }
got_ok() { [ "$(get "$1")" = "over six" ]; }
cl_ok() { [ "$(ip netns exec $C curl -s -g --max-time 3 "http://$1/file")" = "over six" ]; }

expect 0 "network" T network create --ipv6 --subnet 198.18.32.0/24 --subnet fd18:32::/64 p6
expect 0 "IPv4 network" T network create --subnet 198.18.33.0/24 p4
rules6 | grep -q 'ip6 saddr fd18:32::/64 oifname != "lochs-[0-9a-f]*" masquerade' || fail "no IPv6 masquerade: $(rules6)"
[ "$(cat /proc/sys/net/ipv6/conf/all/forwarding)" = 1 ] || fail "IPv6 forwarding not set"

# A client namespace reaching the host at fd18:39::1.
ip netns add $C && ip link add ${C}h type veth peer name ${C}n && ip link set ${C}n netns $C || fail "client namespace"
ip addr add fd18:39::1/64 dev ${C}h nodad && ip link set ${C}h up
ip -n $C addr add fd18:39::2/64 dev ${C}n nodad && ip -n $C link set ${C}n up && ip -n $C link set lo up
ip -n $C -6 route add default via fd18:39::1

mkdir -p "$S/www" && echo "over six" >"$S/www/file"
expect 0 "server" T run -d --name srv --network p6 -p 18280:8080 -p "[fd18:39::1]:18281:8080" -v "$S/www:/www:ro" \
	freebsd:14.3 /usr/local/bin/httpd-lite -q -p 8080 -d /www
expect 0 "port" T port srv
for b in "8080/tcp -> 0.0.0.0:18280" "8080/tcp -> [::]:18280" "8080/tcp -> [fd18:39::1]:18281"; do
	echo "$out" | grep -qxF "$b" || fail "lochs port lacks '$b': $out"
done
until_ok "127.0.0.1:18280" got_ok 127.0.0.1:18280
until_ok "client to [fd18:39::1]:18280" cl_ok "[fd18:39::1]:18280"
cl_ok "[fd18:39::1]:18281" || fail "client to [fd18:39::1]:18281: $(rules6)"
got_ok "[fd18:39::1]:18280" || fail "the host itself to [fd18:39::1]:18280"

expect 0 "stop" T stop -t 2 srv
rules6 | grep -q 'dport 1828' && fail "a stopped jail's IPv6 port is forwarded: $(rules6)"
expect 0 "start" T start srv
until_ok "client after start" cl_ok "[fd18:39::1]:18280"

# Refused in one line, nothing reserved, no jail left.
n=$(T ps -aq | wc -l)
expect 125 "[::1]" T run -d --network p6 -p "[::1]:18282:8080" freebsd:14.3 sleep 60
case $out in *loopback*) ;; *) fail "[::1]: $out" ;; esac
expect 125 "IPv6 port without IPv6" T run -d --network p4 -p "[::]:18283:8080" freebsd:14.3 sleep 60
case $out in *"no IPv6 address"*) ;; *) fail "[::] on an IPv4 network: $out" ;; esac
[ "$(T ps -aq | wc -l)" = "$n" ] || fail "a refused jail was left: $(T ps -a)"
[ "$(sqlite3 "$S/lochs.db" "SELECT count(*) FROM port_bindings WHERE host_port IN (18282, 18283)")" = 0 ] ||
	fail "a refused port was reserved"

expect 0 "rm" T rm -f srv
expect 0 "rm networks" T network rm p6 p4
nft list tables | grep -qx "table ip6 $table" && fail "ip6 table left: $(rules6)"
echo PASS
