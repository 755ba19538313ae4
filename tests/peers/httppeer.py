"""httppeer: a provider stand-in on 127.0.0.1 for the adapters' tests.

Run by a test, stopped by it. Subclasses say what a provider accepts;
this module binds a free port (written to --port-file once listening),
logs every request as one JSON line (--log), and misbehaves on purpose
when told by --script, a comma-separated list of steps taken by
successive requests, after which every request is answered normally:

    500        answer 500          429:S   answer 429, Retry-After: S
    hang       never answer        reset   close the connection unanswered
    slow:S     answer normally after S seconds
    ok         answer normally     STEPxN  repeat a step N times

--random SEED:PERCENT (once the script is used up) makes PERCENT of the
requests take a step drawn from --random-steps (a list as above, a step
named twice drawn twice as often), from a generator seeded with SEED, so
a failing run can be replayed. With --times each log line ends with "t",
the time it was written. A misbehaving POST's line carries "ref", the
request's Idempotency-Key header or else the "reference" of its JSON body.
"""
import argparse
import json
import os
import random
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
        seed, _, percent = (args.random or "").partition(":")
        self.rng = random.Random(int(seed)) if percent else None
        self.percent = float(percent or 0)
        self.random_steps = parse_script(args.random_steps)
        self.lock = threading.Lock()
        self.log = open(args.log, "a", buffering=1) if args.log else None
        self.state = {}

    def next_step(self):
        with self.lock:
            if self.script:
                return self.script.pop(0)
            if self.rng is not None and \
                    self.rng.random() * 100 < self.percent:
                return self.rng.choice(self.random_steps)
            return "ok"

    def record(self, entry):
        if self.log:
            with self.lock:
                if self.args.times:
                    entry["t"] = time.time()
                self.log.write(json.dumps(entry) + "\n")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # The headers and the body go out in two writes; with Nagle on, the
    # body waits for the client's delayed ACK of the headers, 40 ms a
    # reply, which a client sending one request at a time feels in full.
    disable_nagle_algorithm = True

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

    def reference(self, data):
        """Which message a request carries, for the log: our Idempotency-Key
        or the reference in a JSON body, else None."""
        key = self.headers.get("Idempotency-Key")
        if key or not data:
            return key
        try:
            body = json.loads(data)
        except ValueError:
            return None
        return body.get("reference") if isinstance(body, dict) else None

    def misbehave(self, data=None):
        """True if the script answered this request instead of the peer."""
        step = self.server.next_step()
        if step == "ok":
            return False
        if step.startswith("slow:"):
            self.server.record({"path": self.path, "method": self.command,
                                "step": step, "ref": self.reference(data)})
            time.sleep(float(step.partition(":")[2]))
            return False
        entry = {"path": self.path, "method": self.command, "step": step}
        if self.command == "POST":
            entry["ref"] = self.reference(data)
        self.server.record(entry)
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
        if not self.misbehave(data):
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
    ap.add_argument("--random", default="", metavar="SEED:PERCENT")
    ap.add_argument("--random-steps", default="500,reset,429:1,hang")
    ap.add_argument("--times", action="store_true")
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
