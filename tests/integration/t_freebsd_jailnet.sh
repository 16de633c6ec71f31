#!/bin/sh
# FreeBSD's network tools inside Lochs jails (root only; the FreeBSD base
# programs come from LOCHS_FREEBSD_ROOT, SKIP without it): an image made
# from that root's bin, sbin, lib, libexec and etc; in a jail on a user
# network FreeBSD ifconfig -a shows lo0 and eth0 with the jail's address
# and netstat -rn its default route; with --vnet, ifconfig alias, route
# delete/add default and sysctl net.inet.ip.forwarding=1 change the jail's
# own stack (seen from Linux in its netns; the host's ip_forward is left
# alone); without --vnet each is refused. ping works with --cap-add NET_RAW
# (to the jail's gateway and to another jail) and is refused without it.
# Addresses only from 198.18.44.0/24.
. "$(dirname "$0")/lib/common.sh"
[ -n "${LOCHS_FREEBSD_ROOT:-}" ] ||
	skip "LOCHS_FREEBSD_ROOT is unset (set it to an extracted FreeBSD base system to run this test)"
R=$LOCHS_FREEBSD_ROOT
[ -x "$R/sbin/ifconfig" ] && [ -x "$R/sbin/ping" ] && [ -x "$R/sbin/route" ] && [ -x "$R/usr/bin/netstat" ] ||
	fail "LOCHS_FREEBSD_ROOT=$R has no ifconfig/ping/route/netstat"
. "$(dirname "$0")/lib/lochs.sh"
jail_test fbjailnet
T() { timeout 60 "$LOCHS" --root "$S" "$@"; }
at_exit() {
	for id in $(T ps -aq 2>/dev/null); do T rm -f "$id" >/dev/null 2>&1 || true; done
	T network rm fbn >/dev/null 2>&1 || true
}
pid_of() { T inspect "$1" | jq -r '.[0].State.Pid'; }
ip_on() { T inspect "$1" | jq -r ".[0].NetworkSettings.Networks.fbn.IPAddress"; }

# The image: the root's programs and libraries (netstat and two of its
# libraries live in usr/).
B=$S/base
mkdir -p "$B/usr/bin" "$B/usr/lib" "$B/tmp" "$B/var/tmp"
for d in bin sbin lib libexec etc; do cp -a "$R/$d" "$B/"; done
cp -a "$R/usr/bin/netstat" "$B/usr/bin/"
for l in libmemstat libnetgraph; do cp -a "$R/usr/lib/$l".so* "$B/usr/lib/"; done
expect 0 "import" T import "$B" fbbase:net
expect 0 "network" T network create --subnet 198.18.44.0/24 fbn
host_fwd=$(cat /proc/sys/net/ipv4/ip_forward)

# Plain jail: FreeBSD's view of its own interfaces and routes.
expect 0 "plain jail" T run -d --name plain --network fbn fbbase:net /bin/sleep 300
a=$(ip_on plain)
expect 0 "ifconfig -a" T exec plain /sbin/ifconfig -a
echo "$out" | grep -q '^lo0: flags=.*<UP,LOOPBACK,RUNNING' || fail "ifconfig -a: no lo0: $out"
echo "$out" | grep -q "inet $a netmask 0xffffff00 broadcast 198.18.44.255" || fail "ifconfig -a: no $a on eth0: $out"
echo "$out" | grep -q '^eth0: flags=.*<UP,BROADCAST,RUNNING' || fail "ifconfig -a: no eth0: $out"
expect 0 "netstat -rn" T exec plain /usr/bin/netstat -rn
echo "$out" | grep -Eq '^default +198\.18\.44\.1 +UG.* eth0' || fail "netstat -rn: $out"
expect 1 "alias without --vnet" T exec plain /sbin/ifconfig eth0 inet 198.18.44.78/24 alias
echo "$out" | grep -q "SIOCAIFADDR.*permission denied" || fail "alias without --vnet: $out"
expect 1 "forwarding without --vnet" T exec plain /sbin/sysctl net.inet.ip.forwarding=1
expect 71 "ping without NET_RAW" T exec plain /sbin/ping -c 1 -t 5 198.18.44.1
echo "$out" | grep -q "Operation not permitted" || fail "ping without NET_RAW: $out"

# --vnet: the jail's own stack is its own to change.
expect 0 "vnet jail" T run -d --name vnet --vnet --cap-add NET_RAW --network fbn fbbase:net /bin/sleep 300
p=$(pid_of vnet)
expect 0 "alias" T exec vnet /sbin/ifconfig eth0 inet 198.18.44.77/24 alias
nsenter -t "$p" -n ip -4 addr show dev eth0 | grep -q 'inet 198.18.44.77/24' || fail "alias not in the jail's netns"
ip -4 addr | grep -q 198.18.44.77 && fail "alias on the host"
expect 0 "route delete default" T exec vnet /sbin/route delete default
expect 0 "route add default" T exec vnet /sbin/route add default 198.18.44.1
nsenter -t "$p" -n ip route show default | grep -q 'via 198.18.44.1' || fail "default route not back"
expect 0 "forwarding" T exec vnet /sbin/sysctl net.inet.ip.forwarding=1
[ "$(nsenter -t "$p" -n cat /proc/sys/net/ipv4/ip_forward)" = 1 ] || fail "jail's ip_forward not set"
[ "$(cat /proc/sys/net/ipv4/ip_forward)" = "$host_fwd" ] || fail "the host's ip_forward changed"
# ping (NET_RAW): the gateway, and the other jail.
expect 0 "ping gateway" T exec vnet /sbin/ping -c 2 -t 10 198.18.44.1
echo "$out" | grep -q '2 packets transmitted, 2 packets received' || fail "ping gateway: $out"
expect 0 "ping jail" T exec vnet /sbin/ping -c 1 -t 10 "$a"
echo "$out" | grep -q "64 bytes from $a: icmp_seq=0" || fail "ping jail: $out"

for j in plain vnet; do expect 0 "rm $j" T rm -f $j; done
expect 0 "rm network" T network rm fbn
echo PASS
