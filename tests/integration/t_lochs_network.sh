#!/bin/sh
# lochs network create/ls/inspect/rm/prune against a state root in /tmp
# (root only): the bridge with its gateway address, removal, bad input
# leaving no link and no row, the default network refused by rm, a
# half-created network (row, no bridge) repaired by create and removed by
# prune, and 8 concurrent `lochs _netalloc` processes getting 8 distinct
# addresses. Test bridges get addresses only from 198.18.0.0/15 and the
# default pool 172.30.0.0/15 (IPv6: the 2001:2::/48 benchmarking range).
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/lochs.sh"
[ "$(id -u)" = 0 ] || skip "bridges need root"
[ -x "$LOCHS" ] || fail "lochs not found: $LOCHS"
# lochs0 is one per host: a host that has one (another root's) keeps it.
HAD_LOCHS0=0
ip link show lochs0 >/dev/null 2>&1 && HAD_LOCHS0=1
S=$(mktemp -d /tmp/lochs-net.XXXXXX)
cleanup() {
	# Only the bridges this root's rows name, then the root.
	for n in $(timeout 20 "$LOCHS" --root "$S" network ls -q 2>/dev/null); do
		br=$(timeout 20 "$LOCHS" --root "$S" network inspect "$n" 2>/dev/null |
			sed -n 's/.*"com.docker.network.bridge.name": "\(lochs[^"]*\)".*/\1/p')
		if [ -n "$br" ] && ! { [ "$br" = lochs0 ] && [ $HAD_LOCHS0 = 1 ]; }; then
			ip link del "$br" 2>/dev/null || true
		fi
	done
	# Its nftables table too (netplane/firewall.h).
	fw=$(timeout 20 "$LOCHS" --root "$S" info 2>/dev/null | sed -n 's/^Firewall Table: //p')
	[ -z "$fw" ] || { nft delete table $fw; nft delete table ip6 ${fw#ip }; } 2>/dev/null || true
	rm -rf "$S"
}
trap cleanup EXIT
L() { timeout 30 "$LOCHS" --root "$S" "$@"; }
bridge_of() { L network inspect "$1" | sed -n 's/.*"com.docker.network.bridge.name": "\(.*\)".*/\1/p'; }
links() { ip -br link | awk '{ print $1 }' | sort; }

before=$(links)
# create with every flag; the bridge is up with the gateway address.
expect 0 "create" L network create --driver bridge --subnet 198.18.40.0/24 --gateway 198.18.40.254 \
	--ip-range 198.18.40.128/25 --internal --label team=web --label tier=db tnet
id=$out
echo "$id" | grep -Eq '^[0-9a-f]{64}$' || fail "create prints an id: $id"
br=$(bridge_of tnet)
case $br in lochs-*) ;; *) fail "bridge name: $br" ;; esac
ip -br addr show "$br" | grep -q ' 198\.18\.40\.254/24' || fail "gateway address: $(ip -br addr show "$br")"
ip link show "$br" | grep -q '[<,]UP[,>]' || fail "bridge not up: $(ip link show "$br")"
[ "$(cat /sys/class/net/"$br"/bridge/bridge_id 2>/dev/null | wc -c)" -gt 0 ] || fail "$br is not a bridge"

# Defaults: subnet from the pool, gateway its first host.
expect 0 "create from the pool" L network create pooled
L network inspect pooled > "$S/pooled.json" || fail "inspect pooled"
sub=$(sed -n 's/.*"Subnet": "\(.*\)".*/\1/p' "$S/pooled.json")
gw=$(sed -n 's/.*"Gateway": "\(.*\)".*/\1/p' "$S/pooled.json")
case $sub in 172.3[01].*.0/24) ;; *) fail "pool subnet: $sub" ;; esac
[ "$gw" = "${sub%.0/24}.1" ] || fail "pool gateway $gw for $sub"
ip -br addr show "$(bridge_of pooled)" | grep -q " $gw/24" || fail "pooled bridge address"
ip route show | grep -v "$(bridge_of pooled)" | awk '{ print $1 }' | grep -qx "$sub" && fail "pool picked a host route"

# IPv6 only when the host has it.
if [ "$(cat /proc/sys/net/ipv6/conf/all/disable_ipv6 2>/dev/null)" = 0 ]; then
	expect 0 "create --ipv6" L network create --ipv6 --subnet 198.18.41.0/24 --subnet 2001:2:0:41::/64 v6net
	ip -br addr show "$(bridge_of v6net)" | grep -q '2001:2:0:41::1/64' || fail "v6 gateway: $(ip -br addr show "$(bridge_of v6net)")"
	L network inspect v6net | grep -q '"EnableIPv6": true' || fail "EnableIPv6"
	expect 0 "v6 first address" L _netalloc -6 v6net o1
	[ "$out" = 2001:2:0:41::2 ] || fail "first IPv6 address: $out"
	L _netrelease v6net o1 || fail "release v6net"
	expect 0 "rm v6net" L network rm v6net
	# IPv6 --gateway and --ip-range go with the IPv6 --subnet (by family).
	expect 0 "create --ipv6 --gateway" L network create --ipv6 --subnet 198.18.41.0/24 --gateway 198.18.41.254 \
		--subnet 2001:2:0:41::/64 --gateway 2001:2:0:41::ff --ip-range 2001:2:0:41::100/120 --ip-range 198.18.41.64/26 v6gw
	a=$(ip -br addr show "$(bridge_of v6gw)")
	case $a in *' 198.18.41.254/24 '*'2001:2:0:41::ff/64'*) ;; *) fail "v6 --gateway on the bridge: $a" ;; esac
	case $a in *'2001:2:0:41::1/'*) fail "the default IPv6 gateway too: $a" ;; esac
	L network inspect v6gw >"$S/insp6"
	for want in '"Gateway": "2001:2:0:41::ff"' '"IPRange": "2001:2:0:41::100/120"' '"IPRange": "198.18.41.64/26"'; do
		grep -qF "$want" "$S/insp6" || fail "inspect lacks $want: $(cat "$S/insp6")"
	done
	expect 0 "v6 in range" L _netalloc -6 v6gw o1
	[ "$out" = 2001:2:0:41::100 ] || fail "first address of the IPv6 --ip-range: $out"
	expect 0 "v4 in range" L _netalloc v6gw o1
	[ "$out" = 198.18.41.64 ] || fail "first address of the IPv4 --ip-range: $out"
	expect 125 "v6 static gateway" L _netalloc -6 v6gw o2 2001:2:0:41::ff
	L _netrelease v6gw o1 || fail "release v6gw"
	expect 0 "rm v6gw" L network rm v6gw
	# A range ending at the gateway skips it: ::fe, ::ff is the gateway.
	expect 0 "range with the gateway" L network create --ipv6 --subnet 198.18.41.0/24 --subnet 2001:2:0:41::/64 \
		--gateway 2001:2:0:41::fe --ip-range 2001:2:0:41::fe/127 v6full
	expect 0 "only ::ff" L _netalloc -6 v6full o1
	[ "$out" = 2001:2:0:41::ff ] || fail "the range's one free address: $out"
	expect 125 "range full" L _netalloc -6 v6full o2
	case $out in *"no available IPv6 addresses"*) ;; *) fail "range full: $out" ;; esac
	L _netrelease v6full o1 && L network rm v6full >/dev/null || fail "rm v6full"
fi

# ls, ls -q, ls --format json, inspect.
L network ls | grep -Eq "^${id%"${id#????????????}"} +tnet +bridge +local$" || fail "ls: $(L network ls)"
[ "$(L network ls -q | sort)" = "$(printf '%s\n' "$(L network inspect tnet | sed -n 's/.*"Id": "\(.\{12\}\).*/\1/p')" \
	"$(L network inspect pooled | sed -n 's/.*"Id": "\(.\{12\}\).*/\1/p')" | sort)" ] || fail "ls -q: $(L network ls -q)"
L network ls --format json | grep '"Name":"tnet"' | grep '"Driver":"bridge"' | grep -q '"Internal":true' ||
	fail "ls json: $(L network ls --format json)"
L network inspect tnet > "$S/insp" || fail "inspect"
for want in '"Name": "tnet"' "\"Id\": \"$id\"" '"Driver": "bridge"' '"Subnet": "198.18.40.0/24"' \
	'"Gateway": "198.18.40.254"' '"IPRange": "198.18.40.128/25"' '"Internal": true' '"team": "web"' \
	'"tier": "db"' '"Containers": {}'; do
	grep -qF "$want" "$S/insp" || fail "inspect lacks $want: $(cat "$S/insp")"
done
L network inspect "${id%"${id#??????}"}" | grep -q '"Name": "tnet"' || fail "inspect by id prefix"
expect 125 "inspect missing" L network inspect nosuch
echo "$out" | grep -q "network nosuch not found" || fail "inspect missing message: $out"

# Concurrent allocations: 8 processes, 8 distinct addresses, all in --ip-range.
for i in 1 2 3 4 5 6 7 8; do L _netalloc tnet "owner$i" > "$S/alloc.$i" 2>&1 & done
wait
cat "$S"/alloc.* > "$S/allocs"
[ "$(sort -u "$S/allocs" | wc -l)" = 8 ] || fail "8 distinct addresses: $(cat "$S/allocs")"
grep -Evq '^198\.18\.40\.(12[89]|1[3-9][0-9]|2[0-5][0-9])$' "$S/allocs" && fail "address outside --ip-range: $(cat "$S/allocs")"
[ "$(sort -t. -k4 -n "$S/allocs" | head -n1)" = 198.18.40.128 ] || fail "lowest first: $(cat "$S/allocs")"
expect 125 "static taken" L _netalloc tnet other 198.18.40.128
expect 125 "static outside" L _netalloc tnet other 198.18.41.5
expect 125 "static gateway" L _netalloc tnet other 198.18.40.254
expect 0 "static" L _netalloc tnet other 198.18.40.9
[ "$out" = 198.18.40.9 ] || fail "static address: $out"
# A network with endpoints stays.
expect 125 "rm in use" L network rm tnet
echo "$out" | grep -q "active endpoints" || fail "rm in use message: $out"
for i in 1 2 3 4 5 6 7 8; do L _netrelease tnet "owner$i" || fail "release"; done
L _netrelease tnet other || fail "release other"

# Bad input: one line, exit 125, no link and no row left.
mid=$(links) rows=$(L network ls -q | wc -l)
bad() {
	expect 125 "$1" L network create "$@"
	[ "$(echo "$out" | wc -l)" = 1 ] || fail "$1: not one line: $out"
	echo "$out" | grep -q "^lochs: " || fail "$1: message: $out"
}
bad --subnet 198.18.42.0/33 b1
bad --subnet 198.18.42.1/24 b2
bad --subnet nonsense b3
bad --subnet 198.18.42.0/24 --gateway 198.18.43.1 b4
bad --subnet 198.18.42.0/24 --gateway 198.18.42.0 b5
bad --subnet 198.18.42.0/24 --ip-range 198.18.43.0/28 b6
bad --subnet 198.18.40.128/25 b7
bad --subnet 198.18.0.0/15 b8
bad --subnet 198.18.42.0/24 tnet
bad --ipv6 b9
bad --ipv6 --subnet 198.18.42.0/24 b10
bad --subnet 2001:2:0:42::/64 b11
bad --driver overlay b12
bad --gateway 198.18.42.1 b13
# IPv6 --gateway / --ip-range: outside the subnet, no IPv6 subnet, two of a family.
bad --ipv6 --subnet 2001:2:0:42::/64 --gateway 2001:2:0:43::1 b14
bad --ipv6 --subnet 2001:2:0:42::/64 --gateway 2001:2:0:42:: b15
bad --ipv6 --subnet 2001:2:0:42::/64 --ip-range 2001:2:0:43::/80 b16
bad --ipv6 --subnet 2001:2:0:42::/64 --ip-range 2001:2:0:42::1/80 b17
bad --subnet 198.18.42.0/24 --gateway 2001:2:0:42::1 b18
bad --subnet 198.18.42.0/24 --ip-range 2001:2:0:42::/80 b19
bad --ipv6 --subnet 2001:2:0:42::/64 --gateway 2001:2:0:42::1 --gateway 2001:2:0:42::2 b20
bad --ipv6 --subnet 2001:2:0:42::/64 --gateway nonsense:: b21
bad 'bad/name'
bad lochs0
[ "$(links)" = "$mid" ] || fail "links changed by failed creates: $(links)"
[ "$(L network ls -q | wc -l)" = "$rows" ] || fail "rows left by failed creates: $(L network ls)"

# The default network: created on demand, never removed.
expect 0 "default network" L _netdefault
[ $HAD_LOCHS0 = 1 ] || ip -br addr show lochs0 2>/dev/null | grep -q ' 172\.3[01]\.' ||
	fail "lochs0 bridge: $(ip -br addr show lochs0 2>&1)"
expect 125 "rm lochs0" L network rm lochs0
echo "$out" | grep -q "pre-defined" || fail "rm lochs0 message: $out"

# rm deletes the bridge; several names, one missing: the others still go.
brp=$(bridge_of pooled)
expect 125 "rm with a missing one" L network rm tnet nosuch pooled
echo "$out" | grep -q "network nosuch not found" || fail "rm missing message: $out"
ip link show "$br" >/dev/null 2>&1 && fail "rm left bridge $br"
ip link show "$brp" >/dev/null 2>&1 && fail "rm left bridge $brp"

# Crash between row and bridge: create repairs it, prune removes it.
expect 0 "create half" L network create --subnet 198.18.44.0/24 half
brh=$(bridge_of half)
ip link del "$brh" || fail "del $brh"
expect 0 "create repairs" L network create --subnet 198.18.45.0/24 other
ip -br addr show "$brh" | grep -q ' 198\.18\.44\.1/24' || fail "repair did not rebuild $brh"
ip link del "$brh" || fail "del $brh"
expect 0 "prune" L network prune -f
echo "$out" | grep -qx half || fail "prune output: $out"
echo "$out" | grep -qx other || fail "prune output: $out"
echo "$out" | grep -qx lochs0 && fail "prune removed the default network"
[ "$(L network ls | awk 'NR > 1 { print $2 }')" = lochs0 ] || fail "after prune: $(L network ls)"

# Only lochs0 (the default) remains of what this test made; remove it.
[ $HAD_LOCHS0 = 1 ] || ip link del lochs0
L network ls -q >/dev/null
after=$(links)
[ "$after" = "$before" ] || fail "links differ at the end: before=$before after=$after"
echo "PASS"
