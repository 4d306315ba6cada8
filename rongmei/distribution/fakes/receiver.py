"""A receiver of signed JSON: the other end of the generic webhook channel
(:mod:`rongmei.distribution.channels.webhook`, whose docstring is the
contract) and of our outgoing webhooks (:mod:`rongmei.distribution.webhooks`).

It refuses a wrong signature (401), publishes each idempotency key once
(``X-Rongmei-Idempotency-Key``, else ``X-Rongmei-Event-Id``) and answers a
repeat with ``409 duplicate`` and the earlier id. ``published`` holds what
it kept: ``{"id", "url", "key", "body", "headers"}``.

Its own bad days, besides :class:`~rongmei.distribution.fakes.base.BadDay`:
``late_answers`` posts are accepted (published) but answered only after
``answer_late`` seconds, as when the answer is lost; ``refuse`` =
``(status, message)`` refuses every post. A rate limit answers 429 with a
``Retry-After`` header.
"""

from __future__ import annotations

import threading
import time

from rongmei.distribution import webhooks
from rongmei.distribution.fakes.base import Call, FakePlatform

PATH = "/hooks/rongmei"


def header(call: Call, name: str) -> str:
    wanted = name.lower()
    return next((value for key, value in call.headers.items() if key.lower() == wanted), "")


class FakeReceiver(FakePlatform):
    def __init__(self, secret: str = "receiver-shared-secret"):
        self.secret = secret
        self.by_key: dict[str, dict] = {}
        self.answer_late = 0.0
        self.late_answers = 0
        self.refuse: tuple[int, str] | None = None
        self._extra = threading.local()  # headers of the answer being written
        super().__init__()

    def setup(self) -> None:
        self.route("POST", PATH, self.receive)

    @property
    def hook_url(self) -> str:
        return self.url + PATH

    def start(self) -> FakeReceiver:
        super().start()
        fake, plain = self, self.server.RequestHandlerClass

        class Handler(plain):
            def end_headers(self):
                for name, value in getattr(fake._extra, "headers", {}).items():
                    self.send_header(name, value)
                fake._extra.headers = {}
                super().end_headers()

        self.server.RequestHandlerClass = Handler
        return self

    def rate_limit_answer(self, seconds_left: float):
        wait = int(seconds_left) + 1
        self._extra.headers = {"Retry-After": str(wait)}
        return 429, {"error": "too many requests"}  # how long: in the header only

    def verified(self, call: Call) -> bool:
        return webhooks.verify(
            self.secret,
            call.body,
            header(call, webhooks.TIMESTAMP_HEADER),
            header(call, webhooks.SIGNATURE_HEADER),
        )

    def receive(self, call: Call):
        if not self.verified(call):
            return 401, {"error": "invalid signature"}
        if call.json().get("event") == "ping":
            return 200, {"ok": True}
        if self.refuse:
            return self.refuse[0], {"error": self.refuse[1]}
        key = header(call, "X-Rongmei-Idempotency-Key") or header(call, webhooks.EVENT_HEADER)
        if not key:
            return 400, {"error": "missing idempotency key"}
        with self.lock:
            earlier = self.by_key.get(key)
            if earlier is None:
                number = len(self.published) + 1
                item = {
                    "id": f"item-{number}",
                    "url": f"{self.url}/items/{number}",
                    "key": key,
                    "body": call.json(),
                    "headers": call.headers,
                }
                self.published.append(item)
                self.by_key[key] = item
                late = self.late_answers > 0
                self.late_answers -= 1 if late else 0
        if earlier is not None:
            return 409, {"error": "duplicate", "id": earlier["id"], "url": earlier["url"]}
        if late:
            time.sleep(self.answer_late)
        return 201, {"id": item["id"], "url": item["url"]}
