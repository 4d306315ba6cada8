"""Generic webhook (通用 Webhook): the delivery as signed JSON, POSTed to
the receiver's address (the channel's ``api_base_url``). Any kind of
channel may use it; typically partner media with a system of their own.

Our contract with a receiver:

- ``POST <api_base_url>`` with a UTF-8 JSON body: ``event``
  (``story.publish`` | ``story.update`` | ``story.unpublish``),
  ``idempotency_key``, ``delivery``, ``action``, ``story``, ``channel``
  (``id``, ``kind``, ``name``), ``content`` (``title``, ``kicker``,
  ``subtitle``, ``author``, ``summary``, ``body``, ``data``: the approved
  version as the format made it) and ``sent_at``. Pictures and videos do
  not travel this way (the SFTP and email transports carry the package).
- Signed like our outgoing webhooks (:mod:`rongmei.distribution.webhooks`)
  with the channel's ``credentials["secret"]``: ``X-Rongmei-Timestamp`` and
  ``X-Rongmei-Signature: sha256=<HMAC-SHA256 of "<timestamp>.<body>">``.
  The receiver checks it and answers 401 when it is wrong.
- ``X-Rongmei-Idempotency-Key`` (also ``X-Rongmei-Event-Id`` and the body's
  ``idempotency_key``): the delivery's key, the same on every attempt. The
  receiver keeps the keys it has published, and answers a repeat with
  ``409 {"error": "duplicate", "id": <the earlier id>, "url": …}`` (or a
  2xx with the earlier id) instead of publishing it again.
- Answers: 2xx, optionally ``{"id": …, "url": …}``: published; 409
  duplicate: published before; 429 with ``Retry-After`` (seconds or an HTTP
  date): wait until then; any other 4xx: refused, and its ``message`` or
  ``error`` (or the text) is shown to the operator; 5xx: retried later.

Because the receiver drops repeats, a POST whose answer was lost (a
timeout, a crash of the worker) is simply sent again: :meth:`reconcile`
answers "not known to be done" (None), the next attempt POSTs with the
same key, and the receiver answers with the id of the first one.
"""

from __future__ import annotations

import datetime as dt
import email.utils

import httpx
from django.utils import timezone

from rongmei.distribution import webhooks
from rongmei.distribution.channels.base import (
    Adapter,
    Context,
    Delivered,
    Permanent,
    RateLimited,
    Temporary,
    http_failure,
)

IDEMPOTENCY_HEADER = "X-Rongmei-Idempotency-Key"
CONTENT_FIELDS = ("title", "kicker", "subtitle", "author", "summary", "body", "data")
DEFAULT_RETRY_AFTER = 60  # seconds, when a 429 does not say
MESSAGE_MAX = 300


def body_of(delivery) -> dict:
    """What the receiver gets (see the module's docstring)."""
    channel, payload = delivery.channel, delivery.payload or {}
    return {
        "event": f"story.{delivery.action}",
        "idempotency_key": str(delivery.idempotency_key),
        "delivery": delivery.pk,
        "action": delivery.action,
        "story": payload.get("story") or delivery.story_id,
        "channel": {"id": channel.pk, "kind": channel.kind, "name": channel.name},
        "content": {name: payload.get(name) for name in CONTENT_FIELDS},
        "sent_at": timezone.now().isoformat(),
    }


def their_message(response: httpx.Response) -> str:
    """The receiver's own words: its JSON ``message``/``error``/``detail``, else its text."""
    try:
        data = response.json()
    except ValueError:
        data = None
    if isinstance(data, dict):
        for name in ("message", "error", "detail", "msg"):
            if data.get(name):
                return str(data[name])[:MESSAGE_MAX]
    return (response.text or "").strip()[:MESSAGE_MAX] or response.reason_phrase


def retry_after(response: httpx.Response) -> dt.datetime:
    """When a 429 ends: ``Retry-After`` in seconds or as an HTTP date, else
    the body's ``retry_after``, else a minute."""
    now = timezone.now()
    value = (response.headers.get("Retry-After") or "").strip()
    if value.isdigit():
        return now + dt.timedelta(seconds=int(value))
    if value:
        try:
            return max(now, email.utils.parsedate_to_datetime(value))
        except (TypeError, ValueError):
            pass
    try:
        seconds = float(response.json().get("retry_after"))
    except (ValueError, TypeError, AttributeError):
        seconds = DEFAULT_RETRY_AFTER
    return now + dt.timedelta(seconds=max(1.0, seconds))


def _json(response: httpx.Response) -> dict:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _link(value) -> str:
    value = str(value or "")
    return value if value.startswith(("http://", "https://")) else ""


class WebhookAdapter(Adapter):
    code = "webhook"
    label = "通用 Webhook"
    can_check = True  # not by asking, but the receiver drops repeats: re-sending is safe

    def prepare(self, delivery) -> None:
        channel = delivery.channel
        if not channel.api_base_url:
            raise Permanent("此渠道没有设置接收地址（API 地址），无法推送。", code="config")
        if not channel.credentials.get("secret"):
            raise Permanent("此渠道没有设置签名密钥（secret），无法推送。", code="config")

    def deliver(self, context: Context) -> Delivered:
        result = context.once("post", lambda: self._post(context))
        return Delivered(result["id"], result.get("url", ""), message=result.get("message", ""))

    def reconcile(self, context: Context, step: str):
        # The receiver drops repeats by the idempotency key: sending again is
        # the way to find out (a repeat answers with the earlier id).
        return None

    def _post(self, context: Context) -> dict:
        delivery = context.delivery
        key = str(delivery.idempotency_key)
        body, headers = webhooks.signed_request(body_of(delivery), context.credentials.get("secret", ""), key)
        headers[IDEMPOTENCY_HEADER] = key
        try:
            response = context.http.post(context.channel.api_base_url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise http_failure(exc, "推送到接收方") from exc
        status = response.status_code
        if 200 <= status < 300:
            data = _json(response)
            return {"id": str(data.get("id") or key), "url": _link(data.get("url")), "message": "接收方已确认收到。"}
        if status == 409 and "duplicate" in response.text.lower():
            data = _json(response)
            return {
                "id": str(data.get("id") or key),
                "url": _link(data.get("url")),
                "message": "接收方此前已收到此稿（重复推送已被去重）。",
            }
        raise self._failure(response)

    def _failure(self, response: httpx.Response):
        status, message = response.status_code, their_message(response)
        if status == 429:
            return RateLimited(f"接收方限流（HTTP 429）：{message}", reset_at=retry_after(response), code="429")
        if status in (401, 403):
            return Permanent(
                f"接收方拒绝了请求（HTTP {status}）：{message}。请核对此渠道的签名密钥与接收方的是否一致。",
                code=str(status),
            )
        if status in (408, 425):
            return Temporary(f"接收方暂时无法处理（HTTP {status}），稍后重试。", code=str(status))
        if 400 <= status < 500:
            return Permanent(f"接收方拒绝了稿件（HTTP {status}）：{message}", code=str(status))
        if status >= 500:
            return Temporary(f"接收方出错（HTTP {status}），稍后重试。", code=str(status))
        return Permanent(f"接收方给出了意外的应答（HTTP {status}），请检查接收地址。", code=str(status))

    def test_connection(self, channel, http: httpx.Client) -> str:
        """A signed ``ping`` event: the receiver answers 2xx if the signature checks out."""
        if not channel.api_base_url:
            raise Permanent("此渠道没有设置接收地址（API 地址）。", code="config")
        secret = channel.credentials.get("secret")
        if not secret:
            raise Permanent("此渠道没有设置签名密钥（secret）。", code="config")
        payload = {"event": "ping", "channel": {"id": channel.pk, "kind": channel.kind, "name": channel.name}}
        body, headers = webhooks.signed_request(payload, secret)
        try:
            response = http.post(channel.api_base_url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise http_failure(exc, "连接接收方") from exc
        if 200 <= response.status_code < 300:
            return f"接收方已确认签名（HTTP {response.status_code}）。"
        raise self._failure(response)


ADAPTER = WebhookAdapter()
