"""Weibo (微博) through the share API, ``POST /2/statuses/share.json``.

- **Credentials:** ``access_token`` of the account, authorised for the app.
  Weibo hands a ``refresh_token`` only to apps using its mobile SDK; a
  server app like this one renews a token by having the account holder
  authorise the app again. An expired or revoked token (21327, 21332, …)
  is therefore a permanent error whose message says how to re-authorise.
- **Options:** ``safe_domain``, the domain registered with the app (the
  post must contain a link on it: the website's page of the story);
  ``rip``, the operator's real IP that Weibo asks for (empty if not set).
- **Picture:** one (the share API takes one): the first picture of the
  post, else the cover, else the video's poster frame; re-encoded as a
  JPEG when it is over 5 MB or not a JPEG/GIF/PNG. The share API cannot
  post a video.
- **Rate limits** (10022/10023/10024, 20016) are counted per hour: wait
  until the top of the hour.
- **Idempotency:** Weibo cannot be asked whether a post was made (no
  lookup by our key; ``statuses/user_timeline`` is not open to ordinary
  apps), so an interrupted share ends in needs_manual_check.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import urllib.parse

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
    ManualCheck,
    PageGuard,
    Permanent,
    RateLimited,
    Temporary,
    Uncertain,
    http_failure,
)

TEXT_MAX = 140
PIC_MAX_BYTES = 5 * 1024 * 1024
# How far back fetch_comments looks for posts to read the comments of.
COMMENT_WINDOW = dt.timedelta(days=30)
COMMENTS_PER_CALL = 200

NO_PERMISSION = 10014  # the app may not call this API
TOKEN_ERRORS = {21301, 21314, 21315, 21316, 21317, 21319, 21327, 21332, 21501}
RATE_LIMIT_ERRORS = {10022, 10023, 10024, 20016}
BUSY_ERRORS = {10001, 10002, 10003, 10009, 10010, 10011, 10012}
ACCEPTED_SLOWLY = 20032  # "Update success, while server slow now": posted, but no id in the answer
MESSAGES = {
    10014: "应用没有调用此接口的权限，请在微博开放平台为应用申请写入权限。",
    10016: "请求缺少必需的参数。",
    10017: "参数不合法：微博正文须包含应用登记的安全域名下的链接。",
    20003: "微博账号不存在或已被封禁。",
    20005: "配图格式不受支持（只接受 JPG、GIF、PNG）。",
    20006: "配图超过 5 MB。",
    20012: "正文超过 140 字。",
    20017: "与近期发布的微博内容相似，微博拒绝重复发布。",
    20019: "与近期发布的微博内容相同，微博拒绝重复发布。",
    20018: "正文包含微博不允许的网址。",
    20021: "正文含有违规内容，微博拒绝发布，请修改稿件后重新审核。",
    20101: "目标微博不存在或已删除。",
}
URL = re.compile(r"https?://[^\s，。！？、]+")


def weibo_length(text: str) -> int:
    from rongmei.versions.text import weibo_length as count

    return count(text)


def next_hour(now: dt.datetime | None = None) -> dt.datetime:
    now = now or timezone.now()
    return now.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)


def on_domain(text: str, domain: str) -> bool:
    domain = domain.lower().strip().lstrip(".")
    for link in URL.findall(text or ""):
        host = (urllib.parse.urlsplit(link).hostname or "").lower()
        if host == domain or host.endswith("." + domain):
            return True
    return False


def oauth2_header(token: str) -> dict:
    """Weibo takes the token in a header too: it stays out of logged URLs."""
    return {"Authorization": f"OAuth2 {token}"}


def parse_time(value: str) -> dt.datetime:
    return dt.datetime.strptime(value, "%a %b %d %H:%M:%S %z %Y")


class WeiboAdapter(Adapter):
    code = "weibo"
    label = "微博"
    default_base_url = "https://api.weibo.com"

    # -- checks before anything is sent

    def prepare(self, delivery) -> None:
        payload = delivery.payload or {}
        data = payload.get("data") or {}
        body = (payload.get("body") or "").strip()
        if not body:
            raise Permanent("微博正文为空。")
        if data.get("long_text"):
            raise Permanent(
                "长微博（超过140字）只能通过微博商业接口发布，本账号使用的分享接口不支持：请把微博版本改到140字以内后重新审核。"
            )
        count = weibo_length(body)
        if count > TEXT_MAX:
            raise Permanent(f"微博正文按微博规则计 {math.ceil(count)} 字，超过 {TEXT_MAX} 字的上限，请修改后重新审核。")
        link = (data.get("link") or "").strip()
        if not link or link not in body:
            raise Permanent("微博正文必须包含网站稿件的链接：请设置网站的公开地址，重新生成微博版本。")
        domain = ((delivery.channel.options or {}).get("safe_domain") or "").strip()
        if domain and not on_domain(body, domain):
            raise Permanent(
                f"微博正文中的链接不在应用登记的安全域名“{domain}”内，微博会拒绝发布：请检查网站地址或渠道设置。"
            )

    # -- publishing

    @staticmethod
    def picture_asset(payload: dict):
        images = (payload.get("data") or {}).get("images") or []
        return images[0] if images else payload.get("cover") or payload.get("video")

    def deliver(self, context: Context):
        token = context.credentials.get("access_token")
        if not token:
            raise Permanent("渠道没有配置微博 access_token，请在渠道设置中填写。")
        picture = None
        if context.done("share") is None:
            asset = self.picture_asset(context.payload)
            picture = _media.picture(asset, max_bytes=PIC_MAX_BYTES, name="weibo") if asset else None
        status = context.once("share", lambda: self._share(context, token, picture))
        if not status.get("id"):
            return ManualCheck(
                "微博已受理这条微博，但服务器繁忙没有返回编号：请一两分钟后到微博主页核实，在此登记链接。"
            )
        return Delivered(status["id"], status["url"], "微博已发布。")

    def _share(self, context: Context, token: str, picture) -> dict:
        form = {
            "access_token": token,
            "status": context.payload["body"].strip(),
            "rip": context.options.get("rip", "") or "",
        }
        files = {"pic": (picture.name, picture.data, picture.content_type)} if picture else None
        try:
            response = context.http.post("/2/statuses/share.json", data=form, files=files)
        except httpx.HTTPError as exc:
            raise http_failure(exc, "发布微博") from None
        try:
            answer = self.answer(response, "发布微博")
        except Permanent as error:
            if error.code == str(ACCEPTED_SLOWLY):
                return {"id": "", "url": ""}
            raise
        status_id = str(answer.get("idstr") or answer.get("id") or "")
        if not status_id:
            raise Uncertain("发布微博：微博的应答中没有微博编号，稍后核实。", code="no_id")
        user = answer.get("user") or {}
        uid = str(user.get("idstr") or user.get("id") or "")
        url = f"https://weibo.com/{uid}/{status_id}" if uid else ""
        return {"id": status_id, "url": url}

    def manual_instructions(self, delivery) -> str:
        return (
            "微博不提供按本系统编号查询已发微博的接口，无法自动确认上次发布是否成功：请到该微博账号主页核实，"
            "已发出的请在此登记微博链接；没有发出的请点“重试”。"
        )

    # -- answers and errors

    def answer(self, response: httpx.Response, what: str) -> dict:
        """The JSON of a successful answer, or the matching error."""
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict) and body.get("error_code"):
            raise self.error(int(body["error_code"]), what)
        status = response.status_code
        if status == 429:
            raise RateLimited(f"{what}：微博接口调用过于频繁，整点后自动重试。", reset_at=next_hour(), code="http429")
        if status >= 500:
            raise Temporary(f"{what}：微博服务器暂时出错（HTTP {status}），稍后重试。", code=f"http{status}")
        if status >= 400:
            raise Permanent(f"{what}：微博拒绝了请求（HTTP {status}）。", code=f"http{status}")
        if not isinstance(body, dict):
            raise Uncertain(f"{what}：微博的应答无法解读，稍后核实。", code="bad_answer")
        return body

    @staticmethod
    def error(code: int, what: str) -> DeliveryError:
        if code in TOKEN_ERRORS:
            return Permanent(
                f"{what}：微博授权已失效（{code}）。微博只向使用移动 SDK 的应用发放 refresh_token，无法自动续期："
                "请账号管理员登录微博重新授权本应用，并在渠道设置中填入新的 access_token。",
                code=code,
            )
        if code in RATE_LIMIT_ERRORS:
            return RateLimited(f"{what}：微博接口调用次数已达本小时上限（{code}），整点后自动重试。",
                               reset_at=next_hour(), code=code)  # fmt: skip
        if code in BUSY_ERRORS:
            return Temporary(f"{what}：微博系统繁忙（{code}），稍后重试。", code=code)
        if code == ACCEPTED_SLOWLY:
            return Permanent(f"{what}：微博已受理，但服务器繁忙未返回编号。", code=code)
        reason = MESSAGES.get(code, "微博拒绝了请求。")
        return Permanent(f"{what}：{reason}（错误码 {code}）", code=code)

    # -- comments and the connection test

    def fetch_comments(self, channel, since: dt.datetime) -> list[Comment]:
        """Comments on the channel's posts of the last 30 days, newer than
        ``since``, page by page (bounded by :class:`PageGuard`). 10014 (the
        app may not call the comment API) is :class:`CommentsUnavailable`."""
        from rongmei.distribution.models import Delivery, DeliveryState
        from rongmei.distribution.queue import http_client

        token = channel.credentials.get("access_token", "")
        http = http_client(channel, self)
        posts = (
            Delivery.objects.filter(
                channel=channel, state=DeliveryState.DELIVERED, finished_at__gte=since - COMMENT_WINDOW
            )
            .exclude(external_id="")
            .values_list("external_id", "external_url")
        )
        since_second = since.replace(microsecond=0)  # Weibo's times are to the second
        found = []
        guard = PageGuard("读取微博评论", found)
        for status_id, url in posts:
            page = 1
            while True:
                guard.check((status_id, page))
                try:
                    response = http.get(
                        "/2/comments/show.json",
                        params={"id": status_id, "count": COMMENTS_PER_CALL, "page": page},
                        headers=oauth2_header(token),
                    )
                except httpx.HTTPError as exc:
                    raise http_failure(exc, "读取微博评论") from None
                try:
                    answer = self.answer(response, "读取微博评论")
                except Permanent as error:
                    if error.code == str(NO_PERMISSION):
                        raise CommentsUnavailable(error.message, code=error.code) from None
                    raise
                except DeliveryError as error:
                    if found:
                        raise CommentsIncomplete(error.message, partial=found, code=error.code) from None
                    raise
                comments = answer.get("comments") or []
                guard.check_ids([("id", str(c.get("idstr") or c.get("id"))) for c in comments])
                older = False
                for item in comments:
                    posted = parse_time(item["created_at"])
                    if posted < since_second:
                        older = True
                        continue
                    found.append(
                        Comment(
                            external_id=str(item.get("idstr") or item["id"]),
                            author=(item.get("user") or {}).get("screen_name", ""),
                            text=item.get("text", ""),
                            posted_at=posted,
                            url=url,
                            parent_external_id=status_id,
                            extra={"reply_to": str((item.get("reply_comment") or {}).get("id") or "")},
                        )
                    )
                total = int(answer.get("total_number") or 0)
                if older or len(comments) < COMMENTS_PER_CALL or page * COMMENTS_PER_CALL >= total:
                    break
                page += 1
        return found

    def reply(self, channel, comment: dict, text: str) -> str:
        """A comment on the post (``comments/create``, at most 140 characters)."""
        token = channel.credentials.get("access_token", "")
        text = (text or "").strip()
        if not text:
            raise Permanent("回复微博评论：回复内容为空。", code="empty")
        if weibo_length(text) > TEXT_MAX:
            raise Permanent(
                f"回复微博评论：微博评论最多 {TEXT_MAX} 字，这条回复按微博规则计 {math.ceil(weibo_length(text))} 字。",
                code="too_long",
            )
        from rongmei.distribution.queue import http_client

        http = http_client(channel, self)
        try:
            response = http.post(
                "/2/comments/create.json",
                data={"id": comment.get("thread_id", ""), "comment": text, "comment_ori": 0, "rip": ""},
                headers=oauth2_header(token),
            )
        except httpx.HTTPError as exc:
            raise http_failure(exc, "回复微博评论") from None
        answer = self.answer(response, "回复微博评论")
        return str(answer.get("idstr") or answer.get("id") or "")

    def test_connection(self, channel, http: httpx.Client) -> str:
        token = channel.credentials.get("access_token")
        if not token:
            raise Permanent("渠道没有配置微博 access_token。")
        try:
            response = http.get("/2/account/get_uid.json", headers=oauth2_header(token))
        except httpx.HTTPError as exc:
            raise http_failure(exc, "连接微博") from None
        uid = self.answer(response, "连接微博").get("uid")
        return f"微博账号授权有效（UID {uid}）。"


ADAPTER = WeiboAdapter()
_oauth.keep_tokens_out_of_logs()
