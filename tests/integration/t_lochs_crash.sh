#!/bin/sh
# kill -9 of everything Lochs started (root only): jails on a user network
# (one with a published port, which starts the network's DNS daemon) and
# one on the default network, their monitors and the DNS daemon. The next
# command (ps) repairs the records and leaves nothing of the crash: no
# host veth, no jail cgroup, no mount, no forwarding rule, no process.
# Starting the jails again brings everything back (addresses, the port,
# names through a new DNS daemon); removing them leaves no table, veth or
# bridge or rule of this test. Then lochs itself is killed (-9) at random
# moments of network create, rm, connect and run -d -p; after each,
# one command (system prune) leaves records and host in step: no bridge
# without its row, no address without its endpoint, no port row or rule of
# a jail that is not there; at the end no bridge, veth, address, rule, row
# or DNS daemon. Only addresses 198.18.30.0/24 and 198.18.31.0/24, host
# ports 18190 and 18191.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/lochs.sh"
jail_test crash
command -v nft >/dev/null || skip "nft not installed"
T() { timeout 60 "$LOCHS" --root "$S" "$@"; }
at_exit() { T network rm cn >/dev/null 2>&1 || true; }
field() { T inspect "$1" | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["State"][sys.argv[1]])' "$2"; }
gone() { ! kill -0 "$1" 2>/dev/null; }
table=$(T info | sed -n 's/^Firewall Table: ip //p')
rules() { nft list table ip "$table" 2>/dev/null || true; }
sq() { sqlite3 "$S/lochs.db" "$1"; }
# Host veths of this test's jails (lochs + 6 digits of the jail id + 4):
# other roots' jails may come and go meanwhile.
veths() {
	sq "SELECT substr(id, 1, 6) FROM jails" >>"$S/ids" 2>/dev/null
	sort -u -o "$S/ids" "$S/ids"
	ip -o link show type veth | sed -n 's/^[0-9]*: lochs\([0-9a-f]\{6\}\)\([0-9a-f]\{4\}\)[@:].*/\1 \2/p' |
		while read -r j h; do grep -qx "$j" "$S/ids" && echo "lochs$j$h"; done | sort
}
http_ok() { [ "$(curl -s --max-time 2 "http://$1/file")" = "up" ]; }
touch "$S/ids"

expect 0 "network" T network create --subnet 198.18.30.0/24 cn
br=$(T network inspect cn | python3 -c 'import json, sys; j = json.load(sys.stdin); j = j[0] if isinstance(j, list) else j; print(j["Options"]["com.docker.network.bridge.name"])') ||
	fail "network inspect cn"
ip link show "$br" >/dev/null || fail "no bridge $br"
mkdir -p "$S/www" && echo up >"$S/www/file"
expect 0 "run a" T run -d --name a --network cn -p 18190:8080 -v "$S/www:/www:ro" freebsd:14.3 \
	/usr/local/bin/httpd-lite -q -p 8080 -d /www
expect 0 "run b" T run -d --name b --network cn freebsd:14.3 sleep 300
expect 0 "run c" T run -d --name c freebsd:14.3 sleep 300
until_ok "the published port" http_ok 127.0.0.1:18190
dns=$(cat "$S/dns.pid" 2>/dev/null) || fail "no DNS daemon pid file"
kill -0 "$dns" || fail "no DNS daemon"
ids=$(T ps -q --no-trunc 2>/dev/null || T ps -q)
[ "$(veths | wc -l)" -ge 3 ] || fail "no veth per jail: $(veths)"
rules | grep -q 'dport 18190' || fail "no rule for 18190"

# The crash: every process Lochs started, by pid.
pids="$dns"
for j in a b c; do pids="$pids $(field $j MonitorPid) $(field $j Pid)"; done
kill -9 $pids
for p in $pids; do until_ok "pid $p gone" gone "$p"; done

# One command: the records repaired, nothing of the crash left.
expect 0 "ps after the crash" T ps -a
for j in a b c; do
	[ "$(field $j Status)" = exited ] || fail "$j is $(field $j Status) after the crash"
done
[ -z "$(veths)" ] || fail "veths left: $(veths)"
for id in $(T ps -aq); do
	ls -d /sys/fs/cgroup/*/lochs/"$id"* /sys/fs/cgroup/lochs/"$id"* 2>/dev/null | grep -q . &&
		fail "cgroups of $id left: $(ls -d /sys/fs/cgroup/*/lochs/"$id"* /sys/fs/cgroup/lochs/"$id"* 2>/dev/null)"
done
grep -q " $S" /proc/self/mountinfo && fail "mounts left: $(grep " $S" /proc/self/mountinfo)"
rules | grep -q 'dport 18190' && fail "the crashed jail's port is still forwarded: $(rules)"
for p in $pids; do gone "$p" || fail "pid $p lives"; done

# Everything comes back with the jails.
for j in a b c; do expect 0 "start $j" T start $j; done
until_ok "the published port again" http_ok 127.0.0.1:18190
new=$(cat "$S/dns.pid" 2>/dev/null) && [ "$new" != "$dns" ] && kill -0 "$new" || fail "no new DNS daemon"
expect 0 "a by name from b" T exec b /usr/local/bin/fetch-lite -t 10 http://a:8080/file
[ "$out" = up ] || fail "a by name from b: $out"

for j in a b c; do expect 0 "rm $j" T rm -f $j; done
expect 0 "network rm" T network rm cn
ip link show "$br" >/dev/null 2>&1 && fail "bridge $br left"
[ -z "$(veths)" ] || fail "veths left at the end: $(veths)"
# (lochs0, the default network, stays with its rules, as Docker's bridge.)
rules | grep -q '198\.18\.30\.\|dport' && fail "rules left at the end: $(rules)"

# Part 2: kill -9 of lochs in the middle of a command. ms CMD... times one
# whole run (in ms) to spread the kills over it; killed MAX CMD... kills CMD
# (lochs itself, not a wrapper) after 0..MAX ms, at random.
now_ms() { echo $(($(date +%s%N) / 1000000)); }
ms() { t0=$(now_ms); "$@" >"$S/ms.out" 2>&1 || fail "timing run: $*: $(cat "$S/ms.out")" >&2; echo $(($(now_ms) - t0 + 1)); }
killed() {
	d=$(od -An -N2 -tu2 /dev/urandom | awk -v m="$1" '{ printf "%.3f", ($1 % m) / 1000 }')
	shift
	"$LOCHS" --root "$S" "$@" >/dev/null 2>&1 &
	p=$!
	sleep "$d"
	kill -9 $p 2>/dev/null || true # (done already)
	wait $p 2>/dev/null || true
}
# Bridges holding an address of this test, each must be a network's bridge.
our_bridges() { ip -o -4 addr show | awk '$4 ~ /^198\.18\.31\./ { print $2 }' | sort -u; }
bridges_recorded() {
	for b in $(our_bridges); do
		[ "$(sq "SELECT count(*) FROM networks WHERE bridge = '$b'")" = 1 ] || fail "$1: bridge $b without a row"
	done
}
# Addresses, ports and aliases only of jails that are there.
rows_owned() {
	n=$(sq "SELECT (SELECT count(*) FROM ip_allocations WHERE owner <> ':gateway' AND owner NOT IN (SELECT id FROM jails))
		+ (SELECT count(*) FROM port_bindings WHERE jail NOT IN (SELECT id FROM jails))
		+ (SELECT count(*) FROM net_aliases WHERE jail NOT IN (SELECT id FROM jails))")
	[ "$n" = 0 ] || fail "$1: $n rows of jails that are gone"
}

# network create: a row, then its bridge and rules; a crash leaves at most
# a row whose bridge the next command rebuilds, or the prune removes.
t=$(ms T network create --subnet 198.18.31.240/28 kc0)
for i in 1 2 3 4 5 6; do
	killed "$t" network create --subnet "198.18.31.$((128 + i * 16 - 16))/28" "kc$i"
	expect 0 "system prune after a killed network create" T system prune -f
	bridges_recorded "create $i"
done
echo "killed creates left $(sq "SELECT count(*) FROM networks WHERE name LIKE 'kc_' AND name <> 'kc0'") of 6 networks (timing run: $t ms)"
expect 0 "network prune" T network prune -f
[ -z "$(our_bridges)" ] || fail "bridges left by killed creates: $(our_bridges)"
[ "$(sq "SELECT count(*) FROM networks WHERE name LIKE 'kc%'")" = 0 ] || fail "network rows left"

# network rm: the bridge first, then the row; a crash between leaves a row
# whose bridge the next command rebuilds, and a later rm or prune ends it.
for i in 0 1 2 3 4 5 6; do
	expect 0 "network kr$i" T network create --subnet "198.18.31.$((128 + i * 16))/28" "kr$i"
done
t=$(ms T network rm kr0)
for i in 1 2 3 4 5 6; do
	killed "$t" network rm "kr$i"
	expect 0 "system prune after a killed network rm" T system prune -f
	bridges_recorded "rm $i"
done
echo "killed rms left $(sq "SELECT count(*) FROM networks WHERE name LIKE 'kr%'") of 6 networks (timing run: $t ms)"
expect 0 "network prune after the killed rms" T network prune -f
[ -z "$(our_bridges)" ] || fail "bridges left by killed rms: $(our_bridges)"
[ "$(sq "SELECT count(*) FROM networks WHERE name LIKE 'kr%'")" = 0 ] || fail "network rows left by killed rms"

# network connect: address, config, live veth; a crash between them leaves
# either a whole endpoint (disconnect takes it) or none (no address held).
expect 0 "network kn" T network create --subnet 198.18.31.0/26 kn
expect 0 "network kt" T network create --subnet 198.18.31.64/26 kt
expect 0 "run x" T run -d --name x --network kn freebsd:14.3 sleep 300
xid=$(T inspect x | jq -r '.[0].Id')
xpid=$(field x Pid)
links_x() { nsenter -t "$xpid" -n ip -br link | awk '{ sub(/@.*/, "", $1); print $1 }' | sort | tr '\n' ' '; }
held() { sq "SELECT count(*) FROM ip_allocations a JOIN networks n ON n.id = a.network WHERE n.name = 'kt' AND a.owner = '$xid'"; }
# The gap made by hand: an address of x on kt that no endpoint names.
expect 0 "an address without an endpoint" T _netalloc kt "$xid"
expect 0 "system prune of it" T system prune -f
[ "$(held)" = 0 ] || fail "system prune left an address no endpoint names"
t=$(ms T network connect kt x) connected=0
expect 0 "disconnect (timing)" T network disconnect kt x
for i in 1 2 3 4 5 6; do
	killed "$t" network connect kt x
	expect 0 "system prune after a killed connect" T system prune -f
	held=$(held)
	if T inspect x | jq -e '.[0].NetworkSettings.Networks.kt' >/dev/null; then
		[ "$held" = 1 ] || fail "connect $i: an endpoint without its address"
		expect 0 "disconnect $i" T network disconnect kt x
		connected=$((connected + 1))
	else
		[ "$held" = 0 ] || fail "connect $i: an address held without an endpoint"
	fi
	[ "$(links_x)" = "eth0 lo " ] || fail "connect $i: links in x after disconnect: $(links_x)"
	rows_owned "connect $i"
done
echo "killed connects left $connected of 6 endpoints (timing run: $t ms)"

# run -d -p: reserved address and port, config, monitor; a crash leaves a
# jail that is there (running or not) with its rows, or nothing of it.
t=$(ms T run -d --name y0 --network kn -p 18191:8080 freebsd:14.3 sleep 300) left=0
expect 0 "rm y0" T rm -f y0
for i in 1 2 3 4 5 6; do
	killed "$t" run -d --name "y$i" --network kn -p 18191:8080 freebsd:14.3 sleep 300
	expect 0 "system prune after a killed run" T system prune -f
	rows_owned "run $i"
	bridges_recorded "run $i"
	if T inspect "y$i" >/dev/null 2>&1; then
		[ "$(field "y$i" Status)" = running ] && ! rules | grep -q 'dport 18191' && fail "run $i: running, no rule"
		expect 0 "rm y$i" T rm -f "y$i"
		left=$((left + 1))
	fi
	rules | grep -q 'dport 18191' && fail "run $i: the port is forwarded without its jail: $(rules)"
	[ "$(sq "SELECT count(*) FROM port_bindings")" = 0 ] || fail "run $i: port rows left"
done
echo "killed runs left $left of 6 jails (timing run: $t ms)"

expect 0 "rm x" T rm -f x
for n in kn kt; do expect 0 "rm network $n" T network rm $n; done
[ -z "$(our_bridges)" ] || fail "bridges left: $(our_bridges)"
[ -z "$(veths)" ] || fail "veths left after the killed commands: $(veths)"
[ "$(sq "SELECT count(*) FROM ip_allocations a JOIN networks n ON n.id = a.network WHERE n.name <> 'lochs0'")" = 0 ] ||
	fail "addresses left: $(sq 'SELECT * FROM ip_allocations')"
rules | grep -q '198\.18\.31\.\|dport' && fail "rules left after the killed commands: $(rules)"
d=$(cat "$S/dns.pid" 2>/dev/null) && until_ok "the DNS daemon to go" gone "$d"
echo PASS
