"""twilio_peer: Twilio's Messages API as far as kitd uses it.

POST /2010-04-01/Accounts/{AccountSid}/Messages.json takes a form (To,
Body, From or MessagingServiceSid) with basic auth (--user, --password)
and answers 201 with a fresh SM sid, or Twilio's error JSON: 20003 for
bad credentials, 21604/21602/21603 for a missing field, 21610 for a number
in --opted-out, 21211 for one in --invalid. Each accepted message is
logged with its decoded fields.

GET .../Messages/{sid}.json answers "sending" the first time, then
"undelivered" with error 30003 for numbers in --undelivered, "failed"
with error 21610 for numbers in --stop-later, and "delivered" otherwise,
after --get-delay seconds; it logs how many it was answering at once
("inflight") and the most so far ("max"). With --hold-for N it holds the
first status answers until N are waiting at once (or --hold-seconds
pass), so a client that keeps N requests open is seen doing so however
the threads are scheduled.

GET .../Messages.json (the list) answers from the JSON list in --inbox
(newest first, read on each request; none without it), keeping those
whose "to" is To and whose date_sent is on or after DateSent> (a date),
PageSize (1-1000, default 50) a page, with next_page_uri carrying Page
and PageToken as Twilio does, or null on the last page. It logs each
request's decoded query and the sids it served. An --inbox file that is
not a JSON list is served as it is, with status 200: garbage on purpose.
"""
import base64
import datetime
import email.utils
import hmac
import json
import re
import threading
import time
import uuid
from urllib.parse import parse_qs, urlencode, urlparse

import httppeer

MESSAGES = re.compile(r"^/2010-04-01/Accounts/(AC[0-9a-f]{32})/Messages"
                      r"(?:/(SM[0-9a-f]{32}))?\.json$")


def error(code, message, status=400):
    return status, {"code": code, "message": message, "status": status,
                    "more_info": "https://www.twilio.com/docs/errors/%d"
                    % code}


SIDS = {}  # what this peer accepted: sid -> {"to", "asked"}
INFLIGHT = 0  # status requests being answered now
MAXSEEN = 0  # the most at once so far
HELD = False  # --hold-for reached (or timed out): answer at once
LOCK = threading.Lock()
COND = threading.Condition(LOCK)


class Twilio(httppeer.Handler):
    def authorised(self):
        args = self.server.args
        want = "Basic " + base64.b64encode(
            ("%s:%s" % (args.user, args.password)).encode()).decode()
        got = self.headers.get("Authorization", "")
        return hmac.compare_digest(got.encode(), want.encode())

    def check(self, want_sid):
        """The answer to give if the request is refused, else None."""
        m = MESSAGES.match(self.path)
        if not self.authorised():
            return error(20003, "Authenticate", 401)
        if (not m or m.group(1) != self.server.args.account
                or bool(m.group(2)) != want_sid):
            return error(20404, "The requested resource was not found", 404)
        return None

    def handle_post(self, data):
        refused = self.check(False)
        form = parse_qs(data.decode("utf-8"), keep_blank_values=True)
        fields = {k: v[0] for k, v in form.items() if len(v) == 1}
        to = fields.get("To")
        args = self.server.args
        if refused is None:
            refused = self.refuse(fields, to, args)
        if refused is not None:
            self.server.record({"path": self.path, "refused":
                                refused[1]["code"]})
            self.reply(*refused)
            return
        sid = "SM" + uuid.uuid4().hex
        srv = self.server
        with LOCK:
            SIDS[sid] = {"to": to, "asked": 0}
        srv.record({"accepted": sid, "to": to, "body": fields["Body"],
                    "from": fields.get("From"),
                    "service": fields.get("MessagingServiceSid")})
        self.reply(201, {"sid": sid, "status": "queued", "to": to,
                         "account_sid": args.account, "error_code": None})

    @staticmethod
    def refuse(fields, to, args):
        if to is None:
            return error(21604, "A 'To' phone number is required.")
        if "Body" not in fields:
            return error(21602, "Message body is required.")
        if ("From" in fields) == ("MessagingServiceSid" in fields):
            return error(21603, "A 'From' or 'MessagingServiceSid' "
                                "parameter is required.")
        if to in args.opted_out:
            return error(21610, "Attempt to send to unsubscribed recipient")
        if to in args.invalid:
            return error(21211, "The 'To' number %s is not a valid phone "
                                "number." % to)
        return None

    def handle_get(self):
        url = urlparse(self.path)
        m = MESSAGES.match(url.path)
        if m and not m.group(2):
            self.listing(url.path, parse_qs(url.query,
                                             keep_blank_values=True))
        else:
            self.asked()

    def listing(self, path, query):
        srv = self.server
        q = {k: v[0] for k, v in query.items()}
        refused = None
        if not self.authorised():
            refused = error(20003, "Authenticate", 401)
        elif MESSAGES.match(path).group(1) != srv.args.account:
            refused = error(20404, "The requested resource was not found",
                            404)
        elif not q.get("PageSize", "50").isdigit() or \
                not 1 <= int(q.get("PageSize", "50")) <= 1000:
            refused = error(20001, "Invalid PageSize")
        if refused is not None:
            srv.record({"list": path, "query": q, "refused":
                        refused[1]["code"]})
            self.reply(*refused)
            return
        text = "[]"
        if srv.args.inbox:
            with open(srv.args.inbox) as f:
                text = f.read()
        try:
            texts = json.loads(text)
        except ValueError:
            texts = None
        if not isinstance(texts, list):
            srv.record({"list": path, "query": q, "raw": len(text)})
            self.reply_raw(text)
            return
        self.page(path, q, [t for t in texts if wanted(t, q)])

    def page(self, path, q, texts):
        size = int(q.get("PageSize", "50"))
        start, token = 0, q.get("PageToken", "")
        sids = [t.get("sid") for t in texts]
        if token.startswith("PA") and token[2:] in sids:
            start = sids.index(token[2:]) + 1
        page = texts[start:start + size]
        number = int(q.get("Page", "0"))
        base = {k: v for k, v in q.items() if k not in ("Page", "PageToken")}
        nxt = None
        if start + size < len(texts):
            nxt = path + "?" + urlencode(dict(
                base, Page=str(number + 1),
                PageToken="PA" + page[-1]["sid"]))
        self.server.record({"list": path, "query": q, "page": number,
                            "served": [t.get("sid") for t in page]})
        self.reply(200, {"messages": page, "next_page_uri": nxt,
                         "page": number, "page_size": size, "start": start,
                         "end": start + len(page) - 1, "uri": self.path,
                         "first_page_uri": path + "?" + urlencode(
                             dict(base, Page="0")),
                         "previous_page_uri": None})

    def reply_raw(self, text):
        data = text.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html" if text.startswith("<")
                         else "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def asked(self):
        global INFLIGHT, MAXSEEN, HELD
        args = self.server.args
        with COND:
            INFLIGHT += 1
            now = INFLIGHT
            MAXSEEN = max(MAXSEEN, now)
            if args.hold_for and not HELD:
                if now >= args.hold_for:
                    HELD = True
                    COND.notify_all()
                elif not COND.wait_for(lambda: HELD, args.hold_seconds):
                    HELD = True  # the client never got there: the test says
                    COND.notify_all()
        self.counted = True
        time.sleep(args.get_delay)
        try:
            self.status(now)
        finally:
            self.leave()

    # A request stops counting before its answer goes: once the client
    # has the answer it may ask again at once, and a count lowered only
    # after the reply (a thread descheduled under load) saw five at once
    # where the client never had more than four outstanding.
    def leave(self):
        global INFLIGHT
        if getattr(self, "counted", False):
            self.counted = False
            with LOCK:
                INFLIGHT -= 1

    def status(self, inflight):
        refused = self.check(True)
        srv = self.server
        sid = MESSAGES.match(self.path).group(2) if refused is None else None
        with LOCK:
            msg = SIDS.get(sid)
            if msg is not None:
                msg["asked"] += 1
            most = MAXSEEN
        srv.record({"path": self.path, "asked": sid, "max": most,
                    "inflight": inflight})
        self.leave()
        if refused is not None or msg is None:
            self.reply(*(refused or error(20404, "not found", 404)))
            return
        status, code = "delivered", None
        if msg["asked"] == 1:
            status = "sending"
        elif msg["to"] in srv.args.undelivered:
            status, code = "undelivered", 30003
        elif msg["to"] in srv.args.stop_later:
            status, code = "failed", 21610
        self.reply(200, {"sid": sid, "status": status, "error_code": code,
                         "to": msg["to"]})


def wanted(msg, q):
    """Whether msg passes the To and DateSent> filters of query q."""
    if not isinstance(msg, dict):
        return True  # garbage on purpose: served as it is
    if "To" in q and msg.get("to") != q["To"]:
        return False
    if "DateSent>" in q:
        try:
            sent = email.utils.parsedate_to_datetime(msg["date_sent"])
        except (KeyError, TypeError, ValueError):
            return True  # an unreadable date on purpose: served
        since = datetime.date.fromisoformat(q["DateSent>"])
        return sent.astimezone(datetime.timezone.utc).date() >= since
    return True


def numbers(text):
    return set(filter(None, text.split(",")))


def add_args(ap):
    ap.add_argument("--user", required=True)
    ap.add_argument("--password", required=True)
    ap.add_argument("--account", required=True)
    ap.add_argument("--opted-out", type=numbers, default=set())
    ap.add_argument("--invalid", type=numbers, default=set())
    ap.add_argument("--undelivered", type=numbers, default=set())
    ap.add_argument("--stop-later", type=numbers, default=set())
    ap.add_argument("--get-delay", type=float, default=0.0)
    ap.add_argument("--hold-for", type=int, default=0)
    ap.add_argument("--hold-seconds", type=float, default=10.0)
    ap.add_argument("--inbox")


if __name__ == "__main__":
    httppeer.main(Twilio, add_args)
