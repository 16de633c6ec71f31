#!/bin/sh
# Published ports, outbound NAT and isolation (root only; netplane/
# firewall.h): a FreeBSD httpd-lite in a jail on a user network with
# -p 18080:8080 answers on 127.0.0.1:18080 and on the host's own address
# seen from a client network namespace; UDP (udp-echo) and a port range;
# -P with the image's ExposedPorts and --expose, shown by `lochs port`, ps
# and inspect; a taken port (another jail, a host process) and a bad -p
# are refused in one line leaving nothing; a jail reaches a server in
# another namespace masqueraded, one on an --internal network does not; a
# jail on another network cannot reach the first one; after rm no table of
# this root is left; after kill -9 of monitors and jails `system prune`
# removes the leaked rules and rows. Only loopback and namespaces and veths
# made here, addresses 198.18.20.0/24-198.18.29.0/24, host ports 18000-18999.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/lochs.sh"
jail_test ports
command -v nft >/dev/null || skip "nft not installed"
PY=/usr/bin/python3
[ -x $PY ] || skip "python3 not installed"
T() { timeout 60 "$LOCHS" --root "$S" "$@"; }
# Free host ports for -P come from this test's range.
export LOCHS_PORT_RANGE=18900-18999
C=lpc$$ V=lps$$ # client and server namespaces (and their veths' names)
pids=""
at_exit() {
	for id in $(T ps -aq 2>/dev/null); do T rm -f "$id" >/dev/null 2>&1 || true; done
	for n in pa pb pi; do T network rm "$n" >/dev/null 2>&1 || true; done
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	ip netns del $C 2>/dev/null || true
	ip netns del $V 2>/dev/null || true
	ip link del ${C}h 2>/dev/null || true
	ip link del ${V}h 2>/dev/null || true
}
table=$(T info | sed -n 's/^Firewall Table: ip //p')
case $table in lochs_????????) ;; *) fail "table name: $table" ;; esac
has_table() { nft list tables | grep -qx "table ip $table"; }
rules() { nft list table ip "$table" 2>/dev/null || true; }
rows() { sqlite3 "$S/lochs.db" "SELECT count(*) FROM port_bindings"; }
allocs() { sqlite3 "$S/lochs.db" "SELECT count(*) FROM ip_allocations WHERE owner <> ':gateway'"; }
ip_of() { T inspect "$1" | sed -n 's/.*"IPAddress": "\(.*\)".*/\1/p'; }
field() { T inspect "$1" | sed -n "s/.*\"$2\": \\([0-9]*\\).*/\\1/p" | head -n 1; }
gone() { ! kill -0 "$1" 2>/dev/null; }
http_ok() { [ "$(curl -s --max-time 2 "http://$1/file")" = "hello through the port" ]; }
UDPPY='import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(1)
s.sendto(sys.argv[3].encode(), (sys.argv[1], int(sys.argv[2]))); print(s.recv(65536).decode())'
udp() { $PY -c "$UDPPY" "$@"; } # HOST PORT TEXT: the echoed text
udp_ok() { [ "$(udp "$1" "$2" ping 2>/dev/null)" = ping ]; }
has_table && fail "a table before any network: $(rules)"

# Networks: two plain, one internal. Forwarding is on with the first.
expect 0 "network a" T network create --subnet 198.18.20.0/24 pa
expect 0 "network b" T network create --subnet 198.18.21.0/24 pb
expect 0 "network internal" T network create --internal --subnet 198.18.22.0/24 pi
has_table || fail "no table $table after network create"
[ "$(cat /proc/sys/net/ipv4/ip_forward)" = 1 ] || fail "ip_forward not set"
rules | grep -q 'ip saddr 198.18.20.0/24 oifname != "lochs-.*" masquerade' || fail "no masquerade: $(rules)"
rules | grep -q 'ip saddr 198.18.22.0/24' && fail "internal network masqueraded: $(rules)"

# A client namespace reaching the host at 198.18.29.1 over a veth pair.
ip netns add $C && ip link add ${C}h type veth peer name ${C}n && ip link set ${C}n netns $C ||
	fail "client namespace"
ip addr add 198.18.29.1/30 dev ${C}h && ip link set ${C}h up
ip -n $C addr add 198.18.29.2/30 dev ${C}n && ip -n $C link set ${C}n up && ip -n $C link set lo up
ip -n $C route add default via 198.18.29.1

# TCP: -p 18080:8080 from loopback and from the client namespace.
mkdir -p "$S/www" && echo "hello through the port" >"$S/www/file"
expect 0 "server" T run -d --name srv --network pa -p 18080:8080 -v "$S/www:/www:ro" freebsd:14.3 \
	/usr/local/bin/httpd-lite -q -p 8080 -d /www
a=$(ip_of srv)
until_ok "127.0.0.1:18080" http_ok 127.0.0.1:18080
[ "$(ip netns exec $C curl -s --max-time 5 http://198.18.29.1:18080/file)" = "hello through the port" ] ||
	fail "client namespace through 198.18.29.1:18080: $(rules)"
bridge=$(rules | sed -n 's/.*oifname "\(lochs-[0-9a-f]*\)" ip daddr '"$a"' tcp dport 8080.*/\1/p' | head -n 1)
[ "$(cat /proc/sys/net/ipv4/conf/"$bridge"/route_localnet 2>/dev/null)" = 1 ] || fail "route_localnet on '$bridge'"
expect 0 "port" T port srv
[ "$out" = "8080/tcp -> 0.0.0.0:18080" ] || fail "lochs port: $out"
expect 0 "port 8080" T port srv 8080/tcp
[ "$out" = "0.0.0.0:18080" ] || fail "lochs port 8080: $out"
expect 1 "port 81" T port srv 81
T ps | grep -q '0.0.0.0:18080->8080/tcp' || fail "ps PORTS: $(T ps)"
T inspect srv | tr -d ' \n' | grep -q '"Ports":{"8080/tcp":\[{"HostIp":"0.0.0.0","HostPort":"18080"}\]}' ||
	fail "inspect Ports: $(T inspect srv)"

# Forwarded while the jail runs: stop takes the rule away (the port stays
# reserved), start brings it back.
expect 0 "stop srv" T stop -t 2 srv
rules | grep -q 'dport 18080' && fail "a stopped jail's port is still forwarded: $(rules)"
T ps -a | grep -q '0.0.0.0:18080->8080/tcp' || fail "a stopped jail lost its port reservation: $(T ps -a)"
expect 0 "start srv" T start srv
until_ok "127.0.0.1:18080 after start" http_ok 127.0.0.1:18080

# Other jails use it through a host address like any client: one of the
# same network (hairpin, masqueraded) and one of another network.
for n in pa pb; do
	expect 0 "published port from $n" T run --rm --network $n freebsd:14.3 \
		/usr/local/bin/fetch-lite -t 10 http://198.18.29.1:18080/file
	[ "$out" = "hello through the port" ] || fail "published port from a jail on $n: $out"
done

# UDP and a UDP range.
expect 0 "udp" T run -d --name usrv --network pa -p 18081:9999/udp freebsd:14.3 /usr/local/bin/udp-echo -l 9999
until_ok "udp 18081" udp_ok 127.0.0.1 18081
[ "$(udp 127.0.0.1 18081 over-udp)" = over-udp ] || fail "udp over 127.0.0.1:18081"
[ "$(ip netns exec $C $PY -c "$UDPPY" 198.18.29.1 18081 ns)" = ns ] || fail "udp from the client namespace"
expect 0 "range" T run -d --name rsrv --network pa -p 18082-18084:9000-9002/udp freebsd:14.3 /bin/sh -c \
	"/usr/local/bin/udp-echo -l 9000 & /usr/local/bin/udp-echo -l 9001 & exec /usr/local/bin/udp-echo -l 9002"
expect 0 "port range" T port rsrv
[ "$(echo "$out" | tr '\n' ' ')" = "9000/udp -> 0.0.0.0:18082 9001/udp -> 0.0.0.0:18083 9002/udp -> 0.0.0.0:18084 " ] ||
	fail "lochs port of the range: $out"
for p in 18082 18083 18084; do until_ok "udp $p" udp_ok 127.0.0.1 $p; done

# -P: the image's ExposedPorts (8080/tcp, the OCI test image) and --expose,
# each to a free port of LOCHS_PORT_RANGE.
# (only the freebsd manifest of the layout, named porttest:1)
mkdir -p "$S/oci" && cp -r build/corpus/image/oci/oci-layout build/corpus/image/oci/blobs "$S/oci/" || fail "oci copy"
sed 's/,{"mediaType":"application\/vnd.oci.image.index.v1+json".*\]}$/]}/; s/image.ref.name":"latest"/image.ref.name":"porttest:1"/' \
	build/corpus/image/oci/index.json >"$S/oci/index.json"
tar -C "$S/oci" -cf "$S/oci.tar" oci-layout index.json blobs || fail "oci tar"
expect 0 "load" T load -i "$S/oci.tar"
img=porttest:1
expect 0 "-P" T run -d --name pall --network pa -P --expose 9000/udp -v "$S/www:/www:ro" "$img" \
	/usr/local/bin/httpd-lite -q -p 8080 -d /www
expect 0 "port -P" T port pall
echo "$out" | grep -Eq '^8080/tcp -> 0\.0\.0\.0:189[0-9][0-9]$' || fail "-P 8080/tcp: $out"
echo "$out" | grep -Eq '^9000/udp -> 0\.0\.0\.0:189[0-9][0-9]$' || fail "-P 9000/udp: $out"
hp=$(T port pall 8080 | sed 's/.*://')
until_ok "-P port $hp" http_ok 127.0.0.1:$hp

# Refusals: one line, exit 125, nothing left behind.
n_jails=$(T ps -aq | wc -l) n_allocs=$(allocs) n_rows=$(rows) n_rules=$(rules | wc -l)
left_nothing() {
	[ "$(T ps -aq | wc -l)" = "$n_jails" ] || fail "$1 left a jail: $(T ps -a)"
	[ "$(allocs)" = "$n_allocs" ] || fail "$1 left an address"
	[ "$(rows)" = "$n_rows" ] || fail "$1 left a port row"
	[ "$(rules | wc -l)" = "$n_rules" ] || fail "$1 left a rule: $(rules)"
}
expect 125 "taken port" T run -d --name dup --network pb -p 18080:8080 freebsd:14.3 sleep 300
[ "$(echo "$out" | wc -l)" = 1 ] || fail "taken port: not one line: $out"
echo "$out" | grep -q "18080" && echo "$out" | grep -q "srv" || fail "taken port message: $out"
left_nothing "taken port"
expect 125 "taken port on one address" T run -d --network pb -p 127.0.0.1:18080:8080 freebsd:14.3 sleep 300
left_nothing "taken port on one address"
$PY -m http.server --bind 127.0.0.1 18090 >/dev/null 2>&1 &
pids="$pids $!"
until_ok "host listener" curl -s --max-time 1 -o /dev/null http://127.0.0.1:18090/
expect 125 "host process" T run -d --name hostp --network pb -p 127.0.0.1:18090:8080 freebsd:14.3 sleep 300
[ "$(echo "$out" | wc -l)" = 1 ] || fail "host process: not one line: $out"
echo "$out" | grep -q "18090" || fail "host process message: $out"
left_nothing "host process"
expect 125 "bad -p" T run -d --network pb -p 70000:80 freebsd:14.3 sleep 300
echo "$out" | grep -q "invalid -p '70000:80': port out of range" || fail "bad -p message: $out"
left_nothing "bad -p"
expect 125 "internal -p" T run -d --network pi -p 18088:80 freebsd:14.3 sleep 300
left_nothing "internal -p"

# Outbound NAT: a server namespace behind the host (198.18.28.2), with a
# route back to the jail networks through the host; it sees the host-side
# address, not the jail's. An internal network's jail cannot reach it.
ip netns add $V && ip link add ${V}h type veth peer name ${V}n && ip link set ${V}n netns $V || fail "server namespace"
ip addr add 198.18.28.1/30 dev ${V}h && ip link set ${V}h up
ip -n $V addr add 198.18.28.2/30 dev ${V}n && ip -n $V link set ${V}n up && ip -n $V link set lo up
ip -n $V route add 198.18.20.0/22 via 198.18.28.1
mkdir -p "$S/out" && echo "outside" >"$S/out/x"
ip netns exec $V $PY -m http.server --bind 198.18.28.2 --directory "$S/out" 18500 >"$S/out.log" 2>&1 &
pids="$pids $!"
until_ok "outside server" ip netns exec $V curl -s --max-time 1 -o /dev/null http://198.18.28.2:18500/x
expect 0 "outbound" T run --rm --network pa freebsd:14.3 /usr/local/bin/fetch-lite -t 10 http://198.18.28.2:18500/x
[ "$out" = outside ] || fail "outbound fetch: $out"
grep -q '^198\.18\.28\.1 .*GET /x' "$S/out.log" || fail "not masqueraded: $(cat "$S/out.log")"
grep -q '^198\.18\.20\.' "$S/out.log" && fail "the jail's address reached the server: $(cat "$S/out.log")"
expect 0 "internal outbound" T run --rm --network pi freebsd:14.3 /bin/sh -c \
	"/usr/local/bin/fetch-lite -q -t 3 http://198.18.28.2:18500/x >/dev/null 2>&1 && echo reached || echo unreachable"
[ "$out" = unreachable ] || fail "internal network reached outside: $out"

# Isolation, with forwarding on: net b cannot reach net a's jail directly
# (its published port through the host stays reachable, as with Docker).
expect 0 "other network" T run --rm --network pb freebsd:14.3 /bin/sh -c \
	"/usr/local/bin/fetch-lite -q -t 3 http://$a:8080/file >/dev/null 2>&1 && echo reached || echo unreachable"
[ "$out" = unreachable ] || fail "network b reached network a: $out"

# --rm with a port: the monitor gives the rows and rules back.
expect 0 "rm with port" T run --rm --network pa -p 18089:8080 freebsd:14.3 true
[ "$(sqlite3 "$S/lochs.db" "SELECT count(*) FROM port_bindings WHERE host_port = 18089")" = 0 ] || fail "--rm left its port"
until_ok "--rm rules gone" sh -c "! nft list table ip $table | grep -q 'dport 18089'"

# Crash: kill -9 of a monitor and its jail leaves a rule; the next look at
# the state (ps) takes it away, prune the reservation.
expect 0 "crash jail" T run -d --name crash --network pa -p 18087:8080 freebsd:14.3 sleep 300
rules | grep -q 'dport 18087' || fail "no rule for 18087"
mon=$(field crash MonitorPid) pid=$(field crash Pid)
kill -9 "$mon" "$pid"
until_ok "monitor $mon gone" gone "$mon"
until_ok "jail $pid gone" gone "$pid"
rules | grep -q 'dport 18087' || fail "the crash took the rule already (the test proves nothing)"
expect 0 "ps after the crash" T ps -a
rules | grep -q 'dport 18087' && fail "a crashed jail's port is still forwarded: $(rules)"
expect 0 "prune" T system prune -f
[ "$(sqlite3 "$S/lochs.db" "SELECT count(*) FROM port_bindings WHERE host_port = 18087")" = 0 ] || fail "prune left the port row"
rules | grep -q 'dport 18087' && fail "prune left the rule: $(rules)"
# A row whose jail is gone (a crash between reservation and record).
sqlite3 "$S/lochs.db" "INSERT INTO port_bindings VALUES('gone', 'tcp', '', 18086, '198.18.20.99', 80)"
expect 0 "system firewall" T system firewall
rules | grep -q 'dport 18086' && fail "sweep kept a gone jail's rule"
[ "$(rows)" = "$(sqlite3 "$S/lochs.db" "SELECT count(*) FROM port_bindings WHERE jail IN (SELECT id FROM jails)")" ] ||
	fail "sweep kept a gone jail's row"

# Removal: no rows, no table of this root.
for j in $(T ps -aq); do expect 0 "rm $j" T rm -f "$j"; done
[ "$(rows)" = 0 ] || fail "port rows left: $(sqlite3 "$S/lochs.db" 'SELECT * FROM port_bindings')"
rules | grep -q 'dnat' && fail "DNAT rules left: $(rules)"
for n in pa pb pi; do expect 0 "network rm $n" T network rm "$n"; done
has_table && fail "table $table left: $(rules)"
echo PASS
