"""A small threaded HTTP server for the fake platforms.

A fake subclasses :class:`FakePlatform` and registers handlers with
:meth:`FakePlatform.route`; each handler gets a :class:`Call` and returns
``(status, json_dict)`` or ``(status, bytes, content_type)``. Every call is
kept in ``calls``; what the platform published is kept in ``published``
(the tests count it to prove exactly once).

Bad days, set on the running fake (``fake.bad.<name> = …``):

- ``slow``: seconds to sleep before answering (longer than the client's
  timeout is a timeout; ``float("inf")`` never answers within a test);
- ``fail_next``: how many of the next calls answer HTTP 500;
- ``rate_limited_for``: seconds during which calls answer the platform's
  rate-limit error;
- ``paths``: the path prefixes the above apply to (empty: all).

A fake's own bad days (tokens expiring in the middle of a batch, a job
accepted then failed) are attributes of that fake.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class BadDay:
    slow: float = 0.0
    fail_next: int = 0
    rate_limited_for: float = 0.0
    rate_limited_since: float = 0.0
    paths: tuple = ()

    def applies(self, path: str) -> bool:
        return not self.paths or any(path.startswith(p) for p in self.paths)

    def rate_limited(self) -> float:
        """Seconds until the limit resets, or 0."""
        if not self.rate_limited_for:
            return 0.0
        if not self.rate_limited_since:
            self.rate_limited_since = time.time()
        left = self.rate_limited_since + self.rate_limited_for - time.time()
        if left <= 0:
            self.rate_limited_for = self.rate_limited_since = 0.0
            return 0.0
        return left


@dataclass
class Call:
    method: str
    path: str
    query: dict
    headers: dict
    body: bytes
    form: dict = field(default_factory=dict)
    files: dict = field(default_factory=dict)
    at: float = field(default_factory=time.time)  # when it arrived

    def json(self) -> dict:
        try:
            return json.loads(self.body or b"{}")
        except ValueError:
            return {}

    def arg(self, name: str, default=None):
        for source in (self.query, self.form):
            if name in source:
                return source[name]
        return self.json().get(name, default) if self.body[:1] == b"{" else default


def _parse_multipart(body: bytes, content_type: str) -> tuple[dict, dict]:
    from email.parser import BytesParser
    from email.policy import HTTP

    message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    form, files = {}, {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        filename = part.get_filename()
        data = part.get_payload(decode=True) or b""
        if filename is not None:
            files[name] = (filename, data, part.get_content_type())
        else:
            form[name] = data.decode("utf-8", "replace")
    return form, files


class FakePlatform:
    """Subclass, then add handlers with ``self.route("POST", "/path", fn)``."""

    def __init__(self):
        self.routes: dict[tuple[str, str], object] = {}
        self.calls: list[Call] = []
        self.published: list[dict] = []
        self.bad = BadDay()
        self.lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None
        self.setup()

    def setup(self) -> None:
        """Register the routes."""

    def route(self, method: str, path: str, handler) -> None:
        self.routes[(method, path)] = handler

    # What a fake answers when ``bad.rate_limited_for`` is on; override per platform.
    def rate_limit_answer(self, seconds_left: float):
        return 429, {"error": "rate limited", "retry_after": int(seconds_left) + 1}

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakePlatform:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two writes; with Nagle's algorithm the
            # second waits for the client's delayed ACK (40 ms on Linux).
            disable_nagle_algorithm = True

            def log_message(self, *args):  # quiet
                pass

            def _serve(self, method):
                parsed = urllib.parse.urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                query = dict(urllib.parse.parse_qsl(parsed.query, keep_blank_values=True))
                call = Call(method, parsed.path, query, dict(self.headers.items()), body)
                content_type = self.headers.get("Content-Type", "")
                if content_type.startswith("multipart/form-data"):
                    call.form, call.files = _parse_multipart(body, content_type)
                elif content_type.startswith("application/x-www-form-urlencoded"):
                    call.form = dict(urllib.parse.parse_qsl(body.decode(), keep_blank_values=True))
                with fake.lock:
                    fake.calls.append(call)
                answer = fake.dispatch(call)
                if answer is None:
                    return  # never answers: the client times out
                status, payload = answer[0], answer[1]
                ctype = answer[2] if len(answer) > 2 else "application/json"
                data = payload if isinstance(payload, bytes) else json.dumps(payload, ensure_ascii=False).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def do_GET(self):
                self._serve("GET")

            def do_POST(self):
                self._serve("POST")

            def do_PUT(self):
                self._serve("PUT")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def dispatch(self, call: Call):
        bad = self.bad
        if bad.applies(call.path):
            if bad.slow:
                time.sleep(min(bad.slow, 3600))
            with self.lock:
                if bad.fail_next > 0:
                    bad.fail_next -= 1
                    return 500, {"error": "internal server error"}
            left = bad.rate_limited()
            if left:
                return self.rate_limit_answer(left)
        handler = self.routes.get((call.method, call.path))
        if handler is None:
            return 404, {"error": f"no such path {call.method} {call.path}"}
        return handler(call)

    def count(self, method: str, path: str) -> int:
        return sum(1 for c in self.calls if c.method == method and c.path == path)
