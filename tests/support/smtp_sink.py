"""A real SMTP server for tests (Debian's python3-aiosmtpd), run by /usr/bin/python3.

usage: smtp_sink.py CERT KEY OUT_DIR PORT_FILE

Listens on 127.0.0.1 on an ephemeral port (written to PORT_FILE once listening), requires
STARTTLS (CERT/KEY) before AUTH and mail, accepts AUTH PLAIN/LOGIN for user "pactum" with
password "smtp-pass" only, refuses recipients starting with "refused@" with 550, and stores each
message in OUT_DIR as NNNN.json: the envelope and the message as Python's email package parses
it (subject decoded from RFC 2047, text decoded from its transfer encoding), plus the raw bytes.
Runs until killed.
"""

import asyncio
import email
import email.policy
import json
import os
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Store:
    def __init__(self, out_dir):
        self.out_dir = out_dir
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("refused@"):
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        raw = envelope.original_content or envelope.content
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": session.ssl is not None,
            "authenticated": bool(session.authenticated),
            "subject": str(parsed["subject"]),
            "from": str(parsed["from"]),
            "to": str(parsed["to"]),
            "text": parsed.get_content(),
            "raw": raw.decode("ascii", "replace"),
        }
        path = os.path.join(self.out_dir, "%04d.json" % self.count)
        with open(path + ".tmp", "w", encoding="utf-8") as out:
            json.dump(record, out, ensure_ascii=False)
        os.rename(path + ".tmp", path)
        return "250 Message accepted"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = (isinstance(auth_data, LoginPassword) and auth_data.login == b"pactum"
          and auth_data.password == b"smtp-pass")
    return AuthResult(success=ok, handled=False)


async def main():
    cert, key, out_dir, port_file = sys.argv[1:5]
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    handler = Store(out_dir)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="localhost", tls_context=context, require_starttls=True,
                     authenticator=authenticator, auth_require_tls=True, auth_required=True),
        "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    with open(port_file + ".tmp", "w") as out:
        out.write(str(port))
    os.rename(port_file + ".tmp", port_file)
    await asyncio.Event().wait()


asyncio.run(main())
