#!/usr/bin/env python3
"""A bearer-token front for a plain registry, for t_lochs_registry_auth.sh.

  token_proxy.py --upstream http://127.0.0.1:RPORT --port-file F --log L
                 [--user U --password P] [--redirect-blobs] [--token-uses N]

Listens on 127.0.0.1 on a free port (written to F once it listens):
  /v2/...  without "Authorization: Bearer T" for a token T granting the
           path's repository (pull for GET/HEAD, push for the writes of a
           push; any token for /v2/ itself): 401 with
           WWW-Authenticate: Bearer realm=".../token",service="lochs-test"
           and scope="repository:REPO:pull" (":pull,push" for writes) from
           the path; a mount from a repository the token cannot pull from
           goes on as a plain upload, as registries do; with it: the
           request goes to the upstream and the answer comes back as it is
           (status, headers, streamed body; redirects are passed on, not
           followed).
  /token?service=lochs-test&scope=...
           {"token": T, "access_token": T}; with --user, only for Basic U:P
           (401 otherwise). Tokens are random per run and tied to the scope.
  --token-uses N: a token is good for N requests, then expires (401).
  --redirect-blobs: a blob GET is answered 307 to /storage/REPO/DIGEST,
           which serves it without auth, like the storage hosts real
           registries send blobs to.
Each request is one line in L: METHOD PATH AUTH-KIND STATUS, AUTH-KIND
being none, basic-ok, basic-bad, bearer-ok, bearer-bad or another scheme.
"""
import argparse
import base64
import json
import os
import re
import secrets
import socket
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SERVICE = "lochs-test"
# Headers of the upstream's answer that reach the client (hop-by-hop ones
# and Content-Length are handled here).
PASS = ("content-type", "docker-content-digest", "docker-distribution-api-version",
        "location", "etag", "content-range", "accept-ranges", "range", "docker-upload-uuid",
        "www-authenticate", "last-modified", "cache-control")
# The client's request headers the upstream needs (Authorization is ours).
FORWARD = ("accept", "range", "content-type", "if-none-match", "content-range")


def allows(granted, repo, action):
    """Whether a token's scopes ("repository:REPO:pull,push") allow action on repo."""
    for sc in granted or ():
        kind, _, rest = sc.partition(":")
        name, _, actions = rest.rpartition(":")
        if kind == "repository" and name == repo and action in actions.split(","):
            return True
    return False


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the client follows redirects itself


OPENER = urllib.request.build_opener(NoRedirect)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "token-proxy"

    def setup(self):
        super().setup()
        # lochs tries HTTPS first on loopback: close on a TLS ClientHello
        # (0x16) so it falls back to HTTP at once, instead of depending on
        # a newline byte in the hello ending a bogus request line.
        try:
            if self.connection.recv(1, socket.MSG_PEEK) == b"\x16":
                self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def log_message(self, fmt, *args):
        pass  # the request log below is what the test reads

    def note(self, kind, status):
        with self.server.log_lock, open(self.server.opts.log, "a") as f:
            f.write("%s %s %s %d\n" % (self.command, self.path, kind, status))

    def auth_kind(self):
        h = self.headers.get("Authorization", "")
        scheme, _, cred = h.partition(" ")
        if not h:
            return "none", ""
        return scheme.lower(), cred.strip()

    def reply(self, status, body=b"", headers=(), kind="none"):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.note(kind, status)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/token":
            return self.token(urllib.parse.parse_qs(url.query))
        if url.path.startswith("/storage/"):
            repo, _, digest = url.path[len("/storage/"):].rpartition("/")
            return self.forward("/v2/%s/blobs/%s" % (repo, digest), self.auth_kind()[0])
        if not url.path.startswith("/v2/"):
            return self.reply(404)
        m = re.match(r"/v2/(.+?)/(manifests|blobs|tags)/", url.path)
        repo = m.group(1) if m else None
        scheme, cred = self.auth_kind()
        write = self.command not in ("GET", "HEAD")
        scope = "repository:%s:%s" % (repo, "pull,push" if write else "pull") if repo else None
        granted = self.server.tokens.get(cred) if scheme == "bearer" else None
        if granted is not None and self.server.opts.token_uses:
            with self.server.log_lock:
                left = self.server.uses[cred] = self.server.uses.get(cred, 0) - 1
            if left < 0:
                granted = None  # expired
        if granted is None or (repo and not allows(granted, repo, "push" if write else "pull")):
            challenge = 'Bearer realm="http://%s:%d/token",service="%s"' % (
                self.server.server_address + (SERVICE,))
            if scope:
                challenge += ',scope="%s"' % scope
            body = json.dumps({"errors": [{"code": "UNAUTHORIZED", "message": "authentication required"}]})
            kind = "bearer-bad" if scheme == "bearer" else scheme
            self.rfile.read(int(self.headers.get("Content-Length") or 0))  # keeps the connection in step
            return self.reply(401, body.encode(), [("WWW-Authenticate", challenge),
                                                   ("Content-Type", "application/json")], kind)
        if self.server.opts.redirect_blobs and m and m.group(2) == "blobs" and self.command == "GET":
            return self.reply(307, headers=[("Location", "/storage/%s/%s" % (repo, url.path.rsplit("/", 1)[1]))],
                              kind="bearer-ok")
        path = self.path
        q = urllib.parse.parse_qs(url.query)
        if "mount" in q and not allows(granted, q.get("from", [""])[0], "pull"):
            path = url.path  # as a registry does: no mount without pull on the source
        self.forward(path, "bearer-ok")

    do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

    def token(self, q):
        opts = self.server.opts
        if q.get("service") != [SERVICE]:
            return self.reply(400, b'{"details": "unknown service"}', kind=self.auth_kind()[0])
        kind = "none"
        if opts.user is not None:
            scheme, cred = self.auth_kind()
            want = base64.b64encode(("%s:%s" % (opts.user, opts.password)).encode()).decode()
            kind = "basic-ok" if scheme == "basic" and cred == want else (
                "basic-bad" if scheme == "basic" else scheme)
            if kind != "basic-ok":
                return self.reply(401, b'{"details": "incorrect username or password"}',
                                  [("WWW-Authenticate", 'Basic realm="lochs-test"'),
                                   ("Content-Type", "application/json")], kind)
        tok = secrets.token_hex(16)
        with self.server.log_lock:
            # scope may repeat or list several, space-separated
            self.server.tokens[tok] = set(" ".join(q.get("scope", [])).split())
            self.server.uses[tok] = opts.token_uses
        body = json.dumps({"token": tok, "access_token": tok, "expires_in": 300})
        self.reply(200, body.encode(), [("Content-Type", "application/json")], kind)

    def forward(self, path, kind):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else None
        req = urllib.request.Request(self.server.opts.upstream + path, data=body, method=self.command)
        for h in FORWARD:
            if h in self.headers:
                req.add_header(h, self.headers[h])
        try:
            resp = OPENER.open(req, timeout=60)
        except urllib.error.HTTPError as err:
            resp = err  # 3xx (not followed), 4xx, 5xx: passed on as they are
        except OSError as err:
            return self.reply(502, str(err).encode(), kind=kind)
        with resp:
            self.send_response(resp.getcode())
            for k, v in resp.headers.items():
                if k.lower() == "location" and v.startswith(self.server.opts.upstream):
                    v = v[len(self.server.opts.upstream):]  # stays on this proxy
                if k.lower() in PASS:
                    self.send_header(k, v)
            length = resp.headers.get("Content-Length")
            if length is not None:
                self.send_header("Content-Length", length)
            else:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            if self.command != "HEAD":
                while True:
                    chunk = resp.read(65536)
                    if not chunk:
                        break
                    self.wfile.write(chunk)
        self.note(kind, resp.getcode())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--upstream", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--user")
    ap.add_argument("--password", default="")
    ap.add_argument("--redirect-blobs", action="store_true")
    ap.add_argument("--token-uses", type=int, default=0)
    opts = ap.parse_args()
    opts.upstream = opts.upstream.rstrip("/")
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.opts, srv.tokens, srv.uses, srv.log_lock = opts, {}, {}, threading.Lock()
    open(opts.log, "a").close()
    # Written only once listening, so a reader of the port can connect.
    with open(opts.port_file + ".tmp", "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(opts.port_file + ".tmp", opts.port_file)
    srv.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
