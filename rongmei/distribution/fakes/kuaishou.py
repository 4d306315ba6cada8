"""A fake Kuaishou open platform (``open.kuaishou.com``) and its upload
server, following the photo (video) publishing contract
(``../shared/docs/channels.md``). Calls take ``app_id`` and
``access_token`` in the query string.

- ``POST /openapi/photo/start_upload`` → ``upload_token`` and ``endpoint``
  (a host and port without a scheme; here the fake itself);
- on the endpoint: ``POST /api/upload/multipart?upload_token`` (multipart
  ``file``: the whole video), or ``POST /api/upload/fragment?fragment_id&
  upload_token`` (the fragment as the body, ids from 0) then ``POST
  /api/upload/complete?fragment_count&upload_token``;
- ``POST /openapi/photo/publish?upload_token`` (multipart ``caption``,
  ``cover`` under 10 MB) → ``video_info.photo_id``;
- ``GET /openapi/photo/list`` (the account's videos, newest first),
  ``GET /openapi/photo/info?photo_id``, ``GET /openapi/photo/count``,
  ``POST /openapi/photo/delete?photo_id``, ``GET /openapi/user_info``,
  ``GET /oauth2/refresh_token``.

Answers carry ``result``: 1 is success, anything else an error with
``error_msg``. The codes other than 1 and 2 are in the constants below
(one place to correct them).

Its own bad days: :meth:`FakeKuaishou.expire_tokens`, ``forbidden_words``,
``lose_next_publish`` (a publish that arrives but is dropped before it is
done and never answered)."""

from __future__ import annotations

import itertools
import time
import uuid

from rongmei.distribution.fakes.base import Call, FakePlatform

OK = 1
SERVER_ERROR = 2
TOKEN_INVALID = 100200100  # access_token invalid or expired
PARAMETER_ERROR = 100200101
RATE_LIMITED = 100200102  # too many calls: try again in a minute
CONTENT_REFUSED = 100200103
REFRESH_TOKEN_INVALID = 100200104
COVER_MAX = 10 * 1024 * 1024


class FakeKuaishou(FakePlatform):
    def __init__(
        self,
        *,
        app_id: str = "ks-app",
        app_secret: str = "ks-secret",
        token: str = "kuaishou-token",
        refresh_token: str = "kuaishou-refresh",
    ):
        self.app_id = app_id
        self.app_secret = app_secret
        self.tokens = {token}
        self.expired: set[str] = set()
        self.refresh_tokens = {refresh_token}
        self.forbidden_words = ("违禁",)
        self.lose_next_publish = False
        self.uploads: dict[str, dict] = {}
        self.photos: dict[str, dict] = {}
        self.serial = itertools.count(1)
        super().__init__()

    def setup(self):
        self.route("POST", "/openapi/photo/start_upload", self.start_upload)
        self.route("POST", "/api/upload/multipart", self.upload_whole)
        self.route("POST", "/api/upload/fragment", self.upload_fragment)
        self.route("POST", "/api/upload/complete", self.upload_complete)
        self.route("POST", "/openapi/photo/publish", self.publish)
        self.route("GET", "/openapi/photo/list", self.list_photos)
        self.route("GET", "/openapi/photo/info", self.info)
        self.route("GET", "/openapi/photo/count", self.count_photos)
        self.route("POST", "/openapi/photo/delete", self.delete)
        self.route("GET", "/openapi/user_info", self.user_info)
        self.route("GET", "/oauth2/refresh_token", self.refresh)

    @property
    def endpoint(self) -> str:
        host, port = self.server.server_address[:2]
        return f"{host}:{port}"

    # -- bad days

    def expire_tokens(self) -> None:
        with self.lock:
            self.expired |= self.tokens
            self.tokens = set()

    def rate_limit_answer(self, seconds_left):
        return 200, {"result": RATE_LIMITED, "error_msg": "调用频率超过限制，请稍后再试"}

    # -- helpers

    @staticmethod
    def error(code: int, message: str):
        return 200, {"result": code, "error_msg": message}

    def _check(self, call: Call):
        if call.query.get("app_id") != self.app_id:
            return self.error(PARAMETER_ERROR, "app_id 不正确")
        token = call.query.get("access_token", "")
        if token not in self.tokens:
            return self.error(TOKEN_INVALID, "access_token 已过期或无效")
        return None

    def _upload(self, call: Call):
        upload = self.uploads.get(call.query.get("upload_token", ""))
        return upload, (None if upload is not None else self.error(PARAMETER_ERROR, "upload_token 无效"))

    @staticmethod
    def _public(photo: dict) -> dict:
        return {k: v for k, v in photo.items() if k not in ("video", "cover_bytes")}

    # -- uploads

    def start_upload(self, call: Call):
        refused = self._check(call)
        if refused:
            return refused
        upload_token = "upload-" + uuid.uuid4().hex
        with self.lock:
            self.uploads[upload_token] = {"fragments": {}, "video": None}
        return 200, {"result": OK, "upload_token": upload_token, "endpoint": self.endpoint}

    def upload_whole(self, call: Call):
        upload, refused = self._upload(call)
        if refused:
            return refused
        video = call.files.get("file")
        if video is None:
            return self.error(PARAMETER_ERROR, "缺少 file")
        upload["video"] = video[1]
        return 200, {"result": OK}

    def upload_fragment(self, call: Call):
        upload, refused = self._upload(call)
        if refused:
            return refused
        upload["fragments"][int(call.query.get("fragment_id", -1))] = call.body
        return 200, {"result": OK}

    def upload_complete(self, call: Call):
        upload, refused = self._upload(call)
        if refused:
            return refused
        count = int(call.query.get("fragment_count") or 0)
        if sorted(upload["fragments"]) != list(range(count)) or count == 0:
            return self.error(PARAMETER_ERROR, "分片数量不符")
        upload["video"] = b"".join(upload["fragments"][n] for n in range(count))
        return 200, {"result": OK}

    # -- publishing

    def publish(self, call: Call):
        refused = self._check(call)
        if refused:
            return refused
        if self.lose_next_publish:
            self.lose_next_publish = False
            return None  # lost on the way: nothing done, no answer
        upload, refused = self._upload(call)
        if refused:
            return refused
        caption = call.form.get("caption", "")
        cover = call.files.get("cover")
        if upload["video"] is None:
            return self.error(PARAMETER_ERROR, "视频未上传完成")
        if cover is None or not cover[1] or len(cover[1]) >= COVER_MAX:
            return self.error(PARAMETER_ERROR, "封面缺失或超过 10MB")
        if any(word in caption for word in self.forbidden_words):
            return self.error(CONTENT_REFUSED, "作品描述含有违规内容，发布失败")
        photo_id = f"3x{next(self.serial):04d}{uuid.uuid4().hex[:12]}"
        photo = {
            "photo_id": photo_id,
            "caption": caption,
            "cover": f"https://p1.a.yximgs.com/fake/{photo_id}.jpg",
            "play_url": f"https://txmov2.a.yximgs.com/fake/{photo_id}.mp4",
            "create_time": int(time.time() * 1000),
            "like_count": 0,
            "comment_count": 0,
            "view_count": 0,
            "pending": False,
            "video": upload["video"],
            "cover_bytes": cover[1],
        }
        with self.lock:
            del self.uploads[call.query["upload_token"]]  # an upload serves one video
            self.photos[photo_id] = photo
            self.published.append({"photo_id": photo_id, "caption": caption, "size": len(upload["video"])})
        return 200, {"result": OK, "video_info": self._public(photo)}

    def list_photos(self, call: Call):
        refused = self._check(call)
        if refused:
            return refused
        count = min(int(call.query.get("count") or 20), 200)
        photos = sorted(self.photos.values(), key=lambda p: p["create_time"], reverse=True)
        return 200, {"result": OK, "video_list": [self._public(p) for p in photos[:count]]}

    def info(self, call: Call):
        refused = self._check(call)
        if refused:
            return refused
        photo = self.photos.get(call.query.get("photo_id", ""))
        if photo is None:
            return self.error(PARAMETER_ERROR, "作品不存在")
        return 200, {"result": OK, "video_info": self._public(photo)}

    def count_photos(self, call: Call):
        refused = self._check(call)
        if refused:
            return refused
        n = len(self.photos)
        return 200, {"result": OK, "all_count": n, "public_count": n, "friend_count": 0, "private_count": 0}

    def delete(self, call: Call):
        refused = self._check(call)
        if refused:
            return refused
        with self.lock:
            gone = self.photos.pop(call.query.get("photo_id", ""), None)
        return (200, {"result": OK}) if gone else self.error(PARAMETER_ERROR, "作品不存在")

    # -- accounts

    def user_info(self, call: Call):
        refused = self._check(call)
        return refused or (200, {"result": OK, "user_info": {"name": "北京西城", "sex": "F", "fan": 0, "head": ""}})

    def refresh(self, call: Call):
        q = call.query
        if q.get("app_id") != self.app_id or q.get("app_secret") != self.app_secret:
            return self.error(PARAMETER_ERROR, "app_id 或 app_secret 不正确")
        if q.get("refresh_token") not in self.refresh_tokens or q.get("grant_type") != "refresh_token":
            return self.error(REFRESH_TOKEN_INVALID, "refresh_token 已过期")
        token = "kuaishou-token-" + uuid.uuid4().hex[:12]
        with self.lock:
            self.tokens.add(token)
        return 200, {
            "result": OK,
            "access_token": token,
            "expires_in": 172_800,
            "refresh_token": q["refresh_token"],
            "refresh_token_expires_in": 15_552_000,
            "open_id": "kuaishou-open-id",
            "scopes": ["user_info", "user_video_publish", "user_video_info"],
        }
