#!/bin/sh
# kill -9 of everything Lochs started (root only): jails on a user network
# (one with a published port, which starts the network's DNS daemon) and
# one on the default network, their monitors and the DNS daemon. The next
# command (ps) repairs the records and leaves nothing of the crash: no
# host veth, no jail cgroup, no mount, no forwarding rule, no process.
# Starting the jails again brings everything back (addresses, the port,
# names through a new DNS daemon); removing them leaves no table, veth or
# bridge or rule of this test. Only addresses 198.18.30.0/24, host port 18190.
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
veths() { ip -o link show type veth | sed -n 's/^[0-9]*: \(lochs[0-9a-f]*\)[@:].*/\1/p' | sort; }
http_ok() { [ "$(curl -s --max-time 2 "http://$1/file")" = "up" ]; }
before=$(veths)

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
[ "$(veths | wc -l)" -ge "$(($(echo "$before" | grep -c .) + 3))" ] || fail "no veth per jail: $(veths)"
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
[ "$(veths)" = "$before" ] || fail "veths left: $(veths)"
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
[ "$(veths)" = "$before" ] || fail "veths left at the end: $(veths)"
# (lochs0, the default network, stays with its rules, as Docker's bridge.)
rules | grep -q '198\.18\.30\.\|dport' && fail "rules left at the end: $(rules)"
echo PASS
