#!/bin/sh
# network connect / disconnect on running and stopped jails, internal
# networks (no default route), and the host and container:NAME modes
# (root only), and IPv6 addresses; network inspect's Containers and the
# endpoints' MACs; ping (raw ICMP) with and without --cap-add NET_RAW. FreeBSD httpd-lite and fetch-lite from the test image are
# the server and client. Addresses only from 198.18.40.0/22 and fd42:43::/64; every jail on
# a network of its own (the default lochs0 is shared with other roots).
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/lochs.sh"
jail_test connect
T() { timeout 60 "$LOCHS" --root "$S" "$@"; }
at_exit() {
	for id in $(T ps -aq 2>/dev/null); do T rm -f "$id" >/dev/null 2>&1 || true; done
	for n in cna cnb cni cn6; do T network rm $n >/dev/null 2>&1 || true; done
}
ip_on() { T inspect "$1" | jq -r ".[0].NetworkSettings.Networks[\"$2\"].IPAddress // empty"; }
pid_of() { T inspect "$1" | jq -r '.[0].State.Pid'; }
links_in() { nsenter -t "$(pid_of "$1")" -n ip -br link | awk '{ sub(/@.*/, "", $1); print $1 }' | sort | tr '\n' ' '; }
allocs() { sqlite3 "$S/lochs.db" "SELECT count(*) FROM ip_allocations WHERE owner = '$1'"; }
# fetch FROM URL: 0 when the jail FROM gets the file.
fetch() { T exec "$1" /usr/local/bin/fetch-lite -q -t 3 "$2" >/dev/null 2>&1; }

expect 0 "network a" T network create --subnet 198.18.40.0/24 cna
expect 0 "network b" T network create --subnet 198.18.41.0/24 cnb
expect 0 "internal network" T network create --internal --subnet 198.18.42.0/24 cni
mkdir -p "$S/www" && echo "connected" >"$S/www/file"
expect 0 "server" T run -d --name srv --network cna -v "$S/www:/www:ro" freebsd:14.3 \
	/usr/local/bin/httpd-lite -p 8080 -d /www
A=$(ip_on srv cna)
url=http://$A:8080/file
expect 0 "client" T run -d --name cli --network cnb freebsd:14.3 sleep 300
[ -n "$(ip_on cli cnb)" ] || fail "client address: $(T inspect cli)"
until_ok "server to listen" T run --rm --network cna freebsd:14.3 /usr/local/bin/fetch-lite -q -t 2 "$url"

# Raw sockets: lochsbox ping (ICMP echo over SOCK_RAW, FreeBSD Go) needs
# --cap-add NET_RAW, as FreeBSD's ping in a Docker jail; without it the
# socket is refused cleanly in one line.
expect 0 "ping with NET_RAW" T run --rm --network cna --cap-add NET_RAW freebsd:14.3 /bin/lochsbox ping -c 2 -W 3 "$A"
echo "$out" | grep -q "^2 packets transmitted, [12] packets received$" || fail "ping: $out"
echo "$out" | grep -q "bytes from $A: icmp_seq=" || fail "ping reply: $out"
expect 2 "ping nobody" T run --rm --network cna --cap-add NET_RAW freebsd:14.3 /bin/lochsbox ping -c 1 -W 1 198.18.40.250
echo "$out" | grep -q "^1 packets transmitted, 0 packets received$" || fail "ping of a free address: $out"
expect 1 "ping without NET_RAW" T run --rm --network cna freebsd:14.3 /bin/lochsbox ping -c 1 "$A"
[ "$out" = "ping: socket: Operation not permitted" ] || fail "ping without NET_RAW: $out"

# Another network: no way to the server until connected.
fetch cli "$url" && fail "cnb reached cna before connect"
expect 0 "connect" T network connect --alias web2 cna cli
B=$(ip_on cli cna)
case $B in 198.18.40.*) ;; *) fail "connected address: $B ($(T inspect cli))" ;; esac
[ "$(links_in cli)" = "eth0 eth1 lo " ] || fail "links after connect: $(links_in cli)"
fetch cli "$url" || fail "connected jail cannot fetch"
# Go's net.Interfaces() (FreeBSD build: NET_RT_IFLIST) sees both endpoints.
expect 0 "ifaddrs" T exec cli /bin/lochsbox ifaddrs
echo "$out" | grep -Eq '^lo0 up\|loopback.* 127\.0\.0\.1/8' || fail "Go interfaces, lo0: $out"
echo "$out" | grep -Eq "^eth0 up\\|broadcast\\|multicast.* $(ip_on cli cnb)/24" || fail "Go interfaces, eth0: $out"
echo "$out" | grep -Eq "^eth1 up\\|broadcast\\|multicast.* $B/24" || fail "Go interfaces, eth1: $out"
# Only the first network gives the default route.
r=$(nsenter -t "$(pid_of cli)" -n ip route show default)
case $r in *198.18.41.1*) ;; *) fail "default route after connect: $r" ;; esac
[ "$(sqlite3 "$S/lochs.db" "SELECT alias FROM net_aliases")" = web2 ] || fail "alias not recorded"
expect 125 "connect twice" T network connect cna cli
[ "$(echo "$out" | wc -l)" = 1 ] && echo "$out" | grep -q "already connected" || fail "connect twice: $out"
T events --since 1h | grep -q "network connect" || fail "no connect event: $(T events --since 1h)"

expect 0 "disconnect" T network disconnect cna cli
[ "$(links_in cli)" = "eth0 lo " ] || fail "links after disconnect: $(links_in cli)"
[ "$(allocs "$(T inspect cli | jq -r '.[0].Id')")" = 1 ] || fail "address on cna not released"
[ -z "$(ip_on cli cna)" ] || fail "inspect still shows cna"
fetch cli "$url" && fail "disconnected jail still reaches the server"
expect 125 "disconnect again" T network disconnect cna cli
echo "$out" | grep -q "not connected" || fail "disconnect again: $out"

# A stopped jail: connected now, both endpoints at its start; a static --ip.
expect 0 "create later" T create --name later --network cnb freebsd:14.3 sleep 300
expect 0 "connect stopped" T network connect --ip 198.18.40.77 cna later
expect 0 "start later" T start later
[ "$(ip_on later cna)" = 198.18.40.77 ] || fail "static connect address: $(ip_on later cna)"
[ "$(links_in later)" = "eth0 eth1 lo " ] || fail "links at start: $(links_in later)"
fetch later "$url" || fail "jail connected while stopped cannot fetch"
# Restart keeps the same endpoints and addresses.
expect 0 "restart later" T restart -t 1 later
[ "$(ip_on later cna)" = 198.18.40.77 ] || fail "address after restart"
until_ok "fetch after restart" fetch later "$url"

# network inspect lists the jails on it as Docker's "Containers" (cli is
# disconnected): name, endpoint id, MAC and addresses as each jail has them.
c=$(T network inspect cna | jq -c '.[0].Containers')
[ "$(echo "$c" | jq -r '[.[].Name] | sort | join(" ")')" = "later srv" ] || fail "inspect Containers: $c"
lid=$(T inspect later | jq -r '.[0].Id')
lmac=$(T inspect later | jq -r '.[0].NetworkSettings.Networks.cna.MacAddress')
echo "$c" | jq -e --arg id "$lid" --arg mac "$lmac" '.[$id] | .Name == "later" and .MacAddress == $mac
	and .IPv4Address == "198.18.40.77/24" and .IPv6Address == "" and (.EndpointID | test("^[0-9a-f]{64}$"))' \
	>/dev/null || fail "inspect Containers of later: $c"
# MACs come from the addresses (unique on the bridge): 02:6c and the four bytes.
[ "$lmac" = 02:6c:c6:12:28:4d ] || fail "MAC of 198.18.40.77: $lmac"
nsenter -t "$(pid_of later)" -n ip -br link show eth1 | grep -q "$lmac" || fail "MAC inside: $(nsenter -t "$(pid_of later)" -n ip -br link)"
[ "$(echo "$c" | jq '[.[].MacAddress] | unique | length')" = 2 ] || fail "MACs not unique: $c"

# Internal: no default route, the subnet itself reachable.
expect 0 "internal jail" T run -d --name inner --network cni freebsd:14.3 sleep 300
[ -z "$(nsenter -t "$(pid_of inner)" -n ip route show default)" ] || fail "internal jail has a default route"
nsenter -t "$(pid_of inner)" -n ip route | grep -q "198.18.42.0/24" || fail "internal jail has no subnet route"
# Connecting it to a routed network gives it that network's default route.
expect 0 "connect internal jail" T network connect cna inner
r=$(nsenter -t "$(pid_of inner)" -n ip route show default)
case $r in *198.18.40.1*) ;; *) fail "default route via cna: $r" ;; esac

# --network container:srv shares srv's stack: its loopback serves srv.
expect 0 "container mode" T run --rm --network container:srv freebsd:14.3 \
	/usr/local/bin/fetch-lite -t 3 http://127.0.0.1:8080/file
[ "$out" = connected ] || fail "container mode fetch: $out"
expect 0 "container mode jail" T run -d --name twin --network container:srv freebsd:14.3 sleep 300
[ "$(readlink "/proc/$(pid_of twin)/ns/net")" = "$(readlink "/proc/$(pid_of srv)/ns/net")" ] ||
	fail "container mode: another netns"
expect 125 "connect container-mode jail" T network connect cnb twin
echo "$out" | grep -q "shares the network stack" || fail "connect twin: $out"
expect 125 "container mode and -p" T run --rm --network container:srv -p 18999:80 freebsd:14.3 true
echo "$out" | grep -q "conflicting options" || fail "container mode with -p: $out"
expect 125 "unknown container" T run --rm --network container:nosuch freebsd:14.3 true

# --network bridge is Docker's name of the default network (lochs0).
expect 0 "bridge mode" T create --name onbridge --network bridge freebsd:14.3 true
T inspect onbridge | jq -e '.[0].NetworkSettings.Networks | keys == ["lochs0"]' >/dev/null ||
	fail "--network bridge: $(T inspect onbridge)"
[ "$(T network inspect bridge | jq -r '.[0].Name')" = lochs0 ] || fail "network inspect bridge: $(T network inspect bridge)"
for n in bridge host none; do
	expect 125 "network create $n" T network create "$n"
	echo "$out" | grep -q "pre-defined" || fail "network create $n: $out"
done
expect 0 "rm onbridge" T rm onbridge

# --network host: the host's netns.
expect 0 "host mode" T run -d --name hostnet --network host freebsd:14.3 sleep 300
[ "$(readlink "/proc/$(pid_of hostnet)/ns/net")" = "$(readlink /proc/self/ns/net)" ] || fail "host mode: not the host's netns"
T inspect hostnet | jq -e '.[0].NetworkSettings.Networks == {}' >/dev/null || fail "host mode inspect"

# IPv6: a network with an IPv6 subnet gives its jails both families.
expect 0 "IPv6 network" T network create --ipv6 --subnet 198.18.43.0/24 --subnet fd42:43::/64 cn6
expect 0 "IPv6 server" T run -d --name srv6 --network cn6 --ip6 fd42:43::10 -v "$S/www:/www:ro" freebsd:14.3 \
	/usr/local/bin/httpd-lite -p 8080 -d /www
p6=$(pid_of srv6)
nsenter -t "$p6" -n ip -6 addr show dev eth0 | grep -q 'inet6 fd42:43::10/64' ||
	fail "IPv6 address: $(nsenter -t "$p6" -n ip -6 addr)"
nsenter -t "$p6" -n ip -6 route show default | grep -q 'via fd42:43::1 ' ||
	fail "IPv6 default route: $(nsenter -t "$p6" -n ip -6 route)"
until_ok "IPv6 fetch" T run --rm --network cn6 freebsd:14.3 /usr/local/bin/fetch-lite -q -t 2 "http://[fd42:43::10]:8080/file"
T network inspect cn6 | jq -e '[.[0].Containers[] | select(.Name == "srv6")][0].IPv6Address == "fd42:43::10/64"' >/dev/null ||
	fail "inspect Containers, IPv6: $(T network inspect cn6)"
expect 0 "connect to IPv6 network" T network connect cn6 cli
nsenter -t "$(pid_of cli)" -n ip -6 addr | grep -q 'inet6 fd42:43::2/64' || fail "connect: no IPv6 address"
fetch cli "http://[fd42:43::10]:8080/file" || fail "IPv6 fetch after connect"
expect 125 "--ip6 without IPv6" T run --rm --network cna --ip6 fd42:43::20 freebsd:14.3 true
echo "$out" | grep -q "has no IPv6 subnet" || fail "--ip6 on an IPv4 network: $out"

# Removal gives everything back.
for j in srv cli later inner twin hostnet srv6; do expect 0 "rm $j" T rm -f "$j"; done
[ "$(sqlite3 "$S/lochs.db" "SELECT count(*) FROM ip_allocations WHERE owner <> ':gateway'")" = 0 ] ||
	fail "allocations left: $(sqlite3 "$S/lochs.db" 'SELECT * FROM ip_allocations')"
T network inspect cna | jq -e '.[0].Containers == {}' >/dev/null || fail "Containers after rm: $(T network inspect cna)"
for n in cna cnb cni cn6; do expect 0 "rm network $n" T network rm $n; done
echo PASS
