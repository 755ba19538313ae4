"""httppeer: a provider stand-in on 127.0.0.1 for the adapters' tests.

Run by a test, stopped by it. Subclasses say what a provider accepts;
this module binds a free port (written to --port-file once listening),
logs every request as one JSON line (--log), and misbehaves on purpose
when told by --script, a comma-separated list of steps taken by
successive requests, after which every request is answered normally:

    500        answer 500          429:S   answer 429, Retry-After: S
    hang       never answer        reset   close the connection unanswered
    ok         answer normally     STEPxN  repeat a step N times
"""
import argparse
import json
import os
import socket
import ssl
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def parse_script(text):
    steps = []
    for item in filter(None, (text or "").split(",")):
        step, _, times = item.partition("x")
        steps.extend([step] * (int(times) if times else 1))
    return steps


class Peer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, args, handler):
        super().__init__(("127.0.0.1", 0), handler)
        self.args = args
        self.script = parse_script(args.script)
        self.lock = threading.Lock()
        self.log = open(args.log, "a", buffering=1) if args.log else None
        self.state = {}

    def next_step(self):
        with self.lock:
            return self.script.pop(0) if self.script else "ok"

    def record(self, entry):
        if self.log:
            with self.lock:
                self.log.write(json.dumps(entry) + "\n")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # quiet: the JSON log says it all
        pass

    def reply(self, status, body=None, headers=None):
        data = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def misbehave(self):
        """True if the script answered this request instead of the peer."""
        step = self.server.next_step()
        if step == "ok":
            return False
        self.server.record({"path": self.path, "method": self.command,
                            "step": step})
        if step == "hang":
            time.sleep(3600)
        elif step == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.close_connection = True
        elif step.startswith("429"):
            self.reply(429, {"error": "rate limited"},
                       {"Retry-After": step.partition(":")[2] or "1"})
        else:
            self.reply(int(step), {"error": "scripted failure"})
        return True

    def do_POST(self):
        data = self.body()
        if not self.misbehave():
            self.handle_post(data)

    def do_GET(self):
        if not self.misbehave():
            self.handle_get()

    def handle_post(self, data):
        self.reply(404)

    def handle_get(self):
        self.reply(404)


def main(handler, add_args=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log")
    ap.add_argument("--script", default="")
    ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    if add_args:
        add_args(ap)
    args = ap.parse_args()
    server = Peer(args, handler)
    if args.tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(*args.tls)
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(tmp, args.port_file)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    sys.exit(0)
