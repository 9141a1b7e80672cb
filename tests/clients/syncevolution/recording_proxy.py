"""A tiny HTTP proxy that forwards every request to the server and records it.

syncevolution talks to the proxy's URL instead of the server's, so the scenario
can keep the exact request sequence it sent (method, path, Depth, what the body
asks for, status) as an artifact and assert on it. Bodies are forwarded
unchanged; only Host and absolute Location headers are rewritten.
"""

import http.client
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
              "proxy-authorization", "proxy-authenticate", "content-length"}


def summarize_body(body):
    """The XML request's root element and the properties or filters it names, in short."""
    if not body:
        return ""
    text = body.decode("utf-8", "replace")
    if not text.lstrip().startswith("<"):
        first = next((line for line in text.splitlines() if line.startswith("BEGIN:V") and line != "BEGIN:VCALENDAR"), "")
        return "%d bytes %s" % (len(body), first)
    names = re.findall(r"<(?!/|\?)(?:[A-Za-z0-9_-]+:)?([A-Za-z0-9_-]+)", text)
    root = names[0] if names else "?"
    inner = [n for n in names[1:] if n not in ("prop", "filter")]
    return "%s(%s)" % (root, ",".join(dict.fromkeys(inner)))


class RecordingProxy:
    def __init__(self, upstream):
        parsed = urlparse(upstream)
        self.upstream_host = parsed.hostname
        self.upstream_port = parsed.port or 80
        self.upstream_origin = "%s://%s" % (parsed.scheme, parsed.netloc)
        self.entries = []
        self.exchanges = []
        self.bodies = []  # (method, path, request body, status, response body), for assertions
        self.lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as neon expects

            def log_message(self, *args):
                pass

            def forward(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP and k.lower() != "host"}
                headers["Host"] = "%s:%d" % (proxy.upstream_host, proxy.upstream_port)
                conn = http.client.HTTPConnection(proxy.upstream_host, proxy.upstream_port, timeout=60)
                try:
                    conn.request(self.command, self.path, body=body or None, headers=headers)
                    response = conn.getresponse()
                    data = response.read()
                    reply_headers = [(k, v) for k, v in response.getheaders() if k.lower() not in HOP_BY_HOP]
                except OSError as e:
                    proxy.record(self.command, self.path, self.headers, body, 502)
                    proxy.dump(self.command, self.path, self.headers, body, 502, [], str(e).encode())
                    self.send_error(502, "upstream: %s" % e)
                    return
                finally:
                    conn.close()
                proxy.record(self.command, self.path, self.headers, body, response.status)
                proxy.dump(self.command, self.path, self.headers, body, response.status, reply_headers, data)
                self.send_response(response.status)
                for k, v in reply_headers:
                    if k.lower() == "location":
                        v = v.replace(proxy.upstream_origin, proxy.url.rstrip("/"))
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_PUT = do_DELETE = do_POST = do_HEAD = do_OPTIONS = forward
            do_PROPFIND = do_PROPPATCH = do_REPORT = do_MKCALENDAR = do_MKCOL = forward

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass  # a client hanging up mid-reply is the client's business; the entry was recorded

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = "http://127.0.0.1:%d/" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def record(self, method, path, headers, body, status):
        extras = []
        for name in ("Depth", "If-Match", "If-None-Match"):
            if headers.get(name):
                extras.append("%s: %s" % (name, headers[name]))
        if not headers.get("Authorization"):
            extras.append("no auth")
        line = "%s %s %s%s -> %d" % (method, path, " ".join("[%s]" % e for e in extras) + " " if extras else "",
                                      summarize_body(body), status)
        with self.lock:
            self.entries.append(line)

    def dump(self, method, path, headers, body, status, reply_headers, data):
        """The whole exchange (bodies cut at 4 KB, no Authorization) for http.log."""
        def cut(b):
            text = b.decode("utf-8", "replace")
            return text if len(text) <= 4096 else text[:4096] + "... (%d bytes)" % len(b)
        request = "".join("%s: %s\n" % (k, v) for k, v in headers.items() if k.lower() != "authorization")
        reply = "".join("%s: %s\n" % (k, v) for k, v in reply_headers)
        with self.lock:
            self.exchanges.append(">>> %s %s\n%s\n%s\n<<< %d\n%s\n%s\n" % (method, path, request, cut(body), status, reply, cut(data)))
            self.bodies.append((method, path, body.decode("utf-8", "replace"), status, data.decode("utf-8", "replace")))

    def mark(self, phase):
        with self.lock:
            self.entries.append("## " + phase)
            self.exchanges.append("########## " + phase + "\n")

    def since(self, index):
        with self.lock:
            return [e for e in self.entries[index:] if not e.startswith("## ")]

    def count(self):
        with self.lock:
            return len(self.entries)

    def close(self):
        self.server.shutdown()
        self.server.server_close()
