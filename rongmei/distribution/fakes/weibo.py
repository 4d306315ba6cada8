"""A fake Weibo open platform (``api.weibo.com``), following the share
API's contract (``../shared/docs/channels.md``):

- ``POST /2/statuses/share.json``: ``access_token``, ``status`` (at most
  140 Chinese characters counted Weibo's way, with a link on the app's
  registered safe domain), optional ``pic`` (JPEG/GIF/PNG under 5 MB),
  ``rip``; answers the new status ``{id, idstr, created_at, text, user}``;
- ``GET /2/account/get_uid.json``: the authorised user's uid;
- ``POST /2/comments/create.json`` and ``GET /2/comments/show.json``.

Errors are Weibo's JSON ``{"error_code", "error", "request"}``: 21327
expired token, 21332 invalid token, 10023 user rate limit, 10017 a bad
parameter (no link on the safe domain), 20012 too long, 20005/20006 the
picture, 20019 repeated content, 20021 illegal content.

Its own bad days: :meth:`FakeWeibo.expire_tokens`; ``forbidden_words``
(content refused, posts and comments); ``comment_permission = False``
(10014 on ``comments/show``); ``comments_loop`` (``comments/show`` answers
the first page for every page, with ever more to come)."""

from __future__ import annotations

import datetime as dt
import math
import re
import urllib.parse

from rongmei.distribution.fakes.base import Call, FakePlatform

TEXT_MAX = 140
PIC_MAX_BYTES = 5 * 1024 * 1024
URL = re.compile(r"https?://[^\s，。！？、]+")
BEIJING = dt.timezone(dt.timedelta(hours=8))


def weibo_length(text: str) -> int:
    """Weibo's count: a non-ASCII character is one, two ASCII ones are one."""
    ascii_count = sum(1 for ch in text if ord(ch) < 128)
    return len(text) - ascii_count + math.ceil(ascii_count / 2)


def picture_type(data: bytes) -> str:
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    return ""


def created_at() -> str:
    return dt.datetime.now(BEIJING).strftime("%a %b %d %H:%M:%S +0800 %Y")


class FakeWeibo(FakePlatform):
    def __init__(self, *, safe_domain: str = "bjxch.gov.cn", token: str = "weibo-token", uid: int = 5_723_401_234):
        self.safe_domain = safe_domain
        self.uid = uid
        self.tokens = {token}
        self.expired: set[str] = set()
        self.forbidden_words = ("违禁",)
        self.statuses: dict[str, dict] = {}
        self.comments: dict[str, list[dict]] = {}
        self.replies: list[dict] = []  # comments the account posted
        # Bad days of the comment API: no permission (10014), pages for ever.
        self.comment_permission = True
        self.comments_loop = False
        self.next_id = 4_990_000_000_000_000
        super().__init__()

    def setup(self):
        self.route("POST", "/2/statuses/share.json", self.share)
        self.route("GET", "/2/account/get_uid.json", self.get_uid)
        self.route("POST", "/2/comments/create.json", self.create_comment)
        self.route("GET", "/2/comments/show.json", self.show_comments)

    # -- bad days

    def expire_tokens(self) -> None:
        """Every token issued so far expires (the authorisation ran out)."""
        with self.lock:
            self.expired |= self.tokens
            self.tokens = set()

    def rate_limit_answer(self, seconds_left):
        return 403, {
            "error_code": 10023,
            "error": "User requests out of rate limit!",
            "request": "/2/statuses/share.json",
        }

    # -- helpers

    @staticmethod
    def error(call: Call, code: int, message: str, status: int = 400):
        return status, {"error_code": code, "error": message, "request": call.path}

    def _token(self, call: Call) -> str:
        header = call.headers.get("Authorization", "")
        if header.startswith("OAuth2 "):
            return header[7:]
        return call.arg("access_token", "") or ""

    def _check_token(self, call: Call):
        token = self._token(call)
        if token in self.expired:
            return self.error(call, 21327, "expired_token", 401)
        if token not in self.tokens:
            return self.error(call, 21332, "invalid_access_token", 401)
        return None

    def _user(self) -> dict:
        return {"id": self.uid, "idstr": str(self.uid), "screen_name": "北京西城", "name": "北京西城"}

    def _new_id(self) -> str:
        with self.lock:
            self.next_id += 1
            return str(self.next_id)

    def _on_safe_domain(self, text: str) -> bool:
        for link in URL.findall(text):
            host = (urllib.parse.urlsplit(link).hostname or "").lower()
            if host == self.safe_domain or host.endswith("." + self.safe_domain):
                return True
        return False

    # -- routes

    def share(self, call: Call):
        refused = self._check_token(call)
        if refused:
            return refused
        text = call.arg("status", "") or ""
        if not text.strip():
            return self.error(call, 10016, "miss required parameter (status), see doc for more info.")
        if weibo_length(text) > TEXT_MAX:
            return self.error(call, 20012, "Text too long, please input text less than 140 characters!")
        if not self._on_safe_domain(text):
            return self.error(
                call,
                10017,
                "parameter (status)'s value invalid,expect (status must contain a url belongs to the safe domain)",
            )
        if any(word in text for word in self.forbidden_words):
            return self.error(call, 20021, "Contain illegal content!")
        if any(s["text"] == text for s in self.statuses.values()):
            return self.error(call, 20019, "Repeat content!")
        picture = call.files.get("pic")
        if picture is not None:
            data = picture[1]
            if not picture_type(data):
                return self.error(call, 20005, "Unsupported image type, only suport JPG, GIF, PNG!")
            if len(data) >= PIC_MAX_BYTES:
                return self.error(call, 20006, "Image size too large.")
        status_id = self._new_id()
        status = {
            "created_at": created_at(),
            "id": int(status_id),
            "idstr": status_id,
            "mid": status_id,
            "text": text,
            "source": '<a href="https://open.weibo.com">融媒</a>',
            "user": self._user(),
            "pic_ids": ["fake" + status_id] if picture is not None else [],
        }
        with self.lock:
            self.statuses[status_id] = status
            self.published.append({"id": status_id, "text": text, "picture": picture is not None,
                                   "rip": call.arg("rip", "")})  # fmt: skip
        return 200, status

    def get_uid(self, call: Call):
        refused = self._check_token(call)
        return refused or (200, {"uid": self.uid})

    def create_comment(self, call: Call):
        """A comment on a status (by the account; a test posts a reader's)."""
        refused = self._check_token(call)
        if refused:
            return refused
        status_id = call.arg("id", "")
        text = call.arg("comment", "") or ""
        if status_id not in self.statuses:
            return self.error(call, 20101, "Target weibo does not exist!")
        if not text or weibo_length(text) > TEXT_MAX:
            return self.error(call, 20012, "Text too long, please input text less than 140 characters!")
        if any(word in text for word in self.forbidden_words):
            return self.error(call, 20021, "Contain illegal content!")
        author = call.arg("screen_name", "") or "北京西城"
        comment_id = self._new_id()
        comment = {
            "created_at": created_at(),
            "id": int(comment_id),
            "idstr": comment_id,
            "text": text,
            "user": {"id": 1000 + len(self.comments.get(status_id, [])), "screen_name": author},
            "status": {"id": int(status_id), "idstr": status_id},
        }
        with self.lock:
            self.comments.setdefault(status_id, []).insert(0, comment)
            if not call.arg("screen_name", ""):
                self.replies.append(comment)
        return 200, comment

    def show_comments(self, call: Call):
        refused = self._check_token(call)
        if refused:
            return refused
        status_id = call.arg("id", "")
        if status_id not in self.statuses:
            return self.error(call, 20101, "Target weibo does not exist!")
        if not self.comment_permission:
            return self.error(call, 10014, "Insufficient app permissions!", 403)
        comments = self.comments.get(status_id, [])
        if self.comments_loop:  # every page is the first page, and there are always more
            count = min(int(call.arg("count", 50) or 50), 200)
            return 200, {"comments": comments[:count], "total_number": 10**9, "previous_cursor": 0, "next_cursor": 1}
        since = int(call.arg("since_id", 0) or 0)
        count = min(int(call.arg("count", 50) or 50), 200)
        page = max(int(call.arg("page", 1) or 1), 1)
        chosen = [c for c in comments if c["id"] > since][(page - 1) * count : page * count]
        return 200, {"comments": chosen, "total_number": len(comments), "previous_cursor": 0, "next_cursor": 0}
