# Sourceable: a real OCI registry (Debian's docker-registry) on 127.0.0.1,
# filled with skopeo from the test image's OCI layout
# (build/corpus/image/oci/, made by tests/corpus/image/build.sh).
#
#   registry_start       starts docker-registry (filesystem storage and config
#                        in a fresh temporary directory, no auth, plain HTTP)
#                        on a free port and waits until /v2/ answers. Exports
#                        REGISTRY (127.0.0.1:PORT), REGISTRY_URL
#                        (http://127.0.0.1:PORT), REGISTRY_PORT, REGISTRY_PID,
#                        REGISTRY_DIR. Returns 1 if it cannot start.
#   registry_push_image NAME:TAG
#                        pushes the FreeBSD image (one layer = rootfs/,
#                        os=freebsd, architecture=amd64) as REGISTRY/NAME:TAG.
#   registry_push_multiarch NAME:TAG
#                        pushes an OCI image index of two manifests,
#                        linux/amd64 (a decoy with only /LINUX-DECOY) and
#                        freebsd/amd64 (the image above), as REGISTRY/NAME:TAG.
#   registry_config DIR ADDR [CERT KEY]
#                        writes DIR/config.yml (storage in DIR/storage).
#   registry_stop        kills the registry (by its PID), removes REGISTRY_DIR.
#   registry_have_tools  true if docker-registry, skopeo and python3 exist.
#
# Pull with TLS verification off (plain HTTP), e.g.
#   skopeo inspect --tls-verify=false docker://$REGISTRY/lochs-test:1
#   lochs pull --tls-verify=false $REGISTRY/lochs-test:1
# Callers should `trap registry_stop EXIT`.

REGISTRY_OCI=${REGISTRY_OCI:-build/corpus/image/oci}

registry_have_tools() {
	command -v docker-registry >/dev/null 2>&1 && command -v skopeo >/dev/null 2>&1 &&
		command -v python3 >/dev/null 2>&1
}

. tests/integration/lib/loopback.sh  # callers run from the repo root

# registry_config DIR ADDR [CERT KEY]: DIR/config.yml for a registry
# storing in DIR/storage, listening on ADDR (HTTPS with CERT and KEY).
registry_config() {
	cat >"$1/config.yml" <<-YAML
	version: 0.1
	log:
	  level: warn
	  accesslog:
	    disabled: true
	storage:
	  filesystem:
	    rootdirectory: $1/storage
	  delete:
	    enabled: true
	http:
	  addr: $2
	  secret: lochs-test-only
	YAML
	[ $# -lt 4 ] || printf '  tls:\n    certificate: %s\n    key: %s\n' "$3" "$4" >>"$1/config.yml"
}

registry_start() {
	command -v docker-registry >/dev/null 2>&1 || { echo "registry_start: docker-registry not found" >&2; return 1; }
	REGISTRY_DIR=$(mktemp -d "${TMPDIR:-/tmp}/lochs-registry.XXXXXX") || return 1
	mkdir -p "$REGISTRY_DIR/storage"
	for _r_try in 1 2 3 4 5; do
		_r_port=$(lochs_free_port) || return 1
		registry_config "$REGISTRY_DIR" "127.0.0.1:$_r_port"
		docker-registry serve "$REGISTRY_DIR/config.yml" >"$REGISTRY_DIR/registry.log" 2>&1 &
		REGISTRY_PID=$!
		_r_i=0
		while [ $_r_i -lt 150 ]; do
			if lochs_http_ok "http://127.0.0.1:$_r_port/v2/"; then
				REGISTRY_PORT=$_r_port
				REGISTRY=127.0.0.1:$_r_port
				REGISTRY_URL=http://$REGISTRY
				export REGISTRY REGISTRY_URL REGISTRY_PORT REGISTRY_PID REGISTRY_DIR
				return 0
			fi
			kill -0 "$REGISTRY_PID" 2>/dev/null || break
			sleep 0.1
			_r_i=$((_r_i + 1))
		done
		kill "$REGISTRY_PID" 2>/dev/null || true
		wait "$REGISTRY_PID" 2>/dev/null || true
	done
	echo "registry_start: docker-registry did not answer: $(tail -n 1 "$REGISTRY_DIR/registry.log")" >&2
	unset REGISTRY_PID
	return 1
}

# _registry_copy OCI-REF NAME:TAG [skopeo flags]
_registry_copy() {
	[ -n "${REGISTRY:-}" ] || { echo "registry: not started (registry_start)" >&2; return 1; }
	[ -f "$REGISTRY_OCI/index.json" ] ||
		{ echo "registry: $REGISTRY_OCI missing (tests/corpus/image/build.sh)" >&2; return 1; }
	_r_src=$1 _r_dst=$2; shift 2
	if ! skopeo copy --quiet --dest-tls-verify=false "$@" "oci:$REGISTRY_OCI:$_r_src" \
		"docker://$REGISTRY/$_r_dst" >"$REGISTRY_DIR/skopeo.log" 2>&1; then
		echo "registry: skopeo copy to $REGISTRY/$_r_dst failed: $(tail -n 3 "$REGISTRY_DIR/skopeo.log")" >&2
		return 1
	fi
}

registry_push_image() {
	case ${1:-} in *:*) ;; *) echo "usage: registry_push_image NAME:TAG" >&2; return 2 ;; esac
	_registry_copy latest "$1"
}

registry_push_multiarch() {
	case ${1:-} in *:*) ;; *) echo "usage: registry_push_multiarch NAME:TAG" >&2; return 2 ;; esac
	# --all: the index and every manifest in it, not just the host's platform.
	_registry_copy multiarch "$1" --all
}

registry_stop() {
	if [ -n "${REGISTRY_PID:-}" ]; then
		kill "$REGISTRY_PID" 2>/dev/null || true
		wait "$REGISTRY_PID" 2>/dev/null || true
		unset REGISTRY_PID
	fi
	case ${REGISTRY_DIR:-} in */lochs-registry.*) rm -rf "$REGISTRY_DIR" ;; esac
	unset REGISTRY REGISTRY_URL REGISTRY_PORT REGISTRY_DIR
	return 0
}

# registry_start_htpasswd FILE: registry_start, with every request needing
# Basic credentials from FILE (an htpasswd file of bcrypt hashes, made with
# `htpasswd -Bbc FILE USER PASSWORD`), set through docker-registry's
# environment overrides of its config (auth.htpasswd.realm/path). Ready
# means /v2/ answers at all (401 without credentials).
registry_start_htpasswd() {
	[ -f "${1:-}" ] || { echo "usage: registry_start_htpasswd HTPASSWD-FILE" >&2; return 2; }
	REGISTRY_AUTH_HTPASSWD_REALM=lochs-test REGISTRY_AUTH_HTPASSWD_PATH=$1
	export REGISTRY_AUTH_HTPASSWD_REALM REGISTRY_AUTH_HTPASSWD_PATH
	lochs_http_ok() {
		python3 - "$1" <<'PY' 2>/dev/null
import sys, urllib.error, urllib.request
try:
    urllib.request.urlopen(sys.argv[1], timeout=2)
except urllib.error.HTTPError as e:
    sys.exit(0 if e.code == 401 else 1)
except Exception:
    sys.exit(1)
PY
	}
	registry_start
	_r_rc=$?
	unset REGISTRY_AUTH_HTPASSWD_REALM REGISTRY_AUTH_HTPASSWD_PATH
	. tests/integration/lib/loopback.sh # lochs_http_ok as it was
	return $_r_rc
}

# registry_token_proxy DIR NAME [token_proxy.py flags]: lib/token_proxy.py
# (a bearer-token front) before the registry started last; its request log
# is DIR/NAME.log. Sets PROXY (127.0.0.1:PORT) and PROXY_PID; the caller
# kills PROXY_PID. Returns 1 (with the reason on stderr) if it cannot start.
registry_token_proxy() {
	_p_dir=$1 _p_n=$2; shift 2
	python3 tests/integration/lib/token_proxy.py --upstream "$REGISTRY_URL" --port-file "$_p_dir/$_p_n.port" \
		--log "$_p_dir/$_p_n.log" "$@" 2>"$_p_dir/$_p_n.err" &
	PROXY_PID=$!
	_p_i=0
	until [ -s "$_p_dir/$_p_n.port" ]; do
		kill -0 "$PROXY_PID" 2>/dev/null && [ $_p_i -lt 100 ] || {
			kill "$PROXY_PID" 2>/dev/null
			echo "token proxy $_p_n did not start: $(cat "$_p_dir/$_p_n.err")" >&2
			return 1
		}
		sleep 0.1
		_p_i=$((_p_i + 1))
	done
	PROXY=127.0.0.1:$(cat "$_p_dir/$_p_n.port")
}
