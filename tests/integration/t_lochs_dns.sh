#!/bin/sh
# The embedded DNS server (root only): jails on a user network find each
# other by name with FreeBSD fetch-lite (Go's resolver reading the jail's
# /etc/resolv.conf): by name, alias and short id; two jails sharing an
# alias both answer (round-robin); Compose service names within their
# project; a jail on another network cannot resolve them; names come and
# go with the jails; --add-host lands in /etc/hosts and answers that jail
# over DNS; other names are
# forwarded to the jail's --dns (a small python3 responder on loopback);
# A and PTR over UDP and TCP; with LOCHS_FREEBSD_ROOT, FreeBSD's libc
# (getent) and host -T too; bad flags are one line; after the networks go
# the daemon is gone. Without --dns, names go to the host's resolvers
# (checked in a network and mount namespace of the test's own).
# Addresses only from 198.18.37.0/24 and 198.18.38.0/24 (and loopback).
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/lochs.sh"
jail_test dns
T() { timeout 60 "$LOCHS" --root "$S" "$@"; }
PY="" pid="" H="" PYH=""
daemon() { cat "$S/dns.pid" 2>/dev/null; }
at_exit() {
	if [ -n "$H" ]; then
		for id in $(TN ps -aq 2>/dev/null); do TN rm -f "$id" >/dev/null 2>&1 || true; done
		TN network rm dnsh >/dev/null 2>&1 || true
		[ -n "$PYH" ] && kill "$PYH" 2>/dev/null
		kill "$H" 2>/dev/null
	fi
	for id in $(T ps -aq 2>/dev/null); do T rm -f "$id" >/dev/null 2>&1 || true; done
	T network rm dnsa >/dev/null 2>&1 || true
	T network rm dnsb >/dev/null 2>&1 || true
	[ -n "$PY" ] && kill "$PY" 2>/dev/null
	# The daemon leaves with the last user network; wait for it.
	n=0
	while [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
	true
}
ip_of() { T inspect "$1" | sed -n 's/.*"IPAddress": "\(.*\)".*/\1/p' | cut -d/ -f1; }

# An upstream resolver on loopback: A 198.18.39.77 for ext.test, NXDOMAIN
# for anything else; and a client asking a server over UDP or TCP.
cat >"$S/dnspy.py" <<'EOF'
import socket, struct, sys

def question(m):
    p, labels = 12, []
    while m[p]:
        labels.append(m[p + 1:p + 1 + m[p]].decode()); p += 1 + m[p]
    return ".".join(labels), struct.unpack(">H", m[p + 1:p + 3])[0], p + 5

def serve(portfile, logfile, host="127.0.0.1", port="0"):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((host, int(port)))
    open(portfile, "w").write(str(s.getsockname()[1]))
    while True:
        m, peer = s.recvfrom(512)
        name, qtype, end = question(m)
        with open(logfile, "a") as log:
            log.write("%s %d\n" % (name, qtype))
        found = name.lower() == "ext.test"
        ans = qtype == 1 and found
        hdr = m[:2] + struct.pack(">HHHHH", 0x8180 | (0 if found else 3), 1, 1 if ans else 0, 0, 0)
        body = m[12:end]
        if ans:
            body += struct.pack(">HHHIH", 0xC00C, 1, 1, 30, 4) + socket.inet_aton("198.18.39.77")
        s.sendto(hdr + body, peer)

def readname(m, p):
    labels = []
    while m[p]:
        if m[p] >= 0xC0:
            return readname(m, (m[p] & 0x3F) << 8 | m[p + 1])
        labels.append(m[p + 1:p + 1 + m[p]].decode()); p += 1 + m[p]
    return ".".join(labels)

def ask(server, name, proto, qtype="a"):
    t = {"a": 1, "ptr": 12, "aaaa": 28}[qtype]
    q = struct.pack(">HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0)
    q += b"".join(bytes([len(l)]) + l.encode() for l in name.split(".")) + b"\0" + struct.pack(">HH", t, 1)
    if proto == "tcp":
        s = socket.create_connection((server, 53), timeout=5)
        s.sendall(struct.pack(">H", len(q)) + q)
        n = struct.unpack(">H", s.recv(2))[0]
        m = b""
        while len(m) < n:
            m += s.recv(n - len(m))
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.settimeout(5)
        s.sendto(q, (server, 53))
        m = s.recv(4096)
    rcode, an = m[3] & 15, struct.unpack(">H", m[6:8])[0]
    _, _, p = question(m)
    out = []
    for _ in range(an):
        typ, _, _, rdlen = struct.unpack(">HHIH", m[p + 2:p + 12])
        if typ == 1:
            out.append(socket.inet_ntoa(m[p + 12:p + 16]))
        elif typ == 28:
            out.append(socket.inet_ntop(socket.AF_INET6, m[p + 12:p + 28]))
        elif typ == 12:
            out.append(readname(m, p + 12))
        p += 12 + rdlen
    print("rcode=%d %s" % (rcode, " ".join(out)))

if sys.argv[1] == "serve":
    serve(*sys.argv[2:])
else:
    ask(*sys.argv[2:])
EOF
python3 "$S/dnspy.py" serve "$S/upstream.port" "$S/upstream.log" &
PY=$!
until_ok "the upstream responder" test -s "$S/upstream.port"
UP="127.0.0.1:$(cat "$S/upstream.port")"

# Bad flags: one line each, exit 125, nothing created.
for bad in "--add-host foo" "--add-host foo:notanip" "--dns 1.2.3" "--dns 127.0.0.1:99999" \
	"--network-alias bad/alias --network dnsa" "--network-alias ok"; do
	# shellcheck disable=SC2086
	expect 125 "bad flag $bad" T run --rm $bad freebsd:14.3 true
	[ "$(echo "$out" | wc -l)" = 1 ] || fail "$bad: not one line: $out"
done
[ -z "$(T ps -aq)" ] || fail "a bad flag left a jail"
[ -z "$(daemon)" ] || fail "a daemon without jails"

expect 0 "network a" T network create --subnet 198.18.37.0/24 dnsa
expect 0 "network b" T network create --subnet 198.18.38.0/24 dnsb
mkdir -p "$S/www" "$S/p1" "$S/p2"
echo "hello by name" >"$S/www/file"
echo p1 >"$S/p1/who"
echo p2 >"$S/p2/who"
expect 0 "server" T run -d --name srv --network dnsa --network-alias Web.Alias -v "$S/www:/www:ro" \
	freebsd:14.3 /usr/local/bin/httpd-lite -p 8080 -d /www
srv=$(ip_of srv)
pid=$(daemon)
[ -n "$pid" ] && kill -0 "$pid" || fail "no DNS daemon after a jail started on a user network"
grep -q "serving on 198.18.37.1:53" "$S/dns.log" || fail "dns.log: $(cat "$S/dns.log")"

# fetch URL on network NET with our upstream; retried until the server listens.
fetch_ok() {
	net=$1 url=$2 want=$3 n=0
	until out=$(T run --rm --network "$net" --dns "$UP" freebsd:14.3 /usr/local/bin/fetch-lite -t 5 "$url" 2>&1) &&
		[ "$out" = "$want" ]; do
		n=$((n + 1)); [ $n -lt 20 ] || fail "fetch $url on $net: $out"; sleep 0.5
	done
}
fetch_ok dnsa http://srv:8080/file "hello by name"
fetch_ok dnsa http://web.alias:8080/file "hello by name"
fetch_ok dnsa http://SRV.:8080/file "hello by name"
short=$(T inspect srv | sed -n 's/.*"Id": "\([0-9a-f]\{12\}\).*/\1/p' | head -n 1)
fetch_ok dnsa "http://$short:8080/file" "hello by name"

# The jail's name files: the embedded server with the host's search and
# options lines; --add-host (host-gateway = the jail's gateway).
expect 0 "name files" T run --rm --network dnsa --add-host foo:198.18.39.9 --add-host gw:host-gateway \
	freebsd:14.3 /bin/sh -c "cat /etc/resolv.conf /etc/hosts"
echo "$out" | grep -q "^nameserver 198.18.37.1$" || fail "resolv.conf: $out"
[ "$(echo "$out" | grep -c '^nameserver')" = 1 ] || fail "resolv.conf has other servers: $out"
echo "$out" | grep -q "^198.18.39.9	foo$" || fail "--add-host: $out"
echo "$out" | grep -q "^198.18.37.1	gw$" || fail "--add-host host-gateway: $out"

# Over UDP and TCP from the host (its address on the bridge asks).
expect 0 "udp" python3 "$S/dnspy.py" ask 198.18.37.1 srv udp
[ "$out" = "rcode=0 $srv" ] || fail "udp srv: $out"
expect 0 "tcp" python3 "$S/dnspy.py" ask 198.18.37.1 web.alias tcp
[ "$out" = "rcode=0 $srv" ] || fail "tcp web.alias: $out"
rev=$(echo "$srv" | awk -F. '{ print $4 "." $3 "." $2 "." $1 ".in-addr.arpa" }')
expect 0 "ptr udp" python3 "$S/dnspy.py" ask 198.18.37.1 "$rev" udp ptr
[ "$out" = "rcode=0 srv" ] || fail "udp PTR $rev: $out"
expect 0 "ptr tcp" python3 "$S/dnspy.py" ask 198.18.37.1 "$rev" tcp ptr
[ "$out" = "rcode=0 srv" ] || fail "tcp PTR $rev: $out"
expect 0 "aaaa" python3 "$S/dnspy.py" ask 198.18.37.1 SRV udp aaaa
[ "$out" = "rcode=0 " ] || fail "AAAA of srv (no IPv6): $out"

# A jail's --add-host names answer that jail over DNS too (asked from its
# network namespace, so the query comes from its address), not another.
expect 0 "add-host jail" T run -d --name hosty --network dnsa --add-host foo:198.18.39.9 --add-host gw:host-gateway \
	freebsd:14.3 sleep 300
hpid=$(T inspect hosty | sed -n 's/.*"Pid": \([0-9]*\).*/\1/p')
expect 0 "foo from hosty" nsenter -t "$hpid" -n python3 "$S/dnspy.py" ask 198.18.37.1 FOO udp
[ "$out" = "rcode=0 198.18.39.9" ] || fail "--add-host over DNS: $out"
expect 0 "gw from hosty" nsenter -t "$hpid" -n python3 "$S/dnspy.py" ask 198.18.37.1 gw tcp
[ "$out" = "rcode=0 198.18.37.1" ] || fail "--add-host host-gateway over DNS: $out"
expect 0 "foo aaaa from hosty" nsenter -t "$hpid" -n python3 "$S/dnspy.py" ask 198.18.37.1 foo udp aaaa
[ "$out" = "rcode=0 " ] || fail "--add-host AAAA (empty): $out"
expect 0 "foo from the host" python3 "$S/dnspy.py" ask 198.18.37.1 foo udp
case $out in "rcode=0 198.18.39.9"*) fail "another asker got hosty's --add-host: $out" ;; esac
expect 0 "rm hosty" T rm -f hosty

# FreeBSD's own resolvers with a real FreeBSD root (LOCHS_FREEBSD_ROOT):
# libc (getent) and host(1) over TCP, in srv's network namespace with the
# jail's resolv.conf bound over the root's in a private mount namespace.
R=${LOCHS_FREEBSD_ROOT:-}
if [ -n "$R" ] && [ -x "$R/usr/bin/getent" ] && [ -x "$R/usr/bin/host" ]; then
	jpid=$(T inspect srv | sed -n 's/.*"Pid": \([0-9]*\).*/\1/p')
	id=$(T inspect srv | sed -n 's/.*"Id": "\([0-9a-f]*\)".*/\1/p' | head -n 1)
	bsd=$(realpath "${BSDULATOR:-build/bin/bsdulator}")
	in_srv() {
		nsenter -t "$jpid" -n unshare -m sh -c \
			"mount --bind '$S/jails/$id/resolv.conf' '$R/etc/resolv.conf' && '$bsd' --root '$R' $*"
	}
	expect 0 "FreeBSD getent" in_srv /usr/bin/getent hosts web.alias
	echo "$out" | grep -q "^$srv  *web.alias" || fail "FreeBSD getent hosts web.alias: $out"
	expect 0 "FreeBSD host -T" in_srv /usr/bin/host -T -t A srv
	echo "$out" | grep -q "srv has address $srv" || fail "FreeBSD host -T srv: $out"
else
	echo "NOTE: LOCHS_FREEBSD_ROOT not set: the FreeBSD libc resolver check is skipped"
fi

# Two jails sharing an alias both answer, in turn.
expect 0 "p1" T run -d --name p1 --network dnsa --network-alias pair -v "$S/p1:/www:ro" \
	freebsd:14.3 /usr/local/bin/httpd-lite -p 8080 -d /www
expect 0 "p2" T run -d --name p2 --network dnsa --network-alias pair -v "$S/p2:/www:ro" \
	freebsd:14.3 /usr/local/bin/httpd-lite -p 8080 -d /www
fetch_ok dnsa http://p1:8080/who p1
fetch_ok dnsa http://p2:8080/who p2
expect 0 "round robin" T run --rm --network dnsa freebsd:14.3 /bin/sh -c \
	'for i in 1 2 3 4 5 6; do /usr/local/bin/fetch-lite -t 5 http://pair:8080/who; done'
echo "$out" | grep -q p1 && echo "$out" | grep -q p2 || fail "round robin: $out"

# Compose service names (project and service as `apply` records them):
# answered to jails of the same project only.
expect 0 "client" T run -d --name client --network dnsa --dns "$UP" freebsd:14.3 sleep 300
sqlite3 "$S/lochs.db" "UPDATE jails SET project = 'shop', service = 'shopweb' WHERE name IN ('p1', 'p2');
	UPDATE jails SET project = 'shop' WHERE name = 'client'"
expect 0 "service name" T exec client /usr/local/bin/fetch-lite -t 5 http://shopweb:8080/who
case $out in p1 | p2) ;; *) fail "service name: $out" ;; esac
sqlite3 "$S/lochs.db" "UPDATE jails SET project = 'other' WHERE name = 'client'"
expect 0 "service name, other project" T exec client /bin/sh -c \
	"/usr/local/bin/fetch-lite -t 5 http://shopweb:8080/who 2>&1 || true"
echo "$out" | grep -q "no such host" || fail "service name answered to another project: $out"

# Another network does not see them (our upstream says NXDOMAIN).
expect 0 "other network" T run --rm --network dnsb --dns "$UP" freebsd:14.3 /bin/sh -c \
	"/usr/local/bin/fetch-lite -t 5 http://srv:8080/file 2>&1 || true"
echo "$out" | grep -q "no such host" || fail "srv resolved from another network: $out"

# A jail on both networks (network connect) finds names on either, as
# Docker answers a container on several networks.
expect 0 "multi" T run -d --name multi --network dnsb --dns "$UP" freebsd:14.3 sleep 300
if con=$(T network connect dnsa multi 2>&1); then
	n=0
	until out=$(T exec multi /usr/local/bin/fetch-lite -t 5 http://srv:8080/file 2>&1) && [ "$out" = "hello by name" ]; do
		n=$((n + 1)); [ $n -lt 10 ] || fail "srv from a jail connected to its network: $out"; sleep 0.5
	done
else
	echo "NOTE: network connect failed ($con): the multi-network check is skipped"
fi

# Live: a name appears with its jail and goes with it.
expect 0 "late" T run -d --name late --network dnsa -v "$S/www:/www:ro" \
	freebsd:14.3 /usr/local/bin/httpd-lite -p 8080 -d /www
fetch_ok dnsa http://late:8080/file "hello by name"
expect 0 "rm late" T rm -f late
expect 0 "late gone" T run --rm --network dnsa --dns "$UP" freebsd:14.3 /bin/sh -c \
	"/usr/local/bin/fetch-lite -t 5 http://late:8080/file 2>&1 || true"
echo "$out" | grep -q "no such host" || fail "late still resolves: $out"

# Forwarded: the asking jail's --dns (here IP:PORT, an extension) gets
# the question and its answer counts (no "no such host"; what 198.18.39.77
# itself says depends on the host's routes).
expect 0 "forward" T run --rm --network dnsa --dns "$UP" freebsd:14.3 /bin/sh -c \
	"/usr/local/bin/fetch-lite -t 2 http://ext.test:9/ 2>&1 || true"
grep -q "^ext.test 1$" "$S/upstream.log" || fail "ext.test not forwarded: $(cat "$S/upstream.log")"
echo "$out" | grep -q "no such host" && fail "ext.test not resolved: $out"
expect 0 "forward from the host" python3 "$S/dnspy.py" ask 198.18.37.1 nothing.test udp
grep -q "^nothing.test 1$" "$S/upstream.log" && fail "the host's question went to the jail's --dns"

expect 0 "rm all" T rm -f srv p1 p2 client multi
expect 0 "rm network a" T network rm dnsa
expect 0 "rm network b" T network rm dnsb
n=0
while kill -0 "$pid" 2>/dev/null; do n=$((n + 1)); [ $n -lt 50 ] || fail "daemon still running: $(cat "$S/dns.log")"; sleep 0.1; done
[ -z "$(daemon)" ] || fail "dns.pid left behind"
grep -q "exiting" "$S/dns.log" || fail "dns.log: $(cat "$S/dns.log")"

# No --dns: names go to the host's resolvers. Proven in a network and mount
# namespace of the test's own (nothing leaves it): its resolv.conf (bound
# over /etc/resolv.conf, and systemd-resolved's list if the host has one)
# names a responder on a veth of its own there (a loopback nameserver
# would be skipped as a stub); lochs, its DNS daemon and the jails run in it.
unshare -m -n sleep 600 &
H=$!
N() { nsenter -t "$H" -m -n "$@"; }
TN() { N timeout 60 "$(realpath "$LOCHS")" --root "$S" "$@"; }
until_ok "the namespace" N true
printf 'nameserver 198.18.39.53\noptions timeout:1\n' >"$S/host.resolv"
N sh -ec "ip link set lo up; ip link add dnsh0 type veth peer name dnsh1
	ip addr add 198.18.39.53/32 dev dnsh0; ip link set dnsh0 up; ip link set dnsh1 up
	if [ -d /run/systemd/resolve ]; then
		mount -t tmpfs none /run/systemd/resolve; cp '$S/host.resolv' /run/systemd/resolve/resolv.conf
	fi
	[ -e /etc/resolv.conf ] || touch /etc/resolv.conf
	mount --bind '$S/host.resolv' /etc/resolv.conf" || fail "namespace setup"
: >"$S/host.log"
N python3 "$S/dnspy.py" serve "$S/host.port" "$S/host.log" 198.18.39.53 53 &
PYH=$!
until_ok "the host's responder" test -s "$S/host.port"
expect 0 "network in the namespace" TN network create --subnet 198.18.36.0/24 dnsh
expect 0 "forward to the host's resolver" TN run --rm --network dnsh freebsd:14.3 /bin/sh -c \
	"/usr/local/bin/fetch-lite -t 2 http://ext.test:9/ 2>&1 || true"
grep -q "^ext.test 1$" "$S/host.log" || fail "ext.test not forwarded to the host's resolver: $(cat "$S/host.log")"
echo "$out" | grep -q "no such host" && fail "ext.test not resolved through the host's resolver: $out"
expect 0 "NXDOMAIN from the host's resolver" TN run --rm --network dnsh freebsd:14.3 /bin/sh -c \
	"/usr/local/bin/fetch-lite -t 2 http://nothing.test:9/ 2>&1 || true"
echo "$out" | grep -q "no such host" || fail "nothing.test: $out"
grep -q "^nothing.test 1$" "$S/host.log" || fail "nothing.test not asked upstream: $(cat "$S/host.log")"
expect 0 "ask the daemon in the namespace" N python3 "$S/dnspy.py" ask 198.18.36.1 ext.test udp
[ "$out" = "rcode=0 198.18.39.77" ] || fail "ext.test through the daemon: $out"
expect 0 "rm network in the namespace" TN network rm dnsh
echo PASS
