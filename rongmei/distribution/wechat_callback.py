"""WeChat's server callback (服务器配置) for an official account channel.

- GET: WeChat checks the address when it is configured; the answer is
  ``echostr`` once ``signature`` is right.
- POST: an event; the one that matters is ``PUBLISHJOBFINISH`` (a publish
  job ended). It is not believed on its own: the delivery waiting for that
  ``publish_id`` is made due now, and its poll (``freepublish/get``) says
  how the job ended. The callback only saves the wait.

``signature`` is SHA-1 of the sorted ``token``, ``timestamp`` and ``nonce``,
where ``token`` is the one set in the channel's credentials (``token``) and
in the official account's 服务器配置. Use the 明文模式 or 兼容模式 (the
安全模式's encrypted-only messages are not read here).

The view is ``csrf_exempt``: WeChat's servers post without Django's CSRF
cookie and token, which protect browser sessions; nothing here uses a
session or a cookie, and the request is authenticated by its signature.
A replayed callback can only make a poll happen sooner.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import xml.etree.ElementTree as ET

from django.db import transaction
from django.http import HttpResponse, HttpResponseForbidden, HttpResponseNotFound
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from rongmei.distribution.models import Channel, Delivery, DeliveryState

logger = logging.getLogger(__name__)

MAX_BODY = 64 * 1024


def signature(token: str, timestamp: str, nonce: str) -> str:
    return hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()  # noqa: S324 - WeChat's scheme


def _signed(request, token: str) -> bool:
    given = request.GET.get("signature", "")
    expected = signature(token, request.GET.get("timestamp", ""), request.GET.get("nonce", ""))
    return bool(token and given) and hmac.compare_digest(given, expected)


def _parse(body: bytes) -> dict:
    """The event's fields (flat, the publish fields included), or {}."""
    if len(body) > MAX_BODY or b"<!DOCTYPE" in body.upper() or b"<!ENTITY" in body.upper():
        return {}  # no entities: nothing to expand
    try:
        root = ET.fromstring(body)  # noqa: S314 - size-limited, no DTD or entity declarations
    except ET.ParseError:
        return {}
    fields = {child.tag: (child.text or "").strip() for child in root}
    info = root.find("PublishEventInfo")
    if info is not None:
        fields.update({child.tag: (child.text or "").strip() for child in info if len(child) == 0})
        url = info.find("article_detail/item/article_url")
        if url is not None:
            fields["article_url"] = (url.text or "").strip()
    return fields


def make_due(channel: Channel, publish_id: str) -> int | None:
    """The waiting delivery of this publish job is polled now; its id, or None."""
    from rongmei.distribution import tasks

    delivery = (
        Delivery.objects.filter(
            channel=channel,
            state=DeliveryState.IN_PROGRESS,
            lease_until__isnull=True,
            checkpoint__steps__submit__publish_id=publish_id,
        )
        .only("pk")
        .first()
    )
    if delivery is None:
        return None
    Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.IN_PROGRESS, lease_until__isnull=True).update(
        next_attempt_at=timezone.now()
    )
    transaction.on_commit(lambda: tasks.process_delivery(delivery.pk))
    return delivery.pk


@csrf_exempt
@require_http_methods(["GET", "POST"])
def callback(request, channel_id: int):
    channel = Channel.objects.filter(pk=channel_id, kind="wechat_mp", is_active=True).first()
    if channel is None:
        return HttpResponseNotFound("unknown channel")
    if not _signed(request, channel.credentials.get("token", "")):
        return HttpResponseForbidden("bad signature")
    if request.method == "GET":
        return HttpResponse(request.GET.get("echostr", ""), content_type="text/plain")
    event = _parse(request.body)
    if event.get("MsgType") == "event" and event.get("Event") == "PUBLISHJOBFINISH" and event.get("publish_id"):
        found = make_due(channel, event["publish_id"])
        logger.info(
            "WeChat PUBLISHJOBFINISH for channel %s, publish_id %s (status %s): delivery %s",
            channel.pk, event["publish_id"], event.get("publish_status"), found,
        )  # fmt: skip
    return HttpResponse("success", content_type="text/plain")


urlpatterns = [path("<int:channel_id>/", callback, name="wechat_callback")]
