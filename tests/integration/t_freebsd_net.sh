#!/bin/sh
# FreeBSD's network tools see the process's network namespace: in a
# namespace this test creates (unshare -n) with lo up and eth0 (dummy, or a
# veth when the dummy driver is missing) at 192.0.2.10/24 and a default route
# via 192.0.2.1, FreeBSD ifconfig -a shows lo0 and eth0 with their addresses
# (interface ioctls + net.route NET_RT_IFLIST), ifconfig ... alias adds an
# address Linux's ip(8) sees, and netstat -rn (NET_RT_DUMP) shows the routes.
# On PF_ROUTE sockets route -n get default answers from Linux's table, and
# route add/delete -net change it (ip route sees them); adding a second
# default fails with EEXIST like FreeBSD. sysctl net.inet.ip.forwarding=1
# sets the namespace's own ip_forward.
# The FreeBSD root comes from LOCHS_FREEBSD_ROOT; the host's interfaces are
# never touched.
. "$(dirname "$0")/lib/common.sh"
[ "${LOCHS_NATIVE:-0}" = 1 ] && skip "runs FreeBSD programs only"
[ -n "${LOCHS_FREEBSD_ROOT:-}" ] ||
	skip "LOCHS_FREEBSD_ROOT is unset (set it to an extracted FreeBSD base system to run this test)"
R=$LOCHS_FREEBSD_ROOT
[ -x "$R/sbin/ifconfig" ] && [ -x "$R/usr/bin/netstat" ] && [ -x "$R/sbin/route" ] ||
	fail "LOCHS_FREEBSD_ROOT=$R has no ifconfig/netstat/route"
command -v ip >/dev/null || skip "no ip(8)"
unshare -n true 2>/dev/null || skip "cannot create a network namespace (unshare -n)"

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cat >"$T/in.sh" <<'EOF'
set -e
ip link set lo up
ip link add eth0 type dummy 2>/dev/null || { ip link add eth0 type veth peer name veth9; ip link set veth9 up; }
ip addr add 192.0.2.10/24 dev eth0
ip link set eth0 up
ip route add default via 192.0.2.1
fb() { env -i PATH=/bin:/usr/bin:/sbin:/usr/sbin HOME=/ TERM=dumb timeout 20 "$RUN" --root "$R" -- "$@"; }
set +e
fb /sbin/ifconfig -a >"$T/ifconfig" 2>"$T/ifconfig.err"; echo "ifconfig $?" >>"$T/rc"
fb /sbin/ifconfig eth0 inet 192.0.2.20/24 alias 2>"$T/alias.err"; echo "alias $?" >>"$T/rc"
ip -4 addr show dev eth0 >"$T/ipaddr"
fb /usr/bin/netstat -rn >"$T/netstat" 2>"$T/netstat.err"; echo "netstat $?" >>"$T/rc"
fb /sbin/ifconfig eth0 inet 192.0.2.20 -alias 2>>"$T/alias.err"; echo "unalias $?" >>"$T/rc"
ip -4 addr show dev eth0 >"$T/ipaddr2"
fb /sbin/route -n get default >"$T/get" 2>"$T/get.err"; echo "get $?" >>"$T/rc"
fb /sbin/route add -net 198.18.0.0/24 192.0.2.1 >"$T/add" 2>&1; echo "add $?" >>"$T/rc"
ip -4 route show >"$T/iproute"
fb /sbin/route delete -net 198.18.0.0/24 >"$T/del" 2>&1; echo "delete $?" >>"$T/rc"
ip -4 route show >"$T/iproute2"
fb /sbin/route add default 192.0.2.1 >"$T/adddef" 2>&1; echo "adddef $?" >>"$T/rc"
echo 0 >/proc/sys/net/ipv4/ip_forward
fb /sbin/sysctl net.inet.ip.forwarding=1 >"$T/fwd" 2>&1; echo "forwarding $?" >>"$T/rc"
cat /proc/sys/net/ipv4/ip_forward >>"$T/fwd"
exit 0
EOF
T=$T R=$R RUN=$RUN timeout 120 unshare -nu sh "$T/in.sh" || fail "namespace set-up failed"

show() { sed 's/^/    /' "$@" >&2; }
grep -qx 'ifconfig 0' "$T/rc" || { show "$T/ifconfig.err"; fail "ifconfig -a failed"; }
[ -s "$T/ifconfig.err" ] && { show "$T/ifconfig.err"; fail "ifconfig -a complained"; }
# block NAME: the lines of one interface in ifconfig -a's output
block() { awk -v n="$1:" '$1 == n { on = 1; print; next } /^[^ \t]/ { on = 0 } on' "$T/ifconfig"; }
lo=$(block lo0)
echo "$lo" | grep -q '^lo0: flags=.*<UP,LOOPBACK,RUNNING.*> .*mtu 65536' || { show "$T/ifconfig"; fail "ifconfig: no lo0 UP,LOOPBACK mtu 65536"; }
echo "$lo" | grep -q 'inet 127\.0\.0\.1 netmask 0xff000000' || { show "$T/ifconfig"; fail "ifconfig: lo0 without inet 127.0.0.1 netmask 0xff000000"; }
eth=$(block eth0)
echo "$eth" | grep -q '^eth0: flags=.*<UP,BROADCAST,RUNNING' || { show "$T/ifconfig"; fail "ifconfig: no eth0 UP,BROADCAST"; }
echo "$eth" | grep -q 'inet 192\.0\.2\.10 netmask 0xffffff00 broadcast 192\.0\.2\.255' ||
	{ show "$T/ifconfig"; fail "ifconfig: eth0 without inet 192.0.2.10 netmask 0xffffff00 broadcast 192.0.2.255"; }
grep -q '^lo:' "$T/ifconfig" && fail "ifconfig shows Linux's name lo"

grep -qx 'alias 0' "$T/rc" || { show "$T/alias.err"; fail "ifconfig eth0 inet 192.0.2.20/24 alias failed"; }
grep -q 'inet 192\.0\.2\.20/24 ' "$T/ipaddr" || { show "$T/ipaddr"; fail "ip addr: no 192.0.2.20/24 on eth0 after the alias"; }
grep -qx 'unalias 0' "$T/rc" || { show "$T/alias.err"; fail "ifconfig eth0 inet 192.0.2.20 -alias failed"; }
grep -q '192\.0\.2\.20' "$T/ipaddr2" && { show "$T/ipaddr2"; fail "ip addr: 192.0.2.20 still there after -alias"; }
grep -q 'inet 192\.0\.2\.10/24 ' "$T/ipaddr2" || fail "ip addr: -alias of .20 removed 192.0.2.10"

grep -qx 'netstat 0' "$T/rc" || { show "$T/netstat.err"; fail "netstat -rn failed"; }
grep -Eq '^default +192\.0\.2\.1 +UG.* eth0' "$T/netstat" || { show "$T/netstat"; fail "netstat -rn: no default via 192.0.2.1 on eth0"; }
grep -Eq '^192\.0\.2\.0/24 +link#[0-9]+ +U .* eth0' "$T/netstat" || { show "$T/netstat"; fail "netstat -rn: no 192.0.2.0/24 on eth0"; }

grep -qx 'get 0' "$T/rc" || { show "$T/get.err"; fail "route -n get default failed"; }
grep -Eq '^ *gateway: 192\.0\.2\.1$' "$T/get" || { show "$T/get"; fail "route -n get default: no gateway: 192.0.2.1"; }
grep -Eq '^ *interface: eth0$' "$T/get" || { show "$T/get"; fail "route -n get default: no interface: eth0"; }
grep -Eq '^ *flags: <UP,GATEWAY,DONE' "$T/get" || { show "$T/get"; fail "route -n get default: flags not <UP,GATEWAY,DONE...>"; }
grep -qx 'add 0' "$T/rc" || { show "$T/add"; fail "route add -net 198.18.0.0/24 192.0.2.1 failed"; }
grep -q '^198\.18\.0\.0/24 via 192\.0\.2\.1 dev eth0' "$T/iproute" || { show "$T/iproute"; fail "ip route: no 198.18.0.0/24 via 192.0.2.1 after route add"; }
grep -qx 'delete 0' "$T/rc" || { show "$T/del"; fail "route delete -net 198.18.0.0/24 failed"; }
grep -q '198\.18\.0\.0' "$T/iproute2" && { show "$T/iproute2"; fail "ip route: 198.18.0.0/24 still there after route delete"; }
grep -q '^default via 192\.0\.2\.1' "$T/iproute2" || fail "ip route: route delete removed the default route"
grep -qx 'adddef 0' "$T/rc" && { show "$T/adddef"; fail "route add default succeeded though one exists"; }
grep -q 'File exists' "$T/adddef" || { show "$T/adddef"; fail "route add default (existing): no 'File exists'"; }
grep -qx 'forwarding 0' "$T/rc" || { show "$T/fwd"; fail "sysctl net.inet.ip.forwarding=1 failed"; }
[ "$(tr '\n' ' ' <"$T/fwd")" = "net.inet.ip.forwarding: 0 -> 1 1 " ] || { show "$T/fwd"; fail "sysctl net.inet.ip.forwarding=1: not the namespace's ip_forward"; }
echo "PASS: ifconfig -a, ifconfig alias/-alias, netstat -rn and route get/add/delete see the namespace's lo0 and eth0"
