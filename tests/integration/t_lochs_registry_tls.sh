#!/bin/sh
# TLS verification of registries that are not on loopback (root only): a
# real docker-registry serving HTTPS with a self-signed certificate in a
# network namespace made here (198.18.50.2, reached over a veth pair).
# lochs pull refuses it in one line; --tls-verify=false and the config
# file's insecure_registries let it through (as Docker's insecure
# registries); nothing is stored by the refused pull. Only 198.18.50.0/30.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/registry.sh"
LOCHS=${LOCHS:-$ROOT/build/bin/lochs}
[ "$(id -u)" = 0 ] || skip "network namespaces need root"
registry_have_tools || skip "docker-registry, skopeo and python3 needed"
command -v openssl >/dev/null || skip "openssl needed for the certificate"
need build/corpus/image/oci/index.json
tmp=$(mktemp -d) NS=lrt$$ rpid=
cleanup() {
	[ -z "$rpid" ] || { kill "$rpid" 2>/dev/null; wait "$rpid" 2>/dev/null; } || true
	ip netns del $NS 2>/dev/null || true
	ip link del ${NS}h 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
L() { timeout 300 "$LOCHS" --root "$tmp/store" "$@"; }
R=198.18.50.2:5000

ip netns add $NS && ip link add ${NS}h type veth peer name ${NS}n && ip link set ${NS}n netns $NS || fail "namespace"
ip addr add 198.18.50.1/30 dev ${NS}h && ip link set ${NS}h up
ip -n $NS addr add 198.18.50.2/30 dev ${NS}n && ip -n $NS link set ${NS}n up && ip -n $NS link set lo up
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=198.18.50.2 -addext subjectAltName=IP:198.18.50.2 \
	-keyout "$tmp/key.pem" -out "$tmp/cert.pem" >/dev/null 2>&1 || fail "openssl"
mkdir -p "$tmp/storage"
registry_config "$tmp" "$R" "$tmp/cert.pem" "$tmp/key.pem"
ip netns exec $NS docker-registry serve "$tmp/config.yml" >"$tmp/registry.log" 2>&1 &
rpid=$!
up() { curl -sk --max-time 2 "https://$R/v2/" >/dev/null; }
n=0
until up; do
	n=$((n + 1)); [ $n -lt 150 ] || fail "registry did not answer: $(tail -n 3 "$tmp/registry.log")"; sleep 0.1
done
skopeo copy --quiet --dest-tls-verify=false "oci:$REGISTRY_OCI:latest" "docker://$R/lochs-test:1" >"$tmp/skopeo.log" 2>&1 ||
	fail "skopeo: $(tail -n 3 "$tmp/skopeo.log")"

# Verified by default: the self-signed certificate is refused.
rc=0
L pull "$R/lochs-test:1" >"$tmp/out" 2>"$tmp/err" || rc=$?
[ $rc = 125 ] || fail "pull of an unverifiable registry: exit $rc: $(cat "$tmp/err")"
[ "$(grep -c . "$tmp/err")" = 1 ] || fail "not one line of error: $(cat "$tmp/err")"
grep -qi "certificate" "$tmp/err" || fail "the error does not say why: $(cat "$tmp/err")"
[ -z "$(L images -q)" ] || fail "the refused pull stored an image"

L pull --tls-verify=false "$R/lochs-test:1" >"$tmp/out" 2>&1 || fail "--tls-verify=false: $(cat "$tmp/out")"
L rmi "$R/lochs-test:1" >/dev/null || fail rmi
printf '{"insecure_registries": ["%s"]}\n' "$R" >"$tmp/store/config.json"
L pull "$R/lochs-test:1" >"$tmp/out" 2>&1 || fail "insecure_registries: $(cat "$tmp/out")"
L images | grep -q "^$R/lochs-test  *1 " || fail "images: $(L images)"
echo PASS
