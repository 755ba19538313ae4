"""notify_peer: GOV.UK Notify's API v2 as far as kitd uses it.

Checks each request's JWT against --key-file (HS256 with the secret half
of the key, iss the service id, iat within 30 s) and refuses with 403
AuthError otherwise; validates the bodies of /v2/notifications/sms and
/email against --sms-template / --email-template (400 ValidationError);
numbers or addresses in --invalid get 400 BadRequestError; while --refuse-file holds an error
({"status", "error", "message"}) every send gets it; the rest 201
with a fresh id, logged. GET /v2/notifications/ID says "sending" the first
time and then "delivered", or "permanent-failure" for recipients in
--fail, or "sent" for ever for those in --abroad (Notify's last word on
a text abroad). GET /v2/received-text-messages pages (--page-size, newest first,
older_than) through the JSON list in --inbox, read on each request.
"""
import base64
import hashlib
import hmac
import json
import time
import uuid
from urllib.parse import parse_qs, urlparse

import httppeer


def b64url_decode(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def error(kind, message, status):
    return {"status_code": status,
            "errors": [{"error": kind, "message": message}]}


class Notify(httppeer.Handler):
    def key(self):
        srv = self.server
        with srv.lock:  # requests run in threads: set up once, for all
            if "secret" not in srv.state:
                k = open(srv.args.key_file).read().strip()
                srv.state["secret"] = k[-36:]
                srv.state["service"] = k[-73:-37]
                srv.state["sent"] = {}
        return srv.state["service"], srv.state["secret"]

    def check_jwt(self):
        """(iat, None) if the token is good, else (None, why)."""
        service, secret = self.key()
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Bearer "):
            return None, "no bearer token"
        parts = auth[7:].split(".")
        if len(parts) != 3:
            return None, "not a JWT"
        try:
            head = json.loads(b64url_decode(parts[0]))
            body = json.loads(b64url_decode(parts[1]))
            sig = b64url_decode(parts[2])
        except ValueError:
            return None, "not a JWT"
        want = hmac.new(secret.encode(), (parts[0] + "." + parts[1]).encode(),
                        hashlib.sha256).digest()
        if head.get("alg") != "HS256" or head.get("typ") != "JWT":
            return None, "wrong header"
        if not hmac.compare_digest(sig, want):
            return None, "Invalid token: signature, api token not found"
        if body.get("iss") != service:
            return None, "Invalid token: service not found"
        iat = body.get("iat")
        if not isinstance(iat, int) or abs(time.time() - iat) > 30:
            return None, "Invalid token: expired, check that your system " \
                         "clock is accurate"
        return iat, None

    def authorised(self):
        iat, why = self.check_jwt()
        if why is not None:
            self.server.record({"path": self.path, "method": self.command,
                                "auth": why})
            self.reply(403, error("AuthError", why, 403))
        return iat

    def handle_post(self, data):
        iat = self.authorised()
        if iat is None:
            return
        args = self.server.args
        kind = self.path.rsplit("/", 1)[-1]
        try:
            msg = json.loads(data)
        except ValueError:
            msg = None
        if self.path not in ("/v2/notifications/sms",
                             "/v2/notifications/email") or \
                not isinstance(msg, dict):
            self.reply(400, error("BadRequestError", "bad request", 400))
            return
        field, tid = (("phone_number", args.sms_template) if kind == "sms"
                      else ("email_address", args.email_template))
        pers = msg.get("personalisation") or {}
        need = ["body"] if kind == "sms" else ["subject", "body"]
        problem = None
        if not msg.get(field):
            problem = field + " is a required property"
        elif msg.get("template_id") != tid:
            problem = "template_id is not a valid UUID or unknown"
        elif not msg.get("reference"):
            problem = "reference is required"
        elif any(not isinstance(pers.get(k), str) for k in need):
            problem = "Missing personalisation: " + ", ".join(need)
        if problem:
            self.server.record({"path": self.path, "rejected": problem})
            self.reply(400, error("ValidationError", problem, 400))
            return
        refused = self.refused_by_file()
        if refused is not None:
            self.server.record({"path": self.path, "refused":
                                refused["errors"][0]["message"]})
            self.reply(refused["status_code"], refused)
            return
        to = msg[field]
        if to in (args.invalid or "").split(","):
            self.server.record({"path": self.path, "rejected": "invalid"})
            self.reply(400, error("BadRequestError",
                                  "Not a valid number: " + to, 400))
            return
        nid = str(uuid.uuid4())
        with self.server.lock:
            self.server.state["sent"][nid] = {"to": to, "gets": 0}
        self.server.record({"path": self.path, "id": nid, "iat": iat,
                            "kind": kind, "template": msg["template_id"],
                            "to": to, "reference": msg["reference"],
                            "subject": pers.get("subject"),
                            "body": pers["body"],
                            "extra": sorted(set(msg) - {
                                field, "template_id", "reference",
                                "personalisation"})})
        self.reply(201, {"id": nid, "reference": msg["reference"],
                         "content": {"body": pers["body"]},
                         "uri": "/v2/notifications/" + nid,
                         "template": {"id": tid, "version": 1}})

    def refused_by_file(self):
        """Notify's error while --refuse-file holds {"status", "error",
        "message"} (a set-up refusal the test turns on and off)."""
        try:
            with open(self.server.args.refuse_file or "") as f:
                r = json.load(f)
        except (OSError, ValueError):
            return None
        return error(r["error"], r["message"], r.get("status", 400))

    def handle_get(self):
        if self.authorised() is None:
            return
        url = urlparse(self.path)
        if url.path == "/v2/received-text-messages":
            self.inbox(parse_qs(url.query).get("older_than", [None])[0])
        elif url.path.startswith("/v2/notifications/"):
            self.status(url.path.rsplit("/", 1)[-1])
        else:
            self.reply(404, error("NoResultFound", "No result found", 404))

    def status(self, nid):
        with self.server.lock:
            n = self.server.state["sent"].get(nid)
            if n is not None:
                n["gets"] += 1
                gets = n["gets"]
        if n is None:
            self.server.record({"path": self.path, "status": "unknown"})
            self.reply(404, error("NoResultFound", "No result found", 404))
            return
        if n["to"] in (self.server.args.fail or "").split(","):
            status = "permanent-failure"
        elif n["to"] in (self.server.args.abroad or "").split(","):
            status = "sent"  # a text abroad: no receipt ever comes
        else:
            status = "sending" if gets == 1 else "delivered"
        self.server.record({"path": self.path, "status": status})
        self.reply(200, {"id": nid, "status": status, "type": "sms"})

    def inbox(self, older_than):
        with open(self.server.args.inbox) as f:
            texts = json.load(f)
        start = 0
        if older_than is not None:
            ids = [t["id"] for t in texts]
            start = ids.index(older_than) + 1 if older_than in ids \
                else len(texts)
        page = texts[start:start + self.server.args.page_size]
        self.server.record({"path": self.path, "inbox": len(page)})
        self.reply(200, {"received_text_messages": page,
                         "links": {"current": self.path}})


def add_args(ap):
    ap.add_argument("--key-file", required=True)
    ap.add_argument("--sms-template", default="")
    ap.add_argument("--email-template", default="")
    ap.add_argument("--invalid", default="")
    ap.add_argument("--fail", default="")
    ap.add_argument("--abroad", default="")
    ap.add_argument("--inbox")
    ap.add_argument("--page-size", type=int, default=2)
    ap.add_argument("--refuse-file")


if __name__ == "__main__":
    httppeer.main(Notify, add_args)
