"""Kuaishou (快手) through the open platform: ``start_upload``, the upload
to the endpoint it names, then ``publish`` with the caption and a cover.

- **Credentials:** ``app_id``, ``app_secret``, ``open_id``, ``access_token``
  (and ``refresh_token`` where the account was authorised with one: the
  access token lasts 48 hours, the refresh token 180 days). A refused
  token is refreshed with ``/oauth2/refresh_token`` when a refresh token is
  at hand (kept like Douyin's, see :mod:`rongmei.distribution.channels._oauth`),
  else the error asks for a new authorisation.
- **Upload:** the video's original, read from disk: whole up to 10 MB
  (``/api/upload/multipart``), above that in 8 MB fragments
  (``/api/upload/fragment``, then ``/api/upload/complete``), each fragment
  a step of its own. The endpoint is a host without a scheme; Kuaishou's
  own examples reach it over ``http`` (option ``upload_scheme``).
- **Publish:** ``caption`` is the title and the description with its
  hashtags; ``cover`` the cover picture (else the video's first frame),
  under 10 MB.
- **Idempotency:** Kuaishou lists the account's videos
  (``/openapi/photo/list``): after an interrupted publish, a video with our
  caption published since the delivery was created is the one we
  published; none means it was not, and publishing again is safe.
- **Figures:** views, likes and comments of each published video
  (``/openapi/photo/info``), and the account's count of videos
  (``/openapi/photo/count``). The open platform has no API to read the
  comments themselves.
"""

from __future__ import annotations

import datetime as dt
import math

import httpx
from django.utils import timezone

from rongmei.distribution.channels import _media, _oauth
from rongmei.distribution.channels.base import (
    Adapter,
    CannotTell,
    Comment,
    CommentsUnavailable,
    Context,
    Delivered,
    DeliveryError,
    Metric,
    Permanent,
    RateLimited,
    Temporary,
    Uncertain,
    http_failure,
)
from rongmei.distribution.channels.douyin import next_minute, post_text

FRAGMENTS_ABOVE = 10 * 1024 * 1024
FRAGMENT_SIZE = 8 * 1024 * 1024
COVER_MAX = 10 * 1024 * 1024
RECONCILE_PAGE = 50  # the account's newest videos looked at after an interrupted publish
CLOCK_SLACK = dt.timedelta(minutes=2)
METRICS_WINDOW = dt.timedelta(days=30)
PAGE_URL = "https://www.kuaishou.com/short-video/{photo_id}"

# ``result`` codes: 1 is success, 2 a server error. The values of the
# others are the ones the fake uses; check them against the open
# platform's error table when an account is connected (one place here).
OK = 1
SERVER_ERROR = 2
TOKEN_INVALID = 100200100
RATE_LIMITED = 100200102
CONTENT_REFUSED = 100200103
REAUTHORISE = (
    "快手授权已失效，无法自动刷新：请账号管理员重新授权本应用，并在渠道设置中更新 access_token 与 refresh_token。"
)


class TokenExpired(Permanent):
    """The access token was refused: refresh it and repeat the call."""


class KuaishouAdapter(Adapter):
    code = "kuaishou"
    label = "快手"
    default_base_url = "https://open.kuaishou.com"
    can_check = True
    fragments_above = FRAGMENTS_ABOVE
    fragment_size = FRAGMENT_SIZE
    upload_timeout = (10.0, 300.0)

    def prepare(self, delivery) -> None:
        payload = delivery.payload or {}
        if not payload.get("video"):
            raise Permanent("快手发布需要一个视频：请为稿件添加视频后重新生成短视频版本。")
        if not post_text(payload):
            raise Permanent("快手作品的标题和描述为空。")

    # -- publishing

    def deliver(self, context: Context):
        for name in ("app_id", "access_token"):
            if not context.credentials.get(name):
                raise Permanent(f"渠道没有配置快手的 {name}，请在渠道设置中填写。")
        upload = cover = None
        if context.done("publish") is None:
            payload = context.payload
            cover = _media.picture(payload.get("cover") or payload["video"], max_bytes=COVER_MAX, name="cover")
            upload = context.step("start_upload", lambda: self._start_upload(context))
            self._upload(context, upload)
        photo = context.once("publish", lambda: self._publish(context, upload, cover))
        message = "快手已发布，作品审核中。" if photo.get("pending") else "快手已发布。"
        return Delivered(photo["photo_id"], photo["url"], message)

    def _start_upload(self, context: Context) -> dict:
        data = self.call(
            context.channel, context.credentials, context.http, "开始上传视频",
            lambda token: context.http.post("/openapi/photo/start_upload", params=self.params(context, token)),
        )  # fmt: skip
        return {"upload_token": data["upload_token"], "endpoint": data["endpoint"], "fragment_size": self.fragment_size}

    def _endpoint(self, context: Context, upload: dict, path: str) -> str:
        endpoint = upload["endpoint"].rstrip("/")
        if "://" not in endpoint:
            endpoint = f"{context.options.get('upload_scheme') or 'http'}://{endpoint}"
        return endpoint + path

    def _upload(self, context: Context, upload: dict) -> None:
        with _media.video(context.payload["video"]) as video:
            if video.size <= self.fragments_above:
                context.step("upload", lambda: self._upload_whole(context, upload, video))
                return
            size = upload["fragment_size"]
            count = math.ceil(video.size / size)
            for number in range(count):
                context.step(
                    f"fragment_{number}", lambda number=number: self._upload_fragment(context, upload, video, number)
                )
            context.step("fragments_complete", lambda: self._upload_complete(context, upload, count))

    def _upload_whole(self, context: Context, upload: dict, video) -> bool:
        def send():
            with video.open() as handle:  # streamed from disk by httpx
                return context.http.post(
                    self._endpoint(context, upload, "/api/upload/multipart"),
                    params={"upload_token": upload["upload_token"]},
                    files={"file": (video.name, handle, "video/mp4")},
                    timeout=self._upload_timeout(),
                )

        return self._upload_call("上传视频", send)

    def _upload_fragment(self, context: Context, upload: dict, video, number: int) -> bool:
        size = upload["fragment_size"]
        piece = video.read(number * size, size)
        return self._upload_call(
            f"上传视频第 {number + 1} 片",
            lambda: context.http.post(
                self._endpoint(context, upload, "/api/upload/fragment"),
                params={"upload_token": upload["upload_token"], "fragment_id": number},
                content=piece,
                headers={"Content-Type": "video/mp4"},
                timeout=self._upload_timeout(),
            ),
        )

    def _upload_complete(self, context: Context, upload: dict, count: int) -> bool:
        return self._upload_call(
            "合并视频分片",
            lambda: context.http.post(
                self._endpoint(context, upload, "/api/upload/complete"),
                params={"upload_token": upload["upload_token"], "fragment_count": count},
                timeout=self._upload_timeout(),
            ),
        )

    def _upload_call(self, what: str, send) -> bool:
        try:
            response = send()
        except httpx.HTTPError as exc:
            raise http_failure(exc, what) from None
        self.answer(response, what)
        return True

    def _publish(self, context: Context, upload: dict, cover) -> dict:
        def send(token):
            return context.http.post(
                "/openapi/photo/publish",
                params={**self.params(context, token), "upload_token": upload["upload_token"]},
                data={"caption": post_text(context.payload)},
                files={"cover": (cover.name, cover.data, cover.content_type)},
            )

        data = self.call(context.channel, context.credentials, context.http, "发布快手作品", send)
        photo = self.photo(data.get("video_info") or {})
        if not photo["photo_id"]:
            raise Uncertain("发布快手作品：快手的应答中没有作品编号，稍后核实。", code="no_id")
        return photo

    @staticmethod
    def photo(info: dict) -> dict:
        photo_id = str(info.get("photo_id") or "")
        return {"photo_id": photo_id, "url": PAGE_URL.format(photo_id=photo_id) if photo_id else "",
                "pending": bool(info.get("pending"))}  # fmt: skip

    def reconcile(self, context: Context, step: str):
        """After an interrupted publish: our video among the account's newest,
        by its caption, published since the delivery was created; None if
        it is not there (it was not published)."""
        if step != "publish":
            raise CannotTell(step)
        caption = post_text(context.payload)
        since = (context.delivery.created_at - CLOCK_SLACK).timestamp() * 1000
        data = self.call(
            context.channel, context.credentials, context.http, "核对快手作品",
            lambda token: context.http.get(
                "/openapi/photo/list", params={**self.params(context, token), "count": RECONCILE_PAGE}
            ),
        )  # fmt: skip
        for info in data.get("video_list") or []:
            if info.get("caption") == caption and float(info.get("create_time") or 0) >= since:
                return self.photo(info)
        return None

    # -- calls, answers, the token

    def _upload_timeout(self) -> httpx.Timeout:
        connect, read = self.upload_timeout
        return httpx.Timeout(read, connect=connect)

    @staticmethod
    def params(context_or_credentials, token: str) -> dict:
        credentials = getattr(context_or_credentials, "credentials", context_or_credentials)
        return {"app_id": credentials.get("app_id", ""), "access_token": token}

    def call(self, channel, credentials: dict, http: httpx.Client, what: str, send) -> dict:
        """``send(token)`` with the account's newest token; refreshed and
        sent once more when Kuaishou refuses the token."""
        for attempt in (1, 2):
            token = _oauth.access_token(channel, credentials)
            try:
                response = send(token)
            except httpx.HTTPError as exc:
                raise http_failure(exc, what) from None
            try:
                return self.answer(response, what)
            except TokenExpired:
                if attempt == 2:
                    raise Permanent(f"{what}：{REAUTHORISE}", code=str(TOKEN_INVALID)) from None
                self.refresh(channel, credentials, token, http)
        raise AssertionError("unreachable")

    def refresh(self, channel, credentials: dict, failed: str, http: httpx.Client) -> str:
        def fetch(refresh_token: str):
            if not refresh_token or not credentials.get("app_secret"):
                raise Permanent(REAUTHORISE, code=str(TOKEN_INVALID))
            query = {"app_id": credentials.get("app_id", ""), "app_secret": credentials["app_secret"],
                     "refresh_token": refresh_token, "grant_type": "refresh_token"}  # fmt: skip
            try:
                response = http.get("/oauth2/refresh_token", params=query)
            except httpx.HTTPError as exc:
                raise http_failure(exc, "刷新快手授权") from None
            try:
                data = self.answer(response, "刷新快手授权")
            except Permanent as error:
                raise Permanent(f"{REAUTHORISE}（错误码 {error.code}）", code=error.code) from None
            return data["access_token"], data.get("expires_in") or 0, data.get("refresh_token") or ""

        return _oauth.refreshed(channel, credentials, failed, fetch)

    def answer(self, response: httpx.Response, what: str) -> dict:
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict) and "result" in body:
            code = int(body["result"])
            if code == OK:
                return body
            raise self.error(code, str(body.get("error_msg") or ""), what)
        status = response.status_code
        if status == 429:
            raise RateLimited(
                f"{what}：调用快手接口过于频繁，下一分钟自动重试。", reset_at=next_minute(), code="http429"
            )
        if status >= 500:
            raise Temporary(f"{what}：快手服务器暂时出错（HTTP {status}），稍后重试。", code=f"http{status}")
        if status >= 400:
            raise Permanent(f"{what}：快手拒绝了请求（HTTP {status}）。", code=f"http{status}")
        raise Uncertain(f"{what}：快手的应答无法解读，稍后核实。", code="bad_answer")

    @staticmethod
    def error(code: int, message: str, what: str) -> DeliveryError:
        if code == TOKEN_INVALID:
            return TokenExpired(f"{what}：快手授权已过期。", code=code)
        if code == RATE_LIMITED:
            return RateLimited(f"{what}：调用快手接口过于频繁（{code}），下一分钟自动重试。",
                               reset_at=next_minute(), code=code)  # fmt: skip
        if code == SERVER_ERROR:
            return Temporary(f"{what}：快手服务内部错误，稍后重试。", code=code)
        if code == CONTENT_REFUSED:
            reason = message or "内容不符合平台规定"
            return Permanent(f"{what}：快手拒绝发布：{reason}。请修改稿件后重新审核。（错误码 {code}）", code=code)
        return Permanent(f"{what}：快手返回错误：{message or '未说明原因'}（错误码 {code}）", code=code)

    # -- figures and the connection test

    def fetch_metrics(self, channel, since: dt.date) -> list[Metric]:
        """Today's totals of views, likes and comments of each video published
        in the last 30 days, and the account's number of videos."""
        from rongmei.distribution.models import Delivery, DeliveryState
        from rongmei.distribution.queue import http_client

        credentials = channel.credentials
        http = http_client(channel, self)
        today = timezone.localdate()
        if today < since:
            return []
        photo_ids = (
            Delivery.objects.filter(channel=channel, state=DeliveryState.DELIVERED)
            .filter(finished_at__gte=timezone.now() - METRICS_WINDOW)
            .exclude(external_id="")
            .values_list("external_id", flat=True)
        )
        metrics = []
        for photo_id in photo_ids:
            info = self.call(
                channel, credentials, http, "读取快手作品数据",
                lambda token, photo_id=photo_id: http.get(
                    "/openapi/photo/info", params={**self.params(credentials, token), "photo_id": photo_id}
                ),
            ).get("video_info") or {}  # fmt: skip
            for key, name in (("view_count", "views"), ("like_count", "likes"), ("comment_count", "comments")):
                metrics.append(Metric(name, float(info.get(key) or 0), today, photo_id))
        counts = self.call(
            channel, credentials, http, "读取快手作品数",
            lambda token: http.get("/openapi/photo/count", params=self.params(credentials, token)),
        )  # fmt: skip
        metrics.append(Metric("videos", float(counts.get("all_count") or 0), today))
        return metrics

    def fetch_comments(self, channel, since: dt.datetime) -> list[Comment]:
        """Kuaishou's open API gives a video's comment *count* (``photo/list``,
        ``photo/info``), not the comments: the inbox marks the source
        unavailable, with this reason, instead of asking again."""
        raise CommentsUnavailable(
            "快手开放平台只提供作品的评论数，不提供评论内容：快手评论无法接入互动中心，请在快手后台查看和回复。",
            code="no_comment_api",
        )

    def test_connection(self, channel, http: httpx.Client) -> str:
        credentials = channel.credentials
        if not credentials.get("app_id") or not credentials.get("access_token"):
            raise Permanent("渠道没有配置快手的 app_id 或 access_token。")
        data = self.call(
            channel, credentials, http, "连接快手",
            lambda token: http.get("/openapi/user_info", params=self.params(credentials, token)),
        )  # fmt: skip
        return f"快手账号“{(data.get('user_info') or {}).get('name', '')}”授权有效。"


ADAPTER = KuaishouAdapter()
_oauth.keep_tokens_out_of_logs()
