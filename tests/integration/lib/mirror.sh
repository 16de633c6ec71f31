# Sourceable: a FreeBSD release mirror on a loopback HTTP server.
#
#   mirror_start [DIR]   serves DIR (default build/corpus/image/mirror, made by
#                        tests/corpus/image/build.sh) with python3 -m http.server
#                        on 127.0.0.1 and a free port; exports MIRROR_URL
#                        (http://127.0.0.1:PORT/, trailing slash), MIRROR_PORT,
#                        MIRROR_PID and MIRROR_LOG. Returns 1 if it cannot start.
#   mirror_stop          kills the server started by mirror_start (by its PID)
#                        and removes its log.
#
# DIR is laid out like https://download.freebsd.org/releases/amd64/, so
# MIRROR_URL replaces that prefix: $MIRROR_URL/14.3-RELEASE/MANIFEST, .../base.txz
# (also 13.5-RELEASE and 15.0-RELEASE), which is what `lochs pull --mirror`
# takes:
#   lochs pull --mirror "$MIRROR_URL" freebsd:14.3
# Callers should `trap mirror_stop EXIT` (the server outlives a killed test otherwise).

. tests/integration/lib/loopback.sh  # callers run from the repo root

mirror_start() {
	_m_dir=${1:-build/corpus/image/mirror}
	if [ ! -d "$_m_dir" ]; then
		echo "mirror_start: $_m_dir: no such directory" >&2
		return 1
	fi
	_m_dir=$(cd "$_m_dir" && pwd)
	MIRROR_LOG=${MIRROR_LOG:-$(mktemp "${TMPDIR:-/tmp}/lochs-mirror.XXXXXX")}
	for _m_try in 1 2 3 4 5; do
		_m_port=$(lochs_free_port) || return 1
		python3 -m http.server --bind 127.0.0.1 --directory "$_m_dir" "$_m_port" >"$MIRROR_LOG" 2>&1 &
		MIRROR_PID=$!
		# Up to 10 s for the socket to answer; a lost race for the port ends
		# the server at once, and the next try takes another port.
		_m_i=0
		while [ $_m_i -lt 100 ]; do
			if lochs_http_ok "http://127.0.0.1:$_m_port/"; then
				MIRROR_PORT=$_m_port
				MIRROR_URL=http://127.0.0.1:$_m_port/
				export MIRROR_URL MIRROR_PORT MIRROR_PID MIRROR_LOG
				return 0
			fi
			kill -0 "$MIRROR_PID" 2>/dev/null || break
			sleep 0.1
			_m_i=$((_m_i + 1))
		done
		kill "$MIRROR_PID" 2>/dev/null || true; wait "$MIRROR_PID" 2>/dev/null || true
	done
	echo "mirror_start: python3 http.server did not start: $(tail -n 1 "$MIRROR_LOG")" >&2
	unset MIRROR_PID
	return 1
}

mirror_stop() {
	if [ -n "${MIRROR_PID:-}" ]; then
		kill "$MIRROR_PID" 2>/dev/null || true
		wait "$MIRROR_PID" 2>/dev/null || true
		unset MIRROR_PID MIRROR_URL MIRROR_PORT
	fi
	case ${MIRROR_LOG:-} in */lochs-mirror.*) rm -f "$MIRROR_LOG"; unset MIRROR_LOG ;; esac
	return 0
}
