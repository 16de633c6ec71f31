#!/bin/sh
# Published ports over IPv6 (root only; netplane/ports.h, firewall.h): a
# FreeBSD httpd-lite in a jail on a network made with --ipv6. -p 18280:8080
# publishes on both families (0.0.0.0 and [::]), -p [ADDR]:18281:8080 on
# one host IPv6 address; a client network namespace reaches both through
# the host's IPv6 address, the host itself too, IPv4 still works; stop
# takes the IPv6 rules away and start brings them back. [::1] (which DNAT
# cannot serve) is the userspace proxy's (netplane/proxy.h): -p
# [::1]:H:J and a port on every address answer there, TCP and UDP, to the
# jail's IPv6 address or, without one, its IPv4 one, a UDP flow per
# client closed when idle; a [::1] port taken after create fails the start;
# the listener goes with stop, rm -f and a kill -9 of the monitor. The
# network has an IPv6 --gateway and --ip-range. IPv6 ports of a jail
# without an IPv6 address are refused in one line leaving nothing; the
# ip6 table goes with the last IPv6 network. Only loopback, namespaces
# and veths made here, addresses 198.18.32.0/24, 198.18.33.0/24,
# fd18:32::/64, fd18:39::/64, host ports 18280-18289.
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
# curl's 7: the connection was refused (nothing listens).
refused() { curl -s -g --max-time 3 "http://$1/file" >/dev/null 2>&1; [ $? = 7 ]; }
UDPPY='import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); s.settimeout(1)
s.sendto(sys.argv[3].encode(), (sys.argv[1], int(sys.argv[2]))); print(s.recv(65536).decode())'
udp() { python3 -c "$UDPPY" "$@"; } # HOST PORT TEXT: the echoed text
udp_ok() { [ "$(udp "$1" "$2" ping 2>/dev/null)" = ping ]; }
field() { T inspect "$1" | sed -n "s/.*\"$2\": \\([0-9]*\\).*/\\1/p" | head -n 1; }
proxies() { pgrep -f -- "--root $S _proxy" || true; }
no_proxy() { [ -z "$(proxies)" ]; }
cl_ok() { [ "$(ip netns exec $C curl -s -g --max-time 3 "http://$1/file")" = "over six" ]; }

# An IPv6 --gateway and --ip-range: the jail answers through that gateway.
expect 0 "network" T network create --ipv6 --subnet 198.18.32.0/24 --subnet fd18:32::/64 --gateway fd18:32::fe \
	--ip-range fd18:32::80/121 p6
expect 0 "IPv4 network" T network create --subnet 198.18.33.0/24 p4
rules6 | grep -q 'ip6 saddr fd18:32::/64 oifname != "lochs-[0-9a-f]*" masquerade' || fail "no IPv6 masquerade: $(rules6)"
[ "$(cat /proc/sys/net/ipv6/conf/all/forwarding)" = 1 ] || fail "IPv6 forwarding not set"

# A client namespace reaching the host at fd18:39::1.
ip netns add $C && ip link add ${C}h type veth peer name ${C}n && ip link set ${C}n netns $C || fail "client namespace"
ip addr add fd18:39::1/64 dev ${C}h nodad && ip link set ${C}h up
ip -n $C addr add fd18:39::2/64 dev ${C}n nodad && ip -n $C link set ${C}n up && ip -n $C link set lo up
ip -n $C -6 route add default via fd18:39::1

mkdir -p "$S/www" && echo "over six" >"$S/www/file"
expect 0 "server" T run -d --name srv --network p6 -p 18280:8080 -p "[fd18:39::1]:18281:8080" -p "[0::1]:18282:8080" \
	-v "$S/www:/www:ro" freebsd:14.3 /usr/local/bin/httpd-lite -q -p 8080 -d /www
expect 0 "port" T port srv
for b in "8080/tcp -> 0.0.0.0:18280" "8080/tcp -> [::]:18280" "8080/tcp -> [fd18:39::1]:18281" "8080/tcp -> [::1]:18282"; do
	echo "$out" | grep -qxF "$b" || fail "lochs port lacks '$b': $out"
done
[ "$(sqlite3 "$S/lochs.db" "SELECT jail_ip FROM port_bindings WHERE host_ip = '::' AND host_port = 18280")" = fd18:32::80 ] ||
	fail "the jail's IPv6 address is not the --ip-range's first: $(sqlite3 "$S/lochs.db" 'SELECT * FROM port_bindings')"
until_ok "127.0.0.1:18280" got_ok 127.0.0.1:18280
until_ok "client to [fd18:39::1]:18280" cl_ok "[fd18:39::1]:18280"
cl_ok "[fd18:39::1]:18281" || fail "client to [fd18:39::1]:18281: $(rules6)"
got_ok "[fd18:39::1]:18280" || fail "the host itself to [fd18:39::1]:18280"
# [::1]: the proxy, for -p [::1]:H:J and for the port on every address.
got_ok "[::1]:18282" || fail "[::1]:18282 (the proxy): $(cat "$S"/jails/*/monitor.log 2>/dev/null)"
got_ok "[::1]:18280" || fail "[::1]:18280, a port on every address"
# Half-close: the request, then the client's FIN; the whole answer comes back.
HALFPY='import socket
s = socket.create_connection(("::1", 18282)); s.sendall(b"GET /file HTTP/1.0\r\n\r\n"); s.shutdown(socket.SHUT_WR)
d = b""
while True:
    b = s.recv(65536)
    if not b: break
    d += b
print(d.decode().split("\r\n\r\n", 1)[1], end="")'
[ "$(python3 -c "$HALFPY")" = "over six" ] || fail "half-closed request through [::1]: $(python3 -c "$HALFPY" 2>&1)"
rules6 | grep -q 'dport 18282' && fail "[::1] has a DNAT rule: $(rules6)"
rules6 | grep -q 'ip6 daddr != ::1 fib daddr type local tcp dport 18280' || fail "[::] DNATs ::1 too: $(rules6)"
[ "$(proxies | wc -l)" = 1 ] || fail "not one proxy process: $(proxies)"

expect 0 "stop" T stop -t 2 srv
rules6 | grep -q 'dport 1828' && fail "a stopped jail's IPv6 port is forwarded: $(rules6)"
refused "[::1]:18282" || fail "a stopped jail's [::1] port still listens"
no_proxy || fail "a stopped jail's proxy runs: $(proxies)"
expect 0 "start" T start srv
until_ok "client after start" cl_ok "[fd18:39::1]:18280"
got_ok "[::1]:18282" || fail "[::1]:18282 after start"

# A taken [::1] port is refused at create as any other.
n=$(T ps -aq | wc -l)
expect 125 "[::1] taken" T run -d --network p6 -p "[::1]:18282:8080" freebsd:14.3 sleep 60
case $out in *"already allocated to jail srv"*) ;; *) fail "[::1] taken: $out" ;; esac
[ "$(T ps -aq | wc -l)" = "$n" ] || fail "a refused jail was left: $(T ps -a)"

# UDP through [::1]: a flow per client, replies back to it; a quiet flow
# closes (LOCHS_PROXY_UDP_IDLE seconds, passed on by run to the monitor).
expect 0 "udp" env LOCHS_PROXY_UDP_IDLE=2 timeout 60 "$LOCHS" --root "$S" run -d --name usrv --network p6 \
	-p 18283:9999/udp freebsd:14.3 /usr/local/bin/udp-echo -l 9999
until_ok "udp [::1]:18283" udp_ok ::1 18283
[ "$(udp ::1 18283 over-six-udp)" = over-six-udp ] || fail "udp over [::1]:18283"
TWOPY='import socket
a, b = (socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) for _ in "ab")
for s, t in ((a, b"from-a"), (b, b"from-b")): s.settimeout(2); s.sendto(t, ("::1", 18283))
print(b.recv(99).decode(), a.recv(99).decode())'
[ "$(python3 -c "$TWOPY")" = "from-b from-a" ] || fail "two UDP clients got each other's replies"
up=$(pgrep -f -- "--root $S _proxy $(sqlite3 "$S/lochs.db" "SELECT id FROM jails WHERE name = 'usrv'")")
flows() { ss -Huanp | grep "pid=$up," | grep -c ']:9999 '; }
[ "$(flows)" -ge 2 ] || fail "no UDP flows to the jail: $(ss -Huanp | grep "pid=$up,")"
until_ok "idle UDP flows closed" sh -c "[ \"\$(ss -Huanp | grep 'pid=$up,' | grep -c ']:9999 ')\" = 0 ]"
[ "$(udp ::1 18283 again)" = again ] || fail "udp after the flows closed"

# A [::1] port a host process took after create: start fails naming it.
expect 0 "create late" T create --name late --network p6 -p "[::1]:18288:8080" freebsd:14.3 sleep 60
python3 -c 'import socket, time
s = socket.socket(socket.AF_INET6); s.bind(("::1", 18288)); s.listen(1); time.sleep(30)' &
holder=$!
until_ok "holder listening" sh -c "ss -Htln | grep -q '\[::1\]:18288 '"
expect 125 "start with [::1] taken" T start late
case $out in *"[::1]:18288/tcp"*"in use"*) ;; *) fail "start with [::1] taken: $out" ;; esac
kill $holder; wait $holder 2>/dev/null || true
expect 0 "start late" T start late
ss -Htln | grep -q '\[::1\]:18288 ' || fail "late's [::1] port not listening"
expect 0 "rm late" T rm -f late
# A jail without IPv6: [::1] goes to its IPv4 address.
expect 0 "IPv4 jail on [::1]" T run -d --name srv4 --network p4 -p "[::1]:18284:8080" -v "$S/www:/www:ro" \
	freebsd:14.3 /usr/local/bin/httpd-lite -q -p 8080 -d /www
until_ok "[::1]:18284 to an IPv4 jail" got_ok "[::1]:18284"
expect 0 "rm -f srv4" T rm -f srv4
until_ok "[::1]:18284 gone with rm -f" refused "[::1]:18284"

# A crash: kill -9 of the monitor (and jail) takes the listener with it;
# the next command leaves neither rule nor row.
expect 0 "crash jail" T run -d --name crash --network p6 -p "[::1]:18286:8080" -v "$S/www:/www:ro" \
	freebsd:14.3 /usr/local/bin/httpd-lite -q -p 8080 -d /www
until_ok "[::1]:18286" got_ok "[::1]:18286"
mon=$(field crash MonitorPid) pid=$(field crash Pid)
kill -9 "$mon" "$pid"
until_ok "[::1]:18286 gone with its monitor" refused "[::1]:18286"
expect 0 "ps after the crash" T ps -a
expect 0 "prune" T system prune -f
[ "$(sqlite3 "$S/lochs.db" "SELECT count(*) FROM port_bindings WHERE host_port = 18286")" = 0 ] || fail "prune left the row"
[ "$(proxies | wc -l)" = 2 ] || fail "not the two proxies of srv and usrv: $(proxies)"

# Refused in one line, nothing reserved, no jail left.
n=$(T ps -aq | wc -l)
expect 125 "IPv6 port without IPv6" T run -d --network p4 -p "[::]:18287:8080" freebsd:14.3 sleep 60
case $out in *"no IPv6 address"*) ;; *) fail "[::] on an IPv4 network: $out" ;; esac
[ "$(T ps -aq | wc -l)" = "$n" ] || fail "a refused jail was left: $(T ps -a)"
[ "$(sqlite3 "$S/lochs.db" "SELECT count(*) FROM port_bindings WHERE host_port = 18287")" = 0 ] ||
	fail "a refused port was reserved"

expect 0 "rm" T rm -f srv usrv
until_ok "[::1]:18282 gone with rm -f" refused "[::1]:18282"
until_ok "no proxy left" no_proxy
expect 0 "rm networks" T network rm p6 p4
nft list tables | grep -qx "table ip6 $table" && fail "ip6 table left: $(rules6)"
echo PASS
