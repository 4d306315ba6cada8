"""WeChat official account (微信公众号), through its own HTTP API
(``../shared/docs/channels.md``); a thin client over httpx, since no Python
SDK has both stable_token and the draft/publish API.

One delivery:

1. each body image (``<img data-asset-id=…>``, or ``data-image-id`` for a
   Wagtail image) is uploaded with ``media/uploadimg`` (JPEG under 1 MB,
   re-encoded smaller when needed) and its ``src`` set to WeChat's URL:
   WeChat strips images from anywhere else;
2. the cover becomes permanent material (``material/add_material``,
   ``type=image``), its 2.35:1 and 1:1 crops passed to the draft;
3. ``draft/add`` (once), then ``freepublish/submit`` (once): ``errcode`` 0
   only means accepted, so the delivery waits and
4. ``freepublish/get`` is polled until ``publish_status`` says published
   (delivered, with the article's id and URL) or failed (the reason in
   Chinese). The ``PUBLISHJOBFINISH`` callback
   (:mod:`rongmei.distribution.wechat_callback`) only makes the next poll
   due at once.

The access token is a stable_token kept in :class:`AccessToken` and shared
by every worker; a call answered 40001/42001 refreshes it (force_refresh)
and is repeated once. Mass sending (群发, it notifies followers) is never
automatic: :func:`mass_send` is an operator's explicit action.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import re
import zoneinfo

import httpx
from django.db import transaction
from django.utils import timezone

from rongmei.distribution.channels.base import (
    Adapter,
    Comment,
    CommentsIncomplete,
    CommentsUnavailable,
    Context,
    Delivered,
    DeliveryError,
    ManualCheck,
    Metric,
    PageGuard,
    Permanent,
    RateLimited,
    Temporary,
    Uncertain,
    Waiting,
    http_failure,
)

logger = logging.getLogger(__name__)

BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")
TOKEN_INVALID = {40001, 40014, 42001}  # invalid, malformed, expired access_token: refresh and repeat once
NO_COMMENT_PERMISSION = 88000
COMMENTS_PER_PAGE = 49  # comment/list takes count under 50
REPLY_MAX = 600  # characters of a reply to a comment (uncertain: kept here to correct in one place)
RATE_MINUTE = 45011  # api minute-quota reach limit: wait for the next minute
RATE_DAILY = 45009  # reach max api daily quota limit: wait until midnight, Beijing time
CONSOLE_CODES = {
    53503: "该草稿未通过微信的发表检查",
    53504: "微信要求到公众平台网页端使用此草稿",
    53505: "微信要求先在公众平台网页端手动保存此草稿",
}
ERRORS = {
    -1: ("微信系统繁忙，稍后重试。", Temporary),
    40005: ("图片格式不被微信接受（只收 JPG/PNG）。", Permanent),
    40007: ("微信找不到此素材（media_id 无效，可能已在公众平台后台删除）。", Permanent),
    40009: ("图片超过微信的大小限制。", Permanent),
    40013: ("AppID 无效：请核对渠道账号的 AppID。", Permanent),
    40125: ("AppSecret 无效：请在公众平台重新获取 AppSecret 并更新渠道账号。", Permanent),
    40164: (
        "调用接口的 IP 地址不在公众号的 IP 白名单中：请在公众平台“设置与开发 → 基本配置 → IP 白名单”"
        "中加入本平台（或其出口网关）的公网 IP。",
        Permanent,
    ),
    41002: ("渠道账号缺少 AppID。", Permanent),
    41004: ("渠道账号缺少 AppSecret。", Permanent),
    44003: ("图文内容为空（标题缺失）。", Permanent),
    44004: ("正文为空。", Permanent),
    45002: ("正文超过微信的长度限制（2 万字符、1 MB 以内）。", Permanent),
    45003: ("标题超过微信的长度限制（32 个字以内）。", Permanent),
    45004: ("摘要超过微信的长度限制（128 个字以内）。", Permanent),
    45008: ("一次最多 8 篇图文。", Permanent),
    45028: ("今日群发次数已用完（订阅号每天一次）。", Permanent),
    45110: ("作者名超过微信的长度限制（16 个字以内）。", Permanent),
    48001: ("公众号没有此接口的权限：草稿与发布接口只对已认证的组织类公众号开放。", Permanent),
    50001: ("公众号未获得此接口的授权。", Permanent),
    50002: ("公众号被限制使用此接口（可能受到处罚）。", Permanent),
    88000: ("此文章未开通留言，或公众号没有留言功能。", Permanent),
    87014: ("内容含有违法违规内容，微信拒绝。", Permanent),
    88008: ("该留言不存在或已被删除。", Permanent),
}
PUBLISH_FAILURES = {
    2: "原创校验未通过：微信判定文章与已发表内容雷同。",
    3: "发布失败（微信常规失败），请在公众平台后台查看后重试。",
    4: "审核未通过：文章内容未通过微信平台审核。",
    5: "文章已被公众号管理员删除。",
    6: "文章已被微信系统封禁。",
}

_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_REF = re.compile(r'\sdata-(asset|image)-id="(\d+)"', re.IGNORECASE)
_SRC = re.compile(r'\ssrc="[^"]*"', re.IGNORECASE)


class _RedactTokens(logging.Filter):
    """httpx logs each request's URL at INFO; WeChat's access token travels in it."""

    pattern = re.compile(r"(access_token=)[^&\s\"']+")

    def filter(self, record):
        if record.args and isinstance(record.args, tuple):
            record.args = tuple(
                self.pattern.sub(r"\1***", str(arg)) if isinstance(arg, (str, httpx.URL)) else arg
                for arg in record.args
            )
        return True


logging.getLogger("httpx").addFilter(_RedactTokens())


# -- when limits reset


def next_minute(now: dt.datetime | None = None) -> dt.datetime:
    now = now or timezone.now()
    return now.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)


def next_beijing_midnight(now: dt.datetime | None = None) -> dt.datetime:
    local = (now or timezone.now()).astimezone(BEIJING)
    return dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(0), tzinfo=BEIJING)


# -- pictures


def _jpeg_under(data: bytes, limit: int) -> bytes:
    """``data`` as a JPEG of fewer than ``limit`` bytes: as it is when it
    already is one, else re-encoded, at lower quality, then smaller."""
    if data[:3] == b"\xff\xd8\xff" and len(data) < limit:
        return data
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as opened:
            image = opened.convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise Permanent("图片文件无法读取，请在稿件中更换图片。", code="picture") from None
    quality = 85
    while True:
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=quality, optimize=True)
        if buffer.tell() < limit:
            return buffer.getvalue()
        if quality > 65:
            quality -= 10
        elif min(image.size) > 100:
            image = image.resize((max(1, image.width * 3 // 4), max(1, image.height * 3 // 4)))
        else:
            raise Permanent("图片无法压缩到微信的大小限制以内。")


def _asset_picture(asset_id: int) -> tuple[object, bytes]:
    """The archive asset and the bytes of its picture: the web rendition of
    a photo, the poster frame of a video, else the original photo."""
    from rongmei.archive.ingest import local_original
    from rongmei.archive.models import Asset

    asset = Asset.objects.filter(pk=asset_id).prefetch_related("renditions").first()
    if asset is None:
        raise Permanent(f"引用的资料库素材（编号 {asset_id}）已不存在，请在稿件中更换图片。")
    for kind in ("web", "poster"):
        rendition = asset.rendition(kind)
        if rendition is not None and rendition.file:
            with rendition.file.open("rb") as handle:
                return asset, handle.read()
    if asset.kind == "photo" and asset.original:
        with local_original(asset) as path, open(path, "rb") as handle:
            return asset, handle.read()
    raise Permanent(f"资料库素材“{asset}”没有可用的图片（视频需先生成封面帧），请更换图片。")


def _wagtail_picture(image_id: int) -> bytes:
    from wagtail.images import get_image_model

    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:
        raise Permanent(f"正文中的图片（编号 {image_id}）已不存在，请在稿件中更换图片。")
    with image.file.open("rb") as handle:
        return handle.read()


def _crop(box: dict | None, width: int | None, height: int | None) -> str:
    """A crop box in pixels as WeChat's ``X1_Y1_X2_Y2`` in fractions of the picture."""
    if not box or not width or not height:
        return ""
    x1, y1 = box["x"] / width, box["y"] / height
    x2, y2 = (box["x"] + box["width"]) / width, (box["y"] + box["height"]) / height
    return "_".join(f"{min(1.0, max(0.0, v)):.6f}" for v in (x1, y1, x2, y2))


# -- the API


class WeChatAPI:
    """Calls to one account: the shared token, errcode checks, one refresh."""

    def __init__(self, adapter: WeChatAdapter, channel, credentials: dict, http: httpx.Client):
        self.adapter, self.channel, self.credentials, self.http = adapter, channel, credentials, http

    # tokens

    def _fetch_token(self, *, force: bool) -> tuple[str, int]:
        appid, secret = self.credentials.get("appid"), self.credentials.get("secret")
        if not appid or not secret:
            raise Permanent("公众号账号未配置 AppID 或 AppSecret：请在渠道设置中填写。", code="credentials")
        body = {"grant_type": "client_credential", "appid": appid, "secret": secret, "force_refresh": force}
        answer = self._send("POST", "/cgi-bin/stable_token", "获取接口调用凭证", json_body=body)
        token = answer.get("access_token")
        if not token:
            raise Temporary("获取接口调用凭证：微信的答复中没有 access_token。", code="token")
        return token, int(answer.get("expires_in") or 7200)

    def _store(self, token: str, seconds: int) -> dt.datetime:
        from rongmei.core import secrets
        from rongmei.distribution.models import AccessToken

        expires_at = timezone.now() + dt.timedelta(seconds=seconds)
        AccessToken.objects.update_or_create(
            channel=self.channel,
            defaults={"token_encrypted": secrets.encrypt({"token": token}), "expires_at": expires_at},
        )
        return expires_at

    def _stored(self) -> str:
        """The shared token when it has more than the margin left, else ''."""
        from rongmei.core.secrets import SecretError
        from rongmei.distribution.models import AccessToken

        row = AccessToken.objects.filter(channel=self.channel).first()
        if row is None or row.expires_at <= timezone.now() + self.adapter.token_margin:
            return ""
        try:
            return row.token
        except SecretError:
            return ""

    def token(self, rejected: str = "") -> str:
        """The account's access token, shared by every worker. A fresh one
        is fetched by one worker at a time (the channel's row is locked);
        ``rejected`` (a token WeChat just refused) forces a new one unless
        another worker has already replaced it."""
        from rongmei.distribution.models import Channel

        if not rejected:
            token = self._stored()
            if token:
                return token
        with transaction.atomic():
            Channel.objects.select_for_update().filter(pk=self.channel.pk).first()
            token = self._stored()
            if token and token != rejected:
                return token
            token, seconds = self._fetch_token(force=bool(rejected))
            self._store(token, seconds)
        return token

    # calls

    def _send(self, method, path, what, *, params=None, json_body=None, files=None) -> dict:
        kwargs = {"params": params or {}}
        if json_body is not None:
            kwargs["content"] = json.dumps(json_body, ensure_ascii=False).encode()
            kwargs["headers"] = {"Content-Type": "application/json; charset=utf-8"}
        if files is not None:
            kwargs["files"] = files
        try:
            response = self.http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise http_failure(exc, what) from None
        if response.status_code >= 500 or response.status_code in (408, 429):
            raise Temporary(f"{what}：微信服务器出错（HTTP {response.status_code}），稍后重试。",
                            code=f"http_{response.status_code}")  # fmt: skip
        if response.status_code >= 400:
            raise Permanent(f"{what}：请求被拒绝（HTTP {response.status_code}），请检查渠道的接口地址和代理设置。",
                            code=f"http_{response.status_code}")  # fmt: skip
        try:
            answer = response.json()
        except ValueError:
            raise Uncertain(f"{what}：微信的答复无法解析。", code="answer") from None
        if not isinstance(answer, dict):
            raise Uncertain(f"{what}：微信的答复无法解析。", code="answer")
        code = _errcode(answer)
        if code and code not in TOKEN_INVALID:
            failure = self.adapter.error(code, answer.get("errmsg", ""), what)
            failure.detail = answer
            raise failure
        return answer

    def call(self, method, path, what, *, params=None, json_body=None, files=None) -> dict:
        """One API call with the shared token; an expired token is refreshed and the call repeated once."""
        token = self.token()
        for attempt in (1, 2):
            answer = self._send(method, path, what, params={**(params or {}), "access_token": token},
                                json_body=json_body, files=files)  # fmt: skip
            code = _errcode(answer)
            if code not in TOKEN_INVALID:
                return answer
            if attempt == 1:
                token = self.token(rejected=token)
        raise Temporary(f"{what}：刷新后的接口调用凭证仍被微信拒绝，稍后重试。", code=str(code))

    # steps

    def upload_image(self, data: bytes, name: str) -> str:
        picture = _jpeg_under(data, self.adapter.image_max_bytes)
        answer = self.call("POST", "/cgi-bin/media/uploadimg", "上传正文图片",
                           files={"media": (f"{name}.jpg", picture, "image/jpeg")})  # fmt: skip
        if not answer.get("url"):
            raise Temporary("上传正文图片：微信的答复中没有图片地址。", code="answer")
        return answer["url"]

    def add_cover(self, data: bytes, name: str) -> dict:
        picture = _jpeg_under(data, self.adapter.image_max_bytes)
        answer = self.call("POST", "/cgi-bin/material/add_material", "上传封面", params={"type": "image"},
                           files={"media": (f"{name}.jpg", picture, "image/jpeg")})  # fmt: skip
        if not answer.get("media_id"):
            raise Temporary("上传封面：微信的答复中没有 media_id。", code="answer")
        return {"media_id": answer["media_id"], "url": answer.get("url", "")}


def _errcode(answer: dict) -> int:
    try:
        return int(answer.get("errcode") or 0)
    except (TypeError, ValueError):
        return -1


class WeChatAdapter(Adapter):
    code = "wechat"
    label = "微信公众号"
    default_base_url = "https://api.weixin.qq.com"
    give_up_after = dt.timedelta(hours=6)
    can_check = True
    timeout = (5.0, 20.0)
    token_margin = dt.timedelta(minutes=5)  # a token expiring sooner is renewed first
    image_max_bytes = 1024 * 1024  # uploadimg takes JPG/PNG under 1 MB
    first_poll_after = 5.0  # seconds; doubled at each poll that finds the job still publishing
    max_poll_wait = 300.0
    # A submit whose answer was lost and that is not (yet) in the published
    # list may still be publishing: it is looked for again during this time
    # before it is submitted again.
    reconcile_grace = dt.timedelta(minutes=10)
    reconcile_pages = 5  # of 20 published articles, newest first
    clock_slack = dt.timedelta(minutes=2)

    # errors

    def error(self, code: int, errmsg: str, what: str) -> DeliveryError:
        platform = f"（微信错误码 {code}：{errmsg}）" if errmsg else f"（微信错误码 {code}）"
        if code == RATE_MINUTE:
            return RateLimited(f"{what}：超过微信每分钟的调用次数限制，下一分钟再试。", reset_at=next_minute(),
                               code=str(code))  # fmt: skip
        if code == RATE_DAILY:
            return RateLimited(f"{what}：今日的微信接口调用次数已用完，北京时间零点后再试。",
                               reset_at=next_beijing_midnight(), code=str(code))  # fmt: skip
        message, kind = ERRORS.get(code, (None, Permanent))
        if message is None:
            message = "微信拒绝了此请求。"
        return kind(f"{what}：{message}{platform}", code=str(code))

    # the delivery

    def api(self, context: Context) -> WeChatAPI:
        return WeChatAPI(self, context.channel, context.credentials, context.http)

    def prepare(self, delivery) -> None:
        """What is checked before anything is sent. The length limits are
        WeChat's to enforce (they were checked at approval; WeChat's own
        answer is the authority, and its message is shown in Chinese)."""
        payload = delivery.payload
        if not (payload.get("title") or "").strip():
            raise Permanent("微信公众号图文缺少标题。", code="title")
        if not payload.get("cover"):
            raise Permanent("微信公众号图文需要封面图：请在版本中选择封面。", code="cover")
        if not (payload.get("body") or "").strip():
            raise Permanent("微信公众号图文的正文为空。", code="body")

    def _body(self, context: Context, api: WeChatAPI) -> str:
        """The body with each referenced picture uploaded (a step each) and its ``src`` set."""

        def upload(kind: str, ref: int) -> dict:
            if kind == "asset":
                data = _asset_picture(ref)[1]
            else:
                data = _wagtail_picture(ref)
            return {"url": api.upload_image(data, f"{kind}-{ref}")}

        def replace(match) -> str:
            tag = match.group(0)
            found = _REF.search(tag)
            if found is None:
                return tag  # an image of its own (WeChat keeps only its own addresses)
            kind, ref = found.group(1).lower(), int(found.group(2))
            url = context.step(f"image:{kind}:{ref}", lambda: upload(kind, ref))["url"]
            tag = _REF.sub("", _SRC.sub("", tag))
            return tag[:4] + f' src="{url}"' + tag[4:]

        return _IMG.sub(replace, context.payload.get("body") or "")

    def _cover(self, context: Context, api: WeChatAPI) -> dict:
        asset, data = _asset_picture(int(context.payload["cover"]))
        uploaded = api.add_cover(data, f"cover-{asset.pk}")
        crops = (context.payload.get("data") or {}).get("crops") or {}
        uploaded["crop_235_1"] = _crop(crops.get("2.35:1"), asset.width, asset.height)
        uploaded["crop_1_1"] = _crop(crops.get("1:1"), asset.width, asset.height)
        return uploaded

    def article(self, context: Context, body: str, cover: dict) -> dict:
        payload, data = context.payload, context.payload.get("data") or {}
        article = {
            "article_type": "news",
            "title": payload.get("title", ""),
            "author": payload.get("author", ""),
            "digest": payload.get("summary", ""),
            "content": body,
            "content_source_url": data.get("content_source_url", ""),
            "thumb_media_id": cover["media_id"],
            "need_open_comment": 1 if data.get("need_open_comment") else 0,
            "only_fans_can_comment": 1 if context.options.get("only_fans_can_comment") else 0,
        }
        for field, key in (("pic_crop_235_1", "crop_235_1"), ("pic_crop_1_1", "crop_1_1")):
            if cover.get(key):
                article[field] = cover[key]
        return article

    def deliver(self, context: Context):
        if context.delivery.action != "publish":
            return ManualCheck(
                "微信已发表的文章不能通过接口修改或撤下：请登录微信公众平台（mp.weixin.qq.com），"
                "在“内容管理 → 发表记录”中修改（只能改少量文字）或删除此文；处理后在此登记结果。"
            )
        api = self.api(context)
        if not context.done("draft"):
            # Each picture is a step of its own: a retry uploads none twice.
            body = self._body(context, api)
            cover = context.step("cover", lambda: self._cover(context, api))

        def add_draft() -> dict:
            try:
                answer = api.call("POST", "/cgi-bin/draft/add", "创建草稿",
                                  json_body={"articles": [self.article(context, body, cover)]})  # fmt: skip
            except Permanent as error:
                if error.code == "40007":  # the cover was deleted on WeChat: upload it again next time
                    context.checkpoint.get("steps", {}).pop("cover", None)
                raise
            return {"media_id": answer["media_id"]}

        draft = context.once("draft", add_draft)
        if "submit" not in context.checkpoint.get("intents", []):
            # A new submit, not a lost one being looked for: reconcile's grace counts from here.
            context.checkpoint["submit_at"] = timezone.now().isoformat()

        def submit() -> dict:
            try:
                answer = api.call("POST", "/cgi-bin/freepublish/submit", "提交发布",
                                  json_body={"media_id": draft["media_id"]})  # fmt: skip
            except Permanent as error:
                if error.code == "40007":  # the draft was deleted on WeChat: make it again next time
                    context.checkpoint.get("steps", {}).pop("draft", None)
                raise
            return {"publish_id": str(answer["publish_id"])}

        try:
            submitted = context.once("submit", submit)
        except Permanent as error:
            if error.code.isdigit() and int(error.code) in CONSOLE_CODES:
                return ManualCheck(self._console_instructions(int(error.code)))
            raise
        if submitted.get("article_id"):  # found in the published list after a lost answer
            return Delivered(submitted["article_id"], submitted.get("url", ""), "微信已发布（核对已发布列表确认）。")
        return Waiting(self.first_poll_after, "微信已受理发布，等待发布结果。")

    def _console_instructions(self, code: int) -> str:
        return (
            f"{CONSOLE_CODES[code]}（错误码 {code}）。请登录微信公众平台（mp.weixin.qq.com），"
            "在“内容管理 → 草稿箱”中找到此稿，按提示修改或保存后发表；发表后在此登记文章链接，"
            "或放弃发表后取消此任务。"
        )

    def poll(self, context: Context):
        submitted = context.done("submit") or {}
        if submitted.get("article_id"):
            return Delivered(submitted["article_id"], submitted.get("url", ""), "微信已发布。")
        api = self.api(context)
        answer = api.call("POST", "/cgi-bin/freepublish/get", "查询发布结果",
                          json_body={"publish_id": submitted.get("publish_id")})  # fmt: skip
        status = int(answer.get("publish_status", -1))
        if status == 0:
            items = (answer.get("article_detail") or {}).get("item") or []
            url = items[0].get("article_url", "") if items else ""
            return Delivered(str(answer.get("article_id", "")), url, "微信已确认发布。")
        if status == 1:
            polls = int(context.checkpoint.get("polls", 0)) + 1
            context.checkpoint["polls"] = polls
            context.save(context.checkpoint)
            return Waiting(min(self.first_poll_after * 2**polls, self.max_poll_wait), "微信正在发布。")
        reason = PUBLISH_FAILURES.get(status, f"微信返回了未知的发布状态 {status}。")
        failed = answer.get("fail_idx") or []
        if failed:
            reason += f"（第 {'、'.join(str(i) for i in failed)} 篇）"
        # An operator's retry submits the draft again instead of asking about this job.
        steps = context.checkpoint.get("steps", {})
        steps.pop("submit", None)
        for key in ("waiting", "polls", "submit_at"):
            context.checkpoint.pop(key, None)
        context.save(context.checkpoint)
        raise Permanent(f"微信发布失败：{reason}", code=f"publish_status_{status}")

    def reconcile(self, context: Context, step: str):
        """``draft``: None, it is made again. WeChat cannot look a draft up by
        our key, and a second draft is harmless: readers never see drafts,
        and it can be deleted in the 草稿箱.

        ``submit``: the published list (``freepublish/batchget``, newest
        first) is searched for an article of this title (and cover)
        published since the delivery was created. Found: it was published,
        and the delivery is delivered. Not found: while the submit is recent
        it may still be publishing, so this is asked again later; after
        :attr:`reconcile_grace` it was not published, and None submits again."""
        if step != "submit":
            return None
        api = self.api(context)
        title = context.payload.get("title", "")
        thumb = (context.done("cover") or {}).get("media_id")
        since = context.delivery.created_at - self.clock_slack
        for page in range(self.reconcile_pages):
            answer = api.call("POST", "/cgi-bin/freepublish/batchget", "核对已发布列表",
                              json_body={"offset": page * 20, "count": 20, "no_content": 1})  # fmt: skip
            items = answer.get("item") or []
            for item in items:
                published_at = dt.datetime.fromtimestamp(int(item.get("update_time") or 0), tz=dt.UTC)
                if published_at < since:
                    items = []
                    break
                news = ((item.get("content") or {}).get("news_item") or [{}])[0]
                if news.get("title") == title and (not thumb or news.get("thumb_media_id") in (None, thumb)):
                    return {"publish_id": None, "article_id": item.get("article_id", ""), "url": news.get("url", "")}
            if len(items) < 20:
                break
        submitted_at = context.checkpoint.get("submit_at")
        if submitted_at and timezone.now() - dt.datetime.fromisoformat(submitted_at) < self.reconcile_grace:
            raise Temporary("上次提交发布时微信没有应答，已发布列表中暂未找到此文，稍后再核对。", code="reconcile")
        return None

    # the account

    def test_connection(self, channel, http: httpx.Client) -> str:
        api = WeChatAPI(self, channel, channel.credentials, http)
        with transaction.atomic():
            token, seconds = api._fetch_token(force=False)
            api._store(token, seconds)
        return f"连接正常：已取得公众号的接口调用凭证，有效期 {seconds // 60} 分钟。"

    def _channel_api(self, channel) -> WeChatAPI:
        from rongmei.distribution.queue import http_client

        return WeChatAPI(self, channel, channel.credentials, http_client(channel, self))

    def fetch_comments(self, channel, since: dt.datetime) -> list[Comment]:
        """Comments on the articles delivered in the last 30 days, by
        ``comment/list``. Its ``msg_data_id`` is the mass send's when the
        article was mass sent, else the article's id (uncertain for
        articles published without mass sending: kept to this one place).
        Paging is bounded (:class:`PageGuard`); 88000 on every article means
        the account has no comment permission (:class:`CommentsUnavailable`),
        on some articles only that their comments are closed."""
        from rongmei.distribution.models import Delivery, DeliveryState

        api = self._channel_api(channel)
        comments = []
        guard = PageGuard("读取公众号留言", comments)
        deliveries = Delivery.objects.filter(
            channel=channel, state=DeliveryState.DELIVERED, finished_at__gte=since - dt.timedelta(days=30)
        ).exclude(external_id="")
        asked = refused = 0
        for delivery in deliveries:
            msg_data_id = str(((delivery.checkpoint or {}).get("mass_send") or {}).get("msg_data_id") or "")
            msg_data_id = msg_data_id or delivery.external_id
            begin = 0
            asked += 1
            while True:
                guard.check((msg_data_id, begin))
                try:
                    answer = api.call("POST", "/cgi-bin/comment/list", "读取留言", json_body={
                        "msg_data_id": msg_data_id, "index": 0, "begin": begin, "count": COMMENTS_PER_PAGE, "type": 0,
                    })  # fmt: skip
                except Permanent as error:
                    if error.code != str(NO_COMMENT_PERMISSION):
                        raise
                    refused += 1
                    break
                except DeliveryError as error:
                    if comments:
                        raise CommentsIncomplete(error.message, partial=comments, code=error.code) from None
                    raise
                page = answer.get("comment") or []
                guard.check_ids([("id", msg_data_id, item.get("user_comment_id")) for item in page])
                for item in page:
                    posted_at = dt.datetime.fromtimestamp(int(item.get("create_time") or 0), tz=dt.UTC)
                    if posted_at < since:
                        continue
                    reply = item.get("reply") or {}
                    comments.append(
                        Comment(
                            external_id=f"{msg_data_id}:0:{item.get('user_comment_id')}",
                            author=str(item.get("nick_name") or item.get("openid", "")),
                            text=str(item.get("content", "")),
                            posted_at=posted_at,
                            url=delivery.external_url,
                            parent_external_id=msg_data_id,
                            extra={
                                "delivery": delivery.pk,
                                "elected": item.get("comment_type") == 1,
                                "reply": reply.get("content", ""),
                            },
                        )
                    )
                begin += len(page)
                if not page or begin >= int(answer.get("total") or 0):
                    break
        if asked and refused == asked:
            raise CommentsUnavailable(
                "读取留言：公众号没有留言接口权限（微信错误码 88000），无法读取留言。", code=str(NO_COMMENT_PERMISSION)
            )
        return comments

    def reply(self, channel, comment: dict, text: str) -> str:
        """``comment/reply/add`` to the comment ``<msg_data_id>:<index>:<user_comment_id>``."""
        try:
            msg_data_id, index, user_comment_id = str(comment["external_id"]).split(":")
        except ValueError:
            raise Permanent("回复留言：留言编号格式不对，无法回复。", code="bad_id") from None
        text = (text or "").strip()
        if not text:
            raise Permanent("回复留言：回复内容为空。", code="empty")
        if len(text) > REPLY_MAX:
            raise Permanent(f"回复留言：微信留言回复最多 {REPLY_MAX} 字，现有 {len(text)} 字。", code="too_long")
        api = self._channel_api(channel)
        api.call("POST", "/cgi-bin/comment/reply/add", "回复留言", json_body={
            "msg_data_id": msg_data_id, "index": int(index), "user_comment_id": int(user_comment_id), "content": text,
        })  # fmt: skip
        return f"{msg_data_id}:{index}:{user_comment_id}:reply"

    def fetch_metrics(self, channel, since: dt.date) -> list[Metric]:
        """Daily figures of the account's articles (``datacube/getarticlesummary``,
        one day a call, yesterday at most, the last 30 days at most)."""
        api = self._channel_api(channel)
        yesterday = timezone.localdate() - dt.timedelta(days=1)
        day = max(since, yesterday - dt.timedelta(days=29))
        names = {
            "int_page_read_count": "reads",
            "int_page_read_user": "readers",
            "share_count": "shares",
            "add_to_fav_count": "favorites",
        }
        metrics = []
        while day <= yesterday:
            answer = api.call("POST", "/datacube/getarticlesummary", "读取图文数据",
                              json_body={"begin_date": day.isoformat(), "end_date": day.isoformat()})  # fmt: skip
            for item in answer.get("list") or []:
                for field, name in names.items():
                    if field in item:
                        metrics.append(Metric(name, float(item[field]), day, str(item.get("msgid", ""))))
            day += dt.timedelta(days=1)
        return metrics


ADAPTER = WeChatAdapter()


def mass_send(delivery, user) -> dict:
    """群发: notify the account's followers of a delivered article. Never
    automatic (a subscription account may mass send once a day, and every
    follower is notified): an operator's explicit action, audited.
    ``clientmsgid`` is the delivery's idempotency key, so WeChat refuses a
    second sending of the same article (45065) even after a crash."""
    from rongmei.core import audit
    from rongmei.distribution.actions import DeliveryRefused
    from rongmei.distribution.models import Delivery, DeliveryState

    if not user.has_perm("distribution.operate_delivery"):
        raise DeliveryRefused("只有运营人员可以群发。")
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().select_related("channel").get(pk=delivery.pk)
        if delivery.channel.transport != "platform" or delivery.channel.kind != "wechat_mp":
            raise DeliveryRefused("只有微信公众号的稿件可以群发。")
        if delivery.state != DeliveryState.DELIVERED:
            raise DeliveryRefused("文章在微信发布成功后才能群发。")
        sent = (delivery.checkpoint or {}).get("mass_send")
        if sent:
            raise DeliveryRefused(f"此文已于 {sent['at'][:16].replace('T', ' ')} 群发过，不再重复群发。")
        draft = ((delivery.checkpoint or {}).get("steps") or {}).get("draft") or {}
        if not draft.get("media_id"):
            raise DeliveryRefused("找不到此文的微信草稿（media_id），无法群发。")
    # The call is made outside the transaction (no lock held while WeChat
    # answers); two operators clicking at once are told apart by WeChat
    # through the same clientmsgid.
    body = {
        "filter": {"is_to_all": True},
        "mpnews": {"media_id": draft["media_id"]},
        "msgtype": "mpnews",
        "send_ignore_reprint": 0,
        "clientmsgid": str(delivery.idempotency_key),
    }
    already = False
    try:
        answer = ADAPTER._channel_api(delivery.channel).call(
            "POST", "/cgi-bin/message/mass/sendall", "群发", json_body=body
        )
    except DeliveryError as error:
        if error.code != "45065":
            audit.record("distribution.delivery.mass_send_failed", delivery, actor=user,
                         data={"channel": delivery.channel_id, "message": error.message})  # fmt: skip
            raise
        answer, already = (error.detail if isinstance(error.detail, dict) else {}), True  # sent before
    sent = {
        "msg_id": str(answer.get("msg_id", "")),
        "msg_data_id": str(answer.get("msg_data_id", "")),
        "at": timezone.localtime().isoformat(),
        "by": user.get_username(),
        "already_sent": already,
    }
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
        delivery.checkpoint = {**(delivery.checkpoint or {}), "mass_send": sent}
        delivery.save(update_fields=["checkpoint", "updated_at"])
        audit.record("distribution.delivery.mass_send", delivery, actor=user,
                     data={"channel": delivery.channel_id, **sent})  # fmt: skip
    return sent
