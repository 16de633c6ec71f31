# Sourceable: helpers for test servers on 127.0.0.1 (mirror.sh, registry.sh).

# lochs_free_port: prints a TCP port on 127.0.0.1 that is free right now.
lochs_free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# lochs_http_ok URL: true if URL answers with a 2xx status.
lochs_http_ok() {
	python3 - "$1" <<'PY' 2>/dev/null
import sys, urllib.request
try:
    urllib.request.urlopen(sys.argv[1], timeout=2).read(1)
except Exception:
    sys.exit(1)
PY
}
