"""Douyin (抖音) through the open platform: upload the video, then create
the post (``/video/create/``).

- **Credentials:** ``client_key``, ``client_secret``, ``open_id``,
  ``access_token``, ``refresh_token`` of the authorised account. An expired
  access token (2190008) is refreshed with ``/oauth/refresh_token/``; the new
  one is kept in the channel's :class:`AccessToken` row (see
  :mod:`rongmei.distribution.channels._oauth`) and the call is repeated once.
- **Upload:** the video's original, read from disk: whole with
  ``/video/upload/`` up to 50 MB, above that in parts of 20 MB
  (``/video/part/init/``, ``/video/part/upload/``, ``/video/part/complete/``).
  Each part is a step of its own, so a retry after a failure or a crash
  sends only the parts not yet accepted.
- **Post:** ``text`` is the title and the description with its hashtags.
  The create API takes the cover as a moment of the video (``cover_tsp``,
  option ``cover_tsp``, default the first frame): a photo cover and the
  SRT subtitles cannot be sent through it.
- **Limits:** too many calls in a minute (HTTP 429) wait until the next
  minute; the daily quota (2190001) until midnight, Beijing time.
- **Idempotency:** Douyin cannot be asked whether a post was created for
  our key, so an interrupted create ends in needs_manual_check.
"""

from __future__ import annotations

import datetime as dt
import math

import httpx
from django.utils import timezone

from rongmei.distribution.channels import _media, _oauth
from rongmei.distribution.channels.base import (
    Adapter,
    Comment,
    CommentsIncomplete,
    CommentsUnavailable,
    Context,
    Delivered,
    DeliveryError,
    Metric,
    PageGuard,
    Permanent,
    RateLimited,
    Temporary,
    Uncertain,
    http_failure,
)

CHUNKED_ABOVE = 50 * 1024 * 1024  # /video/upload/ takes up to 128 MB; parts are advised above 50 MB
PART_SIZE = 20 * 1024 * 1024  # at least 5 MB (but the last), 20 MB advised
TOTAL_MAX = 4 * 1024 * 1024 * 1024
DURATION_MAX = 15 * 60
TEXT_MAX = 1_000
DATA_DAYS = 30  # the data API covers the last 30 days
BEIJING = dt.timezone(dt.timedelta(hours=8))

# Comments of an enterprise account's videos (企业号评论管理). Not in the
# shared contract notes: the path and its permission errors are uncertain,
# kept here to correct in one place.
COMMENT_LIST_PATH = "/item/comment/list/"
COMMENT_PERMISSION_ERRORS = {2100007, 2190004, 2190003}
TOKEN_ERRORS = {2190008, 2190002, 10008}
QUOTA_USED_UP = 2190001
BUSY_ERRORS = {2100004, 10001}
VIDEO_ID_INVALID = 2190007
MESSAGES = {
    2100005: "请求参数不合法。",
    2100007: "没有操作权限。",
    2100009: "抖音账号被封禁，不能发布。",
    2190003: "账号没有授权视频发布：请在授权时勾选视频发布权限。",
    2190004: "应用没有获得视频发布能力：请在抖音开放平台申请。",
    2190005: "视频文件太大（抖音上限 4 GB）。",
    2190006: "视频超过 15 分钟，抖音不接受。",
    2190015: "access_token 与 open_id 不匹配：请核对渠道设置中的 open_id。",
    2111001: "标题或描述命中敏感词，抖音拒绝发布，请修改稿件后重新审核。",
}
REAUTHORISE = (
    "抖音授权已失效，无法自动刷新：请账号管理员重新授权本应用，并在渠道设置中更新 access_token 与 refresh_token。"
)


class TokenExpired(Permanent):
    """The access token was refused: refresh it and repeat the call."""


class VideoGone(Temporary):
    """The uploaded video id is no longer valid: upload again."""


def next_minute() -> dt.datetime:
    return timezone.now().replace(second=0, microsecond=0) + dt.timedelta(minutes=1)


def next_beijing_midnight() -> dt.datetime:
    today = timezone.now().astimezone(BEIJING).date()
    return dt.datetime.combine(today + dt.timedelta(days=1), dt.time(0, 0), tzinfo=BEIJING)


def post_text(payload: dict) -> str:
    """The post's text: the title, then the description with its hashtags."""
    title = (payload.get("title") or "").strip()
    summary = (payload.get("summary") or "").strip()
    text = summary if title and summary.startswith(title) else f"{title} {summary}".strip()
    missing = [tag for tag in (payload.get("data") or {}).get("hashtags") or [] if tag not in text]
    return " ".join([text, *missing]).strip()


class DouyinAdapter(Adapter):
    code = "douyin"
    label = "抖音"
    default_base_url = "https://open.douyin.com"
    chunked_above = CHUNKED_ABOVE
    part_size = PART_SIZE
    # Uploads send megabytes: a longer read timeout than the other calls.
    upload_timeout = (10.0, 300.0)

    def prepare(self, delivery) -> None:
        from rongmei.archive.models import Asset

        payload = delivery.payload or {}
        if not payload.get("video"):
            raise Permanent("抖音发布需要一个视频：请为稿件添加视频后重新生成短视频版本。")
        text = post_text(payload)
        if not text:
            raise Permanent("抖音作品的标题和描述为空。")
        if len(text) > TEXT_MAX:
            raise Permanent(f"抖音作品的标题和描述共 {len(text)} 字，超过 {TEXT_MAX} 字的上限。")
        facts = Asset.objects.filter(pk=payload["video"]).values("size", "duration").first()
        if facts and facts["size"] > TOTAL_MAX:
            raise Permanent("视频文件超过 4 GB，抖音不接受。")
        if facts and (facts["duration"] or 0) > DURATION_MAX:
            raise Permanent("视频超过 15 分钟，抖音不接受。")

    # -- publishing

    def deliver(self, context: Context):
        for name in ("open_id", "access_token"):
            if not context.credentials.get(name):
                raise Permanent(f"渠道没有配置抖音的 {name}，请在渠道设置中填写。")
        video_id = self._upload(context) if context.done("create") is None else None
        item = context.once("create", lambda: self._create(context, video_id))
        url = self._share_url(context, item["item_id"])
        return Delivered(item["item_id"], url, "抖音已发布。")

    def _upload(self, context: Context) -> str:
        with _media.video(context.payload["video"]) as video:
            if video.size <= self.chunked_above:
                return context.step("upload", lambda: self._upload_whole(context, video))
            started = context.step("part_init", lambda: self._part_init(context))
            part_size = started["part_size"]
            for number in range(1, math.ceil(video.size / part_size) + 1):
                context.step(f"part_{number}", lambda number=number: self._upload_part(context, video, started, number))
            return context.step("part_complete", lambda: self._part_complete(context, started["upload_id"]))

    def _upload_whole(self, context: Context, video) -> str:
        def send(token):
            with video.open() as handle:  # streamed from disk by httpx
                return context.http.post(
                    "/video/upload/",
                    params=self.params(context.credentials, token),
                    files={"video": (video.name, handle, "video/mp4")},
                    timeout=self._upload_timeout(),
                )

        return self.call(context.channel, context.credentials, context.http, "上传视频", send)["video"]["video_id"]

    def _part_init(self, context: Context) -> dict:
        data = self.call(
            context.channel, context.credentials, context.http, "开始分片上传",
            lambda token: context.http.post("/video/part/init/", params=self.params(context.credentials, token)),
        )  # fmt: skip
        return {"upload_id": data["upload_id"], "part_size": self.part_size}

    def _upload_part(self, context: Context, video, started: dict, number: int) -> bool:
        size = started["part_size"]
        piece = video.read((number - 1) * size, size)

        def send(token):
            return context.http.post(
                "/video/part/upload/",
                params={**self.params(context.credentials, token), "upload_id": started["upload_id"],
                        "part_number": number},
                files={"video": (video.name, piece, "video/mp4")},
                timeout=self._upload_timeout(),
            )  # fmt: skip

        self.call(context.channel, context.credentials, context.http, f"上传视频第 {number} 片", send)
        return True

    def _part_complete(self, context: Context, upload_id: str) -> str:
        def send(token):
            return context.http.post(
                "/video/part/complete/",
                params={**self.params(context.credentials, token), "upload_id": upload_id},
                timeout=self._upload_timeout(),
            )

        return self.call(context.channel, context.credentials, context.http, "完成分片上传", send)["video"]["video_id"]

    def _create(self, context: Context, video_id: str) -> dict:
        body = {
            "video_id": video_id,
            "text": post_text(context.payload),
            "cover_tsp": float(context.options.get("cover_tsp") or 0),
        }

        def send(token):
            return context.http.post("/video/create/", params=self.params(context.credentials, token), json=body)

        try:
            data = self.call(context.channel, context.credentials, context.http, "发布抖音作品", send)
        except VideoGone:
            steps = context.checkpoint.get("steps", {})
            for name in [n for n in steps if n == "upload" or n.startswith("part_")]:
                del steps[name]  # saved by ``once`` with the failure: the next attempt uploads again
            raise
        if not data.get("item_id"):
            raise Uncertain("发布抖音作品：抖音的应答中没有作品编号，稍后核实。", code="no_id")
        return {"item_id": data["item_id"]}

    def _share_url(self, context: Context, item_id: str) -> str:
        """The post's address, from the video data API; empty if it cannot say now."""

        def send(token):
            return context.http.post(
                "/video/data/", params=self.params(context.credentials, token), json={"item_ids": [item_id]}
            )

        try:
            found = self.call(context.channel, context.credentials, context.http, "查询作品链接", send).get("list")
        except DeliveryError:
            return ""
        return next((i.get("share_url") or "" for i in found or [] if i.get("item_id") == item_id), "")

    def manual_instructions(self, delivery) -> str:
        return (
            "抖音不提供按本系统编号查询作品的接口，无法自动确认上次发布是否成功："
            "请在抖音 App 或创作者中心核实该账号的作品，已发布的请在此登记作品链接；没有发布的请点“重试”。"
        )

    # -- calls, answers, the token

    def _upload_timeout(self) -> httpx.Timeout:
        connect, read = self.upload_timeout
        return httpx.Timeout(read, connect=connect)

    @staticmethod
    def params(credentials: dict, token: str) -> dict:
        return {"open_id": credentials.get("open_id", ""), "access_token": token}

    def call(self, channel, credentials: dict, http: httpx.Client, what: str, send) -> dict:
        """``send(token)`` with the account's newest token; refreshed and
        sent once more when Douyin says it has expired."""
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
                    raise Permanent(f"{what}：{REAUTHORISE}", code="token") from None
                self.refresh(channel, credentials, token, http)
        raise AssertionError("unreachable")

    def refresh(self, channel, credentials: dict, failed: str, http: httpx.Client) -> str:
        def fetch(refresh_token: str):
            if not refresh_token or not credentials.get("client_key"):
                raise Permanent(REAUTHORISE, code="token")
            form = {"client_key": credentials["client_key"], "grant_type": "refresh_token",
                    "refresh_token": refresh_token}  # fmt: skip
            try:
                response = http.post("/oauth/refresh_token/", data=form)
            except httpx.HTTPError as exc:
                raise http_failure(exc, "刷新抖音授权") from None
            try:
                data = self.answer(response, "刷新抖音授权")
            except Permanent as error:
                raise Permanent(f"{REAUTHORISE}（错误码 {error.code}）", code=error.code) from None
            return data["access_token"], data.get("expires_in") or 0, data.get("refresh_token") or ""

        return _oauth.refreshed(channel, credentials, failed, fetch)

    def answer(self, response: httpx.Response, what: str) -> dict:
        status = response.status_code
        if status == 429:
            raise RateLimited(
                f"{what}：调用抖音接口过于频繁，下一分钟自动重试。", reset_at=next_minute(), code="http429"
            )
        try:
            body = response.json()
        except ValueError:
            body = None
        data = body.get("data") if isinstance(body, dict) else None
        code = int(data.get("error_code") or 0) if isinstance(data, dict) else None
        if code:
            raise self.error(code, str(data.get("description") or ""), what)
        if status >= 500:
            raise Temporary(f"{what}：抖音服务器暂时出错（HTTP {status}），稍后重试。", code=f"http{status}")
        if status >= 400:
            raise Permanent(f"{what}：抖音拒绝了请求（HTTP {status}）。", code=f"http{status}")
        if code is None:
            raise Uncertain(f"{what}：抖音的应答无法解读，稍后核实。", code="bad_answer")
        return data

    @staticmethod
    def error(code: int, description: str, what: str) -> DeliveryError:
        if code in TOKEN_ERRORS:
            return TokenExpired(f"{what}：抖音授权已过期。", code=code)
        if code == QUOTA_USED_UP:
            return RateLimited(f"{what}：抖音接口今日调用额度已用完（{code}），北京时间零点后自动重试。",
                               reset_at=next_beijing_midnight(), code=code)  # fmt: skip
        if code in BUSY_ERRORS:
            return Temporary(f"{what}：抖音系统繁忙（{code}），稍后重试。", code=code)
        if code == VIDEO_ID_INVALID:
            return VideoGone(f"{what}：抖音的视频上传已失效，将重新上传。", code=code)
        reason = MESSAGES.get(code) or (f"抖音拒绝了请求：{description}" if description else "抖音拒绝了请求。")
        return Permanent(f"{what}：{reason}（错误码 {code}）", code=code)

    # -- figures and the connection test

    def fetch_metrics(self, channel, since: dt.date) -> list[Metric]:
        """Daily plays, likes, comments and shares of the channel's posts of
        the last 30 days (what the data API covers), from ``since`` on."""
        from rongmei.distribution.models import Delivery, DeliveryState
        from rongmei.distribution.queue import http_client

        credentials = channel.credentials
        http = http_client(channel, self)
        window = max(1, (timezone.localdate() - since).days + 1)
        date_type = next(n for n in (7, 15, 30, 30) if n >= min(window, DATA_DAYS))
        items = (
            Delivery.objects.filter(channel=channel, state=DeliveryState.DELIVERED)
            .filter(finished_at__gte=timezone.now() - dt.timedelta(days=DATA_DAYS))
            .exclude(external_id="")
            .values_list("external_id", flat=True)
        )
        names = {"new_play": "plays", "new_like": "likes", "new_comment": "comments", "new_share": "shares"}
        metrics = []
        for item_id in items:

            def send(token, item_id=item_id):
                return http.get(
                    "/data/external/item/base/",
                    params={**self.params(credentials, token), "item_id": item_id, "date_type": date_type},
                )

            rows = self.call(channel, credentials, http, "读取抖音作品数据", send).get("result_list") or []
            for row in rows:
                day = dt.date.fromisoformat(row["date"])
                if day < since:
                    continue
                metrics += [Metric(name, float(row.get(key) or 0), day, item_id) for key, name in names.items()]
        return metrics

    def fetch_comments(self, channel, since: dt.datetime) -> list[Comment]:
        """Comments on the channel's posts of the last 30 days, by
        ``COMMENT_LIST_PATH`` (cursor paging, bounded by :class:`PageGuard`).
        Only enterprise accounts (企业号) with the comment scope may read
        them: a permission error is :class:`CommentsUnavailable`."""
        from rongmei.distribution.models import Delivery, DeliveryState
        from rongmei.distribution.queue import http_client

        credentials = channel.credentials
        http = http_client(channel, self)
        posts = (
            Delivery.objects.filter(channel=channel, state=DeliveryState.DELIVERED)
            .filter(finished_at__gte=since - dt.timedelta(days=DATA_DAYS))
            .exclude(external_id="")
            .values_list("external_id", "external_url")
        )
        found: list[Comment] = []
        guard = PageGuard("读取抖音评论", found)
        for item_id, url in posts:
            cursor = 0
            while True:
                guard.check((item_id, cursor))

                def send(token, item_id=item_id, cursor=cursor):
                    params = {**self.params(credentials, token), "item_id": item_id, "cursor": cursor, "count": 50}
                    return http.get(COMMENT_LIST_PATH, params=params)

                try:
                    data = self.call(channel, credentials, http, "读取抖音评论", send)
                except Permanent as error:
                    if error.code in {str(c) for c in COMMENT_PERMISSION_ERRORS}:
                        raise CommentsUnavailable(
                            f"读取抖音评论：账号或应用没有评论管理权限（错误码 {error.code}）：只有企业号能读评论。",
                            code=error.code,
                        ) from None
                    raise
                except DeliveryError as error:
                    if found:
                        raise CommentsIncomplete(error.message, partial=found, code=error.code) from None
                    raise
                rows = data.get("list") or []
                guard.check_ids([("id", row.get("comment_id")) for row in rows])
                for row in rows:
                    posted = dt.datetime.fromtimestamp(int(row.get("create_time") or 0), tz=dt.UTC)
                    if posted < since:
                        continue
                    found.append(
                        Comment(
                            external_id=str(row.get("comment_id")),
                            author=str(row.get("nick_name") or row.get("comment_user_id") or ""),
                            text=str(row.get("content") or ""),
                            posted_at=posted,
                            url=url,
                            parent_external_id=item_id,
                        )
                    )
                if not data.get("has_more") or not rows:
                    break
                cursor = int(data.get("cursor") or 0)
        return found

    def test_connection(self, channel, http: httpx.Client) -> str:
        credentials = channel.credentials
        if not credentials.get("open_id") or not credentials.get("access_token"):
            raise Permanent("渠道没有配置抖音的 open_id 或 access_token。")

        def send(token):
            return http.post("/oauth/userinfo/", data={"access_token": token, "open_id": credentials["open_id"]})

        data = self.call(channel, credentials, http, "连接抖音", send)
        return f"抖音账号“{data.get('nickname', '')}”授权有效。"


ADAPTER = DouyinAdapter()
_oauth.keep_tokens_out_of_logs()
