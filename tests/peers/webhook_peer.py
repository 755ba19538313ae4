"""webhook_peer: a team's endpoint. Checks the signature and timestamp
(--key-file) and logs each message with whether they were right."""
import hashlib
import hmac
import json
import time

import httppeer


class Webhook(httppeer.Handler):
    def handle_post(self, data):
        srv = self.server
        key = srv.state.setdefault("key",
                                   open(srv.args.key_file).read().strip())
        ts = self.headers.get("X-Keepintouch-Timestamp", "")
        sig = self.headers.get("X-Keepintouch-Signature", "")
        want = "sha256=" + hmac.new(key.encode(), ts.encode() + b"." + data,
                                    hashlib.sha256).hexdigest()
        fresh = ts.isdigit() and abs(time.time() - int(ts)) < 300
        ok = hmac.compare_digest(sig, want) and fresh
        msg = json.loads(data) if ok else None
        srv.record({"path": self.path, "signed": ok, "message": msg,
                    "idempotency": self.headers.get("Idempotency-Key")})
        if not ok:
            self.reply(401, {"error": "bad signature"})
            return
        self.reply(200, {"id": "wh-" + msg["reference"]})


def add_args(ap):
    ap.add_argument("--key-file", required=True)


if __name__ == "__main__":
    httppeer.main(Webhook, add_args)
