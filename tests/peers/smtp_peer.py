"""smtp_peer: a council's mail relay on 127.0.0.1 for the smtp adapter's
tests, on Debian's python3-aiosmtpd.

STARTTLS is offered and required (--tls CERT KEY) unless --no-starttls,
when the relay offers none, or --implicit-tls, when it speaks TLS from the
first byte (smtps://). With --user and --password it requires AUTH
(after STARTTLS). A recipient containing "bounce" is refused with 550,
one containing "later" with 451. Each accepted message is parsed with
Python's email package and logged as one JSON line (--log); refused
recipients are logged as {"refused": CODE}, without the address. Before
it, a {"wire": ...} line says how the message stands against the
standards (see wire()): "problems" lists each breach, [] when none.
"""
import argparse
import asyncio
import email
import email.policy
import json
import os
import signal
import ssl
import logging
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Relay:
    def __init__(self, log):
        self.log = log

    def record(self, entry):
        self.log.write(json.dumps(entry, ensure_ascii=False) + "\n")

    async def handle_RCPT(self, server, session, envelope, address,
                          rcpt_options):
        if "bounce" in address:
            self.record({"refused": 550})
            return "550 5.1.1 mailbox unavailable"
        if "later" in address:
            self.record({"refused": 451})
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.record({"wire": wire(envelope)})
        msg = email.message_from_bytes(envelope.original_content,
                                       policy=email.policy.default)
        part = msg.get_body(preferencelist=("plain",))
        body = part.get_content() if part is not None else None
        if body is not None:
            body = body.replace("\r\n", "\n")
            if body.endswith("\n"):
                body = body[:-1]  # the line end every message ends with
        tls = server.transport.get_extra_info("ssl_object") is not None
        self.record({
            "mail_from": envelope.mail_from,
            "rcpt_to": envelope.rcpt_tos,
            "from": str(msg["From"]),
            "to": str(msg["To"]),
            "subject": str(msg["Subject"]),
            "message_id": str(msg["Message-ID"]),
            "date": msg["Date"] is not None,
            "charset": part.get_content_charset() if part else None,
            "tls": tls,
            "auth": session.authenticated,
            "body": body,
        })
        return "250 2.0.0 queued"


def header_lines(raw, name):
    """The lengths of header name's lines, its folded ones included."""
    head = raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
    out, inside = [], False
    for line in head:
        if line[:1] not in (b" ", b"\t"):
            inside = line.lower().startswith(name.lower() + b":")
        if inside:
            out.append(len(line))
    return out


def wire(envelope):
    """The message as it came: 7-bit or announced 8BITMIME (RFC 6152),
    lines within RFC 5322's 998 and quoted-printable's 76 (RFC 2045),
    Subject lines within RFC 2047's 76, and parsed with email.policy.strict
    (any defect raises), with what the reader decodes."""
    raw = envelope.original_content
    problems = []
    eight = any(b > 127 for b in raw)
    if eight and "BODY=8BITMIME" not in envelope.mail_options:
        problems.append("8-bit bytes without BODY=8BITMIME")
    lines = raw.split(b"\r\n")
    if max(len(x) for x in lines) > 998:
        problems.append("a line over 998")
    subject = header_lines(raw, b"Subject")
    if any(n > 76 for n in subject):
        problems.append("a Subject line over 76: %r" % subject)
    out = {"mail_options": envelope.mail_options, "eight_bit": eight,
           "subject_lines": subject}
    try:
        msg = email.message_from_bytes(raw, policy=email.policy.strict)
        for name, value in msg.items():
            out.setdefault("headers", {})[name] = str(value)
        part = msg.get_body(preferencelist=("plain",))
        cte = part.get("Content-Transfer-Encoding", "7bit").lower()
        if cte == "quoted-printable" and any(
                len(x) > 76 for x in part.get_payload().splitlines()):
            problems.append("a quoted-printable line over 76")
        out["body"] = part.get_content().replace("\r\n", "\n")
        out["cte"] = cte
    except Exception as e:  # a defect strict mode raises on
        problems.append("strict parse: %s: %s" % (type(e).__name__, e))
    out["problems"] = problems
    return out


def authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and
              auth_data.login == user.encode() and
              auth_data.password == password.encode())
        return AuthResult(success=ok, handled=False)
    return check


async def serve(args):
    log = open(args.log, "a", buffering=1, encoding="utf-8")
    relay = Relay(log)
    tls = implicit = None
    if not args.no_starttls:
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(*args.tls)
    if args.implicit_tls:
        tls, implicit = None, tls
    kw = {}
    if args.user:
        kw = dict(authenticator=authenticator(args.user, args.password),
                  auth_required=True, auth_require_tls=True)

    def factory():
        return SMTP(relay, hostname="relay.test", tls_context=tls,
                    require_starttls=tls is not None, **kw)

    loop = asyncio.get_running_loop()
    server = await loop.create_server(factory, "127.0.0.1", 0, backlog=256,
                                      ssl=implicit)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.sockets[0].getsockname()[1]))
    os.rename(tmp, args.port_file)
    stop = loop.create_future()
    loop.add_signal_handler(signal.SIGTERM, stop.set_result, None)
    await stop
    server.close()


def main():
    # aiosmtpd's own AUTH code warns about its own deprecated attribute.
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    ap.add_argument("--no-starttls", action="store_true")
    ap.add_argument("--implicit-tls", action="store_true")
    ap.add_argument("--user")
    ap.add_argument("--password")
    args = ap.parse_args()
    if not args.no_starttls and not args.tls:
        ap.error("--tls CERT KEY, or --no-starttls")
    asyncio.run(serve(args))
    sys.exit(0)


if __name__ == "__main__":
    main()
