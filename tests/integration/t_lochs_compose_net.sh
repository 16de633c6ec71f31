#!/bin/sh
# Compose networks through apply (root only): a service on two networks
# gets ipv4_address, ipv6_address and aliases on each (the second is joined after start
# with its own options), jails on either network reach it by those aliases
# (embedded DNS) and addresses; a service that names no network is on
# PROJECT_default, made by compose up -d and gone with down (bridges too).
# Addresses 198.18.74.0/24, 198.18.75.0/24 and fd42:75::/64 (PROJECT_default
# from the pool).
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/lochs.sh"
jail_test compose_net
LOCHS=$ROOT/$LOCHS # the test runs in the project folder
T() { timeout 120 "$LOCHS" --root "$S" "$@"; }
at_exit() { [ -d "$S/proj" ] && (cd "$S/proj" && T compose down >/dev/null 2>&1); true; }
P=$S/proj
mkdir -p "$P/www" && echo "two networks" >"$P/www/index.html"
cat >"$P/lochs.yml" <<'YAML'
name: cnet
services:
  web:
    image: freebsd:14.3
    command: /usr/local/bin/httpd-lite -q -p 8080 -d /www
    volumes: ["./www:/www:ro"]
    networks:
      front: {ipv4_address: 198.18.74.10, aliases: [www]}
      back: {ipv4_address: 198.18.75.20, ipv6_address: "fd42:75::20", aliases: [api, api2]}
  probe:
    image: freebsd:14.3
    command: sleep 300
    networks: [back]
  lone:
    image: freebsd:14.3
    command: sleep 300
networks:
  front: {ipam: {config: [{subnet: 198.18.74.0/24}]}}
  back: {enable_ipv6: true, ipam: {config: [{subnet: 198.18.75.0/24}, {subnet: "fd42:75::/64"}]}}
YAML
cd "$P"
expect 0 "up -d" T compose up -d
ip_on() { T inspect "$1" | jq -r ".[0].NetworkSettings.Networks[\"$2\"].IPAddress // empty"; }
[ "$(ip_on cnet-web-1 cnet_front)" = 198.18.74.10 ] || fail "front address: $(T inspect cnet-web-1)"
[ "$(ip_on cnet-web-1 cnet_back)" = 198.18.75.20 ] || fail "back address (second network): $(T inspect cnet-web-1)"
T network inspect cnet_back | jq -e '[.[0].Containers[] | select(.Name == "cnet-web-1")][0].IPv6Address == "fd42:75::20/64"' \
	>/dev/null || fail "back IPv6 address (second network): $(T network inspect cnet_back)"
# The aliases, each on its own network.
al() { sqlite3 "$S/lochs.db" "SELECT group_concat(alias, ' ') FROM (SELECT x.alias FROM net_aliases x
	JOIN networks n ON n.id = x.network WHERE n.name = '$1' ORDER BY x.alias)"; }
[ "$(al cnet_front)" = www ] || fail "front aliases: $(al cnet_front)"
[ "$(al cnet_back)" = "api api2" ] || fail "back aliases: $(al cnet_back)"
fetch() { T exec cnet-probe-1 /usr/local/bin/fetch-lite -q -t 3 "$1" >/dev/null 2>&1; }
until_ok "probe reaches web by its back alias" fetch http://api:8080/index.html
fetch http://api2:8080/index.html || fail "second alias on back"
fetch http://198.18.75.20:8080/index.html || fail "back ipv4_address"
fetch http://www:8080/index.html && fail "probe (back only) resolved the front alias"
expect 0 "front alias from front" T run --rm --network cnet_front freebsd:14.3 \
	/usr/local/bin/fetch-lite -t 3 http://www:8080/index.html
[ "$out" = "two networks" ] || fail "front alias: $out"

# PROJECT_default: made for lone (no networks: key), lone on it.
T network ls --format json | jq -s -e 'any(.[]; .Name == "cnet_default")' >/dev/null || fail "no cnet_default: $(T network ls)"
T network inspect cnet_default | jq -e '[.[0].Containers[].Name] == ["cnet-lone-1"]' >/dev/null ||
	fail "cnet_default endpoints: $(T network inspect cnet_default)"
br=$(T network inspect cnet_default | jq -r '.[0].Options["com.docker.network.bridge.name"]')
ip link show "$br" >/dev/null 2>&1 || fail "no bridge $br for cnet_default"
expect 0 "second apply" T apply
[ "$out" = "Project cnet is up to date." ] || fail "second apply: $out"

expect 0 "down" T compose down
for n in cnet_front cnet_back cnet_default; do
	T network inspect $n >/dev/null 2>&1 && fail "network $n left after down"
done
ip link show "$br" >/dev/null 2>&1 && fail "bridge $br left after down"
[ -z "$(T ps -aq)" ] || fail "jails left: $(T ps -a)"
echo PASS
