#!/bin/sh
# Jails on networks (root only): two jails on one network reach each other
# by IP (FreeBSD httpd-lite and fetch-lite from the test image), a jail on
# another network cannot; --ip is honoured and a taken one refused in one
# line leaving nothing; --network none has only loopback; /etc/hosts names
# the jail; after rm no address stays allocated and no veth stays behind.
# Addresses only from 198.18.0.0/15; no host routes.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/lochs.sh"
jail_test net
T() { timeout 60 "$LOCHS" --root "$S" "$@"; }
lochs_links() { ip -br link | grep -c '^lochs' || true; }
at_exit() {
	for id in $(T ps -aq 2>/dev/null); do T rm -f "$id" >/dev/null 2>&1 || true; done
	T network rm neta >/dev/null 2>&1 || true
	T network rm netb >/dev/null 2>&1 || true
}
allocs() { sqlite3 "$S/lochs.db" "SELECT count(*) FROM ip_allocations WHERE owner <> ':gateway'"; }
ip_of() { T inspect "$1" | sed -n 's/.*"IPAddress": "\(.*\)".*/\1/p'; }
pid_of() { T inspect "$1" | sed -n 's/.*"Pid": \([0-9]*\).*/\1/p'; }
before=$(lochs_links)

expect 0 "network a" T network create --subnet 198.18.5.0/24 neta
expect 0 "network b" T network create --subnet 198.18.6.0/24 netb
mkdir -p "$S/www" && echo "hello over the bridge" >"$S/www/file"
expect 0 "server" T run -d --name srv --network neta -v "$S/www:/www:ro" freebsd:14.3 \
	/usr/local/bin/httpd-lite -p 8080 -d /www
a=$(ip_of srv)
case $a in 198.18.5.*) ;; *) fail "server address: $a ($(T inspect srv))" ;; esac
T inspect srv | grep -q '"Gateway": "198.18.5.1"' || fail "inspect gateway: $(T inspect srv)"
T inspect srv | grep -Eq '"MacAddress": "02(:[0-9a-f]{2}){5}"' || fail "inspect mac: $(T inspect srv)"
[ "$(lochs_links)" -gt "$before" ] || fail "no host veth: $(ip -br link)"

# Same network: fetched (retried until the server listens).
n=0
until out=$(T run --rm --network neta freebsd:14.3 /usr/local/bin/fetch-lite "http://$a:8080/file" 2>&1) &&
	[ "$out" = "hello over the bridge" ]; do
	n=$((n + 1)); [ $n -lt 20 ] || fail "fetch on the same network: $out"; sleep 0.5
done
# Another network cannot reach A: creating the networks turned forwarding
# on (outbound NAT), and the root's nftables table drops forwarding
# between two Lochs bridges (netplane/firewall.h).
[ "$(cat /proc/sys/net/ipv4/ip_forward)" = 1 ] || fail "ip_forward is not on with a network"
expect 0 "other network" T run --rm --network netb freebsd:14.3 /bin/sh -c \
	"/usr/local/bin/fetch-lite -q -t 3 http://$a:8080/file >/dev/null 2>&1 && echo reached || echo unreachable"
[ "$out" = unreachable ] || fail "other network reached A: $out"

# /etc/hosts names the jail; resolv.conf is the host's resolvers.
expect 0 "hosts" T run --rm --network neta --hostname hbox --name hj freebsd:14.3 cat /etc/hosts
echo "$out" | grep -Eq '^198\.18\.5\.[0-9]+	hbox hj$' || fail "/etc/hosts: $out"

# --ip: honoured; the same address again is refused in one line, nothing left.
expect 0 "static ip" T run -d --name fixed --network neta --ip 198.18.5.50 freebsd:14.3 sleep 300
[ "$(ip_of fixed)" = 198.18.5.50 ] || fail "--ip: $(ip_of fixed)"
n_before=$(allocs)
expect 125 "taken ip" T run -d --name dup --network neta --ip 198.18.5.50 freebsd:14.3 sleep 300
[ "$(echo "$out" | wc -l)" = 1 ] || fail "taken ip: not one line: $out"
echo "$out" | grep -q "198.18.5.50" || fail "taken ip message: $out"
T inspect dup >/dev/null 2>&1 && fail "taken ip left a jail"
[ "$(allocs)" = "$n_before" ] || fail "taken ip left an allocation"

# --network none: only loopback in the jail's netns.
expect 0 "none" T run -d --name lonely --network none freebsd:14.3 sleep 300
p=$(pid_of lonely)
links=$(nsenter -t "$p" -n ip -br link | awk '{ print $1 }' | tr '\n' ' ')
[ "$links" = "lo " ] || fail "--network none links: $links"
T inspect lonely | grep -q '"Networks": {}' || fail "none inspect: $(T inspect lonely)"
p=$(pid_of fixed)
links=$(nsenter -t "$p" -n ip -br link | awk '{ print $1 }' | sed 's/@.*//' | tr '\n' ' ')
[ "$links" = "lo eth0 " ] || fail "networked links: $links"

# Removal gives everything back.
for j in srv fixed lonely; do expect 0 "rm $j" T rm -f "$j"; done
[ -z "$(T ps -aq)" ] || fail "jails left: $(T ps -a)"
[ "$(allocs)" = 0 ] || fail "allocations left: $(sqlite3 "$S/lochs.db" 'SELECT * FROM ip_allocations')"
expect 0 "rm network a" T network rm neta
expect 0 "rm network b" T network rm netb
[ "$(lochs_links)" = "$before" ] || fail "lochs links left: $(ip -br link | grep '^lochs')"
echo PASS
