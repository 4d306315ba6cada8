"""A fake Douyin open platform (``open.douyin.com``), following the video
publishing contract (``../shared/docs/channels.md``). Every call takes
``open_id`` and ``access_token`` in the query string.

- ``POST /video/upload/``: the whole video (multipart ``video``, at most
  128 MB) → ``data.video.video_id``;
- above 50 MB, in parts: ``POST /video/part/init/`` → ``upload_id``;
  ``POST /video/part/upload/?upload_id&part_number`` (multipart ``video``;
  every part but the last at least 5 MB); ``POST /video/part/complete/``
  → ``video_id``;
- ``POST /video/create/`` (JSON ``video_id``, ``text``, ``cover_tsp``) →
  ``data.item_id``; each ``video_id`` serves once;
- ``POST /video/data/`` (JSON ``item_ids``) → ``share_url`` and statistics;
- ``GET /data/external/item/base/?item_id&date_type`` → daily figures;
- ``GET /item/comment/list/?item_id&cursor&count`` → an enterprise
  account's comments (``comment_permission = False``: 2100007);
- ``POST /oauth/refresh_token/`` (``client_key``, ``refresh_token``) → a new
  access token; ``POST /oauth/userinfo/``.

Answers are ``{"data": {..., "error_code", "description"}, "extra": {...}}``;
error codes: 2190008 access token expired, 2190002 invalid, 2190005 video
too large, 2190007 invalid video id, 2100005 bad parameter, 2111001
sensitive words, 10010 refresh token expired. Too many calls in a minute
are answered HTTP 429.

Its own bad days: :meth:`FakeDouyin.expire_tokens`, ``expire_token_at_part``
(the token expires when that part arrives), ``fail_at_part`` (that part is
answered HTTP 500 once), ``forbidden_words``,
``min_part_size`` (tests use tiny parts)."""

from __future__ import annotations

import datetime as dt
import itertools
import time
import uuid

from rongmei.distribution.fakes.base import Call, FakePlatform

UPLOAD_MAX = 128 * 1024 * 1024
PART_MIN = 5 * 1024 * 1024
TOTAL_MAX = 4 * 1024 * 1024 * 1024
TEXT_MAX = 1_000
ACCESS_TOKEN_SECONDS = 15 * 24 * 3600

EXPIRED = 2190008
INVALID = 2190002


class FakeDouyin(FakePlatform):
    def __init__(
        self,
        *,
        client_key: str = "douyin-client",
        open_id: str = "douyin-open-id",
        token: str = "douyin-token",
        refresh_token: str = "douyin-refresh",
    ):
        self.client_key = client_key
        self.open_id = open_id
        self.tokens = {token}
        self.expired: set[str] = set()
        self.refresh_tokens = {refresh_token}
        self.min_part_size = PART_MIN
        self.expire_token_at_part: int | None = None
        self.fail_at_part: int | None = None
        self.forbidden_words = ("违禁",)
        self.videos: dict[str, bytes] = {}
        self.uploads: dict[str, dict[int, bytes]] = {}
        self.items: dict[str, dict] = {}
        self.comments: dict[str, list[dict]] = {}  # item_id -> comments, newest first
        self.comment_permission = True
        self.serial = itertools.count(1)
        super().__init__()

    def setup(self):
        self.route("POST", "/video/upload/", self.upload)
        self.route("POST", "/video/part/init/", self.part_init)
        self.route("POST", "/video/part/upload/", self.part_upload)
        self.route("POST", "/video/part/complete/", self.part_complete)
        self.route("POST", "/video/create/", self.create)
        self.route("POST", "/video/data/", self.video_data)
        self.route("GET", "/data/external/item/base/", self.item_base)
        self.route("GET", "/item/comment/list/", self.comment_list)
        self.route("POST", "/oauth/refresh_token/", self.refresh)
        self.route("POST", "/oauth/userinfo/", self.userinfo)

    # -- bad days

    def expire_tokens(self) -> None:
        with self.lock:
            self.expired |= self.tokens
            self.tokens = set()

    def rate_limit_answer(self, seconds_left):
        return 429, self.answer({}, 429, "请求太频繁，请稍后再试")  # the gateway's per-minute limit

    # -- helpers

    @staticmethod
    def answer(data: dict, error_code: int = 0, description: str = "") -> dict:
        extra = {
            "logid": uuid.uuid4().hex,
            "now": int(time.time() * 1000),
            "error_code": error_code,
            "description": description,
            "sub_error_code": 0,
            "sub_description": "",
        }
        return {"data": {**data, "error_code": error_code, "description": description}, "extra": extra}

    def ok(self, **data):
        return 200, self.answer(data)

    def error(self, code: int, description: str):
        return 200, self.answer({}, code, description)

    def _check(self, call: Call):
        token = call.query.get("access_token") or call.headers.get("access-token", "")
        if token in self.expired:
            return self.error(EXPIRED, "access_token过期，请刷新或重新授权")
        if token not in self.tokens:
            return self.error(INVALID, "access_token无效")
        if call.query.get("open_id") != self.open_id:
            return self.error(2190015, "请求参数access_token openid不匹配")
        return None

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self.serial):06d}{uuid.uuid4().hex[:10]}"

    # -- uploads

    def upload(self, call: Call):
        refused = self._check(call)
        if refused:
            return refused
        video = call.files.get("video")
        if video is None:
            return self.error(2100005, "参数不合法：缺少video")
        if len(video[1]) > UPLOAD_MAX:
            return self.error(2190005, "视频文件太大了")
        video_id = self._new_id("v0200f")
        with self.lock:
            self.videos[video_id] = video[1]
        return self.ok(video={"video_id": video_id, "width": 0, "height": 0})

    def part_init(self, call: Call):
        refused = self._check(call)
        if refused:
            return refused
        upload_id = "@" + self._new_id("up")
        with self.lock:
            self.uploads[upload_id] = {}
        return self.ok(upload_id=upload_id)

    def part_upload(self, call: Call):
        number = int(call.query.get("part_number") or 0)
        if self.expire_token_at_part is not None and number == self.expire_token_at_part:
            self.expire_token_at_part = None
            self.expire_tokens()
        if self.fail_at_part is not None and number == self.fail_at_part:
            self.fail_at_part = None
            return 500, {"error": "internal server error"}
        refused = self._check(call)
        if refused:
            return refused
        parts = self.uploads.get(call.query.get("upload_id", ""))
        video = call.files.get("video")
        if parts is None or number < 1 or video is None:
            return self.error(2100005, "参数不合法：upload_id、part_number或video")
        with self.lock:
            parts[number] = video[1]
        return self.ok()

    def part_complete(self, call: Call):
        refused = self._check(call)
        if refused:
            return refused
        upload_id = call.query.get("upload_id", "")
        parts = self.uploads.get(upload_id)
        if not parts:
            return self.error(2100005, "参数不合法：upload_id")
        numbers = sorted(parts)
        if numbers != list(range(1, len(numbers) + 1)):
            return self.error(2100005, "参数不合法：分片不连续")
        if any(len(parts[n]) < self.min_part_size for n in numbers[:-1]):
            return self.error(2100005, "参数不合法：分片小于5MB")
        data = b"".join(parts[n] for n in numbers)
        if len(data) > TOTAL_MAX:
            return self.error(2190005, "视频文件太大了")
        video_id = self._new_id("v0200f")
        with self.lock:
            self.videos[video_id] = data
            del self.uploads[upload_id]
        return self.ok(video={"video_id": video_id, "width": 0, "height": 0})

    # -- publishing

    def create(self, call: Call):
        refused = self._check(call)
        if refused:
            return refused
        body = call.json()
        text = body.get("text") or ""
        if (body.get("video_id") or "") not in self.videos:
            return self.error(2190007, "无效的视频文件id")
        if len(text) > TEXT_MAX:
            return self.error(2100005, "参数不合法：text过长")
        if any(word in text for word in self.forbidden_words):
            return self.error(2111001, "命中敏感词")
        with self.lock:
            video = self.videos.pop(body["video_id"], None)  # a video id serves one post
        if video is None:
            return self.error(2190007, "无效的视频文件id")
        item_id = "@" + self._new_id("9VwKzuuES")
        item = {
            "item_id": item_id,
            "title": text,
            "create_time": int(time.time()),
            "share_url": f"https://www.iesdouyin.com/share/video/{item_id.strip('@')}/",
            "video": video,
            "cover_tsp": body.get("cover_tsp"),
            "statistics": {"play_count": 0, "digg_count": 0, "comment_count": 0, "share_count": 0},
        }
        with self.lock:
            self.items[item_id] = item
            self.published.append({"item_id": item_id, "text": text, "size": len(video)})
        return self.ok(item_id=item_id)

    def video_data(self, call: Call):
        refused = self._check(call)
        if refused:
            return refused
        ids = call.json().get("item_ids") or []
        found = [
            {k: v for k, v in self.items[i].items() if k not in ("video", "cover_tsp")} for i in ids if i in self.items
        ]
        return self.ok(list=found)

    def comment_list(self, call: Call):
        """Comments of an item, ``cursor``/``count`` paging; 2100007 when the
        account is not an enterprise account (``comment_permission``)."""
        refused = self._check(call)
        if refused:
            return refused
        if not self.comment_permission:
            return self.error(2100007, "没有操作权限")
        comments = self.comments.get(call.query.get("item_id", ""), [])
        cursor = int(call.query.get("cursor") or 0)
        count = min(int(call.query.get("count") or 10), 50)
        page = comments[cursor : cursor + count]
        return self.ok(list=page, cursor=cursor + len(page), has_more=cursor + len(page) < len(comments))

    def item_base(self, call: Call):
        """Daily figures of the last ``date_type`` (7, 15, 30) days."""
        refused = self._check(call)
        if refused:
            return refused
        item = self.items.get(call.query.get("item_id", ""))
        if item is None:
            return self.error(2100005, "参数不合法：item_id")
        days = int(call.query.get("date_type") or 7)
        today = dt.date.today()
        stats = item["statistics"]
        rows = [
            {
                "date": (today - dt.timedelta(days=n)).isoformat(),
                "new_play": stats["play_count"] if n == 1 else 0,
                "new_like": stats["digg_count"] if n == 1 else 0,
                "new_comment": stats["comment_count"] if n == 1 else 0,
                "new_share": stats["share_count"] if n == 1 else 0,
                "total_play": stats["play_count"],
                "avg_play_duration": 0,
            }
            for n in range(days, 0, -1)
        ]
        return self.ok(result_list=rows)

    # -- accounts

    def refresh(self, call: Call):
        if call.arg("client_key") != self.client_key:
            return self.error(10013, "client_key或者client_secret报错")
        if call.arg("refresh_token") not in self.refresh_tokens or call.arg("grant_type") != "refresh_token":
            return self.error(10010, "refresh_token过期")
        token = "douyin-token-" + uuid.uuid4().hex[:12]
        with self.lock:
            self.tokens.add(token)
        return self.ok(
            access_token=token,
            expires_in=ACCESS_TOKEN_SECONDS,
            refresh_token=call.arg("refresh_token"),
            refresh_expires_in=30 * 24 * 3600,
            open_id=self.open_id,
            scope="video.create,video.data,data.external.item",
        )

    def userinfo(self, call: Call):
        token = call.arg("access_token", "")
        if token in self.expired:
            return self.error(EXPIRED, "access_token过期，请刷新或重新授权")
        if token not in self.tokens:
            return self.error(INVALID, "access_token无效")
        return self.ok(open_id=self.open_id, nickname="北京西城", avatar="")
