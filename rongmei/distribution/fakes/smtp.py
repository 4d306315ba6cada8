"""A small SMTP server (aiosmtpd in a thread, on 127.0.0.1 and a free
port) for the email channel's tests: AUTH PLAIN/LOGIN with one account,
and the replies of a mail server's bad days.

``messages`` holds what it accepted (250 after DATA), parsed; what it
received before dropping the connection is kept there too, since it did
arrive. Bad days, set on the running fake:

- ``data_replies``: replies to the next DATA, in order (``"451 4.3.0 …"``);
- ``refuse_recipients``: the reply to every RCPT (``"550 5.1.1 …"``);
- ``drop_after_data``: how many of the next messages are received, then
  the connection closed without an answer;
- a wrong password is answered ``535 5.7.8`` as any server does.
"""

from __future__ import annotations

import email
import email.policy
import logging
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class _Controller(Controller):
    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]  # bound to port 0: learn the real one
        super()._trigger_server()


class FakeSMTP:
    def __init__(self, username: str = "news@center.example.cn", password: str = "mail-Pass-2026"):
        self.username, self.password = username, password
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[dict] = []
        self.data_replies: list[str] = []
        self.refuse_recipients = ""
        self.drop_after_data = 0
        self.logins: list[str] = []
        self.lock = threading.Lock()
        self.controller: _Controller | None = None

    # -- aiosmtpd hooks

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
            self.username.encode(),
            self.password.encode(),
        )
        if ok:
            self.logins.append(self.username)
        return AuthResult(success=ok, handled=False)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse_recipients:
            return self.refuse_recipients
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            reply = self.data_replies.pop(0) if self.data_replies else "250 2.0.0 Ok: queued"
            drop = self.drop_after_data > 0
            self.drop_after_data -= 1 if drop else 0
            if reply.startswith("250") or drop:
                self.messages.append(email.message_from_bytes(envelope.original_content, policy=email.policy.default))
                self.envelopes.append({"from": envelope.mail_from, "to": list(envelope.rcpt_tos)})
        if drop:
            server.transport.close()  # received, but the client never hears so
        return reply

    # -- running

    @property
    def host(self) -> str:
        return "127.0.0.1"

    @property
    def port(self) -> int:
        return self.controller.port

    def start(self) -> FakeSMTP:
        self.controller = _Controller(
            self,
            hostname="127.0.0.1",
            port=0,
            authenticator=self.authenticate,
            auth_require_tls=False,
            server_hostname="mail.partner.example.cn",
        )
        logging.getLogger("mail.log").setLevel(logging.ERROR)  # aiosmtpd's own deprecation chatter
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()

    def __enter__(self) -> FakeSMTP:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
